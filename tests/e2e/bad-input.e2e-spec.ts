// Bad input gets a 400 problem+json naming the field, and leaves nothing behind: no ticket stored, no event sent.
import { authHeader, EventProbe, postOversized } from '@linli/testing';
import { jobTopic, ticketTopic } from '@linli/contracts';
import {
  call,
  GULOU,
  hotlineTicket,
  operator,
  providerUser,
  registerProvider,
  startPlatform,
  supervisor,
  type Platform,
  type Json,
} from './support/linli';

const ONE_MB = 1_000_000;

describe('bad input', () => {
  let platform: Platform;
  let tickets: EventProbe;
  let jobs: EventProbe;

  beforeAll(async () => {
    platform = await startPlatform();
    tickets = await EventProbe.start({ topic: ticketTopic.name });
    jobs = await EventProbe.start({ topic: jobTopic.name });
  });
  afterAll(async () => {
    await tickets?.stop();
    await jobs?.stop();
    await platform?.stop();
  });

  const valid = hotlineTicket();
  const cases: [string, unknown, string][] = [
    ['a missing category', { ...valid, category: undefined }, 'category'],
    ['a wrong-typed description', { ...valid, description: 42 }, 'description'],
    ['an unknown category', { ...valid, category: 'astrology' }, 'category'],
    ['an unknown channel', { ...valid, channel: 'fax' }, 'channel'],
    [
      'a community code not in the tree',
      { ...valid, place: { ...(valid.place as object), communityCode: '320106999999' } },
      'place.communityCode',
    ],
    [
      'a district code where a community is needed',
      { ...valid, place: { ...(valid.place as object), communityCode: '320106' } },
      'place.communityCode',
    ],
    ['a 1 MB description', { ...valid, description: 'a'.repeat(ONE_MB) }, 'description'],
    ['an extra field', { ...valid, status: 'closed' }, 'status'],
    ['a mass-assigned jurisdiction', { ...valid, jurisdiction: '32' }, 'jurisdiction'],
    [
      'an operator in a JSON key',
      { ...valid, reporter: { name: '王', phone: { $gt: '' } } },
      'reporter.phone',
    ],
    ['an operator as a top-level key', { ...valid, $where: 'sleep(1000)' }, '$where'],
    [
      'a phone that is not a phone',
      { ...valid, reporter: { name: '王', phone: 'call me' } },
      'reporter.phone',
    ],
    [
      'coordinates off the globe',
      { ...valid, place: { ...(valid.place as object), location: { lat: 123, lng: 500 } } },
      'place.location',
    ],
  ];

  it.each(cases)('%s gets 400 problem+json naming the field', async (_, body, field) => {
    const reply = await call(platform.requests, 'POST', '/tickets', operator, body);
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    const fields: string[] = (reply.body.errors ?? []).map((e: Json) => e.field);
    expect(fields.some((f) => f === field || f.startsWith(`${field}.`))).toBe(true);
  });

  it('answers a 10 MB body with 413 problem+json before reading it all', async () => {
    const body = JSON.stringify({ ...valid, description: 'a'.repeat(10 * ONE_MB) });
    const reply = await postOversized(platform.requests, '/tickets', authHeader('operator', GULOU), body);
    const { status } = reply;
    const type = String(reply.headers.get('content-type'));
    expect(status).toBe(413);
    expect(type).toContain('application/problem+json');
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const reply = await call(platform.requests, 'POST', '/tickets', operator, '{"channel": "hotline",');
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses bad provider and job commands the same way', async () => {
    const badProvider = await call(platform.dispatch, 'POST', '/providers', supervisor, {
      providerId: 'prv-bad',
      name: 'x',
      kind: 'astrologers',
      skills: ['repair'],
      serviceAreas: ['999999'],
      capacity: 0,
      jurisdiction: '320106',
    });
    expect(badProvider.status).toBe(400);
    const fields = badProvider.body.errors.map((e: Json) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['kind', 'capacity']));
    expect(fields.some((f: string) => f.startsWith('serviceAreas'))).toBe(true);

    const { providerId } = await registerProvider(platform);
    const badDecline = await call(
      platform.dispatch,
      'POST',
      '/jobs/no-such-job/decline',
      providerUser(providerId),
      {
        reason: 'because',
      },
    );
    expect(badDecline.status).toBe(400);
    expect(badDecline.body.errors.map((e: Json) => e.field)).toContain('reason');
  });

  it('stored nothing and published nothing for any of them', async () => {
    const listed = await call(platform.requests, 'GET', '/tickets', operator);
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(0);

    // A good ticket afterwards is the first and only one the topics ever saw from this file.
    const good = await call(platform.requests, 'POST', '/tickets', operator, hotlineTicket());
    expect(good.status).toBe(201);
    await tickets.waitFor((e) => e.type === 'linli.resident-requests.ticket.created.v1');
    await jobs.waitFor((e) => e.type === 'linli.dispatch.job.requested.v1');
    expect(tickets.events.filter((e) => e.type === 'linli.resident-requests.ticket.created.v1')).toHaveLength(
      1,
    );
    expect(tickets.events.every((e) => e.subject === good.body.ticketId)).toBe(true);
    expect(jobs.events.filter((e) => e.type === 'linli.dispatch.job.requested.v1')).toHaveLength(1);
  });
});
