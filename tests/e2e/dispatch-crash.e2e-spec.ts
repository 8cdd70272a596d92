// Dispatch killed (kill -9) in the middle of the flow and started again: no job lost, none duplicated, and every
// ticket still reaches its end.
import { EventProbe, startService } from '@linli/testing';
import { jobTopic } from '@linli/contracts';
import {
  call,
  eventually,
  FAST,
  hotlineTicket,
  operator,
  providerUser,
  registerProvider,
  startPlatform,
  ticketWhen,
  type Platform,
  type Json,
} from './support/linli';

const TICKETS = 8;

describe('dispatch killed and restarted mid-flow', () => {
  let platform: Platform;
  let jobs: EventProbe;

  beforeAll(async () => {
    platform = await startPlatform({ OFFERS_PER_ROUND: '1', OFFER_TIMEOUT_MS: '60000' });
    jobs = await EventProbe.start({ topic: jobTopic.name });
  });
  afterAll(async () => {
    await jobs?.stop();
    await platform?.stop();
  });

  it('loses and duplicates no job, and every ticket is resolved', async () => {
    const { providerId } = await registerProvider(platform, { capacity: 50 });
    const me = providerUser(providerId);

    const ticketIds: string[] = [];
    for (let i = 0; i < TICKETS / 2; i++) {
      const created = await call(platform.requests, 'POST', '/tickets', operator, hotlineTicket());
      expect(created.status).toBe(201);
      ticketIds.push(created.body.ticketId);
    }
    // Kill as soon as the first offer is out: some requests are consumed, some are not yet.
    await jobs.waitFor((e) => e.type === 'linli.dispatch.job.offered.v1');
    await platform.dispatch.kill();
    // Tickets keep coming in while dispatch is down: their job requests wait in Kafka.
    for (let i = 0; i < TICKETS / 2; i++) {
      const created = await call(platform.requests, 'POST', '/tickets', operator, hotlineTicket());
      expect(created.status).toBe(201);
      ticketIds.push(created.body.ticketId);
    }
    platform.dispatch = await startService({
      name: 'dispatch',
      env: { ...FAST, LOG_LEVEL: 'warn', OFFERS_PER_ROUND: '1', OFFER_TIMEOUT_MS: '60000' },
      port: platform.dispatch.port,
      readyTimeoutMs: 90_000,
    });

    const jobIds: string[] = [];
    for (const ticketId of ticketIds) {
      jobIds.push((await ticketWhen(platform, ticketId, (t) => Boolean(t.jobId), 'has a job')).jobId);
    }
    expect(new Set(jobIds).size).toBe(TICKETS);

    // The provider works through every job offered to it.
    for (const jobId of jobIds) {
      await eventually(`job ${jobId} offered`, async () => {
        const offered = await call(platform.dispatch, 'GET', '/jobs/offered', me);
        return offered.body?.items?.some((j: Json) => j.jobId === jobId) ? true : undefined;
      });
      expect((await call(platform.dispatch, 'POST', `/jobs/${jobId}/accept`, me)).status).toBe(200);
      expect((await call(platform.dispatch, 'POST', `/jobs/${jobId}/start`, me, {})).status).toBe(200);
      expect(
        (await call(platform.dispatch, 'POST', `/jobs/${jobId}/complete`, me, { outcome: 'done' })).status,
      ).toBe(200);
    }
    for (const ticketId of ticketIds) {
      await ticketWhen(platform, ticketId, (t) => t.status === 'resolved', 'is resolved');
    }

    // Exactly one job per ticket in dispatch, each accepted and completed once.
    const all = await call(platform.dispatch, 'GET', '/jobs?pageSize=100', {
      role: 'supervisor',
      jurisdiction: '320106',
    });
    const mine = all.body.items.filter((j: Json) => jobIds.includes(j.jobId));
    expect(mine).toHaveLength(TICKETS);
    for (const jobId of jobIds) {
      const accepted = jobs.events.filter(
        (e) => e.type === 'linli.dispatch.job.accepted.v1' && e.subject === jobId,
      );
      const completed = jobs.events.filter(
        (e) => e.type === 'linli.dispatch.job.completed.v1' && e.subject === jobId,
      );
      // Publishing is at least once (a relay restart may resend an event); what must be unique is the effect.
      expect(new Set(accepted.map((e) => e.id)).size).toBe(1);
      expect(new Set(completed.map((e) => e.id)).size).toBe(1);
    }
  });
});
