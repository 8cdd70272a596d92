// Who an alert reached and their answers, against the real stack: emergency's own alert.issued and notifications'
// broadcast batches are published here as those would be (no alerts module, no notifications service needed). A
// batch delivered twice makes each row once; the first answer emits one alert.acknowledged, later ones get it back;
// the link of an SMS answers with a good token and is refused with a bad one; staff record answers taken by phone;
// the list and the board count them; another jurisdiction sees nothing.
import {
  alertTopic,
  broadcastCompleted,
  broadcastRecipientsResolved,
  broadcastTopic,
  alertIssued,
  type CloudEvent,
} from '@linli/contracts';
import { authHeader } from '@linli/testing';
import { createHmac } from 'node:crypto';
import {
  call,
  coordinator,
  declareIncident,
  EmergencyDb,
  EventProbe,
  EventSender,
  eventually,
  GULOU_COMMUNITY,
  GULOU_STREET,
  issueAlert,
  providerUser,
  startEmergency,
  XUANWU,
  type Json,
  type ServiceProcess,
} from './support';

const LINK_KEY = 'acknowledgements-test-link-key';
const HOUR = 3_600_000;
/** How long a test watches for an event that must not come. */
const QUIET_MS = 2_500;

let alerts = Math.floor(Math.random() * 900_000);
/** A fresh alert id as the alerts module issues them. */
const newAlertId = () => `I20261129-${String(100_000 + (alerts++ % 900_000)).padStart(6, '0')}-A1`;
const incidentOf = (alertId: string) => alertId.replace(/-A\d+$/, '');

function issued(sender: EventSender, alertId: string, overrides: Json = {}): CloudEvent {
  return sender.event('linli/emergency', alertIssued.type, alertId, GULOU_STREET, {
    alertId,
    version: 1,
    jurisdiction: GULOU_STREET,
    incidentId: incidentOf(alertId),
    sequence: 1,
    messageType: 'alert',
    audiences: ['residents', 'providers'],
    areas: [GULOU_COMMUNITY],
    urgency: 'immediate',
    severity: 'severe',
    certainty: 'likely',
    language: 'zh-CN',
    headline: '暴雨红色预警 / red rainstorm warning',
    acknowledgeBy: new Date(Date.now() + HOUR).toISOString(),
    expiresAt: new Date(Date.now() + 24 * HOUR).toISOString(),
    ...overrides,
  });
}

function resolved(sender: EventSender, alertId: string, recipients: Json[], sequence = 1): CloudEvent {
  const broadcastId = `${alertId}:${sequence}`;
  return sender.event('linli/notifications', broadcastRecipientsResolved.type, broadcastId, GULOU_STREET, {
    broadcastId,
    jurisdiction: GULOU_STREET,
    origin: { service: 'emergency', aggregateId: alertId, sequence },
    recipients,
  });
}

const resident = (recipientId: string): Json => ({
  recipientId,
  kind: 'resident',
  channel: 'sms',
  secondChannel: 'sms',
});
const provider = (recipientId: string): Json => ({
  recipientId,
  kind: 'provider',
  channel: 'in-app',
  secondChannel: 'sms',
});

const linkToken = (alertId: string, recipientId: string) =>
  createHmac('sha256', LINK_KEY).update(`${alertId}:${recipientId}`).digest('base64url');

describe('alert recipients and their acknowledgements', () => {
  let emergency: ServiceProcess;
  let sender: EventSender;
  let probe: EventProbe;
  let db: EmergencyDb;

  beforeAll(async () => {
    // The service first: it creates the topics the probe reads.
    emergency = await startEmergency({ ALERT_ACK_LINK_KEY: LINK_KEY });
    [sender, probe, db] = await Promise.all([
      EventSender.start('emergency-test-acknowledgements'),
      EventProbe.start({ topic: alertTopic.name }),
      EmergencyDb.connect(),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled([emergency?.stop(), sender?.stop(), probe?.stop(), db?.close()]);
  });

  const acknowledgedOf = (alertId: string, recipientId: string) =>
    probe.events.filter(
      (event) =>
        event.type === alertAcknowledgedType &&
        event.subject === alertId &&
        (event.data as Json).recipientId === recipientId,
    );
  const alertAcknowledgedType = 'linli.emergency.alert.acknowledged.v1';

  /** Publishes the alert's first message and waits until emergency knows it (its board answers). */
  async function alertKnown(alertId: string, overrides: Json = {}): Promise<void> {
    await sender.send(alertTopic.name, [issued(sender, alertId, overrides)]);
    await eventually('the alert known', async () => {
      const board = await call(emergency, 'GET', `/alerts/${alertId}/board`, coordinator());
      return board.status === 200 ? true : undefined;
    });
  }

  async function rowsOf(alertId: string): Promise<Json[]> {
    return db.db
      .collection('alert_recipients')
      .find({ alertId }, { projection: { outbox: 0 } })
      .sort({ _id: 1 })
      .toArray();
  }

  /** Watches a while: still exactly `count` alert.acknowledged of this recipient. */
  async function staysAt(alertId: string, recipientId: string, count: number): Promise<void> {
    const until = Date.now() + QUIET_MS;
    await eventually(
      'a quiet while',
      async () => {
        expect(acknowledgedOf(alertId, recipientId)).toHaveLength(count);
        return Date.now() >= until ? true : undefined;
      },
      { timeoutMs: QUIET_MS + 5_000 },
    );
  }

  it('makes each recipient row once, even when a batch is delivered twice; the board counts them', async () => {
    const alertId = newAlertId();
    await alertKnown(alertId);
    const batch = resolved(sender, alertId, [
      resident('S20261129-000001'),
      provider('P-batch-1'),
      resident('u-9'),
    ]);
    // The same event twice (a redelivery), and the same batch again as a new event (notifications re-ran it).
    await sender.send(broadcastTopic.name, [batch, batch]);
    await sender.send(broadcastTopic.name, [
      resolved(sender, alertId, [provider('P-batch-1'), resident('u-9')]),
    ]);
    const completed = sender.event(
      'linli/notifications',
      broadcastCompleted.type,
      `${alertId}:1`,
      GULOU_STREET,
      {
        broadcastId: `${alertId}:1`,
        jurisdiction: GULOU_STREET,
        origin: { service: 'emergency', aggregateId: alertId, sequence: 1 },
        recipientCount: 3,
      },
    );
    await sender.send(broadcastTopic.name, [completed]);

    const board = await eventually('the board of three, completed', async () => {
      const reply = await call(emergency, 'GET', `/alerts/${alertId}/board`, coordinator());
      return reply.body.bySequence?.[0]?.completed && reply.body.recipients === 3 ? reply.body : undefined;
    });
    expect(board).toEqual({
      alertId,
      recipients: 3,
      acknowledged: 0,
      received: 0,
      safe: 0,
      needsHelp: 0,
      pending: 3,
      silent: 0,
      resent: 0,
      bySequence: [{ sequence: 1, recipientCount: 3, completed: true }],
    });
    const rows = await rowsOf(alertId);
    expect(rows.map((row) => row._id)).toEqual([
      `${alertId}:P-batch-1`,
      `${alertId}:S20261129-000001`,
      `${alertId}:u-9`,
    ]);
    const list = await call(emergency, 'GET', `/alerts/${alertId}/recipients?status=pending`, coordinator());
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 3, page: 1 });
    expect(list.body.items[0]).toEqual({
      recipientId: 'P-batch-1',
      kind: 'provider',
      channel: 'in-app',
      secondChannel: 'sms',
      status: 'pending',
    });
  });

  it('takes the first answer of a recipient (201, one alert.acknowledged); a later one gets it back (200)', async () => {
    const alertId = newAlertId();
    await alertKnown(alertId);
    await sender.send(broadcastTopic.name, [resolved(sender, alertId, [provider('P-first')])]);
    await eventually('the row', async () => ((await rowsOf(alertId)).length === 1 ? true : undefined));

    const first = await call(
      emergency,
      'POST',
      `/alerts/${alertId}/acknowledgements`,
      providerUser('P-first'),
      {
        response: 'safe',
      },
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      alertId,
      recipientId: 'P-first',
      status: 'acknowledged',
      response: 'safe',
      channel: 'app',
    });
    const again = await call(
      emergency,
      'POST',
      `/alerts/${alertId}/acknowledgements`,
      providerUser('P-first'),
      {
        response: 'needs-help',
      },
    );
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);

    const [event] = await probe.waitFor((e) => e.type === alertAcknowledgedType && e.subject === alertId);
    expect(event.jurisdiction).toBe(GULOU_STREET);
    expect(event.data).toMatchObject({
      alertId,
      incidentId: incidentOf(alertId),
      recipientId: 'P-first',
      response: 'safe',
      channel: 'app',
      jurisdiction: GULOU_STREET,
    });
    await staysAt(alertId, 'P-first', 1);
    const list = await call(
      emergency,
      'GET',
      `/alerts/${alertId}/recipients?status=acknowledged`,
      coordinator(),
    );
    expect(list.body.items).toEqual([
      expect.objectContaining({ recipientId: 'P-first', response: 'safe', acknowledgedVia: 'app' }),
    ]);
  });

  it('answers by the link of an SMS with a good token, refuses a bad one (403), and opening the link shows the answers, recording nothing until its form is posted', async () => {
    const alertId = newAlertId();
    await alertKnown(alertId);
    await sender.send(broadcastTopic.name, [
      resolved(sender, alertId, [resident('S20261129-000101'), resident('S20261129-000102')]),
    ]);
    await eventually('the rows', async () => ((await rowsOf(alertId)).length === 2 ? true : undefined));

    const bad = await call(
      emergency,
      'POST',
      '/acknowledgements/link',
      {},
      {
        alertId,
        recipientId: 'S20261129-000101',
        token: linkToken(alertId, 'S20261129-000102'),
        response: 'safe',
      },
    );
    expect(bad.status).toBe(403);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);

    const good = await call(
      emergency,
      'POST',
      '/acknowledgements/link',
      {},
      {
        alertId,
        recipientId: 'S20261129-000101',
        token: linkToken(alertId, 'S20261129-000101'),
        response: 'needs-help',
      },
    );
    expect(good.status).toBe(201);
    expect(good.body).toMatchObject({ status: 'needs-help', response: 'needs-help', channel: 'link' });

    // Opening the link shows the answers and records nothing (a link preview answers for nobody); the page's form
    // posts the answer back.
    const token102 = linkToken(alertId, 'S20261129-000102');
    const opened = await fetch(
      `${emergency.url}/acknowledgements/link?a=${alertId}&r=S20261129-000102&t=${token102}`,
    );
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toMatch(/text\/html/);
    const page = await opened.text();
    expect(page).toContain('<form method="post" action="link">');
    expect(page).toContain(`name="token" value="${token102}"`);
    expect(
      (await call(emergency, 'GET', `/alerts/${alertId}/recipients?status=pending`, coordinator())).body,
    ).toMatchObject({
      items: [expect.objectContaining({ recipientId: 'S20261129-000102' })],
    });
    const posted = await fetch(`${emergency.url}/acknowledgements/link`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        alertId,
        recipientId: 'S20261129-000102',
        token: token102,
        response: 'received',
      }),
    });
    expect(posted.status).toBe(201);
    expect(posted.headers.get('content-type')).toMatch(/text\/html/);
    const openedWrong = await call(
      emergency,
      'GET',
      `/acknowledgements/link?a=${alertId}&r=S20261129-000102&t=${linkToken(alertId, 'S20261129-000101')}`,
    );
    expect(openedWrong.status).toBe(403);

    await probe.waitFor((e) => e.type === alertAcknowledgedType && e.subject === alertId, { count: 2 });
    const board = (await call(emergency, 'GET', `/alerts/${alertId}/board`, coordinator())).body;
    expect(board).toMatchObject({ recipients: 2, acknowledged: 2, needsHelp: 1, received: 1, pending: 0 });
    expect(acknowledgedOf(alertId, 'S20261129-000102')[0].data).toMatchObject({
      response: 'received',
      channel: 'link',
    });
  });

  it('an answer before the recipient’s batch makes the row; the batch then adds its channels and keeps the answer', async () => {
    const alertId = newAlertId();
    await alertKnown(alertId);
    const early = await call(
      emergency,
      'POST',
      '/acknowledgements/link',
      {},
      {
        alertId,
        recipientId: 'S20261129-000201',
        token: linkToken(alertId, 'S20261129-000201'),
        response: 'safe',
      },
    );
    expect(early.status).toBe(201);
    await sender.send(broadcastTopic.name, [resolved(sender, alertId, [resident('S20261129-000201')])]);
    const row = await eventually('the row with its channels', async () => {
      const [found] = await rowsOf(alertId);
      return found?.kind ? found : undefined;
    });
    expect(row).toMatchObject({ status: 'acknowledged', response: 'safe', kind: 'resident', channel: 'sms' });
    await staysAt(alertId, 'S20261129-000201', 1);
  });

  it('staff record an answer taken by phone; others may not; another jurisdiction and an unknown alert are 404', async () => {
    const alertId = newAlertId();
    await alertKnown(alertId);
    await sender.send(broadcastTopic.name, [resolved(sender, alertId, [resident('S20261129-000301')])]);
    await eventually('the row', async () => ((await rowsOf(alertId)).length === 1 ? true : undefined));

    const byProvider = await call(
      emergency,
      'POST',
      `/alerts/${alertId}/acknowledgements`,
      providerUser('P-x'),
      {
        response: 'safe',
        recipientId: 'S20261129-000301',
        channel: 'phone',
      },
    );
    expect(byProvider.status).toBe(403);
    const byApp = await call(emergency, 'POST', `/alerts/${alertId}/acknowledgements`, coordinator(), {
      response: 'safe',
      recipientId: 'S20261129-000301',
    });
    expect(byApp.status).toBe(422);
    expect(byApp.body.errors).toEqual([expect.objectContaining({ field: 'channel' })]);
    const elsewhere = await call(
      emergency,
      'POST',
      `/alerts/${alertId}/acknowledgements`,
      authHeader('operator', XUANWU, { sub: 'op-xuanwu' }),
      { response: 'safe', recipientId: 'S20261129-000301', channel: 'phone' },
    );
    expect(elsewhere.status).toBe(404);
    expect((await call(emergency, 'GET', `/alerts/${alertId}/recipients`, coordinator(XUANWU))).status).toBe(
      404,
    );
    expect((await call(emergency, 'GET', `/alerts/${alertId}/board`, coordinator(XUANWU))).status).toBe(404);
    const unknown = await call(
      emergency,
      'POST',
      `/alerts/${newAlertId()}/acknowledgements`,
      providerUser('P-x'),
      {
        response: 'safe',
      },
    );
    expect(unknown.status).toBe(404);

    const byPhone = await call(
      emergency,
      'POST',
      `/alerts/${alertId}/acknowledgements`,
      authHeader('operator', GULOU_COMMUNITY, { sub: 'op-community' }),
      { response: 'received', recipientId: 'S20261129-000301', channel: 'phone' },
    );
    expect(byPhone.status).toBe(201);
    expect(byPhone.body).toMatchObject({
      recipientId: 'S20261129-000301',
      channel: 'phone',
      response: 'received',
    });
    const [row] = await rowsOf(alertId);
    expect(row.recordedBy).toBe('op-community');
  });

  it('knows an alert issued over HTTP from its alert.issued: its board, and answers to it', async () => {
    const incident = await declareIncident(emergency);
    const alert = await issueAlert(emergency, incident.incidentId);
    const board = await eventually('the board of the issued alert', async () => {
      const reply = await call(emergency, 'GET', `/alerts/${alert.alertId}/board`, coordinator());
      return reply.status === 200 ? reply.body : undefined;
    });
    expect(board).toMatchObject({
      recipients: 0,
      bySequence: [{ sequence: 1, recipientCount: null, completed: false }],
    });
    const answered = await call(
      emergency,
      'POST',
      `/alerts/${alert.alertId}/acknowledgements`,
      providerUser('P-http', GULOU_COMMUNITY),
      { response: 'received' },
    );
    expect(answered.status).toBe(201);
    const [event] = await probe.waitFor(
      (e) => e.type === alertAcknowledgedType && e.subject === alert.alertId,
    );
    // issuedAt: the time of the alert's first alert.issued.
    const [issuedEvent] = await probe.waitFor(
      (e) => e.type === alertIssued.type && e.subject === alert.alertId,
    );
    expect(event.data).toMatchObject({
      incidentId: incident.incidentId,
      recipientId: 'P-http',
      issuedAt: issuedEvent.time,
    });
  });

  it('refuses a bad answer with the field named, and unknown fields', async () => {
    const alertId = newAlertId();
    const noResponse = await call(
      emergency,
      'POST',
      `/alerts/${alertId}/acknowledgements`,
      providerUser('P-y'),
      {},
    );
    expect(noResponse.status).toBe(400);
    expect(noResponse.body.errors.map((error: Json) => error.field)).toContain('response');
    const byLink = await call(
      emergency,
      'POST',
      '/acknowledgements/link',
      {},
      {
        alertId,
        recipientId: 'r1',
        token: 'x',
        response: 'safe',
        channel: 'link',
      },
    );
    expect(byLink.status).toBe(400);
    expect(byLink.body.errors).toEqual([expect.objectContaining({ field: 'channel' })]);
    const badStatus = await call(
      emergency,
      'GET',
      `/alerts/${alertId}/recipients?status=lost`,
      coordinator(),
    );
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
  });
});
