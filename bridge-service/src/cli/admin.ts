// The admin commands: thin calls of the bridge's admin API (/api/v1/admin, app role Sync.Admin).
import type { AuditItem, ConflictItem, DeleteItem, InitialSyncProgress, MapSummary, NotificationItem } from '../contracts/admin';
import { isGuid } from '../contracts/guid';
import { flag, type ParsedArgs } from './args';
import { CliError } from './errors';
import { EXIT, duration, type Io } from './io';

export { CliError };

export interface AdminTarget { url: string; token: string }

export async function call<T>(t: AdminTarget, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${t.url}/api/v1/admin${path}`, {
      method, headers: { authorization: `Bearer ${t.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    const why = (err as Error).message.split(t.token).join('<token>');
    throw new CliError(`The bridge at ${t.url} does not answer (${why}): start it (npm start) or set BRIDGE_URL to its address.`);
  }
  const text = await res.text();
  const parsed = (text ? JSON.parse(text) : {}) as T & { error?: { code: string; message: string } };
  if (!res.ok) {
    const e = parsed.error;
    const hint = res.status === 401 ? ' The token is missing, expired or not for the bridge API: run `finops-bridge login` again, or pass a new one.'
      : res.status === 403 ? ' The caller lacks the Sync.Admin app role: assign it in Entra (Enterprise applications > the bridge API > Users and groups).' : '';
    throw new CliError(`The bridge answered ${res.status}${e ? ` ${e.code}: ${e.message}` : ''}.${hint}`);
  }
  return parsed;
}

export function mapLines(maps: MapSummary[]): string[] {
  return maps.map((m) => `${m.name.padEnd(28)} ${m.state.padEnd(12)} lag ${duration(m.lagSeconds).padEnd(7)} pending ${m.pending}  parked ${m.parked}  ` +
    `processed ${m.counters.processed}  written ${m.counters.written}  failed ${m.counters.failed}  conflicts ${m.counters.conflicts}`);
}

export function progressLine(p: InitialSyncProgress): string {
  const pct = p.total > 0 ? ` (${Math.floor((100 * p.done) / p.total)}%)` : '';
  return `${p.map}: ${p.state} ${p.done}/${p.total}${pct}, ${p.failed} failed, ${p.ratePerSecond.toFixed(1)}/s, ETA ${duration(p.etaSeconds)}`;
}

/** Records the last initial syncs could not write, grouped under one heading per map with the way to rerun them. */
export function initialSyncFailureLines(items: readonly { map: string; company: string; recordKey: string; reason: string }[]): string[] {
  const maps = [...new Set(items.map((i) => i.map))];
  return maps.flatMap((m) => [
    `initial sync of ${m}: ${items.filter((i) => i.map === m).length} records not written (fix them, then: finops-bridge initial-sync ${m} --failed-only)`,
    ...items.filter((i) => i.map === m).map((i) => `  ${i.company}  ${i.recordKey}: ${i.reason}`),
  ]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runAdmin(command: string, args: ParsedArgs, t: AdminTarget, io: Io, pollMs = 1000): Promise<number> {
  const need = (what: string) => {
    const v = args.positional[0];
    if (!v) throw new CliError(`${command} needs ${what}: finops-bridge ${command} <${what}>`, EXIT.usage);
    return encodeURIComponent(v);
  };
  const needId = () => {
    const v = args.positional[0];
    if (v && !isGuid(v)) throw new CliError(`${command} needs an id as \`errors\` or \`conflicts\` lists it (a GUID); got ${JSON.stringify(v)}.`, EXIT.usage);
    return need('id');
  };
  const print = (doc: unknown, lines: () => string[]) => {
    if (io.json) io.out(JSON.stringify(doc));
    else for (const l of lines()) io.out(l);
  };
  const query = flag(args, 'map') ? `?map=${encodeURIComponent(flag(args, 'map')!)}` : '';
  switch (command) {
    case 'maps':
    case 'status': {
      const r = await call<{ maps: MapSummary[] }>(t, 'GET', '/maps');
      print(r, () => mapLines(r.maps));
      return r.maps.some((m) => m.parked > 0 || m.state === 'paused') && command === 'status' ? EXIT.problems : EXIT.ok;
    }
    case 'pause':
    case 'resume': {
      const name = need('map');
      const r = await call<{ state?: string }>(t, 'POST', `/maps/${name}/${command}`);
      print(r, () => [`${decodeURIComponent(name)}: ${r.state ?? (command === 'pause' ? 'paused' : 'running')}`]);
      return EXIT.ok;
    }
    case 'initial-sync': {
      const name = need('map');
      const wins = flag(args, 'wins');
      if (wins && wins !== 'fno' && wins !== 'dataverse') throw new CliError('--wins takes fno or dataverse', EXIT.usage);
      const company = flag(args, 'company');
      const body = {
        ...(wins ? { winner: wins } : {}), ...(company ? { legalEntities: company.split(',').map((c) => c.trim()).filter(Boolean) } : {}),
        ...(args.flags['failed-only'] ? { failedOnly: true } : {}), ...(args.flags.restart ? { restart: true } : {}),
      };
      await call(t, 'POST', `/maps/${name}/initial-sync`, body);
      let p: InitialSyncProgress;
      for (;;) {
        p = await call<InitialSyncProgress>(t, 'GET', `/maps/${name}/initial-sync`);
        if (!io.json) io.out(progressLine(p));
        if (p.state !== 'running' || args.flags['no-follow']) break;
        await sleep(pollMs);
      }
      if (io.json) io.out(JSON.stringify(p));
      else if (p.failures.length) io.out(`${p.failures.length} records failed; see \`finops-bridge errors --map ${p.map}\`, fix them, then rerun with --failed-only.`);
      return p.state === 'done' && p.failed === 0 ? EXIT.ok : p.state === 'running' ? EXIT.ok : EXIT.problems;
    }
    case 'errors': {
      const r = await call<{
        errors: Array<{ id: string; map: string; side: string; recordKey: string; state: string; attempts: number; message: string | null }>;
        initialSync?: Array<{ map: string; company: string; recordKey: string; reason: string; at: string }>;
      }>(t, 'GET', `/errors${query}`);
      print(r, () => [
        ...(r.errors.length === 0 ? ['no parked or retrying records'] : r.errors.map((e) => `${e.id}  ${e.map}  ${e.side}:${e.recordKey}  ${e.state} after ${e.attempts} attempts: ${e.message ?? ''}`)),
        ...initialSyncFailureLines(r.initialSync ?? []),
      ]);
      return EXIT.ok;
    }
    case 'retry':
    case 'dismiss': {
      const id = needId();
      const r = await call<{ state?: string }>(t, 'POST', `/errors/${id}/${command}`);
      print(r, () => [`${decodeURIComponent(id)}: ${r.state ?? 'done'}`]);
      return EXIT.ok;
    }
    case 'conflicts': {
      const r = await call<{ conflicts: ConflictItem[] }>(t, 'GET', `/conflicts${query}`);
      print(r, () => r.conflicts.length === 0 ? ['no open conflicts'] : r.conflicts.map((c) => `${c.id}  ${c.map}  ${c.at}  fields ${c.fields.join(', ')}: ${c.winner} won (${c.policy})`));
      return EXIT.ok;
    }
    case 'dismiss-conflict': {
      const id = needId();
      await call(t, 'POST', `/conflicts/${id}/dismiss`);
      print({ ok: true }, () => [`${decodeURIComponent(id)}: dismissed`]);
      return EXIT.ok;
    }
    case 'deletes': {
      const r = await call<{ deletes: DeleteItem[] }>(t, 'GET', `/deletes${listQuery(args, ['map', 'limit'])}`);
      print(r, () => r.deletes.length === 0 ? ['no deletes propagated'] : r.deletes.map((d) => `${d.at}  ${d.map}  ${d.action}  ${d.message}`));
      return EXIT.ok;
    }
    case 'notifications': {
      const r = await call<{ notifications: NotificationItem[] }>(t, 'GET', `/notifications${listQuery(args, ['map', 'limit'])}`);
      print(r, () => r.notifications.length === 0 ? ['no notifications'] : r.notifications.map(notificationLine));
      return EXIT.ok;
    }
    case 'audit': {
      const account = flag(args, 'account');
      if (account !== undefined && !isGuid(account)) throw new CliError(`--account takes a Dataverse account id (a GUID); got ${JSON.stringify(account)}.`, EXIT.usage);
      const r = await call<{ entries: AuditItem[] }>(t, 'GET', `/audit${listQuery(args, ['account', 'from', 'to', 'limit'], { account: 'accountId' })}`);
      print(r, () => r.entries.length === 0 ? ['no audited finance edits'] : r.entries.map(auditLine));
      return EXIT.ok;
    }
    default:
      throw new CliError(`unknown command ${command}`, EXIT.usage);
  }
}

/** The query string of a list command from its flags (renamed where the API names them otherwise). */
function listQuery(args: ParsedArgs, names: readonly string[], rename: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const n of names) {
    const v = flag(args, n);
    if (v !== undefined) q.set(rename[n] ?? n, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function notificationLine(n: NotificationItem): string {
  const sent = n.deliveries.length === 0 ? 'no webhook' : n.deliveries.map((d) => `${d.target} ${d.state}${d.state === 'delivered' ? '' : ` (${d.attempts} tries${d.lastError ? `: ${d.lastError}` : ''})`}`).join(', ');
  return `${n.at}  ${n.kind}${n.map ? `  ${n.map}` : ''}: ${n.message}  [${sent}]`;
}

export function auditLine(e: AuditItem): string {
  const changes = Object.entries(e.changes).map(([f, c]) => `${f} ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`).join(', ');
  return `${e.at}  ${e.principalName ?? e.principalOid}  ${e.company ?? '?'}/${e.customerAccount ?? '?'} (account ${e.accountId})  ${e.result}${e.errorCode ? ` ${e.errorCode}` : ''}: ${changes}  request ${e.requestId}`;
}
