import { ScheduledWorkNotFoundError, ScheduledWorkStateError, type Scheduler } from '@linli/scheduling';
import type { CaseState, SessionReminder } from '../cases/case.rules';
import type { CaseDraft, CaseWriter } from '../cases/case-writer';
import { SessionTimers } from './session-timers';
import type { ReminderAction } from './session.rules';

const HOUR = 3_600_000;
const due = new Date('2026-03-03T01:00:00.000Z');
const reminder: SessionReminder = { leadMs: HOUR, leadMinutes: 60, dueAt: due, round: 0, status: 'pending' };

/** A scheduler that records calls; `reschedule` fails as told. */
function fakeScheduler(rescheduleFails?: Error) {
  const calls: Array<[string, string, Date?]> = [];
  const jobIdOf = (_: unknown, key: ReadonlyArray<string | number>) => ['session-reminder', ...key].join(':');
  const scheduler = {
    jobIdOf,
    schedule: jest.fn(async (definition: unknown, request: { key: Array<string | number>; dueAt: Date }) => {
      calls.push(['schedule', jobIdOf(definition, request.key), request.dueAt]);
      return { jobId: jobIdOf(definition, request.key), created: true, status: 'pending', queued: true };
    }),
    reschedule: jest.fn(async (definition: unknown, key: Array<string | number>, dueAt: Date) => {
      calls.push(['reschedule', jobIdOf(definition, key), dueAt]);
      if (rescheduleFails) throw rescheduleFails;
      return {};
    }),
    cancel: jest.fn(async (definition: unknown, key: Array<string | number>) => {
      calls.push(['cancel', jobIdOf(definition, key)]);
      return true;
    }),
  };
  return { scheduler: scheduler as unknown as Scheduler, calls };
}

/** A writer over one case in memory: change() runs the decision and then its timers, as CaseWriter does. */
function fakeWriter(state: CaseState) {
  const writer = {
    state,
    draft: (current: CaseState): CaseDraft => ({ state: structuredClone(current), events: [], timers: [] }),
    change: async (
      _: string,
      __: unknown,
      decide: (current: CaseState, now: Date) => CaseDraft | undefined,
    ) => {
      const draft = decide(writer.state, new Date());
      if (!draft) return writer.state;
      writer.state = { ...draft.state, version: writer.state.version + 1 };
      for (const timer of draft.timers) await timer();
      return writer.state;
    },
  };
  return writer;
}

function caseWith(reminders: SessionReminder[]): CaseState {
  return {
    caseId: 'C1',
    version: 4,
    status: 'in-mediation',
    caseType: 'neighbour',
    riskLevel: 'medium',
    source: 'operator',
    communityCode: '320106001003',
    description: 'd',
    parties: [],
    openedAt: new Date(0),
    timeLimitAt: new Date(due.getTime() + 30 * 24 * HOUR),
    released: [],
    sessions: [
      {
        sessionId: 'S1',
        scheduledFor: new Date(due.getTime() + HOUR),
        place: 'p',
        status: 'scheduled',
        rescheduled: 1,
        reminders,
      },
    ],
    followUps: [],
    escalations: [],
    timeline: [],
  };
}

async function run(timers: SessionTimers, actions: ReminderAction[]) {
  for (const timer of timers.timers('C1', actions)) await timer();
}

describe('setting reminder timers', () => {
  it('moves a reminder’s job to its new time', async () => {
    const { scheduler, calls } = fakeScheduler();
    const timers = new SessionTimers(scheduler, fakeWriter(caseWith([reminder])) as unknown as CaseWriter);
    await run(timers, [{ kind: 'move', sessionId: 'S1', reminder }]);
    expect(calls).toEqual([['reschedule', 'session-reminder:C1:S1:60', due]]);
  });

  it('sets the timer when the one to move was never written', async () => {
    const { scheduler, calls } = fakeScheduler(new ScheduledWorkNotFoundError('x'));
    const timers = new SessionTimers(scheduler, fakeWriter(caseWith([reminder])) as unknown as CaseWriter);
    await run(timers, [{ kind: 'move', sessionId: 'S1', reminder }]);
    expect(calls.map(([what, jobId]) => [what, jobId])).toEqual([
      ['reschedule', 'session-reminder:C1:S1:60'],
      ['schedule', 'session-reminder:C1:S1:60'],
    ]);
  });

  it('arms a reminder whose job is running for the old time again, under its next round', async () => {
    const { scheduler, calls } = fakeScheduler(new ScheduledWorkStateError('x', 'running', 'reschedule'));
    const writer = fakeWriter(caseWith([reminder]));
    const timers = new SessionTimers(scheduler, writer as unknown as CaseWriter);
    await run(timers, [{ kind: 'move', sessionId: 'S1', reminder }]);
    expect(calls.map(([what, jobId]) => [what, jobId])).toEqual([
      ['reschedule', 'session-reminder:C1:S1:60'],
      ['schedule', 'session-reminder:C1:S1:60:r1'],
    ]);
    expect(writer.state.sessions[0].reminders).toEqual([{ ...reminder, round: 1 }]);
  });

  it('withdraws a cancelled reminder’s job', async () => {
    const { scheduler, calls } = fakeScheduler();
    const timers = new SessionTimers(scheduler, fakeWriter(caseWith([])) as unknown as CaseWriter);
    await run(timers, [{ kind: 'cancel', sessionId: 'S1', reminder: { ...reminder, round: 2 } }]);
    expect(calls).toEqual([['cancel', 'session-reminder:C1:S1:60:r2']]);
  });

  it('ensures the pending reminders of scheduled sessions only', async () => {
    const { scheduler, calls } = fakeScheduler();
    const sent: SessionReminder = { ...reminder, leadMs: 2 * HOUR, leadMinutes: 120, status: 'sent' };
    const state = caseWith([sent, reminder]);
    const timers = new SessionTimers(scheduler, fakeWriter(state) as unknown as CaseWriter);
    await timers.ensure(state);
    expect(calls.map(([what, jobId]) => [what, jobId])).toEqual([['schedule', 'session-reminder:C1:S1:60']]);
    calls.length = 0;
    await timers.ensure({ ...state, status: 'agreed' });
    expect(calls).toEqual([]);
  });
});
