// The call-back (回访): what the answer of a call does to the ticket, and which day's worklist a call-back is on.
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
