// The inbox and the directory against the real stack: a job offer reaches the provider's inbox (once, however often
// the event comes) and their live stream as it happens; unread counts and read marks; a call-back goes to the
// covering operators when nobody took the call; contacts refused with the field named, scoped by jurisdiction,
// phones masked; a resident subscribed once per phone and community.
import { jobTopic, ticketCallbackDue, ticketEscalated, ticketTopic } from '@linli/contracts';
import { authHeader } from '@linli/testing';
import { request } from 'node:http';
import {
  admin,
  call,
  coordinator,
  eventually,
  GULOU,
  GULOU_COMMUNITY,
  GULOU_STREET,
  OtherServices,
  providerUser,
  putContact,
  startNotifications,
  unique,
  uniquePhone,
  type Json,
  type ServiceProcess,
} from './support';

/** Opens the SSE stream and collects its `event:` blocks. */
function openStream(service: ServiceProcess, headers: Record<string, string>) {
  const events: { event: string; data: Json }[] = [];
  let buffer = '';
  const req = request(`${service.url}/inbox/stream`, {
    headers: { ...headers, accept: 'text/event-stream' },
  });
  const opened = new Promise<number>((resolve, reject) => {
    req.on('response', (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) as Json });
        }
      });
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
  });
  req.end();
  return { events, opened, close: () => req.destroy() };
}

describe('notifications inbox and directory', () => {
  let notifications: ServiceProcess;
  let others: OtherServices;

  beforeAll(async () => {
    notifications = await startNotifications();
    others = await OtherServices.start();
  });

  afterAll(async () => {
    await Promise.allSettled([notifications?.stop(), others?.stop()]);
  });

  it('puts a job offer in the provider’s inbox once and pushes it live on their stream', async () => {
    const providerId = unique('P');
    const me = providerUser(providerId);
    const stream = openStream(notifications, me);
    expect(await stream.opened).toBe(200);
    await eventually('the first unread count on the stream', async () =>
      stream.events.find((e) => e.event === 'unread'),
    );

    const jobId = `J${unique('')}`;
    const offered = await others.jobOffered(jobId, providerId);
    const live = await eventually('the delivery on the stream', async () =>
      stream.events.find((e) => e.event === 'delivery'),
    );
    expect(live.data).toMatchObject({ template: 'job-offered', data: { jobId, offerId: `${jobId}-O1` } });
    expect(live.data.title).toBe(`新的服务邀约 ${jobId}`);
    await eventually('the unread count of 1 on the stream', async () =>
      stream.events.find((e) => e.event === 'unread' && e.data.unread === 1),
    );
    stream.close();

    // Redelivered: still one.
    await others.send(jobTopic.name, [offered]);
    await others.jobOffered(`${jobId}x`, providerId);
    await eventually('the second offer', async () => {
      const inbox = await call(notifications, 'GET', '/inbox', me);
      return inbox.body.items.length === 2 ? inbox.body.items : undefined;
    });
    expect((await call(notifications, 'GET', '/inbox/unread-count', me)).body).toEqual({ unread: 2 });

    const deliveryId = live.data.deliveryId as string;
    const read = await call(notifications, 'POST', `/inbox/${deliveryId}/read`, me);
    expect(read.status).toBe(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    expect((await call(notifications, 'GET', '/inbox?unread=true', me)).body.items).toHaveLength(1);
    // Someone else's delivery is not theirs to read.
    expect(
      (await call(notifications, 'POST', `/inbox/${deliveryId}/read`, providerUser(unique('P')))).status,
    ).toBe(404);
    expect((await call(notifications, 'POST', '/inbox/read-all', me)).body).toEqual({ unread: 0 });
  });

  it('pushes a delivery to the recipient’s streams on every instance, whichever consumed the event', async () => {
    const second = await startNotifications();
    try {
      const providerId = unique('P');
      const me = providerUser(providerId);
      const streams = [openStream(notifications, me), openStream(second, me)];
      for (const stream of streams) {
        expect(await stream.opened).toBe(200);
        await eventually('the stream open', async () => stream.events.find((e) => e.event === 'unread'));
      }
      const jobId = `J${unique('')}`;
      await others.jobOffered(jobId, providerId);
      for (const stream of streams) {
        const live = await eventually('the delivery on each stream', async () =>
          stream.events.find((e) => e.event === 'delivery'),
        );
        expect(live.data.data).toMatchObject({ jobId });
        stream.close();
      }
    } finally {
      await second.stop();
    }
  });

  it('tells the operators covering a ticket of a call-back nobody took', async () => {
    const operatorId = unique('op-');
    expect(
      (
        await putContact(notifications, operatorId, {
          kind: 'operator',
          areas: [GULOU_STREET],
          channels: ['in-app'],
        })
      ).status,
    ).toBe(201);
    const ticketId = `T20261129-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    await others.send(ticketTopic.name, [
      others.event('resident-requests', ticketCallbackDue.type, ticketId, GULOU_COMMUNITY, {
        ticketId,
        version: 5,
        jurisdiction: GULOU_COMMUNITY,
        round: 1,
        attempt: 1,
      }),
    ]);
    const item = await eventually('the call-back in the operator’s inbox', async () => {
      const inbox = await call(
        notifications,
        'GET',
        '/inbox',
        authHeader('operator', GULOU, { sub: operatorId }),
      );
      return inbox.body.items.find((i: Json) => i.data.ticketId === ticketId) as Json | undefined;
    });
    expect(item).toMatchObject({ template: 'ticket-callback-due', title: `回访到期 ${ticketId}` });
  });

  it('tells the supervisors of the nearest level covering an escalated ticket, not those above', async () => {
    const street = unique('sup-');
    const district = unique('sup-');
    await putContact(notifications, street, {
      kind: 'supervisor',
      areas: [GULOU_STREET],
      channels: ['in-app'],
    });
    await putContact(notifications, district, { kind: 'supervisor', areas: [GULOU], channels: ['in-app'] });
    const ticketId = `T20261129-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    await others.send(ticketTopic.name, [
      others.event('resident-requests', ticketEscalated.type, ticketId, GULOU_COMMUNITY, {
        ticketId,
        version: 7,
        jurisdiction: GULOU_COMMUNITY,
        reason: 'resolve-deadline-missed',
        level: 1,
      }),
    ]);
    const inboxOf = async (id: string) =>
      (await call(notifications, 'GET', '/inbox', authHeader('supervisor', GULOU, { sub: id }))).body
        .items as Json[];
    const item = await eventually('the escalation in the street supervisor’s inbox', async () =>
      (await inboxOf(street)).find((i) => i.data.ticketId === ticketId),
    );
    expect(item).toMatchObject({ template: 'escalation', title: `升级督办：工单 ${ticketId}` });
    expect((await inboxOf(district)).filter((i) => i.data.ticketId === ticketId)).toEqual([]);
  });

  it('refuses a contact with the field at fault, outside the caller’s area or with unknown fields', async () => {
    const id = unique('P');
    const noPhone = await putContact(
      notifications,
      id,
      { kind: 'provider', areas: [GULOU], channels: ['sms'] },
      coordinator(),
    );
    expect(noPhone.status).toBe(400);
    expect(noPhone.body.errors).toEqual([expect.objectContaining({ field: 'phone' })]);

    const outside = await putContact(
      notifications,
      id,
      { kind: 'provider', areas: ['320102'], channels: ['in-app'] },
      coordinator(GULOU),
    );
    expect(outside.status).toBe(400);
    expect(outside.body.errors).toEqual([expect.objectContaining({ field: 'areas.0' })]);

    const unknown = await putContact(
      notifications,
      id,
      { kind: 'provider', areas: [GULOU], channels: ['in-app'], nickname: 'x' },
      coordinator(),
    );
    expect(unknown.status).toBe(400);

    const badCode = await putContact(notifications, id, {
      kind: 'provider',
      areas: ['999999'],
      channels: ['in-app'],
    });
    expect(badCode.status).toBe(400);
  });

  it('keeps a contact: created then replaced, masked phone, hidden from another district', async () => {
    const id = unique('P');
    const phone = uniquePhone();
    const created = await putContact(
      notifications,
      id,
      { kind: 'provider', areas: [GULOU_COMMUNITY], channels: ['sms', 'in-app'], phone },
      coordinator(),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      contactId: id,
      version: 0,
      jurisdiction: GULOU_COMMUNITY,
      active: true,
    });
    expect(created.body.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    const replaced = await putContact(
      notifications,
      id,
      { kind: 'provider', areas: [GULOU_STREET], channels: ['in-app'] },
      coordinator(),
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ version: 1, areas: [GULOU_STREET], channels: ['in-app'] });

    expect((await call(notifications, 'GET', `/contacts/${id}`, coordinator('320102'))).status).toBe(404);
    expect(
      (
        await putContact(
          notifications,
          id,
          { kind: 'provider', areas: ['320102'], channels: ['in-app'] },
          coordinator('320102'),
        )
      ).status,
    ).toBe(404);
    const listed = await call(
      notifications,
      'GET',
      `/contacts?kind=provider&area=${GULOU_COMMUNITY}&pageSize=200`,
      coordinator(),
    );
    expect(listed.body.items.map((c: Json) => c.contactId)).toContain(id);

    expect((await call(notifications, 'DELETE', `/contacts/${id}`, coordinator())).status).toBe(204);
    expect((await call(notifications, 'GET', `/contacts/${id}`, admin())).body.active).toBe(false);
  });

  it('lets a user put and read their own contact, its kind from their role', async () => {
    const providerId = unique('P');
    const me = providerUser(providerId);
    expect((await call(notifications, 'GET', '/contacts/me', me)).status).toBe(404);
    const put = await call(notifications, 'PUT', '/contacts/me', me, {
      areas: [GULOU_COMMUNITY],
      channels: ['in-app'],
      language: 'en',
    });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ contactId: providerId, kind: 'provider', language: 'en' });
    expect((await call(notifications, 'GET', '/contacts/me', me)).body.contactId).toBe(providerId);
  });

  it('subscribes a resident once per phone and community', async () => {
    const phone = uniquePhone();
    const first = await call(notifications, 'POST', '/subscriptions', authHeader('operator', GULOU), {
      community: GULOU_COMMUNITY,
      phone,
    });
    expect(first.status).toBe(201);
    expect(first.body.subscriptionId).toMatch(/^S\d{8}-\d{6}$/);
    expect(first.body.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    const again = await call(notifications, 'POST', '/subscriptions', authHeader('operator', GULOU), {
      community: GULOU_COMMUNITY,
      phone,
    });
    expect(again.status).toBe(200);
    expect(again.body.subscriptionId).toBe(first.body.subscriptionId);
    expect(
      (
        await call(notifications, 'POST', '/subscriptions', authHeader('operator', GULOU), {
          community: GULOU_STREET,
          phone,
        })
      ).status,
    ).toBe(400);
    expect(
      (await call(notifications, 'DELETE', `/subscriptions/${first.body.subscriptionId}`, coordinator()))
        .status,
    ).toBe(204);
  });
});
