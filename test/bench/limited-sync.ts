// Issue 20, figure 2: the initial sync at the sandbox's REAL service-protection limits (its defaults, Microsoft's
// published numbers: 6,000 requests and 1,200 s of execution per 5 minutes per user, 52 concurrent), with 1 and 3
// application users, as a share of the rate those limits allow (limit-model.ts). The bench's sandbox otherwise runs
// with the per-window budgets lifted; for this phase both services get the defaults back, with the window and both
// budgets divided by the same factor (scaleLimits: the allowed rate is the same, a quick run just spans several
// windows instead of a fraction of one). The sandbox takes limits as options and at run time (F&O: POST
// /_sandbox/limits, Dataverse: POST /_sandbox/faults {serviceProtection}), both undone by its reset.
// The cost per record each side's limits are applied to is what the sandbox counted for this run (GET
// /_sandbox/stats, per caller: requests admitted, refused, and their execution ms).
import { BRIDGE_APP_OID, EXTRA_BRIDGE_CLIENTS, sandboxEnv } from '@finops-bridge/sandbox';
import { DEFAULT_LIMITS } from '../../sandbox/src/http/service-protection';
import { expectStatus } from './http';
import { shareOf } from './stats';
import { allowedRate, describeAllowed, scaleLimits, type AllowedRate, type Limits, type SideCost } from './limit-model';
import { resetSandbox, runInitialSync, startBridgeProc, waitRegistered, type InitialSyncResult, type SandboxProc } from './world';

type Callers = Record<string, { admitted: number; throttled: number; executionMs?: number }>;

export interface LimitedRun {
  users: number;
  initialSync: InitialSyncResult;
  /** Per side over the run, all the bridge's users together. */
  fno: SideCost & { throttled: number };
  dataverse: SideCost & { throttled: number; perUser: number[] };
  allowed: AllowedRate;
  share: number | null;
}

export interface LimitedResult { scale: number; limits: Limits; runs: LimitedRun[] }

/** Pure: the cost of a run on one side from the sandbox's per-caller stats, over the given callers (oids). */
export function costOf(callers: Callers, oids: readonly string[]): SideCost & { throttled: number; perUser: number[] } {
  const rows = oids.map((o) => callers[o] ?? { admitted: 0, throttled: 0, executionMs: 0 });
  return {
    requests: rows.reduce((n, r) => n + r.admitted, 0),
    executionMs: Math.round(rows.reduce((n, r) => n + (r.executionMs ?? 0), 0)),
    throttled: rows.reduce((n, r) => n + r.throttled, 0),
    perUser: rows.map((r) => r.admitted),
  };
}

export async function runLimitedPhase(sb: SandboxProc, logDir: string, o: { users: number[]; scale: number; timeoutMs: number; log: (s: string) => void }): Promise<LimitedResult> {
  const limits = scaleLimits(DEFAULT_LIMITS, o.scale);
  const out: LimitedResult = { scale: o.scale, limits, runs: [] };
  for (const users of o.users) {
    await resetSandbox(sb);
    await expectStatus({ method: 'POST', url: `${sb.urls.fno}/_sandbox/limits`, body: limits });
    await expectStatus({ method: 'POST', url: `${sb.urls.dataverse}/_sandbox/faults`, body: { serviceProtection: limits } });
    const env = sandboxEnv(sb.urls, { extraUsers: users - 1 });
    const extra = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('EXTRA_CLIENT_')));
    const bridge = await startBridgeProc(sb, { name: `bridge-limited-${users}`, logDir, env: extra });
    try {
      if (!(await waitRegistered(sb, bridge.url))) throw new Error(`${users} users: the bridge did not register its webhooks within 60 s`);
      o.log(`  ${users} application user(s): initial sync at ${limits.maxRequests} requests and ${limits.maxExecutionSeconds} s per ${limits.windowSeconds} s per user`);
      const is = await runInitialSync(sb, bridge.url, o.timeoutMs);
      const fnoStats = (await expectStatus<{ callers: Callers }>({ url: `${sb.urls.fno}/_sandbox/stats` })).body.callers;
      const dvStats = (await expectStatus<{ callers: Callers }>({ url: `${sb.urls.dataverse}/_sandbox/stats` })).body.callers;
      const oids = [BRIDGE_APP_OID, ...EXTRA_BRIDGE_CLIENTS.slice(0, users - 1).map((c) => c.oid)];
      const fno = costOf(fnoStats, [BRIDGE_APP_OID]);
      const dataverse = costOf(dvStats, oids);
      const allowed = allowedRate(limits, { dataverseUsers: users, records: is.records, fno, dataverse });
      const run: LimitedRun = { users, initialSync: is, fno: { requests: fno.requests, executionMs: fno.executionMs, throttled: fno.throttled }, dataverse, allowed, share: shareOf(is.perSec, allowed.perSec) };
      out.runs.push(run);
      o.log(`    ${is.records} records at ${is.perSec}/s (state ${is.state}); allowed ${allowed.perSec}/s by ${allowed.binding}; share ${run.share}`);
    } finally {
      await bridge.child.stop();
    }
  }
  await resetSandbox(sb); // back to the bench's lifted limits
  return out;
}

export function formatLimited(l: LimitedResult): string[] {
  const lines = [`initial sync at the real limits (window and budgets scaled by 1/${l.scale}: same allowed rate):`];
  for (const r of l.runs) {
    const is = r.initialSync;
    lines.push(`  ${r.users} user(s): ${is.records} records in ${(is.ms / 1000).toFixed(1)} s = ${is.perSec}/s, state ${is.state}; F&O ${r.fno.requests} requests (${r.fno.throttled} refused) ${(r.fno.executionMs / 1000).toFixed(1)} s execution; Dataverse ${r.dataverse.requests} requests [${r.dataverse.perUser.join(', ')} per user] (${r.dataverse.throttled} refused) ${(r.dataverse.executionMs / 1000).toFixed(1)} s execution; share of allowed ${r.share ?? '-'}`);
    lines.push(`    ${describeAllowed(l.limits, r.allowed)}`);
  }
  return lines;
}
