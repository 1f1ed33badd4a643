// writePage with a fake Dataverse (a unit test): the links of rows about to be created are announced before
// their batch is sent, as a pending write that the webhook's echo check recognises, and the links returned
// after the batch hold the full synced snapshot.
import { describe, expect, it } from '@jest/globals';
import { generateFnoData } from '@finops-bridge/sandbox';
import type { BatchOperation } from '../src/clients/odata/batch';
import type { DataverseClient } from '../src/clients/dataverse-client';
import { echoesKnownValues } from '../src/sync/runtime/echo';
import { DvIndex } from '../src/sync/initial-sync/dataverse-index';
import { writePage, type PageDeps } from '../src/sync/initial-sync/page';
import type { LinkInput } from '../src/db/repos/links';
import type { StoredSnapshot } from '../src/sync/core/pending';
import { SHIPPED_MAPS } from '../src/sync/core/maps/shipped';

const map = SHIPPED_MAPS.find((m) => m.name === 'customers-accounts')!;
const ID = '0b7e8a52-5d7c-4f0e-9a51-2a3d5f1c9e01';
const TEAM = '5c1d0a3e-2b4f-4e6a-8c9d-0e1f2a3b4c5d';

describe('writePage', () => {
  it('announces the links of new rows before sending their batch', async () => {
    const rows = generateFnoData({ seed: 3, customers: 20 }).CustomersV3.filter((r) => r.PartyType === 'Organization').slice(0, 3);
    const order: string[] = [];
    let announced: LinkInput[] = [];
    let sent: BatchOperation[] = [];
    const deps: PageDeps = {
      dataverse: { url: (set: string, id?: unknown) => `/${set}(${String(id)})` } as unknown as DataverseClient,
      resolveLookup: async (req) => (req.want === 'id' ? ID : 'X'),
      owningTeamOf: async (companyId) => (companyId === ID ? TEAM : null),
      announce: async (links) => { order.push('announce'); announced = links; },
      sendBatch: async (ops) => {
        order.push('batch');
        sent = ops(1);
        return { parts: sent.map(() => ({ status: 204, headers: {}, body: null })), failures: [] };
      },
    };
    const { links, failures } = await writePage(map, 1, rows, new DvIndex(map), {}, deps);

    expect(failures).toEqual([]);
    expect(order).toEqual(['announce', 'batch']);
    expect(announced.map((l) => l.dataverseId).sort()).toEqual(links.map((l) => l.dataverseId).sort());
    expect(sent.every((op) => op.headers?.['If-None-Match'] === '*')).toBe(true);
    // Each new row is owned by its company's default owning team, as dual-write assigns it (core/ownership.ts).
    expect(sent.map((op) => (op.body as Record<string, unknown>)['ownerid@odata.bind'])).toEqual(sent.map(() => `/teams(${TEAM})`));
    for (const link of announced) {
      const s = link.snapshot as StoredSnapshot;
      expect(s.fno).toBeUndefined(); // not synced yet: only the write in flight
      expect(Object.keys(s.pending!.after.dataverse).length).toBeGreaterThan(3);
      // Dataverse's Create notification of that row carries the values written: an echo.
      const op = sent.find((o) => o.url.includes(link.dataverseId))!;
      expect(echoesKnownValues(map, 'dataverse', op.body as Record<string, unknown>, s)).toBe(true);
    }
    expect((links[0].snapshot as StoredSnapshot).pending).toBeUndefined();
    expect((links[0].snapshot as StoredSnapshot).dataverse).toBeDefined();
  });
});
