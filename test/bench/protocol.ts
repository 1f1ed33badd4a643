// What the benchmark's child processes print and take: ready lines, result lines, job shapes. Kept apart
// from the children's entry files, which start their work when loaded.
import type { DirectPlan } from './direct-read';
import type { LatencySummary } from './stats';

export const SANDBOX_READY = 'BENCH_SANDBOX_READY';
export const LOAD_RESULT = 'BENCH_LOAD_RESULT';

export interface SandboxUrls {
  fno: string;
  dataverse: string;
  issuer: string;
  tokenEndpoint: string;
  customers: number;
  organisations: number;
  startMs: number;
  /** The sandbox process's request recorder (request-spans.ts). */
  spans?: string;
}

export type LoadJob =
  | { kind: 'autocannon'; url: string; paths: string[]; headers: Record<string, string>; connections: number; seconds: number }
  | { kind: 'direct'; fnoUrl: string; dataverseUrl: string; fnoToken: string; dvToken: string; plans: DirectPlan[]; connections: number; seconds: number }
  /** Open loop at a fixed rate, below saturation, with the same HTTP client either way: what the bridge adds per request. */
  | { kind: 'paced'; rate: number; seconds: number; bridge?: { url: string; paths: string[]; headers: Record<string, string> };
      direct?: { fnoUrl: string; dataverseUrl: string; fnoToken: string; dvToken: string; plans: DirectPlan[] } };

export interface LoadResult {
  requests: number;
  rps: number;
  errors: number;
  non2xx: number;
  latencyMs: Pick<LatencySummary, 'mean' | 'p50' | 'p99' | 'max'> & { p95?: number; p90?: number };
}
