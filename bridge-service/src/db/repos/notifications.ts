// Notifications (sync_notifications), their delivery to each webhook (sync_notification_deliveries) and the alert
// rules that currently hold (sync_alert_states). Every move of a delivery is a compare-and-set on its state, so
// two instances sharing the store never both send one notification to one webhook.
import { randomUUID } from 'node:crypto';
import type { DeliveryState } from '../../contracts/admin';
import { nowIso, type Db, type SyncNotificationDeliveriesTable, type SyncNotificationsTable } from '../schema';

export interface NotificationWithDeliveries extends SyncNotificationsTable {
  deliveries: SyncNotificationDeliveriesTable[];
}

export type DeliveryOutcome =
  | { state: 'delivered' }
  | { state: 'pending'; nextAttemptAt: string; error: string }
  | { state: 'failed'; error: string };

export function createNotificationsRepo(db: Db) {
  return {
    async add(mapName: string | null, kind: string, message: string): Promise<string> {
      const id = randomUUID();
      await db.insertInto('sync_notifications').values({ id, map_name: mapName, kind, message, at: nowIso() }).execute();
      return id;
    },

    /**
     * A rule that holds: notifies once per episode. The first instance to record the rule key writes the notification;
     * the others (and later checks while it still holds) find the key and write nothing. Returns whether it notified.
     */
    async raise(ruleKey: string, mapName: string | null, kind: string, message: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const id = randomUUID();
        const now = nowIso();
        const r = await trx.insertInto('sync_alert_states').values({ rule_key: ruleKey, notification_id: id, since: now })
          .onConflict((oc) => oc.column('rule_key').doNothing()).executeTakeFirst();
        if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return false;
        await trx.insertInto('sync_notifications').values({ id, map_name: mapName, kind, message, at: now }).execute();
        return true;
      });
    },

    /** Rules that no longer hold: the next time they do, they notify again. */
    async clear(ruleKeys: readonly string[]): Promise<void> {
      if (ruleKeys.length === 0) return;
      await db.deleteFrom('sync_alert_states').where('rule_key', 'in', [...ruleKeys]).execute();
    },

    async activeRules(): Promise<string[]> {
      return (await db.selectFrom('sync_alert_states').select('rule_key').execute()).map((r) => r.rule_key);
    },

    /** Newest first, each with its deliveries. */
    async list(o: { map?: string; limit: number }): Promise<NotificationWithDeliveries[]> {
      let q = db.selectFrom('sync_notifications').selectAll();
      if (o.map) q = q.where('map_name', '=', o.map);
      const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(o.limit).execute();
      if (rows.length === 0) return [];
      const deliveries = await db.selectFrom('sync_notification_deliveries').selectAll()
        .where('notification_id', 'in', rows.map((r) => r.id)).orderBy('target').execute();
      return rows.map((r) => ({ ...r, deliveries: deliveries.filter((d) => d.notification_id === r.id) }));
    },

    get: (id: string): Promise<SyncNotificationsTable | undefined> =>
      db.selectFrom('sync_notifications').selectAll().where('id', '=', id).executeTakeFirst(),

    /** A pending delivery to each target of every notification since then that has none yet (idempotent). */
    async schedule(targets: readonly string[], sinceIso: string): Promise<number> {
      if (targets.length === 0) return 0;
      const recent = await db.selectFrom('sync_notifications').select('id').where('at', '>=', sinceIso).orderBy('at').limit(500).execute();
      if (recent.length === 0) return 0;
      const have = await db.selectFrom('sync_notification_deliveries').select(['notification_id', 'target'])
        .where('notification_id', 'in', recent.map((r) => r.id)).execute();
      const known = new Set(have.map((h) => `${h.notification_id} ${h.target}`));
      const now = nowIso();
      let added = 0;
      for (const n of recent) {
        for (const target of targets) {
          if (known.has(`${n.id} ${target}`)) continue;
          const r = await db.insertInto('sync_notification_deliveries').values({
            notification_id: n.id, target, state: 'pending', attempts: 0, next_attempt_at: now, claimed_by: null, claim_until: null,
            delivered_at: null, last_error: null, created_at: now, updated_at: now,
          }).onConflict((oc) => oc.columns(['notification_id', 'target']).doNothing()).executeTakeFirst();
          added += Number(r.numInsertedOrUpdatedRows ?? 0);
        }
      }
      return added;
    },

    /** Deliveries whose (next) try is due. */
    due: (limit: number): Promise<SyncNotificationDeliveriesTable[]> =>
      db.selectFrom('sync_notification_deliveries').selectAll().where('state', '=', 'pending').where('next_attempt_at', '<=', nowIso())
        .orderBy('next_attempt_at').limit(limit).execute(),

    /** Takes a due delivery for this instance; false when another took it first. */
    async claim(notificationId: string, target: string, owner: string, claimMs: number): Promise<boolean> {
      const now = Date.now();
      const r = await db.updateTable('sync_notification_deliveries')
        .set((eb) => ({ state: 'sending', claimed_by: owner, claim_until: nowIso(now + claimMs), attempts: eb('attempts', '+', 1), updated_at: nowIso(now) }))
        .where('notification_id', '=', notificationId).where('target', '=', target)
        .where('state', '=', 'pending').where('next_attempt_at', '<=', nowIso(now)).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Records the try's outcome, only while this instance still holds the claim. */
    async settle(notificationId: string, target: string, owner: string, o: DeliveryOutcome): Promise<boolean> {
      const now = nowIso();
      const r = await db.updateTable('sync_notification_deliveries').set({
        state: o.state satisfies DeliveryState, claimed_by: null, claim_until: null, updated_at: now,
        ...(o.state === 'delivered' ? { delivered_at: now, last_error: null } : { last_error: o.error }),
        ...(o.state === 'pending' ? { next_attempt_at: o.nextAttemptAt } : {}),
      }).where('notification_id', '=', notificationId).where('target', '=', target).where('state', '=', 'sending')
        .where('claimed_by', '=', owner).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /**
     * Claims whose instance died mid-send: the webhook may or may not have received the notification, so it is not
     * sent again (never twice), and the row says so.
     */
    async abandonExpired(): Promise<number> {
      const now = nowIso();
      const r = await db.updateTable('sync_notification_deliveries')
        .set({ state: 'abandoned', claimed_by: null, claim_until: null, last_error: 'the instance sending it stopped before it knew the outcome; not sent again', updated_at: now })
        .where('state', '=', 'sending').where('claim_until', '<', now).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    /** Delivery counts by target and state (metrics). */
    async deliveryCounts(): Promise<{ target: string; state: string; n: number }[]> {
      const rows = await db.selectFrom('sync_notification_deliveries').select(['target', 'state', (eb) => eb.fn.countAll<number | string>().as('n')])
        .groupBy(['target', 'state']).execute();
      return rows.map((r) => ({ target: r.target, state: r.state, n: Number(r.n) }));
    },
  };
}
export type NotificationsRepo = ReturnType<typeof createNotificationsRepo>;
