import {
  afterMiss,
  checkInPlace,
  DEFAULT_FINDING_SUMMARY,
  distanceMeters,
  findingsOf,
  isMissDue,
  jobIdOf,
  punctuality,
  visitOfJob,
} from './visit.rules';

const VISIT = 'VE0000042-meal-delivery-202601051100';

describe('job ids of visits', () => {
  it('numbers the job by the attempt', () => {
    expect(jobIdOf(VISIT, 1)).toBe(`${VISIT}-J1`);
    expect(jobIdOf(VISIT, 2)).toBe(`${VISIT}-J2`);
  });

  it.each([
    [`${VISIT}-J1`, { visitId: VISIT, attempt: 1 }],
    [`${VISIT}-J12`, { visitId: VISIT, attempt: 12 }],
    ['VE0000001-manual-202601010900-J3', { visitId: 'VE0000001-manual-202601010900', attempt: 3 }],
  ])('reads %s back as its visit and attempt', (jobId, expected) => {
    expect(visitOfJob(jobId)).toEqual(expected);
  });

  it.each([['T20260105-0001-J1'], ['job-1'], [`${VISIT}-J0`], [`${VISIT}-J`], [`${VISIT}`], ['V-Jx']])(
    'ignores %s, which is not a visit job',
    (jobId) => {
      expect(visitOfJob(jobId)).toBeNull();
    },
  );
});

describe('distance of a check-in', () => {
  const home = { lat: 32.0565, lng: 118.7694 };

  it('is zero at the home', () => {
    expect(distanceMeters(home, home)).toBe(0);
  });

  it('measures about 111 km per degree of latitude', () => {
    expect(distanceMeters({ lat: 32, lng: 118 }, { lat: 33, lng: 118 })).toBeGreaterThan(111_000);
    expect(distanceMeters({ lat: 32, lng: 118 }, { lat: 33, lng: 118 })).toBeLessThan(111_300);
  });

  it('flags a check-in further than the limit, not one within it', () => {
    // ~0.001° of latitude is ~111 m.
    expect(checkInPlace({ lat: 32.0575, lng: 118.7694 }, home, 300)).toEqual({
      distanceM: 111,
      farFromHome: false,
    });
    const far = checkInPlace({ lat: 32.0665, lng: 118.7694 }, home, 300);
    expect(far.farFromHome).toBe(true);
    expect(far.distanceM).toBeGreaterThan(1_100);
  });

  it('says nothing without both positions', () => {
    expect(checkInPlace(undefined, home, 300)).toEqual({ distanceM: null, farFromHome: false });
    expect(checkInPlace(home, null, 300)).toEqual({ distanceM: null, farFromHome: false });
  });
});

describe('punctuality', () => {
  const due = new Date('2026-01-05T03:00:00Z');
  const hour = 3_600_000;

  it.each([
    [-10 * 60_000, true, 0],
    [0, true, 0],
    [59 * 60_000 + 59_000, true, 59],
    [hour, true, 60],
    [hour + 60_000, false, 61],
  ])('a check-in %d ms after the due time: on time %s, %d minutes late', (offset, onTime, lateMinutes) => {
    expect(punctuality(due, new Date(due.getTime() + offset), hour)).toEqual({ onTime, lateMinutes });
  });
});

describe('a miss', () => {
  const now = new Date('2026-01-05T04:00:00Z');
  const settings = { maxDispatches: 2, redispatchWindowMs: 7_200_000 };

  it('re-dispatches with the next attempt, a new job and a new deadline while dispatches are left', () => {
    expect(afterMiss(VISIT, 1, now, settings)).toEqual({
      redispatched: true,
      status: 'dispatched',
      attempt: 2,
      jobId: `${VISIT}-J2`,
      missedAfter: new Date('2026-01-05T06:00:00Z'),
    });
  });

  it('is final after the last dispatch', () => {
    expect(afterMiss(VISIT, 2, now, settings)).toEqual({ redispatched: false, status: 'missed' });
    expect(afterMiss(VISIT, 1, now, { ...settings, maxDispatches: 1 })).toEqual({
      redispatched: false,
      status: 'missed',
    });
  });

  it.each([
    ['dispatched', 1, 1, true],
    ['assigned', 1, 1, true],
    ['assigned', 2, 1, false],
    ['checked-in', 1, 1, false],
    ['completed', 1, 1, false],
    ['cancelled', 1, 1, false],
    ['scheduled', 0, 1, false],
    ['missed', 2, 2, false],
  ] as const)('is due for a %s visit at attempt %d (timer of attempt %d): %s', (status, at, timer, due) => {
    expect(isMissDue({ status, attempt: at }, timer)).toBe(due);
  });
});

describe('findings of a check-out', () => {
  it('numbers the caregiver’s findings', () => {
    expect(
      findingsOf(VISIT, 'concern', 'notes', [
        { category: 'repair', summary: '厨房水龙头漏水' },
        { category: 'health', summary: '血压偏高' },
      ]),
    ).toEqual([
      { findingId: `${VISIT}-F1`, observation: 'concern', category: 'repair', summary: '厨房水龙头漏水' },
      { findingId: `${VISIT}-F2`, observation: 'concern', category: 'health', summary: '血压偏高' },
    ]);
  });

  it('makes one elder-care finding of a concern with none named, from the notes', () => {
    expect(findingsOf(VISIT, 'concern', '  老人情绪低落  ', [])).toEqual([
      { findingId: `${VISIT}-F1`, observation: 'concern', category: 'elder-care', summary: '老人情绪低落' },
    ]);
  });

  it('uses the standard sentence for an urgent observation without notes', () => {
    expect(findingsOf(VISIT, 'urgent', undefined, [])).toEqual([
      {
        findingId: `${VISIT}-F1`,
        observation: 'urgent',
        category: 'elder-care',
        summary: DEFAULT_FINDING_SUMMARY.urgent,
      },
    ]);
  });

  it('cuts long notes to the summary limit', () => {
    expect(findingsOf(VISIT, 'concern', 'x'.repeat(2000), [])[0].summary).toHaveLength(500);
  });

  it('reports nothing for a fine visit without findings, and a fine visit’s findings as concerns', () => {
    expect(findingsOf(VISIT, 'fine', 'all well', [])).toEqual([]);
    expect(
      findingsOf(VISIT, 'fine', undefined, [{ category: 'repair', summary: '灯坏了' }])[0].observation,
    ).toBe('concern');
  });
});
