// The call-back (回访): what the answer of a call does to the ticket, when a call-back falls due, and whom
// notifications tells first.
import type { CallbackState, TicketChannel, TicketStatus, TimelineEntry } from './ticket.rules';

export type CallbackOutcome = 'close-satisfied' | 'reopen-dissatisfied' | 'retry' | 'close-unreachable';

/** Satisfaction at or below this reopens the ticket and sends the work out again. */
export const DISSATISFIED_AT_MOST = 2;

export function callbackOutcome(
  answer: { answered: boolean; satisfaction?: number },
  unansweredSoFar: number,
  maxAttempts: number,
): CallbackOutcome {
  if (answer.answered) {
    return (answer.satisfaction ?? 0) <= DISSATISFIED_AT_MOST ? 'reopen-dissatisfied' : 'close-satisfied';
  }
  return unansweredSoFar + 1 >= maxAttempts ? 'close-unreachable' : 'retry';
}

/**
 * Whether the timer of call-back `round`, try `attempt`, moves the ticket into the worklist now: only while the
 * ticket is resolved and waits for exactly that try. A timer that runs again (a worker that died before marking
 * its job done, a reschedule) finds the call-back already due, answered or on its next try, and changes nothing:
 * `ticket.callback-due` is written once per (round, attempt).
 */
export function callbackFallsDue(
  ticket: { status: TicketStatus; callback?: Pick<CallbackState, 'round' | 'attempts' | 'status'> },
  round: number,
  attempt: number,
): boolean {
  const callback = ticket.callback;
  return (
    ticket.status === 'resolved' &&
    callback !== undefined &&
    callback.status === 'scheduled' &&
    callback.round === round &&
    callback.attempts + 1 === attempt
  );
}

/** What an event id field accepts (libs/contracts `Id`): anything else is left out rather than refused. */
const EVENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/**
 * The operator who took the request (the person who created the ticket), told first when its call-back falls
 * due; undefined for tickets nobody took by hand: Open311 clients and elder-care's visit findings (system).
 */
export function callbackOperatorOf(ticket: {
  channel: TicketChannel;
  timeline: readonly TimelineEntry[];
}): string | undefined {
  if (ticket.channel === 'open311') return undefined;
  const intake = ticket.timeline.find((entry) => entry.from === undefined) ?? ticket.timeline[0];
  const actorId = intake?.actorId;
  if (!actorId || intake.role === 'system' || actorId.startsWith('open311:')) return undefined;
  return EVENT_ID.test(actorId) ? actorId : undefined;
}
