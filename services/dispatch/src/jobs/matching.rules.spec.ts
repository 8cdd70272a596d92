import {
  acceptanceRate,
  haversineKm,
  rankCandidates,
  whyIneligible,
  withinWorkingHours,
  type JobNeed,
  type MatchableProvider,
} from './matching.rules';

const gulouCommunity = '320106001003';
// Wednesday 2025-03-05 10:00 in Shanghai is 02:00 UTC.
const wednesdayTen = new Date('2025-03-05T02:00:00Z');

function provider(overrides: Partial<MatchableProvider> = {}): MatchableProvider {
  return {
    providerId: 'p-a',
    kind: 'company',
    skills: ['plumbing'],
    serviceAreas: ['320106'],
    capacity: 2,
    available: true,
    load: 0,
    recentOutcomes: [],
    ...overrides,
  };
}

const need: JobNeed = { skill: 'plumbing', jurisdiction: gulouCommunity, alreadyOffered: new Set() };

describe('who may be offered a job', () => {
  it.each([
    ['has the skill and covers the district', provider(), need, undefined],
    ['covers the exact community', provider({ serviceAreas: [gulouCommunity] }), need, undefined],
    ['covers the whole province', provider({ serviceAreas: ['32'] }), need, undefined],
    ['lacks the skill', provider({ skills: ['electrical'] }), need, 'lacks-skill'],
    ['serves another district', provider({ serviceAreas: ['320102'] }), need, 'out-of-area'],
    ['is not available', provider({ available: false }), need, 'unavailable'],
    [
      'is outside its declared hours',
      provider({ workingHours: [{ days: [6, 7], from: '08:00', to: '18:00' }] }),
      need,
      'off-hours',
    ],
    ['holds as many jobs as its capacity', provider({ load: 2 }), need, 'at-capacity'],
    [
      'was already offered this job',
      provider(),
      { ...need, alreadyOffered: new Set(['p-a']) },
      'already-offered',
    ],
    [
      'the requester excluded (a conflict of interest)',
      provider(),
      { ...need, excluded: new Set(['p-a']) },
      'excluded',
    ],
    [
      'the requester excluded, whatever else is true of it',
      provider({ available: false }),
      { ...need, excluded: new Set(['p-a']), alreadyOffered: new Set(['p-a']) },
      'excluded',
    ],
    ['was not the one excluded', provider(), { ...need, excluded: new Set(['p-b']) }, undefined],
  ] as const)('a provider that %s → %s', (_, candidate, jobNeed, expected) => {
    expect(whyIneligible(candidate, jobNeed, wednesdayTen)).toBe(expected);
  });
});

describe('working hours (Asia/Shanghai)', () => {
  it.each([
    ['no hours declared', undefined, '2025-03-05T02:00:00Z', true],
    ['weekday window, inside', [{ days: [3], from: '08:00', to: '18:00' }], '2025-03-05T02:00:00Z', true],
    [
      'weekday window, before it opens',
      [{ days: [3], from: '08:00', to: '18:00' }],
      '2025-03-04T23:59:00Z',
      false,
    ],
    [
      'weekday window, at its end',
      [{ days: [3], from: '08:00', to: '18:00' }],
      '2025-03-05T10:00:00Z',
      false,
    ],
    ['another day', [{ days: [1, 2], from: '08:00', to: '18:00' }], '2025-03-05T02:00:00Z', false],
    ['Sunday is 7', [{ days: [7], from: '00:00', to: '24:00' }], '2025-03-09T04:00:00Z', true],
    ['overnight, late on its day', [{ days: [3], from: '22:00', to: '06:00' }], '2025-03-05T15:00:00Z', true],
    [
      'overnight, early the next day',
      [{ days: [3], from: '22:00', to: '06:00' }],
      '2025-03-05T21:00:00Z',
      true,
    ],
    [
      'overnight, early the same day',
      [{ days: [3], from: '22:00', to: '06:00' }],
      '2025-03-04T21:00:00Z',
      false,
    ],
  ] as const)('%s', (_, windows, at, expected) => {
    expect(
      withinWorkingHours(
        windows?.map((w) => ({ ...w, days: [...w.days] })),
        new Date(at),
      ),
    ).toBe(expected);
  });
});

describe('ranking of candidates', () => {
  const at = wednesdayTen;
  it.each([
    [
      'fewest jobs held first',
      [provider({ providerId: 'busy', load: 1 }), provider({ providerId: 'idle', load: 0 })],
      ['idle', 'busy'],
    ],
    [
      'then the higher recent acceptance rate',
      [
        provider({ providerId: 'refuser', recentOutcomes: ['declined', 'expired'] }),
        provider({ providerId: 'taker', recentOutcomes: ['accepted', 'accepted'] }),
      ],
      ['taker', 'refuser'],
    ],
    [
      'a new provider between a taker and a refuser',
      [
        provider({ providerId: 'refuser', recentOutcomes: ['declined'] }),
        provider({ providerId: 'new' }),
        provider({ providerId: 'taker', recentOutcomes: ['accepted'] }),
      ],
      ['taker', 'new', 'refuser'],
    ],
    [
      'then by id when all else is equal',
      [provider({ providerId: 'p-c' }), provider({ providerId: 'p-b' })],
      ['p-b', 'p-c'],
    ],
    [
      'the ineligible left out',
      [provider({ providerId: 'off', available: false }), provider({ providerId: 'on' })],
      ['on'],
    ],
  ] as const)('%s', (_, providers, expected) => {
    expect(rankCandidates([...providers], need, at).map((p) => p.providerId)).toEqual(expected);
  });

  it('then the nearer where both job and providers have coordinates', () => {
    const drumTower = { lat: 32.0603, lng: 118.7778 };
    const near = provider({ providerId: 'p-z-near', location: { lat: 32.061, lng: 118.778 } });
    const far = provider({ providerId: 'p-a-far', location: { lat: 31.95, lng: 118.84 } });
    const nowhere = provider({ providerId: 'p-0-unknown' });
    const ranked = rankCandidates([far, nowhere, near], { ...need, location: drumTower }, at);
    expect(ranked.map((p) => p.providerId)).toEqual(['p-z-near', 'p-a-far', 'p-0-unknown']);
  });

  it('never ranks an excluded provider, even when it is the only one (the job then has no candidate)', () => {
    const excluded = new Set(['p-a']);
    expect(rankCandidates([provider()], { ...need, excluded }, at)).toEqual([]);
    const other = provider({ providerId: 'p-b', load: 2, capacity: 3 });
    expect(rankCandidates([provider(), other], { ...need, excluded }, at).map((p) => p.providerId)).toEqual([
      'p-b',
    ]);
  });

  it('an excluded provider of a preferred kind does not narrow the field to nobody', () => {
    const volunteer = provider({ providerId: 'v', kind: 'volunteer' });
    const company = provider({ providerId: 'c', kind: 'company' });
    expect(
      rankCandidates(
        [company, volunteer],
        { ...need, preferredKinds: ['volunteer'], excluded: new Set(['v']) },
        at,
      ).map((p) => p.providerId),
    ).toEqual(['c']);
  });

  it('narrows to the preferred kinds only when one of them is eligible', () => {
    const volunteer = provider({ providerId: 'v', kind: 'volunteer', load: 1 });
    const company = provider({ providerId: 'c', kind: 'company' });
    expect(rankCandidates([company, volunteer], { ...need, preferredKinds: ['volunteer'] }, at)).toEqual([
      volunteer,
    ]);
    expect(rankCandidates([company], { ...need, preferredKinds: ['charity'] }, at)).toEqual([company]);
  });
});

describe('arithmetic', () => {
  it.each([
    [[], 0.5],
    [['accepted'], 2 / 3],
    [['declined', 'expired'], 0.25],
  ] as const)('acceptance rate of %j is %d', (outcomes, rate) => {
    expect(acceptanceRate(outcomes)).toBeCloseTo(rate);
  });

  it('haversine: Nanjing to Shanghai is about 270 km', () => {
    expect(haversineKm({ lat: 32.0603, lng: 118.7969 }, { lat: 31.2304, lng: 121.4737 })).toBeCloseTo(
      268,
      -1,
    );
  });
});
