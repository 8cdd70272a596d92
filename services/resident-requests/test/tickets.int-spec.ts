// A ticket's life against the real Kafka, MongoDB-wire server and Redis: intake with its events read back from
// Kafka, dispatch's job events moving it, the call-back (回访) and its three outcomes, duplicates, cancel, reopen,
// illegal transitions, jurisdiction and the provider's view of the resident.
import { jobTopic, ticketTopic, type CloudEvent } from '@linli/contracts';
import { EventProbe, type ServiceProcess } from '@linli/testing';
import {
  call,
  consumed,
  Dispatch,
  eventually,
  GULOU,
  hotlineTicket,
  MEIYUAN,
  operator,
  providerUser,
  startRequests,
  supervisor,
  ticketWhen,
  unique,
  XIANXIA_ROAD,
  type Json,
} from './support';

const TYPE = (name: string) => `linli.resident-requests.${name}.v1`;
const JOB_TYPE = (name: string) => `linli.dispatch.${name}.v1`;

describe('resident-requests: tickets', () => {
  let service: ServiceProcess;
  let tickets: EventProbe;
  let jobs: EventProbe;
  let dispatch: Dispatch;

  beforeAll(async () => {
    service = await startRequests({ CALLBACK_DELAY_MS: '1000', CALLBACK_RETRY_DELAY_MS: '500' });
    tickets = await EventProbe.start({ topic: ticketTopic.name });
    jobs = await EventProbe.start({ topic: jobTopic.name });
    dispatch = await Dispatch.start();
  });
  afterAll(async () => {
    await dispatch?.stop();
    await tickets?.stop();
    await jobs?.stop();
    const code = await service?.stop();
    if (code !== 0 && code !== null) process.stderr.write(service.output());
  });

  const of = (ticketId: string, type: string) => (e: CloudEvent) => e.subject === ticketId && e.type === type;

  async function create(overrides: Json = {}): Promise<Json> {
    const reply = await call(service, 'POST', '/tickets', operator(), hotlineTicket(overrides));
    if (reply.status !== 201)
      throw new Error(`ticket not created: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  /** Creates a repair ticket and takes it through accepted, started and completed, as dispatch reports them. */
  async function resolvedTicket(providerId = unique('prv')): Promise<{ ticketId: string; jobId: string }> {
    const ticket = await create();
    await dispatch.accepted(ticket.jobId, providerId);
    await ticketWhen(service, ticket.ticketId, (t) => t.status === 'assigned', 'is assigned');
    await dispatch.started(ticket.jobId, providerId);
    await ticketWhen(service, ticket.ticketId, (t) => t.status === 'in-progress', 'is in progress');
    await dispatch.completed(ticket.jobId, providerId);
    await ticketWhen(service, ticket.ticketId, (t) => t.status === 'resolved', 'is resolved');
    return { ticketId: ticket.ticketId, jobId: ticket.jobId };
  }

  async function inWorklist(ticketId: string): Promise<Json> {
    return eventually(`the call-back of ${ticketId} in today's worklist`, async () => {
      const reply = await call(service, 'GET', '/callbacks', operator());
      return reply.body.items?.find((item: Json) => item.ticketId === ticketId);
    });
  }

  it('serves the catalogue without a token, in both languages', async () => {
    const reply = await call(service, 'GET', '/categories');
    expect(reply.status).toBe(200);
    expect(reply.body.items).toHaveLength(16);
    expect(reply.body.items.find((c: Json) => c.code === 'repair')).toMatchObject({
      name: { zh: '维修服务', en: 'Repairs' },
      serviceClass: 'convenience',
      routing: 'dispatch',
      skill: 'repair',
    });
  });

  it('creates a ticket triaged and dispatched in one write, and publishes created, triaged, routed and job.requested', async () => {
    const ticket = await create();
    expect(ticket).toMatchObject({
      status: 'dispatched',
      channel: 'hotline',
      category: 'repair',
      categoryName: { zh: '维修服务', en: 'Repairs' },
      serviceClass: 'convenience',
      priority: { level: 'general', source: 'rules' },
      jurisdiction: XIANXIA_ROAD,
      routedTo: 'dispatch',
      version: 0,
      breached: false,
      place: { communityCode: XIANXIA_ROAD, communityName: expect.stringContaining('仙霞路') },
    });
    expect(ticket.ticketId).toMatch(/^T\d{8}-\d{6,}$/);
    expect(ticket.jobId).toBe(`${ticket.ticketId}-J1`);
    expect(ticket.timeline.map((e: Json) => e.to)).toEqual(['new', 'triaged', 'dispatched']);

    for (const name of ['ticket.created', 'ticket.triaged', 'ticket.routed']) {
      await tickets.waitFor(of(ticket.ticketId, TYPE(name)));
    }
    const [requested] = await jobs.waitFor(
      (e) => e.subject === ticket.jobId && e.type === JOB_TYPE('job.requested'),
    );
    expect(requested.data).toMatchObject({
      jobId: ticket.jobId,
      jurisdiction: XIANXIA_ROAD,
      origin: { service: 'resident-requests', aggregateId: ticket.ticketId },
      category: 'repair',
      skill: 'repair',
      priority: 'routine',
      dueBy: ticket.serviceLevel.resolveDueAt,
    });
    const [routed] = await tickets.waitFor(of(ticket.ticketId, TYPE('ticket.routed')));
    expect(routed.data).toMatchObject({ routedTo: 'dispatch', jobId: ticket.jobId, version: 0 });
  });

  it('raises the priority for urgent words and a vulnerable reporter, and maps it onto the job', async () => {
    const ticket = await create({
      description: '楼道里闻到燃气味',
      reporter: { name: '李大爷', phone: '13800001111', vulnerable: ['elderly-alone'] },
    });
    expect(ticket.priority).toMatchObject({ level: 'danger', source: 'rules' });
    const [requested] = await jobs.waitFor(
      (e) => e.subject === ticket.jobId && e.type === JOB_TYPE('job.requested'),
    );
    expect(requested.data).toMatchObject({ priority: 'immediate' });
  });

  it('moves the ticket on job.accepted, started and completed, with the whole timeline and idempotent redelivery', async () => {
    const ticket = await create();
    const providerId = unique('prv');
    const acceptedId = await dispatch.accepted(ticket.jobId, providerId);
    const assigned = await ticketWhen(
      service,
      ticket.ticketId,
      (t) => t.status === 'assigned',
      'is assigned',
    );
    expect(assigned.assignment).toMatchObject({ providerId, providerKind: 'company' });
    // The same event again (a redelivery) and an event of another job change nothing.
    await dispatch.accepted(ticket.jobId, providerId, acceptedId);
    await dispatch.accepted(`${ticket.ticketId}-J9`, unique('other'));
    await dispatch.started(ticket.jobId, providerId);
    await ticketWhen(service, ticket.ticketId, (t) => t.status === 'in-progress', 'is in progress');
    await dispatch.completed(ticket.jobId, providerId, 'partly-done');
    const resolved = await ticketWhen(
      service,
      ticket.ticketId,
      (t) => t.status === 'resolved',
      'is resolved',
    );

    expect(resolved.timeline.map((e: Json) => e.to)).toEqual([
      'new',
      'triaged',
      'dispatched',
      'assigned',
      'in-progress',
      'resolved',
    ]);
    expect(resolved.assignment.providerId).toBe(providerId);
    expect(resolved.resolution).toBe('partly-done');
    expect(resolved.callback).toMatchObject({ attempts: 0, status: expect.stringMatching(/scheduled|due/) });
    for (const name of ['ticket.assigned', 'ticket.started', 'ticket.resolved']) {
      await tickets.waitFor(of(ticket.ticketId, TYPE(name)));
    }
    expect(tickets.events.filter(of(ticket.ticketId, TYPE('ticket.assigned')))).toHaveLength(1);
  });

  it('puts the call-back in the worklist after its delay; satisfaction 5 closes the ticket', async () => {
    const { ticketId } = await resolvedTicket();
    const item = await inWorklist(ticketId);
    expect(item.reporter).toMatchObject({ name: '王秀英', phone: expect.any(String) });

    const reply = await call(service, 'POST', `/tickets/${ticketId}/callback`, operator(), {
      answered: true,
      satisfaction: 5,
      comment: '师傅很专业',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      status: 'closed',
      closeReason: 'feedback-recorded',
      satisfaction: { score: 5, comment: '师傅很专业' },
    });
    const [feedback] = await tickets.waitFor(of(ticketId, TYPE('feedback.recorded')));
    expect(feedback.data).toMatchObject({ satisfaction: 5 });
    const [closed] = await tickets.waitFor(of(ticketId, TYPE('ticket.closed')));
    expect(closed.data).toMatchObject({ reason: 'feedback-recorded' });
    const worklist = await call(service, 'GET', '/callbacks', operator());
    expect(worklist.body.items.some((i: Json) => i.ticketId === ticketId)).toBe(false);
  });

  it('reopens on satisfaction 1 and dispatches again with a new job', async () => {
    const { ticketId, jobId } = await resolvedTicket();
    await inWorklist(ticketId);
    const reply = await call(service, 'POST', `/tickets/${ticketId}/callback`, operator(), {
      answered: true,
      satisfaction: 1,
      comment: '还在漏水',
    });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('dispatched');
    expect(reply.body.jobId).toBe(`${ticketId}-J2`);
    expect(reply.body.jobId).not.toBe(jobId);
    expect(reply.body.assignment).toBeUndefined();
    const path = reply.body.timeline.map((e: Json) => e.to);
    expect(path.slice(-3)).toEqual(['resolved', 'triaged', 'dispatched']);

    const [reopened] = await tickets.waitFor(of(ticketId, TYPE('ticket.reopened')));
    expect(reopened.data).toMatchObject({ reason: 'dissatisfied' });
    const [requested] = await jobs.waitFor(
      (e) => e.subject === reply.body.jobId && e.type === JOB_TYPE('job.requested'),
    );
    expect(requested.data).toMatchObject({ origin: { aggregateId: ticketId } });

    // Events of the old job no longer move the ticket.
    await dispatch.accepted(jobId, unique('late'));
    const newProvider = unique('prv');
    await dispatch.accepted(reply.body.jobId, newProvider);
    const assigned = await ticketWhen(service, ticketId, (t) => t.status === 'assigned', 'is assigned again');
    expect(assigned.assignment.providerId).toBe(newProvider);
  });

  it('closes the ticket as unreachable after the third unanswered call-back', async () => {
    const { ticketId } = await resolvedTicket();
    for (let attempt = 1; attempt <= 3; attempt++) {
      const item = await inWorklist(ticketId);
      expect(item.callback.attempts).toBe(attempt - 1);
      const reply = await call(service, 'POST', `/tickets/${ticketId}/callback`, operator(), {
        answered: false,
      });
      expect(reply.status).toBe(200);
      expect(reply.body.status).toBe(attempt < 3 ? 'resolved' : 'closed');
    }
    const closed = await call(service, 'GET', `/tickets/${ticketId}`, operator());
    expect(closed.body).toMatchObject({
      status: 'closed',
      closeReason: 'callback-unanswered',
      callback: { attempts: 3, status: 'unreachable' },
    });
    const [event] = await tickets.waitFor(of(ticketId, TYPE('ticket.closed')));
    expect(event.data).toMatchObject({ reason: 'callback-unanswered' });
  });

  it('links a likely duplicate (same phone, category, community within 24 h) and shows it, never merging', async () => {
    const phone = '13700002222';
    const first = await create({ reporter: { name: '张三', phone } });
    const second = await create({ reporter: { name: '张三', phone: '137 0000 2222' } });
    const otherCategory = await create({ category: 'sanitation', reporter: { name: '张三', phone } });
    expect(first.likelyDuplicateOf).toBeUndefined();
    expect(second.likelyDuplicateOf).toBe(first.ticketId);
    expect(otherCategory.likelyDuplicateOf).toBeUndefined();
    expect(second.ticketId).not.toBe(first.ticketId);

    const [created] = await tickets.waitFor(of(second.ticketId, TYPE('ticket.created')));
    expect(created.data).toMatchObject({ likelyDuplicateOf: first.ticketId });
    const listed = await call(service, 'GET', `/tickets?category=repair&pageSize=100`, operator());
    expect(listed.body.items.find((t: Json) => t.ticketId === second.ticketId)).toMatchObject({
      likelyDuplicateOf: first.ticketId,
    });
  });

  it('cancels a dispatched ticket and asks dispatch to cancel its job; job.cancelled then changes nothing', async () => {
    const ticket = await create();
    const reply = await call(service, 'POST', `/tickets/${ticket.ticketId}/cancel`, operator(), {
      reason: 'withdrawn',
      note: '居民已自行修好',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'cancelled', cancelReason: 'withdrawn' });
    const [request] = await jobs.waitFor(
      (e) => e.subject === ticket.jobId && e.type === JOB_TYPE('job.cancellation-requested'),
    );
    expect(request.data).toMatchObject({
      jobId: ticket.jobId,
      origin: { service: 'resident-requests', aggregateId: ticket.ticketId },
      reason: 'origin-cancelled',
    });
    await tickets.waitFor(of(ticket.ticketId, TYPE('ticket.cancelled')));
    const before = await consumed(service, JOB_TYPE('job.cancelled'));
    await dispatch.cancelled(ticket.jobId);
    await eventually('job.cancelled consumed', async () =>
      (await consumed(service, JOB_TYPE('job.cancelled'))) > before ? true : undefined,
    );
    const again = await call(service, 'GET', `/tickets/${ticket.ticketId}`, operator());
    expect(again.body.version).toBe(reply.body.version);
  });

  it('notes a completion that crossed the cancel on the wire, and the ticket stays cancelled', async () => {
    const ticket = await create();
    const providerId = 'prov-cross-1';
    await dispatch.accepted(ticket.jobId, providerId);
    await ticketWhen(service, ticket.ticketId, (t) => t.status === 'assigned', 'is assigned');
    const cancelled = await call(service, 'POST', `/tickets/${ticket.ticketId}/cancel`, operator(), {
      reason: 'withdrawn',
    });
    expect(cancelled.status).toBe(200);
    await dispatch.completed(ticket.jobId, providerId);
    const noted = await ticketWhen(
      service,
      ticket.ticketId,
      (t) => t.timeline.some((e: Json) => e.reason === 'job-completed-after-cancel'),
      'notes the late completion',
    );
    expect(noted.status).toBe('cancelled');
    expect(noted.timeline.at(-1)).toMatchObject({ from: 'cancelled', to: 'cancelled', note: 'outcome done' });
  });

  it('flags a job escalated by dispatch for the supervisors', async () => {
    const ticket = await create();
    await dispatch.escalated(ticket.jobId);
    const flagged = await ticketWhen(service, ticket.ticketId, (t) => t.jobEscalated === true, 'is flagged');
    expect(flagged.status).toBe('dispatched');
    expect(flagged.timeline.at(-1)).toMatchObject({
      from: 'dispatched',
      to: 'dispatched',
      reason: 'job-escalated:no-provider',
    });
  });

  it('routes a dispute to mediation without a job, and lets an operator resolve it by hand', async () => {
    const ticket = await create({ category: 'dispute', description: '楼上邻居夜间噪音' });
    expect(ticket).toMatchObject({ status: 'routed', routedTo: 'mediation', priority: { level: 'complex' } });
    expect(ticket.jobId).toBeUndefined();
    const [routed] = await tickets.waitFor(of(ticket.ticketId, TYPE('ticket.routed')));
    expect(routed.data).toMatchObject({ routedTo: 'mediation' });
    expect((routed.data as Json).jobId).toBeUndefined();

    const reply = await call(service, 'POST', `/tickets/${ticket.ticketId}/resolve`, supervisor(), {
      resolution: 'referred',
      note: '已转街道调解委员会',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'resolved', resolution: 'referred' });
    await tickets.waitFor(of(ticket.ticketId, TYPE('ticket.resolved')));
  });

  it('overrides the priority with a reason: new deadlines and ticket.triaged overridden', async () => {
    const ticket = await create();
    const reply = await call(service, 'POST', `/tickets/${ticket.ticketId}/priority`, operator(), {
      priority: 'danger',
      reason: '居民称有触电风险',
    });
    expect(reply.status).toBe(200);
    expect(reply.body.priority).toEqual({ level: 'danger', source: 'override', reason: '居民称有触电风险' });
    expect(Date.parse(reply.body.serviceLevel.resolveDueAt)).toBeLessThan(
      Date.parse(ticket.serviceLevel.resolveDueAt),
    );
    const [triaged] = await tickets.waitFor(
      (e) => of(ticket.ticketId, TYPE('ticket.triaged'))(e) && (e.data as Json).overridden === true,
    );
    expect(triaged.data).toMatchObject({
      priority: 'danger',
      resolveDueAt: reply.body.serviceLevel.resolveDueAt,
    });
  });

  it('refuses illegal transitions with 409 and the current state', async () => {
    const ticket = await create();
    const cases: [string, Json][] = [
      ['callback', { answered: true, satisfaction: 4 }],
      ['resolve', { resolution: 'done' }],
      ['reopen', { reason: 'manual' }],
    ];
    for (const [command, body] of cases) {
      const reply = await call(service, 'POST', `/tickets/${ticket.ticketId}/${command}`, operator(), body);
      expect(reply.status).toBe(409);
      expect(reply.headers.get('content-type')).toContain('application/problem+json');
      expect(reply.body.current).toEqual({ status: 'dispatched', version: 0 });
    }
    await call(service, 'POST', `/tickets/${ticket.ticketId}/cancel`, operator(), { reason: 'invalid' });
    const again = await call(service, 'POST', `/tickets/${ticket.ticketId}/cancel`, operator(), {
      reason: 'invalid',
    });
    expect(again.status).toBe(409);
    expect(again.body.current).toMatchObject({ status: 'cancelled' });
  });

  it('keeps another district out: 404 for its operator, and not in its lists', async () => {
    const ticket = await create();
    const xuanwu = operator('320102', 'op-xuanwu');
    expect((await call(service, 'GET', `/tickets/${ticket.ticketId}`, xuanwu)).status).toBe(404);
    expect(
      (await call(service, 'POST', `/tickets/${ticket.ticketId}/cancel`, xuanwu, { reason: 'invalid' }))
        .status,
    ).toBe(404);
    const listed = await call(service, 'GET', '/tickets?pageSize=100', xuanwu);
    expect(listed.body.items.some((t: Json) => t.ticketId === ticket.ticketId)).toBe(false);
    // And a ticket of Xuanwu is not in Gulou's lists.
    const theirs = await call(
      service,
      'POST',
      '/tickets',
      xuanwu,
      hotlineTicket({ place: { communityCode: MEIYUAN, address: '梅园新村 1 号' } }),
    );
    expect(theirs.status).toBe(201);
    expect((await call(service, 'GET', `/tickets/${theirs.body.ticketId}`, operator(GULOU))).status).toBe(
      404,
    );
  });

  it('shows the resident’s contact only to the provider holding the job, while it holds it', async () => {
    const ticket = await create();
    const holder = unique('prv');
    const contactOf = (headers: Record<string, string>) =>
      call(service, 'GET', `/tickets/${ticket.ticketId}/contact`, headers);
    expect((await contactOf(providerUser(holder))).status).toBe(404);
    await dispatch.accepted(ticket.jobId, holder);
    await ticketWhen(service, ticket.ticketId, (t) => t.status === 'assigned', 'is assigned');

    const mine = await contactOf(providerUser(holder));
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      ticketId: ticket.ticketId,
      name: '王秀英',
      phone: ticket.reporter.phone,
      address: '仙霞路 12 号 3 单元 502 室',
      description: ticket.description,
      communityName: expect.stringContaining('仙霞路'),
    });
    expect((await contactOf(providerUser(unique('other')))).status).toBe(404);
    expect((await contactOf(operator())).status).toBe(200);
    // A provider cannot read the ticket itself.
    expect((await call(service, 'GET', `/tickets/${ticket.ticketId}`, providerUser(holder))).status).toBe(
      403,
    );

    await dispatch.completed(ticket.jobId, holder);
    await ticketWhen(service, ticket.ticketId, (t) => t.status === 'resolved', 'is resolved');
    expect((await contactOf(providerUser(holder))).status).toBe(404);
  });

  it('lists newest first with filters and paging', async () => {
    const a = await create({ category: 'housekeeping' });
    const b = await create({ category: 'housekeeping' });
    const page = await call(service, 'GET', '/tickets?category=housekeeping&pageSize=1', operator());
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(page.body.items[0].ticketId).toBe(b.ticketId);
    const second = await call(service, 'GET', '/tickets?category=housekeeping&pageSize=1&page=2', operator());
    expect(second.body.items[0].ticketId).toBe(a.ticketId);
    const filtered = await call(
      service,
      'GET',
      `/tickets?status=dispatched&community=320106001&channel=hotline&breached=false&from=${encodeURIComponent(
        a.createdAt,
      )}&category=housekeeping`,
      operator(),
    );
    expect(filtered.body.total).toBe(2);
    const none = await call(service, 'GET', '/tickets?category=housekeeping&community=320106002', operator());
    expect(none.body.total).toBe(0);
    const tooBig = await call(service, 'GET', '/tickets?pageSize=101', operator());
    expect(tooBig.status).toBe(400);
  });

  describe('Idempotency-Key (ADR 0035)', () => {
    const withKey = (key: string, headers = operator()) => ({ ...headers, 'Idempotency-Key': key });
    const openByPhone = async (phone: string) =>
      (await call(service, 'GET', `/tickets/open-by-phone?phone=${phone}`, operator())).body.items as Json[];

    it('a repeat with the same key answers the same ticket, stores one and publishes one ticket.created', async () => {
      const body = hotlineTicket();
      const key = unique('idem-');
      const first = await call(service, 'POST', '/tickets', withKey(key), body);
      const again = await call(service, 'POST', '/tickets', withKey(key), body);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body.ticketId).toBe(first.body.ticketId);
      expect(await openByPhone(body.reporter.phone)).toHaveLength(1);
      await tickets.waitFor(of(first.body.ticketId, TYPE('ticket.created')));
      // The relay publishes within a poll; give a second event the time it would need to show.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(tickets.events.filter(of(first.body.ticketId, TYPE('ticket.created')))).toHaveLength(1);
      expect(jobs.events.filter((e) => e.subject === first.body.jobId)).toHaveLength(1);
    });

    it('five concurrent posts with one key make one ticket, and all five answer it', async () => {
      const body = hotlineTicket();
      const key = unique('idem-');
      const replies = await Promise.all(
        [1, 2, 3, 4, 5].map(() => call(service, 'POST', '/tickets', withKey(key), body)),
      );
      expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(replies.map((r) => r.body.ticketId)).size).toBe(1);
      expect(await openByPhone(body.reporter.phone)).toHaveLength(1);
    });

    it("the same key with another body is a 422 naming Idempotency-Key; another caller's same key is its own", async () => {
      const body = hotlineTicket();
      const key = unique('idem-');
      const first = await call(service, 'POST', '/tickets', withKey(key), body);
      const changed = await call(service, 'POST', '/tickets', withKey(key), {
        ...body,
        description: '另一件事',
      });
      expect(changed.status).toBe(422);
      expect(changed.headers.get('content-type')).toContain('application/problem+json');
      expect(changed.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
      const other = await call(service, 'POST', '/tickets', withKey(key, operator(GULOU, 'op-2')), body);
      expect(other.status).toBe(201);
      expect(other.body.ticketId).not.toBe(first.body.ticketId);
    });

    it('is in the OpenAPI description of POST /tickets, which keeps its 201', async () => {
      const document = await call(service, 'GET', '/docs/json');
      const create = document.body.paths['/tickets'].post;
      expect(create.parameters).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
        ]),
      );
      expect(Object.keys(create.responses)).toContain('201');
    });

    it('a malformed key is a 400 naming Idempotency-Key, and creates nothing', async () => {
      const body = hotlineTicket();
      for (const key of ['x'.repeat(129), 'has space', '']) {
        const reply = await call(service, 'POST', '/tickets', withKey(key), body);
        expect(reply.status).toBe(400);
        expect(reply.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
      }
      expect(await openByPhone(body.reporter.phone)).toHaveLength(0);
    });
  });
});
