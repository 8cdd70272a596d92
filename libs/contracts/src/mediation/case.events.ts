// The case stream of mediation (人民调解): disputes from opening to an outcome and the follow-up that closes them.
// No personal data (names, phones, id numbers, addresses) travels here; parties are counted, not named.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import { ActorId, AggregateVersion, DateTime, Id, Jurisdiction, StrictObject, StringEnum } from '../fields';

export const caseTopic = defineTopic('mediation', 'case', 1, 'Dispute mediation cases, keyed by case id');

export const DISPUTE_KINDS = ['neighbour', 'family', 'property', 'labour', 'other'] as const;
export const SESSION_FORMATS = ['in-person', 'on-site', 'remote'] as const;
export const MEDIATION_OUTCOMES = ['agreement', 'failed', 'referred'] as const;
/** Where a case goes when mediation cannot settle it. */
export const REFERRAL_TARGETS = [
  'higher-mediation',
  'court',
  'arbitration',
  'police',
  'petition-office',
] as const;
export const CASE_ESCALATION_REASONS = ['deadline-missed', 'manual'] as const;
export const CASE_CLOSE_REASONS = [
  'agreement-kept',
  'agreement-broken',
  'failed',
  'referred',
  'withdrawn',
] as const;

const caseRef = {
  caseId: Id('Case id (the Kafka key)'),
  version: AggregateVersion(),
  jurisdiction: Jurisdiction('Code of the community where the dispute is'),
};

export const caseOpened = defineEvent(
  caseTopic,
  'case.opened',
  StrictObject({
    ...caseRef,
    disputeKind: StringEnum(DISPUTE_KINDS),
    partyCount: Type.Integer({ minimum: 2, maximum: 100 }),
    ticketId: Type.Optional(Id('The ticket the case came from')),
    dueAt: DateTime('The case’s time limit'),
    actorId: Type.Optional(ActorId()),
  }),
  'A dispute was taken up as a mediation case.',
);

export const caseAssigned = defineEvent(
  caseTopic,
  'case.assigned',
  StrictObject({ ...caseRef, mediatorId: Id(), actorId: Type.Optional(ActorId()) }),
  'A mediator (人民调解员) was assigned to the case.',
);

export const sessionScheduled = defineEvent(
  caseTopic,
  'session.scheduled',
  StrictObject({
    ...caseRef,
    sessionId: Id(),
    mediatorId: Id(),
    format: StringEnum(SESSION_FORMATS),
    scheduledFor: DateTime(),
    actorId: Type.Optional(ActorId()),
  }),
  'A mediation session was set; reminders follow.',
);

export const outcomeRecorded = defineEvent(
  caseTopic,
  'outcome.recorded',
  StrictObject({
    ...caseRef,
    outcome: StringEnum(MEDIATION_OUTCOMES),
    agreementId: Type.Optional(Id('The written agreement, when outcome is agreement')),
    referredTo: Type.Optional(StringEnum(REFERRAL_TARGETS, { description: 'When outcome is referred' })),
    followUpDueAt: Type.Optional(DateTime('When to check the agreement is kept')),
    actorId: ActorId(),
  }),
  'The mediation ended in an agreement, a failure or a referral upward.',
);

export const caseEscalated = defineEvent(
  caseTopic,
  'case.escalated',
  StrictObject({
    ...caseRef,
    reason: StringEnum(CASE_ESCALATION_REASONS),
    level: Type.Integer({ minimum: 1 }),
    actorId: Type.Optional(ActorId()),
  }),
  'The case ran past its time limit or was escalated by hand.',
);

export const caseClosed = defineEvent(
  caseTopic,
  'case.closed',
  StrictObject({ ...caseRef, reason: StringEnum(CASE_CLOSE_REASONS), actorId: Type.Optional(ActorId()) }),
  'The case is closed.',
);

export const caseEvents = [
  caseOpened,
  caseAssigned,
  sessionScheduled,
  outcomeRecorded,
  caseEscalated,
  caseClosed,
] as const;
