// The checker's rules for the day's mediation cases, pure: from the ledger's intents and what the services hold
// (the tickets and cases of this run's jurisdiction, read from their databases, each tied to its intent by the
// marker in its description, read through the API), which intents reached their final state exactly once, which
// are lost or stuck, which effects are duplicated, and what exists that no intent asked for.
import type { Finding, PartCheck } from '../support/types';

export type IntendedOutcome = 'agreement' | 'failed';

/** One intended case: a dispute called in (its case opens by itself) or a case opened by hand. */
export interface CaseIntent {
  intentId: string;
  kind: 'dispute-ticket' | 'hand-opened';
  idempotencyKey: string;
  /** In the description of the ticket or case: how the checker finds what this intent created. */
  marker: string;
  outcome: IntendedOutcome;
  createdAt: string;
  /** What the API answered when it was created, if it answered. */
  ticketId?: string;
  caseId?: string;
}

export interface SeenTicket {
  ticketId: string;
  status: string;
  /** From the ticket's description (through the API); undefined when it names no intent of the run. */
  marker?: string;
}

export interface SeenCase {
  caseId: string;
  status: string;
  ticketId?: string;
  marker?: string;
  outcomeKind?: string;
  /** Outcomes set aside (a reopened case): a second outcome for one case. */
  previousOutcomes: number;
  closedReason?: string;
  sessions: { sessionId: string; status: string }[];
  followUps: { followUpId: string; status: string }[];
}

export interface CasesSeen {
  tickets: SeenTicket[];
  cases: SeenCase[];
}

const CLOSED_REASON: Record<IntendedOutcome, string> = { agreement: 'agreement-kept', failed: 'failed' };

/** Why a case is not in the final state its intent asked for; undefined when it is. */
export function caseShortfall(intent: CaseIntent, seen: SeenCase): string | undefined {
  if (seen.status !== 'closed') return `case ${seen.caseId} stuck at ${seen.status}`;
  if (seen.outcomeKind !== intent.outcome)
    return `case ${seen.caseId} has outcome ${seen.outcomeKind ?? 'none'}, not ${intent.outcome}`;
  if (seen.closedReason !== CLOSED_REASON[intent.outcome])
    return `case ${seen.caseId} closed as ${seen.closedReason ?? '?'}, not ${CLOSED_REASON[intent.outcome]}`;
  const held = seen.sessions.filter((s) => s.status === 'held').length;
  if (held === 0) return `case ${seen.caseId} closed with no session held`;
  if (intent.outcome === 'agreement' && !seen.followUps.some((f) => f.status === 'recorded'))
    return `case ${seen.caseId} closed with no follow-up recorded`;
  return undefined;
}

/** Effects of one case that happened more than once: outcomes, sessions, follow-ups. */
export function caseDuplicates(intent: CaseIntent, seen: SeenCase): string[] {
  const found: string[] = [];
  if (seen.previousOutcomes > 0) found.push(`case ${seen.caseId} has ${seen.previousOutcomes + 1} outcomes`);
  const live = seen.sessions.filter((s) => s.status !== 'cancelled');
  if (live.length > 1) found.push(`case ${seen.caseId} has ${live.length} sessions (one was scheduled)`);
  const followUps = seen.followUps.filter((f) => f.status !== 'cancelled');
  const expected = intent.outcome === 'agreement' ? 1 : 0;
  if (followUps.length > expected)
    found.push(`case ${seen.caseId} has ${followUps.length} follow-ups (expected ${expected})`);
  return found;
}

export function checkCases(intents: readonly CaseIntent[], seen: CasesSeen): PartCheck {
  const lost: Finding[] = [];
  const duplicated: Finding[] = [];
  const notes: string[] = [];
  let final = 0;
  const ticketsOf = groupBy(seen.tickets, (t) => t.marker);
  const casesByMarker = groupBy(seen.cases, (c) => c.marker);
  const casesByTicket = groupBy(seen.cases, (c) => c.ticketId);
  const claimedTickets = new Set<string>();
  const claimedCases = new Set<string>();

  for (const intent of intents) {
    let cases: SeenCase[];
    let ok = true;
    if (intent.kind === 'dispute-ticket') {
      const tickets = ticketsOf.get(intent.marker) ?? [];
      tickets.forEach((t) => claimedTickets.add(t.ticketId));
      if (tickets.length === 0) {
        lost.push({ id: intent.intentId, what: `no ticket for dispute call ${intent.intentId}` });
        continue;
      }
      if (tickets.length > 1) {
        ok = false;
        duplicated.push({
          id: intent.intentId,
          what: `${tickets.length} tickets for one call: ${tickets.map((t) => t.ticketId).join(', ')}`,
        });
      }
      for (const ticket of tickets) {
        if (ticket.status !== 'closed') {
          ok = false;
          lost.push({ id: ticket.ticketId, what: `ticket ${ticket.ticketId} stuck at ${ticket.status}` });
        }
      }
      cases = tickets.flatMap((t) => casesByTicket.get(t.ticketId) ?? []);
      const perTicket = tickets.map((t) => (casesByTicket.get(t.ticketId) ?? []).length);
      if (perTicket.some((n) => n > 1)) {
        ok = false;
        duplicated.push({
          id: intent.intentId,
          what: `more than one case for a dispute ticket: ${cases.map((c) => c.caseId).join(', ')}`,
        });
      }
    } else {
      cases = casesByMarker.get(intent.marker) ?? [];
      if (cases.length > 1) {
        ok = false;
        duplicated.push({
          id: intent.intentId,
          what: `${cases.length} cases for one opening: ${cases.map((c) => c.caseId).join(', ')}`,
        });
      }
    }
    cases.forEach((c) => claimedCases.add(c.caseId));
    if (cases.length === 0) {
      lost.push({ id: intent.intentId, what: `no case for ${intent.kind} ${intent.intentId}` });
      continue;
    }
    for (const one of cases) {
      const shortfall = caseShortfall(intent, one);
      if (shortfall) {
        ok = false;
        lost.push({ id: one.caseId, what: shortfall });
      }
      for (const what of caseDuplicates(intent, one)) {
        ok = false;
        duplicated.push({ id: one.caseId, what });
      }
    }
    if (ok) final += 1;
  }

  for (const ticket of seen.tickets.filter((t) => !claimedTickets.has(t.ticketId)))
    duplicated.push({
      id: ticket.ticketId,
      what: `dispute ticket ${ticket.ticketId} that no intent asked for`,
    });
  for (const one of seen.cases.filter((c) => !claimedCases.has(c.caseId)))
    duplicated.push({ id: one.caseId, what: `case ${one.caseId} that no intent asked for` });
  const unanswered = intents.filter((i) => !i.ticketId && !i.caseId).length;
  if (unanswered > 0)
    notes.push(`${unanswered} creations never got an answer (found by their marker instead)`);
  return { part: 'cases', expected: intents.length, final, lost, duplicated, notes };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}
