// The periods indicators are read over: a day, an ISO week (Monday first), a month, a quarter or a year of the
// Asia/Shanghai calendar. China has kept UTC+8 all year since 1991 (no daylight saving), so a local midnight is
// the UTC instant 8 hours earlier; a fixed offset is exact and needs no time-zone database.

export const PERIOD_KINDS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** A period of the calendar as UTC instants: `start` included, `end` excluded (the next period's start). */
export interface Period {
  kind: PeriodKind;
  start: Date;
  end: Date;
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isPeriodKind(value: unknown): value is PeriodKind {
  return typeof value === 'string' && (PERIOD_KINDS as readonly string[]).includes(value);
}

/** Parses a local date `YYYY-MM-DD`; null when it is not one or is no day of the calendar (2026-02-30). */
export function parseLocalDate(value: string): { year: number; month: number; day: number } | null {
  const match = LOCAL_DATE.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return null;
  }
  return { year, month, day };
}

/** The Asia/Shanghai calendar date of an instant, `YYYY-MM-DD`. */
export function localDateOf(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The UTC instant of local midnight at the start of a local date (month and day may overflow, as Date.UTC). */
function localMidnight(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day) - SHANGHAI_OFFSET_MS);
}

/** The period of the given kind that contains the local date; throws RangeError on a date that is not one. */
export function periodOf(kind: PeriodKind, date: string): Period {
  const parsed = parseLocalDate(date);
  if (!parsed) throw new RangeError(`not a local date YYYY-MM-DD: ${date}`);
  const { year, month, day } = parsed;
  switch (kind) {
    case 'day':
      return { kind, start: localMidnight(year, month, day), end: localMidnight(year, month, day + 1) };
    case 'week': {
      // ISO 8601: weeks start on Monday; getUTCDay() is 0 for Sunday.
      const sinceMonday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
      const start = localMidnight(year, month, day - sinceMonday);
      return { kind, start, end: new Date(start.getTime() + 7 * DAY_MS) };
    }
    case 'month':
      return { kind, start: localMidnight(year, month, 1), end: localMidnight(year, month + 1, 1) };
    case 'quarter': {
      const first = Math.floor((month - 1) / 3) * 3 + 1;
      return { kind, start: localMidnight(year, first, 1), end: localMidnight(year, first + 3, 1) };
    }
    case 'year':
      return { kind, start: localMidnight(year, 1, 1), end: localMidnight(year + 1, 1, 1) };
  }
}

/** The period just before this one, of the same kind. */
export function previousPeriod(period: Period): Period {
  return periodOf(period.kind, localDateOf(new Date(period.start.getTime() - 1)));
}

/** The `count` periods ending with the one containing the date, oldest first (for a trend line). */
export function trendPeriods(kind: PeriodKind, date: string, count: number): Period[] {
  const periods = [periodOf(kind, date)];
  while (periods.length < count) periods.unshift(previousPeriod(periods[0]));
  return periods;
}

/** The period as the API shows it: ISO instants, `end` excluded. */
export function periodView(period: Period): { kind: PeriodKind; start: string; end: string } {
  return { kind: period.kind, start: period.start.toISOString(), end: period.end.toISOString() };
}
