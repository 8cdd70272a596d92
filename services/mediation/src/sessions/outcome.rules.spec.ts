import { ValidationError } from '@linli/platform';
import type { CaseState, Session } from '../cases/case.rules';
import {
  assertMayRecordOutcome,
  chinaMorning,
  isCalendarDate,
  nextTermNumber,
  planFollowUps,
  recordOutcome,
  validateOutcome,
  type OutcomeInput,
} from './outcome.rules';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// 2026-03-02 10:00 in China.
const now = new Date('2026-03-02T02:00:00.000Z');
const TODAY = '2026-03-02';

const held: Session = {
  sessionId: 'S1',
  scheduledFor: new Date(now.getTime() - DAY),
  place: '调解室',
  status: 'held',
  rescheduled: 0,
  reminders: [],
  heldAt: new Date(now.getTime() - DAY),
};
const upcoming: Session = {
  sessionId: 'S2',
  scheduledFor: new Date(now.getTime() + 2 * DAY),
  place: '调解室',
  status: 'scheduled',
  rescheduled: 0,
  reminders: [
    { leadMs: DAY, leadMinutes: 1440, dueAt: new Date(now.getTime() + DAY), round: 0, status: 'pending' },
  ],
};

function caseState(overrides: Partial<CaseState> = {}): CaseState {
  return {
    caseId: 'C20260302-000001',
    version: 7,
    status: 'in-mediation',
    caseType: 'neighbour',
    riskLevel: 'medium',
    source: 'ticket',
    ticketId: 'T20260301-000004',
    communityCode: '320106001003',
    description: '楼上漏水',
    parties: [],
    openedAt: new Date(now.getTime() - 10 * DAY),
    timeLimitAt: new Date(now.getTime() + 20 * DAY),
    mediator: { mediatorId: 'med-1', via: 'dispatch', at: new Date(now.getTime() - 9 * DAY) },
    released: [],
    sessions: [structuredClone(held), structuredClone(upcoming)],
    followUps: [],
    escalations: [],
    timeline: [],
    ...overrides,
  };
}

const agreement = (
  terms: Array<{ text: string; dueDate: string }>,
  followUpPlan?: 'after-period' | 'per-term',
) =>
  ({
    kind: 'agreement',
    reason: '双方同意',
    agreement: { text: '协议', terms, followUpPlan },
  }) as OutcomeInput;

function fieldsOf(run: () => void): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => e.field);
    throw error;
  }
  return [];
}

describe('what an outcome must say', () => {
  it('accepts an agreement with terms due today or later', () => {
    expect(fieldsOf(() => validateOutcome(agreement([{ text: '修好水管', dueDate: TODAY }]), TODAY))).toEqual(
      [],
    );
  });

  it.each<[string, OutcomeInput, string[]]>([
    ['an agreement without its text and terms', { kind: 'agreement', reason: 'r' }, ['agreement']],
    [
      'a failure carrying an agreement',
      { kind: 'failed', reason: 'r', agreement: { text: 't', terms: [] } },
      ['agreement'],
    ],
    ['a referral without its target', { kind: 'referred', reason: 'r' }, ['referredTo']],
    [
      'a failure with a referral target',
      { kind: 'failed', reason: 'r', referredTo: 'court' },
      ['referredTo'],
    ],
  ])('refuses %s, naming the field', (_, input, fields) => {
    expect(fieldsOf(() => validateOutcome(input, TODAY))).toEqual(fields);
  });

  it('refuses a term due before today (China) or on a date that does not exist', () => {
    const input = agreement([
      { text: 'a', dueDate: '2026-03-01' },
      { text: 'b', dueDate: '2026-02-30' },
      { text: 'c', dueDate: '2026-03-03' },
    ]);
    expect(fieldsOf(() => validateOutcome(input, TODAY))).toEqual([
      'agreement.terms.0.dueDate',
      'agreement.terms.1.dueDate',
    ]);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-13-01')).toBe(false);
  });
});

describe('when a case may have its outcome', () => {
  it('needs a session held first', () => {
    const state = caseState({ sessions: [structuredClone(upcoming)] });
    expect(() => assertMayRecordOutcome(state)).toThrow('an outcome needs a session held first');
    expect(() => assertMayRecordOutcome(caseState({ status: 'assigned', sessions: [] }))).toThrow(
      'an outcome needs a session held first',
    );
  });

  it('refuses a second outcome, and one on a closed case', () => {
    const agreed = caseState();
    recordOutcome(
      agreed,
      agreement([{ text: 'a', dueDate: TODAY }]),
      { followUpAfterMs: 30 * DAY },
      'u',
      now,
    );
    expect(() => assertMayRecordOutcome(agreed)).toThrow('already has its outcome (agreement)');
    const closed = caseState({ status: 'closed', closed: { reason: 'withdrawn', at: now } });
    expect(() => assertMayRecordOutcome(closed)).toThrow('is closed (withdrawn)');
  });
});

describe('the follow-ups an agreement plans', () => {
  const terms = [
    { termId: 'T1', text: 'a', dueDate: '2026-04-01' },
    { termId: 'T2', text: 'b', dueDate: '2026-03-10' },
    { termId: 'T3', text: 'c', dueDate: '2026-04-01' },
  ];

  it('after a period: one visit covering every term', () => {
    expect(planFollowUps('after-period', terms, now, 30 * DAY, 0)).toEqual([
      {
        followUpId: 'F1',
        dueAt: new Date(now.getTime() + 30 * DAY),
        termIds: ['T1', 'T2', 'T3'],
        status: 'scheduled',
      },
    ]);
  });

  it('per term: one visit per due date at 10:00 China time, in date order, numbered after earlier ones', () => {
    expect(planFollowUps('per-term', terms, now, 30 * DAY, 1)).toEqual([
      {
        followUpId: 'F2',
        dueAt: new Date('2026-03-10T02:00:00.000Z'),
        termIds: ['T2'],
        status: 'scheduled',
      },
      {
        followUpId: 'F3',
        dueAt: new Date('2026-04-01T02:00:00.000Z'),
        termIds: ['T1', 'T3'],
        status: 'scheduled',
      },
    ]);
    expect(chinaMorning('2026-12-31').toISOString()).toBe('2026-12-31T02:00:00.000Z');
  });
});

describe('recording the outcome', () => {
  it('an agreement: the case agreed, terms numbered, follow-ups planned, scheduled sessions called off', () => {
    const state = caseState();
    const recorded = recordOutcome(
      state,
      agreement(
        [
          { text: 'a', dueDate: '2026-03-10' },
          { text: 'b', dueDate: '2026-03-20' },
        ],
        'per-term',
      ),
      { followUpAfterMs: 30 * DAY },
      'user-1',
      now,
    );
    expect(state.status).toBe('agreed');
    expect(state.outcome).toMatchObject({ kind: 'agreement', withinTimeLimit: true, actorId: 'user-1' });
    expect(state.outcome?.agreement?.terms.map((term) => term.termId)).toEqual(['T1', 'T2']);
    expect(state.followUps.map((followUp) => followUp.followUpId)).toEqual(['F1', 'F2']);
    expect(recorded.cancelledSessions.map((session) => session.sessionId)).toEqual(['S2']);
    expect(state.sessions[1].status).toBe('cancelled');
    expect(recorded.reminderActions.map((action) => action.kind)).toEqual(['cancel']);
    expect(state.closed).toBeUndefined();
  });

  it('a failure closes the case; a referral closes it with its target', () => {
    const failed = caseState();
    recordOutcome(failed, { kind: 'failed', reason: '分歧大' }, { followUpAfterMs: DAY }, 'u', now);
    expect(failed).toMatchObject({ status: 'closed', closed: { reason: 'failed' } });
    expect(failed.followUps).toEqual([]);
    const referred = caseState();
    recordOutcome(
      referred,
      { kind: 'referred', reason: '需诉讼', referredTo: 'court' },
      { followUpAfterMs: DAY },
      'u',
      now,
    );
    expect(referred).toMatchObject({
      status: 'closed',
      closed: { reason: 'referred' },
      outcome: { referredTo: 'court' },
    });
  });

  it('is outside the time limit when recorded after it', () => {
    const state = caseState({ timeLimitAt: new Date(now.getTime() - 1) });
    recordOutcome(state, { kind: 'failed', reason: 'r' }, { followUpAfterMs: DAY }, 'u', now);
    expect(state.outcome?.withinTimeLimit).toBe(false);
  });

  it('numbers terms on from agreements set aside', () => {
    const previous = caseState();
    recordOutcome(
      previous,
      agreement([
        { text: 'a', dueDate: TODAY },
        { text: 'b', dueDate: TODAY },
      ]),
      { followUpAfterMs: DAY },
      'u',
      now,
    );
    expect(nextTermNumber({ previousOutcomes: [previous.outcome!] })).toBe(3);
  });
});
