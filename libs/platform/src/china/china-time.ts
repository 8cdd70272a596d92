// Dates as people in China read them: "today" and a day's end in Asia/Shanghai, for every service.

/** China Standard Time has been UTC+8 all year since 1991 (no daylight saving): a fixed offset is exact. */
export const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/** The calendar date (YYYY-MM-DD) in Asia/Shanghai at `now`: what "today" means to an operator. */
export function chinaDate(now: Date): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The first instant after the day `date` (YYYY-MM-DD) in Asia/Shanghai. */
export function endOfChinaDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - CHINA_OFFSET_MS + DAY_MS);
}
