// Counts the writes each record receives in the sandbox (the stores run in the test's process), per
// side: F&O CustomersV3 creates/updates by dataAreaId|CustomerAccount, Dataverse account writes by id.
// A write that changes nothing still counts: the question is how often the bridge wrote, not what.
import type { Sandbox } from '@finops-bridge/sandbox';

export interface WriteLog {
  fno: Map<string, number>;
  dv: Map<string, { created: number; updated: number }>;
  /** Writes that changed no value (a replay or a repeated write), per side and record. */
  noop: Map<string, number>;
  /** Called inside the store write, before the sandbox answers: a trial can kill the bridge right there. */
  onWrite: ((side: 'fno' | 'dv', key: string) => void) | null;
  clear(): void;
  restore(): void;
}

export const fnoRecordKey = (company: unknown, account: unknown) => `${String(company).toLowerCase()}|${String(account)}`;

export function logWrites(sb: Sandbox): WriteLog {
  const log: WriteLog = {
    fno: new Map(), dv: new Map(), noop: new Map(), onWrite: null,
    clear() { log.fno.clear(); log.dv.clear(); log.noop.clear(); },
    restore() { Object.assign(fnoStore, { insert, update }); Object.assign(dvStore, { put }); },
  };
  const { fno, dv } = log;
  const fnoStore = sb.fno.store;
  const dvStore = sb.dataverse.store;
  const { insert, update } = fnoStore;
  const { put } = dvStore;
  const countFno = (set: string, row: Record<string, unknown>) => {
    if (set !== 'CustomersV3') return;
    const k = fnoRecordKey(row.dataAreaId, row.CustomerAccount);
    fno.set(k, (fno.get(k) ?? 0) + 1);
    log.onWrite?.('fno', k);
  };
  fnoStore.insert = function (entity, data, userOid) {
    countFno(entity.entitySet, data);
    return insert.call(this, entity, data, userOid);
  };
  const noop = (k: string) => log.noop.set(k, (log.noop.get(k) ?? 0) + 1);
  fnoStore.update = function (entity, row, patch, userOid) {
    countFno(entity.entitySet, row.data);
    if (entity.entitySet === 'CustomersV3' && Object.keys(patch).every((k) => row.data[k] === patch[k])) noop(`fno:${fnoRecordKey(row.data.dataAreaId, row.data.CustomerAccount)}`);
    return update.call(this, entity, row, patch, userOid);
  };
  dvStore.put = function (table, id, row, kind) {
    if (table === 'account') {
      const c = dv.get(id.toLowerCase()) ?? { created: 0, updated: 0 };
      c[kind]++;
      dv.set(id.toLowerCase(), c);
      log.onWrite?.('dv', id.toLowerCase());
      const before = this.get(table, id);
      const volatile = new Set(['versionnumber', 'modifiedon', '@odata.etag']);
      if (before && Object.keys({ ...before, ...row }).every((k) => volatile.has(k) || JSON.stringify(before[k]) === JSON.stringify(row[k]))) noop(`dv:${id.toLowerCase()}`);
    }
    return put.call(this, table, id, row, kind);
  };
  return log;
}
