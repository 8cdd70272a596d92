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
  assign: ['open'],
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
