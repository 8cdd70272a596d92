// The job's state machine and what each transition does to the job: pure, so every rule is unit-tested here and
// the service only loads, stores (one conditional write with the events) and schedules.
import {
  type EventDefinition,
  jobAccepted,
  jobCancelled,
  jobCompleted,
  jobDeclined,
  jobEscalated,
  jobExpired,
  jobOffered,
  jobStarted,
  JOB_CANCEL_REASONS,
  JOB_DECLINE_REASONS,
  JOB_OUTCOMES,
  JOB_PRIORITIES,
} from '@linli/contracts';
import { ConflictError } from '@linli/platform';

/** The job's statuses, in one place (OpenAPI and the schema read them from here). */
export const JOB_STATUSES = [
  'requested',
  'offered',
  'escalated', // nobody left to offer it to: waits for a supervisor to re-offer or cancel it
  'accepted',
  'started', // the provider checked in on site
  'completed',
  'cancelled',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A provider holds the job (and it counts towards its load) in these. */
export const HELD_STATUSES: readonly JobStatus[] = ['accepted', 'started'];
export const FINAL_STATUSES: readonly JobStatus[] = ['completed', 'cancelled'];

export const OFFER_STATUSES = ['open', 'accepted', 'declined', 'expired', 'withdrawn'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export type JobPriority = (typeof JOB_PRIORITIES)[number];
export type DeclineReason = (typeof JOB_DECLINE_REASONS)[number];
export type JobOutcome = (typeof JOB_OUTCOMES)[number];
export type CancelReason = (typeof JOB_CANCEL_REASONS)[number];

/** The commands that change a job, and the statuses each may start from: the state machine. */
export const JOB_TRANSITIONS = {
  offer: ['requested', 'offered'], // a new round once the previous one has no open offer
  escalate: ['requested', 'offered'],
  reoffer: ['escalated'],
  accept: ['offered'],
  decline: ['offered'],
  expire: ['offered'],
  start: ['accepted'],
  complete: ['started'],
  cancel: ['requested', 'offered', 'escalated', 'accepted', 'started'],
} as const satisfies Record<string, readonly JobStatus[]>;
export type JobCommand = keyof typeof JOB_TRANSITIONS;

export function canApply(command: JobCommand, status: JobStatus): boolean {
  return (JOB_TRANSITIONS[command] as readonly JobStatus[]).includes(status);
}

/** 409 carrying the job's current state, so the caller sees what it lost against. */
export class JobConflictError extends ConflictError {
  override readonly slug = 'job-conflict';
  constructor(
    message: string,
    job: Pick<JobState, 'jobId' | 'status' | 'version'> & { providerId?: string },
  ) {
    super(message, {
      jobId: job.jobId,
      status: job.status,
      version: job.version,
      ...(job.providerId ? { providerId: job.providerId } : {}),
    });
  }
}

export function assertCanApply(command: JobCommand, job: JobState): void {
  if (!canApply(command, job.status)) {
    throw new JobConflictError(`job ${job.jobId} cannot ${command} in status ${job.status}`, job);
  }
}

export interface Offer {
  offerId: string;
  providerId: string;
  providerKind: string;
  round: number;
  status: OfferStatus;
  offeredAt: Date;
  expiresAt: Date;
  answeredAt?: Date;
  declineReason?: DeclineReason;
  note?: string;
}

export interface TimelineEntry {
  at: Date;
  /** What happened: requested, offered, accepted, declined, expired, withdrawn, escalated, reoffered, … */
  type: string;
  /** The job's status after it. */
  status: JobStatus;
  actorId?: string;
  providerId?: string;
  note?: string;
}

/** The job as the rules see it (the stored document minus the outbox). */
export interface JobState {
  jobId: string;
  version: number;
  status: JobStatus;
  origin: { service: string; aggregateId: string };
  category: string;
  skill: string;
  priority: JobPriority;
  jurisdiction: string;
  dueBy?: Date;
  preferredProviderKinds?: string[];
  /** Never offered this job (the requester ruled them out: a mediator's conflict of interest). */
  excludedProviderIds?: string[];
  round: number;
  offers: Offer[];
  providerId?: string;
  providerKind?: string;
  escalated: boolean;
  escalationLevel: number;
  timeline: TimelineEntry[];
  startedAt?: Date;
  checkIn?: { lat: number; lng: number };
  completedAt?: Date;
  outcome?: JobOutcome;
  notes?: string;
  workDone?: string;
  cancelReason?: CancelReason;
  createdAt: Date;
  updatedAt: Date;
}

/** An event the change causes: its contract and its data (enveloped and validated by the service). */
export interface PendingEvent {
  definition: EventDefinition;
  data: Record<string, unknown>;
}

/** A job's change: the state after it, its events, and what the service must do around the write. */
export interface JobChange {
  state: JobState;
  events: PendingEvent[];
  /** Offers opened by the change: each needs its expiry timer. */
  opened: Offer[];
  /** Offers closed by the change: their timers are no longer needed. */
  closed: Offer[];
  /** Answers to offers, for the providers' acceptance rates. */
  outcomes: { providerId: string; outcome: 'accepted' | 'declined' | 'expired' }[];
  /** Providers whose held jobs changed (their load is recounted). */
  holders: string[];
}

export function unchanged(state: JobState): JobChange {
  return { state, events: [], opened: [], closed: [], outcomes: [], holders: [] };
}

/** One change after another, as one write: the second starts from the first's state. */
export function chain(first: JobChange, next: (state: JobState) => JobChange): JobChange {
  const second = next(first.state);
  return {
    state: second.state,
    events: [...first.events, ...second.events],
    opened: [...first.opened, ...second.opened],
    closed: [...first.closed, ...second.closed],
    outcomes: [...first.outcomes, ...second.outcomes],
    holders: [...new Set([...first.holders, ...second.holders])],
  };
}

/** Every event of one write carries the version the job has once that write is stored. */
function ref(job: JobState) {
  return { jobId: job.jobId, version: job.version + 1, jurisdiction: job.jurisdiction };
}

function withTimeline(job: JobState, entry: Omit<TimelineEntry, 'at'>, now: Date): JobState {
  return { ...job, status: entry.status, timeline: [...job.timeline, { at: now, ...entry }], updatedAt: now };
}

export function openOffers(job: JobState): Offer[] {
  return job.offers.filter((offer) => offer.status === 'open');
}

export function offerTo(job: JobState, providerId: string): Offer | undefined {
  // The latest offer to this provider (a re-offer of the whole pool may offer it again).
  return [...job.offers].reverse().find((offer) => offer.providerId === providerId);
}

export interface RoundCandidate {
  providerId: string;
  kind: string;
}

/** A round of offers to the given candidates (already ranked and cut to OFFERS_PER_ROUND) at once. */
export function offerRound(
  job: JobState,
  candidates: readonly RoundCandidate[],
  options: { now: Date; timeoutMs: number; newOfferId: () => string; actorId?: string },
): JobChange {
  assertCanApply('offer', job);
  if (candidates.length === 0) throw new Error('offerRound needs at least one candidate');
  const { now } = options;
  const round = job.round + 1;
  const expiresAt = new Date(now.getTime() + options.timeoutMs);
  const offers: Offer[] = candidates.map((candidate) => ({
    offerId: options.newOfferId(),
    providerId: candidate.providerId,
    providerKind: candidate.kind,
    round,
    status: 'open',
    offeredAt: now,
    expiresAt,
  }));
  let state: JobState = { ...job, round, offers: [...job.offers, ...offers] };
  state = withTimeline(
    state,
    {
      type: 'offered',
      status: 'offered',
      note: `round ${round}: ${offers.map((offer) => offer.providerId).join(', ')}`,
      ...(options.actorId ? { actorId: options.actorId } : {}),
    },
    now,
  );
  return {
    ...unchanged(state),
    events: offers.map((offer) => ({
      definition: jobOffered,
      data: {
        ...ref(job),
        offerId: offer.offerId,
        providerId: offer.providerId,
        providerKind: offer.providerKind,
        round,
        expiresAt: offer.expiresAt.toISOString(),
      },
    })),
    opened: offers,
  };
}

/** Nobody is left to offer the job to: supervisors must act (re-offer once providers exist, or cancel). */
export function escalate(
  job: JobState,
  reason: 'no-provider' | 'deadline-missed' | 'manual',
  now: Date,
  actorId?: string,
): JobChange {
  assertCanApply('escalate', job);
  const level = job.escalationLevel + 1;
  const state = withTimeline(
    { ...job, escalated: true, escalationLevel: level },
    {
      type: 'escalated',
      status: 'escalated',
      note: `${reason}, level ${level}`,
      ...(actorId ? { actorId } : {}),
    },
    now,
  );
  return {
    ...unchanged(state),
    events: [
      {
        definition: jobEscalated,
        data: { ...ref(job), reason, level, ...(actorId ? { actorId } : {}) },
      },
    ],
  };
}

/** The first provider to accept holds the job; every other open offer is withdrawn. */
export function accept(job: JobState, providerId: string, actorId: string, now: Date): JobChange {
  assertCanApply('accept', job);
  const mine = offerTo(job, providerId);
  if (!mine) throw new JobConflictError(`job ${job.jobId} was not offered to ${providerId}`, job);
  if (mine.status !== 'open') {
    throw new JobConflictError(`the offer of job ${job.jobId} to ${providerId} is ${mine.status}`, job);
  }
  const closed: Offer[] = [];
  const offers = job.offers.map((offer): Offer => {
    if (offer.status !== 'open') return offer;
    const answered: Offer = {
      ...offer,
      status: offer.offerId === mine.offerId ? 'accepted' : 'withdrawn',
      answeredAt: now,
    };
    closed.push(answered);
    return answered;
  });
  const withdrawn = closed.filter((offer) => offer.status === 'withdrawn').map((offer) => offer.providerId);
  const state = withTimeline(
    {
      ...job,
      offers,
      providerId,
      providerKind: mine.providerKind,
      escalated: false,
    },
    {
      type: 'accepted',
      status: 'accepted',
      actorId,
      providerId,
      ...(withdrawn.length ? { note: `offers withdrawn from ${withdrawn.join(', ')}` } : {}),
    },
    now,
  );
  return {
    ...unchanged(state),
    events: [
      {
        definition: jobAccepted,
        data: { ...ref(job), offerId: mine.offerId, providerId, providerKind: mine.providerKind, actorId },
      },
    ],
    closed,
    outcomes: [{ providerId, outcome: 'accepted' }],
    holders: [providerId],
  };
}

/** A provider turns its open offer down. The caller opens the next round when no offer is left open. */
export function decline(
  job: JobState,
  providerId: string,
  answer: { reason: DeclineReason; note?: string; actorId: string },
  now: Date,
): JobChange {
  assertCanApply('decline', job);
  const mine = offerTo(job, providerId);
  if (!mine) throw new JobConflictError(`job ${job.jobId} was not offered to ${providerId}`, job);
  if (mine.status !== 'open') {
    throw new JobConflictError(`the offer of job ${job.jobId} to ${providerId} is ${mine.status}`, job);
  }
  const declined: Offer = {
    ...mine,
    status: 'declined',
    answeredAt: now,
    declineReason: answer.reason,
    ...(answer.note ? { note: answer.note } : {}),
  };
  const state = withTimeline(
    { ...job, offers: job.offers.map((offer) => (offer.offerId === mine.offerId ? declined : offer)) },
    {
      type: 'declined',
      status: job.status,
      actorId: answer.actorId,
      providerId,
      note: answer.note ? `${answer.reason}: ${answer.note}` : answer.reason,
    },
    now,
  );
  return {
    ...unchanged(state),
    events: [
      {
        definition: jobDeclined,
        data: {
          ...ref(job),
          offerId: mine.offerId,
          providerId,
          providerKind: mine.providerKind,
          reason: answer.reason,
          actorId: answer.actorId,
        },
      },
    ],
    closed: [declined],
    outcomes: [{ providerId, outcome: 'declined' }],
  };
}

/**
 * The offer's timer fired. Null when there is nothing to do (the offer was answered or withdrawn meanwhile, or
 * the job moved on): a late or repeated timer is harmless.
 */
export function expire(job: JobState, offerId: string, now: Date): JobChange | null {
  const offer = job.offers.find((candidate) => candidate.offerId === offerId);
  if (!offer || offer.status !== 'open' || !canApply('expire', job.status)) return null;
  const expired: Offer = { ...offer, status: 'expired', answeredAt: now };
  const state = withTimeline(
    { ...job, offers: job.offers.map((candidate) => (candidate.offerId === offerId ? expired : candidate)) },
    { type: 'expired', status: job.status, providerId: offer.providerId },
    now,
  );
  return {
    ...unchanged(state),
    events: [
      {
        definition: jobExpired,
        data: { ...ref(job), offerId, providerId: offer.providerId, providerKind: offer.providerKind },
      },
    ],
    outcomes: [{ providerId: offer.providerId, outcome: 'expired' }],
  };
}

/** True when the round is over (no offer open) and the job still waits for a provider. */
export function needsNextRound(job: JobState): boolean {
  return (job.status === 'offered' || job.status === 'requested') && openOffers(job).length === 0;
}

/** A supervisor puts an escalated job back on the board; the service then opens a round. */
export function reopenForOffers(job: JobState, actorId: string, now: Date): JobChange {
  assertCanApply('reoffer', job);
  const state = withTimeline(
    { ...job, escalated: false },
    { type: 'reoffered', status: 'requested', actorId },
    now,
  );
  return unchanged(state);
}

/** The transitions a progress report (job.progress-reported) asks of the job, in order. */
export type ProgressStep = 'start' | 'complete';

/**
 * What a progress report from the requesting service does to the job: the steps still to apply (none when the job
 * is already there: a repeated report), or why it is ignored (the reporter's provider does not hold the job, or
 * the job was cancelled). A completion for a job not started yet starts it first, as the provider would have.
 */
export function progressDecision(
  job: Pick<JobState, 'status' | 'providerId'>,
  providerId: string,
  step: 'started' | 'completed',
): { steps: ProgressStep[]; ignore?: undefined } | { steps?: undefined; ignore: string } {
  if (job.status === 'cancelled') return { ignore: 'the job was cancelled' };
  if (!job.providerId || job.providerId !== providerId) {
    return { ignore: 'the provider does not hold the job' };
  }
  switch (job.status) {
    case 'accepted':
      return { steps: step === 'started' ? ['start'] : ['start', 'complete'] };
    case 'started':
      return { steps: step === 'started' ? [] : ['complete'] };
    case 'completed':
      return { steps: [] };
    default:
      return { ignore: `the job is ${job.status}` };
  }
}

function assertHolder(job: JobState, providerId: string): void {
  if (job.providerId !== providerId) {
    throw new JobConflictError(`job ${job.jobId} is not held by ${providerId}`, job);
  }
}

/** Check-in on site. */
export function start(
  job: JobState,
  providerId: string,
  actorId: string,
  now: Date,
  location?: { lat: number; lng: number },
): JobChange {
  assertCanApply('start', job);
  assertHolder(job, providerId);
  const state = withTimeline(
    { ...job, startedAt: now, ...(location ? { checkIn: location } : {}) },
    { type: 'started', status: 'started', actorId, providerId },
    now,
  );
  return {
    ...unchanged(state),
    events: [
      {
        definition: jobStarted,
        data: { ...ref(job), providerId, providerKind: job.providerKind, actorId },
      },
    ],
  };
}

export function complete(
  job: JobState,
  providerId: string,
  report: { outcome: JobOutcome; notes?: string; workDone?: string; actorId: string },
  now: Date,
): JobChange {
  assertCanApply('complete', job);
  assertHolder(job, providerId);
  const state = withTimeline(
    {
      ...job,
      completedAt: now,
      outcome: report.outcome,
      ...(report.notes !== undefined ? { notes: report.notes } : {}),
      ...(report.workDone !== undefined ? { workDone: report.workDone } : {}),
    },
    { type: 'completed', status: 'completed', actorId: report.actorId, providerId, note: report.outcome },
    now,
  );
  return {
    ...unchanged(state),
    events: [
      {
        definition: jobCompleted,
        data: {
          ...ref(job),
          providerId,
          providerKind: job.providerKind,
          outcome: report.outcome,
          actorId: report.actorId,
        },
      },
    ],
    holders: [providerId],
  };
}

/** Cancelled by the requester (or a supervisor): open offers withdrawn, the holder released. */
export function cancel(
  job: JobState,
  reason: CancelReason,
  now: Date,
  options: { actorId?: string; note?: string } = {},
): JobChange {
  assertCanApply('cancel', job);
  const closed: Offer[] = [];
  const offers = job.offers.map((offer): Offer => {
    if (offer.status !== 'open') return offer;
    const withdrawn: Offer = { ...offer, status: 'withdrawn', answeredAt: now };
    closed.push(withdrawn);
    return withdrawn;
  });
  const state = withTimeline(
    { ...job, offers, cancelReason: reason, escalated: false },
    {
      type: 'cancelled',
      status: 'cancelled',
      note: options.note ? `${reason}: ${options.note}` : reason,
      ...(options.actorId ? { actorId: options.actorId } : {}),
    },
    now,
  );
  return {
    ...unchanged(state),
    events: [
      {
        definition: jobCancelled,
        data: {
          ...ref(job),
          reason,
          ...(job.providerId ? { providerId: job.providerId } : {}),
          ...(options.actorId ? { actorId: options.actorId } : {}),
        },
      },
    ],
    closed,
    holders: job.providerId ? [job.providerId] : [],
  };
}
