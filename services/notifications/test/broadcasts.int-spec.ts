// Broadcasts against the real Kafka, MongoDB-wire server and Redis: an alert.issued gives exactly one delivery to
// every contact of its audiences whose area overlaps the alert's (none to those outside or of another kind), even
// when the event is redelivered or re-run; the recipients-resolved batches and broadcast.completed name them; the
// chase's re-send goes on each recipient's second channel; the coordinators covering the alert are told of the
// silent.
import { alertTopic, broadcastTopic, type CloudEvent } from '@linli/contracts';
import {
  admin,
  alertId as newAlertId,
  call,
  coordinator,
  eventually,
  EventProbe,
  GULOU_COMMUNITY,
  GULOU_COMMUNITY_2,
  GULOU_OTHER_COMMUNITY,
  GULOU_STREET,
  GULOU,
  OtherServices,
  putContact,
  startNotifications,
  unique,
  uniquePhone,
  XUANWU_COMMUNITY,
  type Json,
  type ServiceProcess,
} from './support';
import { namespaced } from '@linli/platform';
import { authHeader } from '@linli/testing';
import { MongoClient } from 'mongodb';
import { ackLinkToken } from '../src/deliveries/ack-link';
import { NOTIFICATIONS_DEFAULTS } from '../src/config';

const ACK_KEY = NOTIFICATIONS_DEFAULTS.ALERT_ACK_LINK_KEY;

const BROADCAST_TYPE = (name: string) => `linli.notifications.${name}.v1`;

describe('notifications broadcasts', () => {
  let notifications: ServiceProcess;
  let others: OtherServices;
  let broadcasts: EventProbe;
  const ids = {
    smsFirst: unique('P'),
    worker: unique('W'),
    district: unique('P'),
    otherStreet: unique('P'),
    otherDistrict: unique('P'),
    coordinator: unique('U'),
  };
  let resident = '';

  beforeAll(async () => {
    notifications = await startNotifications({ BROADCAST_BATCH_SIZE: '2' });
    [others, broadcasts] = await Promise.all([
      OtherServices.start(),
      EventProbe.start({ topic: broadcastTopic.name }),
    ]);
    const puts = await Promise.all([
      putContact(notifications, ids.smsFirst, {
        kind: 'provider',
        areas: [GULOU_COMMUNITY],
        channels: ['sms', 'in-app'],
        phone: uniquePhone(),
      }),
      putContact(notifications, ids.worker, {
        kind: 'community-worker',
        areas: [GULOU_STREET],
        channels: ['in-app'],
      }),
      putContact(notifications, ids.district, { kind: 'provider', areas: [GULOU], channels: ['in-app'] }),
      putContact(notifications, ids.otherStreet, {
        kind: 'provider',
        areas: [GULOU_OTHER_COMMUNITY],
        channels: ['in-app'],
      }),
      putContact(notifications, ids.otherDistrict, {
        kind: 'provider',
        areas: [XUANWU_COMMUNITY],
        channels: ['in-app'],
      }),
      putContact(notifications, ids.coordinator, {
        kind: 'coordinator',
        areas: [GULOU_STREET],
        channels: ['in-app'],
        language: 'en',
      }),
    ]);
    expect(puts.map((put) => put.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const subscribed = await call(notifications, 'POST', '/subscriptions', coordinator(), {
      community: GULOU_COMMUNITY_2,
      phone: uniquePhone(),
    });
    expect(subscribed.status).toBe(201);
    resident = subscribed.body.subscriptionId;
  });

  afterAll(async () => {
    await Promise.allSettled([notifications?.stop(), others?.stop(), broadcasts?.stop()]);
  });

  const deliveriesOf = async (messageKey: string): Promise<Json[]> => {
    const reply = await call(
      notifications,
      'GET',
      `/deliveries?messageKey=${encodeURIComponent(messageKey)}&pageSize=200`,
      coordinator(GULOU),
    );
    expect(reply.status).toBe(200);
    return reply.body.items;
  };
  const completedOf = (broadcastId: string) =>
    broadcasts.waitFor(
      (event) => event.type === BROADCAST_TYPE('broadcast.completed') && event.subject === broadcastId,
      { timeoutMs: 20_000 },
    );
  const resolvedOf = (broadcastId: string): CloudEvent<Json>[] =>
    broadcasts.events.filter(
      (event) =>
        event.type === BROADCAST_TYPE('broadcast.recipients-resolved') && event.subject === broadcastId,
    ) as CloudEvent<Json>[];

  it('delivers an alert once to every contact of its audiences in its area, and to nobody else', async () => {
    const alertId = newAlertId();
    const issued = await others.alertIssued(alertId, { areas: [GULOU_STREET] });
    const [completed] = await completedOf(`${alertId}:1`);

    const deliveries = await deliveriesOf(`alert:${alertId}:1`);
    const byRecipient = new Map<string, Json[]>();
    for (const delivery of deliveries) {
      byRecipient.set(delivery.recipientId, [...(byRecipient.get(delivery.recipientId) ?? []), delivery]);
    }
    for (const id of [ids.smsFirst, ids.worker, ids.district, resident]) {
      expect(byRecipient.get(id)).toHaveLength(1);
    }
    for (const id of [ids.otherStreet, ids.otherDistrict, ids.coordinator]) {
      expect(byRecipient.has(id)).toBe(false);
    }
    expect(byRecipient.get(ids.smsFirst)?.[0]).toMatchObject({ channel: 'sms' });
    expect(byRecipient.get(resident)?.[0]).toMatchObject({ channel: 'sms' });
    expect(byRecipient.get(ids.worker)?.[0]).toMatchObject({ channel: 'in-app', status: 'delivered' });
    expect(completed?.data).toMatchObject({
      broadcastId: `${alertId}:1`,
      origin: { service: 'emergency', aggregateId: alertId, sequence: 1 },
      recipientCount: deliveries.length,
    });

    // Batches of two: every recipient named once across them, with their channels.
    // (The relay publishes the batches' and the broadcast's outboxes apart: the last batch may follow the total.)
    const named = await eventually('every recipient named by a batch', async () => {
      const all = resolvedOf(`${alertId}:1`).flatMap((event) => event.data.recipients as Json[]);
      return all.length >= deliveries.length ? all : undefined;
    });
    expect(named.map((r) => r.recipientId).sort()).toEqual(deliveries.map((d) => d.recipientId).sort());
    expect(named.find((r) => r.recipientId === ids.smsFirst)).toEqual({
      recipientId: ids.smsFirst,
      kind: 'provider',
      channel: 'sms',
      secondChannel: 'in-app',
    });

    const broadcast = await call(notifications, 'GET', `/broadcasts/${alertId}:1`, coordinator(GULOU));
    expect(broadcast.body).toMatchObject({ status: 'completed', recipientCount: deliveries.length });

    // The same event again, and the same alert message again under another event id: nothing new.
    await others.send(alertTopic.name, [issued]);
    await others.alertIssued(alertId, { areas: [GULOU_STREET] });
    // A later message of the same alert (same key, so read after them) marks the point they were read by.
    await others.alertIssued(alertId, { areas: [GULOU_STREET], sequence: 2, messageType: 'update' });
    await completedOf(`${alertId}:2`);
    expect(await deliveriesOf(`alert:${alertId}:1`)).toHaveLength(deliveries.length);
    expect((await deliveriesOf(`alert:${alertId}:2`)).length).toBe(deliveries.length);
  });

  it('resumes a pass cut short after its last recorded batch, counting what the earlier run delivered', async () => {
    // Three contacts of a kind of their own in one community, in id order; an earlier run wrote the first batch
    // (two of them) and was cut short: the broadcast document says so.
    const prefix = unique('R');
    const resumed = [`${prefix}-1`, `${prefix}-2`, `${prefix}-3`];
    for (const id of resumed) {
      expect(
        (
          await putContact(notifications, id, {
            kind: 'community-worker',
            areas: [GULOU_OTHER_COMMUNITY],
            channels: ['in-app'],
          })
        ).status,
      ).toBe(201);
    }
    const alertId = newAlertId();
    const broadcastId = `${alertId}:1`;
    const client = await MongoClient.connect(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
    try {
      const db = client.db(namespaced('linli-notifications', '-'));
      await db.collection('notificationbroadcasts').insertOne({
        _id: broadcastId,
        alertId,
        sequence: 1,
        jurisdiction: GULOU,
        areas: [GULOU_OTHER_COMMUNITY],
        audiences: ['community-workers'],
        message: { messageType: 'alert', headline: '燃气泄漏', severity: 'severe' },
        status: 'resolving',
        recipientCount: 2,
        byChannel: { 'in-app': 2 },
        batches: 1,
        lastContactId: resumed[1],
        cause: { eventType: 'linli.emergency.alert.issued.v1', eventId: 'earlier' },
        startedAt: new Date(),
        version: 0,
        outbox: [],
      } as never);
    } finally {
      await client.close();
    }
    await others.alertIssued(alertId, { areas: [GULOU_OTHER_COMMUNITY], audiences: ['community-workers'] });
    const [completed] = await completedOf(broadcastId);
    expect(completed?.data).toMatchObject({ recipientCount: 3 });
    expect((await deliveriesOf(`alert:${broadcastId}`)).map((d) => d.recipientId)).toEqual([resumed[2]]);
    const batch = await eventually('the second batch', async () =>
      resolvedOf(broadcastId).find((event) => event.data.recipients.length === 1),
    );
    expect(batch.data.recipients).toEqual([expect.objectContaining({ recipientId: resumed[2] })]);
  });

  it('ends the resident’s SMS with an acknowledgement link emergency can verify', async () => {
    const alertId = newAlertId();
    await others.alertIssued(alertId, { areas: [GULOU_COMMUNITY_2], audiences: ['residents'] });
    await completedOf(`${alertId}:1`);
    const text = await eventually('the SMS recorded', async () => {
      const reply = await call(notifications, 'GET', `/sms/recorded?contactId=${resident}`, admin());
      const sms = (reply.body.items as Json[] | undefined)?.find((m) => String(m.text).includes(alertId));
      return sms ? String(sms.text) : undefined;
    });
    const link = new URL(/https?:\/\/\S+$/.exec(text)?.[0] ?? 'http://missing');
    expect(link.searchParams.get('a')).toBe(alertId);
    expect(link.searchParams.get('r')).toBe(resident);
    expect(link.searchParams.get('t')).toBe(ackLinkToken(ACK_KEY, alertId, resident));
  });

  it('sends the reminder on each recipient’s second channel (the first when they have one)', async () => {
    const alertId = newAlertId();
    await others.alertIssued(alertId, { areas: [GULOU_COMMUNITY] });
    await completedOf(`${alertId}:1`);
    await others.alertResendRequested(alertId, [ids.smsFirst, ids.district]);

    const reminders = await eventually('two reminders', async (): Promise<Json[]> => {
      const items = await deliveriesOf(`alert-resend:${alertId}:1`);
      expect(items).toHaveLength(2);
      return items;
    });
    const channelOf = (id: string) => reminders.find((r) => r.recipientId === id)?.channel;
    expect(channelOf(ids.smsFirst)).toBe('in-app');
    expect(channelOf(ids.district)).toBe('in-app');

    const inbox = await call(
      notifications,
      'GET',
      '/inbox',
      authHeader('provider', GULOU, { sub: `user-${ids.smsFirst}`, providerId: ids.smsFirst }),
    );
    expect(inbox.body.items[0]).toMatchObject({ template: 'alert-reminder', data: { alertId } });
    expect(inbox.body.items[0].title).toMatch(/^再次提醒：预警：/);
  });

  it('tells the coordinators covering the alert how many stayed silent, with the list', async () => {
    const alertId = newAlertId();
    await others.alertIssued(alertId, { areas: [GULOU_COMMUNITY] });
    await completedOf(`${alertId}:1`);
    await others.alertEscalated(alertId, 3);

    const inbox = await eventually('the escalation in the coordinator’s inbox', async () => {
      const reply = await call(notifications, 'GET', '/inbox', coordinator(GULOU_STREET, ids.coordinator));
      const item = reply.body.items.find((i: Json) => i.data.alertId === alertId);
      expect(item).toBeDefined();
      return item as Json;
    });
    expect(inbox).toMatchObject({
      template: 'alert-escalated',
      title: `3 people have not acknowledged alert ${alertId}`,
      data: { listPath: `/alerts/${alertId}/recipients?status=silent`, unacknowledgedCount: 3 },
    });
  });

  it('shows receipts only within the caller’s jurisdiction', async () => {
    const alertId = newAlertId();
    await others.alertIssued(alertId, { areas: [GULOU_COMMUNITY] });
    await completedOf(`${alertId}:1`);
    const other = await call(notifications, 'GET', `/broadcasts/${alertId}:1`, coordinator('320102'));
    expect(other.status).toBe(404);
    const [first] = await deliveriesOf(`alert:${alertId}:1`);
    expect(
      (await call(notifications, 'GET', `/deliveries/${first?.deliveryId}`, coordinator('320102'))).status,
    ).toBe(404);
    expect(
      (await call(notifications, 'GET', `/deliveries/${first?.deliveryId}`, admin())).body,
    ).toMatchObject({
      deliveryId: first?.deliveryId,
      attempts: expect.any(Number),
    });
  });
});
