// The ticket stream of resident-requests: a resident's request from intake to the call-back (回访) that closes it.
// Payloads carry ids and codes only; no personal data (names, phones, id numbers, addresses) ever travels here.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import {
  ActorId,
  AggregateVersion,
  Category,
  DateTime,
  DOMAIN_SERVICES,
  Id,
  Jurisdiction,
  SERVICE_CLASSES,
  StrictObject,
  StringEnum,
} from '../fields';

export const ticketTopic = defineTopic(
  'resident-requests',
  'ticket',
  1,
  'Lifecycle of residents’ tickets, keyed by ticket id',
);

/** Where the request came in (线上线下一体化: every channel gives the same ticket); `visit` is 走访发现. */
export const TICKET_CHANNELS = ['phone', 'web', 'app', 'walk-in', 'grid-patrol', 'visit', 'open311'] as const;
/** Response classes of the 12345 rules: danger to life or property 2 h, utilities 24 h, general 7 days, complex 15. */
export const TICKET_URGENCIES = ['danger', 'utilities', 'general', 'complex'] as const;
export const TICKET_RESOLUTIONS = ['done', 'referred', 'not-actionable', 'duplicate'] as const;
export const TICKET_CLOSE_REASONS = [
  'feedback-recorded',
  'callback-unanswered',
  'withdrawn',
  'duplicate',
] as const;
export const TICKET_ESCALATION_REASONS = ['deadline-missed', 'dissatisfied', 'manual'] as const;
/** 满意 / 基本满意 / 不满意, as hotlines ask it. */
export const SATISFACTION_LEVELS = ['satisfied', 'basically-satisfied', 'dissatisfied'] as const;

const ticketRef = {
  ticketId: Id('Ticket id (the Kafka key)'),
  version: AggregateVersion(),
  jurisdiction: Jurisdiction('Code of the community (or higher level) the ticket belongs to'),
};

export const ticketCreated = defineEvent(
  ticketTopic,
  'ticket.created',
  StrictObject({
    ...ticketRef,
    channel: StringEnum(TICKET_CHANNELS),
    reportedCategory: Type.Optional(Category()),
    residentId: Type.Optional(Id('Resident id inside resident-requests; absent for anonymous requests')),
    sourceVisitId: Type.Optional(Id('The elder-care visit whose finding became this ticket')),
    actorId: Type.Optional(ActorId()),
  }),
  'A request was taken in; a ticket exists with its own id.',
);

export const ticketTriaged = defineEvent(
  ticketTopic,
  'ticket.triaged',
  StrictObject({
    ...ticketRef,
    category: Category(),
    serviceClass: StringEnum(SERVICE_CLASSES, { description: '为民 public, 便民 convenience, 安民 safety' }),
    urgency: StringEnum(TICKET_URGENCIES),
    feedbackDueAt: DateTime('When the resident must have had feedback'),
    actorId: Type.Optional(ActorId()),
  }),
  'The ticket was given its category and urgency, hence its deadline.',
);

export const ticketRouted = defineEvent(
  ticketTopic,
  'ticket.routed',
  StrictObject({
    ...ticketRef,
    routedTo: StringEnum(['dispatch', ...DOMAIN_SERVICES.filter((s) => s !== 'resident-requests')] as const, {
      description: 'dispatch: a job for a provider; otherwise the specialised service that takes it over',
    }),
    jobId: Type.Optional(Id('The job requested for it, when routed to dispatch')),
    actorId: Type.Optional(ActorId()),
  }),
  'The ticket was handed to a provider job or to a specialised service.',
);

export const ticketResolved = defineEvent(
  ticketTopic,
  'ticket.resolved',
  StrictObject({
    ...ticketRef,
    resolution: StringEnum(TICKET_RESOLUTIONS),
    callbackDueAt: Type.Optional(DateTime('When the follow-up call (回访) is due')),
    actorId: Type.Optional(ActorId()),
  }),
  'The work on the ticket is done; the call-back is scheduled.',
);

export const ticketClosed = defineEvent(
  ticketTopic,
  'ticket.closed',
  StrictObject({ ...ticketRef, reason: StringEnum(TICKET_CLOSE_REASONS), actorId: Type.Optional(ActorId()) }),
  'The ticket is closed; nothing more happens to it.',
);

export const ticketEscalated = defineEvent(
  ticketTopic,
  'ticket.escalated',
  StrictObject({
    ...ticketRef,
    reason: StringEnum(TICKET_ESCALATION_REASONS),
    level: Type.Integer({ minimum: 1, description: '1 for the first escalation, then upward' }),
    actorId: Type.Optional(ActorId()),
  }),
  'The ticket ran past its deadline or was escalated by hand to a supervisor.',
);

export const feedbackRecorded = defineEvent(
  ticketTopic,
  'feedback.recorded',
  StrictObject({
    ...ticketRef,
    satisfaction: StringEnum(SATISFACTION_LEVELS),
    problemSolved: Type.Boolean({ description: 'The resident says the problem is solved (resolution rate)' }),
    actorId: Type.Optional(ActorId()),
  }),
  'The resident’s satisfaction was recorded at the call-back (回访).',
);

export const ticketEvents = [
  ticketCreated,
  ticketTriaged,
  ticketRouted,
  ticketResolved,
  ticketClosed,
  ticketEscalated,
  feedbackRecorded,
] as const;
