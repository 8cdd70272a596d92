// Who may be offered a job, and in what order: pure rules, no I/O (the service loads providers and their loads).

import { CHINA_OFFSET_MS } from '@linli/platform';

/** A weekly window in Asia/Shanghai time: days 1 (Monday) … 7 (Sunday), `from`/`to` as HH:MM. */
export interface WorkingWindow {
  days: number[];
  from: string;
  to: string;
}

export interface Coordinates {
  lat: number;
  lng: number;
}

/** What matching needs to know of a provider. */
export interface MatchableProvider {
  providerId: string;
  kind: string;
  skills: readonly string[];
  serviceAreas: readonly string[];
  capacity: number;
  available: boolean;
  workingHours?: readonly WorkingWindow[];
  location?: Coordinates;
  /** Jobs it holds now (accepted or started). */
  load: number;
  /** Outcomes of its recent offers, oldest first. */
  recentOutcomes: readonly OfferOutcome[];
}

export type OfferOutcome = 'accepted' | 'declined' | 'expired';

/** What matching needs to know of a job. */
export interface JobNeed {
  skill: string;
  jurisdiction: string;
  location?: Coordinates;
  /** Providers already offered this job (whatever they answered): never offered it twice in one pass of the pool. */
  alreadyOffered: ReadonlySet<string>;
  /** Kinds the requester prefers; a preference, so it narrows the field only when one of them is eligible. */
  preferredKinds?: readonly string[];
  /**
   * Providers the requester ruled out (a mediator with a conflict of interest with a party): never offered the job,
   * in any round or re-offer, even when nobody else is left.
   */
  excluded?: ReadonlySet<string>;
}

export type Ineligibility =
  | 'excluded'
  | 'lacks-skill'
  | 'out-of-area'
  | 'unavailable'
  | 'off-hours'
  | 'at-capacity'
  | 'already-offered';

const MINUTES_PER_DAY = 24 * 60;
const EARTH_RADIUS_KM = 6371;

/** Why a provider may not be offered this job now, or undefined when it may. */
export function whyIneligible(
  provider: MatchableProvider,
  need: JobNeed,
  at: Date,
): Ineligibility | undefined {
  // First: the requester's exclusion holds whatever else is true of the provider.
  if (need.excluded?.has(provider.providerId)) return 'excluded';
  if (!provider.skills.includes(need.skill)) return 'lacks-skill';
  if (!covers(provider.serviceAreas, need.jurisdiction)) return 'out-of-area';
  if (!provider.available) return 'unavailable';
  if (!withinWorkingHours(provider.workingHours, at)) return 'off-hours';
  if (provider.load >= provider.capacity) return 'at-capacity';
  if (need.alreadyOffered.has(provider.providerId)) return 'already-offered';
  return undefined;
}

/** A service area covers the place when its code is a prefix of the job's jurisdiction (any level). */
export function covers(serviceAreas: readonly string[], jurisdiction: string): boolean {
  return serviceAreas.some((area) => jurisdiction.startsWith(area));
}

/** No declared hours means any time; else `at` (Shanghai time) falls in one window. */
export function withinWorkingHours(windows: readonly WorkingWindow[] | undefined, at: Date): boolean {
  if (!windows || windows.length === 0) return true;
  const local = new Date(at.getTime() + CHINA_OFFSET_MS);
  const day = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  const previousDay = day === 1 ? 7 : day - 1;
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  return windows.some((window) => {
    const from = minutesOf(window.from);
    const to = minutesOf(window.to);
    if (from < to) return window.days.includes(day) && minute >= from && minute < to;
    // Overnight (22:00–06:00): the window belongs to the day it starts on.
    return (
      (window.days.includes(day) && minute >= from) || (window.days.includes(previousDay) && minute < to)
    );
  });
}

/** "08:30" → 510; "24:00" → end of day. */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return Math.min((hours as number) * 60 + (minutes as number), MINUTES_PER_DAY);
}

/**
 * Recent acceptance rate with one imagined acceptance and one imagined refusal (Laplace smoothing): a new
 * provider starts at 0.5 instead of the top or the bottom of the ranking, and one answer does not swing it far.
 */
export function acceptanceRate(outcomes: readonly OfferOutcome[]): number {
  const accepted = outcomes.filter((outcome) => outcome === 'accepted').length;
  return (accepted + 1) / (outcomes.length + 2);
}

/** Great-circle distance in kilometres. */
export function haversineKm(a: Coordinates, b: Coordinates): number {
  const rad = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Ranking: current load (fewest jobs first), then recent acceptance rate (highest first), then distance to the
 * job where both have coordinates (a provider with coordinates before one without), then id (stable order).
 */
export function compareCandidates(
  need: Pick<JobNeed, 'location'>,
): (a: MatchableProvider, b: MatchableProvider) => number {
  return (a, b) => {
    if (a.load !== b.load) return a.load - b.load;
    const rateA = acceptanceRate(a.recentOutcomes);
    const rateB = acceptanceRate(b.recentOutcomes);
    if (rateA !== rateB) return rateB - rateA;
    if (need.location) {
      const distanceA = a.location ? haversineKm(need.location, a.location) : Infinity;
      const distanceB = b.location ? haversineKm(need.location, b.location) : Infinity;
      if (distanceA !== distanceB) return distanceA - distanceB;
    }
    return a.providerId < b.providerId ? -1 : a.providerId > b.providerId ? 1 : 0;
  };
}

/** The eligible providers, best first; narrowed to the preferred kinds when any of those is eligible. */
export function rankCandidates(
  providers: readonly MatchableProvider[],
  need: JobNeed,
  at: Date,
): MatchableProvider[] {
  const eligible = providers.filter((provider) => whyIneligible(provider, need, at) === undefined);
  const preferred = need.preferredKinds?.length
    ? eligible.filter((provider) => need.preferredKinds?.includes(provider.kind))
    : [];
  return (preferred.length > 0 ? preferred : eligible).sort(compareCandidates(need));
}
