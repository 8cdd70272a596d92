// What the console's ticket form asks while the operator types: places of the administrative tree, categories
// from the description, and the open tickets of the caller's phone (the duplicate warning).
import { auditTopic } from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { authHeader, EventProbe, eventually, type ServiceProcess } from '@linli/testing';
import { Kafka, logLevel } from 'kafkajs';
import {
  call,
  hotlineTicket,
  MEIYUAN,
  operator,
  startRequests,
  uniquePhone,
  XIANXIA_ROAD,
  type Json,
} from './support';

type Items = { items: Json[] };

describe('resident-requests: the console form lookups', () => {
  let service: ServiceProcess;
  let audit: EventProbe | undefined;

  beforeAll(async () => {
    service = await startRequests();
  });
  afterAll(async () => {
    await audit?.stop();
    await service?.stop();
  });

  /** The audit trail's topic of this file, once the service's first record has created it. */
  async function auditProbe(): Promise<EventProbe> {
    const admin = new Kafka({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      clientId: 'console-lookups-test',
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      await eventually('the audit topic', async () =>
        (await admin.listTopics()).includes(namespaced(auditTopic.name)) ? true : undefined,
      );
    } finally {
      await admin.disconnect();
    }
    audit = await EventProbe.start({ topic: auditTopic.name });
    return audit;
  }

  it('searches the tree within the caller jurisdiction, for any role, best match first', async () => {
    const reply = await call<Items>(
      service,
      'GET',
      `/divisions?q=${encodeURIComponent('仙霞路')}&level=community`,
      authHeader('mediator', '320106', { sub: 'med-1' }),
    );
    expect(reply.status).toBe(200);
    expect(reply.body.items[0]).toEqual({
      code: XIANXIA_ROAD,
      name: '仙霞路社区居委会',
      level: 'community',
      path: '南京市 鼓楼区 宁海路街道',
    });
    // 梅园新村 is in Xuanwu, outside a Gulou operator's jurisdiction; under= narrows, never widens.
    const outside = await call<Items>(
      service,
      'GET',
      `/divisions?q=${encodeURIComponent('梅园新村')}`,
      operator(),
    );
    expect(outside.body.items).toEqual([]);
    expect((await call(service, 'GET', `/divisions?under=320102`, operator())).status).toBe(404);
    const wider = await call<Items>(service, 'GET', `/divisions?under=3201&level=street&limit=3`, operator());
    expect(wider.body.items.map((item) => (item.code as string).slice(0, 6))).toEqual([
      '320106',
      '320106',
      '320106',
    ]);
    const byCode = await call<Items>(service, 'GET', `/divisions?q=320106001&limit=2`, operator('32'));
    expect(byCode.body.items.map((item) => item.code)).toEqual(['320106001', '320106001003']);
  });

  it.each([
    ['level=planet', 'level'],
    ['limit=0', 'limit'],
    ['limit=51', 'limit'],
    ['under=329999', 'under'],
    [`q=${'路'.repeat(41)}`, 'q'],
  ])('refuses /divisions?%s naming %s', async (query, field) => {
    const reply = await call(service, 'GET', `/divisions?${query}`, operator());
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toContain(`"${field}"`);
  });

  it('suggests categories from the description, to the hotline only', async () => {
    const reply = await call<Items>(
      service,
      'GET',
      `/categories/suggestions?text=${encodeURIComponent('厨房水管漏水')}`,
      operator(),
    );
    expect(reply.status).toBe(200);
    expect(reply.body.items[0]).toMatchObject({ code: 'repair', matched: ['漏水'] });
    expect((await call(service, 'GET', '/categories/suggestions', operator())).status).toBe(400);
    const provider = authHeader('provider', '320106', { sub: 'p-1', providerId: 'p-1' });
    expect((await call(service, 'GET', '/categories/suggestions?text=x', provider)).status).toBe(403);
  });

  it("lists the open tickets of a caller's phone within the jurisdiction, nothing personal, audited", async () => {
    const phone = uniquePhone();
    const first = await call(
      service,
      'POST',
      '/tickets',
      operator(),
      hotlineTicket({ reporter: { name: '李', phone } }),
    );
    const second = await call(
      service,
      'POST',
      '/tickets',
      operator(),
      hotlineTicket({ category: 'sanitation', reporter: { name: '李', phone } }),
    );
    const elsewhere = await call(
      service,
      'POST',
      '/tickets',
      operator('320102'),
      hotlineTicket({
        reporter: { name: '李', phone },
        place: { communityCode: MEIYUAN, address: '梅园 1 号' },
      }),
    );
    expect([first.status, second.status, elsewhere.status]).toEqual([201, 201, 201]);
    const cancelled = await call(service, 'POST', `/tickets/${second.body.ticketId}/cancel`, operator(), {
      reason: 'invalid',
    });
    expect(cancelled.status).toBe(200);

    // Written with spaces and a country code, as operators type it: the same number.
    const typed = `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
    const reply = await call<Items>(
      service,
      'GET',
      `/tickets/open-by-phone?phone=${encodeURIComponent(typed)}`,
      operator(),
    );
    expect(reply.status).toBe(200);
    expect(reply.body.items).toEqual([
      {
        ticketId: first.body.ticketId,
        category: 'repair',
        status: expect.any(String),
        communityCode: XIANXIA_ROAD,
        createdAt: first.body.createdAt,
      },
    ]);
    expect(JSON.stringify(reply.body)).not.toContain(phone);

    const none = await call<Items>(
      service,
      'GET',
      `/tickets/open-by-phone?phone=${uniquePhone()}`,
      operator(),
    );
    expect(none.body.items).toEqual([]);
    const bad = await call(service, 'GET', '/tickets/open-by-phone?phone=12345', operator());
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('"phone"');

    const [record] = await (
      await auditProbe()
    ).waitFor(
      (event) =>
        (event.data as Json).action === 'personal-data.read' &&
        (event.data as Json).operation === 'GET /tickets/open-by-phone',
    );
    expect(record?.data).toMatchObject({ actorId: 'op-1', fields: ['reporter.phone'] });
  });
});
