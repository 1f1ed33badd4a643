// Several application users toward one service. Dataverse counts its service protection limits (6,000 requests
// and 1,200 s of execution time per 5 minutes, 52 concurrent) per user, so bulk work spread over N application
// users gets N budgets. Each user is a whole HttpService: its own token, connection pool, adaptive concurrency
// limit and Retry-After wait, so a 429 slows the user it was sent to and no other. The pool sends each request to
// the least busy user that the service has not asked to wait; requests a user waits for (the finance panel) stay
// on the primary user, whose budget the bulk work then shares with the others.
import type { HttpRequest, HttpResponse, HttpService } from './http';

export interface UserLoad { inFlight: number; limit: number; throttledUntil: number }

/**
 * Which user takes the next request: among those not waiting out a Retry-After, the one with the fewest requests
 * in flight or waiting for each request its adaptive limit allows now; ties go round the pool from `start`, so
 * an idle pool deals requests out in turn. When every user is waiting, the one free soonest.
 */
export function chooseUser(loads: readonly UserLoad[], now: number, start = 0): number {
  const n = loads.length;
  let best = -1;
  let bestScore = Infinity;
  for (let k = 0; k < n; k++) {
    const i = (start + k) % n;
    const l = loads[i];
    if (l.throttledUntil > now) continue;
    const score = l.inFlight / Math.max(1, l.limit);
    if (score < bestScore) { best = i; bestScore = score; }
  }
  if (best >= 0) return best;
  let soonest = 0;
  for (let i = 1; i < n; i++) if (loads[i].throttledUntil < loads[soonest].throttledUntil) soonest = i;
  return soonest;
}

const IDLE: UserLoad = { inFlight: 0, limit: 1, throttledUntil: 0 };

export interface UserPool extends HttpService {
  /** The services of the users, the primary first. */
  readonly users: readonly HttpService[];
  /** How many requests each user was given, in the order of `users`. */
  sent(): number[];
}

/**
 * One HttpService over several users of the same service (same base URL). `users[0]` is the primary: its
 * `interactive()` view is the pool's, so a user's request never waits behind bulk work on another user.
 */
export function createUserPool(users: readonly HttpService[], now: () => number = Date.now): UserPool {
  if (users.length === 0) throw new Error('a user pool needs at least one user');
  const counts = users.map(() => 0);
  let turn = 0;
  const pick = (): number => {
    if (users.length === 1) return 0;
    const i = chooseUser(users.map((u) => u.load?.() ?? IDLE), now(), turn);
    turn = (i + 1) % users.length;
    return i;
  };
  const primary = users[0];
  return {
    name: primary.name,
    baseUrl: primary.baseUrl,
    users,
    sent: () => [...counts],
    request(req: HttpRequest): Promise<HttpResponse> {
      if (req.interactive) return primary.request(req);
      const i = pick();
      counts[i]++;
      return users[i].request(req);
    },
    interactive: () => primary.interactive(),
    load: () => {
      const loads = users.map((u) => u.load?.() ?? IDLE);
      return {
        inFlight: loads.reduce((a, l) => a + l.inFlight, 0),
        limit: loads.reduce((a, l) => a + l.limit, 0),
        throttledUntil: Math.min(...loads.map((l) => l.throttledUntil)),
      };
    },
    async close() {
      await Promise.all(users.map((u) => u.close()));
    },
  };
}
