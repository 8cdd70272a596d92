import { localDateOf, parseLocalDate, periodOf, previousPeriod, trendPeriods } from './periods';

const iso = (p: { start: Date; end: Date }) => [p.start.toISOString(), p.end.toISOString()];

describe('periods in Asia/Shanghai', () => {
  it('a day runs from local midnight (16:00 UTC the day before) to the next', () => {
    expect(iso(periodOf('day', '2026-03-15'))).toEqual([
      '2026-03-14T16:00:00.000Z',
      '2026-03-15T16:00:00.000Z',
    ]);
  });

  it('a week is the ISO week, Monday first, whatever weekday the date is', () => {
    // 2026-03-15 is a Sunday: its week began on Monday 9 March.
    expect(iso(periodOf('week', '2026-03-15'))).toEqual([
      '2026-03-08T16:00:00.000Z',
      '2026-03-15T16:00:00.000Z',
    ]);
    expect(iso(periodOf('week', '2026-03-09'))).toEqual(iso(periodOf('week', '2026-03-15')));
  });

  it('a week across a year end belongs to neither year alone', () => {
    // Thursday 1 January 2026: its ISO week runs Monday 29 December 2025 to Sunday 4 January 2026.
    const week = periodOf('week', '2026-01-01');
    expect(iso(week)).toEqual(['2025-12-28T16:00:00.000Z', '2026-01-04T16:00:00.000Z']);
    expect(iso(periodOf('week', '2025-12-29'))).toEqual(iso(week));
  });

  it('months have their own lengths, February of a leap year included', () => {
    expect(iso(periodOf('month', '2028-02-10'))).toEqual([
      '2028-01-31T16:00:00.000Z',
      '2028-02-29T16:00:00.000Z',
    ]);
    expect(iso(periodOf('month', '2026-12-31'))).toEqual([
      '2026-11-30T16:00:00.000Z',
      '2026-12-31T16:00:00.000Z',
    ]);
  });

  it('a quarter is three months from January, April, July or October', () => {
    expect(iso(periodOf('quarter', '2026-05-20'))).toEqual([
      '2026-03-31T16:00:00.000Z',
      '2026-06-30T16:00:00.000Z',
    ]);
    expect(iso(periodOf('quarter', '2026-12-01'))).toEqual([
      '2026-09-30T16:00:00.000Z',
      '2026-12-31T16:00:00.000Z',
    ]);
  });

  it('a year is the local calendar year', () => {
    expect(iso(periodOf('year', '2026-07-01'))).toEqual([
      '2025-12-31T16:00:00.000Z',
      '2026-12-31T16:00:00.000Z',
    ]);
  });

  it('the local date of an instant is the date in UTC+8', () => {
    expect(localDateOf(new Date('2026-03-14T15:59:59.999Z'))).toBe('2026-03-14');
    expect(localDateOf(new Date('2026-03-14T16:00:00.000Z'))).toBe('2026-03-15');
  });

  it('refuses what is no date of the calendar', () => {
    expect(parseLocalDate('2026-02-30')).toBeNull();
    expect(parseLocalDate('2026-2-3')).toBeNull();
    expect(parseLocalDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(() => periodOf('day', 'yesterday')).toThrow(RangeError);
  });

  it('the previous period ends where this one starts', () => {
    const quarter = periodOf('quarter', '2026-01-15');
    expect(iso(previousPeriod(quarter))).toEqual(['2025-09-30T16:00:00.000Z', '2025-12-31T16:00:00.000Z']);
    expect(previousPeriod(quarter).end).toEqual(quarter.start);
  });

  it('a trend is count periods, oldest first, back to back, the last holding the date', () => {
    const months = trendPeriods('month', '2026-02-14', 3);
    expect(months.map((p) => localDateOf(p.start))).toEqual(['2025-12-01', '2026-01-01', '2026-02-01']);
    for (let i = 1; i < months.length; i += 1) expect(months[i].start).toEqual(months[i - 1].end);
    expect(trendPeriods('week', '2026-01-01', 2).map((p) => localDateOf(p.start))).toEqual([
      '2025-12-22',
      '2025-12-29',
    ]);
  });
});
