// The chase of the silent against the real stack, with short deadlines (ALERT_RESEND_WINDOW_MS 2 s): at the deadline
// exactly those without an answer get alert.resend-requested (batches of 500), then the still silent become
// `silent` and one alert.escalated counts them; a later Update takes the chase over and a Cancel ends it; a Redis
// that lost everything still chases. Each alert is first broadcast with a far deadline (its rows made and answers
// given at leisure, however loaded the machine); the chase then starts from an Update with a deadline seconds away
// (past by the time it is read, it runs at once: the same chase). Runs against a redis-server of its own (FLUSHALL
// must never touch the shared Redis), reconciled every second.
import {
  alertIssued,
  alertTopic,
  broadcastRecipientsResolved,
  broadcastTopic,
  type CloudEvent,
} from '@linli/contracts';
import { PrivateRedis } from '@linli/testing';
import {
  call,
  coordinator,
  EventProbe,
  EventSender,
  eventually,
  GULOU_COMMUNITY,
  GULOU_STREET,
  providerUser,
  startEmergency,
  type Json,
  type ServiceProcess,
} from './support';

const RESEND_WINDOW_MS = 2_000;
/** The deadline of the Update that starts a chase. */
const DEADLINE_MS = 2_000;
/** Room to see the deadline's job in Redis and flush it before it is due. */
const REDIS_LOSS_DEADLINE_MS = 5_000;
const HOUR = 3_600_000;
const QUIET_MS = 2_000;
const ALERTS_QUEUE = 'emergency-alerts';
const type = (name: string) => `linli.emergency.${name}.v1`;

let alerts = Math.floor(Math.random() * 900_000);
const newAlertId = () => `I20261129-${String(100_000 + (alerts++ % 900_000)).padStart(6, '0')}-A1`;

const suite = PrivateRedis.installed() ? describe : describe.skip;

suite('the chase of an alert’s silent recipients', () => {
  let redis: PrivateRedis;
  let emergency: ServiceProcess;
  let sender: EventSender;
  let probe: EventProbe;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    emergency = await startEmergency({
      REDIS_URL: redis.url,
      ALERT_RESEND_WINDOW_MS: String(RESEND_WINDOW_MS),
      SCHEDULING_RECONCILE_INTERVAL_MS: '1000',
    });
    [sender, probe] = await Promise.all([
      EventSender.start('emergency-test-chase'),
      EventProbe.start({ topic: alertTopic.name }),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled([emergency?.stop(), sender?.stop(), probe?.stop()]);
    await redis?.kill();
  });

  function message(alertId: string, sequence: number, data: Json = {}): CloudEvent {
    return sender.event('linli/emergency', alertIssued.type, alertId, GULOU_STREET, {
      alertId,
      version: sequence,
      jurisdiction: GULOU_STREET,
      incidentId: alertId.replace(/-A\d+$/, ''),
      sequence,
      messageType: sequence === 1 ? 'alert' : 'update',
      audiences: ['residents', 'providers'],
      areas: [GULOU_COMMUNITY],
      urgency: 'immediate',
      severity: 'severe',
      certainty: 'likely',
      language: 'zh-CN',
      headline: '暴雨红色预警 / red rainstorm warning',
      acknowledgeBy: new Date(Date.now() + (sequence === 1 ? HOUR : DEADLINE_MS)).toISOString(),
      expiresAt: new Date(Date.now() + HOUR).toISOString(),
      ...data,
    });
  }

  /**
   * Publishes the alert's first message (deadline an hour away), then its recipients in batches of at most 500, and
   * waits until all are rows.
   */
  async function broadcast(alertId: string, recipientIds: string[]): Promise<void> {
    const sequence = 1;
    await sender.send(alertTopic.name, [message(alertId, sequence)]);
    const batches: CloudEvent[] = [];
    for (let i = 0; i < recipientIds.length; i += 500) {
      const broadcastId = `${alertId}:${sequence}`;
      batches.push(
        sender.event('linli/notifications', broadcastRecipientsResolved.type, broadcastId, GULOU_STREET, {
          broadcastId,
          jurisdiction: GULOU_STREET,
          origin: { service: 'emergency', aggregateId: alertId, sequence },
          recipients: recipientIds.slice(i, i + 500).map((recipientId) => ({
            recipientId,
            kind: 'provider',
            channel: 'in-app',
            secondChannel: 'sms',
          })),
        }),
      );
    }
    await sender.send(broadcastTopic.name, batches);
    await eventually('every recipient a row', async () => {
      const board = await call(emergency, 'GET', `/alerts/${alertId}/board`, coordinator());
      return board.body.recipients === recipientIds.length ? true : undefined;
    });
  }

  const eventsOf = (alertId: string, name: string): Json[] =>
    probe.events
      .filter((event) => event.subject === alertId && event.type === type(name))
      .map((event) => event.data as Json);

  /** Watches a while longer: no more than the events seen of the alert come. */
  async function quiet(alertId: string, counts: { resends: number; escalations: number }): Promise<void> {
    const until = Date.now() + QUIET_MS;
    await eventually(
      'a quiet while',
      async () => {
        expect(eventsOf(alertId, 'alert.resend-requested')).toHaveLength(counts.resends);
        expect(eventsOf(alertId, 'alert.escalated')).toHaveLength(counts.escalations);
        return Date.now() >= until ? true : undefined;
      },
      { timeoutMs: QUIET_MS + 5_000 },
    );
  }

  const answer = (alertId: string, providerId: string, response: string) =>
    call(emergency, 'POST', `/alerts/${alertId}/acknowledgements`, providerUser(providerId), { response });

  it('re-sends to exactly those without an answer at the deadline, then lists the still silent to the coordinators', async () => {
    const alertId = newAlertId();
    await broadcast(alertId, ['P-a', 'P-b', 'P-c', 'P-d', 'P-e']);
    expect((await answer(alertId, 'P-a', 'safe')).status).toBe(201);
    expect((await answer(alertId, 'P-b', 'needs-help')).status).toBe(201);
    await sender.send(alertTopic.name, [message(alertId, 2)]);

    const [resend] = await probe.waitFor(
      (event) => event.subject === alertId && event.type === type('alert.resend-requested'),
    );
    expect(resend.data).toMatchObject({
      alertId,
      sequence: 2,
      batch: 1,
      recipientIds: ['P-c', 'P-d', 'P-e'],
    });
    const [escalated] = await probe.waitFor(
      (event) => event.subject === alertId && event.type === type('alert.escalated'),
    );
    expect(escalated.data).toMatchObject({
      alertId,
      sequence: 2,
      reason: 'unacknowledged',
      unacknowledgedCount: 3,
      needsHelpCount: 1,
    });
    expect(Date.parse(escalated.time!)).toBeGreaterThan(Date.parse(resend.time!));
    const silent = await call(emergency, 'GET', `/alerts/${alertId}/recipients?status=silent`, coordinator());
    expect(silent.body.items.map((row: Json) => row.recipientId)).toEqual(['P-c', 'P-d', 'P-e']);
    expect(silent.body.items[0]).toEqual(
      expect.objectContaining({
        status: 'silent',
        resentAt: expect.any(String),
        silentAt: expect.any(String),
      }),
    );

    // A silent recipient may still answer, late.
    expect((await answer(alertId, 'P-d', 'safe')).status).toBe(201);
    const board = (await call(emergency, 'GET', `/alerts/${alertId}/board`, coordinator())).body;
    expect(board).toMatchObject({
      recipients: 5,
      acknowledged: 3,
      needsHelp: 1,
      silent: 2,
      pending: 0,
      resent: 3,
    });
    await quiet(alertId, { resends: 1, escalations: 1 });
  });

  it('chases more than 500 in batches of at most 500, naming each once', async () => {
    const alertId = newAlertId();
    const everyone = Array.from({ length: 601 }, (_, i) => `P-${String(i).padStart(4, '0')}`);
    await broadcast(alertId, everyone);
    await sender.send(alertTopic.name, [message(alertId, 2)]);
    const resends = await probe.waitFor(
      (event) => event.subject === alertId && event.type === type('alert.resend-requested'),
      { count: 2 },
    );
    const data = resends.map((event) => event.data as Json).sort((a, b) => a.batch - b.batch);
    expect(data.map((batch) => [batch.batch, batch.recipientIds.length])).toEqual([
      [1, 500],
      [2, 101],
    ]);
    expect(data.flatMap((batch) => batch.recipientIds)).toEqual(everyone);
    await probe.waitFor((event) => event.subject === alertId && event.type === type('alert.escalated'));
    expect(eventsOf(alertId, 'alert.escalated')[0]).toMatchObject({
      unacknowledgedCount: 601,
      needsHelpCount: 0,
    });
  });

  it('a later Update takes the chase over (re-sent once, with the update); a Cancel ends it', async () => {
    const updated = newAlertId();
    const cancelled = newAlertId();
    await Promise.all([broadcast(updated, ['P-u1']), broadcast(cancelled, ['P-c1'])]);
    // Read one after the other (one alert's messages keep their order): the second ends the first's chase.
    await sender.send(alertTopic.name, [
      message(updated, 2),
      message(updated, 3, { acknowledgeBy: new Date(Date.now() + DEADLINE_MS + 1_000).toISOString() }),
      message(cancelled, 2),
      message(cancelled, 3, { messageType: 'cancel', acknowledgeBy: undefined }),
    ]);

    const [resend] = await probe.waitFor(
      (event) => event.subject === updated && event.type === type('alert.resend-requested'),
    );
    expect(resend.data).toMatchObject({ sequence: 3, recipientIds: ['P-u1'] });
    await probe.waitFor((event) => event.subject === updated && event.type === type('alert.escalated'));
    expect(eventsOf(updated, 'alert.escalated')).toEqual([expect.objectContaining({ sequence: 3 })]);
    await Promise.all([
      quiet(updated, { resends: 1, escalations: 1 }),
      quiet(cancelled, { resends: 0, escalations: 0 }),
    ]);
    const board = (await call(emergency, 'GET', `/alerts/${cancelled}/board`, coordinator())).body;
    expect(board).toMatchObject({ pending: 1, silent: 0, resent: 0 });
  });

  it('still chases when Redis lost its jobs before the deadline (reconciled from MongoDB)', async () => {
    const alertId = newAlertId();
    await broadcast(alertId, ['P-r1', 'P-r2']);
    await sender.send(alertTopic.name, [
      message(alertId, 2, { acknowledgeBy: new Date(Date.now() + REDIS_LOSS_DEADLINE_MS).toISOString() }),
    ]);
    const jobId = `alert-acknowledge-by:${alertId}:2`;
    await eventually('the deadline’s job in Redis', async () =>
      (await redis.jobIds(ALERTS_QUEUE)).includes(jobId) ? true : undefined,
    );
    await redis.flushAll();
    expect(await redis.jobIds(ALERTS_QUEUE)).toEqual([]);

    const [resend] = await probe.waitFor(
      (event) => event.subject === alertId && event.type === type('alert.resend-requested'),
    );
    expect(resend.data).toMatchObject({ sequence: 2, recipientIds: ['P-r1', 'P-r2'] });
    expect(Date.parse(resend.time!)).toBeGreaterThanOrEqual(
      Date.parse(eventsOf(alertId, 'alert.issued')[1]!.acknowledgeBy),
    );
  });
});
