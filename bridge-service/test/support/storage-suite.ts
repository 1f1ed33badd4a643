// The storage tests, run unchanged on SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import type { Store } from '../../src/db/connection';
import { createLinksRepo, keyJson } from '../../src/db/repos/links';
import { createDeletesRepo } from '../../src/db/repos/deletes';
import { createAuditRepo } from '../../src/db/repos/audit';
import { createIdempotencyRepo } from '../../src/db/repos/idempotency';

const ACC = '6F3C1F2E-5B7A-4C19-9E3F-1A2B3C4D5E6F';
const OID = '11111111-aaaa-4aaa-8aaa-000000000001';

export function storageSuite(name: string, open: () => Promise<Store | null>): void {
  describe(`store on ${name}`, () => {
    let store: Store | null;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });
    const s = () => {
      if (!store) throw new Error('no store');
      return store;
    };
    // Skipped only when open() returned null (no PostgreSQL binaries and not CI).
    const maybe = (title: string, fn: () => Promise<void>) => it(title, async () => (store ? fn() : undefined));

    maybe('runs the migrations once and records them', async () => {
      const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(s().db);
      expect(rows.rows.map((r) => r.name)).toContain('001_core_tables');
      await s().ping();
    });

    maybe('links: upsert by Dataverse row, find both ways, key order does not matter', async () => {
      const links = createLinksRepo(s().db);
      const l = await links.upsert({ mapName: 'customers-accounts', dataverseTable: 'account', dataverseId: ACC, fnoEntity: 'CustomersV3',
        fnoKey: { dataAreaId: 'usmf', CustomerAccount: "O'Brien" } });
      expect(l.dataverseId).toBe(ACC.toLowerCase());
      const byFno = await links.findByFno('customers-accounts', 'CustomersV3', { CustomerAccount: "O'Brien", dataAreaId: 'usmf' });
      expect(byFno?.id).toBe(l.id);
      await links.recordSync(l.id, { direction: 'fno_to_dataverse', fnoEtag: 'W/"x"', snapshot: { CreditLimit: 5 } });
      const again = await links.upsert({ mapName: 'customers-accounts', dataverseTable: 'account', dataverseId: ACC, fnoEntity: 'CustomersV3',
        fnoKey: { dataAreaId: 'usmf', CustomerAccount: "O'Brien" } });
      expect(again.id).toBe(l.id);
      expect(again.fnoEtag).toBe('W/"x"');
      expect(again.snapshot).toEqual({ CreditLimit: 5 });
      expect(again.lastDirection).toBe('fno_to_dataverse');
    });

    maybe('links: one F&O record cannot be linked to two rows of one map', async () => {
      const links = createLinksRepo(s().db);
      const key = { dataAreaId: 'nlmf', CustomerAccount: 'NL-1' };
      await links.upsert({ mapName: 'm', dataverseTable: 'account', dataverseId: '00000000-0000-4000-8000-000000000001', fnoEntity: 'CustomersV3', fnoKey: key });
      const err = await links.upsert({ mapName: 'm', dataverseTable: 'account', dataverseId: '00000000-0000-4000-8000-000000000002', fnoEntity: 'CustomersV3', fnoKey: key })
        .then((l) => new Error(`no error, got link ${l.id}`), (e: unknown) => e as Error);
      // Driver errors come from another realm under jest: compare the message, not the class.
      expect(err.message).toMatch(/unique|duplicate/i);
    });

    maybe('repositories join a caller transaction (rolled back together)', async () => {
      const audit = createAuditRepo(s().db);
      await s().db.transaction().execute(async (trx) => {
        await audit.record({ requestId: 'r-tx', principalOid: OID, principalName: null, accountId: ACC, company: 'usmf', customerAccount: 'X',
          changes: {}, result: 'applied', errorCode: null }, trx);
        throw new Error('abort');
      }).catch(() => undefined);
      expect((await audit.listForAccount(ACC)).some((e) => e.requestId === 'r-tx')).toBe(false);
    });

    maybe('audit: records every attempt with before and after, newest first', async () => {
      const audit = createAuditRepo(s().db);
      await audit.record({ requestId: 'r1', principalOid: OID, principalName: 'Sanne', accountId: ACC, company: 'usmf', customerAccount: 'US-001',
        changes: { CreditLimit: { before: 1000, after: 2000 } }, result: 'applied', errorCode: null, at: '2026-01-01T00:00:00.000Z' });
      await audit.record({ requestId: 'r2', principalOid: OID, principalName: 'Sanne', accountId: ACC, company: 'usmf', customerAccount: 'US-001',
        changes: { CreditLimit: { before: 2000, after: 3000 } }, result: 'conflict', errorCode: 'FB_CONFLICT_ETAG', at: '2026-01-02T00:00:00.000Z' });
      const rows = await audit.listForAccount(ACC);
      expect(rows.map((r) => r.requestId)).toEqual(['r2', 'r1']);
      expect(rows[1].changes).toEqual({ CreditLimit: { before: 1000, after: 2000 } });
      expect(rows[0].errorCode).toBe('FB_CONFLICT_ETAG');
    });

    maybe('idempotency: new, in progress, replay, mismatch, release, expiry', async () => {
      const idem = createIdempotencyRepo(s().db);
      expect(await idem.begin(OID, 'key-1', 'h1', 60_000)).toEqual({ kind: 'new' });
      expect(await idem.begin(OID, 'key-1', 'h1', 60_000)).toEqual({ kind: 'in_progress' });
      await idem.complete(OID, 'key-1', { status: 200, body: { ok: true }, headers: { etag: '"e"' } });
      expect(await idem.begin(OID, 'key-1', 'h1', 60_000)).toEqual({ kind: 'replay', response: { status: 200, body: { ok: true }, headers: { etag: '"e"' } } });
      expect(await idem.begin(OID, 'key-1', 'h2', 60_000)).toEqual({ kind: 'mismatch' });
      // Another principal has its own key space.
      expect(await idem.begin('other-oid', 'key-1', 'h2', 60_000)).toEqual({ kind: 'new' });
      await idem.release('other-oid', 'key-1');
      expect(await idem.begin('other-oid', 'key-1', 'h3', 60_000)).toEqual({ kind: 'new' });
      expect(await idem.begin(OID, 'key-exp', 'h1', -1)).toEqual({ kind: 'new' });
      expect(await idem.begin(OID, 'key-exp', 'h9', 60_000)).toEqual({ kind: 'new' });
    });

    maybe('idempotency: a claim abandoned by a dead request is taken over once', async () => {
      const idem = createIdempotencyRepo(s().db);
      expect(await idem.begin(OID, 'dead', 'h', 3_600_000)).toEqual({ kind: 'new' });
      await s().db.updateTable('idempotency_keys').set({ created_at: new Date(Date.now() - 10 * 60_000).toISOString() })
        .where('idem_key', '=', 'dead').execute();
      const again = await Promise.all([idem.begin(OID, 'dead', 'h', 3_600_000), idem.begin(OID, 'dead', 'h', 3_600_000)]);
      expect(again.map((r) => r.kind).sort()).toEqual(['in_progress', 'new']);
    });

    maybe('deletes: recorded, the newest found by either side of the record, listed newest first per map', async () => {
      const deletes = createDeletesRepo(s().db);
      const fnoKey = keyJson({ dataAreaId: 'usmf', CustomerAccount: "O'Brien" });
      await deletes.record({ map: 'customers-accounts', deletedSide: 'fno', dataverseId: ACC, fnoKey, action: 'deactivate', message: 'first' });
      await new Promise((r) => setTimeout(r, 5));
      await deletes.record({ map: 'customers-accounts', deletedSide: 'dataverse', dataverseId: ACC, fnoKey, action: 'unlink', message: 'second' });
      await deletes.record({ map: 'vendors', deletedSide: 'fno', dataverseId: ACC, fnoKey, action: 'delete', message: 'other map' });
      expect(await deletes.latestFor('customers-accounts', 'dataverse', ACC)).toMatchObject({ message: 'second', dataverseId: ACC.toLowerCase(), fnoKey: { dataAreaId: 'usmf', CustomerAccount: "O'Brien" } });
      expect(await deletes.latestFor('customers-accounts', 'fno', fnoKey)).toMatchObject({ message: 'second' });
      expect(await deletes.latestFor('customers-accounts', 'fno', keyJson({ dataAreaId: 'usmf', CustomerAccount: 'other' }))).toBeNull();
      expect((await deletes.list({ map: 'customers-accounts', limit: 10 })).map((d) => d.message)).toEqual(['second', 'first']);
      expect(await deletes.list({ limit: 1 })).toHaveLength(1);
    });

    maybe('links: paged by id per map', async () => {
      const links = createLinksRepo(s().db);
      for (const n of [1, 2, 3]) {
        await links.upsert({ mapName: 'paging', dataverseTable: 'account', dataverseId: `00000000-0000-0000-0000-00000000000${n}`, fnoEntity: 'CustomersV3', fnoKey: { dataAreaId: 'usmf', CustomerAccount: `P-${n}` } });
      }
      const first = await links.page('paging', null, 2);
      const rest = await links.page('paging', first[first.length - 1].id, 2);
      expect(first).toHaveLength(2);
      expect([...first, ...rest].map((l) => l.fnoKey.CustomerAccount).sort()).toEqual(['P-1', 'P-2', 'P-3']);
    });

    maybe('idempotency: concurrent begins let exactly one request in', async () => {
      const idem = createIdempotencyRepo(s().db);
      const results = await Promise.all(Array.from({ length: 8 }, () => idem.begin(OID, 'race', 'h', 60_000)));
      expect(results.filter((r) => r.kind === 'new')).toHaveLength(1);
    });
  });
}
