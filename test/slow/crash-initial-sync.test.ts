// Initial sync killed with SIGKILL at a random moment, ten times: each trial starts a fresh bridge
// process (its own SQLite store) on an empty Dataverse, starts the initial sync of ~2,000 organisation
// customers, kills the process when a random share of the rows is done (or in the second pass, or
// right after the start), starts it again on the same store and waits for the sync to finish. Then
// Dataverse holds exactly one account per F&O organisation customer with F&O's values, no account was
// created twice, a replay rewrote at most the page in flight and only with unchanged values (counted
// and reported: `rewritten`), and nothing was written to F&O.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Sandbox } from '@finops-bridge/sandbox';
import { eventually, json, startWorld } from '../e2e/support/harness';
import { ChildBridge } from './support/child-bridge';
import { TrialLog, seededRandom, trialSeed } from './support/trials';
import { logWrites, type WriteLog } from './support/write-log';

const TRIALS = Number(process.env.CRASH_TRIALS ?? 10);
const CUSTOMERS = 2_400;
const seed = trialSeed();
const random = seededRandom(seed);
const MAP_URL = '/api/v1/admin/maps/customers-accounts/initial-sync';

let sb: Sandbox;
let writes: WriteLog;
let adminToken: string;
let log: TrialLog;
const dirs: string[] = [];
let child: ChildBridge | undefined;

type Progress = { state: string; total: number; done: number; failed: number };

beforeAll(async () => {
  sb = await startWorld({ customers: CUSTOMERS, liftBudgets: true });
  writes = logWrites(sb);
  adminToken = await sb.getToken('admin', 'bridge');
  log = new TrialLog('crash-initial-sync', seed, { customers: CUSTOMERS, trials: TRIALS, leaseSeconds: 5 });
}, 120_000);

afterAll(async () => {
  await child?.kill();
  writes?.restore();
  await sb?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const progress = async (url: string) => json<Progress>(await fetch(`${url}${MAP_URL}`, { headers: { authorization: `Bearer ${adminToken}` } }));
const fnoWrites = () => [...sb.fno.store.stats.values()].reduce((n, s) => n + s.creates + s.updates + s.deletes, 0);

describe('initial sync killed with SIGKILL at random moments', () => {
  it(`${TRIALS} trials: after a restart every organisation customer is in Dataverse exactly once, with its values`, async () => {
    const customers = sb.data.CustomersV3 as Record<string, unknown>[];
    const orgs = new Map(customers.filter((r) => r.PartyType === 'Organization').map((r) => [`${String(r.dataAreaId)}|${String(r.CustomerAccount)}`, r]));
    expect(orgs.size).toBeGreaterThan(1_500);
    const failures: string[] = [];

    for (let trial = 1; trial <= TRIALS; trial++) {
      const t0 = Date.now();
      for (const row of sb.dataverse.store.all('account')) sb.dataverse.store.remove('account', String(row.accountid));
      writes.clear();
      const fnoBefore = fnoWrites();
      const pageSize = [200, 300, 500][Math.floor(random() * 3)];
      // Below 1: kill when that share of pass 1 is done; above: once pass 1 is done (second pass or after).
      const share = random() * 1.2;
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-crash-initial-'));
      dirs.push(dataDir);
      fs.rmSync(log.logFile(trial), { force: true });
      child = new ChildBridge({ sandbox: sb, dataDir, logFile: log.logFile(trial), logLevel: 'info', settings: { initialMapState: 'not_running', registerWebhooks: 'false', leaseMs: 5000 } });

      let url = await child.start();
      const started = await fetch(`${url}${MAP_URL}`, {
        method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ pageSize }),
      });
      expect(started.status).toBe(202);
      const tStart = Date.now();
      const atKill = await eventually(async () => {
        const p = await progress(url);
        return p.state !== 'running' || (p.total > 0 && (share < 1 ? p.done >= share * p.total : p.done >= p.total)) ? p : null;
      }, 120_000, 2);
      // Progress moves at page commits: a random wait more, so the kill lands anywhere within a page.
      await new Promise((r) => setTimeout(r, random() * 400));
      const killAtMs = Date.now() - tStart;
      await child.kill();
      const rowsAtKill = sb.dataverse.store.all('account').length;

      url = await child.start();
      const end = await eventually(async () => { const p = await progress(url); return p.state !== 'running' ? p : null; }, 180_000, 100);
      await child.stop();

      const companies = new Map(sb.dataverse.store.all('cdm_company').map((c) => [String(c.cdm_companyid), String(c.cdm_companycode)]));
      const accounts = sb.dataverse.store.all('account');
      const byKey = new Map<string, Record<string, unknown>[]>();
      for (const a of accounts) {
        const k = `${companies.get(String(a._msdyn_company_value))}|${String(a.accountnumber)}`;
        byKey.set(k, [...(byKey.get(k) ?? []), a]);
      }
      const missing = [...orgs.keys()].filter((k) => !byKey.has(k));
      const duplicated = [...byKey].filter(([, rows]) => rows.length > 1).map(([k]) => k);
      const unexpected = [...byKey.keys()].filter((k) => !orgs.has(k));
      const wrongValues = [...orgs].filter(([k, r]) => {
        const a = byKey.get(k)?.[0];
        return a && (a.name !== r.OrganizationName || Number(a.creditlimit) !== Number(r.CreditLimit));
      }).map(([k]) => k);
      const createdTwice = [...writes.dv].filter(([, c]) => c.created > 1).map(([id]) => id);
      // Pass 2 sets InvoiceAccount once per row that has one; a replayed page may write its rows again.
      const updates = [...writes.dv.values()].reduce((n, c) => n + c.updated, 0);
      const withInvoice = [...orgs.values()].filter((r) => r.InvoiceAccount).length;
      const rewritten = Math.max(0, updates - withInvoice);
      const fnoWritten = fnoWrites() - fnoBefore;
      const unchangedWrites = [...writes.noop.values()].reduce((n, c) => n + c, 0);

      log.add({
        trial, killAtMs, killMoment: `${atKill.state}, pass 1 ${atKill.done}/${atKill.total}, ${rowsAtKill} accounts written, page ${pageSize}`,
        rows: accounts.length, missing: missing.length, duplicated: duplicated.length + createdTwice.length, ms: Date.now() - t0,
        endState: end.state, failed: end.failed, wrongValues: wrongValues.length, unexpected: unexpected.length, updates, rewritten, unchangedWrites, fnoWritten,
      });
      const problems = {
        endState: end.state, failed: end.failed, missing: missing.slice(0, 10), duplicated: duplicated.slice(0, 10), createdTwice: createdTwice.slice(0, 10),
        unexpected: unexpected.slice(0, 10), wrongValues: wrongValues.slice(0, 10), fnoWritten, rewrittenOverPage: rewritten > pageSize ? rewritten : 0,
        rewrittenWithChanges: Math.max(0, rewritten - unchangedWrites),
      };
      // A replay may write the page in flight again, but only with the values already there.
      const bad = end.state !== 'done' || end.failed > 0 || missing.length || duplicated.length || createdTwice.length || unexpected.length || wrongValues.length
        || fnoWritten || rewritten > pageSize || rewritten > unchangedWrites;
      if (bad) failures.push(`trial ${trial} (seed ${seed}, log ${log.logFile(trial)}): ${JSON.stringify(problems)}`);
    }
    expect(failures).toEqual([]);
  }, 900_000);
});
