/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- webhook bodies are parsed JSON; the tests compare their shape with the real fixtures */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { startDv, type DvHarness } from './helpers';
import { DATAVERSE_ANCHORS, SDK_MESSAGE_IDS } from '../../src/dataverse';
import { DEMO_USERS } from '../../src/identity/principals';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const asyncFixture = fixture('dataverse-webhook-remoteexecutioncontext-contact-update.json');
const syncFixture = fixture('dataverse-webhook-account-update-sync-mode0.json');
const controller = DEMO_USERS.find((u) => u.name === 'controller')!;

interface Received { path: string; headers: Record<string, string | string[] | undefined>; body: any }
let h: DvHarness;
let receiver: Server;
let receiverUrl: string;
let received: Received[] = [];
let answer = 200;
let failFirst = 0;

beforeAll(async () => {
  // A maker raised account.description to the multiline maximum: the only way a standard row passes 256 KB.
  h = await startDv({ customMaxLengths: { 'account.description': 1_048_576 } });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(failFirst-- > 0 ? 500 : answer).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/dataverse`;
});
afterAll(async () => {
  await h.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});
beforeEach(async () => {
  await h.dv.webhooks.idle();
  received = [];
  answer = 200;
  failFirst = 0;
  h.dv.reset();
});

async function register(step: { mode: number; filteringattributes?: string; message?: keyof typeof SDK_MESSAGE_IDS; authtype?: number; authvalue?: string }) {
  const message = step.message ?? 'Update';
  const ep = await h.call('bridge', 'POST', 'serviceendpoints', {
    body: {
      name: 'FinOps Bridge', contract: 8, authtype: step.authtype ?? 5, url: receiverUrl, messageformat: 2,
      authvalue: step.authvalue ?? '<settings><setting name="x-bridge-webhook-key" value="s3cret"/></settings>',
    },
  });
  expect(ep.status).toBe(204);
  const epId = /\(([^)]+)\)$/.exec(ep.headers.get('odata-entityid')!)![1];
  const filters = await h.call('bridge', 'GET', `sdkmessagefilters?$select=sdkmessagefilterid&$filter=primaryobjecttypecode eq 'account' and _sdkmessageid_value eq ${SDK_MESSAGE_IDS[message]}`);
  const st = await h.call('bridge', 'POST', 'sdkmessageprocessingsteps', {
    headers: { prefer: 'return=representation' },
    body: {
      name: `FinOps Bridge: ${message} of account`, stage: 40, mode: step.mode, rank: 1, supporteddeployment: 0, asyncautodelete: false,
      ...(step.filteringattributes ? { filteringattributes: step.filteringattributes } : {}),
      'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${epId})`,
      'sdkmessageid@odata.bind': `/sdkmessages(${SDK_MESSAGE_IDS[message]})`,
      'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${filters.body.value[0].sdkmessagefilterid})`,
    },
  });
  expect(st.status).toBe(201);
  return { epId, stepId: st.body.sdkmessageprocessingstepid as string };
}

const keys = (o: object) => Object.keys(o).sort();
const patchAccount = (body: object, principal: 'controller' | 'bridge' = 'controller') =>
  h.call(principal, 'PATCH', `accounts(${DATAVERSE_ANCHORS.nlApostrophe})`, { body, headers: { 'if-match': '*' } });

describe('Dataverse webhooks', () => {
  it('never returns the write-only authvalue', async () => {
    const { epId } = await register({ mode: 1 });
    const one = await h.call('bridge', 'GET', `serviceendpoints(${epId})`);
    expect(one.body.url).toBe(receiverUrl);
    expect(one.body).not.toHaveProperty('authvalue');
    const sel = await h.call('bridge', 'GET', `serviceendpoints?$select=authvalue`);
    expect(sel.status).toBe(400);
  });

  it('POSTs an asynchronous RemoteExecutionContext shaped like the real one, with headers, images and the user', async () => {
    const { stepId } = await register({ mode: 1, filteringattributes: 'name,telephone1' });
    const img = await h.call('bridge', 'POST', 'sdkmessageprocessingstepimages', {
      body: { name: 'PreImage', entityalias: 'PreImage', imagetype: 0, messagepropertyname: 'Target', attributes: 'name,telephone1', 'sdkmessageprocessingstepid@odata.bind': `/sdkmessageprocessingsteps(${stepId})` },
    });
    expect(img.status).toBe(204);
    expect((await patchAccount({ telephone1: '+31 20 555 0101' })).status).toBe(204);
    await h.dv.webhooks.idle();
    expect(received).toHaveLength(1);
    const { headers, body } = received[0];
    expect(headers['x-bridge-webhook-key']).toBe('s3cret');
    expect(headers['x-ms-dynamics-entity-name']).toBe('account');
    expect(headers['x-ms-dynamics-request-name']).toBe('Update');
    expect(headers['x-ms-correlation-request-id']).toBe(body.CorrelationId);
    expect(headers['x-ms-dynamics-organization']).toBeTruthy();
    expect(keys(body)).toEqual(keys(asyncFixture));
    expect(keys(body.ParentContext)).toEqual(keys(asyncFixture.ParentContext));
    const target = body.InputParameters[0].value;
    expect(keys(target)).toEqual(keys(asyncFixture.InputParameters[0].value));
    expect(target.Attributes).toEqual(expect.arrayContaining([{ key: 'telephone1', value: '+31 20 555 0101' }, { key: 'accountid', value: DATAVERSE_ANCHORS.nlApostrophe }]));
    expect(target.Attributes.find((a: any) => a.key === 'modifiedon').value).toMatch(/^\/Date\(\d+\)\/$/);
    expect(body).toMatchObject({ MessageName: 'Update', Mode: 1, Stage: 40, PrimaryEntityName: 'account', PrimaryEntityId: DATAVERSE_ANCHORS.nlApostrophe, UserId: controller.systemUserId, InitiatingUserId: controller.systemUserId });
    expect(body.OwningExtension.Id).toBe(stepId);
    expect(body.PreEntityImages[0].key).toBe('PreImage');
    expect(body.PreEntityImages[0].value.Attributes.map((a: any) => a.key).sort()).toEqual(['name', 'telephone1']);
  });

  it('honours filtering attributes: an update of other columns sends nothing', async () => {
    await register({ mode: 1, filteringattributes: 'name,telephone1' });
    expect((await patchAccount({ description: 'not watched' })).status).toBe(204);
    await h.dv.webhooks.idle();
    expect(received).toHaveLength(0);
  });

  it('encodes synchronous steps like the real mode 0 payload and rolls back when the receiver fails', async () => {
    await register({ mode: 0 });
    expect((await patchAccount({ telephone1: '1111' })).status).toBe(204);
    expect(received).toHaveLength(1);
    const body = received[0].body;
    expect(keys(body)).toEqual(keys(syncFixture));
    const attrs = body.InputParameters[0].value.Attributes;
    expect(attrs.find((a: any) => a.key === 'accountid').value).toEqual({ __type: 'Guid:#System', __value: DATAVERSE_ANCHORS.nlApostrophe });
    expect(attrs.find((a: any) => a.key === 'modifiedon').value.__type).toBe('DateTime:#System');
    expect(body.Mode).toBe(0);
    answer = 500;
    const failed = await patchAccount({ telephone1: '2222' });
    expect(failed.status).toBe(400);
    const after = await h.call('bridge', 'GET', `accounts(${DATAVERSE_ANCHORS.nlApostrophe})?$select=telephone1`);
    expect(after.body.telephone1).toBe('1111');
  });

  it('retries a 503 of a synchronous step once', async () => {
    await register({ mode: 0 });
    answer = 503;
    expect((await patchAccount({ telephone1: '3' })).status).toBe(400);
    expect(received).toHaveLength(2);
  });

  it('drops Target and images and sets x-ms-dynamics-msg-size-exceeded above 256 KB', async () => {
    await register({ mode: 1 });
    expect((await patchAccount({ description: 'x'.repeat(300 * 1024) }, 'bridge')).status).toBe(204);
    await h.dv.webhooks.idle();
    expect(received).toHaveLength(1);
    expect(received[0].headers['x-ms-dynamics-msg-size-exceeded']).toBeTruthy();
    expect(received[0].body.InputParameters).toEqual([]);
    expect(received[0].body.PrimaryEntityId).toBe(DATAVERSE_ANCHORS.nlApostrophe);
  });

  it('retries a failed asynchronous delivery and keeps per-record order', async () => {
    await register({ mode: 1 });
    failFirst = 1;
    expect((await patchAccount({ telephone1: 'first' })).status).toBe(204);
    expect((await patchAccount({ telephone1: 'second' })).status).toBe(204);
    await h.dv.webhooks.idle();
    const phones = received.map((r) => r.body.InputParameters[0].value.Attributes.find((a: any) => a.key === 'telephone1').value);
    expect(phones).toEqual(['first', 'first', 'second']);
  });

  it('sends the key as ?code= for WebhookKey endpoints and fires Create steps', async () => {
    await register({ mode: 1, message: 'Create', authtype: 4, authvalue: 'abc123' });
    const created = await h.call('bridge', 'POST', 'accounts', { body: { name: 'Hooked', 'msdyn_company@odata.bind': "/cdm_companies(cdm_companycode='usmf')" } });
    expect(created.status).toBe(204);
    await h.dv.webhooks.idle();
    expect(received).toHaveLength(1);
    expect(received[0].path).toContain('code=abc123');
    expect(received[0].body.MessageName).toBe('Create');
  });
});
