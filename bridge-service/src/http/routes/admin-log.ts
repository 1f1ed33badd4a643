// /api/v1/admin (Sync.Admin) for what happened: the notifications (with their delivery to each webhook, by label,
// never by URL) and the audit log of finance edits. Neither needs the sync engine, so the app registers them.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditList, AuditQuery, DELIVERY_STATES, NotificationList, NotificationQuery, type DeliveryState } from '../../contracts/admin';
import { ErrorBody } from '../../contracts/errors';
import type { AuditRepo } from '../../db/repos/audit';
import type { NotificationsRepo } from '../../db/repos/notifications';
import { bridgeError } from '../bridge-error';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

const deliveryState = (s: string): DeliveryState => ((DELIVERY_STATES as readonly string[]).includes(s) ? (s as DeliveryState) : 'failed');

export function adminLogRoutes(repos: { notifications: NotificationsRepo; audit: AuditRepo }): FastifyPluginAsyncZod {
  return async (app) => {
    const admin = { preParsing: app.authorize(['Sync.Admin']) };
    const tags = ['admin'];

    app.get('/admin/notifications', {
      ...admin,
      schema: { summary: 'Notifications, newest first, with their delivery to each webhook', tags, querystring: NotificationQuery, response: { 200: NotificationList, ...errors } },
    }, async (req) => {
      const rows = await repos.notifications.list({ map: req.query.map, limit: req.query.limit });
      return {
        notifications: rows.map((n) => ({
          id: n.id, map: n.map_name, kind: n.kind, message: n.message, at: n.at,
          deliveries: n.deliveries.map((d) => ({
            target: d.target, state: deliveryState(d.state), attempts: Number(d.attempts), deliveredAt: d.delivered_at, lastError: d.last_error,
          })),
        })),
      };
    });

    app.get('/admin/audit', {
      ...admin,
      schema: { summary: 'The audit log of finance edits, newest first', tags, querystring: AuditQuery, response: { 200: AuditList, ...errors } },
    }, async (req) => {
      const { accountId, from, to, limit } = req.query;
      if (from && to && Date.parse(from) >= Date.parse(to)) throw bridgeError('FB_VALIDATION', '`from` must be before `to`');
      return { entries: await repos.audit.list({ accountId, from, to, limit }) };
    });
  };
}
