// Bad input gets a 400 problem+json naming the field, and leaves nothing behind: no ticket stored, no event sent.
import { jobTopic, ticketTopic } from '@linli/contracts';
import { EventProbe, postOversized, type ServiceProcess } from '@linli/testing';
import { call, hotlineTicket, operator, startRequests, XIANXIA_ROAD, type Json } from './support';

const ONE_MB = 1_000_000;

describe('resident-requests: bad input', () => {
  let service: ServiceProcess;
  let tickets: EventProbe;
  let jobs: EventProbe;

  beforeAll(async () => {
    service = await startRequests();
    tickets = await EventProbe.start({ topic: ticketTopic.name });
    jobs = await EventProbe.start({ topic: jobTopic.name });
  });
  afterAll(async () => {
    await tickets?.stop();
    await jobs?.stop();
    await service?.stop();
  });

  const valid = hotlineTicket();
  const place = valid.place as Json;
  const cases: [string, unknown, string][] = [
    ['a missing category', { ...valid, category: undefined }, 'category'],
    ['a missing description', { ...valid, description: undefined }, 'description'],
    ['a missing place', { ...valid, place: undefined }, 'place'],
    ['a missing reporter on the hotline', { ...valid, reporter: undefined }, 'reporter'],
    ['a missing phone on the hotline', { ...valid, reporter: { name: '王' } }, 'reporter.phone'],
    ['a wrong-typed description', { ...valid, description: 42 }, 'description'],
    ['a wrong-typed place', { ...valid, place: 'Gulou' }, 'place'],
    ['an unknown category', { ...valid, category: 'astrology' }, 'category'],
    ['an unknown channel', { ...valid, channel: 'fax' }, 'channel'],
    [
      'a community not in the tree',
      { ...valid, place: { ...place, communityCode: '320106999999' } },
      'place.communityCode',
    ],
    [
      'a district where a community is needed',
      { ...valid, place: { ...place, communityCode: '320106' } },
      'place.communityCode',
    ],
    ['a 1 MB description', { ...valid, description: 'a'.repeat(ONE_MB) }, 'description'],
    ['a description one character too long', { ...valid, description: 'a'.repeat(2001) }, 'description'],
    [
      'an address over 200 characters',
      { ...valid, place: { ...place, address: '路'.repeat(201) } },
      'place.address',
    ],
    ['an extra field', { ...valid, status: 'closed' }, 'status'],
    ['an extra nested field', { ...valid, place: { ...place, jurisdiction: '32' } }, 'place.jurisdiction'],
    [
      'an operator in a JSON value',
      { ...valid, reporter: { name: '王', phone: { $gt: '' } } },
      'reporter.phone',
    ],
    ['an operator as a key', { ...valid, $where: 'sleep(1000)' }, '$where'],
    [
      'an operator as a nested key',
      { ...valid, reporter: { name: '王', phone: '13912345678', $ne: 1 } },
      'reporter.$ne',
    ],
    [
      'a phone that is not a phone',
      { ...valid, reporter: { name: '王', phone: 'call me' } },
      'reporter.phone',
    ],
    [
      'an unknown vulnerable group',
      { ...valid, reporter: { ...(valid.reporter as Json), vulnerable: ['vip'] } },
      'reporter.vulnerable',
    ],
    [
      'coordinates off the globe',
      { ...valid, place: { ...place, location: { lat: 123, lng: 500 } } },
      'place.location',
    ],
  ];

  it.each(cases)('%s gets 400 problem+json naming the field', async (_, body, field) => {
    const reply = await call(service, 'POST', '/tickets', operator(), body);
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    const fields: string[] = (reply.body.errors ?? []).map((e: Json) => e.field);
    expect(fields.some((f) => f === field || f.startsWith(`${field}.`))).toBe(true);
  });

  it('refuses bad commands and queries the same way', async () => {
    const badCallback = await call(service, 'POST', '/tickets/T20260101-000001/callback', operator(), {
      answered: true,
    });
    expect(badCallback.status).toBe(400);
    expect(badCallback.body.errors.map((e: Json) => e.field)).toContain('satisfaction');
    const badCancel = await call(service, 'POST', '/tickets/T20260101-000001/cancel', operator(), {
      reason: 'bored',
    });
    expect(badCancel.status).toBe(400);
    expect(badCancel.body.errors.map((e: Json) => e.field)).toContain('reason');
    const badQuery = await call(
      service,
      'GET',
      '/tickets?status=lost&breached=maybe&community=abc',
      operator(),
    );
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.errors.map((e: Json) => e.field)).toEqual(
      expect.arrayContaining(['status', 'breached', 'community']),
    );
    const badDate = await call(service, 'GET', '/callbacks?date=2026-13-01', operator());
    expect(badDate.status).toBe(400);
  });

  it('answers a body over the limit with 413 problem+json', async () => {
    const reply = await postOversized(
      service,
      '/tickets',
      operator(),
      JSON.stringify({ ...valid, description: 'a'.repeat(2 * ONE_MB) }),
    );
    expect(reply.status).toBe(413);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
  });

  it('needs a token for tickets, and the operator roles', async () => {
    expect((await call(service, 'GET', '/tickets')).status).toBe(401);
  });

  it('stored nothing and published nothing for any of them', async () => {
    const listed = await call(service, 'GET', '/tickets', operator());
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(0);

    const good = await call(service, 'POST', '/tickets', operator(), hotlineTicket());
    expect(good.status).toBe(201);
    await tickets.waitFor((e) => e.type === 'linli.resident-requests.ticket.created.v1');
    await jobs.waitFor((e) => e.type === 'linli.dispatch.job.requested.v1');
    expect(tickets.events.every((e) => e.subject === good.body.ticketId)).toBe(true);
    expect(jobs.events.filter((e) => e.type === 'linli.dispatch.job.requested.v1')).toHaveLength(1);
  });

  it('takes an anonymous report on channel open311 (no reporter), with no duplicate lookup', async () => {
    const reply = await call(service, 'POST', '/tickets', operator(), {
      channel: 'open311',
      category: 'sanitation',
      description: 'Overflowing bins by the gate',
      place: { communityCode: XIANXIA_ROAD, address: 'Gate 2' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.reporter).toEqual({ vulnerable: [] });
    expect(reply.body.likelyDuplicateOf).toBeUndefined();
  });
});
