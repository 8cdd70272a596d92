// POST /cap against the real stack: bad CAP (not XML, wrong namespace, a missing element, a bad date, an XML bomb,
// XXE, over CAP_MAX_BYTES, not XML's media type, areas outside the caller's) refused with the field named and
// NOTHING written; the five published alerts import (with areas=) and are written back as posted (round trip); the
// same CAP posted again gives the same ids; an Actual alert with our geocodes is broadcast (alert.issued), its
// Update and Cancel attach to it; an Exercise is recorded, not broadcast.
import { alertTopic, type CloudEvent } from '@linli/contracts';
import type { CapAlert } from '../src/cap/cap.model';
import { toCapDateTime } from '../src/cap/cap.model';
import { parseCapXml } from '../src/cap/cap.parser';
import { writeCapXml } from '../src/cap/cap.writer';
import { platformAlert, publishedExamples } from './cap-alerts';
import {
  call,
  coordinator,
  EmergencyDb,
  EventProbe,
  GULOU,
  GULOU_COMMUNITY,
  operator,
  postOversized,
  startEmergency,
  unique,
  XUANWU_COMMUNITY,
  type Json,
  type ServiceProcess,
} from './support';

const ISSUED = 'linli.emergency.alert.issued.v1';
const MAX_BYTES = 64 * 1024;
const COLLECTIONS = ['incidents', 'alerts', 'cap_imports', 'incident_sequences', 'alert_sequences'];

describe('emergency CAP import', () => {
  let emergency: ServiceProcess;
  let events: EventProbe;
  let db: EmergencyDb;

  beforeAll(async () => {
    emergency = await startEmergency({ CAP_MAX_BYTES: String(MAX_BYTES) });
    [events, db] = await Promise.all([EventProbe.start({ topic: alertTopic.name }), EmergencyDb.connect()]);
  });

  afterAll(async () => {
    await Promise.allSettled([emergency?.stop(), events?.stop(), db?.close()]);
  });

  const post = (
    xml: string,
    query = `?areas=${GULOU_COMMUNITY}`,
    contentType = 'application/cap+xml',
    headers = coordinator(),
  ) => call(emergency, 'POST', `/cap${query}`, headers, xml, contentType);

  /** A fresh Actual alert of ours (GB/T 2260 geocode of Gulou), expiring in an hour. */
  function freshAlert(overrides: Partial<CapAlert> = {}): CapAlert {
    const base = platformAlert();
    const expires = toCapDateTime(new Date(Date.now() + 3_600_000));
    return {
      ...base,
      identifier: unique('ext-'),
      sender: 'alerts@weather.js.gov.cn',
      sent: toCapDateTime(new Date()),
      info: base.info.map((info) => ({
        ...info,
        expires,
        area: info.area.map((area) => ({ ...area, geocode: [{ valueName: 'GB/T 2260', value: GULOU }] })),
      })),
      ...overrides,
    };
  }

  it('refuses bad CAP with the field named and writes nothing', async () => {
    const valid = writeCapXml(freshAlert());
    const refused = async (xml: string, field: string, query?: string, status = 400) => {
      const response = await post(xml, query);
      expect({ status: response.status, fields: response.body.errors?.map((e: Json) => e.field) }).toEqual({
        status,
        fields: [field],
      });
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    };
    await refused('this is not XML', 'document');
    await refused('<alert><unclosed></alert>', 'document');
    await refused(
      valid.replace('urn:oasis:names:tc:emergency:cap:1.2', 'urn:oasis:names:tc:emergency:cap:1.1'),
      'alert',
    );
    await refused(valid.replace(/<identifier>[^<]*<\/identifier>/, ''), 'alert.identifier');
    await refused(valid.replace(/<sent>[^<]*<\/sent>/, '<sent>2026-07-01T08:00:00Z</sent>'), 'alert.sent');
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
      `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol2;</identifier></alert>`;
    await refused(bomb, 'document');
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
      valid.replace(/^<\?xml[^>]*>\n/, '').replace(/<note>|<incidents>/, '<note>&xxe;</note><incidents>');
    await refused(xxe, 'document');
    await refused(valid, 'areas[0]', `?areas=${XUANWU_COMMUNITY}`);
    await refused(valid, 'areas[0]', '?areas=999999');
    await refused(writeCapXml(platformAlert()), 'areas', ''); // Xuanwu's geocodes only: not the caller's

    const oversized = await postOversized(
      emergency,
      `/cap?areas=${GULOU_COMMUNITY}`,
      coordinator(),
      valid.replace('<description>', `<description>${'x'.repeat(MAX_BYTES)}`),
      'application/xml',
    );
    expect(oversized.status).toBe(413);
    const json = await call(emergency, 'POST', `/cap?areas=${GULOU_COMMUNITY}`, coordinator(), { alert: 1 });
    expect(json.status).toBe(415);
    expect((await post(valid, undefined, 'application/xml', operator())).status).toBe(403);

    for (const collection of COLLECTIONS)
      expect({ collection, count: await db.count(collection) }).toEqual({ collection, count: 0 });
  });

  it('imports each of the five published alerts and writes it back as posted; posted again, the same ids', async () => {
    const ids = new Set<string>();
    for (const { name, xml } of publishedExamples()) {
      for (const contentType of ['application/xml', 'text/xml; charset=utf-8']) {
        const response = await post(xml, `?areas=${GULOU_COMMUNITY}`, contentType);
        expect({ name, status: response.status }).toEqual({ name, status: ids.has(name) ? 200 : 201 });
        expect(response.body).toEqual({
          incidentId: expect.stringMatching(/^I\d{8}-\d{6}$/),
          alertId: `${response.body.incidentId}-A1`,
          sequence: 1,
        });
        ids.add(name);
        const back = await fetch(`${emergency.url}/alerts/${response.body.alertId}/messages/1/cap`, {
          headers: coordinator(),
        });
        expect(back.status).toBe(200);
        expect(parseCapXml(await back.text())).toEqual(parseCapXml(xml));
        const incident = await call(
          emergency,
          'GET',
          `/incidents/${response.body.incidentId}`,
          coordinator(),
        );
        expect(incident.body).toMatchObject({
          source: 'cap-import',
          areas: [GULOU_COMMUNITY],
          status: 'declared',
        });
      }
    }
    expect(await db.count('incidents')).toBe(5);
    expect(await db.count('alerts')).toBe(5);
  });

  it('broadcasts an Actual alert with our geocodes; its Update and Cancel attach to it; an Exercise is not broadcast', async () => {
    const original = freshAlert();
    const created = await post(writeCapXml(original), '');
    expect(created.status).toBe(201);
    const { alertId, incidentId } = created.body;
    const [issued] = (await events.waitFor((e) => e.subject === alertId && e.type === ISSUED, {
      timeoutMs: 15_000,
    })) as CloudEvent<Json>[];
    expect(issued.data).toMatchObject({
      alertId,
      incidentId,
      sequence: 1,
      messageType: 'alert',
      areas: [GULOU],
      urgency: 'immediate',
      severity: 'severe',
      certainty: 'likely',
      response: 'shelter',
      language: 'zh-CN',
    });
    const incident = await call(emergency, 'GET', `/incidents/${incidentId}`, coordinator());
    expect(incident.body).toMatchObject({
      kind: 'typhoon',
      source: 'cap-import',
      jurisdiction: GULOU,
      polygon: { type: 'Polygon', coordinates: [expect.arrayContaining([[118.78, 32.07]])] },
    });

    const reference = `${original.sender},${original.identifier},${original.sent}`;
    const update = freshAlert({ sender: original.sender, msgType: 'Update', references: reference });
    const attached = await post(writeCapXml(update), '');
    expect(attached.status).toBe(201);
    expect(attached.body).toEqual({ incidentId, alertId, sequence: 2 });
    expect((await post(writeCapXml(update), '')).body).toEqual({ incidentId, alertId, sequence: 2 });
    const cancel = freshAlert({
      sender: original.sender,
      msgType: 'Cancel',
      references: `${reference} ${update.sender},${update.identifier},${update.sent}`,
    });
    const cancelled = await post(writeCapXml(cancel), '');
    expect(cancelled.body).toEqual({ incidentId, alertId, sequence: 3 });
    const all = (await events.waitFor((e) => e.subject === alertId && e.type === ISSUED, {
      count: 3,
      timeoutMs: 15_000,
    })) as CloudEvent<Json>[];
    expect(all.map((e) => e.data.messageType)).toEqual(['alert', 'update', 'cancel']);
    const view = await call(emergency, 'GET', `/alerts/${alertId}`, coordinator());
    expect(view.body).toMatchObject({ status: 'cancelled', source: 'cap-import' });
    const back = await fetch(`${emergency.url}/alerts/${alertId}/messages/2/cap`, { headers: coordinator() });
    expect(parseCapXml(await back.text())).toEqual(parseCapXml(writeCapXml(update)));

    const exercise = await post(writeCapXml(freshAlert({ status: 'Exercise' })), '');
    expect(exercise.status).toBe(201);
    const exerciseView = await call(emergency, 'GET', `/alerts/${exercise.body.alertId}`, coordinator());
    expect(exerciseView.body.messages[0]).toMatchObject({ broadcast: false, capStatus: 'Exercise' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(events.events.filter((e) => e.subject === exercise.body.alertId)).toEqual([]);
  });
});
