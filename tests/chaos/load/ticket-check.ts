// The tickets part's check rules, pure: from the ledger of intents and what the services hold (their databases and
// APIs, read by tickets.ts), which intents reached their correct final state exactly once, which are lost (missing,
// stuck, wrong end) and which effects are duplicated (two tickets for one intent, two completed jobs for one ticket,
// a status entered twice, a job nobody asked for, a provider over its capacity).
import type { Finding, PartCheck } from '../support/types';

export interface TicketIntent {
  intentId: string;
  idempotencyKey: string;
  operator: string;
  category: string;
  communityCode: string;
  phone: string;
  /** The operator cancels it soon after taking the call (the caller rang back). */
  cancel: boolean;
  /** The first call-back is not answered; the second is. */
  unansweredFirst: boolean;
  /** A probe of recovery, cancelled once its job is offered. */
  probe?: boolean;
  ticketId?: string;
  /** What the cancel got: cancelled, or refused because the ticket was no longer open (it then ends closed). */
  cancelOutcome?: 'cancelled' | 'refused';
}

export interface ObservedTicket {
  ticketId: string;
  /** The intent its description names; undefined when it names none. */
  intentId?: string;
  status: string;
  timeline: { from?: string; to: string; reason?: string }[];
  callbackStatus?: string;
  satisfaction?: number;
}

export interface ObservedJob {
  jobId: string;
  originId: string;
  status: string;
  providerId?: string;
  offeredTo: string[];
}

export interface ObservedProvider {
  providerId: string;
  capacity: number;
  load: number;
}

export const OPEN_JOB_STATUSES = ['requested', 'offered', 'escalated', 'accepted', 'started'];

/** The status an intent must end in: cancelled if its cancel went through, closed (after its call-back) otherwise. */
export function expectedFinal(intent: TicketIntent): 'closed' | 'cancelled' {
  return intent.cancel && intent.cancelOutcome !== 'refused' ? 'cancelled' : 'closed';
}

/** Statuses the timeline entered more than once (a transition, not a note: from !== to). */
export function enteredTwice(timeline: ObservedTicket['timeline']): string[] {
  const counts = new Map<string, number>();
  for (const entry of timeline) {
    if (entry.from === entry.to) continue;
    counts.set(entry.to, (counts.get(entry.to) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).map(([status, n]) => `${status} ×${n}`);
}

export function checkTickets(input: {
  intents: TicketIntent[];
  tickets: ObservedTicket[];
  jobs: ObservedJob[];
  providers: ObservedProvider[];
}): PartCheck {
  const lost: Finding[] = [];
  const duplicated: Finding[] = [];
  const notes: string[] = [];
  let final = 0;
  const byIntent = new Map<string, ObservedTicket[]>();
  for (const ticket of input.tickets) {
    if (!ticket.intentId || !input.intents.some((i) => i.intentId === ticket.intentId)) {
      duplicated.push({ id: ticket.ticketId, what: 'a ticket no intent asked for' });
      continue;
    }
    byIntent.set(ticket.intentId, [...(byIntent.get(ticket.intentId) ?? []), ticket]);
  }
  const jobsOf = new Map<string, ObservedJob[]>();
  for (const job of input.jobs) jobsOf.set(job.originId, [...(jobsOf.get(job.originId) ?? []), job]);
  const known = new Set([...byIntent.values()].flat().map((t) => t.ticketId));
  for (const job of input.jobs) {
    if (!known.has(job.originId))
      duplicated.push({ id: job.jobId, what: `a job for ${job.originId}, which no ticket intent made` });
  }

  for (const intent of input.intents) {
    const found = byIntent.get(intent.intentId) ?? [];
    if (found.length === 0) {
      lost.push({ id: intent.intentId, what: `never created (${intent.ticketId ?? 'no id answered'})` });
      continue;
    }
    if (found.length > 1) {
      duplicated.push({
        id: intent.intentId,
        what: `${found.length} tickets: ${found.map((t) => t.ticketId).join(', ')}`,
      });
      continue;
    }
    const ticket = found[0] as ObservedTicket;
    const want = expectedFinal(intent);
    const before = lost.length + duplicated.length;
    if (ticket.status !== want) {
      lost.push({ id: ticket.ticketId, what: `${ticket.status}, expected ${want} (${intent.intentId})` });
    }
    const twice = enteredTwice(ticket.timeline);
    if (twice.length > 0) duplicated.push({ id: ticket.ticketId, what: `timeline: ${twice.join(', ')}` });
    const jobs = jobsOf.get(ticket.ticketId) ?? [];
    const completed = jobs.filter((j) => j.status === 'completed');
    const open = jobs.filter((j) => OPEN_JOB_STATUSES.includes(j.status));
    if (completed.length > 1)
      duplicated.push({
        id: ticket.ticketId,
        what: `${completed.length} completed jobs: ${completed.map((j) => j.jobId).join(', ')}`,
      });
    if (want === 'closed') {
      if (completed.length === 0) lost.push({ id: ticket.ticketId, what: 'no completed job' });
      if (ticket.status === 'closed' && ticket.callbackStatus !== 'answered')
        lost.push({ id: ticket.ticketId, what: `call-back ${ticket.callbackStatus ?? 'absent'}` });
      if (ticket.status === 'closed' && ticket.satisfaction === undefined)
        lost.push({ id: ticket.ticketId, what: 'closed without the satisfaction of its call-back' });
    }
    // The operator cancelled while the provider was finishing: the two commands crossed on the wire. The ticket
    // stays cancelled and resident-requests notes the late completion on its timeline, once: a correct end.
    if (want === 'cancelled' && completed.length > 0) {
      const notes_ = ticket.timeline.filter((e) => e.reason === 'job-completed-after-cancel').length;
      if (notes_ === 0)
        lost.push({
          id: ticket.ticketId,
          what: `job ${completed[0]?.jobId} completed after the cancel, not noted`,
        });
      else if (notes_ > 1)
        duplicated.push({ id: ticket.ticketId, what: `the late completion noted ${notes_} times` });
      else
        notes.push(`${ticket.ticketId}: the cancel crossed job ${completed[0]?.jobId}'s completion (noted)`);
    }
    for (const job of open)
      lost.push({ id: job.jobId, what: `job of ${ticket.ticketId} left ${job.status}` });
    if (lost.length + duplicated.length === before) final += 1;
  }

  for (const provider of input.providers) {
    const held = input.jobs.filter(
      (j) => j.providerId === provider.providerId && ['accepted', 'started'].includes(j.status),
    ).length;
    if (held > provider.capacity || provider.load > provider.capacity)
      duplicated.push({
        id: provider.providerId,
        what: `holds ${Math.max(held, provider.load)} jobs, capacity ${provider.capacity}`,
      });
    if (provider.load !== held) notes.push(`${provider.providerId}: load ${provider.load}, holds ${held}`);
  }
  return { part: 'tickets', expected: input.intents.length, final, lost, duplicated, notes };
}
