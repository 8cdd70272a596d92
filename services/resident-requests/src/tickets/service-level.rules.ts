// Service-level arithmetic (时限): the deadlines a priority gives a ticket, and whether a deadline that passed is
// a breach. Pure; the timers that call it are in service-level.processor.ts.
import type { ServiceLevelTable, TicketPriority } from '../catalogue/catalogue.types';
import type { DeadlineKind, ServiceLevelState, TicketStatus } from './ticket.rules';

export interface Deadlines {
  acceptDueAt: Date;
  resolveDueAt: Date;
}

/**
 * Deadlines counted from `startedAt` (intake, or the reopening: the clock of a re-prioritised ticket does not
 * restart), each duration multiplied by `timeScale` (1 in production; tests shorten them by configuration).
 */
export function deadlinesFor(
  table: ServiceLevelTable,
  priority: TicketPriority,
  startedAt: Date,
  timeScale: number,
): Deadlines {
  const target = table[priority];
  return {
    acceptDueAt: new Date(startedAt.getTime() + Math.round(target.acceptWithinMs * timeScale)),
    resolveDueAt: new Date(startedAt.getTime() + Math.round(target.resolveWithinMs * timeScale)),
  };
}

/** Statuses in which nobody has taken the work on yet (a routed ticket was taken over by its service). */
const NOT_ACCEPTED: readonly TicketStatus[] = ['new', 'triaged', 'dispatched'];
/** Statuses in which the resident still waits for a resolution. */
const NOT_RESOLVED: readonly TicketStatus[] = [
  'new',
  'triaged',
  'routed',
  'dispatched',
  'assigned',
  'in-progress',
];

/**
 * Whether the deadline `kind` of revision `revision` is breached now: the deadlines are still that revision, it
 * has passed, the ticket is still waiting for what the deadline is about, and this breach is not recorded yet
 * (one escalation per deadline, however often the timer fires).
 */
export function isBreach(
  status: TicketStatus,
  serviceLevel: ServiceLevelState,
  kind: DeadlineKind,
  revision: number,
  now: Date,
): boolean {
  if (serviceLevel.revision !== revision) return false;
  const dueAt = kind === 'accept' ? serviceLevel.acceptDueAt : serviceLevel.resolveDueAt;
  if (now.getTime() < dueAt.getTime()) return false;
  const waiting = kind === 'accept' ? NOT_ACCEPTED : NOT_RESOLVED;
  if (!waiting.includes(status)) return false;
  return !serviceLevel.breaches.some((b) => b.kind === kind && b.revision === revision);
}

/** Escalation level: 1 for the first breach of this kind, one more for each later one (after re-prioritising). */
export function escalationLevel(serviceLevel: ServiceLevelState, kind: DeadlineKind): number {
  return serviceLevel.breaches.filter((b) => b.kind === kind).length + 1;
}
