// Counts the writes each record receives in the sandbox (the stores run in the test's process), per
// side: F&O CustomersV3 creates/updates by dataAreaId|CustomerAccount, Dataverse account writes by id.
// A write that changes nothing still counts: the question is how often the bridge wrote, not what.
import type { Sandbox } from '@finops-bridge/sandbox';

export interface WriteLog {
  fno: Map<string, number>;
  dv: Map<string, { created: number; updated: number }>;
  clear(): void;
  restore(): void;
}

export const fnoRecordKey = (company: unknown, account: unknown) => `${String(company).toLowerCase()}|${String(account)}`;

export function logWrites(sb: Sandbox): WriteLog {
  const fno = new Map<string, number>();
  const dv = new Map<string, { created: number; updated: number }>();
  const fnoStore = sb.fno.store;
  const dvStore = sb.dataverse.store;
  const { insert, update } = fnoStore;
  const { put } = dvStore;
  const countFno = (set: string, row: Record<string, unknown>) => {
    if (set !== 'CustomersV3') return;
    const k = fnoRecordKey(row.dataAreaId, row.CustomerAccount);
    fno.set(k, (fno.get(k) ?? 0) + 1);
  };
  fnoStore.insert = function (entity, data, userOid) {
    countFno(entity.entitySet, data);
    return insert.call(this, entity, data, userOid);
  };
  fnoStore.update = function (entity, row, patch, userOid) {
    countFno(entity.entitySet, row.data);
    return update.call(this, entity, row, patch, userOid);
  };
  dvStore.put = function (table, id, row, kind) {
    if (table === 'account') {
      const c = dv.get(id.toLowerCase()) ?? { created: 0, updated: 0 };
      c[kind]++;
      dv.set(id.toLowerCase(), c);
    }
    return put.call(this, table, id, row, kind);
  };
  return {
    fno, dv,
    clear() { fno.clear(); dv.clear(); },
    restore() { Object.assign(fnoStore, { insert, update }); Object.assign(dvStore, { put }); },
  };
}
