// What every crash trial shares: a seeded random source (the seed is printed, CRASH_SEED=<n> repeats the
// choices of a run), per-trial results written to test/artifacts/reliability/<suite>.json for
// RELIABILITY.md, and one summary line per trial.
import fs from 'node:fs';
import path from 'node:path';

export const ARTIFACTS = new URL('../../artifacts/reliability/', import.meta.url).pathname;

/** mulberry32: small, fast, good enough to pick kill moments and records. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function trialSeed(): number {
  const fromEnv = Number(process.env.CRASH_SEED);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.floor(Math.random() * 2 ** 31) + 1;
}

export interface TrialResult {
  trial: number;
  /** When the bridge was killed: milliseconds into the trial and what it had done by then (none in load tests). */
  killAtMs?: number;
  killMoment?: string;
  rows: number;
  missing: number;
  duplicated: number;
  ms: number;
  [extra: string]: unknown;
}

export class TrialLog {
  readonly results: TrialResult[] = [];
  constructor(readonly suite: string, readonly seed: number, readonly settings: Record<string, unknown>) {
    fs.mkdirSync(path.join(ARTIFACTS, 'logs'), { recursive: true });
    if (seed) console.log(`${suite}: seed ${seed} (repeat with CRASH_SEED=${seed})`);
  }

  logFile(trial: number): string {
    return path.join(ARTIFACTS, 'logs', `${this.suite}-trial-${trial}.log`);
  }

  add(r: TrialResult): void {
    this.results.push(r);
    const extra = Object.entries(r).filter(([k]) => !['trial', 'killAtMs', 'killMoment', 'rows', 'missing', 'duplicated', 'ms'].includes(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
    const kill = r.killMoment === undefined ? '' : ` killed at ${r.killAtMs} ms (${r.killMoment}),`;
    console.log(`${this.suite} trial ${r.trial}:${kill} ${r.rows} rows, ${r.missing} missing, ${r.duplicated} duplicated, ${r.ms} ms${extra ? ` ${extra}` : ''}`);
    this.write();
  }

  write(): void {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, `${this.suite}.json`), `${JSON.stringify({
      suite: this.suite, seed: this.seed, at: new Date().toISOString(), settings: this.settings, trials: this.results,
    }, null, 1)}\n`);
  }
}
