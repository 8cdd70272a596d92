import { NotFoundError, ValidationError } from '@linli/platform';
import type { CaseState, FollowUp } from '../cases/case.rules';
import {
  assertMayRecordFollowUp,
  dueFollowUps,
  followUpDecision,
  followUpFallingDue,
  recordFollowUp,
  TERM_NOT_KEPT_REASON,
  validateFollowUp,
} from './follow-up.rules';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date('2026-04-02T02:00:00.000Z');
const settings = { reopenTimeLimitMs: 15 * DAY };

const followUp = (
  followUpId: string,
  termIds: string[],
  dueAt: Date,
  status: FollowUp['status'] = 'scheduled',
) => ({ followUpId, termIds, dueAt, status }) as FollowUp;

function agreedCase(followUps: FollowUp[], overrides: Partial<CaseState> = {}): CaseState {
  return {
    caseId: 'C20260302-000001',
    version: 9,
    status: 'agreed',
    caseType: 'neighbour',
    riskLevel: 'medium',
    source: 'operator',
    communityCode: '320106001003',
    description: '楼上漏水',
    parties: [],
    openedAt: new Date(now.getTime() - 40 * DAY),
    timeLimitAt: new Date(now.getTime() - 10 * DAY),
    mediator: { mediatorId: 'med-1', via: 'manual', at: new Date(now.getTime() - 39 * DAY) },
    released: [],
    sessions: [],
    outcome: {
      kind: 'agreement',
      reason: '双方同意',
      at: new Date(now.getTime() - 30 * DAY),
      actorId: 'u',
      withinTimeLimit: true,
      agreement: {
        text: '协议',
        terms: [
          { termId: 'T1', text: 'a', dueDate: '2026-03-10' },
          { termId: 'T2', text: 'b', dueDate: '2026-04-01' },
        ],
        followUpPlan: 'per-term',
      },
    },
    followUps,
    escalations: [],
    timeline: [],
    ...overrides,
  };
}

function fieldsOf(run: () => void): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => e.field);
    throw error;
  }
  return [];
}

describe('a follow-up falling due', () => {
  it('is the scheduled follow-up of an agreed case, once', () => {
    const state = agreedCase([followUp('F1', ['T1'], now)]);
    expect(followUpFallingDue(state, 'F1')?.followUpId).toBe('F1');
    state.followUps[0].status = 'due';
    expect(followUpFallingDue(state, 'F1')).toBeUndefined();
  });

  it('is nothing on a case no longer agreed, or for an unknown follow-up', () => {
    expect(
      followUpFallingDue(agreedCase([followUp('F1', ['T1'], now)], { status: 'in-mediation' }), 'F1'),
    ).toBe(undefined);
    expect(followUpFallingDue(agreedCase([]), 'F4')).toBeUndefined();
  });
});

describe('when a follow-up may be recorded', () => {
  it('refuses a case without an agreement, saying so', () => {
    const failed = agreedCase([], { status: 'closed', closed: { reason: 'failed', at: now } });
    expect(() => assertMayRecordFollowUp(failed, 'F1')).toThrow(
      'no agreement to follow up: case C20260302-000001 is closed (failed)',
    );
    expect(() => assertMayRecordFollowUp(agreedCase([], { status: 'in-mediation' }), 'F1')).toThrow(
      'no agreement to follow up',
    );
  });

  it('refuses a follow-up recorded already or called off; 404 for one the case lacks', () => {
    const state = agreedCase([
      followUp('F1', ['T1'], now, 'recorded'),
      followUp('F2', ['T2'], now, 'cancelled'),
    ]);
    expect(() => assertMayRecordFollowUp(state, 'F1')).toThrow('follow-up F1 was already recorded');
    expect(() => assertMayRecordFollowUp(state, 'F2')).toThrow('follow-up F2 was called off');
    expect(() => assertMayRecordFollowUp(state, 'F3')).toThrow(NotFoundError);
  });

  it('accepts one before it is due', () => {
    const state = agreedCase([followUp('F1', ['T1'], new Date(now.getTime() + DAY))]);
    expect(assertMayRecordFollowUp(state, 'F1').followUpId).toBe('F1');
  });
});

describe('what a follow-up visit must say', () => {
  const f = followUp('F1', ['T1', 'T2'], now);

  it('names exactly the follow-up’s terms', () => {
    expect(fieldsOf(() => validateFollowUp(f, { terms: [{ termId: 'T1', kept: true }] }))).toEqual(['terms']);
    expect(
      fieldsOf(() =>
        validateFollowUp(f, {
          terms: [
            { termId: 'T1', kept: true },
            { termId: 'T2', kept: true },
            { termId: 'T3', kept: true },
          ],
        }),
      ),
    ).toEqual(['terms']);
  });

  it('says what to do about a term not kept, and where a referral goes', () => {
    const notKept = [
      { termId: 'T1', kept: true },
      { termId: 'T2', kept: false },
    ];
    expect(fieldsOf(() => validateFollowUp(f, { terms: notKept }))).toEqual(['ifNotKept']);
    expect(fieldsOf(() => validateFollowUp(f, { terms: notKept, ifNotKept: 'refer' }))).toEqual([
      'referredTo',
    ]);
    expect(
      fieldsOf(() =>
        validateFollowUp(f, {
          terms: [
            { termId: 'T1', kept: true },
            { termId: 'T2', kept: true },
          ],
          referredTo: 'court',
        }),
      ),
    ).toEqual(['referredTo']);
  });
});

describe('the decision of a follow-up visit', () => {
  const kept = { terms: [{ termId: 'T1', kept: true }] };

  it.each<[string, FollowUp[], string]>([
    ['continue while another follow-up waits', [followUp('F2', ['T2'], now)], 'continue'],
    ['close when none waits', [followUp('F2', ['T2'], now, 'recorded')], 'close'],
  ])('every term kept: %s', (_, others, decision) => {
    const state = agreedCase([followUp('F1', ['T1'], now), ...others]);
    expect(followUpDecision(state, state.followUps[0], kept)).toBe(decision);
  });

  it('a term not kept: reopen or refer as chosen', () => {
    const state = agreedCase([followUp('F1', ['T1'], now)]);
    const input = { terms: [{ termId: 'T1', kept: false }] };
    expect(followUpDecision(state, state.followUps[0], { ...input, ifNotKept: 'reopen' })).toBe('reopen');
    expect(followUpDecision(state, state.followUps[0], { ...input, ifNotKept: 'refer' })).toBe('refer');
  });
});

describe('recording a follow-up visit', () => {
  it('all kept, the last visit: the case closes with the agreement kept', () => {
    const state = agreedCase([followUp('F1', ['T1', 'T2'], now, 'due')]);
    const recorded = recordFollowUp(
      state,
      'F1',
      {
        terms: [
          { termId: 'T1', kept: true },
          { termId: 'T2', kept: true, note: '已付款' },
        ],
      },
      settings,
      'u',
      now,
    );
    expect(recorded).toMatchObject({ decision: 'close', termsKept: 2, termsNotKept: 0, cancelled: [] });
    expect(state).toMatchObject({ status: 'closed', closed: { reason: 'agreement-kept', at: now } });
    expect(state.followUps[0]).toMatchObject({ status: 'recorded', result: { decision: 'close' } });
  });

  it('a term not kept, reopen: in mediation again with a new time limit, the agreement set aside', () => {
    const state = agreedCase([followUp('F1', ['T1'], now, 'due'), followUp('F2', ['T2'], now)]);
    const agreement = state.outcome;
    const recorded = recordFollowUp(
      state,
      'F1',
      { terms: [{ termId: 'T1', kept: false }], ifNotKept: 'reopen' },
      settings,
      'u',
      now,
    );
    expect(recorded.decision).toBe('reopen');
    expect(recorded.cancelled.map((f) => f.followUpId)).toEqual(['F2']);
    expect(state.status).toBe('in-mediation');
    expect(state.outcome).toBeUndefined();
    expect(state.previousOutcomes).toEqual([agreement]);
    expect(state.timeLimitAt).toEqual(new Date(now.getTime() + 15 * DAY));
    expect(recorded.timeLimitAt).toEqual(state.timeLimitAt);
    expect(state.mediator?.mediatorId).toBe('med-1');
  });

  it('a term not kept, refer: a referral replaces the agreement and the case closes', () => {
    const state = agreedCase([followUp('F1', ['T1'], now, 'due')]);
    const recorded = recordFollowUp(
      state,
      'F1',
      { terms: [{ termId: 'T1', kept: false }], ifNotKept: 'refer', referredTo: 'district-centre' },
      settings,
      'u',
      now,
    );
    expect(recorded.decision).toBe('refer');
    expect(state).toMatchObject({
      status: 'closed',
      closed: { reason: 'referred' },
      outcome: { kind: 'referred', referredTo: 'district-centre', reason: TERM_NOT_KEPT_REASON },
    });
    expect(state.previousOutcomes?.[0].kind).toBe('agreement');
  });
});

describe('the follow-ups due', () => {
  it('lists fired and overdue ones of agreed cases, earliest first, leaving out future, recorded, others', () => {
    const a = agreedCase([
      followUp('F1', ['T1'], new Date(now.getTime() - DAY), 'recorded'),
      followUp('F2', ['T2'], new Date(now.getTime() - HOUR), 'due'),
      followUp('F3', ['T3'], new Date(now.getTime() + HOUR)),
    ]);
    const b = agreedCase([followUp('F1', ['T1'], new Date(now.getTime() - 2 * HOUR))], { caseId: 'C2' });
    const closed = agreedCase([followUp('F1', ['T1'], new Date(now.getTime() - 3 * HOUR), 'due')], {
      caseId: 'C3',
      status: 'closed',
    });
    expect(dueFollowUps([a, b, closed], now).map((due) => [due.caseId, due.followUpId, due.status])).toEqual([
      ['C2', 'F1', 'scheduled'],
      ['C20260302-000001', 'F2', 'due'],
    ]);
  });
});
