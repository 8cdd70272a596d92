// The case stream of mediation (人民调解): a dispute from opening, through a mediator, sessions and an outcome, to
// the follow-up that checks the agreement is kept. The indicators read it: cases by type and area, success rate,
// share resolved within the time limit, referrals.
// No personal data (parties' names and contacts, addresses, the description, minutes or agreement text) travels
// here: parties are counted, not named; the case's own API serves the rest, within the jurisdiction.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import {
  ActorId,
  AggregateVersion,
  DateTime,
  Id,
  Jurisdiction,
  ProviderKind,
  StrictObject,
  StringEnum,
} from '../fields';

export const caseTopic = defineTopic('mediation', 'case', 1, 'Dispute mediation cases, keyed by case id');

/** 邻里 neighbour, 婚姻家庭 family, 物业 property management, 劳动 labour, 土地房屋 land and housing, 消费 consumer. */
export const CASE_TYPES = [
  'neighbour',
  'family',
  'property-management',
  'labour',
  'land-housing',
  'consumer',
  'other',
] as const;
/** high: the dispute may turn violent (民转刑风险): prioritised, and the supervisors are told at once. */
export const CASE_RISK_LEVELS = ['low', 'medium', 'high'] as const;
/** How the case came in: from a resident ticket (through events), or opened by hand by a mediator or operator. */
export const CASE_SOURCES = ['ticket', 'mediator', 'operator'] as const;
export const MEDIATION_OUTCOMES = ['agreement', 'failed', 'referred'] as const;
/**
 * Where a case goes when mediation here cannot settle it: the street's mediation committee (街道调委会), the
 * district mediation centre (区矛盾纠纷调处中心), a court (诉调对接) or arbitration (劳动/仲裁).
 */
export const REFERRAL_TARGETS = ['street', 'district-centre', 'court', 'arbitration'] as const;
/** How a mediator came to hold the case. */
export const ASSIGNMENT_ROUTES = ['dispatch', 'manual'] as const;
export const MEDIATOR_RELEASE_REASONS = ['conflict-of-interest', 'reassigned'] as const;
export const CASE_ESCALATION_REASONS = ['time-limit-breached', 'no-mediator', 'manual'] as const;
export const CASE_REOPEN_REASONS = ['term-not-kept'] as const;
export const CASE_CLOSE_REASONS = ['agreement-kept', 'failed', 'referred', 'withdrawn'] as const;
/** after-period: one visit a set time after the agreement (30 days by default); per-term: one at each term's due date. */
export const FOLLOW_UP_PLANS = ['after-period', 'per-term'] as const;
/** The reminders before a session: 24 hours and 1 hour by default (the leads are configuration). */
export const SESSION_REMINDER_AUDIENCES = ['mediator', 'parties'] as const;

const caseRef = {
  caseId: Id('Case id (the Kafka key)'),
  version: AggregateVersion(),
  jurisdiction: Jurisdiction('Code of the community where the dispute is'),
};
const actor = { actorId: Type.Optional(ActorId()) };
const ticket = { ticketId: Type.Optional(Id('The resident ticket the case came from, if it came from one')) };
const PartyCount = (description: string) => Type.Integer({ minimum: 0, maximum: 100, description });

export const caseOpened = defineEvent(
  caseTopic,
  'case.opened',
  StrictObject({
    ...caseRef,
    caseType: StringEnum(CASE_TYPES),
    riskLevel: StringEnum(CASE_RISK_LEVELS),
    source: StringEnum(CASE_SOURCES),
    ...ticket,
    partyCount: PartyCount('Parties known at opening (none yet for a case from a ticket)'),
    timeLimitAt: DateTime('The case’s time limit (by its type)'),
    ...actor,
  }),
  'A dispute was taken up as a mediation case; a mediator is requested from dispatch.',
);

export const caseUpdated = defineEvent(
  caseTopic,
  'case.updated',
  StrictObject({
    ...caseRef,
    caseType: StringEnum(CASE_TYPES),
    riskLevel: StringEnum(CASE_RISK_LEVELS),
    partyCount: PartyCount('Parties recorded now'),
    changed: Type.Array(
      StringEnum(['caseType', 'riskLevel', 'parties', 'description', 'community'] as const),
      {
        minItems: 1,
        uniqueItems: true,
      },
    ),
    ...actor,
  }),
  'The case’s type, risk level, parties or description were changed (the values themselves stay in the case).',
);

export const caseHighRisk = defineEvent(
  caseTopic,
  'case.high-risk',
  StrictObject({ ...caseRef, caseType: StringEnum(CASE_TYPES), ...ticket, ...actor }),
  'The case is (now) high risk: it may turn violent. The supervisors of its jurisdiction are told at once.',
);

export const caseAssigned = defineEvent(
  caseTopic,
  'case.assigned',
  StrictObject({
    ...caseRef,
    mediatorId: Id('The mediator’s provider id in dispatch'),
    providerKind: Type.Optional(ProviderKind()),
    via: StringEnum(ASSIGNMENT_ROUTES),
    jobId: Type.Optional(Id('The dispatch job, when assigned through dispatch')),
    ...ticket,
    ...actor,
  }),
  'A mediator (人民调解员) holds the case, through dispatch or assigned by a supervisor.',
);

export const caseMediatorReleased = defineEvent(
  caseTopic,
  'case.mediator-released',
  StrictObject({
    ...caseRef,
    mediatorId: Id(),
    reason: StringEnum(MEDIATOR_RELEASE_REASONS),
    ...ticket,
    ...actor,
  }),
  'The mediator no longer holds the case (recused for a conflict of interest, or reassigned); another is sought.',
);

export const sessionScheduled = defineEvent(
  caseTopic,
  'session.scheduled',
  StrictObject({
    ...caseRef,
    sessionId: Id(),
    mediatorId: Id(),
    scheduledFor: DateTime(),
    rescheduled: Type.Boolean({ description: 'True when an existing session was moved to this time' }),
    ...actor,
  }),
  'A mediation session was set (or moved); its reminders follow it.',
);

export const sessionCancelled = defineEvent(
  caseTopic,
  'session.cancelled',
  StrictObject({ ...caseRef, sessionId: Id(), ...actor }),
  'A scheduled session was called off; its reminders are withdrawn.',
);

export const sessionReminderDue = defineEvent(
  caseTopic,
  'session.reminder-due',
  StrictObject({
    ...caseRef,
    sessionId: Id(),
    mediatorId: Id(),
    scheduledFor: DateTime(),
    leadMinutes: Type.Integer({ minimum: 1, description: 'How long before the session this reminder is' }),
    audiences: Type.Array(StringEnum(SESSION_REMINDER_AUDIENCES), { minItems: 1, uniqueItems: true }),
    partyCount: PartyCount('Parties to remind (their contacts stay in mediation)'),
  }),
  'A session is coming up: the mediator and the parties are to be reminded (notifications delivers it).',
);

export const sessionHeld = defineEvent(
  caseTopic,
  'session.held',
  StrictObject({
    ...caseRef,
    sessionId: Id(),
    attended: PartyCount('Parties present'),
    absent: PartyCount('Parties absent'),
    ...actor,
  }),
  'A session took place; attendance and minutes were recorded.',
);

export const caseTimeLimitExtended = defineEvent(
  caseTopic,
  'case.time-limit-extended',
  StrictObject({ ...caseRef, previousTimeLimitAt: DateTime(), timeLimitAt: DateTime(), ...actor }),
  'The case’s time limit was extended, once, with a reason.',
);

export const caseEscalated = defineEvent(
  caseTopic,
  'case.escalated',
  StrictObject({
    ...caseRef,
    reason: StringEnum(CASE_ESCALATION_REASONS),
    escalatedTo: Jurisdiction('The jurisdiction one level up that now must act'),
    level: Type.Integer({ minimum: 1, description: '1 for the first escalation, then upward' }),
    ...actor,
  }),
  'The case ran past its time limit, found no mediator, or was escalated by hand: the level up must act.',
);

export const outcomeRecorded = defineEvent(
  caseTopic,
  'outcome.recorded',
  StrictObject({
    ...caseRef,
    caseType: StringEnum(CASE_TYPES),
    outcome: StringEnum(MEDIATION_OUTCOMES),
    referredTo: Type.Optional(StringEnum(REFERRAL_TARGETS, { description: 'When outcome is referred' })),
    termCount: Type.Optional(Type.Integer({ minimum: 1, description: 'Terms of the agreement' })),
    followUpDueAts: Type.Optional(
      Type.Array(DateTime(), { minItems: 1, description: 'When the agreement’s follow-up visits are due' }),
    ),
    withinTimeLimit: Type.Boolean({ description: 'Recorded before the case’s time limit (as extended)' }),
    openedAt: DateTime(),
    ...ticket,
    actorId: ActorId(),
  }),
  'The mediation ended in an agreement, a failure or a referral upward; a ticket that opened the case is resolved by it.',
);

export const followUpDue = defineEvent(
  caseTopic,
  'followup.due',
  StrictObject({ ...caseRef, followUpId: Id(), mediatorId: Id(), dueAt: DateTime() }),
  'A follow-up visit to check the agreement is kept is due (回访): the mediator is to go.',
);

export const followUpRecorded = defineEvent(
  caseTopic,
  'followup.recorded',
  StrictObject({
    ...caseRef,
    followUpId: Id(),
    termsKept: Type.Integer({ minimum: 0 }),
    termsNotKept: Type.Integer({ minimum: 0 }),
    decision: StringEnum(['continue', 'close', 'reopen', 'refer'] as const, {
      description: 'continue: more follow-ups to come; close: all kept; reopen or refer: a term was not kept',
    }),
    ...actor,
  }),
  'The mediator checked the agreement’s terms on a follow-up visit.',
);

export const caseReopened = defineEvent(
  caseTopic,
  'case.reopened',
  StrictObject({
    ...caseRef,
    reason: StringEnum(CASE_REOPEN_REASONS),
    timeLimitAt: DateTime('The new time limit'),
    ...ticket,
    ...actor,
  }),
  'An agreement’s term was not kept: mediation resumes.',
);

export const caseClosed = defineEvent(
  caseTopic,
  'case.closed',
  StrictObject({ ...caseRef, reason: StringEnum(CASE_CLOSE_REASONS), ...ticket, ...actor }),
  'The case is closed; nothing more happens to it.',
);

export const caseEvents = [
  caseOpened,
  caseUpdated,
  caseHighRisk,
  caseAssigned,
  caseMediatorReleased,
  sessionScheduled,
  sessionCancelled,
  sessionReminderDue,
  sessionHeld,
  caseTimeLimitExtended,
  caseEscalated,
  outcomeRecorded,
  followUpDue,
  followUpRecorded,
  caseReopened,
  caseClosed,
] as const;
