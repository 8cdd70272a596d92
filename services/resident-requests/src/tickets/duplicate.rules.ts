// A likely duplicate (重复件): the same phone, category and community within a window, and the earlier ticket still
// open. It is linked and shown, never merged: the operator decides (and may cancel one with reason duplicate).
import type { TicketState, TicketStatus } from './ticket.rules';

/** A ticket in these statuses is done with: a new call about the same thing is news, not a duplicate. */
export const NOT_DUPLICATE_STATUSES: readonly TicketStatus[] = ['closed', 'cancelled'];

export interface DuplicateCriteria {
  phoneHash: string;
  category: string;
  communityCode: string;
  /** Created at or after this. */
  since: Date;
  excludedStatuses: readonly TicketStatus[];
}

/** What the repository looks for; undefined when the reporter gave no phone (anonymous Open311 reports). */
export function duplicateCriteria(
  incoming: { phoneHash?: string; category: string; communityCode: string },
  now: Date,
  windowMs: number,
): DuplicateCriteria | undefined {
  if (!incoming.phoneHash) return undefined;
  return {
    phoneHash: incoming.phoneHash,
    category: incoming.category,
    communityCode: incoming.communityCode,
    since: new Date(now.getTime() - windowMs),
    excludedStatuses: NOT_DUPLICATE_STATUSES,
  };
}

/** The rule itself, for one candidate: what the repository's query must agree with. */
export function isLikelyDuplicate(
  candidate: Pick<TicketState, 'reporter' | 'category' | 'place' | 'createdAt' | 'status'>,
  criteria: DuplicateCriteria,
): boolean {
  return (
    candidate.reporter.phoneHash === criteria.phoneHash &&
    candidate.category === criteria.category &&
    candidate.place.communityCode === criteria.communityCode &&
    candidate.createdAt.getTime() >= criteria.since.getTime() &&
    !criteria.excludedStatuses.includes(candidate.status)
  );
}
