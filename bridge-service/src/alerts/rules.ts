// The notification rules checked on a timer: errors of a map above a threshold, lag above a limit, a service that
// does not answer, the bridge's certificate or secret close to its expiry. (A map paused by the worker's alert rule
// is notified by the worker itself.) A rule that holds notifies once; it notifies again only after it stopped
// holding. The decision is pure (`evaluate`); `checkRules` reads the figures and records the outcome.
import type { AlertSettings } from '../config';
import type { OutboundCredential } from '../clients/credentials';
import type { DependencyState } from '../http/routes/health';
import type { NotificationKind } from '../contracts/admin';
import type { NotificationsRepo } from '../db/repos/notifications';

export interface RuleFigures {
  now: number;
  maps: { name: string; state: string; errors: number; oldestPendingAt: string | null }[];
  dependencies: Record<string, DependencyState>;
  /** Known expiries of the bridge's credential. */
  expiries: { what: string; at: Date }[];
}

export interface Firing { key: string; map: string | null; kind: NotificationKind; message: string }

const SERVICE_NAMES: Record<string, string> = { fno: 'Finance and Operations', dataverse: 'Dataverse' };
const DAY_MS = 86_400_000;

export function evaluate(s: Pick<AlertSettings, 'errors' | 'errorsWindowMs' | 'lagSeconds' | 'expiryDays'>, f: RuleFigures): Firing[] {
  const out: Firing[] = [];
  const minutes = Math.round(s.errorsWindowMs / 60_000);
  for (const m of f.maps) {
    if (s.errors > 0 && m.errors >= s.errors) {
      out.push({ key: `errors:${m.name}`, map: m.name, kind: 'errors_above_threshold',
        message: `Map ${m.name} had ${m.errors} sync failures within ${minutes} minute(s) (threshold ${s.errors}). See finops-bridge errors --map ${m.name}: fix the cause, then retry them.` });
    }
    const lag = m.oldestPendingAt ? Math.max(0, (f.now - Date.parse(m.oldestPendingAt)) / 1000) : 0;
    if (s.lagSeconds > 0 && m.state === 'running' && lag >= s.lagSeconds) {
      out.push({ key: `lag:${m.name}`, map: m.name, kind: 'lag_above_limit',
        message: `Map ${m.name} is ${Math.round(lag)} s behind (limit ${s.lagSeconds} s): its oldest waiting change is from ${m.oldestPendingAt}. Check finops-bridge status and the services' throttling.` });
    }
  }
  for (const [name, d] of Object.entries(f.dependencies)) {
    if (d.status !== 'failing') continue;
    out.push({ key: `unreachable:${name}`, map: null, kind: 'service_unreachable',
      message: `${SERVICE_NAMES[name] ?? name} does not answer the bridge (last checked ${d.checkedAt ?? 'never'}). Changes wait in the queue and are applied when it answers again; see /ready and finops-bridge doctor.` });
  }
  if (s.expiryDays > 0) {
    for (const e of f.expiries) {
      const days = (e.at.getTime() - f.now) / DAY_MS;
      if (days > s.expiryDays) continue;
      const when = e.at.toISOString().slice(0, 10);
      out.push({ key: `expiry:${e.what}:${when}`, map: null, kind: 'credential_expiring',
        message: days <= 0
          ? `The bridge's ${e.what} expired on ${when}: F&O and Dataverse will refuse its tokens. Add a new one to the app registration and configure it.`
          : `The bridge's ${e.what} expires on ${when} (in ${Math.ceil(days)} day(s)). Add a new one to the app registration and configure it before then.` });
    }
  }
  return out;
}

/** What the configuration knows of the credential's expiry: a certificate's own date, or CLIENT_SECRET_EXPIRES_ON. */
export function knownExpiries(credential: OutboundCredential, secretExpiresOn?: string): RuleFigures['expiries'] {
  if (credential.kind === 'certificate') return [{ what: `certificate ${credential.certificate.thumbprint}`, at: credential.certificate.notAfter }];
  if (credential.kind === 'secret' && secretExpiresOn) return [{ what: 'client secret', at: new Date(`${secretExpiresOn}T00:00:00Z`) }];
  return [];
}

/** Records what holds now: a notification for each rule that starts to hold, and forgets the rules that stopped. */
export async function recordFirings(repo: NotificationsRepo, firing: readonly Firing[], undecided: readonly string[] = []): Promise<number> {
  let raised = 0;
  for (const f of firing) if (await repo.raise(f.key, f.map, f.kind, f.message)) raised++;
  // A rule not decided this time (a service not checked yet) keeps its state.
  const holding = new Set([...firing.map((f) => f.key), ...undecided]);
  await repo.clear((await repo.activeRules()).filter((k) => !holding.has(k)));
  return raised;
}
