import { timeLimitsByType } from '../config';
import {
  canApply,
  CASE_STATUSES,
  caseIdOf,
  caseIdOfTicket,
  caseOfMediatorJob,
  excludedMediators,
  extendedTimeLimit,
  holdsCase,
  isTimeLimitBreach,
  jobPriorityOf,
  maxExtensionDays,
  mediatorJobId,
  nextEscalation,
  parentJurisdiction,
  replaceParties,
  riskOfTicketPriority,
  seesPersonalData,
  statusWhenAssigned,
  timeLimitFor,
  TRANSITIONS,
  withinTimeLimit,
  type CaseCommand,
  type CaseState,
  type CaseStatus,
} from './case.rules';

const DAY = 86_400_000;
const OPENED = new Date('2026-11-29T02:00:00Z');

function aCase(overrides: Partial<CaseState> = {}): CaseState {
  return {
    caseId: 'C20261129-000001',
    version: 3,
    status: 'open',
    caseType: 'neighbour',
    riskLevel: 'medium',
    source: 'operator',
    communityCode: '320106001003',
    description: '…',
    parties: [],
    openedAt: OPENED,
    timeLimitAt: new Date(OPENED.getTime() + 30 * DAY),
    released: [],
    sessions: [],
    followUps: [],
    escalations: [],
    timeline: [],
    ...overrides,
  };
}

describe('case rules', () => {
  describe('the state machine', () => {
    const table: Array<[CaseCommand, CaseStatus[]]> = [
      ['update', ['open', 'assigned', 'in-mediation']],
      ['assign', ['open', 'assigned', 'in-mediation']],
      ['release', ['assigned', 'in-mediation']],
      ['extend', ['open', 'assigned', 'in-mediation']],
      ['escalate', ['open', 'assigned', 'in-mediation']],
      ['withdraw', ['open', 'assigned', 'in-mediation', 'agreed']],
      ['record-outcome', ['in-mediation']],
      ['record-follow-up', ['agreed']],
    ];
    it.each(table)('%s is allowed from %j and from nothing else', (command, allowed) => {
      for (const status of CASE_STATUSES) expect(canApply(command, status)).toBe(allowed.includes(status));
    });

    it('allows nothing on a closed case', () => {
      for (const command of Object.keys(TRANSITIONS) as CaseCommand[])
        expect(canApply(command, 'closed')).toBe(false);
    });
  });

  describe('ids', () => {
    it('numbers cases by China date and counter, and derives a ticket’s case from the ticket', () => {
      expect(caseIdOf('2026-11-29', 12)).toBe('C20261129-000012');
      expect(caseIdOfTicket('T20261129-000012')).toBe('C-T20261129-000012');
    });

    it('reads the case and attempt back from a mediator job id, and nobody else’s jobs', () => {
      expect(mediatorJobId('C-T20261129-000012', 2)).toBe('C-T20261129-000012-M2');
      expect(caseOfMediatorJob('C-T20261129-000012-M2')).toEqual({
        caseId: 'C-T20261129-000012',
        attempt: 2,
      });
      expect(caseOfMediatorJob('C20261129-000001-M1')).toEqual({ caseId: 'C20261129-000001', attempt: 1 });
      expect(caseOfMediatorJob('V123-J1')).toBeUndefined();
      expect(caseOfMediatorJob('T20261129-000012-J1')).toBeUndefined();
      expect(caseOfMediatorJob('C1-M0')).toBeUndefined();
    });
  });

  describe('risk and priority', () => {
    it.each([
      ['high', 'immediate'],
      ['medium', 'urgent'],
      ['low', 'routine'],
    ] as const)('a %s-risk case asks dispatch %s', (risk, priority) =>
      expect(jobPriorityOf(risk)).toBe(priority),
    );

    it('makes a danger ticket’s case high risk, any other medium', () => {
      expect(riskOfTicketPriority('danger')).toBe('high');
      expect(riskOfTicketPriority('general')).toBe('medium');
      expect(riskOfTicketPriority(undefined)).toBe('medium');
    });
  });

  describe('time limits', () => {
    const limits = timeLimitsByType({
      CASE_TIME_LIMIT_MS: 30 * DAY,
      CASE_TIME_LIMITS_BY_TYPE: JSON.stringify({ labour: 15 * DAY }),
    });

    it('fixes the limit by type at opening', () => {
      expect(timeLimitFor('neighbour', OPENED, limits)).toEqual(new Date(OPENED.getTime() + 30 * DAY));
      expect(timeLimitFor('labour', OPENED, limits)).toEqual(new Date(OPENED.getTime() + 15 * DAY));
    });

    it('refuses an unknown type or a bad value in the table', () => {
      const bad = (table: string) => () =>
        timeLimitsByType({ CASE_TIME_LIMIT_MS: DAY, CASE_TIME_LIMITS_BY_TYPE: table });
      expect(bad('{"tax": 1}')).toThrow(/unknown case type/);
      expect(bad('{"labour": -1}')).toThrow(/positive/);
    });

    it('is within the limit until it passes, then the outcome’s flag decides', () => {
      const state = aCase();
      expect(withinTimeLimit(state, state.timeLimitAt)).toBe(true);
      expect(withinTimeLimit(state, new Date(state.timeLimitAt.getTime() + 1))).toBe(false);
      const outcome = {
        kind: 'failed' as const,
        reason: 'r',
        at: OPENED,
        actorId: 'u',
        withinTimeLimit: true,
      };
      expect(withinTimeLimit({ ...state, outcome }, new Date(state.timeLimitAt.getTime() + DAY))).toBe(true);
    });

    it('breaches once per limit, never with an outcome or closed', () => {
      const state = aCase();
      const after = new Date(state.timeLimitAt.getTime() + 1);
      expect(isTimeLimitBreach(state, new Date(state.timeLimitAt.getTime() - 1))).toBe(false);
      expect(isTimeLimitBreach(state, after)).toBe(true);
      const escalated = aCase({
        escalations: [
          {
            reason: 'time-limit-breached',
            escalatedTo: '320106001',
            level: 1,
            at: after,
            timeLimitAt: state.timeLimitAt,
          },
        ],
      });
      expect(isTimeLimitBreach(escalated, after)).toBe(false);
      // An extension arms a new limit, which breaches again.
      const extended = { ...escalated, timeLimitAt: new Date(state.timeLimitAt.getTime() + DAY) };
      expect(isTimeLimitBreach(extended, after)).toBe(false);
      expect(isTimeLimitBreach(extended, new Date(extended.timeLimitAt.getTime() + 1))).toBe(true);
      // Another reason's escalation does not count for the limit.
      const noMediator = aCase({
        escalations: [{ reason: 'no-mediator', escalatedTo: '320106001', level: 1, at: OPENED }],
      });
      expect(isTimeLimitBreach(noMediator, after)).toBe(true);
      expect(isTimeLimitBreach(aCase({ status: 'closed' }), after)).toBe(false);
      const outcome = {
        kind: 'agreement' as const,
        reason: 'r',
        at: OPENED,
        actorId: 'u',
        withinTimeLimit: true,
      };
      expect(isTimeLimitBreach(aCase({ status: 'agreed', outcome }), after)).toBe(false);
    });

    describe('the one extension', () => {
      const MAX = 30 * DAY;

      it('adds days, or moves to a time after the limit within the maximum', () => {
        const state = aCase();
        expect(extendedTimeLimit(state, { days: 10 }, MAX)).toEqual({
          timeLimitAt: new Date(state.timeLimitAt.getTime() + 10 * DAY),
        });
        const until = new Date(state.timeLimitAt.getTime() + 5000);
        expect(extendedTimeLimit(state, { untilAt: until }, MAX)).toEqual({ timeLimitAt: until });
      });

      it('refuses a second extension and one after the outcome, in words', () => {
        const extended = aCase({
          extension: { at: OPENED, actorId: 'u', reason: 'r', previousTimeLimitAt: OPENED },
        });
        expect(extendedTimeLimit(extended, { days: 1 }, MAX)).toEqual({
          conflict: 'the time limit was already extended once',
        });
        const outcome = {
          kind: 'failed' as const,
          reason: 'r',
          at: OPENED,
          actorId: 'u',
          withinTimeLimit: true,
        };
        expect(extendedTimeLimit(aCase({ outcome }), { days: 1 }, MAX)).toEqual({
          conflict: expect.stringMatching(/outcome/),
        });
      });

      it('names the field of a limit too far, not after the current one, or too many days', () => {
        const state = aCase();
        expect(extendedTimeLimit(state, { untilAt: state.timeLimitAt }, MAX)).toMatchObject({
          field: 'untilAt',
        });
        expect(
          extendedTimeLimit(state, { untilAt: new Date(state.timeLimitAt.getTime() + MAX + 1) }, MAX),
        ).toMatchObject({ field: 'untilAt' });
        expect(extendedTimeLimit(state, { days: 31 }, MAX)).toMatchObject({ field: 'days' });
        expect(extendedTimeLimit(state, {}, MAX)).toMatchObject({ field: 'days' });
        expect(maxExtensionDays(MAX)).toBe(30);
        expect(maxExtensionDays(MAX + 1)).toBe(31);
      });
    });
  });

  describe('escalation', () => {
    it.each([
      ['320106001003', '320106001'],
      ['320106001', '320106'],
      ['320106', '3201'],
      ['3201', '32'],
      ['32', '32'],
    ])('goes from %s to %s', (code, parent) => expect(parentJurisdiction(code)).toBe(parent));

    it('goes one level above the last escalation, whatever its reason', () => {
      expect(nextEscalation(aCase())).toEqual({ escalatedTo: '320106001', level: 1 });
      const once = aCase({
        escalations: [{ reason: 'no-mediator', escalatedTo: '320106001', level: 1, at: OPENED }],
      });
      expect(nextEscalation(once)).toEqual({ escalatedTo: '320106', level: 2 });
    });
  });

  describe('who may', () => {
    const held = aCase({ mediator: { mediatorId: 'med-1', via: 'dispatch', at: OPENED } });

    it('knows the mediator holding the case by their provider id', () => {
      expect(holdsCase({ roles: ['mediator'], providerId: 'med-1' }, held)).toBe(true);
      expect(holdsCase({ roles: ['mediator'], providerId: 'med-2' }, held)).toBe(false);
      expect(holdsCase({ roles: ['provider'], providerId: 'med-1' }, held)).toBe(false);
      expect(holdsCase({ roles: ['mediator'] }, aCase())).toBe(false);
    });

    it('shows personal data to the holder, supervisors and admins only', () => {
      expect(seesPersonalData({ roles: ['mediator'], providerId: 'med-1' }, held)).toBe(true);
      expect(seesPersonalData({ roles: ['supervisor'] }, held)).toBe(true);
      expect(seesPersonalData({ roles: ['admin'] }, held)).toBe(true);
      expect(seesPersonalData({ roles: ['operator'] }, held)).toBe(false);
      expect(seesPersonalData({ roles: ['mediator'], providerId: 'med-2' }, held)).toBe(false);
    });
  });

  describe('exclusions', () => {
    it('keeps every conflicted and every released mediator off the case, once each', () => {
      const state = aCase({
        released: [
          { mediatorId: 'med-3', reason: 'conflict-of-interest', at: OPENED },
          { mediatorId: 'med-1', reason: 'reassigned', at: OPENED },
        ],
      });
      expect(excludedMediators(state, ['med-2', 'med-1'])).toEqual(['med-1', 'med-2', 'med-3']);
      expect(excludedMediators(aCase(), [])).toEqual([]);
    });
  });

  describe('parties', () => {
    const current = [
      { partyId: 'P1', role: 'applicant' as const, name: '张建国', phone: '13912345678' },
      { partyId: 'P2', role: 'respondent' as const, name: '李秀兰', phone: '13912345679' },
      { partyId: 'P3', role: 'other' as const, name: '王五' },
    ];

    it('keeps the ids of the same name and phone and numbers the new ones after every id used', () => {
      const next = replaceParties(
        current,
        [{ attendance: [{ partyId: 'P4', present: true }] }],
        [
          { role: 'respondent', name: '李秀兰', phone: '13912345679' },
          { role: 'applicant', name: '张建国', phone: '13800000000' },
          { role: 'other', name: '王五' },
        ],
      );
      expect(next.map((party) => party.partyId)).toEqual(['P2', 'P5', 'P3']);
    });

    it('takes a case with held sessions back to mediation, one without to assigned', () => {
      expect(statusWhenAssigned(aCase())).toBe('assigned');
      const held = {
        sessionId: 'S1',
        scheduledFor: OPENED,
        place: 'p',
        status: 'held' as const,
        rescheduled: 0,
        reminders: [],
      };
      expect(statusWhenAssigned(aCase({ sessions: [held] }))).toBe('in-mediation');
    });
  });
});
