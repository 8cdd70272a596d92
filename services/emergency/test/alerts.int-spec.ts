// Alerts against the real stack: issued for an incident (alert.issued read back from Kafka, acknowledgeBy = sent +
// the acknowledgement window), updated (sequence 2, messageType update), cancelled (no acknowledgeBy, then 409);
// each message written by the service as CAP 1.2 XML valid against the OASIS XSD, or as CAP JSON by Accept.
import { alertTopic, type CloudEvent } from '@linli/contracts';
import { parseCapXml } from '../src/cap/cap.parser';
import { validateCapXml } from '../src/cap/cap.schema';
import {
  alertBody,
  call,
  coordinator,
  declareIncident,
  EmergencyDb,
  EventProbe,
  incidentBody,
  GULOU_COMMUNITY,
  GULOU_COMMUNITY_2,
  issueAlert,
  operator,
  startEmergency,
  unique,
  XUANWU,
  type Json,
  type ServiceProcess,
} from './support';

const ISSUED = 'linli.emergency.alert.issued.v1';
const ACK_MINUTES = 10;

describe('emergency alerts', () => {
  let emergency: ServiceProcess;
  let events: EventProbe;

  beforeAll(async () => {
    emergency = await startEmergency({ ALERT_ACKNOWLEDGE_WITHIN_MS: String(ACK_MINUTES * 60_000) });
    events = await EventProbe.start({ topic: alertTopic.name });
  });

  afterAll(async () => {
    await Promise.allSettled([emergency?.stop(), events?.stop()]);
  });

  const issuedOf = async (alertId: string, count: number): Promise<CloudEvent<Json>[]> =>
    (await events.waitFor((e) => e.subject === alertId && e.type === ISSUED, {
      count,
      timeoutMs: 15_000,
    })) as CloudEvent<Json>[];

  const cap = (alertId: string, sequence: number, accept = 'application/cap+xml') =>
    fetch(`${emergency.url}/alerts/${alertId}/messages/${sequence}/cap`, {
      headers: { ...operator(), accept },
    });

  it('issues, updates and cancels an alert: alert.issued per message, each valid CAP 1.2', async () => {
    const incident = await declareIncident(emergency, { areas: [GULOU_COMMUNITY, GULOU_COMMUNITY_2] });
    const alert = await issueAlert(emergency, incident.incidentId, { areas: [GULOU_COMMUNITY] });
    expect(alert).toMatchObject({
      alertId: `${incident.incidentId}-A1`,
      incidentId: incident.incidentId,
      status: 'active',
      version: 0,
      language: 'zh-CN',
      areas: [GULOU_COMMUNITY],
      acknowledgeWithinMinutes: ACK_MINUTES,
      messages: [{ sequence: 1, messageType: 'alert' }],
    });
    const [first] = await issuedOf(alert.alertId, 1);
    expect(first.data).toMatchObject({
      alertId: alert.alertId,
      version: 0,
      incidentId: incident.incidentId,
      jurisdiction: incident.jurisdiction,
      sequence: 1,
      messageType: 'alert',
      audiences: ['residents', 'providers'],
      areas: [GULOU_COMMUNITY],
      urgency: 'immediate',
      severity: 'severe',
      certainty: 'likely',
      response: 'shelter',
      language: 'zh-CN',
      actorId: 'coord-1',
    });
    const sentAt = Date.parse(alert.messages[0].sentAt);
    expect(Date.parse(first.data.acknowledgeBy)).toBe(sentAt + ACK_MINUTES * 60_000);
    expect(Date.parse(first.data.expiresAt)).toBeGreaterThan(Date.now());

    const update = await call(emergency, 'POST', `/alerts/${alert.alertId}/updates`, coordinator(), {
      headline: '更新：雨势加大 / update: heavier rain',
      acknowledgeWithinMinutes: 5,
      language: 'en',
    });
    expect(update.status).toBe(201);
    expect(update.body).toMatchObject({ sequence: 2, messageType: 'update', acknowledgeWithinMinutes: 5 });
    const cancel = await call(emergency, 'POST', `/alerts/${alert.alertId}/cancel`, coordinator(), {
      reason: '误报 / false alarm',
    });
    expect(cancel.status).toBe(201);
    expect(cancel.body).toMatchObject({ sequence: 3, messageType: 'cancel', reason: '误报 / false alarm' });

    const all = await issuedOf(alert.alertId, 3);
    expect(all.map((e) => [e.data.sequence, e.data.messageType, e.data.version])).toEqual([
      [1, 'alert', 0],
      [2, 'update', 1],
      [3, 'cancel', 2],
    ]);
    expect(all[1].data).toMatchObject({ headline: '更新：雨势加大 / update: heavier rain', language: 'en' });
    expect(Date.parse(all[1].data.acknowledgeBy) - Date.parse(update.body.sentAt)).toBe(5 * 60_000);
    expect(all[2].data.acknowledgeBy).toBeUndefined();

    const view = await call(emergency, 'GET', `/alerts/${alert.alertId}`, operator());
    expect(view.body).toMatchObject({ status: 'cancelled', version: 2 });
    expect(view.body.messages).toHaveLength(3);

    // CAP: each message as XML, valid against the XSD, with references to the earlier ones.
    const types: string[] = [];
    for (const sequence of [1, 2, 3]) {
      const response = await cap(alert.alertId, sequence);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/cap+xml; charset=utf-8');
      const xml = await response.text();
      expect(await validateCapXml(xml)).toEqual({ valid: true, errors: [] });
      const parsed = parseCapXml(xml);
      expect(parsed.identifier).toBe(`${alert.alertId}-${sequence}`);
      expect(parsed.sender).toBe('emergency@linli.js.gov.cn');
      expect(parsed.references?.split(' ') ?? []).toHaveLength(sequence - 1);
      expect(parsed.info[0].area[0].geocode).toEqual([{ valueName: 'GB/T 10114', value: GULOU_COMMUNITY }]);
      types.push(parsed.msgType);
    }
    expect(types).toEqual(['Alert', 'Update', 'Cancel']);
    const latest = await fetch(`${emergency.url}/alerts/${alert.alertId}/cap`, { headers: operator() });
    expect(parseCapXml(await latest.text()).msgType).toBe('Cancel');
    const json = await cap(alert.alertId, 2, 'application/json');
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await json.json()).toMatchObject({ identifier: `${alert.alertId}-2`, msgType: 'Update' });
    expect((await cap(alert.alertId, 9)).status).toBe(404);

    // Cancelled: nothing more.
    const late = await call(emergency, 'POST', `/alerts/${alert.alertId}/updates`, coordinator(), {
      headline: 'x',
    });
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/cancelled/);
    expect((await call(emergency, 'POST', `/alerts/${alert.alertId}/cancel`, coordinator(), {})).status).toBe(
      409,
    );
  });

  it('refuses areas outside the incident, a past expiry, missing fields; other districts see nothing', async () => {
    const incident = await declareIncident(emergency);
    const post = (body: Json, headers = coordinator()) =>
      call(emergency, 'POST', `/incidents/${incident.incidentId}/alerts`, headers, body);
    const outside = await post(alertBody({ areas: [GULOU_COMMUNITY_2] }));
    expect(outside.status).toBe(400);
    expect(outside.body.errors).toEqual([
      { field: 'areas[0]', message: expect.stringContaining('not within') },
    ]);
    const past = await post(alertBody({ expiresAt: '2020-01-01T00:00:00Z' }));
    expect(past.status).toBe(400);
    expect(past.body.errors[0].field).toBe('expiresAt');
    const missing = await post({ ...alertBody(), headline: undefined, audiences: ['aliens'], extra: true });
    expect(missing.status).toBe(400);
    expect([...new Set(missing.body.errors.map((e: Json) => e.field))].sort()).toEqual([
      'audiences',
      'extra',
      'headline',
    ]);
    const tooLong = await post(alertBody({ headline: 'x'.repeat(161) }));
    expect(tooLong.body.errors[0].field).toBe('headline');
    expect((await post(alertBody(), coordinator(XUANWU))).status).toBe(404);
    expect((await post(alertBody(), operator())).status).toBe(403);

    const alert = await issueAlert(emergency, incident.incidentId);
    expect(alert.alertId).toBe(`${incident.incidentId}-A1`);
    expect((await call(emergency, 'GET', `/alerts/${alert.alertId}`, coordinator(XUANWU))).status).toBe(404);
    expect((await cap(alert.alertId, 1)).status).toBe(200);
    const xuanwuCap = await fetch(`${emergency.url}/alerts/${alert.alertId}/cap`, {
      headers: coordinator(XUANWU),
    });
    expect(xuanwuCap.status).toBe(404);
    const empty = await call(emergency, 'POST', `/alerts/${alert.alertId}/updates`, coordinator(), {});
    expect(empty.status).toBe(400);
    const second = await issueAlert(emergency, incident.incidentId);
    expect(second.alertId).toBe(`${incident.incidentId}-A2`);
  });

  describe('Idempotency-Key (ADR 0035)', () => {
    let db: EmergencyDb;
    beforeAll(async () => {
      db = await EmergencyDb.connect();
    });
    afterAll(async () => {
      await db?.close();
    });
    const withKey = (key: string, headers = coordinator()) => ({ ...headers, 'Idempotency-Key': key });
    /** Time for a second alert.issued to show, had a repeat queued one (the relay publishes within a poll). */
    const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

    it('a repeated declare answers the same incident and stores one; another body with the key is a 422', async () => {
      const body = incidentBody({ title: unique('idem-incident-') });
      const key = unique('idem-');
      const replies = await Promise.all(
        [1, 2, 3, 4, 5].map(() => call(emergency, 'POST', '/incidents', withKey(key), body)),
      );
      expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(replies.map((r) => r.body.incidentId)).size).toBe(1);
      const again = await call(emergency, 'POST', '/incidents', withKey(key), body);
      expect(again.body.incidentId).toBe(replies[0].body.incidentId);
      expect(await db.count('incidents', { title: body.title })).toBe(1);
      const changed = await call(emergency, 'POST', '/incidents', withKey(key), {
        ...body,
        severity: 'minor',
      });
      expect(changed.status).toBe(422);
      expect(changed.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
    });

    it('repeated and concurrent issues of one alert make one alert and one alert.issued', async () => {
      const incident = await declareIncident(emergency);
      const body = alertBody({ headline: unique('idem-alert-') });
      const key = unique('idem-');
      const path = `/incidents/${incident.incidentId}/alerts`;
      const replies = await Promise.all(
        [1, 2, 3, 4, 5].map(() => call(emergency, 'POST', path, withKey(key), body)),
      );
      const again = await call(emergency, 'POST', path, withKey(key), body);
      expect([...replies, again].map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
      const alertId = again.body.alertId;
      expect(replies.every((r) => r.body.alertId === alertId)).toBe(true);
      expect(await db.count('alerts', { incidentId: incident.incidentId })).toBe(1);
      await issuedOf(alertId, 1);
      await settle();
      expect(events.events.filter((e) => e.subject === alertId && e.type === ISSUED)).toHaveLength(1);
      const changed = await call(emergency, 'POST', path, withKey(key), { ...body, urgency: 'expected' });
      expect(changed.status).toBe(422);
    });

    it('a repeated update adds one message; a repeated cancel answers its message instead of 409', async () => {
      const incident = await declareIncident(emergency);
      const alert = await issueAlert(emergency, incident.incidentId);
      const update = { instruction: unique('move to the school hall ') };
      const updateKey = unique('idem-');
      const updates = await Promise.all(
        [1, 2, 3].map(() =>
          call(emergency, 'POST', `/alerts/${alert.alertId}/updates`, withKey(updateKey), update),
        ),
      );
      expect(updates.map((r) => [r.status, r.body.sequence])).toEqual([
        [201, 2],
        [201, 2],
        [201, 2],
      ]);
      const cancelKey = unique('idem-');
      const cancel = () =>
        call(emergency, 'POST', `/alerts/${alert.alertId}/cancel`, withKey(cancelKey), {
          reason: 'water receded',
        });
      const [first, second] = [await cancel(), await cancel()];
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body).toEqual(first.body);
      const stored = await call(emergency, 'GET', `/alerts/${alert.alertId}`, operator());
      expect(stored.body.messages.map((m: Json) => m.messageType)).toEqual(['alert', 'update', 'cancel']);
      expect(JSON.stringify(stored.body)).not.toContain('idempotency');
      await issuedOf(alert.alertId, 3);
      await settle();
      expect(events.events.filter((e) => e.subject === alert.alertId && e.type === ISSUED)).toHaveLength(3);
    });
  });
});
