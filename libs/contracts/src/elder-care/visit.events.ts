// The visit stream of elder-care: door-to-door visits generated from care plans (and the visit-and-discover
// rhythm, and discharge follow-ups), dispatched to caregivers, checked in and out. The indicators read it: services
// delivered per elder, visits on time and late, safety-visit coverage of the groups in hardship.
// No personal data (names, phones, id numbers, addresses) travels here; a finding's summary is the caregiver's
// description of a need, written to be read by whoever handles the ticket.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import {
  ActorId,
  AggregateVersion,
  Category,
  DateTime,
  Id,
  Jurisdiction,
  ProviderKind,
  StrictObject,
  StringEnum,
} from '../fields';
import { CARE_SERVICES } from './careplan.events';

export const visitTopic = defineTopic(
  'elder-care',
  'visit',
  1,
  'Door-to-door visits to elders, keyed by visit id',
);

/**
 * plan: from a care plan's rhythm; discover: the weekly safety visit of 走访发现; follow-up: after a discharge;
 * manual: a one-off visit an operator asked for.
 */
export const VISIT_SOURCES = ['plan', 'discover', 'follow-up', 'manual'] as const;
/** What the caregiver observed of the elder at check-out. */
export const VISIT_OBSERVATIONS = ['fine', 'concern', 'urgent'] as const;
export const VISIT_MISSED_REASONS = ['no-check-in'] as const;
export const VISIT_CANCEL_REASONS = ['plan-changed', 'elder-inactive', 'manual'] as const;
const MAX_FINDING_SUMMARY = 500;

const visitRef = {
  visitId: Id('Visit id (the Kafka key)'),
  version: AggregateVersion(),
  jurisdiction: Jurisdiction('Code of the elder’s community'),
  elderId: Id(),
};
const provider = { providerId: Id('Provider id in dispatch'), providerKind: ProviderKind() };

export const visitScheduled = defineEvent(
  visitTopic,
  'visit.scheduled',
  StrictObject({
    ...visitRef,
    source: StringEnum(VISIT_SOURCES),
    carePlanId: Type.Optional(Id('Absent unless source is plan')),
    carePlanVersion: Type.Optional(Type.Integer({ minimum: 0 })),
    service: StringEnum(CARE_SERVICES),
    dueAt: DateTime('When the visit is due (the rhythm’s local time)'),
    missedAfter: DateTime('No check-in by then makes the visit missed (due time + grace)'),
  }),
  'A visit was planned, from a care plan’s rhythm, the visit-and-discover rhythm or a discharge.',
);

export const visitDispatched = defineEvent(
  visitTopic,
  'visit.dispatched',
  StrictObject({
    ...visitRef,
    jobId: Id('The dispatch job that finds the caregiver'),
    attempt: Type.Integer({ minimum: 1, description: '2 when re-dispatched after a miss' }),
  }),
  'The visit was handed to dispatch (job.requested) its lead time before it is due.',
);

export const visitAssigned = defineEvent(
  visitTopic,
  'visit.assigned',
  StrictObject({ ...visitRef, jobId: Id(), ...provider }),
  'A caregiver accepted the visit’s job.',
);

export const visitCheckedIn = defineEvent(
  visitTopic,
  'visit.checked-in',
  StrictObject({
    ...visitRef,
    ...provider,
    checkedInAt: DateTime(),
    farFromHome: Type.Boolean({ description: 'The check-in position was far from the elder’s home' }),
    actorId: ActorId(),
  }),
  'The caregiver arrived at the elder’s home.',
);

export const visitCompleted = defineEvent(
  visitTopic,
  'visit.completed',
  StrictObject({
    ...visitRef,
    ...provider,
    source: StringEnum(VISIT_SOURCES),
    service: StringEnum(CARE_SERVICES),
    itemsDone: Type.Array(StringEnum(CARE_SERVICES), { maxItems: CARE_SERVICES.length, uniqueItems: true }),
    observation: StringEnum(VISIT_OBSERVATIONS),
    dueAt: DateTime(),
    checkedInAt: DateTime(),
    checkedOutAt: DateTime(),
    onTime: Type.Boolean({ description: 'Checked in before the visit was due + its grace period' }),
    lateMinutes: Type.Integer({ minimum: 0, description: 'Minutes the check-in came after the due time' }),
    actorId: ActorId(),
  }),
  'The caregiver checked out: the door-to-door service was delivered.',
);

export const visitFindingReported = defineEvent(
  visitTopic,
  'visit.finding-reported',
  StrictObject({
    ...visitRef,
    findingId: Id('<visitId>-F<n>: resident-requests opens one ticket per finding id'),
    observation: StringEnum(['concern', 'urgent'] as const),
    category: Category(),
    summary: Type.String({ minLength: 1, maxLength: MAX_FINDING_SUMMARY }),
    providerId: Id(),
  }),
  'A need discovered on a visit (走访发现): resident-requests opens a ticket for it (channel visit).',
);

export const visitMissed = defineEvent(
  visitTopic,
  'visit.missed',
  StrictObject({
    ...visitRef,
    service: StringEnum(CARE_SERVICES),
    dueAt: DateTime(),
    attempt: Type.Integer({ minimum: 1 }),
    reason: StringEnum(VISIT_MISSED_REASONS),
    providerId: Type.Optional(Id('The caregiver who held it, if anyone did')),
    redispatched: Type.Boolean({ description: 'The visit was handed to dispatch again' }),
    missedInARow: Type.Integer({
      minimum: 1,
      description: 'The elder’s consecutive missed visits, this one included',
    }),
  }),
  'No check-in within the grace period after the due time: the supervisors are told.',
);

export const visitCancelled = defineEvent(
  visitTopic,
  'visit.cancelled',
  StrictObject({ ...visitRef, reason: StringEnum(VISIT_CANCEL_REASONS), actorId: Type.Optional(ActorId()) }),
  'The visit is no longer wanted (its plan changed, the elder left); its job, if any, is withdrawn.',
);

export const visitEvents = [
  visitScheduled,
  visitDispatched,
  visitAssigned,
  visitCheckedIn,
  visitCompleted,
  visitFindingReported,
  visitMissed,
  visitCancelled,
] as const;
