// What the other services' events tell whom: for each event type, the template, the message key (so a redelivered
// event maps to the same delivery ids), the data, and who receives it (a named person, or the contacts of a kind
// whose area covers a place). Pure: the consumer resolves the recipients and writes the deliveries.
import {
  caseEscalated,
  elderEscalated,
  followUpDue,
  jobEscalated,
  jobOffered,
  sessionReminderDue,
  ticketCallbackDue,
  ticketEscalated,
  type EventData,
} from '@linli/contracts';
import type { TemplateName } from './templates';

export type RecipientRule =
  /** One person by id (a provider id, a user id): their contact's first channel, else the inbox. */
  | { kind: 'named'; recipientId: string }
  /**
   * The active contacts of a kind whose area covers `code`: all of them, or only the nearest level that has any
   * (the street's supervisors before the district's).
   */
  | { kind: 'covering'; contactKind: 'operator' | 'supervisor'; code: string; nearest: boolean };

export interface Route {
  template: TemplateName;
  /** `<template>:<aggregate id>:<distinguishing part>`. */
  messageKey: string;
  /** The template's data; also the delivery's `data` (ids, counts and times only). */
  data: Record<string, string | number>;
  recipients: RecipientRule;
  jurisdiction: string;
}

type Rule<D> = (data: D) => Route | undefined;

const supervisorsOf = (code: string): RecipientRule => ({
  kind: 'covering',
  contactKind: 'supervisor',
  code,
  nearest: true,
});

/** The routing table. An event absent here, or a rule answering undefined, tells nobody anything. */
export const ROUTES: { [type: string]: Rule<never> } = {
  [jobOffered.type]: ((d: EventData<typeof jobOffered>) => ({
    template: 'job-offered',
    messageKey: `job-offered:${d.jobId}:${d.offerId}`,
    data: { jobId: d.jobId, offerId: d.offerId, expiresAt: d.expiresAt },
    recipients: { kind: 'named', recipientId: d.providerId },
    jurisdiction: d.jurisdiction,
  })) as Rule<never>,
  [ticketCallbackDue.type]: ((d: EventData<typeof ticketCallbackDue>) => ({
    template: 'ticket-callback-due',
    messageKey: `ticket-callback-due:${d.ticketId}:${d.round}:${d.attempt}`,
    data: { ticketId: d.ticketId, round: d.round, attempt: d.attempt },
    recipients: d.operatorId
      ? { kind: 'named', recipientId: d.operatorId }
      : { kind: 'covering', contactKind: 'operator', code: d.jurisdiction, nearest: false },
    jurisdiction: d.jurisdiction,
  })) as Rule<never>,
  [ticketEscalated.type]: ((d: EventData<typeof ticketEscalated>) => ({
    template: 'escalation',
    messageKey: `ticket-escalated:${d.ticketId}:${d.version}`,
    data: { subject: 'ticket', id: d.ticketId, ticketId: d.ticketId, reason: d.reason, level: d.level },
    recipients: supervisorsOf(d.jurisdiction),
    jurisdiction: d.jurisdiction,
  })) as Rule<never>,
  [jobEscalated.type]: ((d: EventData<typeof jobEscalated>) => ({
    template: 'escalation',
    messageKey: `job-escalated:${d.jobId}:${d.version}`,
    data: { subject: 'job', id: d.jobId, jobId: d.jobId, reason: d.reason, level: d.level },
    recipients: supervisorsOf(d.jurisdiction),
    jurisdiction: d.jurisdiction,
  })) as Rule<never>,
  [caseEscalated.type]: ((d: EventData<typeof caseEscalated>) => ({
    template: 'escalation',
    messageKey: `case-escalated:${d.caseId}:${d.version}`,
    data: { subject: 'case', id: d.caseId, caseId: d.caseId, reason: d.reason, level: d.level },
    // The level up that must act now.
    recipients: supervisorsOf(d.escalatedTo),
    jurisdiction: d.escalatedTo,
  })) as Rule<never>,
  [elderEscalated.type]: ((d: EventData<typeof elderEscalated>) => ({
    template: 'escalation',
    messageKey: `elder-escalated:${d.elderId}:${d.escalationId}`,
    data: { subject: 'elder', id: d.elderId, elderId: d.elderId, reason: d.reason },
    recipients: supervisorsOf(d.jurisdiction),
    jurisdiction: d.jurisdiction,
  })) as Rule<never>,
  [sessionReminderDue.type]: ((d: EventData<typeof sessionReminderDue>) =>
    // The parties' reminders are mediation's to send (it holds their phones); the mediator's is ours.
    d.audiences.includes('mediator')
      ? {
          template: 'session-reminder',
          messageKey: `session-reminder:${d.caseId}:${d.sessionId}:${d.scheduledFor}:${d.leadMinutes}`,
          data: { caseId: d.caseId, sessionId: d.sessionId, scheduledFor: d.scheduledFor },
          recipients: { kind: 'named', recipientId: d.mediatorId },
          jurisdiction: d.jurisdiction,
        }
      : undefined) as Rule<never>,
  [followUpDue.type]: ((d: EventData<typeof followUpDue>) => ({
    template: 'followup-due',
    messageKey: `followup-due:${d.caseId}:${d.followUpId}`,
    data: { caseId: d.caseId, followUpId: d.followUpId, dueAt: d.dueAt },
    recipients: { kind: 'named', recipientId: d.mediatorId },
    jurisdiction: d.jurisdiction,
  })) as Rule<never>,
};

/** The route of an event, or undefined when notifications has nothing to send for it. */
export function routeOf(type: string, data: unknown): Route | undefined {
  const rule = ROUTES[type] as Rule<unknown> | undefined;
  return rule?.(data);
}
