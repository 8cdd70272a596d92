// The case's state machine and the shape of its state: which command may move a case from which status. Pure: no
// Nest, no mongoose, no I/O (unit-tested in case.rules.spec.ts).
import type {
  ASSIGNMENT_ROUTES,
  CASE_CLOSE_REASONS,
  CASE_ESCALATION_REASONS,
  CASE_RISK_LEVELS,
  CASE_SOURCES,
  CASE_TYPES,
  FOLLOW_UP_PLANS,
  MEDIATION_OUTCOMES,
  MEDIATOR_RELEASE_REASONS,
  REFERRAL_TARGETS,
} from '@linli/contracts';
import { ConflictError } from '@linli/platform';

/**
 * open: waiting for a mediator (offered through dispatch, or escalated for want of one); assigned: a mediator holds
 * it, no session yet; in-mediation: sessions scheduled or held; agreed: an agreement, its follow-ups pending;
 * closed: nothing more happens (agreement kept, failed, referred or withdrawn).
 */
export const CASE_STATUSES = ['open', 'assigned', 'in-mediation', 'agreed', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const OPEN_CASE_STATUSES = ['open', 'assigned', 'in-mediation'] as const;

export type CaseType = (typeof CASE_TYPES)[number];
export type RiskLevel = (typeof CASE_RISK_LEVELS)[number];
export type CaseSource = (typeof CASE_SOURCES)[number];
export type MediationOutcome = (typeof MEDIATION_OUTCOMES)[number];
export type ReferralTarget = (typeof REFERRAL_TARGETS)[number];
export type AssignmentRoute = (typeof ASSIGNMENT_ROUTES)[number];
export type ReleaseReason = (typeof MEDIATOR_RELEASE_REASONS)[number];
export type EscalationReason = (typeof CASE_ESCALATION_REASONS)[number];
export type CloseReason = (typeof CASE_CLOSE_REASONS)[number];
export type FollowUpPlan = (typeof FOLLOW_UP_PLANS)[number];

export const PARTY_ROLES = ['applicant', 'respondent', 'other'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];
export const SESSION_STATUSES = ['scheduled', 'held', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const FOLLOW_UP_STATUSES = ['scheduled', 'due', 'recorded', 'cancelled'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/** A party to the dispute. name, phone, identityNumber are personal data (encrypted at rest in issue 7). */
export interface Party {
  partyId: string; // P1, P2… within the case
  role: PartyRole;
  name: string;
  phone?: string;
  identityNumber?: string;
  /** Keyed hashes (PERSONAL_HASH_KEY) of the phone and identity number: what conflicts are matched on. */
  phoneHash?: string;
  identityHash?: string;
}

export interface Session {
  sessionId: string; // S1, S2…
  scheduledFor: Date;
  place: string;
  status: SessionStatus;
  /** Times the session was moved. */
  rescheduled: number;
  attendance?: Array<{ partyId: string; present: boolean }>;
  minutes?: string;
  heldAt?: Date;
  /** The reminders before it: one entry per lead and arming (see sessions/session.rules.ts). */
  reminders: SessionReminder[];
  /** The Idempotency-Key it was scheduled under (ADR 0035): a retry finds its session here. */
  idempotency?: { key: string; request: string };
}

/**
 * A reminder before a session (MediationJobs.sessionReminder). pending: its timer is set; sent: it went out;
 * cancelled: the session was moved too close, called off or held. A lead sent and then brought ahead again by a move
 * is armed anew with the next `round` (the job id of a run reminder cannot be moved).
 */
export interface SessionReminder {
  leadMs: number;
  /** The lead as events and people read it (at least 1). */
  leadMinutes: number;
  dueAt: Date;
  round: number;
  status: 'pending' | 'sent' | 'cancelled';
  sentAt?: Date;
}

export interface AgreementTerm {
  termId: string; // T1, T2…
  text: string;
  dueDate: string; // YYYY-MM-DD, China date
}

export interface Outcome {
  kind: MediationOutcome;
  reason: string;
  at: Date;
  actorId: string;
  withinTimeLimit: boolean;
  agreement?: { text: string; terms: AgreementTerm[]; followUpPlan: FollowUpPlan };
  referredTo?: ReferralTarget;
}

export interface FollowUp {
  followUpId: string; // F1, F2…
  dueAt: Date;
  termIds: string[];
  status: FollowUpStatus;
  result?: {
    terms: Array<{ termId: string; kept: boolean; note?: string }>;
    decision: 'continue' | 'close' | 'reopen' | 'refer';
    note?: string;
    at: Date;
    actorId: string;
  };
}

export interface Assignment {
  mediatorId: string;
  via: AssignmentRoute;
  jobId?: string;
  providerKind?: string;
  at: Date;
  actorId?: string;
}

/** The case's request for a mediator in dispatch: `<caseId>-M<attempt>`. */
export interface MediatorRequest {
  jobId: string;
  attempt: number;
  status: 'requested' | 'accepted' | 'escalated' | 'cancelled';
  excluded: string[];
  at: Date;
}

export interface Escalation {
  reason: EscalationReason;
  escalatedTo: string;
  level: number;
  at: Date;
  actorId?: string;
  note?: string;
  /** For a time-limit breach: the limit that was breached (each limit escalates once). */
  timeLimitAt?: Date;
}

export interface TimelineEntry {
  at: Date;
  what: string;
  actorId?: string;
  note?: string;
}

export interface CaseState {
  caseId: string;
  version: number;
  status: CaseStatus;
  caseType: CaseType;
  riskLevel: RiskLevel;
  source: CaseSource;
  ticketId?: string;
  /** The community's 12-digit code: the case's jurisdiction. */
  communityCode: string;
  description: string; // personal (may name people)
  parties: Party[];
  openedAt: Date;
  openedBy?: string;
  timeLimitAt: Date;
  extension?: { at: Date; actorId: string; reason: string; previousTimeLimitAt: Date };
  mediator?: Assignment;
  request?: MediatorRequest;
  /** Mediators who recused (conflict) or were moved off: never offered this case again. */
  released: Array<{ mediatorId: string; reason: ReleaseReason; at: Date; actorId?: string }>;
  sessions: Session[];
  outcome?: Outcome;
  /** Outcomes set aside when an agreement's term was not kept (the case reopened or was referred). */
  previousOutcomes?: Outcome[];
  followUps: FollowUp[];
  escalations: Escalation[];
  closed?: { reason: CloseReason; at: Date; actorId?: string };
  timeline: TimelineEntry[];
}

export type CaseCommand =
  | 'update'
  | 'assign'
  | 'release'
  | 'schedule-session'
  | 'reschedule-session'
  | 'cancel-session'
  | 'record-session'
  | 'extend'
  | 'record-outcome'
  | 'record-follow-up'
  | 'withdraw'
  | 'escalate';

/** From which statuses each command is allowed. The finer conditions (a session held, one extension) are below. */
export const TRANSITIONS: Record<CaseCommand, readonly CaseStatus[]> = {
  update: ['open', 'assigned', 'in-mediation'],
  // From open: the first mediator; from assigned or in-mediation: a reassignment (the previous one released).
  assign: ['open', 'assigned', 'in-mediation'],
  release: ['assigned', 'in-mediation'],
  'schedule-session': ['assigned', 'in-mediation'],
  'reschedule-session': ['in-mediation'],
  'cancel-session': ['in-mediation'],
  'record-session': ['in-mediation'],
  extend: ['open', 'assigned', 'in-mediation'],
  'record-outcome': ['in-mediation'],
  'record-follow-up': ['agreed'],
  withdraw: ['open', 'assigned', 'in-mediation', 'agreed'],
  escalate: ['open', 'assigned', 'in-mediation'],
};

/** 409 for a command the case's state does not allow, with the reason in words and the case's status and version. */
export class CaseConflictError extends ConflictError {
  override readonly slug = 'illegal-transition';
  constructor(
    readonly command: CaseCommand,
    state: Pick<CaseState, 'caseId' | 'status' | 'version'>,
    reason?: string,
  ) {
    super(reason ?? `case ${state.caseId} is ${state.status}: ${command} is not allowed`, {
      status: state.status,
      version: state.version,
    });
  }
}

export function canApply(command: CaseCommand, status: CaseStatus): boolean {
  return TRANSITIONS[command].includes(status);
}

export function assertCan(
  command: CaseCommand,
  state: Pick<CaseState, 'caseId' | 'status' | 'version'>,
): void {
  if (!canApply(command, state.status)) throw new CaseConflictError(command, state);
}

// ---- opening, the mediator, time limits and escalation ---------------------------------------------------------------

const DAY_MS = 24 * 3_600_000;

/** A case opened by hand: `C<yyyyMMdd>-<6 digits>`, the China date and the day's counter. */
export function caseIdOf(chinaDay: string, sequence: number): string {
  return `C${chinaDay.replace(/-/g, '')}-${String(sequence).padStart(6, '0')}`;
}

/** A ticket's case: derived from the ticket, so a redelivered ticket.routed opens nothing twice. */
export function caseIdOfTicket(ticketId: string): string {
  return `C-${ticketId}`;
}

/** The dispatch job of a case's n-th request for a mediator. */
export function mediatorJobId(caseId: string, attempt: number): string {
  return `${caseId}-M${attempt}`;
}

/** The case and attempt of a mediator job id, or undefined for anybody else's job. */
export function caseOfMediatorJob(jobId: string): { caseId: string; attempt: number } | undefined {
  const match = /^(C[A-Za-z0-9._:-]*)-M([1-9]\d*)$/.exec(jobId);
  return match ? { caseId: match[1], attempt: Number(match[2]) } : undefined;
}

/** How urgently dispatch must find a mediator: a dispute that may turn violent at once. */
export function jobPriorityOf(riskLevel: RiskLevel): 'immediate' | 'urgent' | 'routine' {
  return riskLevel === 'high' ? 'immediate' : riskLevel === 'medium' ? 'urgent' : 'routine';
}

/** A ticket's case is high risk when the ticket was triaged as danger to life or property, else medium. */
export function riskOfTicketPriority(priority: string | undefined): RiskLevel {
  return priority === 'danger' ? 'high' : 'medium';
}

/** The time limit of a case opened at `openedAt`: fixed by its type at opening; only an extension moves it. */
export function timeLimitFor(
  caseType: CaseType,
  openedAt: Date,
  limitsByType: Readonly<Record<CaseType, number>>,
): Date {
  return new Date(openedAt.getTime() + limitsByType[caseType]);
}

/** The outcome's flag once there is one; before, whether the limit has not passed yet. */
export function withinTimeLimit(state: Pick<CaseState, 'outcome' | 'timeLimitAt'>, now: Date): boolean {
  return state.outcome ? state.outcome.withinTimeLimit : now.getTime() <= state.timeLimitAt.getTime();
}

/**
 * The parent code one level up (community 12 → street 9 → district 6 → city 4 → province 2); a province stays a
 * province (there is nothing above it on the platform).
 */
export function parentJurisdiction(code: string): string {
  const lengths = [12, 9, 6, 4, 2];
  const index = lengths.indexOf(code.length);
  if (index < 0) throw new Error(`not an administrative code: ${code}`);
  return index === lengths.length - 1 ? code : code.slice(0, lengths[index + 1]);
}

/** Where the next escalation goes: one level above the last one's target (the first: above the community). */
export function nextEscalation(state: Pick<CaseState, 'communityCode' | 'escalations'>): {
  escalatedTo: string;
  level: number;
} {
  const last = state.escalations[state.escalations.length - 1];
  return {
    escalatedTo: parentJurisdiction(last ? last.escalatedTo : state.communityCode),
    level: state.escalations.length + 1,
  };
}

/**
 * Whether the time-limit timer firing at `now` must escalate the case: it has no outcome, is not closed, its
 * (current) limit has passed, and that limit has not escalated yet. A redelivered timer, or the timer of a limit
 * since extended, finds nothing to do.
 */
export function isTimeLimitBreach(state: CaseState, now: Date): boolean {
  if (state.outcome || state.status === 'closed' || state.status === 'agreed') return false;
  if (state.timeLimitAt.getTime() > now.getTime()) return false;
  return !state.escalations.some(
    (escalation) =>
      escalation.reason === 'time-limit-breached' &&
      escalation.timeLimitAt?.getTime() === state.timeLimitAt.getTime(),
  );
}

/**
 * The new limit of the one extension, or the reason in words it is refused (409): once per case, never after the
 * outcome; `days` (1.. ceil(max/day)) after the current limit, or `untilAt` after it and at most `maxExtensionMs`
 * later (400 naming the field when not).
 */
export function extendedTimeLimit(
  state: CaseState,
  input: { days?: number; untilAt?: Date },
  maxExtensionMs: number,
): { timeLimitAt: Date } | { conflict: string } | { field: string; message: string } {
  if (state.extension) return { conflict: 'the time limit was already extended once' };
  if (state.outcome)
    return { conflict: `case ${state.caseId} has its outcome: its time limit no longer runs` };
  if (state.status === 'closed') return { conflict: `case ${state.caseId} is closed` };
  const current = state.timeLimitAt.getTime();
  if (input.days !== undefined) {
    const maxDays = maxExtensionDays(maxExtensionMs);
    if (!Number.isInteger(input.days) || input.days < 1 || input.days > maxDays)
      return { field: 'days', message: `must be a whole number of days from 1 to ${maxDays}` };
    return { timeLimitAt: new Date(current + input.days * DAY_MS) };
  }
  if (input.untilAt !== undefined) {
    const until = input.untilAt.getTime();
    if (until <= current) return { field: 'untilAt', message: 'must be after the current time limit' };
    if (until - current > maxExtensionMs)
      return {
        field: 'untilAt',
        message: `must be at most ${maxExtensionMs} ms after the current time limit`,
      };
    return { timeLimitAt: new Date(until) };
  }
  return { field: 'days', message: 'days or untilAt is required' };
}

export function maxExtensionDays(maxExtensionMs: number): number {
  return Math.ceil(maxExtensionMs / DAY_MS);
}

/**
 * Who dispatch must never offer the case: every mediator who declared a conflict with one of its parties, and
 * every mediator released from it (whatever the reason). Sorted, no repeats.
 */
export function excludedMediators(
  state: Pick<CaseState, 'released'>,
  conflicted: readonly string[],
): string[] {
  return [...new Set([...conflicted, ...state.released.map((release) => release.mediatorId)])].sort();
}

/** The mediator holding the case is the caller (a mediator user's providerId is their id in dispatch). */
export function holdsCase(
  actor: { roles: readonly string[]; providerId?: string },
  state: Pick<CaseState, 'mediator'>,
): boolean {
  return (
    actor.roles.includes('mediator') &&
    actor.providerId !== undefined &&
    state.mediator?.mediatorId === actor.providerId
  );
}

/** Parties' personal data and the case's texts in whole: the mediator holding it, supervisors and admins. */
export function seesPersonalData(
  actor: { roles: readonly string[]; providerId?: string },
  state: Pick<CaseState, 'mediator'>,
): boolean {
  return actor.roles.includes('supervisor') || actor.roles.includes('admin') || holdsCase(actor, state);
}

export interface PartyInput {
  role: PartyRole;
  name: string;
  phone?: string;
  identityNumber?: string;
}

/**
 * The new list of parties: one whose name and phone equal a current party's keeps its partyId (and the first such
 * match only); the others get the next numbers, after every number the case has used (parties now, and those
 * named in sessions' attendance), so a removed party's id never comes back for someone else.
 */
export function replaceParties(
  current: readonly Party[],
  sessions: readonly Pick<Session, 'attendance'>[],
  incoming: readonly (PartyInput & Pick<Party, 'phoneHash' | 'identityHash'>)[],
): Party[] {
  const used = [
    ...current.map((party) => party.partyId),
    ...sessions.flatMap((session) => (session.attendance ?? []).map((entry) => entry.partyId)),
  ];
  let next = Math.max(0, ...used.map((id) => Number(/^P(\d+)$/.exec(id)?.[1] ?? 0))) + 1;
  const kept = new Set<string>();
  return incoming.map((party) => {
    const same = current.find(
      (candidate) =>
        !kept.has(candidate.partyId) &&
        candidate.name === party.name &&
        (candidate.phone ?? '') === (party.phone ?? ''),
    );
    const partyId = same ? same.partyId : `P${next++}`;
    kept.add(partyId);
    return withoutUndefined({ ...party, partyId });
  });
}

/** Parties numbered P1… in the order given (a new case). */
export function numberParties(
  incoming: readonly (PartyInput & Pick<Party, 'phoneHash' | 'identityHash'>)[],
): Party[] {
  return incoming.map((party, index) => withoutUndefined({ ...party, partyId: `P${index + 1}` }));
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** After a mediator takes (or retakes) the case: in mediation when sessions were already held, else assigned. */
export function statusWhenAssigned(state: Pick<CaseState, 'sessions'>): CaseStatus {
  return state.sessions.some((session) => session.status === 'held') ? 'in-mediation' : 'assigned';
}
