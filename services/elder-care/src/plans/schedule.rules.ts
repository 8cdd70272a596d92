// The pure rules of a care plan's calendar: when an item's rhythm puts a visit, in Asia/Shanghai time (UTC+8, no
// daylight saving since 1991, so plain arithmetic on a fixed offset is exact), the visit's deterministic id, the
// visit-and-discover rule (走访发现) and the plan's own validation. No Nest, no mongoose, no I/O.
import { CARE_SERVICES, HARDSHIP_FLAGS, LIVING_SITUATIONS, RHYTHM_KINDS, WEEKDAYS } from '@linli/contracts';
import { CHINA_OFFSET_MS } from '@linli/platform';

export type CareService = (typeof CARE_SERVICES)[number];
export type RhythmKind = (typeof RHYTHM_KINDS)[number];
export type Weekday = (typeof WEEKDAYS)[number];

export interface Rhythm {
  kind: RhythmKind;
  /** Local times of day, HH:mm. */
  times: string[];
  weekdays?: Weekday[];
  everyDays?: number;
  daysOfMonth?: number[];
}

export interface PlanItem {
  itemId: string;
  service: CareService;
  rhythm: Rhythm;
  /** Inclusive local dates, YYYY-MM-DD. */
  startsOn: string;
  endsOn?: string | null;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** 1970-01-01 (day 0) was a Thursday: WEEKDAYS index (mon = 0) of day n is (n + 3) mod 7. */
const EPOCH_WEEKDAY_INDEX = 3;
/** A safety visit this often or more counts as "at least weekly" for the visit-and-discover rule. */
const WEEKLY_DAYS = 7;
/** Interval rhythms of the discover groups (no startsOn of their own) count their days from here. */
export const DISCOVER_INTERVAL_ANCHOR = '1970-01-05';

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

// ---- local calendar -------------------------------------------------------------------------------------------------

/** Day number (days since 1970-01-01) of a local date; NaN when it is not a real date. */
export function dayOf(localDate: string): number {
  const match = LOCAL_DATE.exec(localDate);
  if (!match) return Number.NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return Number.NaN;
  }
  return ms / DAY_MS;
}

export function isLocalDate(value: string): boolean {
  return !Number.isNaN(dayOf(value));
}

/** The local (Asia/Shanghai) day number of an instant. */
export function localDayOf(instant: Date): number {
  return Math.floor((instant.getTime() + CHINA_OFFSET_MS) / DAY_MS);
}

/** YYYY-MM-DD of a day number. */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The local date (YYYY-MM-DD, Asia/Shanghai) of an instant. */
export function localDateOf(instant: Date): string {
  return dateOfDay(localDayOf(instant));
}

function minutesOf(localTime: string): number {
  const match = LOCAL_TIME.exec(localTime);
  if (!match) throw new RangeError(`not a local time HH:mm: ${localTime}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The instant of a local day at a local time. */
export function instantAt(day: number, localTime: string): Date {
  return new Date(day * DAY_MS + minutesOf(localTime) * MINUTE_MS - CHINA_OFFSET_MS);
}

/** The instant a local date starts (00:00 Asia/Shanghai). */
export function startOfDay(day: number): Date {
  return new Date(day * DAY_MS - CHINA_OFFSET_MS);
}

export function weekdayOf(day: number): Weekday {
  return WEEKDAYS[(((day + EPOCH_WEEKDAY_INDEX) % 7) + 7) % 7];
}

/** `yyyyMMddHHmm` in local time: the time part of a visit id. */
export function localStamp(instant: Date): string {
  const shifted = new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString();
  return shifted.slice(0, 16).replace(/[-T:]/g, '');
}

// ---- rhythms --------------------------------------------------------------------------------------------------------

/** Whether the rhythm puts visits on this local day (startsOn/endsOn aside). */
function fallsOn(rhythm: Rhythm, day: number, startDay: number): boolean {
  switch (rhythm.kind) {
    case 'daily':
      return true;
    case 'weekly':
      return (rhythm.weekdays ?? []).includes(weekdayOf(day));
    case 'interval': {
      const every = rhythm.everyDays ?? 0;
      return every > 0 && day >= startDay && (day - startDay) % every === 0;
    }
    case 'monthly': {
      const date = new Date(day * DAY_MS);
      const dayOfMonth = date.getUTCDate();
      const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
      // A day past the month's end (31 in April) falls on its last day; checking each day once means 30 and 31
      // both landing on the 30th still give one visit.
      return (rhythm.daysOfMonth ?? []).some(
        (wanted) => wanted === dayOfMonth || (dayOfMonth === lastDay && wanted > lastDay),
      );
    }
    default:
      return false;
  }
}

/**
 * The instants in [from, to) at which a rhythm puts a visit, in order and without duplicates, counting only the
 * local days from startsOn to endsOn (both inclusive; no end: open). Interval rhythms count from startsOn.
 */
export function expandRhythm(
  rhythm: Rhythm,
  window: { from: Date; to: Date },
  bounds: { startsOn: string; endsOn?: string | null },
): Date[] {
  const startDay = dayOf(bounds.startsOn);
  const endDay = bounds.endsOn ? dayOf(bounds.endsOn) : Number.POSITIVE_INFINITY;
  if (Number.isNaN(startDay) || Number.isNaN(endDay) || window.to <= window.from) return [];
  const firstDay = Math.max(localDayOf(window.from), startDay);
  const lastDay = Math.min(localDayOf(new Date(window.to.getTime() - 1)), endDay);
  const times = [...new Set(rhythm.times)].sort();
  const instants: Date[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    if (!fallsOn(rhythm, day, startDay)) continue;
    for (const time of times) {
      const at = instantAt(day, time);
      if (at >= window.from && at < window.to) instants.push(at);
    }
  }
  return instants;
}

/**
 * The end of the rolling horizon seen from `now`: the start of the local day `horizonDays` after today, so the
 * horizon holds whole local days (today and the next horizonDays - 1).
 */
export function horizonEnd(now: Date, horizonDays: number): Date {
  return startOfDay(localDayOf(now) + horizonDays);
}

// ---- visit ids ------------------------------------------------------------------------------------------------------

/**
 * The slot of a visit id: the service for plan visits, the source for discover and follow-up visits, and
 * `manual-<service>` for one-off visits (several services may be asked for at the same minute).
 */
export type VisitSlot = CareService | 'discover' | 'follow-up' | `manual-${CareService}`;

/**
 * `V<elderId>-<slot>-<yyyyMMddHHmm local>`: the same visit always gets the same id, so generating it twice (a
 * replay, a restart, a plan change that keeps the item) yields one document.
 */
export function visitIdOf(elderId: string, slot: VisitSlot, dueAt: Date): string {
  return `V${elderId}-${slot}-${localStamp(dueAt)}`;
}

// ---- visit-and-discover (走访发现) ------------------------------------------------------------------------------------

export type LivingSituation = (typeof LIVING_SITUATIONS)[number];
export type HardshipFlag = (typeof HARDSHIP_FLAGS)[number];

/** The group whose discover rhythm applies: `alone` first, else `hardship`; null for an elder in neither. */
export function discoverGroupOf(elder: {
  livingSituation: LivingSituation;
  hardship: readonly HardshipFlag[];
}): 'alone' | 'hardship' | null {
  if (elder.livingSituation === 'alone') return 'alone';
  if (elder.hardship.length > 0) return 'hardship';
  return null;
}

/** A safety-visit item at least weekly: daily, weekly (on any weekday), or every 7 days or fewer. */
export function isWeeklySafetyVisit(item: Pick<PlanItem, 'service' | 'rhythm'>): boolean {
  if (item.service !== 'safety-visit') return false;
  const { rhythm } = item;
  if (rhythm.kind === 'daily' || rhythm.kind === 'weekly') return true;
  return rhythm.kind === 'interval' && (rhythm.everyDays ?? Infinity) <= WEEKLY_DAYS;
}

/**
 * The discover visits of an elder in a window: the group's rhythm, on the local days that no weekly safety-visit
 * item of the plan covers (an item counts from its startsOn to its endsOn). Empty for an elder in no group.
 */
export function discoverVisits(
  elder: { livingSituation: LivingSituation; hardship: readonly HardshipFlag[] },
  planItems: readonly PlanItem[],
  rhythms: DiscoverRhythms,
  window: { from: Date; to: Date },
): Date[] {
  const group = discoverGroupOf(elder);
  if (!group) return [];
  const covering = planItems.filter(isWeeklySafetyVisit).map((item) => ({
    from: dayOf(item.startsOn),
    to: item.endsOn ? dayOf(item.endsOn) : Number.POSITIVE_INFINITY,
  }));
  return expandRhythm(rhythms[group], window, { startsOn: DISCOVER_INTERVAL_ANCHOR }).filter((at) => {
    const day = localDayOf(at);
    return !covering.some((range) => day >= range.from && day <= range.to);
  });
}

export interface DiscoverRhythms {
  alone: Rhythm;
  hardship: Rhythm;
}

/** DISCOVER_RHYTHMS (JSON) read and checked; throws with the reason, so a bad deployment fails at start. */
export function parseDiscoverRhythms(json: string): DiscoverRhythms {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('DISCOVER_RHYTHMS is not JSON');
  }
  const value = parsed as Partial<Record<'alone' | 'hardship', Rhythm>>;
  const result = {} as DiscoverRhythms;
  for (const group of ['alone', 'hardship'] as const) {
    const rhythm = value?.[group];
    if (!rhythm || typeof rhythm !== 'object') throw new Error(`DISCOVER_RHYTHMS.${group} is missing`);
    const problems = rhythmProblems(rhythm, `DISCOVER_RHYTHMS.${group}`);
    if (problems.length > 0) throw new Error(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    result[group] = rhythm;
  }
  return result;
}

// ---- plan validation ------------------------------------------------------------------------------------------------

export interface PlanProblem {
  field: string;
  message: string;
}

const RHYTHM_FIELDS: Record<RhythmKind, 'weekdays' | 'everyDays' | 'daysOfMonth' | null> = {
  daily: null,
  weekly: 'weekdays',
  interval: 'everyDays',
  monthly: 'daysOfMonth',
};

/** What is wrong with one rhythm beyond its shape (which the DTO checks): the field its kind needs, and no other. */
export function rhythmProblems(rhythm: Rhythm, path: string): PlanProblem[] {
  const problems: PlanProblem[] = [];
  if (!RHYTHM_KINDS.includes(rhythm.kind)) {
    return [{ field: `${path}.kind`, message: `must be one of ${RHYTHM_KINDS.join(', ')}` }];
  }
  if (!Array.isArray(rhythm.times) || rhythm.times.length === 0) {
    problems.push({ field: `${path}.times`, message: 'needs at least one local time HH:mm' });
  } else if (rhythm.times.some((time) => !LOCAL_TIME.test(time))) {
    problems.push({ field: `${path}.times`, message: 'each time must be a local time HH:mm' });
  } else if (new Set(rhythm.times).size !== rhythm.times.length) {
    problems.push({ field: `${path}.times`, message: 'must not repeat a time' });
  }
  const needed = RHYTHM_FIELDS[rhythm.kind];
  for (const field of ['weekdays', 'everyDays', 'daysOfMonth'] as const) {
    const present = rhythm[field] !== undefined && rhythm[field] !== null;
    if (field === needed && !present) {
      problems.push({ field: `${path}.${field}`, message: `a ${rhythm.kind} rhythm needs ${field}` });
    } else if (field !== needed && present) {
      problems.push({ field: `${path}.${field}`, message: `not used by a ${rhythm.kind} rhythm` });
    }
  }
  if (needed === 'weekdays' && rhythm.weekdays) {
    if (rhythm.weekdays.length === 0 || rhythm.weekdays.some((day) => !WEEKDAYS.includes(day))) {
      problems.push({ field: `${path}.weekdays`, message: `needs weekdays among ${WEEKDAYS.join(', ')}` });
    }
  }
  if (needed === 'everyDays' && rhythm.everyDays !== undefined) {
    if (!Number.isInteger(rhythm.everyDays) || rhythm.everyDays < 1) {
      problems.push({ field: `${path}.everyDays`, message: 'must be a whole number of days, 1 or more' });
    }
  }
  if (needed === 'daysOfMonth' && rhythm.daysOfMonth) {
    const bad = rhythm.daysOfMonth.some((day) => !Number.isInteger(day) || day < 1 || day > 31);
    if (rhythm.daysOfMonth.length === 0 || bad) {
      problems.push({ field: `${path}.daysOfMonth`, message: 'needs days of the month from 1 to 31' });
    }
  }
  return problems;
}

/** The key that makes two items the same: one service on one rhythm. */
export function itemKeyOf(item: Pick<PlanItem, 'service' | 'rhythm'>): string {
  const { rhythm } = item;
  return JSON.stringify([
    item.service,
    rhythm.kind,
    [...rhythm.times].sort(),
    rhythm.weekdays ? [...rhythm.weekdays].sort() : null,
    rhythm.everyDays ?? null,
    rhythm.daysOfMonth ? [...rhythm.daysOfMonth].sort((a, b) => a - b) : null,
  ]);
}

/**
 * The plan's own rules, each problem naming its field (`items[1].rhythm.weekdays`): the field a rhythm's kind
 * needs, real dates with endsOn on or after startsOn, no two items with the same service and rhythm, no itemId
 * given twice.
 */
export function planProblems(
  items: readonly (Omit<PlanItem, 'itemId'> & { itemId?: string })[],
): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const keys = new Map<string, number>();
  const ids = new Map<string, number>();
  items.forEach((item, index) => {
    const path = `items[${index}]`;
    problems.push(...rhythmProblems(item.rhythm, `${path}.rhythm`));
    const start = dayOf(item.startsOn);
    if (Number.isNaN(start))
      problems.push({ field: `${path}.startsOn`, message: 'must be a date YYYY-MM-DD' });
    if (item.endsOn !== undefined && item.endsOn !== null) {
      const end = dayOf(item.endsOn);
      if (Number.isNaN(end)) problems.push({ field: `${path}.endsOn`, message: 'must be a date YYYY-MM-DD' });
      else if (!Number.isNaN(start) && end < start) {
        problems.push({ field: `${path}.endsOn`, message: 'must not be before startsOn' });
      }
    }
    const key = itemKeyOf(item);
    const earlier = keys.get(key);
    if (earlier !== undefined) {
      problems.push({
        field: `${path}.rhythm`,
        message: `items[${earlier}] has the same service and rhythm`,
      });
    } else keys.set(key, index);
    if (item.itemId) {
      const earlierId = ids.get(item.itemId);
      if (earlierId !== undefined) {
        problems.push({ field: `${path}.itemId`, message: `items[${earlierId}] has the same itemId` });
      } else ids.set(item.itemId, index);
    }
  });
  return problems;
}

/**
 * Item ids for a new version: the id given, else the id of the current plan's item with the same service and
 * rhythm (a kept item keeps its id), else a fresh `I<n>` from the plan's counter. Returns the items and the counter
 * after.
 */
export function assignItemIds<T extends Omit<PlanItem, 'itemId'> & { itemId?: string }>(
  items: readonly T[],
  current: readonly PlanItem[],
  nextSequence: number,
): { items: (T & { itemId: string })[]; nextSequence: number } {
  const byKey = new Map(current.map((item) => [itemKeyOf(item), item.itemId]));
  const taken = new Set(items.map((item) => item.itemId).filter((id): id is string => !!id));
  let sequence = nextSequence;
  const assigned = items.map((item) => {
    if (item.itemId) return { ...item, itemId: item.itemId };
    const kept = byKey.get(itemKeyOf(item));
    if (kept && !taken.has(kept)) {
      taken.add(kept);
      return { ...item, itemId: kept };
    }
    let fresh: string;
    do fresh = `I${sequence++}`;
    while (taken.has(fresh));
    taken.add(fresh);
    return { ...item, itemId: fresh };
  });
  return { items: assigned, nextSequence: sequence };
}

// ---- the visits a plan wants ----------------------------------------------------------------------------------------

export interface DesiredVisit {
  visitId: string;
  source: 'plan' | 'discover';
  service: CareService;
  dueAt: Date;
  itemId?: string;
}

/**
 * Every visit an elder should have in a window: each item of an active plan on its rhythm, plus the discover
 * visits of its group (an ended or absent plan: discover visits only). One entry per visit id, in due order.
 */
export function desiredVisits(
  elder: { _id: string; livingSituation: LivingSituation; hardship: readonly HardshipFlag[] },
  plan: { status: string; items: readonly PlanItem[] } | null,
  rhythms: DiscoverRhythms,
  window: { from: Date; to: Date },
): DesiredVisit[] {
  const items = plan && plan.status === 'active' ? plan.items : [];
  const wanted = new Map<string, DesiredVisit>();
  for (const item of items) {
    for (const dueAt of expandRhythm(item.rhythm, window, item)) {
      const visitId = visitIdOf(elder._id, item.service, dueAt);
      if (!wanted.has(visitId)) {
        wanted.set(visitId, { visitId, source: 'plan', service: item.service, dueAt, itemId: item.itemId });
      }
    }
  }
  for (const dueAt of discoverVisits(elder, items, rhythms, window)) {
    const visitId = visitIdOf(elder._id, 'discover', dueAt);
    wanted.set(visitId, { visitId, source: 'discover', service: 'safety-visit', dueAt });
  }
  return [...wanted.values()].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}
