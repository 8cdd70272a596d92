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
  PROVIDER_KINDS,
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
export const TICKET_CHANNELS = [
  'hotline',
  'web',
  'app',
  'walk-in',
  'grid-patrol',
  'visit',
  'open311',
] as const;
/**
 * Response classes of the 12345 rules, most urgent first: danger to life or property (2 h), water, power, gas and
 * heating (24 h), general (7 days), complex (15 days). A ticket's priority is one of them.
 */
export const TICKET_PRIORITIES = ['danger', 'utilities', 'general', 'complex'] as const;
export const TICKET_RESOLUTIONS = [
  'done',
  'partly-done',
  'not-needed',
  'referred',
  'not-actionable',
] as const;
export const TICKET_CLOSE_REASONS = ['feedback-recorded', 'callback-unanswered'] as const;
export const TICKET_CANCEL_REASONS = ['withdrawn', 'duplicate', 'invalid', 'other'] as const;
export const TICKET_REOPEN_REASONS = ['dissatisfied', 'not-solved', 'manual'] as const;
export const TICKET_ESCALATION_REASONS = [
  'accept-deadline-missed',
  'resolve-deadline-missed',
  'manual',
] as const;
/** The specialised services a ticket can be handed to, or `dispatch` for a provider job. */
export const TICKET_ROUTES = [
  'dispatch',
  ...DOMAIN_SERVICES.filter((s): s is Exclude<typeof s, 'resident-requests'> => s !== 'resident-requests'),
] as const;

const ticketRef = {
  ticketId: Id('Ticket id (the Kafka key)'),
  version: AggregateVersion(),
  jurisdiction: Jurisdiction('Code of the community the ticket belongs to'),
};
const actor = { actorId: Type.Optional(ActorId()) };

export const ticketCreated = defineEvent(
  ticketTopic,
  'ticket.created',
  StrictObject({
    ...ticketRef,
    channel: StringEnum(TICKET_CHANNELS),
    category: Category(),
    likelyDuplicateOf: Type.Optional(
      Id('An open ticket with the same phone, category and community in the last 24 hours'),
    ),
    sourceVisitId: Type.Optional(Id('The elder-care visit whose finding became this ticket')),
    ...actor,
  }),
  'A request was taken in; a ticket exists with its own id.',
);

export const ticketTriaged = defineEvent(
  ticketTopic,
  'ticket.triaged',
  StrictObject({
    ...ticketRef,
    category: Category(),
    serviceClass: StringEnum(SERVICE_CLASSES, {
      description: '为民 public, 便民 convenience, 安民 safety, general',
    }),
    priority: StringEnum(TICKET_PRIORITIES),
    acceptDueAt: DateTime('When someone must have taken the work on'),
    resolveDueAt: DateTime('When the resident must have had the resolution (feedback deadline)'),
    overridden: Type.Boolean({ description: 'An operator set the priority by hand, with a reason' }),
    ...actor,
  }),
  'The ticket was given its category and priority, hence its service-level deadlines (again on a priority change).',
);

export const ticketRouted = defineEvent(
  ticketTopic,
  'ticket.routed',
  StrictObject({
    ...ticketRef,
    routedTo: StringEnum(TICKET_ROUTES, {
      description: 'dispatch: a job for a provider; otherwise the specialised service that takes it over',
    }),
    jobId: Type.Optional(Id('The job requested for it, when routed to dispatch')),
    ...actor,
  }),
  'The ticket was handed to a provider job (dispatched) or to a specialised service (routed).',
);

export const ticketAssigned = defineEvent(
  ticketTopic,
  'ticket.assigned',
  StrictObject({
    ...ticketRef,
    jobId: Id(),
    providerId: Id('Provider id in dispatch'),
    providerKind: StringEnum(PROVIDER_KINDS),
  }),
  'A provider accepted the ticket’s job.',
);

export const ticketStarted = defineEvent(
  ticketTopic,
  'ticket.started',
  StrictObject({ ...ticketRef, jobId: Type.Optional(Id()), ...actor }),
  'Work on the ticket is in progress (the provider checked in).',
);

export const ticketResolved = defineEvent(
  ticketTopic,
  'ticket.resolved',
  StrictObject({
    ...ticketRef,
    resolution: StringEnum(TICKET_RESOLUTIONS),
    callbackDueAt: DateTime('When the follow-up call (回访) is due'),
    ...actor,
  }),
  'The work on the ticket is done; the call-back is scheduled.',
);

export const ticketClosed = defineEvent(
  ticketTopic,
  'ticket.closed',
  StrictObject({ ...ticketRef, reason: StringEnum(TICKET_CLOSE_REASONS), ...actor }),
  'The ticket is closed after its call-back; nothing more happens to it.',
);

export const ticketCancelled = defineEvent(
  ticketTopic,
  'ticket.cancelled',
  StrictObject({ ...ticketRef, reason: StringEnum(TICKET_CANCEL_REASONS), ...actor }),
  'The ticket was cancelled before it was resolved; its job, if any, is withdrawn.',
);

export const ticketReopened = defineEvent(
  ticketTopic,
  'ticket.reopened',
  StrictObject({ ...ticketRef, reason: StringEnum(TICKET_REOPEN_REASONS), ...actor }),
  'A resolved ticket went back to work (the resident was not satisfied, or by hand).',
);

export const ticketEscalated = defineEvent(
  ticketTopic,
  'ticket.escalated',
  StrictObject({
    ...ticketRef,
    reason: StringEnum(TICKET_ESCALATION_REASONS),
    level: Type.Integer({ minimum: 1, description: '1 for the first escalation, then upward' }),
    ...actor,
  }),
  'The ticket breached a service level (or was escalated by hand): the supervisors of its jurisdiction must act.',
);

export const feedbackRecorded = defineEvent(
  ticketTopic,
  'feedback.recorded',
  StrictObject({
    ...ticketRef,
    satisfaction: Type.Integer({
      minimum: 1,
      maximum: 5,
      description: '1 very dissatisfied … 5 very satisfied',
    }),
    ...actor,
  }),
  'The resident’s satisfaction was recorded at the call-back (回访).',
);

export const ticketCallbackDue = defineEvent(
  ticketTopic,
  'ticket.callback-due',
  StrictObject({
    ...ticketRef,
    round: Type.Integer({
      minimum: 1,
      description: 'Which call-back of the ticket (a reopened ticket has more)',
    }),
    attempt: Type.Integer({
      minimum: 1,
      description: 'Which try of this call-back (the resident did not answer)',
    }),
    operatorId: Type.Optional(
      Id('The operator who took the call, told first; absent for tickets from Open311'),
    ),
  }),
  'A call-back (回访) fell due and entered the operators’ worklist; notifications tells the operator.',
);

export const ticketEvents = [
  ticketCreated,
  ticketTriaged,
  ticketRouted,
  ticketAssigned,
  ticketStarted,
  ticketResolved,
  ticketClosed,
  ticketCancelled,
  ticketReopened,
  ticketEscalated,
  feedbackRecorded,
  ticketCallbackDue,
] as const;
