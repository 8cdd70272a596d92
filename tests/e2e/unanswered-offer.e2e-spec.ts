// An offer nobody answers moves on to the next candidates; with none left, the supervisors get the escalation.
import { EventProbe } from '@linli/testing';
import { jobTopic } from '@linli/contracts';
import {
  call,
  eventually,
  hotlineTicket,
  offeredJob,
  operator,
  providerUser,
  registerProvider,
  startPlatform,
  supervisor,
  ticketWhen,
  type Platform,
  type Json,
} from './support/linli';

describe('an unanswered offer', () => {
  let platform: Platform;
  let jobs: EventProbe;

  beforeAll(async () => {
    platform = await startPlatform({
      OFFERS_PER_ROUND: '1',
      OFFER_TIMEOUT_MS: '2500',
      OFFER_TIMEOUT_IMMEDIATE_MS: '2500',
    });
    jobs = await EventProbe.start({ topic: jobTopic.name });
  });
  afterAll(async () => {
    await jobs?.stop();
    await platform?.stop();
  });

  it('goes to the next candidate when it lapses, and to the supervisors when nobody is left', async () => {
    // This file's namespace has exactly these two candidates: each is offered the job once, then it escalates.
    await registerProvider(platform);
    await registerProvider(platform);

    const created = await call(
      platform.requests,
      'POST',
      '/tickets',
      operator,
      hotlineTicket({ category: 'repair', description: '门锁坏了，打不开门' }),
    );
    expect(created.status).toBe(201);
    const { jobId } = await ticketWhen(platform, created.body.ticketId, (t) => Boolean(t.jobId), 'has a job');
    const offers = await jobs.waitFor(
      (e) => e.type === 'linli.dispatch.job.offered.v1' && e.subject === jobId,
      {
        count: 1,
        timeoutMs: 30_000,
      },
    );
    expect(offers).toHaveLength(1);
    const firstOffered = (offers[0]?.data as Json).providerId as string;

    const expired = await jobs.waitFor(
      (e) => e.type === 'linli.dispatch.job.expired.v1' && e.subject === jobId,
      {
        timeoutMs: 30_000,
      },
    );
    expect((expired[0]?.data as Json).providerId).toBe(firstOffered);

    const second2 = await jobs.waitFor(
      (e) => e.type === 'linli.dispatch.job.offered.v1' && e.subject === jobId,
      {
        count: 2,
        timeoutMs: 30_000,
      },
    );
    const secondOffered = (second2[1]?.data as Json).providerId as string;
    expect(secondOffered).not.toBe(firstOffered);
    await offeredJob(platform, secondOffered, jobId);
    // The lapsed offer is gone from the first provider's list, and accepting it now is refused.
    const late = await call(platform.dispatch, 'POST', `/jobs/${jobId}/accept`, providerUser(firstOffered));
    expect(late.status).toBe(409);

    const escalated = await jobs.waitFor(
      (e) => e.type === 'linli.dispatch.job.escalated.v1' && e.subject === jobId,
      {
        timeoutMs: 30_000,
      },
    );
    expect(escalated[0]?.data).toMatchObject({ reason: 'no-provider', level: 1 });

    const board = await eventually('the escalated job on the supervisors’ list', async () => {
      const reply = await call(platform.dispatch, 'GET', '/jobs?escalated=true', supervisor);
      return reply.body?.items?.find((j: Json) => j.jobId === jobId);
    });
    expect(board).toMatchObject({ jobId, escalated: true });
    await ticketWhen(
      platform,
      created.body.ticketId,
      (t) =>
        t.timeline.some((e: Json) => /escalat/i.test(`${e.reason ?? ''} ${e.note ?? ''} ${e.type ?? ''}`)),
      'shows the escalation in its timeline',
    );
  });
});
