import {
  assignItemIds,
  dayOf,
  discoverVisits,
  expandRhythm,
  horizonEnd,
  localDateOf,
  parseDiscoverRhythms,
  planProblems,
  visitIdOf,
  weekdayOf,
  type PlanItem,
  type Rhythm,
} from './schedule.rules';

/** Local (Asia/Shanghai) `YYYY-MM-DD HH:mm` of instants, to read expectations as people write them. */
const local = (instants: Date[]) =>
  instants.map((at) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' '));
/** An instant from a local `YYYY-MM-DD HH:mm`. */
const at = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
const window = (from: string, to: string) => ({ from: at(from), to: at(to) });

describe('local calendar', () => {
  it('knows weekdays (2025-01-01 was a Wednesday) and real dates', () => {
    expect(weekdayOf(dayOf('2025-01-01'))).toBe('wed');
    expect(weekdayOf(dayOf('2024-12-30'))).toBe('mon');
    expect(weekdayOf(dayOf('1970-01-01'))).toBe('thu');
    expect(dayOf('2025-02-29')).toBeNaN();
    expect(dayOf('2024-02-29')).not.toBeNaN();
    expect(dayOf('2025-1-1')).toBeNaN();
  });

  it('takes the local date of an instant in UTC+8 (16:30 UTC is already tomorrow)', () => {
    expect(localDateOf(new Date('2025-01-31T16:30:00Z'))).toBe('2025-02-01');
    expect(localDateOf(new Date('2025-01-31T15:59:00Z'))).toBe('2025-01-31');
  });

  it('ends the horizon at the start of a local day', () => {
    expect(horizonEnd(at('2025-01-30 23:59'), 7).toISOString()).toBe(at('2025-02-06 00:00').toISOString());
    expect(horizonEnd(at('2025-01-30 00:00'), 1).toISOString()).toBe(at('2025-01-31 00:00').toISOString());
  });
});

describe('expandRhythm', () => {
  const open = { startsOn: '2020-01-01' };

  it.each<[string, Rhythm, { from: string; to: string }, { startsOn: string; endsOn?: string }, string[]]>([
    [
      'daily at 11:00 across a month end',
      { kind: 'daily', times: ['11:00'] },
      { from: '2025-01-30 00:00', to: '2025-02-02 00:00' },
      open,
      ['2025-01-30 11:00', '2025-01-31 11:00', '2025-02-01 11:00'],
    ],
    [
      'daily with two times a day, given out of order',
      { kind: 'daily', times: ['17:30', '08:00'] },
      { from: '2025-03-01 00:00', to: '2025-03-03 00:00' },
      open,
      ['2025-03-01 08:00', '2025-03-01 17:30', '2025-03-02 08:00', '2025-03-02 17:30'],
    ],
    [
      'Mondays and Thursdays at 09:00',
      { kind: 'weekly', weekdays: ['mon', 'thu'], times: ['09:00'] },
      { from: '2025-01-27 00:00', to: '2025-02-10 00:00' },
      open,
      ['2025-01-27 09:00', '2025-01-30 09:00', '2025-02-03 09:00', '2025-02-06 09:00'],
    ],
    [
      'every 14 days counted from startsOn',
      { kind: 'interval', everyDays: 14, times: ['10:00'] },
      { from: '2025-01-01 00:00', to: '2025-03-01 00:00' },
      { startsOn: '2025-01-10' },
      ['2025-01-10 10:00', '2025-01-24 10:00', '2025-02-07 10:00', '2025-02-21 10:00'],
    ],
    [
      'every 3 days from a start before the window keeps its phase',
      { kind: 'interval', everyDays: 3, times: ['10:00'] },
      { from: '2025-01-05 00:00', to: '2025-01-12 00:00' },
      { startsOn: '2025-01-01' },
      ['2025-01-07 10:00', '2025-01-10 10:00'],
    ],
    [
      'monthly on the 31st falls on the last day of shorter months',
      { kind: 'monthly', daysOfMonth: [31], times: ['10:00'] },
      { from: '2025-01-01 00:00', to: '2025-05-01 00:00' },
      open,
      ['2025-01-31 10:00', '2025-02-28 10:00', '2025-03-31 10:00', '2025-04-30 10:00'],
    ],
    [
      'monthly on the 30th and 31st gives one visit where both are the last day',
      { kind: 'monthly', daysOfMonth: [30, 31], times: ['10:00'] },
      { from: '2024-02-01 00:00', to: '2024-05-01 00:00' },
      open,
      ['2024-02-29 10:00', '2024-03-30 10:00', '2024-03-31 10:00', '2024-04-30 10:00'],
    ],
    [
      'monthly on the 1st and 15th across a year end',
      { kind: 'monthly', daysOfMonth: [15, 1], times: ['09:30'] },
      { from: '2024-12-10 00:00', to: '2025-01-20 00:00' },
      open,
      ['2024-12-15 09:30', '2025-01-01 09:30', '2025-01-15 09:30'],
    ],
    [
      'weekly across a year end',
      { kind: 'weekly', weekdays: ['tue'], times: ['10:00'] },
      { from: '2024-12-25 00:00', to: '2025-01-10 00:00' },
      open,
      ['2024-12-31 10:00', '2025-01-07 10:00'],
    ],
    [
      'startsOn and endsOn are inclusive local dates',
      { kind: 'daily', times: ['07:00', '23:30'] },
      { from: '2025-01-01 00:00', to: '2025-02-01 00:00' },
      { startsOn: '2025-01-10', endsOn: '2025-01-11' },
      ['2025-01-10 07:00', '2025-01-10 23:30', '2025-01-11 07:00', '2025-01-11 23:30'],
    ],
    [
      'the window bounds are instants: from inclusive, to exclusive',
      { kind: 'daily', times: ['11:00'] },
      { from: '2025-01-10 11:00', to: '2025-01-12 11:00' },
      open,
      ['2025-01-10 11:00', '2025-01-11 11:00'],
    ],
    [
      'a local time just after midnight is the previous UTC day',
      { kind: 'weekly', weekdays: ['sat'], times: ['00:15'] },
      { from: '2025-02-01 00:00', to: '2025-02-02 00:00' },
      open,
      ['2025-02-01 00:15'],
    ],
    [
      'an item ended before the window gives nothing',
      { kind: 'daily', times: ['11:00'] },
      { from: '2025-02-01 00:00', to: '2025-02-10 00:00' },
      { startsOn: '2025-01-01', endsOn: '2025-01-31' },
      [],
    ],
  ])('%s', (_name, rhythm, span, bounds, expected) => {
    expect(local(expandRhythm(rhythm, window(span.from, span.to), bounds))).toEqual(expected);
  });

  it('gives nothing for an empty or inverted window', () => {
    const rhythm: Rhythm = { kind: 'daily', times: ['11:00'] };
    expect(expandRhythm(rhythm, window('2025-01-02 00:00', '2025-01-01 00:00'), open)).toEqual([]);
  });
});

describe('visitIdOf', () => {
  it('is V<elderId>-<slot>-<yyyyMMddHHmm local>', () => {
    expect(visitIdOf('E0000042', 'meal-delivery', at('2025-01-31 11:00'))).toBe(
      'VE0000042-meal-delivery-202501311100',
    );
    expect(visitIdOf('E0000042', 'discover', new Date('2025-01-31T16:15:00Z'))).toBe(
      'VE0000042-discover-202502010015',
    );
  });
});

describe('visit-and-discover', () => {
  const rhythms = parseDiscoverRhythms(
    JSON.stringify({
      alone: { kind: 'weekly', weekdays: ['tue'], times: ['10:00'] },
      hardship: { kind: 'weekly', weekdays: ['wed'], times: ['10:00'] },
    }),
  );
  const span = window('2025-01-06 00:00', '2025-01-20 00:00');
  const item = (overrides: Partial<PlanItem>): PlanItem => ({
    itemId: 'I1',
    service: 'safety-visit',
    rhythm: { kind: 'weekly', weekdays: ['fri'], times: ['09:00'] },
    startsOn: '2020-01-01',
    ...overrides,
  });

  it('visits an elder living alone on the alone rhythm, even with hardship flags', () => {
    const elder = { livingSituation: 'alone' as const, hardship: ['low-income' as const] };
    expect(local(discoverVisits(elder, [], rhythms, span))).toEqual(['2025-01-07 10:00', '2025-01-14 10:00']);
  });

  it('visits an elder with a hardship flag on the hardship rhythm', () => {
    const elder = { livingSituation: 'with-family' as const, hardship: ['disabled' as const] };
    expect(local(discoverVisits(elder, [], rhythms, span))).toEqual(['2025-01-08 10:00', '2025-01-15 10:00']);
  });

  it('does not visit an elder in no group', () => {
    expect(discoverVisits({ livingSituation: 'empty-nest', hardship: [] }, [], rhythms, span)).toEqual([]);
  });

  it.each<[string, Partial<PlanItem>, number]>([
    ['a weekly safety visit', {}, 0],
    ['a daily safety visit', { rhythm: { kind: 'daily', times: ['09:00'] } }, 0],
    ['a safety visit every 7 days', { rhythm: { kind: 'interval', everyDays: 7, times: ['09:00'] } }, 0],
    ['a safety visit every 14 days', { rhythm: { kind: 'interval', everyDays: 14, times: ['09:00'] } }, 2],
    ['a monthly safety visit', { rhythm: { kind: 'monthly', daysOfMonth: [1], times: ['09:00'] } }, 2],
    ['a weekly meal delivery', { service: 'meal-delivery' }, 2],
    ['a weekly safety visit from the second week', { startsOn: '2025-01-13' }, 1],
    ['a weekly safety visit ended after the first week', { endsOn: '2025-01-12' }, 1],
  ])('with %s in the plan: %i discover visits in two weeks', (_name, overrides, count) => {
    const elder = { livingSituation: 'alone' as const, hardship: [] };
    expect(discoverVisits(elder, [item(overrides)], rhythms, span)).toHaveLength(count);
  });

  it('refuses a configuration without a group or with a bad rhythm', () => {
    expect(() => parseDiscoverRhythms('{"alone":{"kind":"daily","times":["10:00"]}}')).toThrow(/hardship/);
    expect(() =>
      parseDiscoverRhythms(
        '{"alone":{"kind":"weekly","times":["10:00"]},"hardship":{"kind":"daily","times":["10:00"]}}',
      ),
    ).toThrow(/alone.weekdays/);
    expect(() => parseDiscoverRhythms('nope')).toThrow(/JSON/);
  });
});

describe('planProblems', () => {
  const daily = { kind: 'daily' as const, times: ['11:00'] };
  const base = { service: 'meal-delivery' as const, rhythm: daily, startsOn: '2025-01-01' };

  it('accepts a good plan', () => {
    expect(
      planProblems([
        base,
        {
          service: 'bathing',
          rhythm: { kind: 'weekly', weekdays: ['mon'], times: ['09:00'] },
          startsOn: '2025-01-01',
        },
        {
          service: 'cleaning',
          rhythm: { kind: 'interval', everyDays: 14, times: ['10:00'] },
          startsOn: '2025-01-01',
        },
        {
          service: 'health-check',
          rhythm: { kind: 'monthly', daysOfMonth: [1, 31], times: ['10:00'] },
          startsOn: '2025-01-01',
          endsOn: '2025-01-01',
        },
      ]),
    ).toEqual([]);
  });

  it.each<[string, object, string]>([
    ['weekly without weekdays', { rhythm: { kind: 'weekly', times: ['09:00'] } }, 'items[1].rhythm.weekdays'],
    [
      'interval without everyDays',
      { rhythm: { kind: 'interval', times: ['09:00'] } },
      'items[1].rhythm.everyDays',
    ],
    [
      'monthly without days',
      { rhythm: { kind: 'monthly', times: ['09:00'] } },
      'items[1].rhythm.daysOfMonth',
    ],
    [
      'daily with weekdays',
      { rhythm: { kind: 'daily', weekdays: ['mon'], times: ['09:00'] } },
      'items[1].rhythm.weekdays',
    ],
    ['a repeated time', { rhythm: { kind: 'daily', times: ['09:00', '09:00'] } }, 'items[1].rhythm.times'],
    ['endsOn before startsOn', { startsOn: '2025-02-01', endsOn: '2025-01-31' }, 'items[1].endsOn'],
    ['no such date', { startsOn: '2025-02-30' }, 'items[1].startsOn'],
    [
      'the same service and rhythm twice',
      { service: 'meal-delivery', rhythm: { kind: 'daily', times: ['11:00'] } },
      'items[1].rhythm',
    ],
  ])('names the field of %s', (_name, overrides, field) => {
    const problems = planProblems([
      base,
      { ...base, service: 'bathing', rhythm: daily, ...overrides },
    ] as never);
    expect(problems.map((problem) => problem.field)).toEqual([field]);
  });

  it('treats times in another order as the same rhythm', () => {
    const problems = planProblems([
      { ...base, rhythm: { kind: 'daily', times: ['11:00', '17:00'] } },
      { ...base, rhythm: { kind: 'daily', times: ['17:00', '11:00'] } },
    ]);
    expect(problems.map((problem) => problem.field)).toEqual(['items[1].rhythm']);
  });

  it('refuses one itemId on two items', () => {
    const problems = planProblems([
      { ...base, itemId: 'I1' },
      { ...base, service: 'bathing', itemId: 'I1' },
    ]);
    expect(problems.map((problem) => problem.field)).toEqual(['items[1].itemId']);
  });
});

describe('assignItemIds', () => {
  const rhythm = { kind: 'daily' as const, times: ['11:00'] };
  it('keeps the id of a kept item, takes given ids and numbers the new ones', () => {
    const current: PlanItem[] = [{ itemId: 'I1', service: 'meal-delivery', rhythm, startsOn: '2025-01-01' }];
    const { items, nextSequence } = assignItemIds(
      [
        { service: 'meal-delivery', rhythm, startsOn: '2025-02-01' },
        { service: 'bathing', rhythm, startsOn: '2025-01-01' },
        { service: 'cleaning', rhythm, startsOn: '2025-01-01', itemId: 'I2' },
      ],
      current,
      2,
    );
    expect(items.map((item) => item.itemId)).toEqual(['I1', 'I3', 'I2']);
    expect(nextSequence).toBe(4);
  });
});
