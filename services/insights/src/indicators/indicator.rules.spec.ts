// Hand-computed cases for each indicator over one local day, 15 March 2026 in Asia/Shanghai:
// [2026-03-15T00:00+08:00, 2026-03-16T00:00+08:00).
import { findEventDefinition } from '@linli/contracts';
import { INDICATOR_CODES, INDICATORS, computeAll, definitionView } from './definitions';
import type {
  AlertFact,
  AlertRecipientFact,
  CaseFact,
  ElderFact,
  FactSet,
  FeedbackFact,
  JobFact,
  TicketFact,
  VisitFact,
} from './facts';
import {
  alertAckMedianMinutes,
  alertAckRate,
  elderHomeServiceShare,
  hardshipVisitCoverage,
  jobAcceptMedianMinutes,
  median,
  mediationSuccessRate,
  mediationWithinLimitRate,
  providerKindShare,
  residentSatisfactionRate,
  ticketOnTimeRate,
  volunteerServiceHours,
  type IndicatorWindow,
} from './indicator.rules';
import { periodOf } from './periods';

/** A local time of the Shanghai calendar, `2026-03-15 10:00` → its instant. */
const at = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const START = '2026-03-15 00:00';
const END = '2026-03-16 00:00';
const AFTER = '2026-03-20 12:00';
const day = periodOf('day', '2026-03-15');
/** The window, computed well after it (every deadline in it has passed). */
const window: IndicatorWindow = { start: day.start, end: day.end, now: at(AFTER) };
const COMMUNITY = '320106001001';

const empty: FactSet = {
  tickets: [],
  feedback: [],
  jobs: [],
  elders: [],
  visits: [],
  cases: [],
  alerts: [],
  alertRecipients: [],
};

function elder(elderId: string, spans: [string, string?][], extra: Partial<ElderFact> = {}): ElderFact {
  return {
    elderId,
    version: 1,
    jurisdiction: COMMUNITY,
    livingSituation: 'with-family',
    hardship: [],
    activeSpans: spans.map(([from, to]) => ({ from: at(from), ...(to ? { to: at(to) } : {}) })),
    ...extra,
  };
}

function visit(
  visitId: string,
  elderId: string,
  completedAt: string | undefined,
  extra: Partial<VisitFact> = {},
): VisitFact {
  return {
    visitId,
    version: 3,
    elderId,
    jurisdiction: COMMUNITY,
    source: 'plan',
    service: 'meal-delivery',
    dueAt: at('2026-03-15 11:00'),
    ...(completedAt ? { completedAt: at(completedAt) } : {}),
    ...extra,
  };
}

describe('elder-home-service-share', () => {
  const elders = [
    elder('A', [['2026-01-01 09:00']]),
    elder('B', [['2026-03-15 12:00']]), // registered during the day
    elder('E', [['2026-01-01 09:00', '2026-03-15 08:00']]), // left during the day
    elder('C', [[END]]), // registered exactly at the end: not yet
    elder('D', [['2026-01-01 09:00', START]]), // left exactly at the start: gone
  ];
  const visits = [
    visit('v1', 'A', START), // checked out exactly at the start: in
    visit('v2', 'A', '2026-03-15 17:00'), // a second visit to A counts A once
    visit('v3', 'B', END), // exactly at the end: the next day's
    visit('v4', 'C', '2026-03-15 09:00'), // C is not active in the day
    visit('v5', 'E', undefined), // scheduled, never delivered
  ];

  it('counts active elders once each, visited or not, and only visits checked out in the window', () => {
    expect(elderHomeServiceShare({ elders, visits }, window)).toEqual({
      value: 1 / 3,
      numerator: 1,
      denominator: 3,
    });
  });

  it('an empty period (no visits) is 0, an empty area (no elders) has nothing to divide', () => {
    expect(elderHomeServiceShare({ elders, visits: [] }, window)).toEqual({
      value: 0,
      numerator: 0,
      denominator: 3,
    });
    expect(elderHomeServiceShare(empty, window)).toEqual({ value: null, numerator: 0, denominator: 0 });
  });

  it('an elder who left and came back is active in the windows of both spans, not in the gap', () => {
    const back = elder('R', [['2026-01-01 09:00', '2026-02-01 09:00'], ['2026-03-15 20:00']]);
    expect(elderHomeServiceShare({ elders: [back], visits: [] }, window).denominator).toBe(1);
    const march1 = periodOf('day', '2026-03-01');
    expect(elderHomeServiceShare({ elders: [back], visits: [] }, { ...window, ...march1 }).denominator).toBe(
      0,
    );
  });
});

describe('hardship-visit-coverage', () => {
  const elders = [
    elder('H1', [['2026-01-01 09:00']], { livingSituation: 'alone' }),
    elder('H2', [['2026-01-01 09:00']], { hardship: ['disabled'] }),
    elder('H3', [['2026-01-01 09:00']], { livingSituation: 'empty-nest' }), // in no group in hardship
    elder('H4', [['2026-01-01 09:00']], { hardship: ['low-income'] }),
  ];
  const visits = [
    visit('s1', 'H1', '2026-03-15 10:00', { source: 'discover', service: 'safety-visit' }),
    visit('s2', 'H2', '2026-03-15 10:00', {
      service: 'meal-delivery',
      itemsDone: ['meal-delivery', 'safety-visit'],
    }),
    visit('s3', 'H3', '2026-03-15 10:00', { service: 'safety-visit' }),
    visit('s4', 'H4', '2026-03-15 10:00', { service: 'meal-delivery', itemsDone: ['meal-delivery'] }),
  ];

  it('counts elders living alone or flagged, covered by a safety visit (the service or an item done)', () => {
    expect(hardshipVisitCoverage({ elders, visits }, window)).toEqual({
      value: 2 / 3,
      numerator: 2,
      denominator: 3,
    });
  });

  it('an area with nobody in hardship has nothing to divide', () => {
    expect(hardshipVisitCoverage({ elders: [elders[2]], visits }, window).value).toBeNull();
  });
});

function mediationCase(caseId: string, fields: Partial<Record<keyof CaseFact, unknown>>): CaseFact {
  const dates = Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' && /^\d{4}-/.test(v) ? at(v) : v]),
  );
  return {
    caseId,
    version: 2,
    jurisdiction: COMMUNITY,
    openedAt: at('2026-03-01 09:00'),
    timeLimitAt: at('2026-03-31 09:00'),
    ...dates,
  } as CaseFact;
}

describe('mediation-success-rate', () => {
  const cases = [
    mediationCase('m1', { outcome: 'agreement', outcomeAt: START, withinTimeLimit: true }),
    mediationCase('m2', { outcome: 'failed', outcomeAt: '2026-03-15 10:00', withinTimeLimit: true }),
    mediationCase('m3', { outcome: 'referred', outcomeAt: '2026-03-15 11:00', withinTimeLimit: false }),
    mediationCase('m4', { outcome: 'agreement', outcomeAt: END, withinTimeLimit: true }),
    mediationCase('m5', {}), // still open
  ];

  it('agreements over every outcome recorded in the window (a referral is no success)', () => {
    expect(mediationSuccessRate({ cases }, window)).toEqual({ value: 1 / 3, numerator: 1, denominator: 3 });
  });

  it('a period without outcomes has nothing to divide', () => {
    expect(mediationSuccessRate({ cases: [cases[4]] }, window)).toEqual({
      value: null,
      numerator: 0,
      denominator: 0,
    });
  });
});

describe('mediation-within-limit-rate', () => {
  const cases = [
    // concluded within its limit, during the day
    mediationCase('w1', { outcome: 'agreement', outcomeAt: '2026-03-15 10:00', withinTimeLimit: true }),
    // its limit ran out during the day with no outcome: late
    mediationCase('w2', { timeLimitAt: '2026-03-15 12:00' }),
    // its limit ran out during the day, the outcome came later: late, counted on the day of the limit
    mediationCase('w3', {
      timeLimitAt: '2026-03-15 12:00',
      outcome: 'agreement',
      outcomeAt: '2026-03-17 10:00',
      withinTimeLimit: false,
    }),
    // concluded within its limit, before the day
    mediationCase('w4', { outcome: 'failed', outcomeAt: '2026-03-10 10:00', withinTimeLimit: true }),
    // withdrawn before its limit ran out: not judged
    mediationCase('w5', { timeLimitAt: '2026-03-15 12:00', withdrawnAt: '2026-03-14 12:00' }),
    // withdrawn after its limit ran out: it was late
    mediationCase('w6', { timeLimitAt: '2026-03-15 13:00', withdrawnAt: '2026-03-16 12:00' }),
  ];

  it('counts a case when it concludes in time, or when its limit runs out', () => {
    expect(mediationWithinLimitRate({ cases }, window)).toEqual({
      value: 1 / 4,
      numerator: 1,
      denominator: 4,
    });
  });

  it('a limit still ahead of now is not (yet) a breach', () => {
    const now = at('2026-03-15 12:30');
    const open = [
      mediationCase('x1', { timeLimitAt: '2026-03-15 12:00' }),
      mediationCase('x2', { timeLimitAt: '2026-03-15 13:00' }),
    ];
    expect(mediationWithinLimitRate({ cases: open }, { ...window, now })).toEqual({
      value: 0,
      numerator: 0,
      denominator: 1,
    });
  });

  it('no case judged in the window: nothing to divide', () => {
    expect(mediationWithinLimitRate(empty, window).value).toBeNull();
  });
});

function ticket(ticketId: string, fields: Partial<Record<keyof TicketFact, string>>): TicketFact {
  const dates = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, at(v)]));
  return {
    ticketId,
    version: 4,
    jurisdiction: COMMUNITY,
    createdAt: at('2026-03-14 09:00'),
    category: 'repair',
    ...dates,
  } as TicketFact;
}

describe('ticket-on-time-rate', () => {
  const tickets = [
    ticket('t1', { resolveDueAt: '2026-03-15 18:00', firstResolvedAt: '2026-03-15 09:00' }), // on time
    ticket('t2', { resolveDueAt: START, firstResolvedAt: START }), // resolved exactly at its deadline, at the start
    ticket('t3', { resolveDueAt: '2026-03-15 12:00' }), // deadline passed unresolved: late
    ticket('t4', { resolveDueAt: '2026-03-15 12:00', firstResolvedAt: '2026-03-17 09:00' }), // late, judged at the deadline
    ticket('t5', {}), // never triaged
    ticket('t6', { resolveDueAt: '2026-03-15 12:00', cancelledAt: '2026-03-15 08:00' }), // cancelled in time
    ticket('t7', { resolveDueAt: '2026-03-16 09:00', firstResolvedAt: END }), // on time, the next day's
  ];

  it('first resolutions by the deadline over those plus the deadlines missed, in the window', () => {
    expect(ticketOnTimeRate({ tickets }, window)).toEqual({ value: 2 / 4, numerator: 2, denominator: 4 });
  });

  it('an open ticket whose deadline is still ahead is not late yet', () => {
    const now = at('2026-03-15 11:00');
    expect(ticketOnTimeRate({ tickets: [tickets[2]] }, { ...window, now })).toEqual({
      value: null,
      numerator: 0,
      denominator: 0,
    });
  });
});

describe('resident-satisfaction-rate', () => {
  const feedback = [5, 4, 3, 2, 1].map((satisfaction, i): FeedbackFact => ({
    eventId: `f${i}`,
    ticketId: `t${i}`,
    jurisdiction: COMMUNITY,
    recordedAt: at(i === 0 ? START : '2026-03-15 10:00'),
    satisfaction,
  }));
  feedback.push({
    eventId: 'late',
    ticketId: 't9',
    jurisdiction: COMMUNITY,
    recordedAt: at(END),
    satisfaction: 5,
  });

  it('scores 3 to 5 over every score recorded in the window', () => {
    expect(residentSatisfactionRate({ feedback }, window)).toEqual({
      value: 3 / 5,
      numerator: 3,
      denominator: 5,
    });
  });

  it('no call-back answered: nothing to divide', () => {
    expect(residentSatisfactionRate(empty, window).value).toBeNull();
  });
});

function job(jobId: string, fields: Partial<Record<keyof JobFact, string>>): JobFact {
  const dates = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, k.endsWith('At') ? at(v) : v]));
  return { jobId, version: 3, jurisdiction: COMMUNITY, ...dates } as JobFact;
}

describe('job-accept-median-minutes', () => {
  const jobs = [
    job('j1', { requestedAt: '2026-03-15 09:00', acceptedAt: '2026-03-15 09:10' }), // 10
    job('j2', { requestedAt: '2026-03-14 23:58', acceptedAt: START }), // 2, accepted exactly at the start
    job('j3', { firstOfferedAt: '2026-03-15 10:00', acceptedAt: '2026-03-15 10:04' }), // 4, from the first offer
    job('j4', { requestedAt: '2026-03-15 23:00', acceptedAt: END }), // the next day's
    job('j5', { requestedAt: '2026-03-15 09:00' }), // not accepted
  ];

  it('an odd count gives the middle wait', () => {
    expect(jobAcceptMedianMinutes({ jobs }, window)).toEqual({ value: 4, denominator: 3 });
  });

  it('an even count gives the mean of the two middle waits', () => {
    const more = [...jobs, job('j6', { requestedAt: '2026-03-15 11:00', acceptedAt: '2026-03-15 11:07' })];
    expect(jobAcceptMedianMinutes({ jobs: more }, window)).toEqual({ value: 5.5, denominator: 4 });
  });

  it('a clock a little behind gives a wait of 0, not a negative one', () => {
    const skewed = [job('j7', { requestedAt: '2026-03-15 12:00', acceptedAt: '2026-03-15 11:59' })];
    expect(jobAcceptMedianMinutes({ jobs: skewed }, window)).toEqual({ value: 0, denominator: 1 });
  });

  it('no job accepted: no median', () => {
    expect(jobAcceptMedianMinutes(empty, window)).toEqual({ value: null, denominator: 0 });
  });
});

describe('median', () => {
  it('of one, of two, unsorted', () => {
    expect(median([7])).toBe(7);
    expect(median([9, 1])).toBe(5);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([])).toBeNull();
  });
});

describe('provider-kind-share', () => {
  const jobs = [
    job('k1', { providerKind: 'community', completedAt: '2026-03-15 10:00' }),
    job('k2', { providerKind: 'community', completedAt: START }),
    job('k3', { providerKind: 'volunteer', completedAt: '2026-03-15 11:00' }),
    job('k4', { providerKind: 'charity', completedAt: '2026-03-15 12:00' }),
    job('k5', { providerKind: 'company', completedAt: '2026-03-15 12:00' }), // counted apart
    job('k6', { providerKind: 'social-worker', completedAt: END }), // the next day's
    job('k7', { providerKind: 'social-organisation', acceptedAt: '2026-03-15 12:00' }), // not completed
  ];

  it('the five societies’ shares of their completed jobs, companies apart', () => {
    expect(providerKindShare({ jobs }, window)).toEqual({
      value: null,
      denominator: 4,
      breakdown: {
        community: 0.5,
        'social-organisation': 0,
        'social-worker': 0,
        volunteer: 0.25,
        charity: 0.25,
      },
    });
  });

  it('no completed job: every share is null', () => {
    expect(providerKindShare(empty, window)).toEqual({
      value: null,
      denominator: 0,
      breakdown: {
        community: null,
        'social-organisation': null,
        'social-worker': null,
        volunteer: null,
        charity: null,
      },
    });
  });
});

describe('volunteer-service-hours', () => {
  const jobs = [
    job('h1', { providerKind: 'volunteer', startedAt: '2026-03-15 09:00', completedAt: '2026-03-15 11:30' }), // 2.5
    job('h2', { providerKind: 'volunteer', startedAt: '2026-03-14 23:30', completedAt: '2026-03-15 00:30' }), // 1, by completion
    job('h3', { providerKind: 'volunteer', completedAt: '2026-03-15 12:00' }), // no start recorded
    job('h4', { providerKind: 'community', startedAt: '2026-03-15 09:00', completedAt: '2026-03-15 12:00' }),
    job('h5', { providerKind: 'volunteer', startedAt: '2026-03-15 22:00', completedAt: END }), // the next day's
  ];

  it('sums check-in to completion of volunteers’ jobs completed in the window', () => {
    expect(volunteerServiceHours({ jobs }, window)).toEqual({ value: 3.5, denominator: 2 });
  });

  it('a period without volunteer work is 0 hours', () => {
    expect(volunteerServiceHours(empty, window)).toEqual({ value: 0, denominator: 0 });
  });
});

describe('alert acknowledgement', () => {
  const alert = (alertId: string, issuedAt: string): AlertFact => ({
    alertId,
    incidentId: 'i1',
    jurisdiction: COMMUNITY,
    issuedAt: at(issuedAt),
    areas: [COMMUNITY],
  });
  const recipient = (
    alertId: string,
    recipientId: string,
    extra: Partial<Record<keyof AlertRecipientFact, string>> = {},
  ) =>
    ({
      alertId,
      recipientId,
      jurisdiction: COMMUNITY,
      deliveredAt: at('2026-03-15 10:00'),
      ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, k.endsWith('At') ? at(v) : v])),
    }) as AlertRecipientFact;

  const alerts = [alert('a1', '2026-03-15 10:00'), alert('a2', '2026-03-14 10:00'), alert('a4', END)];
  const alertRecipients = [
    recipient('a1', 'r1', { acknowledgedAt: '2026-03-15 10:03' }), // 3 min
    recipient('a1', 'r2'), // silent
    recipient('a1', 'r3', { acknowledgedAt: '2026-03-15 10:10' }), // 10 min
    recipient('a2', 'r4', { acknowledgedAt: '2026-03-15 10:01' }), // an alert of the day before
    // seen before its alert.issued: placed by the issue time its acknowledgement carried
    recipient('a3', 'r5', { alertIssuedAt: '2026-03-15 11:00', acknowledgedAt: '2026-03-15 11:01' }), // 1 min
    recipient('a4', 'r6', { acknowledgedAt: '2026-03-16 00:01' }), // issued exactly at the end
  ];

  it('rate: acknowledged recipients over recipients of the alerts issued in the window', () => {
    expect(alertAckRate({ alerts, alertRecipients }, window)).toEqual({
      value: 3 / 4,
      numerator: 3,
      denominator: 4,
    });
  });

  it('median: minutes from the alert’s issue to each acknowledgement', () => {
    expect(alertAckMedianMinutes({ alerts, alertRecipients }, window)).toEqual({ value: 3, denominator: 3 });
  });

  it('no alert in the window: no rate, no median', () => {
    expect(alertAckRate(empty, window).value).toBeNull();
    expect(alertAckMedianMinutes(empty, window)).toEqual({ value: null, denominator: 0 });
  });
});

describe('the definitions', () => {
  it('are the eleven codes of the API, each with both languages and known source events', () => {
    expect(INDICATORS.map((d) => d.code)).toEqual([...INDICATOR_CODES]);
    expect(INDICATORS).toHaveLength(11);
    for (const d of INDICATORS) {
      expect(d.name.zh && d.name.en && d.formula.zh && d.formula.en).toBeTruthy();
      expect(d.sourceEvents.length).toBeGreaterThan(0);
      for (const type of d.sourceEvents) expect(findEventDefinition(type)).toBeDefined();
      expect(Object.keys(definitionView(d)).sort()).toEqual([
        'code',
        'formula',
        'name',
        'sourceEvents',
        'unit',
      ]);
    }
  });

  it('an empty area gives null everywhere but the volunteer hours, which are 0', () => {
    const values = Object.fromEntries(computeAll(empty, window).map((r) => [r.code, r.value]));
    expect(values).toEqual({
      ...Object.fromEntries(INDICATOR_CODES.map((code) => [code, null])),
      'volunteer-service-hours': 0,
    });
  });
});
