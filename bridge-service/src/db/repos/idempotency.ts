// Idempotency keys: a retried request with the same key (same principal, same body) gets the stored
// answer instead of applying twice; the same key with another body is refused.
import type { Executor } from '../schema';

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type BeginResult =
  | { kind: 'new' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

/** Longer than any request can take (outbound timeouts and retries included). */
export const ABANDONED_AFTER_MS = 5 * 60_000;

export function createIdempotencyRepo(db: Executor) {
  return {
    /** Claims the key for this request, or tells what happened to an earlier request with it. */
    async begin(principalOid: string, key: string, requestHash: string, ttlMs: number, trx: Executor = db): Promise<BeginResult> {
      const now = new Date();
      // An expired key is forgotten, so the same key can start afresh.
      await trx.deleteFrom('idempotency_keys').where('principal_oid', '=', principalOid).where('idem_key', '=', key)
        .where('expires_at', '<', now.toISOString()).execute();
      const inserted = await trx.insertInto('idempotency_keys').values({
        principal_oid: principalOid, idem_key: key, request_hash: requestHash, state: 'in_progress', response_status: null,
        response_body: null, response_headers: null, created_at: now.toISOString(), expires_at: new Date(now.getTime() + ttlMs).toISOString(),
      }).onConflict((oc) => oc.columns(['principal_oid', 'idem_key']).doNothing()).executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return { kind: 'new' };
      const row = await trx.selectFrom('idempotency_keys').selectAll().where('principal_oid', '=', principalOid).where('idem_key', '=', key)
        .executeTakeFirst();
      if (!row) return this.begin(principalOid, key, requestHash, ttlMs, trx);
      if (row.request_hash !== requestHash) return { kind: 'mismatch' };
      if (row.state !== 'done' || row.response_status === null) {
        // A claim older than the abandon time belongs to a request that died (crash, kill): take it over.
        if (Date.parse(row.created_at) < now.getTime() - ABANDONED_AFTER_MS) {
          const taken = await trx.updateTable('idempotency_keys').set({ created_at: now.toISOString() })
            .where('principal_oid', '=', principalOid).where('idem_key', '=', key).where('state', '=', 'in_progress')
            .where('created_at', '=', row.created_at).executeTakeFirst();
          if (Number(taken.numUpdatedRows) > 0) return { kind: 'new' };
        }
        return { kind: 'in_progress' };
      }
      return {
        kind: 'replay',
        response: {
          status: row.response_status,
          body: row.response_body === null ? undefined : JSON.parse(row.response_body),
          headers: row.response_headers ? (JSON.parse(row.response_headers) as Record<string, string>) : {},
        },
      };
    },

    async complete(principalOid: string, key: string, response: StoredResponse, trx: Executor = db): Promise<void> {
      await trx.updateTable('idempotency_keys').set({
        state: 'done', response_status: response.status, response_body: response.body === undefined ? null : JSON.stringify(response.body),
        response_headers: JSON.stringify(response.headers),
      }).where('principal_oid', '=', principalOid).where('idem_key', '=', key).execute();
    },

    /** Forgets a claimed key whose request failed in a way worth retrying (a 5xx). */
    async release(principalOid: string, key: string, trx: Executor = db): Promise<void> {
      await trx.deleteFrom('idempotency_keys').where('principal_oid', '=', principalOid).where('idem_key', '=', key).execute();
    },

    async purgeExpired(trx: Executor = db): Promise<number> {
      const r = await trx.deleteFrom('idempotency_keys').where('expires_at', '<', new Date().toISOString()).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
export type IdempotencyRepo = ReturnType<typeof createIdempotencyRepo>;
