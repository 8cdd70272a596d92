// The rules of welfare checks (安全探访) on the vulnerable residents of an incident's area: who is vulnerable, who an
// area covers, a check's id, how dispatch's answers move its job, and who may record which result. Pure: no Nest,
// no mongoose, no I/O.
import type { ELDER_STATUSES, HARDSHIP_FLAGS, LIVING_SITUATIONS, CARE_LEVELS } from '@linli/contracts';
import { ConflictError } from '@linli/platform';

/** What the board shows of a check: pending until a result is recorded (checked-safe 已确认安全, needs-help, unreachable). */
export const WELFARE_CHECK_STATUSES = ['pending', 'checked-safe', 'needs-help', 'unreachable'] as const;
export type WelfareCheckStatus = (typeof WELFARE_CHECK_STATUSES)[number];

/** What a provider or coordinator found. */
export const WELFARE_RESULTS = ['safe', 'needs-help', 'unreachable'] as const;
export type WelfareResult = (typeof WELFARE_RESULTS)[number];

/** The check's dispatch job as dispatch last reported it. */
export const WELFARE_JOB_STATUSES = ['requested', 'accepted', 'escalated', 'cancelled', 'completed'] as const;
export type WelfareJobStatus = (typeof WELFARE_JOB_STATUSES)[number];

/** Incident states in which its area gets welfare checks; all-clear and closed get no new ones. */
export const SWEPT_INCIDENT_STATUSES = ['declared', 'active'] as const;

/** The facts of an elder (elder-care's elder.registered / elder.updated) the vulnerability rule reads. */
export interface ElderProfile {
  status: (typeof ELDER_STATUSES)[number];
  livingSituation: (typeof LIVING_SITUATIONS)[number];
  careLevel: (typeof CARE_LEVELS)[number];
  hardship: readonly (typeof HARDSHIP_FLAGS)[number][];
}

/**
 * Vulnerable (特殊困难群体, for an emergency): an active elder who lives alone (独居), is disabled (残疾) or fully
 * dependent (失能). Inactive elders (moved, deceased, in a care home, consent withdrawn) are nobody's to check.
 */
export function isVulnerable(elder: ElderProfile): boolean {
  if (elder.status !== 'active') return false;
  return (
    elder.livingSituation === 'alone' ||
    elder.hardship.includes('disabled') ||
    elder.careLevel === 'fully-dependent'
  );
}

/** A community lies in an area when the area's code (street, district, the community itself…) is its prefix. */
export function isInAreas(community: string, areas: readonly string[]): boolean {
  return areas.some((area) => community.startsWith(area));
}

/** One check per person per incident, whatever the updates: `<incidentId>-W-<elderId>`; it is also its job's id. */
export function welfareCheckIdOf(incidentId: string, elderId: string): string {
  return `${incidentId}-W-${elderId}`;
}

/** Whether a dispatch job id may be a welfare check's (other services' jobs pass through untouched). */
export function isWelfareJobId(jobId: string): boolean {
  return jobId.includes('-W-');
}

/** What the check's status becomes for a result. */
export function statusOfResult(result: WelfareResult): WelfareCheckStatus {
  return result === 'safe' ? 'checked-safe' : result;
}

/**
 * The provider holds the check's job: dispatch gave it to them (job.accepted) and it was not cancelled since. A
 * completed job is still theirs to report on (they may complete it in dispatch before recording what they found).
 */
export function holdsCheck(
  providerId: string | undefined,
  check: { providerId?: string; jobStatus: WelfareJobStatus },
): boolean {
  return (
    providerId !== undefined &&
    check.providerId === providerId &&
    (check.jobStatus === 'accepted' || check.jobStatus === 'completed' || check.jobStatus === 'escalated')
  );
}

/** The job is still to be done (a cancellation request may withdraw it). */
export function isJobOpen(jobStatus: WelfareJobStatus): boolean {
  return jobStatus === 'requested' || jobStatus === 'accepted' || jobStatus === 'escalated';
}

/**
 * Staff found the person safe another way (a call, a neighbour) while the job was still open: nobody needs to go,
 * so the job is withdrawn (job.cancellation-requested, origin-resolved). Needs-help and unreachable leave it: then
 * someone should go all the more. The holder's own result completes the job instead (job.progress-reported).
 */
export function withdrawsJobOnResult(
  result: WelfareResult,
  byHolder: boolean,
  check: { jobStatus: WelfareJobStatus; withdrawn: boolean },
): boolean {
  return !byHolder && result === 'safe' && isJobOpen(check.jobStatus) && !check.withdrawn;
}

/** 409: the check has another result and the caller may not overwrite it. */
export class WelfareResultConflictError extends ConflictError {
  override readonly slug = 'result-recorded';
}

export interface RecordedCheck {
  checkId: string;
  status: WelfareCheckStatus;
  version: number;
}

/**
 * What recording `result` on a check does: `unchanged` for the same result again (an answer repeated), `record`
 * when it is the first, or a coordinator's (supervisor's, admin's) correction of another; a provider cannot
 * overwrite a different recorded result (409).
 */
export function resultDecision(
  check: RecordedCheck,
  result: WelfareResult,
  mayOverwrite: boolean,
): 'record' | 'unchanged' {
  const next = statusOfResult(result);
  if (check.status === 'pending') return 'record';
  if (check.status === next) return 'unchanged';
  if (mayOverwrite) return 'record';
  throw new WelfareResultConflictError(
    `welfare check ${check.checkId} is already ${check.status}: only a coordinator may change its result`,
    { status: check.status, version: check.version },
  );
}

/** The board's counts, from the number of checks per status. */
export function boardCounts(byStatus: ReadonlyMap<string, number>): {
  pending: number;
  checkedSafe: number;
  needsHelp: number;
  unreachable: number;
} {
  return {
    pending: byStatus.get('pending') ?? 0,
    checkedSafe: byStatus.get('checked-safe') ?? 0,
    needsHelp: byStatus.get('needs-help') ?? 0,
    unreachable: byStatus.get('unreachable') ?? 0,
  };
}
