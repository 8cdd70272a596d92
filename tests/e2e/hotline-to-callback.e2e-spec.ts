// The operator's and the provider's day, end to end over HTTP with both services running as processes: a hotline
// ticket is dispatched to a matching provider, done, resolved, called back (回访) and closed or re-dispatched.
import {
  call,
  eventually,
  hotlineTicket,
  offeredJob,
  operator,
  providerUser,
  registerProvider,
  startPlatform,
  ticketWhen,
  type Platform,
  type Json,
} from './support/linli';

describe('a hotline repair ticket, from the call to the call-back', () => {
  let platform: Platform;
  let plumber: string;

  beforeAll(async () => {
    platform = await startPlatform({ OFFERS_PER_ROUND: '3' });
    ({ providerId: plumber } = await registerProvider(platform));
  });
  afterAll(() => platform?.stop());

  async function dispatchAndFinish(): Promise<{ ticketId: string; jobId: string }> {
    const created = await call(platform.requests, 'POST', '/tickets', operator, hotlineTicket());
    expect(created.status).toBe(201);
    const ticketId: string = created.body.ticketId;
    const dispatched = await ticketWhen(platform, ticketId, (t) => Boolean(t.jobId), 'has a job');
    const jobId: string = dispatched.jobId;

    const offer = await offeredJob(platform, plumber, jobId);
    expect(offer).toMatchObject({ category: 'repair', skill: 'repair' });
    const me = providerUser(plumber);
    // Offered is not held: the resident's phone and address stay hidden until the provider takes the job.
    expect((await call(platform.requests, 'GET', `/tickets/${ticketId}/contact`, me)).status).toBe(404);
    expect((await call(platform.dispatch, 'POST', `/jobs/${jobId}/accept`, me)).status).toBe(200);
    await ticketWhen(platform, ticketId, (t) => t.status === 'assigned', 'is assigned');
    const contact = await call(platform.requests, 'GET', `/tickets/${ticketId}/contact`, me);
    expect(contact.status).toBe(200);
    expect(contact.body).toMatchObject({
      phone: expect.stringMatching(/^1\d{10}$/),
      address: expect.any(String),
    });
    // Another district's operator does not even learn the ticket exists.
    const xuanwu = { role: 'operator' as const, jurisdiction: '320102', sub: 'op-xuanwu' };
    expect((await call(platform.requests, 'GET', `/tickets/${ticketId}`, xuanwu)).status).toBe(404);
    expect((await call(platform.dispatch, 'POST', `/jobs/${jobId}/start`, me, {})).status).toBe(200);
    await ticketWhen(platform, ticketId, (t) => t.status === 'in-progress', 'is in progress');
    const done = await call(platform.dispatch, 'POST', `/jobs/${jobId}/complete`, me, {
      outcome: 'done',
      notes: '更换了水龙头阀芯',
    });
    expect(done.status).toBe(200);
    await ticketWhen(platform, ticketId, (t) => t.status === 'resolved', 'is resolved');
    // Once the job is done, the contact is hidden again.
    expect((await call(platform.requests, 'GET', `/tickets/${ticketId}/contact`, me)).status).toBe(404);
    return { ticketId, jobId };
  }

  async function callbackDue(ticketId: string): Promise<void> {
    await eventually(`the call-back of ${ticketId} in today's worklist`, async () => {
      const worklist = await call(platform.requests, 'GET', '/callbacks', operator);
      return worklist.status === 200 && worklist.body.items.some((i: Json) => i.ticketId === ticketId)
        ? true
        : undefined;
    });
  }

  it('reaches the provider, is done, shows resolved with its whole timeline, and closes on satisfaction 5', async () => {
    const { ticketId } = await dispatchAndFinish();

    const resolved = (await call(platform.requests, 'GET', `/tickets/${ticketId}`, operator)).body;
    // Transitions only: notes on the way (an escalation, a lapsed offer) keep the status and are not steps.
    const path = resolved.timeline.filter((e: Json) => e.from !== e.to).map((entry: Json) => entry.to);
    expect(path).toEqual(['new', 'triaged', 'dispatched', 'assigned', 'in-progress', 'resolved']);
    for (const entry of resolved.timeline) expect(typeof entry.at).toBe('string');

    await callbackDue(ticketId);
    const recorded = await call(platform.requests, 'POST', `/tickets/${ticketId}/callback`, operator, {
      answered: true,
      satisfaction: 5,
      comment: '师傅很专业',
    });
    expect(recorded.status).toBe(200);
    const closed = await ticketWhen(platform, ticketId, (t) => t.status === 'closed', 'is closed');
    expect(closed.satisfaction).toMatchObject({ score: 5 });
    const worklist = await call(platform.requests, 'GET', '/callbacks', operator);
    expect(worklist.body.items.some((i: Json) => i.ticketId === ticketId)).toBe(false);
  });

  it('is reopened and dispatched again, as a new job, when the resident gives satisfaction 1', async () => {
    const { ticketId, jobId } = await dispatchAndFinish();
    await callbackDue(ticketId);
    const recorded = await call(platform.requests, 'POST', `/tickets/${ticketId}/callback`, operator, {
      answered: true,
      satisfaction: 1,
      comment: '还在漏水',
    });
    expect(recorded.status).toBe(200);

    const again = await ticketWhen(
      platform,
      ticketId,
      (t) => t.status === 'dispatched' && t.jobId !== jobId,
      'is dispatched again with a new job',
    );
    const path: string[] = again.timeline.map((e: Json) => e.to);
    expect(path.lastIndexOf('dispatched')).toBeGreaterThan(path.indexOf('resolved'));
    await offeredJob(platform, plumber, again.jobId);
  });

  it('refuses a call-back for a ticket that is not resolved, with 409 and the current state', async () => {
    const created = await call(platform.requests, 'POST', '/tickets', operator, hotlineTicket());
    const reply = await call(
      platform.requests,
      'POST',
      `/tickets/${created.body.ticketId}/callback`,
      operator,
      {
        answered: true,
        satisfaction: 4,
      },
    );
    expect(reply.status).toBe(409);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.body.current).toMatchObject({ status: expect.any(String) });
  });
});
