// `finops-bridge setup` against the sandbox: the built solution is imported, setup registers the webhook
// endpoint, steps and F&O event endpoint, a second run changes nothing, and a Dataverse edit then
// reaches F&O through the webhook setup registered.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ENDPOINT_NAME } from '../../bridge-service/src/sync/runtime/registration';
import { WEBHOOK_SECRET } from '../e2e/support/harness';
import { builtSolutionZip, cli, eventually, json, sandboxApi, startCliWorld, type CliWorld } from './support';

let w: CliWorld;
let api: ReturnType<typeof sandboxApi>;

beforeAll(async () => {
  w = await startCliWorld();
  api = sandboxApi(w.sandbox);
}, 60_000);
afterAll(async () => { await w?.close(); });

describe('finops-bridge setup', () => {
  it('imports the built solution into the sandbox (ImportSolution)', async () => {
    const token = await w.sandbox.getToken('bridge', 'dataverse');
    const res = await fetch(`${w.sandbox.urls.dataverseApi}/ImportSolution`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ CustomizationFile: builtSolutionZip().toString('base64'), OverwriteUnmanagedCustomizations: true, PublishWorkflows: true, ImportJobId: randomUUID() }),
    });
    expect(res.status).toBe(204);
    const solutions = await api.dvGet('solutions', "$filter=uniquename eq 'FinOpsBridge'&$select=uniquename");
    expect(solutions).toHaveLength(1);
  }, 30_000); // builds the solution zip in-process and imports it: seconds on a busy 2-core machine

  it('has nothing registered before setup', async () => {
    expect(await api.dvGet('serviceendpoints', `$filter=name eq '${ENDPOINT_NAME}'`)).toHaveLength(0);
  });

  it('registers the endpoint, one step per message and the F&O event endpoint', async () => {
    const r = await cli(['setup'], w.env);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`created serviceendpoint ${ENDPOINT_NAME}`);
    expect(r.out).toContain('created step FinOps Bridge: account Update');
    expect(r.out).toContain(`created the F&O event endpoint ${w.bridge.url}/webhooks/fno`);
    const eps = await api.dvGet('serviceendpoints', `$filter=name eq '${ENDPOINT_NAME}'`);
    expect(eps).toHaveLength(1);
    expect(eps[0]).toMatchObject({ contract: 8, authtype: 5, messageformat: 2, url: `${w.bridge.url}/webhooks/dataverse` });
    const steps = await api.dvGet('sdkmessageprocessingsteps', `$filter=_eventhandler_value eq ${String(eps[0].serviceendpointid)}`);
    expect(steps.map((s) => s.name).sort()).toEqual(['FinOps Bridge: account Create', 'FinOps Bridge: account Delete', 'FinOps Bridge: account Update']);
    // Asynchronous, with auto-delete of the system job each call leaves behind (issue 17).
    for (const step of steps) expect(step).toMatchObject({ stage: 40, mode: 1, asyncautodelete: true });
    const subs = await json<{ value: Array<{ url: string }> }>(await fetch(`${w.sandbox.urls.fno}/_sandbox/events/subscriptions`));
    expect(subs.value.map((s) => s.url)).toEqual([`${w.bridge.url}/webhooks/fno?code=${encodeURIComponent(WEBHOOK_SECRET)}`]); // F&O sends no header: the key is in the URL
  });

  it('changes nothing when run again (and says so, also in --json)', async () => {
    const r = await cli(['setup'], w.env);
    expect(r.code).toBe(0);
    expect(r.out).toContain('nothing changed');
    const j = await cli(['setup', '--json'], w.env);
    expect(JSON.parse(j.out)).toMatchObject({ ok: true, changed: false, created: [], deleted: [], fnoSubscription: 'unchanged' });
    expect(await api.dvGet('serviceendpoints', `$filter=name eq '${ENDPOINT_NAME}'`)).toHaveLength(1);
  });

  it('turns auto-delete on for steps an earlier version registered without it', async () => {
    const eps = await api.dvGet('serviceendpoints', `$filter=name eq '${ENDPOINT_NAME}'`);
    const [step] = await api.dvGet('sdkmessageprocessingsteps', `$filter=_eventhandler_value eq ${String(eps[0].serviceendpointid)} and name eq 'FinOps Bridge: account Update'`);
    const token = await w.sandbox.getToken('bridge', 'dataverse');
    const patched = await fetch(`${w.sandbox.urls.dataverseApi}/sdkmessageprocessingsteps(${String(step.sdkmessageprocessingstepid)})`, {
      method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'If-Match': '*' }, body: JSON.stringify({ asyncautodelete: false }),
    });
    expect(patched.status).toBe(204);
    const r = await cli(['setup'], w.env);
    expect(r.code).toBe(0);
    expect(r.out).toContain('updated step FinOps Bridge: account Update');
    const [after] = await api.dvGet('sdkmessageprocessingsteps', `$filter=name eq 'FinOps Bridge: account Update'`);
    expect(after.asyncautodelete).toBe(true);
  });

  it('then carries a Dataverse edit of an account to the F&O customer through the registered webhook', async () => {
    const accounts = await api.dvGet('accounts', '$select=accountid,accountnumber');
    const nl = accounts.find((a) => String(a.accountnumber).startsWith('NL-'))!;
    const name = `Edited after setup ${Date.now()}`;
    await api.dvPatch('accounts', String(nl.accountid), { name });
    const key = `dataAreaId='nlmf',CustomerAccount='${String(nl.accountnumber)}'`;
    await eventually(async () => (await api.fnoGet('CustomersV3', key)).OrganizationName === name, 10_000);
  });

  it('fails with a plain message when the webhook secret is missing', async () => {
    const r = await cli(['setup'], { ...w.env, DATAVERSE_WEBHOOK_SECRET: '' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('DATAVERSE_WEBHOOK_SECRET is not set');
  });
});
