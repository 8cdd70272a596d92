// The ticket's state machine: which command may move a ticket from which status, and the state a ticket holds.
// Pure (no Nest, no mongoose): the table is read here and unit-tested row by row.
import type {
  TICKET_CANCEL_REASONS,
  TICKET_CHANNELS,
  TICKET_CLOSE_REASONS,
  TICKET_RESOLUTIONS,
  ServiceCategory,
  ServiceClass,
} from '@linli/contracts';
import { ConflictError } from '@linli/platform';
import type { TicketPriority, TicketRoute } from '../catalogue/catalogue.types';

export const TICKET_STATUSES = [
  'new',
  'triaged',
  'routed',
  'dispatched',
  'assigned',
  'in-progress',
  'resolved',
  'closed',
  'cancelled',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Someone is still to do something about it: a cancel is allowed, the service levels run. */
export const OPEN_STATUSES = ['new', 'triaged', 'routed', 'dispatched', 'assigned', 'in-progress'] as const;
/** A job for a provider exists and is not finished: a cancel must withdraw it. */
export const JOB_OPEN_STATUSES = ['dispatched', 'assigned', 'in-progress'] as const;

/** Groups in special hardship (特殊困难群体) a reporter can be flagged with; each raises the priority one class. */
export const VULNERABLE_GROUPS = [
  'elderly-alone',
  'disabled',
  'pregnant',
  'child',
  'low-income',
  'mental-disorder',
  'left-behind-child',
] as const;

export const ADDRESS_MAX_LENGTH = 200;
export const NAME_MAX_LENGTH = 50;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];
export type TicketResolution = (typeof TICKET_RESOLUTIONS)[number];
export type TicketCloseReason = (typeof TICKET_CLOSE_REASONS)[number];
export type TicketCancelReason = (typeof TICKET_CANCEL_REASONS)[number];

export type TicketCommand =
  | 'triage'
  | 'route'
  | 'dispatch'
  | 'accept'
  | 'start'
  | 'complete'
  | 'resolve'
  | 'close'
  | 'cancel'
  | 'reopen'
  | 'reprioritise'
  | 'record-callback';

/**
 * From which statuses each command is allowed, and where it leads (`undefined`: the status stays). `complete`
 * also starts from `assigned`: a provider who finishes without checking in has still done the work. `resolve` is
 * the operator's hand for tickets a specialised service took over (routed).
 */
export const TRANSITIONS: Record<TicketCommand, { from: readonly TicketStatus[]; to?: TicketStatus }> = {
  triage: { from: ['new'], to: 'triaged' },
  route: { from: ['triaged'], to: 'routed' },
  dispatch: { from: ['triaged'], to: 'dispatched' },
  accept: { from: ['dispatched'], to: 'assigned' },
  start: { from: ['assigned'], to: 'in-progress' },
  complete: { from: ['assigned', 'in-progress'], to: 'resolved' },
  resolve: { from: ['routed'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  cancel: { from: OPEN_STATUSES, to: 'cancelled' },
  reopen: { from: ['resolved', 'closed'], to: 'triaged' },
  reprioritise: { from: ['triaged', 'routed', 'dispatched', 'assigned', 'in-progress'] },
  'record-callback': { from: ['resolved'] },
};

export function canApply(command: TicketCommand, status: TicketStatus): boolean {
  return TRANSITIONS[command].from.includes(status);
}

/** 409 carrying the state the client lost against (`current: {status, version}`). */
export class IllegalTransitionError extends ConflictError {
  override readonly slug = 'illegal-transition';
  constructor(command: TicketCommand, ticket: Pick<TicketState, 'ticketId' | 'status' | 'version'>) {
    super(`ticket ${ticket.ticketId} is ${ticket.status}: ${command} is not allowed`, {
      status: ticket.status,
      version: ticket.version,
    });
  }
}

export function assertCan(
  command: TicketCommand,
  ticket: Pick<TicketState, 'ticketId' | 'status' | 'version'>,
): void {
  if (!canApply(command, ticket.status)) throw new IllegalTransitionError(command, ticket);
}

/**
 * A resolved ticket can always be reopened; a closed one only within `windowMs` of its closing (the resident calls
 * again about the same thing), after that it is a new ticket.
 */
export function canReopen(
  ticket: Pick<TicketState, 'status' | 'closedAt'>,
  now: Date,
  windowMs: number,
): boolean {
  if (ticket.status === 'resolved') return true;
  if (ticket.status !== 'closed' || !ticket.closedAt) return false;
  return now.getTime() - ticket.closedAt.getTime() <= windowMs;
}

export interface TimelineEntry {
  at: Date;
  /** Absent on the first entry (the ticket came into being). */
  from?: TicketStatus;
  to: TicketStatus;
  actorId?: string;
  role?: string;
  reason?: string;
  note?: string;
  /** The consumed event this entry came from: a redelivered event finds it and changes nothing. */
  eventId?: string;
}

export type DeadlineKind = 'accept' | 'resolve';

export interface ServiceLevelBreach {
  kind: DeadlineKind;
  dueAt: Date;
  at: Date;
  /** The deadlines' revision it breached (a re-prioritisation starts a new one). */
  revision: number;
}

export interface ServiceLevelState {
  /** When the clock started: intake, or the reopening. */
  startedAt: Date;
  acceptDueAt: Date;
  resolveDueAt: Date;
  /** Bumped whenever the deadlines are set again; timers carry it so a stale one does nothing. */
  revision: number;
  breached: boolean;
  breaches: ServiceLevelBreach[];
}

export const CALLBACK_STATUSES = ['scheduled', 'due', 'answered', 'unreachable'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

/** The follow-up call (回访) after a resolution. */
export interface CallbackState {
  dueAt: Date;
  /** Unanswered attempts so far. */
  attempts: number;
  status: CallbackStatus;
  /** Which resolution of the ticket this call-back follows (1, then 2 after a reopen…): part of the timer ids. */
  round: number;
}

export interface Reporter {
  name?: string;
  phone?: string;
  /** HMAC of the normalised phone: the duplicate lookup works on it, whatever happens to the phone at rest. */
  phoneHash?: string;
  vulnerable: string[];
}

export interface Place {
  communityCode: string;
  address: string;
  location?: { lat: number; lng: number };
}

export interface TicketState {
  ticketId: string;
  status: TicketStatus;
  channel: TicketChannel;
  category: ServiceCategory;
  serviceClass: ServiceClass;
  reporter: Reporter;
  place: Place;
  description: string;
  /** The community's code: every query is scoped by it. */
  jurisdiction: string;
  priority: { level: TicketPriority; source: 'rules' | 'override'; reason?: string };
  likelyDuplicateOf?: string;
  sourceVisitId?: string;
  routedTo?: TicketRoute;
  /** The current job in dispatch; events about any other job are not this ticket's business. */
  jobId?: string;
  /** Jobs requested so far (a reopening requests a new one). */
  jobCount: number;
  /**
   * Who holds the ticket's work: the provider that accepted its job, or the mediator holding its mediation case
   * (providerKind absent when mediation did not say it).
   */
  assignment?: { providerId: string; providerKind?: string; acceptedAt: Date };
  /** Dispatch found nobody for the job in time: supervisors must act. */
  jobEscalated: boolean;
  serviceLevel: ServiceLevelState;
  callback?: CallbackState;
  satisfaction?: { score: number; comment?: string; at: Date };
  resolution?: TicketResolution;
  resolvedAt?: Date;
  closedAt?: Date;
  closeReason?: TicketCloseReason;
  cancelReason?: TicketCancelReason;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  timeline: TimelineEntry[];
}

/** The ticket after `command`, with its timeline entry (the caller has checked the command is allowed). */
export function transition(
  ticket: TicketState,
  command: TicketCommand,
  entry: Omit<TimelineEntry, 'from' | 'to'>,
  changes: Partial<TicketState> = {},
): TicketState {
  const to = TRANSITIONS[command].to ?? ticket.status;
  return {
    ...ticket,
    ...changes,
    status: to,
    updatedAt: entry.at,
    timeline: [...ticket.timeline, { ...entry, from: ticket.status, to }],
  };
}

/** A timeline entry that changes no status (a job offer lapsed, a deadline passed, the priority was changed). */
export function note(
  ticket: TicketState,
  entry: Omit<TimelineEntry, 'from' | 'to'>,
  changes: Partial<TicketState> = {},
): TicketState {
  return {
    ...ticket,
    ...changes,
    updatedAt: entry.at,
    timeline: [...ticket.timeline, { ...entry, from: ticket.status, to: ticket.status }],
  };
}

/**
 * The provider (or mediator) holding the ticket's work, while it holds it: the job accepted and not finished, or
 * the ticket routed to mediation whose case the mediator holds. Only the holder sees the resident's contact.
 */
export function holdsTicket(
  ticket: Pick<TicketState, 'status' | 'routedTo' | 'assignment'>,
  providerId: string | undefined,
): boolean {
  if (providerId === undefined || ticket.assignment?.providerId !== providerId) return false;
  if (ticket.status === 'assigned' || ticket.status === 'in-progress') return true;
  return ticket.status === 'routed' && ticket.routedTo === 'mediation';
}

/** Job ids are the ticket's id and the job's number: a repeated request for the same round is the same job. */
export function jobIdOf(ticketId: string, jobNumber: number): string {
  return `${ticketId}-J${jobNumber}`;
}

/** The ticket a job id was made for by jobIdOf; undefined for other services' jobs. */
export function ticketIdOfJob(jobId: string): string | undefined {
  return /^(.+)-J[0-9]+$/.exec(jobId)?.[1];
}

/**
 * A ticket id an operator can read out on the phone (工单号): T, the date in China, a daily sequence, e.g.
 * T20261129-000123. The sequence grows past six digits rather than wrap.
 */
export function formatTicketId(chinaDay: string, sequence: number): string {
  return `T${chinaDay.replace(/-/g, '')}-${String(sequence).padStart(6, '0')}`;
}
