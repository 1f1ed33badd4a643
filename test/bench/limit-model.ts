// Pure: the rate the sandbox's service protection allows an initial sync, from its limit model, and the shares the
// bench reports against it (issue 20). The model is the sandbox's (sandbox/src/http/service-protection.ts), which
// counts per user (the token's oid), on F&O and Dataverse alike:
//   - requests per window: every HTTP request is one, a $batch is ONE request whatever it holds (the sandbox
//     admits the $batch, not its parts);
//   - execution time per window: the wall time of each admitted request, admission to answer, summed;
//   - concurrency: at most maxConcurrent admitted requests in flight.
// A run's cost per side is measured (the sandbox's per-caller stats: requests admitted, execution ms), so the
// allowed rate is "records per second if the bridge spent the whole budget of every user at the same cost per
// record". F&O counts one user whatever EXTRA_CLIENT_IDS says (the bridge sends F&O requests as its primary user);
// Dataverse counts each application user the bridge spreads its bulk writes over.

export interface Limits { windowSeconds: number; maxRequests: number; maxConcurrent: number; maxExecutionSeconds: number }

/** What one side's calls cost over a run: admitted requests and their execution time (ms), for `records` synced. */
export interface SideCost { requests: number; executionMs: number }

export interface SideBound {
  /** Records/s each limit allows (all users of the side together); null when the side made no requests. */
  byRequests: number | null;
  byExecution: number | null;
  byConcurrency: number | null;
  /** The tightest of the three. */
  perSec: number | null;
  users: number;
}

export interface AllowedRate {
  fno: SideBound;
  dataverse: SideBound;
  /** The tighter side; null when neither side bounds it. */
  perSec: number | null;
  binding: string;
}

/**
 * Limits with the window and the two per-window budgets divided by `factor`: the allowed RATE (requests/s,
 * execution s/s) is unchanged, a run just meets the window `factor` times sooner. Concurrency is not a rate: kept.
 */
export function scaleLimits(l: Limits, factor: number): Limits {
  if (!(factor >= 1)) throw new Error(`scale factor must be >= 1, got ${factor}`);
  return { windowSeconds: l.windowSeconds / factor, maxRequests: Math.round(l.maxRequests / factor), maxConcurrent: l.maxConcurrent, maxExecutionSeconds: l.maxExecutionSeconds / factor };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Records/s the limits allow one side with `users` users, at the measured cost per record. */
export function sideBound(l: Limits, users: number, cost: SideCost, records: number): SideBound {
  if (cost.requests <= 0 || records <= 0) return { byRequests: null, byExecution: null, byConcurrency: null, perSec: null, users };
  const recordsPerRequest = records / cost.requests;
  const byRequests = users * (l.maxRequests / l.windowSeconds) * recordsPerRequest;
  const execSecPerRecord = cost.executionMs / 1000 / records;
  const byExecution = execSecPerRecord > 0 ? users * (l.maxExecutionSeconds / l.windowSeconds) / execSecPerRecord : null;
  // At most maxConcurrent requests in flight, each lasting its mean execution time (Little's law).
  const meanExecSec = cost.executionMs / 1000 / cost.requests;
  const byConcurrency = meanExecSec > 0 ? users * (l.maxConcurrent / meanExecSec) * recordsPerRequest : null;
  const bounds = [byRequests, byExecution, byConcurrency].filter((n): n is number => n !== null);
  return { byRequests: round1(byRequests), byExecution: byExecution === null ? null : round1(byExecution), byConcurrency: byConcurrency === null ? null : round1(byConcurrency), perSec: round1(Math.min(...bounds)), users };
}

/** The initial sync's allowed rate: the tighter of the two sides. */
export function allowedRate(l: Limits, o: { dataverseUsers: number; records: number; fno: SideCost; dataverse: SideCost }): AllowedRate {
  const fno = sideBound(l, 1, o.fno, o.records);
  const dataverse = sideBound(l, o.dataverseUsers, o.dataverse, o.records);
  const sides = ([['fno', fno], ['dataverse', dataverse]] as const).filter(([, b]) => b.perSec !== null);
  if (!sides.length) return { fno, dataverse, perSec: null, binding: 'none' };
  const [side, b] = sides.reduce((a, x) => (x[1].perSec! < a[1].perSec! ? x : a));
  const which = b.perSec === b.byRequests ? 'requests' : b.perSec === b.byExecution ? 'execution time' : 'concurrency';
  return { fno, dataverse, perSec: b.perSec, binding: `${side} ${which}` };
}

/** One line that shows the model beside the figure. */
export function describeAllowed(l: Limits, a: AllowedRate): string {
  const side = (name: string, b: SideBound) => `${name} (${b.users} user${b.users === 1 ? '' : 's'}): requests ${b.byRequests ?? '-'}/s, execution ${b.byExecution ?? '-'}/s, concurrency ${b.byConcurrency ?? '-'}/s`;
  return `limits per user ${l.maxRequests} requests and ${l.maxExecutionSeconds} s execution per ${l.windowSeconds} s, ${l.maxConcurrent} concurrent ($batch = 1 request); allowed records/s: ${side('F&O', a.fno)}; ${side('Dataverse', a.dataverse)}; bound ${a.perSec ?? '-'}/s by ${a.binding}`;
}
