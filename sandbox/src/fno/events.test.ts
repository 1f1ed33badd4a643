import { describe, it, expect } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { customerChangedBody, dataEventBody, EventHub } from './events';
import { loadFnoSchema } from './schema';

const entity = loadFnoSchema().entities.get('CustomersV3')!;
const row = { dataAreaId: 'nlmf', CustomerAccount: 'NL-001', OrganizationName: "Bakkerij 't Hoekje", CreditLimit: 10 };
const at = '2026-01-15T12:00:00.000Z';

describe('event bodies', () => {
  it('data events: Create carries the row, Update keys + changed fields and a PreImage, Delete an EntityReference', () => {
    const create = dataEventBody({ kind: 'Create', entitySet: 'CustomersV3', after: row, changed: Object.keys(row), userOid: 'u', at }, entity, 'http://fno');
    expect(create).toMatchObject({ MessageName: 'Create', PrimaryEntityName: 'CustomersV3', PreEntityImages: [], OperationCreatedOn: `/Date(${Date.parse(at)})/` });
    const upd = dataEventBody({ kind: 'Update', entitySet: 'CustomersV3', before: row, after: { ...row, CreditLimit: 20 }, changed: ['CreditLimit'], userOid: 'u', at }, entity, 'http://fno');
    const target = (upd.InputParameters as { value: { Attributes: { key: string }[] } }[])[0].value;
    expect(target.Attributes.map((a) => a.key)).toEqual(['dataAreaId', 'CustomerAccount', 'CreditLimit']);
    expect((upd.PreEntityImages as { key: string }[])[0].key).toBe('PreImage');
    const del = dataEventBody({ kind: 'Delete', entitySet: 'CustomersV3', before: row, changed: [], userOid: 'u', at }, entity, 'http://fno');
    expect((del.InputParameters as { value: { __type: string } }[])[0].value.__type).toMatch(/^EntityReference:/);
  });
  it('business events follow the real envelope', () => {
    const b = customerChangedBody({ kind: 'Update', entitySet: 'CustomersV3', after: row, changed: [], userOid: 'c600136f-6814-41d9-8642-40ca0ec4edd4', at }, 5637985363);
    expect(b).toMatchObject({ Account: 'NL-001', BusinessEventLegalEntity: 'nlmf', LegalEntity: 'nlmf', ControlNumber: 5637985363, MajorVersion: 0, MinorVersion: 0,
      InitiatingUserAADObjectId: '{C600136F-6814-41D9-8642-40CA0EC4EDD4}', Name: "Bakkerij 't Hoekje", EventTime: `/Date(${Date.parse(at)})/` });
    expect(String(b.EventId)).toMatch(/^[0-9A-F-]{36}$/);
  });
});

describe('failed deliveries', () => {
  it('logs every failed attempt with the reason and the endpoint without its query string, then delivers', async () => {
    let calls = 0;
    const got: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        calls++;
        if (calls <= 2) { res.writeHead(401).end('missing webhook key'); return; }
        got.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const lines: string[] = [];
    const hub = new EventHub((s) => (s === 'CustomersV3' ? entity : undefined), 'http://fno', 5, 20, (l) => lines.push(l));
    try {
      const port = (server.address() as AddressInfo).port;
      hub.subscribe({ kind: 'data', url: `http://127.0.0.1:${port}/webhooks/fno?code=s3cret` });
      hub.publish([{ kind: 'Update', entitySet: 'CustomersV3', before: row, after: { ...row, CreditLimit: 20 }, changed: ['CreditLimit'], userOid: 'u', at }]);
      for (let i = 0; i < 200 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(got).toHaveLength(1);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(`[sandbox F&O] data event delivery to http://127.0.0.1:${port}/webhooks/fno failed (attempt 1): HTTP 401 missing webhook key; retrying in 5 ms`);
      expect(lines[1]).toContain('(attempt 2)');
      expect(lines.join('\n')).not.toContain('s3cret');
    } finally {
      hub.close();
      await new Promise((r) => server.close(r));
    }
  });

  it('logs an unreachable endpoint with the network error', async () => {
    const lines: string[] = [];
    const hub = new EventHub((s) => (s === 'CustomersV3' ? entity : undefined), 'http://fno', 1000, 1000, (l) => lines.push(l));
    try {
      hub.subscribe({ kind: 'business', url: 'http://127.0.0.1:9/webhooks/fno' });
      hub.publish([{ kind: 'Update', entitySet: 'CustomersV3', after: row, changed: [], userOid: 'u', at }]);
      for (let i = 0; i < 200 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(lines[0]).toMatch(/^\[sandbox F&O\] business event delivery to http:\/\/127\.0\.0\.1:9\/webhooks\/fno failed \(attempt 1\): fetch failed \(.+\); retrying in 1000 ms$/);
    } finally {
      hub.close();
    }
  });
});
