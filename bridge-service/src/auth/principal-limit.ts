// The per-user request budget: counted after the token is verified, so a caller cannot mint fresh budgets by
// sending new strings (unverified requests count only against their client address, see http/plugins/hardening.ts).
// A fixed window per principal, in memory (per instance, as the address limit is).

export interface PrincipalLimit {
  /** Counts one request; returns the seconds to wait when the principal is over its budget, else null. */
  hit(oid: string, now?: number): number | null;
}

export function createPrincipalLimit(max: number, windowMs: number): PrincipalLimit {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;
  return {
    hit(oid, now = Date.now()) {
      if (now - lastSweep > windowMs) {
        for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k);
        lastSweep = now;
      }
      let w = windows.get(oid);
      if (!w || now - w.start >= windowMs) {
        w = { start: now, count: 0 };
        windows.set(oid, w);
      }
      w.count++;
      return w.count > max ? Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)) : null;
    },
  };
}
