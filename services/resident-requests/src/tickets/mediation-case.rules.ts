// How a ticket routed to mediation (人民调解) follows its case: what each of the case's events does to the ticket.
// Pure, so the mapping is unit-tested beside it; the service loads the ticket, applies the decision in one write
// and remembers the event id in the timeline, so a redelivery changes nothing.
import type {
  CASE_CLOSE_REASONS,
  caseAssigned,
  caseClosed,
  caseMediatorReleased,
  caseReopened,
  EventData,
  MEDIATION_OUTCOMES,
  outcomeRecorded,
} from '@linli/contracts';
import type { TicketResolution, TicketState } from './ticket.rules';

export type MediationOutcome = (typeof MEDIATION_OUTCOMES)[number];
export type CaseCloseReason = (typeof CASE_CLOSE_REASONS)[number];

/** The route of tickets that mediation takes over (category dispute). */
export const MEDIATION_ROUTE = 'mediation';
/** The role written on timeline entries the case causes (whoever acted in mediation is the entry's actorId). */
export const MEDIATION_ROLE = 'mediation';

/** The ticket's resolution for each outcome of the mediation. */
export const RESOLUTION_OF_OUTCOME: Record<MediationOutcome, TicketResolution> = {
  agreement: 'done',
  failed: 'not-actionable',
  referred: 'referred',
};

/** A withdrawn case (the parties no longer want mediation) resolves its ticket as no longer needed. */
export const RESOLUTION_OF_WITHDRAWAL: TicketResolution = 'not-needed';

/** The case events a ticket follows, tagged by what they are. */
export type CaseEvent =
  | { kind: 'assigned'; data: EventData<typeof caseAssigned> }
  | { kind: 'mediator-released'; data: EventData<typeof caseMediatorReleased> }
  | { kind: 'outcome'; data: EventData<typeof outcomeRecorded> }
  | { kind: 'closed'; data: EventData<typeof caseClosed> }
  | { kind: 'reopened'; data: EventData<typeof caseReopened> };

/** What the ticket does about a case event (undefined: nothing). */
export type TicketFollowUp =
  | { action: 'hold'; providerId: string; providerKind?: string; reason: string; note: string }
  | { action: 'release'; reason: string; note: string }
  | { action: 'resolve'; resolution: TicketResolution; note: string }
  | { action: 'note'; reason: string; note: string };

type FollowingTicket = Pick<TicketState, 'status' | 'routedTo' | 'assignment'>;

/**
 * The ticket's step for a case event. While the ticket is routed to mediation: the mediator holding the case holds
 * the ticket (its contact is theirs to see), a released mediator no longer does, an outcome resolves it, a
 * withdrawal resolves it as not needed. A ticket resolved by hand (or already resolved by an earlier outcome) is
 * not resolved again: a reopened case only notes it, the call-back stands.
 */
export function followCase(ticket: FollowingTicket, event: CaseEvent): TicketFollowUp | undefined {
  const routed = ticket.status === 'routed' && ticket.routedTo === MEDIATION_ROUTE;
  const caseId = event.data.caseId;
  switch (event.kind) {
    case 'assigned': {
      const { mediatorId, providerKind, via } = event.data;
      if (!routed || ticket.assignment?.providerId === mediatorId) return undefined;
      return {
        action: 'hold',
        providerId: mediatorId,
        ...(providerKind ? { providerKind } : {}),
        reason: 'case-assigned',
        note: `case ${caseId}: mediator ${mediatorId} (${via})`,
      };
    }
    case 'mediator-released': {
      const { mediatorId, reason } = event.data;
      if (!routed || ticket.assignment?.providerId !== mediatorId) return undefined;
      return {
        action: 'release',
        reason: `case-mediator-released:${reason}`,
        note: `case ${caseId}: mediator ${mediatorId}`,
      };
    }
    case 'outcome': {
      const { outcome, referredTo } = event.data;
      if (!routed) return undefined;
      return {
        action: 'resolve',
        resolution: RESOLUTION_OF_OUTCOME[outcome],
        note: `case ${caseId}: ${outcome}${referredTo ? ` to ${referredTo}` : ''}`,
      };
    }
    case 'closed': {
      if (event.data.reason !== 'withdrawn' || !routed) return undefined;
      return { action: 'resolve', resolution: RESOLUTION_OF_WITHDRAWAL, note: `case ${caseId}: withdrawn` };
    }
    case 'reopened': {
      const { reason, timeLimitAt } = event.data;
      return {
        action: 'note',
        reason: `case-reopened:${reason}`,
        note: `case ${caseId} reopened, time limit ${timeLimitAt}`,
      };
    }
  }
}
