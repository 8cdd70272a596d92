// The pure rules of a visit's life after it is planned: job ids, what a miss does next, punctuality, the distance of
// a check-in from the elder's home, and the findings a check-out reports. No Nest, no mongoose, no I/O.
import { CARE_SERVICES, type VISIT_OBSERVATIONS } from '@linli/contracts';
import { ConflictError } from '@linli/platform';
import type { VisitFinding, VisitStatus } from './visit.schema';

export type CareService = (typeof CARE_SERVICES)[number];
export type VisitObservation = (typeof VISIT_OBSERVATIONS)[number];

/** Statuses in which a dispatch job is out for the visit and nobody has checked in yet: a miss can still happen. */
export const AWAITING_CHECK_IN: readonly VisitStatus[] = ['dispatched', 'assigned'];
/** Statuses in which the caregiver holding the visit may read the elder's contact. */
export const CONTACT_STATUSES: readonly VisitStatus[] = ['assigned', 'checked-in'];
/** The category of the finding a concern or urgent observation makes when the caregiver named none. */
export const DEFAULT_FINDING_CATEGORY = 'elder-care';
/** What that finding says when the caregiver wrote no notes either (read by whoever handles the ticket). */
export const DEFAULT_FINDING_SUMMARY: Record<'concern' | 'urgent', string> = {
  concern: '上门服务时发现老人状况需要关注，请社区跟进。',
  urgent: '上门服务时发现老人情况紧急，请立即处置。',
};
export const FINDING_SUMMARY_MAX = 500;

const EARTH_RADIUS_M = 6_371_008.8;
const MINUTE_MS = 60_000;

/** The dispatch job of a visit's n-th dispatch: `<visitId>-J<attempt>`, so a repeated request is the same job. */
export function jobIdOf(visitId: string, attempt: number): string {
  return `${visitId}-J${attempt}`;
}

/**
 * The visit and attempt a job id stands for, or null for a job that is not a visit's (dispatch's topic carries
 * every service's jobs). Visit ids start with `V`; the attempt is the number after the last `-J`.
 */
export function visitOfJob(jobId: string): { visitId: string; attempt: number } | null {
  const match = /^(V[A-Za-z0-9._:-]*)-J([1-9][0-9]*)$/.exec(jobId);
  return match ? { visitId: match[1], attempt: Number(match[2]) } : null;
}

/** Great-circle distance (haversine) in metres between two WGS 84 points. */
export function distanceMeters(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Where a check-in was against the elder's home: the distance (rounded to the metre) and whether it is far. Without
 * the check-in's position or the home's, nothing can be said: not flagged.
 */
export function checkInPlace(
  coordinates: { lat: number; lng: number } | undefined,
  home: { lat: number; lng: number } | null | undefined,
  maxDistanceM: number,
): { distanceM: number | null; farFromHome: boolean } {
  if (!coordinates || !home || typeof home.lat !== 'number' || typeof home.lng !== 'number') {
    return { distanceM: null, farFromHome: false };
  }
  const distanceM = Math.round(distanceMeters(coordinates, home));
  return { distanceM, farFromHome: distanceM > maxDistanceM };
}

/** On time: checked in no later than the due time plus the grace period; late minutes counted from the due time. */
export function punctuality(
  dueAt: Date,
  checkedInAt: Date,
  graceMs: number,
): { onTime: boolean; lateMinutes: number } {
  const lateMs = checkedInAt.getTime() - dueAt.getTime();
  return { onTime: lateMs <= graceMs, lateMinutes: Math.max(0, Math.floor(lateMs / MINUTE_MS)) };
}

export interface MissSettings {
  /** VISIT_MAX_DISPATCHES: dispatches of one visit in all, the first included. */
  maxDispatches: number;
  /** VISIT_REDISPATCH_WINDOW_MS: how long the re-dispatched visit has to be checked in. */
  redispatchWindowMs: number;
}

export type MissOutcome =
  | { redispatched: true; status: 'dispatched'; attempt: number; jobId: string; missedAfter: Date }
  | { redispatched: false; status: 'missed' };

/**
 * What a miss of attempt `attempt` does: dispatched again (next attempt, a new job, a new deadline) while
 * dispatches are left, else the visit is missed for good.
 */
export function afterMiss(visitId: string, attempt: number, now: Date, settings: MissSettings): MissOutcome {
  if (attempt >= settings.maxDispatches) return { redispatched: false, status: 'missed' };
  const next = attempt + 1;
  return {
    redispatched: true,
    status: 'dispatched',
    attempt: next,
    jobId: jobIdOf(visitId, next),
    missedAfter: new Date(now.getTime() + settings.redispatchWindowMs),
  };
}

/** A visit's timer for the miss of `attempt` has work to do only while that attempt is out and nobody checked in. */
export function isMissDue(visit: { status: VisitStatus; attempt: number }, attempt: number): boolean {
  return AWAITING_CHECK_IN.includes(visit.status) && visit.attempt === attempt;
}

/**
 * The findings a check-out reports, numbered `<visitId>-F<n>`: the caregiver's own, or for a concern or urgent
 * observation with none named, one in elder-care with the notes (or a standard sentence) as its summary. A finding
 * made while the elder was fine is a need of the household (a leaking tap): it travels as a concern.
 */
export function findingsOf(
  visitId: string,
  observation: VisitObservation,
  notes: string | undefined,
  given: readonly { category: string; summary: string }[],
): VisitFinding[] {
  const level: 'concern' | 'urgent' = observation === 'urgent' ? 'urgent' : 'concern';
  const wanted =
    given.length > 0
      ? given
      : observation === 'fine'
        ? []
        : [
            {
              category: DEFAULT_FINDING_CATEGORY,
              summary: notes?.trim()
                ? notes.trim().slice(0, FINDING_SUMMARY_MAX)
                : DEFAULT_FINDING_SUMMARY[level],
            },
          ];
  return wanted.map((finding, index) => ({
    findingId: `${visitId}-F${index + 1}`,
    observation: level,
    category: finding.category,
    summary: finding.summary,
  }));
}

/** A visit command the visit's state does not allow: 409 with the state it met. */
export class VisitConflictError extends ConflictError {
  override readonly slug = 'visit-state';
  constructor(message: string, visit: { status: VisitStatus; version: number }) {
    super(message, { status: visit.status, version: visit.version });
  }
}
