import { Actor } from '@linli/auth';
import { ForbiddenError, ValidationError } from '@linli/platform';
import { CaseConflictError, type CaseState, type SessionReminder } from '../cases/case.rules';
import {
  assertConducts,
  cancelScheduledSessions,
  cancelSession,
  leadMinutesOf,
  moveReminders,
  planReminders,
  recordSession,
  reminderKey,
  reminderToSend,
  rescheduleSession,
  scheduleSession,
} from './session.rules';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LEADS = [DAY, HOUR];
const now = new Date('2026-03-02T02:00:00.000Z');
const at = (ms: number) => new Date(now.getTime() + ms);

function caseState(overrides: Partial<CaseState> = {}): CaseState {
  return {
    caseId: 'C20260302-000001',
    version: 3,
    status: 'assigned',
    caseType: 'neighbour',
    riskLevel: 'medium',
    source: 'operator',
    communityCode: '320106001003',
    description: '楼上漏水',
    parties: [
      { partyId: 'P1', role: 'applicant', name: '张三' },
      { partyId: 'P2', role: 'respondent', name: '李四' },
    ],
    openedAt: at(-DAY),
    timeLimitAt: at(29 * DAY),
    mediator: { mediatorId: 'med-1', via: 'manual', at: at(-DAY) },
    released: [],
    sessions: [],
    followUps: [],
    escalations: [],
    timeline: [],
    ...overrides,
  };
}

const limits = { maxSessions: 3, leads: LEADS };

describe('reminders of a session', () => {
  it('has one reminder per lead still ahead, longest lead first', () => {
    expect(planReminders(at(2 * DAY), [HOUR, DAY], now)).toEqual([
      { leadMs: DAY, leadMinutes: 1440, dueAt: at(DAY), round: 0, status: 'pending' },
      { leadMs: HOUR, leadMinutes: 60, dueAt: at(2 * DAY - HOUR), round: 0, status: 'pending' },
    ]);
  });

  it('leaves out a lead whose time has already passed', () => {
    expect(planReminders(at(3 * HOUR), LEADS, now).map((reminder) => reminder.leadMinutes)).toEqual([60]);
    expect(planReminders(at(HOUR), LEADS, now)).toEqual([]);
  });

  it('reads a lead in whole minutes, at least one', () => {
    expect(leadMinutesOf(DAY)).toBe(1440);
    expect(leadMinutesOf(4_000)).toBe(1);
    expect(leadMinutesOf(90_000)).toBe(2);
  });

  it('keys the job by case, session and lead, with the round once armed again', () => {
    expect(reminderKey('C1', 'S2', { leadMs: DAY, round: 0 })).toEqual(['C1', 'S2', 1440]);
    expect(reminderKey('C1', 'S2', { leadMs: HOUR, round: 2 })).toEqual(['C1', 'S2', 60, 'r2']);
    expect(reminderKey('C1', 'S2', { leadMs: 4_000, round: 0 })).toEqual(['C1', 'S2', '4000ms']);
  });
});

describe('moving the reminders with their session', () => {
  const pending = (leadMs: number, dueAt: Date, round = 0): SessionReminder => ({
    leadMs,
    leadMinutes: leadMinutesOf(leadMs),
    dueAt,
    round,
    status: 'pending',
  });

  it('moves each pending reminder to its new time', () => {
    const { reminders, actions } = moveReminders(
      'S1',
      planReminders(at(2 * DAY), LEADS, now),
      at(3 * DAY),
      LEADS,
      now,
    );
    expect(
      actions.map((action) => [action.kind, action.reminder.leadMinutes, action.reminder.dueAt]),
    ).toEqual([
      ['move', 1440, at(2 * DAY)],
      ['move', 60, at(3 * DAY - HOUR)],
    ]);
    expect(reminders.filter((reminder) => reminder.status === 'pending')).toHaveLength(2);
  });

  it('withdraws a reminder whose new time has passed', () => {
    const { reminders, actions } = moveReminders(
      'S1',
      planReminders(at(2 * DAY), LEADS, now),
      at(5 * HOUR),
      LEADS,
      now,
    );
    expect(actions.map((action) => [action.kind, action.reminder.leadMinutes])).toEqual([
      ['cancel', 1440],
      ['move', 60],
    ]);
    expect(reminders.map((reminder) => reminder.status)).toEqual(['cancelled', 'pending']);
  });

  it('schedules a reminder that was never set when the session moves far enough ahead', () => {
    const { reminders, actions } = moveReminders(
      'S1',
      planReminders(at(5 * HOUR), LEADS, now),
      at(3 * DAY),
      LEADS,
      now,
    );
    expect(
      actions.map((action) => [action.kind, action.reminder.leadMinutes, action.reminder.round]),
    ).toEqual([
      ['schedule', 1440, 0],
      ['move', 60, 0],
    ]);
    expect(reminders).toHaveLength(2);
  });

  it('revives a withdrawn reminder that was never sent, under the same job', () => {
    const first = moveReminders('S1', planReminders(at(2 * DAY), LEADS, now), at(5 * HOUR), LEADS, now);
    const second = moveReminders('S1', first.reminders, at(4 * DAY), LEADS, now);
    expect(second.actions.map((action) => [action.kind, action.reminder.leadMinutes])).toEqual([
      ['move', 1440],
      ['move', 60],
    ]);
    expect(second.reminders).toHaveLength(2);
  });

  it('arms a sent reminder again, as its next round, when a move brings its lead ahead again', () => {
    const sent: SessionReminder = { ...pending(DAY, at(-HOUR)), status: 'sent', sentAt: at(-HOUR) };
    const { reminders, actions } = moveReminders(
      'S1',
      [sent, pending(HOUR, at(22 * HOUR))],
      at(3 * DAY),
      LEADS,
      now,
    );
    expect(
      actions.map((action) => [action.kind, action.reminder.leadMinutes, action.reminder.round]),
    ).toEqual([
      ['schedule', 1440, 1],
      ['move', 60, 0],
    ]);
    expect(reminders.map((reminder) => [reminder.leadMinutes, reminder.status, reminder.round])).toEqual([
      [1440, 'sent', 0],
      [60, 'pending', 0],
      [1440, 'pending', 1],
    ]);
  });

  it('leaves exactly one pending reminder per lead ahead after any number of moves', () => {
    let reminders = planReminders(at(2 * DAY), LEADS, now);
    for (const when of [at(5 * HOUR), at(3 * DAY), at(30 * 60_000), at(10 * DAY), at(2 * DAY + HOUR)]) {
      reminders = moveReminders('S1', reminders, when, LEADS, now).reminders;
    }
    const live = reminders.filter((reminder) => reminder.status === 'pending');
    expect(live.map((reminder) => [reminder.leadMinutes, reminder.dueAt])).toEqual([
      [1440, at(DAY + HOUR)],
      [60, at(2 * DAY)],
    ]);
  });

  it('withdraws a pending reminder of a lead no longer configured', () => {
    const { actions } = moveReminders('S1', [pending(2 * HOUR, at(DAY))], at(2 * DAY), [HOUR], now);
    expect(actions.map((action) => [action.kind, action.reminder.leadMinutes])).toEqual([
      ['cancel', 120],
      ['schedule', 60],
    ]);
  });
});

describe('sessions of a case', () => {
  it('schedules the first session: S1, the case in mediation, its reminders to set', () => {
    const state = caseState();
    const { session, actions } = scheduleSession(
      state,
      { scheduledFor: at(2 * DAY), place: '社区调解室' },
      limits,
      now,
    );
    expect(session).toMatchObject({ sessionId: 'S1', status: 'scheduled', rescheduled: 0 });
    expect(state.status).toBe('in-mediation');
    expect(actions.map((action) => [action.kind, action.sessionId, action.reminder.leadMinutes])).toEqual([
      ['schedule', 'S1', 1440],
      ['schedule', 'S1', 60],
    ]);
  });

  it('refuses a session with fewer than two parties', () => {
    const state = caseState({ parties: [{ partyId: 'P1', role: 'applicant', name: '张三' }] });
    expect(() => scheduleSession(state, { scheduledFor: at(DAY), place: 'x' }, limits, now)).toThrow(
      'a session needs the parties recorded: at least two',
    );
  });

  it('refuses a session before a mediator holds the case, and after its outcome', () => {
    for (const status of ['open', 'agreed', 'closed'] as const) {
      expect(() =>
        scheduleSession(caseState({ status }), { scheduledFor: at(DAY), place: 'x' }, limits, now),
      ).toThrow(CaseConflictError);
    }
  });

  it('refuses a time in the past, naming scheduledFor', () => {
    try {
      scheduleSession(caseState(), { scheduledFor: at(-1), place: 'x' }, limits, now);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors[0].field).toBe('scheduledFor');
    }
  });

  it('refuses more sessions than the limit', () => {
    const state = caseState();
    for (let i = 0; i < limits.maxSessions; i++) {
      scheduleSession(state, { scheduledFor: at(DAY * (i + 2)), place: 'x' }, limits, now);
    }
    expect(() => scheduleSession(state, { scheduledFor: at(9 * DAY), place: 'x' }, limits, now)).toThrow(
      'at most 3',
    );
  });

  it('moves a scheduled session, counting the moves, and refuses to move a held one', () => {
    const state = caseState();
    scheduleSession(state, { scheduledFor: at(2 * DAY), place: 'x' }, limits, now);
    const { session } = rescheduleSession(
      state,
      'S1',
      { scheduledFor: at(3 * DAY), place: 'y' },
      limits,
      now,
    );
    expect(session).toMatchObject({ scheduledFor: at(3 * DAY), place: 'y', rescheduled: 1 });
    recordSession(
      state,
      'S1',
      {
        attendance: [
          { partyId: 'P1', present: true },
          { partyId: 'P2', present: false },
        ],
        minutes: '双方陈述',
      },
      now,
    );
    expect(() => rescheduleSession(state, 'S1', { scheduledFor: at(4 * DAY) }, limits, now)).toThrow(
      'session S1 is held: only a scheduled session can be moved',
    );
  });

  it('records a session held: attendance counted, pending reminders withdrawn', () => {
    const state = caseState();
    scheduleSession(state, { scheduledFor: at(2 * DAY), place: 'x' }, limits, now);
    const held = recordSession(
      state,
      'S1',
      {
        attendance: [
          { partyId: 'P1', present: true },
          { partyId: 'P2', present: false },
        ],
        minutes: '双方陈述',
      },
      now,
    );
    expect(held).toMatchObject({ attended: 1, absent: 1 });
    expect(held.actions.map((action) => action.kind)).toEqual(['cancel', 'cancel']);
    expect(state.sessions[0]).toMatchObject({ status: 'held', heldAt: now, minutes: '双方陈述' });
  });

  it('refuses attendance that does not name every party once', () => {
    const state = caseState();
    scheduleSession(state, { scheduledFor: at(2 * DAY), place: 'x' }, limits, now);
    for (const attendance of [
      [{ partyId: 'P1', present: true }],
      [
        { partyId: 'P1', present: true },
        { partyId: 'P1', present: false },
        { partyId: 'P2', present: true },
      ],
      [
        { partyId: 'P1', present: true },
        { partyId: 'P2', present: true },
        { partyId: 'P9', present: true },
      ],
    ]) {
      expect(() => recordSession(state, 'S1', { attendance, minutes: 'm' }, now)).toThrow(ValidationError);
    }
  });

  it('calls off a session with its reminders, and every scheduled one at once', () => {
    const state = caseState();
    scheduleSession(state, { scheduledFor: at(2 * DAY), place: 'x' }, limits, now);
    scheduleSession(state, { scheduledFor: at(3 * DAY), place: 'x' }, limits, now);
    expect(cancelSession(state, 'S1').actions).toHaveLength(2);
    expect(state.sessions[0].status).toBe('cancelled');
    expect(() => cancelSession(state, 'S1')).toThrow('session S1 is cancelled');
    const all = cancelScheduledSessions(state);
    expect(all.sessions.map((session) => session.sessionId)).toEqual(['S2']);
    expect(all.actions.every((action) => action.kind === 'cancel' && action.sessionId === 'S2')).toBe(true);
  });

  it('names an unknown session', () => {
    const state = caseState({ status: 'in-mediation' });
    expect(() => cancelSession(state, 'S7')).toThrow('has no session S7');
  });
});

describe('a reminder falling due', () => {
  const jobIdOf = (key: Array<string | number>) => ['session-reminder', ...key].join(':');

  function withSession() {
    const state = caseState();
    scheduleSession(state, { scheduledFor: at(2 * DAY), place: 'x' }, limits, now);
    return state;
  }

  it('is sent when its session is scheduled and the job is the reminder’s, at its time', () => {
    const state = withSession();
    const found = reminderToSend(
      state,
      'S1',
      { jobId: `session-reminder:${state.caseId}:S1:1440`, dueAt: at(DAY) },
      jobIdOf,
      at(DAY),
    );
    expect(found?.reminder.leadMinutes).toBe(1440);
  });

  it('is not sent for a time the session was moved from, or a second time', () => {
    const state = withSession();
    const job = { jobId: `session-reminder:${state.caseId}:S1:1440`, dueAt: at(DAY) };
    rescheduleSession(state, 'S1', { scheduledFor: at(3 * DAY) }, limits, now);
    expect(reminderToSend(state, 'S1', job, jobIdOf, at(DAY))).toBeUndefined();
    const moved = { ...job, dueAt: at(2 * DAY) };
    const found = reminderToSend(state, 'S1', moved, jobIdOf, at(2 * DAY));
    expect(found).toBeDefined();
    found!.reminder.status = 'sent';
    expect(reminderToSend(state, 'S1', moved, jobIdOf, at(2 * DAY))).toBeUndefined();
  });

  it('is not sent for a session called off or held', () => {
    const state = withSession();
    cancelSession(state, 'S1');
    expect(
      reminderToSend(
        state,
        'S1',
        { jobId: `session-reminder:${state.caseId}:S1:1440`, dueAt: at(DAY) },
        jobIdOf,
        at(DAY),
      ),
    ).toBeUndefined();
  });
});

describe('who conducts a case’s sessions and outcome', () => {
  const state = caseState();

  it('lets the mediator holding it, supervisors and admins', () => {
    expect(() => assertConducts(new Actor('u1', ['mediator'], '320106', 'med-1'), state)).not.toThrow();
    expect(() => assertConducts(new Actor('u2', ['supervisor'], '320106'), state)).not.toThrow();
    expect(() => assertConducts(new Actor('u3', ['admin'], '32'), state)).not.toThrow();
  });

  it('refuses another mediator and an operator', () => {
    expect(() => assertConducts(new Actor('u4', ['mediator'], '320106', 'med-2'), state)).toThrow(
      ForbiddenError,
    );
    expect(() => assertConducts(new Actor('u5', ['operator'], '320106'), state)).toThrow(ForbiddenError);
  });
});
