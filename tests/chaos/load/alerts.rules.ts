// The checker's rules for the day's incident and its alert broadcast, pure: the incident exists once and is closed,
// its alert once with the messages the coordinator sent (alert, update, cancel), and every intended recipient got
// each message exactly once on their first channel (one delivery; an inbox item once, or one SMS taken at the
// gateway under that delivery's reference), and every acknowledgement given is recorded once, as first given.
import type { Finding, PartCheck } from '../support/types';

export interface AlertRecipientIntent {
  recipientId: string;
  channel: 'in-app' | 'sms';
  phone?: string;
  /** A signed-in recipient's username (in-app); residents have none and answer by their SMS link. */
  username?: string;
  /** How many times they answer: 0 (silent), 1, or 2 (the second must change nothing). */
  answers: 0 | 1 | 2;
  response: 'safe' | 'received';
}

export interface AlertsSeen {
  /** Incidents carrying this run's title. */
  incidents: { incidentId: string; status: string }[];
  /** Alerts of those incidents, with the sequences of their messages. */
  alerts: { alertId: string; sequences: number[] }[];
  /** notifications' deliveries of the alert's messages (messageKey alert:<alertId>:<sequence>). */
  deliveries: { deliveryId: string; messageKey: string; recipientId: string; channel: string }[];
  /** Inbox items of the alert per signed-in recipient, as their inbox shows them. */
  inbox: Record<string, number>;
  /** SMS the gateway took: its reference (the delivery id) and phone. */
  sms: { reference: string; to: string }[];
  /** References posted again after the gateway took them. */
  smsRepeats: Record<string, number>;
  /** emergency's record of each recipient of the alert. */
  recipients: { recipientId: string; acknowledged: boolean; response?: string }[];
}

export function checkAlerts(
  intended: { messages: number; recipients: readonly AlertRecipientIntent[] },
  seen: AlertsSeen,
): PartCheck {
  const lost: Finding[] = [];
  const duplicated: Finding[] = [];
  const notes: string[] = [];
  let final = 0;
  const expected = 1 + intended.recipients.length;

  const [incident, ...moreIncidents] = seen.incidents;
  if (!incident) lost.push({ id: 'incident', what: 'the incident was never declared' });
  for (const extra of moreIncidents)
    duplicated.push({
      id: extra.incidentId,
      what: `a second incident for one declaration (${extra.incidentId})`,
    });
  const [alert, ...moreAlerts] = seen.alerts;
  for (const extra of moreAlerts)
    duplicated.push({ id: extra.alertId, what: `a second alert for one issue (${extra.alertId})` });
  if (incident && !alert) lost.push({ id: incident.incidentId, what: 'the alert was never issued' });
  if (alert && alert.sequences.length > intended.messages)
    duplicated.push({
      id: alert.alertId,
      what: `${alert.sequences.length} messages on the alert, ${intended.messages} sent`,
    });
  if (alert && alert.sequences.length < intended.messages)
    lost.push({
      id: alert.alertId,
      what: `${alert.sequences.length} messages on the alert, ${intended.messages} sent`,
    });
  if (incident && incident.status !== 'closed')
    lost.push({ id: incident.incidentId, what: `incident stuck at ${incident.status}` });
  else if (incident && moreIncidents.length === 0 && alert && moreAlerts.length === 0) {
    if (alert.sequences.length === intended.messages) final += 1;
  }
  if (!alert) return { part: 'alerts', expected, final, lost, duplicated, notes };

  const mine = new Set(intended.recipients.map((r) => r.recipientId));
  const others = new Set(seen.deliveries.filter((d) => !mine.has(d.recipientId)).map((d) => d.recipientId));
  if (others.size > 0)
    notes.push(`${others.size} other recipients in the area got the alert too (not this part's)`);
  const smsByReference = new Map<string, { reference: string; to: string }[]>();
  for (const sms of seen.sms)
    smsByReference.set(sms.reference, [...(smsByReference.get(sms.reference) ?? []), sms]);
  const repeated = Object.values(seen.smsRepeats).reduce((sum, n) => sum + n, 0);
  if (repeated > 0)
    notes.push(`${repeated} SMS re-posted under a reference the gateway had taken (not sent twice)`);
  // Every SMS reference the deliveries of the alert account for: any other SMS to a recipient's phone is a second one.
  const expectedReferences = new Set(seen.deliveries.map((d) => d.deliveryId));

  for (const recipient of intended.recipients) {
    const id = recipient.recipientId;
    const before = lost.length + duplicated.length;
    for (const sequence of alert.sequences) {
      const key = `alert:${alert.alertId}:${sequence}`;
      const deliveries = seen.deliveries.filter((d) => d.recipientId === id && d.messageKey === key);
      if (deliveries.length === 0) lost.push({ id, what: `no delivery of ${key}` });
      if (deliveries.length > 1) duplicated.push({ id, what: `${deliveries.length} deliveries of ${key}` });
      for (const delivery of deliveries) {
        if (delivery.channel !== recipient.channel)
          lost.push({ id, what: `${key} went by ${delivery.channel}, not ${recipient.channel}` });
        if (recipient.channel !== 'sms') continue;
        const taken = smsByReference.get(delivery.deliveryId) ?? [];
        if (taken.length === 0) lost.push({ id, what: `the SMS of ${key} never reached the gateway` });
        for (const sms of taken)
          if (sms.to !== recipient.phone) lost.push({ id, what: `the SMS of ${key} went to another phone` });
      }
    }
    if (recipient.channel === 'in-app') {
      const items = seen.inbox[id] ?? 0;
      if (items < alert.sequences.length)
        lost.push({ id, what: `${items} inbox items of the alert, ${alert.sequences.length} messages` });
      if (items > alert.sequences.length)
        duplicated.push({
          id,
          what: `${items} inbox items of the alert, ${alert.sequences.length} messages`,
        });
    }
    for (const sms of seen.sms.filter(
      (m) => m.to === recipient.phone && !expectedReferences.has(m.reference),
    ))
      duplicated.push({ id, what: `an SMS of the alert no delivery asked for (reference ${sms.reference})` });
    const records = seen.recipients.filter((r) => r.recipientId === id);
    if (records.length > 1) duplicated.push({ id, what: `${records.length} recipient records of the alert` });
    const record = records[0];
    if (recipient.answers > 0) {
      if (!record?.acknowledged) lost.push({ id, what: 'acknowledged, but not recorded' });
      else if (record.response !== recipient.response)
        duplicated.push({
          id,
          what: `recorded ${record.response}: a later answer replaced the first (${recipient.response})`,
        });
    } else if (record?.acknowledged) {
      notes.push(`${id} never answered but is recorded as acknowledged`);
    }
    if (lost.length + duplicated.length === before) final += 1;
  }

  return { part: 'alerts', expected, final, lost, duplicated, notes };
}
