// What a webhook receives for one notification: a generic JSON document, or a Microsoft Teams message holding an
// Adaptive Card. Teams format followed: "Send Adaptive Cards using an Incoming Webhook" (Microsoft Teams platform
// docs, webhooks-and-connectors/how-to/connectors-using): a body whose "type" is "message" and whose "attachments"
// hold one card with contentType application/vnd.microsoft.card.adaptive, contentUrl null and the card in
// "content". The Workflows app's "When a Teams webhook request is received" trigger takes the same body, so one
// format serves the retiring Office 365 connector and its replacement. Pure: no I/O.

export interface NotificationDoc {
  id: string;
  map: string | null;
  kind: string;
  message: string;
  at: string;
}

const TITLES: Record<string, string> = {
  map_paused_by_alert: 'A map was paused by its alert rule',
  errors_above_threshold: 'Sync errors above the threshold',
  lag_above_limit: 'Sync lag above the limit',
  service_unreachable: 'A service does not answer',
  credential_expiring: 'The bridge credential expires soon',
};

export const titleOf = (kind: string): string => TITLES[kind] ?? kind;

/** The generic webhook's body: stable field names a script or an incident tool can read. */
export function genericPayload(n: NotificationDoc): Record<string, unknown> {
  return { source: 'finops-bridge', id: n.id, kind: n.kind, title: titleOf(n.kind), map: n.map, message: n.message, at: n.at };
}

/** The Teams incoming webhook's body: a message with one Adaptive Card (schema version 1.2). */
export function teamsPayload(n: NotificationDoc): Record<string, unknown> {
  const facts = [
    ...(n.map ? [{ title: 'Map', value: n.map }] : []),
    { title: 'Kind', value: n.kind },
    { title: 'At (UTC)', value: n.at },
    { title: 'Notification', value: n.id },
  ];
  return {
    type: 'message',
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.2',
        body: [
          { type: 'TextBlock', text: `FinOps Bridge: ${titleOf(n.kind)}`, weight: 'Bolder', size: 'Medium', wrap: true },
          { type: 'TextBlock', text: n.message, wrap: true },
          { type: 'FactSet', facts },
        ],
      },
    }],
  };
}

export function payloadFor(format: 'generic' | 'teams', n: NotificationDoc): Record<string, unknown> {
  return format === 'teams' ? teamsPayload(n) : genericPayload(n);
}
