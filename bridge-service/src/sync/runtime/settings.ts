// The sync engine's settings: environment variables, validated once at start (bad values stop the
// start with a message naming the variable).
import { z } from 'zod';
import { isLoopbackHost } from '../../config';

const int = (what: string, min: number, max: number) =>
  z.coerce.number({ error: `an integer (${what})` }).int(`an integer (${what})`).min(min, `at least ${min} (${what})`).max(max, `at most ${max} (${what})`);

export const EngineEnv = z.object({
  SYNC_MAPS: z.string().min(1).default('all'),
  SYNC_WORKER: z.enum(['on', 'off']).default('on'),
  SYNC_CONCURRENCY: int('jobs applied at once by this instance', 1, 64).default(16),
  SYNC_POLL_MS: int('how often the worker looks for work of other instances', 10, 60_000).default(1000),
  SYNC_LEASE_SECONDS: int('how long a claimed job stays with its worker without a heartbeat', 5, 3600).default(30),
  SYNC_SWEEP_SECONDS: int('reconciliation sweep interval, 0 = off', 0, 86_400).default(300),
  SYNC_ALERT_ERRORS: int('errors that pause a map, 0 = never', 0, 1_000_000).default(50),
  SYNC_ALERT_WINDOW_MINUTES: int('window of the alert rule', 1, 10_080).default(10),
  SYNC_LOOKUP_ATTEMPTS: int('retries of a record whose related row is missing', 1, 100).default(8),
  SYNC_EVENT_RETENTION_DAYS: int('days a change event of a finished record is kept (redeliveries within it are recognised)', 1, 365).default(7),
  SYNC_INITIAL_MAP_STATE: z.enum(['running', 'not_running']).default('running'),
  SYNC_REGISTER_WEBHOOKS: z.enum(['auto', 'true', 'false']).default('auto'),
  SYNC_INITIAL_SYNC_ON_START: z.enum(['true', 'false']).default('false'),
  // Dataverse and F&O send the webhook secret to this address: https, except on this machine (the local sandbox).
  BRIDGE_PUBLIC_URL: z.url().refine((u) => {
    const { protocol, hostname } = new URL(u);
    return protocol === 'https:' || (protocol === 'http:' && isLoopbackHost(hostname));
  }, 'an https URL (Dataverse and F&O send the webhook secret to it; plain http only for a bridge on this machine, such as 127.0.0.1)').optional(),
});

export interface EngineSettings {
  maps: 'all' | string[];
  worker: boolean;
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  sweepMs: number;
  alertErrors: number;
  alertWindowMs: number;
  lookupAttempts: number;
  /** How long events of finished records are kept. */
  eventRetentionMs: number;
  initialMapState: 'running' | 'not_running';
  /** 'auto': register when F&O and Dataverse are on a loopback address (the embedded sandbox). */
  registerWebhooks: 'auto' | 'true' | 'false';
  /** Run the initial sync of every map that never had one, in dependency order, when the app starts. */
  initialSyncOnStart: boolean;
  /** Where F&O and Dataverse reach the bridge; default: the address it listens on. */
  publicUrl?: string;
  backoffBaseMs?: number;
  backoffCapMs?: number;
}

export function loadEngineSettings(env: NodeJS.ProcessEnv = process.env, overrides: Partial<EngineSettings> = {}): EngineSettings {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== undefined && v !== '' && (k.startsWith('SYNC_') || k === 'BRIDGE_PUBLIC_URL')));
  const r = EngineEnv.safeParse(cleaned);
  if (!r.success) {
    throw new Error(`Invalid sync engine configuration:\n${r.error.issues.map((i) => `  - ${i.path.join('.')}: expected ${i.message}`).join('\n')}`);
  }
  const e = r.data;
  return {
    maps: e.SYNC_MAPS === 'all' ? 'all' : e.SYNC_MAPS.split(',').map((s) => s.trim()).filter(Boolean),
    worker: e.SYNC_WORKER === 'on',
    concurrency: e.SYNC_CONCURRENCY,
    pollMs: e.SYNC_POLL_MS,
    leaseMs: e.SYNC_LEASE_SECONDS * 1000,
    sweepMs: e.SYNC_SWEEP_SECONDS * 1000,
    alertErrors: e.SYNC_ALERT_ERRORS,
    alertWindowMs: e.SYNC_ALERT_WINDOW_MINUTES * 60_000,
    lookupAttempts: e.SYNC_LOOKUP_ATTEMPTS,
    eventRetentionMs: e.SYNC_EVENT_RETENTION_DAYS * 86_400_000,
    initialMapState: e.SYNC_INITIAL_MAP_STATE,
    registerWebhooks: e.SYNC_REGISTER_WEBHOOKS,
    initialSyncOnStart: e.SYNC_INITIAL_SYNC_ON_START === 'true',
    publicUrl: e.BRIDGE_PUBLIC_URL?.replace(/\/+$/, ''),
    ...overrides,
  };
}
