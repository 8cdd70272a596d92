// A need discovered on an elder-care visit (走访发现, visit.finding-reported) as a ticket: what the ticket says and
// how urgent it is. Pure, so the mapping is unit-tested beside it.
import type { EventData, visitFindingReported } from '@linli/contracts';
import type { TicketPriority } from '../catalogue/catalogue.types';
import type { PriorityDecision } from './priority.rules';
import type { CreateTicketCommand } from './ticket.commands';

type Finding = EventData<typeof visitFindingReported>;

/** The highest ticket priority (most urgent first in TICKET_PRIORITIES): what an urgent observation gets. */
export const URGENT_OBSERVATION_PRIORITY: TicketPriority = 'danger';

/**
 * The place of a finding's ticket. The finding carries no address (no personal data on the visit topic): the work
 * is at the elder's home, which elder-care holds. The ticket names the elder by id instead, so whoever handles it
 * knows where to look, and no address is copied into a second service.
 */
export function visitPlaceAddress(elderId: string): string {
  return `长者 ${elderId} 住所（走访发现，地址见居家养老档案）`;
}

/** The ticket a finding opens: channel visit, no reporter, in the elder's community, linked to the visit. */
export function findingTicket(finding: Finding): CreateTicketCommand {
  return {
    channel: 'visit',
    category: finding.category,
    description: finding.summary,
    place: { communityCode: finding.jurisdiction, address: visitPlaceAddress(finding.elderId) },
    sourceVisitId: finding.visitId,
  };
}

/**
 * The finding's priority: as triage decides for any ticket of its category (default, raised by urgent words), but
 * a caregiver's `urgent` observation makes it the highest priority, with the reason in the timeline.
 */
export function findingPriority(
  triaged: PriorityDecision,
  finding: Pick<Finding, 'observation' | 'visitId'>,
): PriorityDecision {
  if (finding.observation !== 'urgent') return triaged;
  const reason = `urgent observation on visit ${finding.visitId}`;
  return {
    level: URGENT_OBSERVATION_PRIORITY,
    reason: triaged.reason ? `${reason}; ${triaged.reason}` : reason,
  };
}
