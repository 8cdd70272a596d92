// How each domain event changes the fact it concerns: pure functions (previous fact, event) → next fact, with no
// I/O, so a replay from the first offset folds the same events into the same facts. Whether an event is applied
// at all (a repeat, an older version) is the repository's business (facts.repository.ts); these only say what it
// changes. `undefined` means the event has nothing to change (a fact it needs is not there yet, or it is not the
// kind of event the indicators count).
import type {
  CloudEvent,
  EventData,
  alertAcknowledged,
  alertIssued,
  caseClosed,
  caseOpened,
  caseReopened,
  caseTimeLimitExtended,
  caseUpdated,
  elderRegistered,
  elderUpdated,
  feedbackRecorded,
  jobAccepted,
  jobCancelled,
  jobCompleted,
  jobOffered,
  jobRequested,
  jobStarted,
  outcomeRecorded,
  ticketAssigned,
  ticketCancelled,
  ticketClosed,
  ticketCreated,
  ticketResolved,
  ticketRouted,
  ticketTriaged,
  visitCancelled,
  visitCompleted,
  visitMissed,
  visitScheduled,
} from '@linli/contracts';
import type {
  AlertFact,
  CaseFact,
  ElderFact,
  FeedbackFact,
  JobFact,
  TicketFact,
  VisitFact,
} from '../indicators/facts';

type Event<D> = CloudEvent<EventData<D>>;

/** The event's time: when it happened, as its producer stamped it (never when insights read it). */
export function timeOf(event: CloudEvent): Date {
  return new Date(event.time);
}

/**
 * Whether an event of an aggregate's `version` is news to a fact last changed at `applied.version` by the events
 * `applied.eventIds`: a newer version is; an older one is a repeat; the same version is news unless that very
 * event was applied (one write of an aggregate carries several events of one version: ticket.created,
 * ticket.triaged and ticket.routed are all version 0).
 */
export function isNews(
  applied: { version: number; eventIds: readonly string[] } | undefined,
  version: number,
  eventId: string,
): boolean {
  if (!applied) return true;
  if (version !== applied.version) return version > applied.version;
  return !applied.eventIds.includes(eventId);
}

/** The event ids to keep beside a fact after applying one of `version`: those of its current version only. */
export function appliedAfter(
  applied: { version: number; eventIds: readonly string[] } | undefined,
  version: number,
  eventId: string,
): string[] {
  return applied && applied.version === version ? [...applied.eventIds, eventId] : [eventId];
}

/** job.requested comes from the requesting service before dispatch has the job: it carries no version. */
export const JOB_REQUESTED_VERSION = -1;

// ---- tickets ----------------------------------------------------------------------------------------------------

export function onTicketCreated(
  fact: TicketFact | undefined,
  event: Event<typeof ticketCreated>,
): TicketFact {
  const { data } = event;
  return {
    ...fact,
    ticketId: data.ticketId,
    version: data.version,
    jurisdiction: data.jurisdiction,
    createdAt: fact?.createdAt ?? timeOf(event),
    category: data.category,
  };
}

/** The fields every later ticket event moves: its version and (the latest) jurisdiction. */
function ticketMoved(
  fact: TicketFact | undefined,
  data: { version: number; jurisdiction: string },
  change: Partial<TicketFact>,
): TicketFact | undefined {
  if (!fact) return undefined;
  return { ...fact, ...change, version: data.version, jurisdiction: data.jurisdiction };
}

export function onTicketTriaged(fact: TicketFact | undefined, event: Event<typeof ticketTriaged>) {
  return ticketMoved(fact, event.data, {
    category: event.data.category,
    resolveDueAt: new Date(event.data.resolveDueAt),
  });
}

export function onTicketRouted(fact: TicketFact | undefined, event: Event<typeof ticketRouted>) {
  return ticketMoved(fact, event.data, {
    routedTo: event.data.routedTo,
    ...(event.data.jobId ? { jobId: event.data.jobId } : {}),
  });
}

export function onTicketAssigned(fact: TicketFact | undefined, event: Event<typeof ticketAssigned>) {
  return ticketMoved(fact, event.data, { jobId: event.data.jobId });
}

export function onTicketResolved(fact: TicketFact | undefined, event: Event<typeof ticketResolved>) {
  // Set once: a reopened ticket resolved again keeps its first resolution (the 12345 deadline is for that one).
  return ticketMoved(fact, event.data, { firstResolvedAt: fact?.firstResolvedAt ?? timeOf(event) });
}

export function onTicketCancelled(fact: TicketFact | undefined, event: Event<typeof ticketCancelled>) {
  return ticketMoved(fact, event.data, { cancelledAt: timeOf(event) });
}

export function onTicketClosed(fact: TicketFact | undefined, event: Event<typeof ticketClosed>) {
  return ticketMoved(fact, event.data, { closedAt: timeOf(event) });
}

/** Each call-back answer is a fact of its own, keyed by the event's id. */
export function feedbackOf(event: Event<typeof feedbackRecorded>): FeedbackFact {
  return {
    eventId: event.id,
    ticketId: event.data.ticketId,
    jurisdiction: event.data.jurisdiction,
    recordedAt: timeOf(event),
    satisfaction: event.data.satisfaction,
  };
}

// ---- jobs -------------------------------------------------------------------------------------------------------

export function onJobRequested(fact: JobFact | undefined, event: Event<typeof jobRequested>): JobFact {
  return {
    ...fact,
    jobId: event.data.jobId,
    version: fact?.version ?? JOB_REQUESTED_VERSION,
    jurisdiction: event.data.jurisdiction,
    originService: event.data.origin.service,
    requestedAt: fact?.requestedAt ?? timeOf(event),
  };
}

/** A dispatch event on a job: a job dispatch made without a request seen (none today) starts its fact too. */
function jobMoved(
  fact: JobFact | undefined,
  data: { jobId: string; version: number; jurisdiction: string },
  change: Partial<JobFact>,
): JobFact {
  return { ...fact, ...change, jobId: data.jobId, version: data.version, jurisdiction: data.jurisdiction };
}

export function onJobOffered(fact: JobFact | undefined, event: Event<typeof jobOffered>): JobFact {
  return jobMoved(fact, event.data, { firstOfferedAt: fact?.firstOfferedAt ?? timeOf(event) });
}

export function onJobAccepted(fact: JobFact | undefined, event: Event<typeof jobAccepted>): JobFact {
  return jobMoved(fact, event.data, {
    acceptedAt: fact?.acceptedAt ?? timeOf(event),
    providerId: event.data.providerId,
    providerKind: event.data.providerKind,
  });
}

export function onJobStarted(fact: JobFact | undefined, event: Event<typeof jobStarted>): JobFact {
  return jobMoved(fact, event.data, {
    startedAt: timeOf(event),
    providerId: event.data.providerId,
    providerKind: event.data.providerKind,
  });
}

export function onJobCompleted(fact: JobFact | undefined, event: Event<typeof jobCompleted>): JobFact {
  return jobMoved(fact, event.data, {
    completedAt: timeOf(event),
    outcome: event.data.outcome,
    providerId: event.data.providerId,
    providerKind: event.data.providerKind,
  });
}

export function onJobCancelled(fact: JobFact | undefined, event: Event<typeof jobCancelled>): JobFact {
  return jobMoved(fact, event.data, { cancelledAt: timeOf(event) });
}

// ---- elders -----------------------------------------------------------------------------------------------------

/**
 * The elder's profile as the event states it (registered and updated both carry all of it), and the active spans
 * moved by a status change: active opens a span at the event's time, inactive closes the open one.
 */
export function onElderProfile(
  fact: ElderFact | undefined,
  event: Event<typeof elderRegistered> | Event<typeof elderUpdated>,
): ElderFact {
  const { data } = event;
  const spans = [...(fact?.activeSpans ?? [])];
  const open = spans.length > 0 && spans[spans.length - 1]?.to === undefined;
  if (data.status === 'active' && !open) spans.push({ from: timeOf(event) });
  if (data.status === 'inactive' && open) {
    spans[spans.length - 1] = { from: (spans[spans.length - 1] as { from: Date }).from, to: timeOf(event) };
  }
  return {
    elderId: data.elderId,
    version: data.version,
    jurisdiction: data.jurisdiction,
    livingSituation: data.livingSituation,
    hardship: [...data.hardship],
    activeSpans: spans,
  };
}

// ---- visits -----------------------------------------------------------------------------------------------------

export function onVisitScheduled(
  fact: VisitFact | undefined,
  event: Event<typeof visitScheduled>,
): VisitFact {
  const { data } = event;
  return {
    ...fact,
    visitId: data.visitId,
    version: data.version,
    elderId: data.elderId,
    jurisdiction: data.jurisdiction,
    source: data.source,
    service: data.service,
    dueAt: new Date(data.dueAt),
  };
}

export function onVisitCompleted(
  fact: VisitFact | undefined,
  event: Event<typeof visitCompleted>,
): VisitFact {
  const { data } = event;
  // It carries what scheduling said too: a visit whose schedule was not seen is still counted.
  return {
    ...fact,
    visitId: data.visitId,
    version: data.version,
    elderId: data.elderId,
    jurisdiction: data.jurisdiction,
    source: data.source,
    service: data.service,
    dueAt: new Date(data.dueAt),
    completedAt: new Date(data.checkedOutAt),
    itemsDone: [...data.itemsDone],
    providerKind: data.providerKind,
  };
}

function visitMoved(
  fact: VisitFact | undefined,
  data: { version: number; jurisdiction: string },
  change: Partial<VisitFact>,
): VisitFact | undefined {
  if (!fact) return undefined;
  return { ...fact, ...change, version: data.version, jurisdiction: data.jurisdiction };
}

export function onVisitMissed(fact: VisitFact | undefined, event: Event<typeof visitMissed>) {
  return visitMoved(fact, event.data, { missedAt: timeOf(event) });
}

export function onVisitCancelled(fact: VisitFact | undefined, event: Event<typeof visitCancelled>) {
  return visitMoved(fact, event.data, { cancelledAt: timeOf(event) });
}

// ---- mediation cases --------------------------------------------------------------------------------------------

export function onCaseOpened(fact: CaseFact | undefined, event: Event<typeof caseOpened>): CaseFact {
  return {
    ...fact,
    caseId: event.data.caseId,
    version: event.data.version,
    jurisdiction: event.data.jurisdiction,
    openedAt: fact?.openedAt ?? timeOf(event),
    timeLimitAt: new Date(event.data.timeLimitAt),
  };
}

function caseMoved(
  fact: CaseFact | undefined,
  data: { version: number; jurisdiction: string },
  change: Partial<CaseFact>,
): CaseFact | undefined {
  if (!fact) return undefined;
  return { ...fact, ...change, version: data.version, jurisdiction: data.jurisdiction };
}

/** The case's community may change (the `community` of case.updated's `changed`): its jurisdiction follows. */
export function onCaseUpdated(fact: CaseFact | undefined, event: Event<typeof caseUpdated>) {
  return caseMoved(fact, event.data, {});
}

export function onCaseTimeLimitExtended(
  fact: CaseFact | undefined,
  event: Event<typeof caseTimeLimitExtended>,
) {
  return caseMoved(fact, event.data, { timeLimitAt: new Date(event.data.timeLimitAt) });
}

export function onOutcomeRecorded(fact: CaseFact | undefined, event: Event<typeof outcomeRecorded>) {
  return caseMoved(fact, event.data, {
    outcome: event.data.outcome,
    outcomeAt: timeOf(event),
    withinTimeLimit: event.data.withinTimeLimit,
  });
}

/** Mediation resumes: the outcome recorded before no longer stands, a new one (and a new limit) will come. */
export function onCaseReopened(fact: CaseFact | undefined, event: Event<typeof caseReopened>) {
  if (!fact) return undefined;
  const { outcome: _outcome, outcomeAt: _outcomeAt, withinTimeLimit: _within, ...rest } = fact;
  return caseMoved(rest, event.data, { timeLimitAt: new Date(event.data.timeLimitAt) });
}

export function onCaseClosed(fact: CaseFact | undefined, event: Event<typeof caseClosed>) {
  return caseMoved(fact, event.data, event.data.reason === 'withdrawn' ? { withdrawnAt: timeOf(event) } : {});
}

// ---- alerts -----------------------------------------------------------------------------------------------------

/** An alert's first message (sequence 1) is the alert; its updates and cancel are later messages of it. */
export function alertOf(event: Event<typeof alertIssued>): AlertFact | undefined {
  if (event.data.sequence !== 1) return undefined;
  return {
    alertId: event.data.alertId,
    incidentId: event.data.incidentId,
    jurisdiction: event.data.jurisdiction,
    issuedAt: timeOf(event),
    areas: [...event.data.areas],
  };
}

/** What an acknowledgement sets on its recipient's fact (each field set once: the earliest wins). */
export function acknowledgementOf(event: Event<typeof alertAcknowledged>) {
  return {
    alertId: event.data.alertId,
    recipientId: event.data.recipientId,
    jurisdiction: event.data.jurisdiction,
    acknowledgedAt: timeOf(event),
    alertIssuedAt: new Date(event.data.issuedAt),
    response: event.data.response,
  };
}
