// The provider who taps "accept" at the same moment as nineteen others: one of them gets the job.
import { EventProbe } from '@linli/testing';
import { jobTopic, ticketTopic } from '@linli/contracts';
import {
  call,
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

const PROVIDERS = 20;

describe('twenty providers accepting the same job at the same moment', () => {
  let platform: Platform;
  let jobs: EventProbe;
  let tickets: EventProbe;

  beforeAll(async () => {
    platform = await startPlatform({ OFFERS_PER_ROUND: String(PROVIDERS), OFFER_TIMEOUT_MS: '120000' });
    jobs = await EventProbe.start({ topic: jobTopic.name });
    tickets = await EventProbe.start({ topic: ticketTopic.name });
  });
  afterAll(async () => {
    await jobs?.stop();
    await tickets?.stop();
    await platform?.stop();
  });

  it('gives exactly one 200 and nineteen 409, one job.accepted and one assignment on the ticket', async () => {
    const providers: string[] = [];
    for (let i = 0; i < PROVIDERS; i++) providers.push((await registerProvider(platform)).providerId);

    const created = await call(platform.requests, 'POST', '/tickets', operator, hotlineTicket());
    const { jobId } = await ticketWhen(platform, created.body.ticketId, (t) => Boolean(t.jobId), 'has a job');
    await Promise.all(providers.map((id) => offeredJob(platform, id, jobId)));

    const replies = await Promise.all(
      providers.map((id) => call(platform.dispatch, 'POST', `/jobs/${jobId}/accept`, providerUser(id))),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(PROVIDERS - 1);
    for (const refused of replies.filter((r) => r.status === 409)) {
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    const winner = providers[replies.findIndex((r) => r.status === 200)];

    const assigned = await ticketWhen(
      platform,
      created.body.ticketId,
      (t) => t.status === 'assigned',
      'is assigned',
    );
    expect(assigned.assignment).toMatchObject({ providerId: winner });
    expect(assigned.timeline.filter((e: Json) => e.to === 'assigned')).toHaveLength(1);

    // Give any second acceptance time to surface, then count.
    await tickets.waitFor(
      (e) => e.type === 'linli.resident-requests.ticket.assigned.v1' && e.subject === created.body.ticketId,
    );
    await new Promise((r) => setTimeout(r, 2_000));
    expect(
      jobs.events.filter((e) => e.type === 'linli.dispatch.job.accepted.v1' && e.subject === jobId),
    ).toHaveLength(1);
    expect(
      tickets.events.filter(
        (e) => e.type === 'linli.resident-requests.ticket.assigned.v1' && e.subject === created.body.ticketId,
      ),
    ).toHaveLength(1);

    // The others' offers are withdrawn: the job is no longer in their offered lists.
    for (const id of providers.filter((p) => p !== winner)) {
      const offered = await call(platform.dispatch, 'GET', '/jobs/offered', providerUser(id));
      expect(offered.body.items.map((j: Json) => j.jobId)).not.toContain(jobId);
    }
  });
});
