// The read models ("facts") the indicators are computed from: one record per thing counted, projected from the
// domain events by insights' consumers. Plain data only (no Nest, no mongoose) so the arithmetic beside this file
// stays pure and unit-tested.
//
// Conventions every fact follows:
// - Times are `Date` (UTC instants; mongo stores them as dates, so range queries work). Periods are cut in
//   Asia/Shanghai by periods.ts, never here.
// - `jurisdiction` is the division code the thing belongs to (a community's 12 digits for tickets, jobs, elders,
//   visits and cases; the issuing level's code for alerts). A node's facts are those whose jurisdiction starts
//   with the node's code.
// - `version` is the aggregate version of the last event applied (from the event's data): a projection applies
//   an event when its version is higher, or equal with an event id not yet applied at that version (one command's
//   several events share a version: ticket.created, triaged and routed are all version 0), so a replayed or
//   repeated event changes nothing. Facts fed by several aggregates (alert recipients) are upserts of set-once
//   fields instead.
// - An optional field is absent (undefined / not stored) until the event that sets it arrives; `null` is not used.
import type {
  CARE_SERVICES,
  HARDSHIP_FLAGS,
  LIVING_SITUATIONS,
  MEDIATION_OUTCOMES,
  PROVIDER_KINDS,
  TICKET_ROUTES,
  VISIT_SOURCES,
} from '@linli/contracts';

export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** A resident's ticket (resident-requests ticket stream), keyed by ticketId. */
export interface TicketFact {
  ticketId: string;
  version: number;
  /** ticket.created, then the latest ticket.* event's data.jurisdiction. */
  jurisdiction: string;
  /** ticket.created: the event time. */
  createdAt: Date;
  /** ticket.created / ticket.triaged: data.category (the latest). */
  category: string;
  /** ticket.triaged: data.resolveDueAt of the LATEST triage (a priority change re-triages). */
  resolveDueAt?: Date;
  /** ticket.routed: data.routedTo. */
  routedTo?: (typeof TICKET_ROUTES)[number];
  /** ticket.routed / ticket.assigned: data.jobId. */
  jobId?: string;
  /**
   * ticket.resolved: the event time of the FIRST resolution (set once: a reopened ticket keeps it, since the
   * 12345 deadline is for the first feedback to the resident).
   */
  firstResolvedAt?: Date;
  /** ticket.cancelled: the event time (a cancelled ticket is not counted by the on-time rate). */
  cancelledAt?: Date;
  /** ticket.closed: the event time. */
  closedAt?: Date;
}

/**
 * One call-back answer (feedback.recorded), keyed by the event id: a reopened ticket is called back again and
 * each answer counts.
 */
export interface FeedbackFact {
  /** The feedback.recorded event's id (ce id). */
  eventId: string;
  ticketId: string;
  /** data.jurisdiction. */
  jurisdiction: string;
  /** The event time. */
  recordedAt: Date;
  /** data.satisfaction, 1 very dissatisfied … 5 very satisfied. */
  satisfaction: number;
}

/** A dispatch job (dispatch job stream), keyed by jobId. */
export interface JobFact {
  jobId: string;
  /** Version of the last dispatch-produced event applied (job.requested has none: treat it as -1). */
  version: number;
  /** data.jurisdiction of any job event (the place where the work is done). */
  jurisdiction: string;
  /** job.requested: data.origin.service. */
  originService?: string;
  /** job.requested: the event time. */
  requestedAt?: Date;
  /** job.offered: the event time of the FIRST offer (set once). */
  firstOfferedAt?: Date;
  /** job.accepted: the event time of the FIRST acceptance (set once). */
  acceptedAt?: Date;
  /** job.accepted / job.started / job.completed: data.providerId (the latest). */
  providerId?: string;
  /** job.accepted / job.started / job.completed: data.providerKind (the latest). */
  providerKind?: ProviderKind;
  /** job.started: the event time. */
  startedAt?: Date;
  /** job.completed: the event time. */
  completedAt?: Date;
  /** job.completed: data.outcome. */
  outcome?: string;
  /** job.cancelled: the event time. */
  cancelledAt?: Date;
}

/** A registered home-dwelling elder (elder-care elder stream), keyed by elderId. */
export interface ElderFact {
  elderId: string;
  version: number;
  /** elder.registered / elder.updated: data.jurisdiction (the current community). */
  jurisdiction: string;
  /** elder.registered / elder.updated: data.livingSituation (current). */
  livingSituation: (typeof LIVING_SITUATIONS)[number];
  /** elder.registered / elder.updated: data.hardship (current). */
  hardship: (typeof HARDSHIP_FLAGS)[number][];
  /**
   * When the elder was active (served at home): elder.registered with status active opens a span at its event
   * time; an elder.updated whose status goes active → inactive closes the open span (`to` = its event time);
   * inactive → active opens a new one. Spans are in time order, at most the last one open (no `to`).
   */
  activeSpans: { from: Date; to?: Date }[];
}

/** A door-to-door visit (elder-care visit stream), keyed by visitId. */
export interface VisitFact {
  visitId: string;
  version: number;
  elderId: string;
  /** data.jurisdiction (the elder's community when the visit was planned). */
  jurisdiction: string;
  /** visit.scheduled / visit.completed: data.source. */
  source: (typeof VISIT_SOURCES)[number];
  /** visit.scheduled / visit.completed: data.service. */
  service: (typeof CARE_SERVICES)[number];
  /** visit.scheduled / visit.completed: data.dueAt. */
  dueAt: Date;
  /** visit.completed: data.checkedOutAt (the door-to-door service was delivered then). */
  completedAt?: Date;
  /** visit.completed: data.itemsDone. */
  itemsDone?: (typeof CARE_SERVICES)[number][];
  /** visit.completed: data.providerKind. */
  providerKind?: ProviderKind;
  /** visit.missed: the event time of the latest miss. */
  missedAt?: Date;
  /** visit.cancelled: the event time. */
  cancelledAt?: Date;
}

/** A mediation case (mediation case stream), keyed by caseId. */
export interface CaseFact {
  caseId: string;
  version: number;
  /** data.jurisdiction of the latest case event. */
  jurisdiction: string;
  /** case.opened: the event time. */
  openedAt: Date;
  /** case.opened, then case.time-limit-extended and case.reopened: data.timeLimitAt (the current limit). */
  timeLimitAt: Date;
  /** outcome.recorded: data.outcome; removed again by case.reopened (a new outcome will come). */
  outcome?: (typeof MEDIATION_OUTCOMES)[number];
  /** outcome.recorded: the event time; removed by case.reopened. */
  outcomeAt?: Date;
  /** outcome.recorded: data.withinTimeLimit; removed by case.reopened. */
  withinTimeLimit?: boolean;
  /** case.closed with reason withdrawn: the event time (a withdrawn case is not judged). */
  withdrawnAt?: Date;
}

/** An alert (emergency alert stream, alert.issued with sequence 1), keyed by alertId. */
export interface AlertFact {
  alertId: string;
  incidentId: string;
  /** data.jurisdiction: the level that issued it. */
  jurisdiction: string;
  /** alert.issued sequence 1: the event time. */
  issuedAt: Date;
  /** alert.issued sequence 1: data.areas. */
  areas: string[];
}

/**
 * One recipient of an alert, keyed by (alertId, recipientId): created by whichever comes first of
 * notifications' broadcast.recipients-resolved (origin.aggregateId = alertId, any sequence) and emergency's
 * alert.acknowledged; each field is set once.
 */
export interface AlertRecipientFact {
  alertId: string;
  recipientId: string;
  /** data.jurisdiction of the event that created it (the alert's issuing level). */
  jurisdiction: string;
  /** broadcast.recipients-resolved: the event time of the first batch naming the recipient. */
  deliveredAt?: Date;
  /** alert.acknowledged: the event time (the first acknowledgement; later ones change nothing). */
  acknowledgedAt?: Date;
  /** alert.acknowledged: data.issuedAt, so time to acknowledge needs no join. */
  alertIssuedAt?: Date;
  /** alert.acknowledged: data.response. */
  response?: string;
}

/** Every fact collection, as the compute functions receive them (each already limited to the node). */
export interface FactSet {
  tickets: TicketFact[];
  feedback: FeedbackFact[];
  jobs: JobFact[];
  elders: ElderFact[];
  visits: VisitFact[];
  cases: CaseFact[];
  alerts: AlertFact[];
  alertRecipients: AlertRecipientFact[];
}
