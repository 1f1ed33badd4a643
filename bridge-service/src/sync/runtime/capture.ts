// Webhook bodies -> queue events, pure. Which maps a notification concerns, the record key it names,
// and a dedupe key that is the same for a redelivery of the same notification.
import { createHash } from 'node:crypto';
import { keyJson } from '../../db/repos/links';
import { mapFlows, type TableMap } from '../core/maps/types';
import { fnoKeyOf, mapsForChange } from '../core/routing';
import type { NormalisedChange } from '../core/events/remote-execution-context';
import type { BusinessEvent } from '../core/events/business-event';
import { unwrapValue } from '../core/events/wire';
import { actorOf } from '../core/attribution';
import type { ChangeEvent } from '../../db/repos/jobs';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** A Dataverse webhook: one event per map that reads this table towards F&O. */
export function dataverseEvents(maps: readonly TableMap[], change: NormalisedChange, rawBody: string): ChangeEvent[] {
  const opId = change.operationId ?? change.requestId ?? sha(rawBody);
  return mapsForChange(maps, 'dataverse', change.table, change.changed)
    .filter((m) => mapFlows(m, 'dataverse_to_fno'))
    .map((m) => ({
      mapName: m.name, side: 'dataverse', recordKey: change.id.toLowerCase(), message: change.message,
      dedupeKey: `dv|${m.name}|${opId}|${change.id}|${change.message}`,
      payload: {
        changed: change.changed ? Object.keys(change.changed) : null, sizeExceeded: change.sizeExceeded, correlationId: change.correlationId,
        actor: actorOf('dataverse', change.userId),
      },
    }));
}

interface KeyValue { key: string; value: unknown }

/** The F&O key of a data event, from Target.KeyAttributes, the attributes, or PrimaryEntityId (k=v,k=v). */
export function fnoKeyFromDataEvent(map: TableMap, raw: Record<string, unknown>, change: NormalisedChange): Record<string, string> | null {
  const found: Record<string, unknown> = {};
  const params = Array.isArray(raw.InputParameters) ? (raw.InputParameters as KeyValue[]) : [];
  const target = params.find((p) => p?.key === 'Target')?.value as { KeyAttributes?: KeyValue[] } | undefined;
  for (const kv of target?.KeyAttributes ?? []) found[kv.key.toLowerCase()] = unwrapValue(kv.value);
  for (const [k, v] of Object.entries(change.changed ?? {})) if (!(k.toLowerCase() in found)) found[k.toLowerCase()] = v;
  if (typeof raw.PrimaryEntityId === 'string') {
    for (const part of raw.PrimaryEntityId.split(',')) {
      const i = part.indexOf('=');
      if (i > 0 && !(part.slice(0, i).trim().toLowerCase() in found)) found[part.slice(0, i).trim().toLowerCase()] = part.slice(i + 1).trim().replace(/^'(.*)'$/, '$1');
    }
  }
  return fnoKeyOf(map, Object.fromEntries(map.fno.keys.map((k) => [k, found[k.toLowerCase()]])));
}

/** An F&O data event (RemoteExecutionContext with the entity set as primary entity). */
export function fnoDataEvents(maps: readonly TableMap[], change: NormalisedChange, raw: Record<string, unknown>, rawBody: string): ChangeEvent[] {
  const opId = change.operationId ?? change.requestId ?? sha(rawBody);
  const out: ChangeEvent[] = [];
  for (const m of mapsForChange(maps, 'fno', change.table, change.changed)) {
    if (!mapFlows(m, 'fno_to_dataverse')) continue;
    const key = fnoKeyFromDataEvent(m, raw, change);
    if (!key) continue;
    out.push({
      mapName: m.name, side: 'fno', recordKey: keyJson(key), message: change.message, dedupeKey: `fno|${m.name}|${opId}`,
      payload: { changed: change.changed ? Object.keys(change.changed) : null, actor: actorOf('fno', change.userId ?? change.initiatingUserId) },
    });
  }
  return out;
}

/**
 * Business events name the record in event-specific fields. Known shapes: customer events carry
 * `Account` (CustomersV3), vendor events `Account` or `VendorAccount` (VendorsV2). Deduped by legal
 * entity and ControlNumber, as F&O's documentation advises.
 */
export function fnoBusinessEvents(maps: readonly TableMap[], events: readonly BusinessEvent[]): ChangeEvent[] {
  const out: ChangeEvent[] = [];
  for (const e of events) {
    const entitySet = /customer/i.test(e.businessEventId) ? 'CustomersV3' : /vendor/i.test(e.businessEventId) ? 'VendorsV2' : null;
    if (!entitySet || !e.legalEntity) continue;
    const p = e.payload;
    const account = [p.Account, p.CustomerAccount, p.VendorAccount, p.VendorAccountNumber].find((v) => typeof v === 'string' && v !== '') as string | undefined;
    if (!account) continue;
    const changeType = p.ChangeType;
    const message = changeType === 'Create' || changeType === 'Delete' ? changeType : 'Update';
    for (const m of maps) {
      if (m.fno.entitySet !== entitySet || !mapFlows(m, 'fno_to_dataverse') || m.fno.keys.length !== 2 || !m.fno.companyField) continue;
      const other = m.fno.keys.find((k) => k !== m.fno.companyField)!;
      const key = { [m.fno.companyField]: e.legalEntity, [other]: account };
      out.push({
        mapName: m.name, side: 'fno', recordKey: keyJson(key), message,
        dedupeKey: `fno-be|${m.name}|${e.legalEntity}|${e.controlNumber}`,
        payload: { businessEventId: e.businessEventId, controlNumber: e.controlNumber, actor: actorOf('fno', e.initiatingUserObjectId) },
      });
    }
  }
  return out;
}

/** Whether a body looks like a business event envelope rather than a RemoteExecutionContext. */
export function isBusinessEventBody(json: unknown): boolean {
  const first: unknown = Array.isArray(json) ? json[0] : json;
  return typeof first === 'object' && first !== null && 'BusinessEventId' in first && 'ControlNumber' in first;
}
