// An alert broadcast end to end (issue 6): providers, community workers and subscribed residents of 宁海路街道 and
// of the next street are in notifications' directory; a coordinator declares an incident for the street and issues
// an alert to every audience. Everyone in the street (and the district-wide provider, whose area covers it) gets
// exactly one delivery, nobody outside does; some acknowledge over HTTP (the app, a call recorded by staff, the
// link of an SMS); at the deadline the silent ones get it again on their second channel, nobody who acknowledged
// does; after the window they are listed to the coordinators, whose inbox has the escalation. The CAP 1.2 XML of the
// Alert, an Update and the Cancel validates against the OASIS schema.
import { authHeader } from '@linli/testing';
import {
  admin,
  validateAgainstCapXsd,
  alertWhen,
  allPages,
  call,
  coordinator,
  eventually,
  GULOU,
  HUAQIAO_ROAD_COMMUNITIES,
  inboxOf,
  inboxWhen,
  MEIYUAN,
  NINGHAI_ROAD_COMMUNITIES,
  NINGHAI_ROAD_STREET,
  operator,
  providerUser,
  startEmergencyPlatform,
  uniqueId,
  uniquePhone,
  waitUntil,
  type Caller,
  type EmergencyPlatform,
  type Json,
} from './support/linli';

/** Short chase by configuration: re-sent 15 s after the alert, listed 5 s after that. */
const ACKNOWLEDGE_WITHIN_MS = 15_000;
const RESEND_WINDOW_MS = 5_000;

type Kind = 'provider' | 'community-worker' | 'resident';
interface Person {
  id: string;
  kind: Kind;
  area: string;
  /** Signed in (providers, community workers); residents have no account. */
  caller?: Caller;
  /** The second channel, where a re-send goes (the first when there is only one). */
  resendChannel: 'sms' | 'in-app';
  inside: boolean;
}

const communityWorker = (id: string): Caller => ({
  role: 'operator',
  jurisdiction: NINGHAI_ROAD_STREET,
  sub: id,
});

describe('emergency: an alert broadcast to a street, acknowledged, chased and escalated', () => {
  let platform: EmergencyPlatform;
  const people: Person[] = [];
  let alertId: string;
  let issuedAt: number;

  const byId = (id: string) => people.find((p) => p.id === id) as Person;
  const inside = () => people.filter((p) => p.inside);
  const ids = (list: Person[]) => list.map((p) => p.id).sort();

  async function putContact(id: string, body: Record<string, unknown>): Promise<void> {
    const reply = await call(platform.notifications, 'PUT', `/contacts/${id}`, admin, body);
    if (reply.status !== 200 && reply.status !== 201)
      throw new Error(`contact ${id} not written: ${reply.status} ${JSON.stringify(reply.body)}`);
  }

  async function deliveriesOf(messageKey: string): Promise<Json[]> {
    const reply = await call(
      platform.notifications,
      'GET',
      `/deliveries?messageKey=${encodeURIComponent(messageKey)}`,
      coordinator,
    );
    expect(reply.status).toBe(200);
    return reply.body.items as Json[];
  }

  async function cap(path: string, accept: string): Promise<{ status: number; type: string; text: string }> {
    const response = await fetch(platform.emergency.url + path, {
      headers: { accept, ...authHeader('coordinator', GULOU, { sub: coordinator.sub as string }) },
    });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  }

  beforeAll(async () => {
    platform = await startEmergencyPlatform({
      ALERT_ACKNOWLEDGE_WITHIN_MS: String(ACKNOWLEDGE_WITHIN_MS),
      ALERT_RESEND_WINDOW_MS: String(RESEND_WINDOW_MS),
      BROADCAST_BATCH_SIZE: '5',
    });

    // Providers: six in the street's communities, one for the whole street, one for the whole district (its area
    // covers the street: concerned), two elsewhere (the next street, another district). In-app first, SMS second.
    const providerAreas: [string, boolean][] = [
      ...NINGHAI_ROAD_COMMUNITIES.map((c): [string, boolean] => [c, true]),
      [NINGHAI_ROAD_COMMUNITIES[0], true],
      [NINGHAI_ROAD_STREET, true],
      [GULOU, true],
      [HUAQIAO_ROAD_COMMUNITIES[0], false],
      [MEIYUAN, false],
    ];
    for (const [area, isInside] of providerAreas) {
      const id = uniqueId('prv');
      people.push({
        id,
        kind: 'provider',
        area,
        caller: providerUser(id),
        resendChannel: 'sms',
        inside: isInside,
      });
    }
    // Community workers: in-app only (a re-send goes to the in-app inbox again).
    for (const [area, isInside] of [
      [NINGHAI_ROAD_COMMUNITIES[0], true],
      [NINGHAI_ROAD_COMMUNITIES[1], true],
      [NINGHAI_ROAD_COMMUNITIES[2], true],
      [NINGHAI_ROAD_COMMUNITIES[3], true],
      [HUAQIAO_ROAD_COMMUNITIES[1], false],
    ] as [string, boolean][]) {
      const id = uniqueId('cw');
      people.push({
        id,
        kind: 'community-worker',
        area,
        caller: communityWorker(id),
        resendChannel: 'in-app',
        inside: isInside,
      });
    }
    await Promise.all(
      people.map((p) =>
        putContact(p.id, {
          kind: p.kind,
          areas: [p.area],
          language: 'zh-CN',
          channels: p.kind === 'provider' ? ['in-app', 'sms'] : ['in-app'],
          ...(p.kind === 'provider' ? { phone: uniquePhone() } : {}),
        }),
      ),
    );
    // Residents signed up by the hotline: three in the street, one in the next street. SMS only.
    for (const [community, isInside] of [
      [NINGHAI_ROAD_COMMUNITIES[0], true],
      [NINGHAI_ROAD_COMMUNITIES[1], true],
      [NINGHAI_ROAD_COMMUNITIES[4], true],
      [HUAQIAO_ROAD_COMMUNITIES[0], false],
    ] as [string, boolean][]) {
      const phone = uniquePhone();
      const reply = await call(platform.notifications, 'POST', '/subscriptions', operator, {
        community,
        phone,
      });
      expect(reply.status).toBe(201);
      expect(reply.body.phone).not.toContain(phone.slice(3, 7));
      // The same phone and community again: the same subscription.
      const again = await call(platform.notifications, 'POST', '/subscriptions', operator, {
        community,
        phone,
      });
      expect(again.status).toBe(200);
      expect(again.body.subscriptionId).toBe(reply.body.subscriptionId);
      people.push({
        id: reply.body.subscriptionId,
        kind: 'resident',
        area: community,
        resendChannel: 'sms',
        inside: isInside,
      });
    }
    // The coordinator's own contact: told of the escalation in the app.
    await putContact(coordinator.sub as string, {
      kind: 'coordinator',
      areas: [GULOU],
      language: 'zh-CN',
      channels: ['in-app'],
    });
  });
  afterAll(() => platform?.stop());

  it('delivers the alert once to every recipient in the street and to nobody outside it', async () => {
    const declared = await call(platform.emergency, 'POST', '/incidents', coordinator, {
      kind: 'flood',
      severity: 'severe',
      title: '宁海路街道内涝',
      description: '强降雨导致宁海路街道多处积水，部分小区地下车库进水',
      areas: [NINGHAI_ROAD_STREET],
    });
    expect(declared.status).toBe(201);
    expect(declared.body).toMatchObject({
      status: 'declared',
      jurisdiction: NINGHAI_ROAD_STREET,
      areas: [NINGHAI_ROAD_STREET],
    });
    const incidentId = declared.body.incidentId as string;
    expect(incidentId).toMatch(/^I\d{8}-\d{6}$/);

    issuedAt = Date.now();
    const issued = await call(platform.emergency, 'POST', `/incidents/${incidentId}/alerts`, coordinator, {
      audiences: ['providers', 'community-workers', 'residents'],
      headline: '宁海路街道内涝预警：请立即转移地下空间人员车辆',
      description: '预计未来3小时仍有强降雨，低洼地带积水可能继续上涨。',
      instruction: '请远离地下车库和低洼地带，需要帮助请回复。',
      urgency: 'immediate',
      severity: 'severe',
      certainty: 'observed',
      response: 'evacuate',
    });
    expect(issued.status).toBe(201);
    alertId = issued.body.alertId as string;
    expect(alertId).toBe(`${incidentId}-A1`);
    expect(issued.body).toMatchObject({ incidentId, status: 'active' });
    expect(issued.body.messages).toEqual([expect.objectContaining({ sequence: 1, messageType: 'alert' })]);

    // notifications resolves the recipients in batches and completes the broadcast.
    const broadcast = await eventually(`broadcast ${alertId}:1 completed`, async () => {
      const reply = await call(platform.notifications, 'GET', `/broadcasts/${alertId}:1`, coordinator);
      return reply.status === 200 && reply.body.status === 'completed' ? reply.body : undefined;
    });
    expect(broadcast.recipientCount).toBe(inside().length);

    // Exactly one delivery per recipient in the area, on their first channel; nobody outside.
    const deliveries = await deliveriesOf(`alert:${alertId}:1`);
    expect(deliveries.map((d: Json) => d.recipientId).sort()).toEqual(ids(inside()));
    for (const d of deliveries) {
      expect(d.channel).toBe(byId(d.recipientId).kind === 'resident' ? 'sms' : 'in-app');
    }

    // Each signed-in recipient's inbox has it once; those outside have nothing of it.
    for (const person of people.filter((p) => p.caller)) {
      const items = await inboxOf(platform.notifications, person.caller as Caller);
      const ofAlert = items.filter((item: Json) => item.data?.alertId === alertId);
      expect({ person: person.id, count: ofAlert.length }).toEqual({
        person: person.id,
        count: person.inside ? 1 : 0,
      });
    }
    // Each resident in the area got one SMS (with the acknowledgement link); the one outside none.
    for (const resident of people.filter((p) => p.kind === 'resident')) {
      const recorded = await eventually(
        `the SMS to ${resident.id}`,
        async () => {
          const reply = await call(
            platform.notifications,
            'GET',
            `/sms/recorded?contactId=${resident.id}`,
            admin,
          );
          if (reply.status !== 200) return undefined;
          const items = (reply.body.items as Json[]).filter((m: Json) => String(m.text).includes(alertId));
          return !resident.inside || items.length > 0 ? items : undefined;
        },
        { timeoutMs: 20_000 },
      );
      expect({ resident: resident.id, count: recorded.length }).toEqual({
        resident: resident.id,
        count: resident.inside ? 1 : 0,
      });
    }

    // emergency records every recipient from the batches.
    const board = await eventually(`the board of ${alertId} counts every recipient`, async () => {
      const reply = await call(platform.emergency, 'GET', `/alerts/${alertId}/board`, coordinator);
      return reply.status === 200 && reply.body.recipients === inside().length ? reply.body : undefined;
    });
    expect(board.bySequence).toEqual([
      expect.objectContaining({ sequence: 1, recipientCount: inside().length, completed: true }),
    ]);
  });

  it('records the acknowledgements of the app, of a call taken by staff and of the SMS link, each once', async () => {
    const [p1, p2] = inside().filter((p) => p.kind === 'provider');
    const [cw1] = inside().filter((p) => p.kind === 'community-worker');
    const [r1, r2] = inside().filter((p) => p.kind === 'resident');
    const path = `/alerts/${alertId}/acknowledgements`;

    const safe = await call(platform.emergency, 'POST', path, p1?.caller, { response: 'safe' });
    expect(safe.status).toBe(201);
    expect(safe.body).toMatchObject({ recipientId: p1?.id, response: 'safe' });
    // A second answer changes nothing: 200 with what was recorded.
    const again = await call(platform.emergency, 'POST', path, p1?.caller, { response: 'needs-help' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ recipientId: p1?.id, response: 'safe' });

    expect((await call(platform.emergency, 'POST', path, p2?.caller, { response: 'received' })).status).toBe(
      201,
    );
    expect(
      (await call(platform.emergency, 'POST', path, cw1?.caller, { response: 'needs-help' })).status,
    ).toBe(201);
    // A resident calls the hotline: the coordinator records it for them.
    const byPhone = await call(platform.emergency, 'POST', path, coordinator, {
      response: 'received',
      channel: 'phone',
      recipientId: r2?.id,
    });
    expect(byPhone.status).toBe(201);
    expect(byPhone.body).toMatchObject({ recipientId: r2?.id, channel: 'phone' });

    // A resident opens the link in their SMS.
    const [sms] = (
      await call(platform.notifications, 'GET', `/sms/recorded?contactId=${r1?.id}`, admin)
    ).body.items.filter((m: Json) => String(m.text).includes(alertId));
    const url = /https?:\/\/\S+/.exec(String(sms.text))?.[0];
    expect(url).toBeDefined();
    const link = new URL(url as string);
    expect(link.searchParams.get('a')).toBe(alertId);
    expect(link.searchParams.get('r')).toBe(r1?.id);
    const token = link.searchParams.get('t') as string;
    const forged = await call(platform.emergency, 'POST', '/acknowledgements/link', undefined, {
      alertId,
      recipientId: r1?.id,
      token: `${token.slice(0, -2)}AA`,
      response: 'safe',
    });
    expect(forged.status).toBe(403);
    const viaLink = await call(platform.emergency, 'POST', '/acknowledgements/link', undefined, {
      alertId,
      recipientId: r1?.id,
      token,
      response: 'safe',
    });
    expect(viaLink.status).toBe(201);
    expect(viaLink.body).toMatchObject({ recipientId: r1?.id, response: 'safe', channel: 'link' });

    // All of it before the deadline, or the test is not saying what it means to.
    expect(Date.now()).toBeLessThan(issuedAt + ACKNOWLEDGE_WITHIN_MS);

    const acknowledged = await allPages(
      platform.emergency,
      `/alerts/${alertId}/recipients?status=acknowledged`,
      coordinator,
    );
    const needsHelp = await allPages(
      platform.emergency,
      `/alerts/${alertId}/recipients?status=needs-help`,
      coordinator,
    );
    expect([...acknowledged, ...needsHelp].map((row: Json) => row.recipientId as string).sort()).toEqual(
      [p1?.id, p2?.id, cw1?.id, r1?.id, r2?.id].sort(),
    );
  });

  it('re-sends the alert to the silent on their second channel at the deadline, and to nobody who answered', async () => {
    const answered = new Set(
      (await allPages(platform.emergency, `/alerts/${alertId}/recipients`, coordinator))
        .filter((row: Json) => row.acknowledgedAt)
        .map((row: Json) => row.recipientId as string),
    );
    expect(answered.size).toBe(5);
    const silent = inside().filter((p) => !answered.has(p.id));

    await waitUntil(new Date(issuedAt + ACKNOWLEDGE_WITHIN_MS));
    const resent = await eventually(
      `the re-send of ${alertId} to ${silent.length} recipients`,
      async () => {
        const items = await deliveriesOf(`alert-resend:${alertId}:1`);
        return items.length >= silent.length ? items : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(resent.map((d: Json) => d.recipientId).sort()).toEqual(ids(silent));
    for (const d of resent)
      expect({ id: d.recipientId, channel: d.channel }).toEqual({
        id: d.recipientId,
        channel: byId(d.recipientId).resendChannel,
      });
    // A community worker (in-app only) has the reminder in the inbox besides the alert.
    const cw = silent.find((p) => p.kind === 'community-worker') as Person;
    await inboxWhen(
      platform.notifications,
      cw.caller as Caller,
      (items) => items.filter((item: Json) => item.data?.alertId === alertId).length === 2,
      'has the alert and its reminder',
      20_000,
    );
    // A silent resident (SMS only) has the reminder by SMS too: the gateway took two messages for them.
    const resident = silent.find((p) => p.kind === 'resident') as Person;
    await eventually(
      `the reminder SMS to ${resident.id}`,
      async () => {
        const reply = await call(
          platform.notifications,
          'GET',
          `/sms/recorded?contactId=${resident.id}`,
          admin,
        );
        const items = reply.status === 200 ? (reply.body.items as Json[]) : [];
        return items.filter((m: Json) => String(m.text).includes(alertId)).length === 2 ? true : undefined;
      },
      { timeoutMs: 20_000 },
    );
    // Those who answered: still one delivery each, their first.
    for (const id of answered) {
      const reply = await call(
        platform.notifications,
        'GET',
        `/deliveries?recipientId=${encodeURIComponent(id)}`,
        coordinator,
      );
      expect(reply.status).toBe(200);
      const ofAlert = (reply.body.items as Json[]).filter((d: Json) =>
        String(d.messageKey).includes(alertId),
      );
      expect({ id, keys: ofAlert.map((d: Json) => d.messageKey) }).toEqual({
        id,
        keys: [`alert:${alertId}:1`],
      });
    }
    const pending = await allPages(
      platform.emergency,
      `/alerts/${alertId}/recipients?status=pending`,
      coordinator,
    );
    expect(pending.map((row: Json) => row.recipientId).sort()).toEqual(ids(silent));
    for (const row of pending) expect(row.resentAt).toBeTruthy();
  });

  it('after the window lists exactly the silent ones to the coordinators and tells them in the app', async () => {
    await waitUntil(new Date(issuedAt + ACKNOWLEDGE_WITHIN_MS + RESEND_WINDOW_MS));
    const rows = await allPages(platform.emergency, `/alerts/${alertId}/recipients`, coordinator);
    const expectedSilent = rows
      .filter((row: Json) => !row.acknowledgedAt)
      .map((row: Json) => row.recipientId as string)
      .sort();
    expect(expectedSilent).toHaveLength(inside().length - 5);

    const silent = await eventually(
      `the silent recipients of ${alertId}`,
      async () => {
        const items = await allPages(
          platform.emergency,
          `/alerts/${alertId}/recipients?status=silent`,
          coordinator,
        );
        return items.length >= expectedSilent.length ? items : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(silent.map((row: Json) => row.recipientId).sort()).toEqual(expectedSilent);
    expect(silent[0]).toEqual(
      expect.objectContaining({ status: 'silent', kind: expect.any(String), channel: expect.any(String) }),
    );

    const [escalation, ...more] = (
      await inboxWhen(
        platform.notifications,
        coordinator,
        (items) => items.some((item: Json) => item.data?.alertId === alertId),
        `has the escalation of ${alertId}`,
        30_000,
      )
    ).filter((item: Json) => item.data?.alertId === alertId);
    expect(more).toEqual([]);
    expect(escalation.template).toMatch(/escalat/);
    expect(`${escalation.title} ${escalation.body}`).toContain(String(expectedSilent.length));

    const board = (await call(platform.emergency, 'GET', `/alerts/${alertId}/board`, coordinator)).body;
    expect(board).toMatchObject({
      recipients: inside().length,
      silent: expectedSilent.length,
      needsHelp: 1,
      resent: expectedSilent.length,
      pending: 0,
    });
  });

  it('writes the Alert, an Update and the Cancel as valid CAP 1.2', async () => {
    const first = await cap(`/alerts/${alertId}/cap`, 'application/cap+xml');
    expect(first.status).toBe(200);
    expect(first.type).toMatch(/^application\/cap\+xml/);
    expect(await validateAgainstCapXsd(first.text)).toEqual({ valid: true, errors: [] });
    expect(first.text).toContain(`<identifier>${alertId}-1</identifier>`);
    expect(first.text).toContain('<msgType>Alert</msgType>');
    const json = await cap(`/alerts/${alertId}/cap`, 'application/json');
    expect(json.status).toBe(200);
    expect(JSON.parse(json.text)).toMatchObject({ identifier: `${alertId}-1`, msgType: 'Alert' });

    const update = await call(platform.emergency, 'POST', `/alerts/${alertId}/updates`, coordinator, {
      instruction: '积水已退至路面以下，仍请避开地下车库。',
      severity: 'moderate',
    });
    expect(update.status).toBe(201);
    expect(update.body).toMatchObject({ sequence: 2, messageType: 'update' });
    const second = await cap(`/alerts/${alertId}/messages/2/cap`, 'application/xml');
    expect(second.status).toBe(200);
    expect(await validateAgainstCapXsd(second.text)).toEqual({ valid: true, errors: [] });
    expect(second.text).toContain('<msgType>Update</msgType>');
    expect(second.text).toMatch(new RegExp(`<references>[^<]*,${alertId}-1,[^<]*</references>`));

    const cancel = await call(platform.emergency, 'POST', `/alerts/${alertId}/cancel`, coordinator, {
      reason: '预警解除',
    });
    expect(cancel.status).toBe(201);
    const third = await cap(`/alerts/${alertId}/messages/3/cap`, 'application/cap+xml');
    expect(third.status).toBe(200);
    expect(await validateAgainstCapXsd(third.text)).toEqual({ valid: true, errors: [] });
    expect(third.text).toContain('<msgType>Cancel</msgType>');
    expect(third.text).toContain(`${alertId}-2`);
    const cancelled = await alertWhen(
      platform.emergency,
      alertId,
      (a) => a.status === 'cancelled',
      'is cancelled',
    );
    expect(cancelled.messages.map((m: Json) => m.messageType)).toEqual(['alert', 'update', 'cancel']);
    expect(
      (await call(platform.emergency, 'POST', `/alerts/${alertId}/cancel`, coordinator, {})).status,
    ).toBe(409);
    expect(
      (
        await call(platform.emergency, 'POST', `/alerts/${alertId}/updates`, coordinator, {
          severity: 'minor',
        })
      ).status,
    ).toBe(409);

    // The Update reached everyone in the area once more, once each.
    const updates = await eventually(`the update of ${alertId} delivered`, async () => {
      const items = await deliveriesOf(`alert:${alertId}:2`);
      return items.length >= inside().length ? items : undefined;
    });
    expect(updates.map((d: Json) => d.recipientId).sort()).toEqual(ids(inside()));
  });
});
