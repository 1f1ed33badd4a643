// The audit log of proxied writes: one row per attempt, whatever its outcome.
import { randomUUID } from 'node:crypto';
import type { AuditTable, Executor } from '../schema';

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

export interface AuditEntry {
  id: string;
  requestId: string;
  principalOid: string;
  principalName: string | null;
  accountId: string;
  company: string | null;
  customerAccount: string | null;
  changes: FieldChanges;
  result: AuditTable['result'];
  errorCode: string | null;
  at: string;
}

function toEntry(r: AuditTable): AuditEntry {
  return {
    id: r.id, requestId: r.request_id, principalOid: r.principal_oid, principalName: r.principal_name, accountId: r.account_id,
    company: r.company, customerAccount: r.customer_account, changes: JSON.parse(r.changes) as FieldChanges, result: r.result,
    errorCode: r.error_code, at: r.at,
  };
}

/** `durable`: makes the committed row survive power loss (the store's flush) before the caller answers; a row written in the caller's transaction (`trx`) is the caller's to flush after its commit. */
export function createAuditRepo(db: Executor, durable: () => Promise<void> = async () => undefined) {
  return {
    async record(e: Omit<AuditEntry, 'id' | 'at'> & { at?: string }, trx: Executor = db): Promise<AuditEntry> {
      const row: AuditTable = {
        id: randomUUID(), request_id: e.requestId, principal_oid: e.principalOid, principal_name: e.principalName, account_id: e.accountId.toLowerCase(),
        company: e.company, customer_account: e.customerAccount, changes: JSON.stringify(e.changes), result: e.result, error_code: e.errorCode,
        at: e.at ?? new Date().toISOString(),
      };
      await trx.insertInto('audit_log').values(row).execute();
      if (trx === db) await durable();
      return toEntry(row);
    },

    /** Newest first. */
    async listForAccount(accountId: string, limit = 50, trx: Executor = db): Promise<AuditEntry[]> {
      const rows = await trx.selectFrom('audit_log').selectAll().where('account_id', '=', accountId.toLowerCase())
        .orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toEntry);
    },

    /** Newest first, optionally of one account and within [from, to). */
    async list(o: { accountId?: string; from?: string; to?: string; limit: number }, trx: Executor = db): Promise<AuditEntry[]> {
      let q = trx.selectFrom('audit_log').selectAll();
      if (o.accountId) q = q.where('account_id', '=', o.accountId.toLowerCase());
      if (o.from) q = q.where('at', '>=', new Date(o.from).toISOString());
      if (o.to) q = q.where('at', '<', new Date(o.to).toISOString());
      const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(o.limit).execute();
      return rows.map(toEntry);
    },
  };
}
export type AuditRepo = ReturnType<typeof createAuditRepo>;
