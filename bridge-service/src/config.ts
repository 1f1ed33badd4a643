// The bridge's whole configuration: environment variables, validated once at start by one zod schema
// (the sync engine's SYNC_* settings included).
// A bad or missing value stops the start with a message naming the variable and what it expects.
import { z } from 'zod';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { blockedPortReason } from './ports';
import { CertificateError, parseClientCertificate } from './clients/certificate';
import type { OutboundCredential } from './clients/credentials';
import { managedIdentitySource } from './clients/managed-identity';

const csv = (what: string) =>
  z
    .string({ error: `a comma-separated list of ${what}` })
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const url = (what: string) => z.url({ error: `an http(s) URL of ${what}` }).transform((s) => s.replace(/\/+$/, ''));
const int = (what: string, min: number, max: number) =>
  z.coerce.number({ error: `an integer (${what})` }).int(`an integer (${what})`).min(min, `at least ${min} (${what})`).max(max, `at most ${max} (${what})`);

const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'one of fatal, error, warn, info, debug, trace, silent' });

/** The sync engine's part of the environment (read again by loadEngineSettings, so tests can pass their own). */
export const SyncEnv = z.object({
  SYNC_MAPS: z.string().min(1).default('all'),
  SYNC_MAPS_FILE: z.string().min(1).optional(),
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

/** Notification rules and their webhooks (ALERT_*): see docs/admin-guide.md, "Alerts". */
const webhookUrls = (what: string) => csv(what).refine((urls) => urls.every((u) => {
  try {
    const { protocol, hostname } = new URL(u);
    return protocol === 'https:' || (protocol === 'http:' && isLoopbackHost(hostname));
  } catch {
    return false;
  }
}), `https URLs of ${what} (they carry a secret; plain http only on this machine, such as 127.0.0.1)`);

export const AlertEnv = z.object({
  ALERT_WEBHOOK_URLS: webhookUrls('webhooks that receive each notification as JSON').optional(),
  ALERT_TEAMS_WEBHOOK_URLS: webhookUrls('Microsoft Teams incoming webhooks (or Workflows webhooks) that receive each notification as an Adaptive Card').optional(),
  ALERT_CHECK_SECONDS: int('seconds between checks of the notification rules and deliveries of new notifications', 1, 3600).default(30),
  ALERT_ERRORS: int('failures of one map within ALERT_ERRORS_WINDOW_MINUTES that notify, 0 = never', 0, 1_000_000).default(20),
  ALERT_ERRORS_WINDOW_MINUTES: int('window of the errors rule', 1, 10_080).default(15),
  ALERT_LAG_SECONDS: int('age of the oldest waiting change of a running map that notifies, 0 = never', 0, 604_800).default(900),
  ALERT_EXPIRY_DAYS: int('days before the certificate or secret expires that notify, 0 = never', 0, 365).default(14),
  ALERT_WEBHOOK_ATTEMPTS: int('tries of one delivery before it is given up', 1, 50).default(8),
  CLIENT_SECRET_EXPIRES_ON: z.iso.date({ error: 'the date the client secret expires, YYYY-MM-DD (as the app registration shows it)' }).optional(),
});

export const EnvSchema = z.object({
  PORT: int('TCP port to listen on', 0, 65535).default(4000).refine((p) => !blockedPortReason(p), { error: (i) => blockedPortReason(Number(i.input)) ?? 'a usable port' }),
  HOST: z.string().min(1).default('127.0.0.1'),
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d+|[\d.:/a-fA-F, ]+)$/, 'true, false, a hop count, or a comma-separated list of proxy addresses/CIDRs (as Fastify trustProxy)')
    .default('false'),
  METRICS_TOKEN: z.string().min(16, 'a bearer token of at least 16 characters that Prometheus sends to /metrics').optional(),
  DEPENDENCY_CHECK_SECONDS: int('seconds between the background checks of F&O and Dataverse reported by /ready', 1, 3600).default(30),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// connection string (leave unset for the embedded SQLite file)')
    .optional(),
  FNO_URL: url('the F&O environment, e.g. https://contoso.operations.dynamics.com').optional(),
  DATAVERSE_URL: url('the Dataverse environment, e.g. https://contoso.crm4.dynamics.com').optional(),
  AUTH_ISSUERS: csv('accepted token issuers (iss), e.g. https://login.microsoftonline.com/<tenant>/v2.0').optional(),
  AUTH_TENANT_IDS: csv('accepted tenant ids (tid)').optional(),
  AUTH_AUDIENCES: csv('accepted audiences: the API client id (v2) and app ID URI (v1)').optional(),
  AUTH_DISCOVERY_URL: url('the OpenID configuration document; default: first issuer + /.well-known/openid-configuration').optional(),
  AUTH_CLOCK_SKEW_SECONDS: int('seconds of clock skew tolerated on exp/nbf', 0, 600).default(60),
  CLIENT_CREDENTIAL: z
    .enum(['secret', 'certificate', 'managed-identity'], { error: 'one of secret, certificate, managed-identity (unset: certificate when CLIENT_CERTIFICATE_PATH is set, else secret)' })
    .optional(),
  CLIENT_ID: z.string().min(1, 'the client id of the bridge app registration (with a managed identity: of the user-assigned identity)').optional(),
  CLIENT_SECRET: z.string().min(1, 'the client secret of the bridge app registration').optional(),
  CLIENT_CERTIFICATE_PATH: z.string().min(1, 'the path of a PEM file with the certificate and its private key').optional(),
  CLIENT_CERTIFICATE_PASSWORD: z.string().min(1, 'the password of the encrypted private key in CLIENT_CERTIFICATE_PATH').optional(),
  TOKEN_URL: url('the token endpoint, e.g. https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token').optional(),
  // More application users toward Dataverse (service protection limits count per user): the n-th id goes with the n-th secret.
  EXTRA_CLIENT_IDS: csv('client ids of further app registrations, each an application user in Dataverse').optional(),
  EXTRA_CLIENT_SECRETS: csv('client secrets of the apps in EXTRA_CLIENT_IDS, in the same order').optional(),
  // Set by Azure App Service, Functions and Container Apps when a managed identity is on (never set them by hand there).
  IDENTITY_ENDPOINT: url('the managed identity endpoint that App Service / Container Apps set').optional(),
  IDENTITY_HEADER: z.string().min(1, 'the X-IDENTITY-HEADER value that App Service / Container Apps set').optional(),
  // The Azure SDKs' override of the instance metadata service address (IMDS, http://169.254.169.254 on Azure VMs).
  AZURE_POD_IDENTITY_AUTHORITY_HOST: url('the address of the instance metadata service (default http://169.254.169.254)').optional(),
  DATAVERSE_WEBHOOK_SECRET: z.string().min(16, 'a secret of at least 16 characters').optional(),
  CORS_ORIGINS: csv('allowed browser origins; * wildcards allowed, e.g. https://*.crm4.dynamics.com').default(
    ['https://*.dynamics.com'],
  ),
  LOG_LEVEL: LogLevel.default('info'),
  RATE_LIMIT_MAX: int('requests per signed-in user per window', 1, 1_000_000).default(300),
  RATE_LIMIT_ADDRESS_MAX: int('requests per client address per window, signed in or not (users behind one proxy share it)', 1, 10_000_000).default(3000),
  RATE_LIMIT_WINDOW_MS: int('rate limit window in milliseconds', 1000, 3_600_000).default(60_000),
  BODY_LIMIT_BYTES: int('largest accepted request body', 1024, 10_485_760).default(65_536),
  HTTP_TIMEOUT_MS: int('timeout of one outbound request', 100, 300_000).default(30_000),
  HTTP_RETRIES: int('retries of one outbound request', 0, 10).default(3),
  FNO_CONCURRENCY: int('parallel requests to F&O (service limit is 52)', 1, 48).default(16),
  DATAVERSE_CONCURRENCY: int('parallel requests to Dataverse (service limit is 52)', 1, 48).default(16),
  CACHE_MAX_AGE_SECONDS: int('Cache-Control max-age of finance summaries', 0, 3600).default(30),
  IDEMPOTENCY_TTL_HOURS: int('how long Idempotency-Keys are remembered', 1, 24 * 30).default(24),
  HOUSEKEEPING_MINUTES: int('how often expired keys and old change events are removed', 1, 24 * 60).default(60),
}).extend(SyncEnv.shape).extend(AlertEnv.shape);

export interface BridgeConfig {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string, or undefined for the SQLite file `<dataDir>/bridge.sqlite`. */
  databaseUrl?: string;
  /** Fastify's trustProxy: false, true, a hop count or proxy addresses (App Service and containers sit behind one). */
  trustProxy: boolean | number | string;
  /** Bearer token Prometheus sends to /metrics; without it /metrics is not served. */
  metricsToken?: string;
  dependencyCheckMs: number;
  fnoUrl: string;
  dataverseUrl: string;
  auth: { issuers: string[]; tenantIds: string[]; audiences: string[]; discoveryUrl: string; clockSkewSeconds: number };
  outbound: {
    /** The credential tokens for F&O and Dataverse come from (CLIENT_CREDENTIAL and its variables). */
    credential: OutboundCredential;
    /** CLIENT_ID: the app registration, or the user-assigned managed identity; unset for a system-assigned identity. */
    clientId?: string;
    /** Only with the secret credential (kept here so tests can check it never reaches a log). */
    clientSecret?: string;
    /**
     * Further application users (EXTRA_CLIENT_IDS, EXTRA_CLIENT_SECRETS): Dataverse counts its service protection
     * limits per user, so the bulk writes are spread over the primary credential and these. Empty: one user.
     */
    extraCredentials: OutboundCredential[];
    timeoutMs: number; retries: number; fnoConcurrency: number; dataverseConcurrency: number;
  };
  webhookSecret?: string;
  corsOrigins: string[];
  logLevel: z.infer<typeof LogLevel>;
  /** max: per verified user; addressMax: per client address, before any token is looked at. */
  rateLimit: { max: number; addressMax: number; windowMs: number };
  bodyLimit: number;
  cacheMaxAgeSeconds: number;
  idempotencyTtlHours: number;
  housekeepingMs: number;
  alerts: AlertSettings;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration, the bridge cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee bridge-service/.env.example.`);
    this.name = 'ConfigError';
  }
}

const REQUIRED = ['FNO_URL', 'DATAVERSE_URL', 'AUTH_ISSUERS', 'AUTH_TENANT_IDS', 'AUTH_AUDIENCES'] as const;

/** Reads and validates the configuration; every problem is named in one ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): BridgeConfig {
  // Empty strings count as unset (a blank line in .env must not mean "empty URL").
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: expected ${i.message}`));
  }
  const e = parsed.data;
  const problems = REQUIRED.filter((k) => e[k] === undefined).map((k) => `${k}: missing`);
  const credential = outboundCredential(e, problems);
  const extraCredentials = extraUsers(e, problems);
  if (problems.length > 0 || !credential) {
    const hint = problems.some((p) => p.includes(': missing'))
      ? ['For a local demo against the sandbox, run `npm start` in a clone of the repository: it starts the sandbox and sets these.'] : [];
    throw new ConfigError([...problems, ...hint]);
  }
  const issuers = e.AUTH_ISSUERS!;
  return finish(e, {
    fnoUrl: e.FNO_URL!,
    dataverseUrl: e.DATAVERSE_URL!,
    issuers,
    tenantIds: e.AUTH_TENANT_IDS!,
    audiences: e.AUTH_AUDIENCES!,
    discoveryUrl: e.AUTH_DISCOVERY_URL ?? `${issuers[0].replace(/\/+$/, '')}/.well-known/openid-configuration`,
    credential,
    extraCredentials,
  });
}

const CHOOSE = 'set CLIENT_SECRET, or CLIENT_CERTIFICATE_PATH for a certificate, or CLIENT_CREDENTIAL=managed-identity on Azure';

/**
 * The one credential toward F&O and Dataverse. Chosen by CLIENT_CREDENTIAL, or by which of CLIENT_SECRET and
 * CLIENT_CERTIFICATE_PATH is set; a variable of another credential is refused rather than silently ignored (an
 * admin moving to a managed identity must not keep a forgotten secret). Problems are appended to `problems`.
 */
function outboundCredential(e: Env, problems: string[]): OutboundCredential | undefined {
  const kind = e.CLIENT_CREDENTIAL ?? (e.CLIENT_CERTIFICATE_PATH ? 'certificate' : 'secret');
  const before = problems.length;
  const refuse = (k: keyof Env, why: string) => { if (e[k] !== undefined) problems.push(`${k}: set, but ${why}`); };
  const need = (k: keyof Env, why = '') => { if (e[k] === undefined) problems.push(`${k}: missing${why}`); };
  if (kind === 'secret') {
    refuse('CLIENT_CERTIFICATE_PATH', 'CLIENT_CREDENTIAL is secret: remove one of CLIENT_SECRET and CLIENT_CERTIFICATE_PATH');
    need('CLIENT_ID');
    need('CLIENT_SECRET', e.CLIENT_CREDENTIAL ? '' : ` (${CHOOSE})`);
    need('TOKEN_URL');
  } else if (kind === 'certificate') {
    refuse('CLIENT_SECRET', 'the credential is a certificate: remove CLIENT_SECRET (or CLIENT_CERTIFICATE_PATH to use the secret)');
    need('CLIENT_ID');
    need('CLIENT_CERTIFICATE_PATH', ' (CLIENT_CREDENTIAL is certificate)');
    need('TOKEN_URL');
  } else {
    for (const k of ['CLIENT_SECRET', 'CLIENT_CERTIFICATE_PATH', 'CLIENT_CERTIFICATE_PASSWORD', 'TOKEN_URL'] as const) {
      refuse(k, 'CLIENT_CREDENTIAL is managed-identity, which needs no secret, certificate or token endpoint: remove it');
    }
    if (e.IDENTITY_ENDPOINT && !e.IDENTITY_HEADER) problems.push('IDENTITY_HEADER: missing (IDENTITY_ENDPOINT is set; App Service and Container Apps set both)');
  }
  if (problems.length > before) return undefined;
  if (kind === 'secret') return { kind, clientId: e.CLIENT_ID!, tokenUrl: e.TOKEN_URL!, clientSecret: e.CLIENT_SECRET! };
  if (kind === 'managed-identity') {
    return { kind, clientId: e.CLIENT_ID, source: managedIdentitySource({ IDENTITY_ENDPOINT: e.IDENTITY_ENDPOINT, IDENTITY_HEADER: e.IDENTITY_HEADER, imdsHost: e.AZURE_POD_IDENTITY_AUTHORITY_HOST }) };
  }
  const file = e.CLIENT_CERTIFICATE_PATH!;
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (err) {
    problems.push(`CLIENT_CERTIFICATE_PATH: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    return undefined;
  }
  try {
    const certificate = parseClientCertificate(content, e.CLIENT_CERTIFICATE_PASSWORD);
    if (certificate.notAfter.getTime() <= Date.now()) {
      problems.push(`CLIENT_CERTIFICATE_PATH: the certificate ${certificate.thumbprint} expired on ${certificate.notAfter.toISOString()}: upload a new one to the app registration and point CLIENT_CERTIFICATE_PATH at it`);
      return undefined;
    }
    return { kind, clientId: e.CLIENT_ID!, tokenUrl: e.TOKEN_URL!, certificate, certificatePath: file };
  } catch (err) {
    if (!(err instanceof CertificateError)) throw err;
    problems.push(`CLIENT_CERTIFICATE_PATH: ${file} ${err.message}`);
    return undefined;
  }
}

/**
 * The further application users: client secrets at the primary credential's token endpoint (same tenant). Each id
 * pairs with the secret at the same place; a count mismatch, a repeated id or the primary's own id is refused,
 * naming the place, never the secret.
 */
function extraUsers(e: Env, problems: string[]): OutboundCredential[] {
  const ids = e.EXTRA_CLIENT_IDS ?? [];
  const secrets = e.EXTRA_CLIENT_SECRETS ?? [];
  if (ids.length === 0 && secrets.length === 0) return [];
  const before = problems.length;
  if (ids.length === 0) problems.push('EXTRA_CLIENT_IDS: missing (EXTRA_CLIENT_SECRETS is set: give the client id of each extra application user, in the same order)');
  else if (secrets.length === 0) problems.push('EXTRA_CLIENT_SECRETS: missing (EXTRA_CLIENT_IDS is set: give the client secret of each, in the same order)');
  else if (ids.length !== secrets.length) {
    problems.push(`EXTRA_CLIENT_SECRETS: ${secrets.length} secret(s) for ${ids.length} client id(s) in EXTRA_CLIENT_IDS: give exactly one secret per id, in the same order, comma-separated`);
  }
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    const key = id.toLowerCase();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) problems.push(`EXTRA_CLIENT_IDS: entry ${i + 1} is not a client id (a GUID, the app registration's Application (client) ID)`);
    else if (key === e.CLIENT_ID?.toLowerCase()) problems.push(`EXTRA_CLIENT_IDS: entry ${i + 1} is CLIENT_ID itself: an extra user must be another app registration (limits count per user)`);
    else if (seen.has(key)) problems.push(`EXTRA_CLIENT_IDS: entry ${i + 1} repeats ${id}: each extra user must be another app registration`);
    seen.add(key);
  });
  if (e.CLIENT_CREDENTIAL === 'managed-identity') {
    problems.push('EXTRA_CLIENT_IDS: set, but CLIENT_CREDENTIAL is managed-identity: extra application users sign in with a client secret at TOKEN_URL, which a managed identity has none of (use the secret or certificate credential, or remove EXTRA_CLIENT_IDS and EXTRA_CLIENT_SECRETS)');
  } else if (e.TOKEN_URL === undefined) {
    problems.push('TOKEN_URL: missing (the extra application users of EXTRA_CLIENT_IDS get their tokens there)');
  }
  if (problems.length > before) return [];
  return ids.map((clientId, i) => ({ kind: 'secret' as const, clientId, tokenUrl: e.TOKEN_URL!, clientSecret: secrets[i] }));
}

type Env = z.infer<typeof EnvSchema>;
interface Resolved {
  fnoUrl: string; dataverseUrl: string; issuers: string[]; tenantIds: string[]; audiences: string[]; discoveryUrl: string;
  credential: OutboundCredential;
  extraCredentials: OutboundCredential[];
}

function finish(e: Env, r: Resolved): BridgeConfig {
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    metricsToken: e.METRICS_TOKEN,
    dependencyCheckMs: e.DEPENDENCY_CHECK_SECONDS * 1000,
    fnoUrl: r.fnoUrl,
    dataverseUrl: r.dataverseUrl,
    auth: { issuers: r.issuers, tenantIds: r.tenantIds, audiences: r.audiences, discoveryUrl: r.discoveryUrl, clockSkewSeconds: e.AUTH_CLOCK_SKEW_SECONDS },
    outbound: {
      credential: r.credential, clientId: r.credential.clientId, clientSecret: r.credential.kind === 'secret' ? r.credential.clientSecret : undefined,
      extraCredentials: r.extraCredentials,
      timeoutMs: e.HTTP_TIMEOUT_MS, retries: e.HTTP_RETRIES,
      fnoConcurrency: e.FNO_CONCURRENCY, dataverseConcurrency: e.DATAVERSE_CONCURRENCY,
    },
    webhookSecret: e.DATAVERSE_WEBHOOK_SECRET,
    corsOrigins: e.CORS_ORIGINS,
    logLevel: e.LOG_LEVEL,
    rateLimit: { max: e.RATE_LIMIT_MAX, addressMax: e.RATE_LIMIT_ADDRESS_MAX, windowMs: e.RATE_LIMIT_WINDOW_MS },
    bodyLimit: e.BODY_LIMIT_BYTES,
    cacheMaxAgeSeconds: e.CACHE_MAX_AGE_SECONDS,
    idempotencyTtlHours: e.IDEMPOTENCY_TTL_HOURS,
    housekeepingMs: e.HOUSEKEEPING_MINUTES * 60_000,
    alerts: alertSettings(e),
  };
}

function parseTrustProxy(v: string): boolean | number | string {
  if (v === 'true') return true;
  if (v === 'false') return false;
  return /^\d+$/.test(v) ? Number(v) : v;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** True when F&O and Dataverse are both on this machine (a local stand-in such as the repository's sandbox). */
export const isLoopbackHost = (hostname: string): boolean => LOOPBACK.test(hostname);

export function targetsLoopback(c: Pick<BridgeConfig, 'fnoUrl' | 'dataverseUrl'>): boolean {
  try {
    return LOOPBACK.test(new URL(c.fnoUrl).hostname) && LOOPBACK.test(new URL(c.dataverseUrl).hostname);
  } catch {
    return false;
  }
}

// The sync engine's settings, from the same schema's SYNC_* part.
export interface EngineSettings {
  maps: 'all' | string[];
  /** The admin's changes to the shipped maps (YAML; sync/core/maps/maps-file.ts), read at start. */
  mapsFile?: string;
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
  const r = SyncEnv.safeParse(cleaned);
  if (!r.success) {
    throw new Error(`Invalid sync engine configuration:\n${r.error.issues.map((i) => `  - ${i.path.join('.')}: expected ${i.message}`).join('\n')}`);
  }
  const e = r.data;
  return {
    maps: e.SYNC_MAPS === 'all' ? 'all' : e.SYNC_MAPS.split(',').map((s) => s.trim()).filter(Boolean),
    mapsFile: e.SYNC_MAPS_FILE,
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

/** The notification rules and where notifications go (ALERT_*, CLIENT_SECRET_EXPIRES_ON). */
export interface AlertSettings {
  /** Each webhook with its format. The URL is a secret: only `label` may reach a log or the store. */
  webhooks: { label: string; url: string; format: 'generic' | 'teams' }[];
  checkMs: number;
  /** Failures of one map within errorsWindowMs that notify; 0: never. */
  errors: number;
  errorsWindowMs: number;
  /** Lag that notifies; 0: never. */
  lagSeconds: number;
  /** Days before a known expiry that notify; 0: never. */
  expiryDays: number;
  attempts: number;
  /** When the client secret expires, if the admin said so (a certificate's expiry is read from it). */
  secretExpiresOn?: string;
}

function alertSettings(e: Env): AlertSettings {
  const label = (format: 'generic' | 'teams', url: string, i: number) =>
    `${format}#${i + 1}-${createHash('sha256').update(url).digest('hex').slice(0, 8)}`;
  return {
    webhooks: [
      ...(e.ALERT_WEBHOOK_URLS ?? []).map((url, i) => ({ label: label('generic', url, i), url, format: 'generic' as const })),
      ...(e.ALERT_TEAMS_WEBHOOK_URLS ?? []).map((url, i) => ({ label: label('teams', url, i), url, format: 'teams' as const })),
    ],
    checkMs: e.ALERT_CHECK_SECONDS * 1000,
    errors: e.ALERT_ERRORS,
    errorsWindowMs: e.ALERT_ERRORS_WINDOW_MINUTES * 60_000,
    lagSeconds: e.ALERT_LAG_SECONDS,
    expiryDays: e.ALERT_EXPIRY_DAYS,
    attempts: e.ALERT_WEBHOOK_ATTEMPTS,
    secretExpiresOn: e.CLIENT_SECRET_EXPIRES_ON,
  };
}
