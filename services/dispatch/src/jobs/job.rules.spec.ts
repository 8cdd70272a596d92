import { validateEventData } from '@linli/contracts';
import {
  accept,
  canApply,
  cancel,
  complete,
  decline,
  escalate,
  expire,
  JOB_STATUSES,
  JOB_TRANSITIONS,
  JobConflictError,
  needsNextRound,
  offerRound,
  progressDecision,
  reopenForOffers,
  start,
  type JobChange,
  type JobCommand,
  type JobState,
} from './job.rules';

const now = new Date('2025-03-05T02:00:00Z');
let offerCounter = 0;
const newOfferId = () => `offer-${++offerCounter}`;

function requested(overrides: Partial<JobState> = {}): JobState {
  return {
    jobId: 'job-1',
    version: -1,
    status: 'requested',
    origin: { service: 'resident-requests', aggregateId: 'T-1' },
    category: 'repair',
    skill: 'plumbing',
    priority: 'urgent',
    jurisdiction: '320106001001',
    round: 0,
    offers: [],
    escalated: false,
    escalationLevel: 0,
    timeline: [],
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

/** As stored after the change (the version the write gives it). */
function stored(change: JobChange): JobState {
  return { ...change.state, version: change.state.version + 1 };
}

function offered(providers = ['p-a', 'p-b', 'p-c']): JobState {
  const change = offerRound(
    requested(),
    providers.map((providerId) => ({ providerId, kind: 'company' })),
    { now, timeoutMs: 60_000, newOfferId },
  );
  return stored(change);
}

function expectValidEvents(change: JobChange): void {
  for (const { definition, data } of change.events) {
    expect(validateEventData(definition, data)).toMatchObject({ ok: true });
  }
}

describe('the state machine', () => {
  const table: [JobCommand, string][] = JOB_STATUSES.flatMap((status) =>
    (Object.keys(JOB_TRANSITIONS) as JobCommand[]).map((command): [JobCommand, string] => [command, status]),
  );
  const allowed: Record<JobCommand, string[]> = {
    offer: ['requested', 'offered'],
    escalate: ['requested', 'offered'],
    reoffer: ['escalated'],
    accept: ['offered'],
    decline: ['offered'],
    expire: ['offered'],
    start: ['accepted'],
    complete: ['started'],
    cancel: ['requested', 'offered', 'escalated', 'accepted', 'started'],
  };
  it.each(table)('%s from %s', (command, status) => {
    expect(canApply(command, status as never)).toBe(allowed[command].includes(status));
  });
});

describe('a round of offers', () => {
  it('offers to every candidate at once, each with its own expiry and event', () => {
    const change = offerRound(
      requested(),
      [
        { providerId: 'p-a', kind: 'company' },
        { providerId: 'p-b', kind: 'volunteer' },
      ],
      {
        now,
        timeoutMs: 60_000,
        newOfferId,
      },
    );
    expect(change.state.status).toBe('offered');
    expect(change.state.round).toBe(1);
    expect(change.opened.map((offer) => offer.providerId)).toEqual(['p-a', 'p-b']);
    expect(change.opened.every((offer) => offer.expiresAt.getTime() === now.getTime() + 60_000)).toBe(true);
    expect(
      change.events.map((event) => [event.definition.name, event.data.providerId, event.data.version]),
    ).toEqual([
      ['job.offered', 'p-a', 0],
      ['job.offered', 'p-b', 0],
    ]);
    expectValidEvents(change);
  });
});

describe('accepting', () => {
  it('the first to accept holds the job and the other offers are withdrawn', () => {
    const job = offered();
    const change = accept(job, 'p-b', 'user-b', now);
    expect(change.state).toMatchObject({ status: 'accepted', providerId: 'p-b', providerKind: 'company' });
    expect(change.state.offers.map((offer) => [offer.providerId, offer.status])).toEqual([
      ['p-a', 'withdrawn'],
      ['p-b', 'accepted'],
      ['p-c', 'withdrawn'],
    ]);
    expect(change.closed).toHaveLength(3);
    expect(change.events.map((event) => event.definition.name)).toEqual(['job.accepted']);
    expect(change.events[0]?.data.version).toBe(job.version + 1);
    expect(change.holders).toEqual(['p-b']);
    expectValidEvents(change);
  });

  it.each([
    ['a job taken by another', () => stored(accept(offered(), 'p-a', 'user-a', now)), 'p-b'],
    ['a job never offered to it', () => offered(), 'p-z'],
    [
      'an offer it declined',
      () => stored(decline(offered(), 'p-b', { reason: 'busy', actorId: 'u' }, now)),
      'p-b',
    ],
    ['a cancelled job', () => stored(cancel(offered(), 'origin-cancelled', now)), 'p-b'],
  ])('is a conflict for %s', (_, job, providerId) => {
    expect(() => accept(job(), providerId, 'user', now)).toThrow(JobConflictError);
  });
});

describe('declining and expiry', () => {
  it('a decline closes only that offer; the round goes on while others are open', () => {
    const change = decline(
      offered(['p-a', 'p-b']),
      'p-a',
      { reason: 'busy', note: 'on another site', actorId: 'u' },
      now,
    );
    expect(change.state.status).toBe('offered');
    expect(needsNextRound(change.state)).toBe(false);
    expect(change.events[0]?.data).toMatchObject({ reason: 'busy', providerId: 'p-a' });
    expectValidEvents(change);
  });

  it('when no offer of the round is open, the next round is due', () => {
    const first = stored(decline(offered(['p-a', 'p-b']), 'p-a', { reason: 'busy', actorId: 'u' }, now));
    const offerB = first.offers.find((offer) => offer.providerId === 'p-b')!;
    const change = expire(first, offerB.offerId, now)!;
    expect(change.events.map((event) => event.definition.name)).toEqual(['job.expired']);
    expect(needsNextRound(change.state)).toBe(true);
    expectValidEvents(change);
  });

  it('a late timer for an answered offer does nothing', () => {
    const job = stored(accept(offered(), 'p-a', 'user-a', now));
    expect(expire(job, job.offers[0]!.offerId, now)).toBeNull();
  });
});

describe('escalation and re-offer', () => {
  it('escalates with reason no-provider at the next level', () => {
    const change = escalate(requested(), 'no-provider', now);
    expect(change.state).toMatchObject({ status: 'escalated', escalated: true, escalationLevel: 1 });
    expect(change.events[0]?.data).toMatchObject({ reason: 'no-provider', level: 1 });
    expectValidEvents(change);
  });

  it('a supervisor re-offer puts it back for a new round', () => {
    const job = stored(escalate(requested(), 'no-provider', now));
    const reopened = reopenForOffers(job, 'sup-1', now);
    expect(reopened.state).toMatchObject({ status: 'requested', escalated: false });
    expect(canApply('offer', reopened.state.status)).toBe(true);
  });
});

describe('doing the work', () => {
  const held = () => stored(accept(offered(), 'p-a', 'user-a', now));

  it('start then complete, by the holder, release its load', () => {
    const started = start(held(), 'p-a', 'user-a', now, { lat: 32.06, lng: 118.78 });
    expect(started.state).toMatchObject({ status: 'started', checkIn: { lat: 32.06, lng: 118.78 } });
    expectValidEvents(started);
    const completed = complete(
      stored(started),
      'p-a',
      { outcome: 'done', workDone: 'new washer', actorId: 'user-a' },
      now,
    );
    expect(completed.state).toMatchObject({ status: 'completed', outcome: 'done', workDone: 'new washer' });
    expect(completed.holders).toEqual(['p-a']);
    expectValidEvents(completed);
  });

  it.each([
    ['start by another provider', () => start(held(), 'p-b', 'user-b', now)],
    ['complete before start', () => complete(held(), 'p-a', { outcome: 'done', actorId: 'u' }, now)],
    ['start of a job only offered', () => start(offered(), 'p-a', 'u', now)],
  ])('%s is a conflict carrying the current status', (_, command) => {
    try {
      command();
      throw new Error('expected a conflict');
    } catch (error) {
      expect(error).toBeInstanceOf(JobConflictError);
      expect((error as JobConflictError).current).toHaveProperty('status');
    }
  });

  it('cancel withdraws open offers and releases the holder', () => {
    const fromOffered = cancel(offered(), 'origin-cancelled', now);
    expect(fromOffered.state.offers.every((offer) => offer.status === 'withdrawn')).toBe(true);
    expect(fromOffered.holders).toEqual([]);
    const fromHeld = cancel(held(), 'manual', now, { actorId: 'sup', note: 'duplicate' });
    expect(fromHeld.holders).toEqual(['p-a']);
    expect(fromHeld.events[0]?.data).toMatchObject({ reason: 'manual', providerId: 'p-a', actorId: 'sup' });
    expectValidEvents(fromHeld);
    expect(() => cancel(stored(fromHeld), 'manual', now)).toThrow(JobConflictError);
  });
});

describe('progressDecision (job.progress-reported from the requesting service)', () => {
  const held = (status: JobState['status']) => ({ status, providerId: 'p-1' });

  it('starts an accepted job, and completes a started one', () => {
    expect(progressDecision(held('accepted'), 'p-1', 'started')).toEqual({ steps: ['start'] });
    expect(progressDecision(held('started'), 'p-1', 'completed')).toEqual({ steps: ['complete'] });
  });

  it('a completion for a job not started yet starts it first', () => {
    expect(progressDecision(held('accepted'), 'p-1', 'completed')).toEqual({ steps: ['start', 'complete'] });
  });

  it('a step the job has passed is a no-op (a repeated report)', () => {
    expect(progressDecision(held('started'), 'p-1', 'started')).toEqual({ steps: [] });
    expect(progressDecision(held('completed'), 'p-1', 'started')).toEqual({ steps: [] });
    expect(progressDecision(held('completed'), 'p-1', 'completed')).toEqual({ steps: [] });
  });

  it('ignores a provider that does not hold the job', () => {
    expect(progressDecision(held('accepted'), 'p-2', 'started').ignore).toMatch(/does not hold/);
    expect(progressDecision({ status: 'offered' }, 'p-1', 'started').ignore).toMatch(/does not hold/);
    expect(progressDecision(held('completed'), 'p-2', 'completed').ignore).toMatch(/does not hold/);
  });

  it('ignores a cancelled job', () => {
    expect(progressDecision(held('cancelled'), 'p-1', 'completed').ignore).toMatch(/cancelled/);
  });
});
