// The visit stream of elder-care: door-to-door visits generated from care plans, checked in and out by caregivers.
// No personal data (names, phones, id numbers, addresses) travels here.
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

export const VISIT_MISSED_REASONS = ['no-check-in', 'elder-absent', 'cancelled-late'] as const;
const MAX_CONCERNS = 10;

const visitRef = {
  visitId: Id('Visit id (the Kafka key)'),
  version: AggregateVersion(),
  jurisdiction: Jurisdiction('Code of the elder’s community'),
  elderId: Id(),
};

export const visitScheduled = defineEvent(
  visitTopic,
  'visit.scheduled',
  StrictObject({
    ...visitRef,
    carePlanId: Type.Optional(Id('Absent for a one-off visit')),
    service: StringEnum(CARE_SERVICES),
    scheduledFor: DateTime('Start of the visit window'),
    dueBy: DateTime('End of the window; no check-in by then makes the visit missed'),
    jobId: Type.Optional(Id('The dispatch job that finds the caregiver')),
  }),
  'A visit was planned, from the care plan’s rhythm or by hand.',
);

export const visitCheckedIn = defineEvent(
  visitTopic,
  'visit.checked-in',
  StrictObject({ ...visitRef, providerId: Id(), providerKind: ProviderKind(), actorId: ActorId() }),
  'The caregiver arrived at the elder’s home.',
);

export const visitCompleted = defineEvent(
  visitTopic,
  'visit.completed',
  StrictObject({
    ...visitRef,
    providerId: Id(),
    providerKind: ProviderKind(),
    service: StringEnum(CARE_SERVICES),
    checkedInAt: DateTime(),
    concerns: Type.Array(Category(), {
      maxItems: MAX_CONCERNS,
      uniqueItems: true,
      description: 'Needs the visit discovered (走访发现); each becomes a ticket in resident-requests',
    }),
    actorId: ActorId(),
  }),
  'The caregiver checked out; the service was delivered.',
);

export const visitMissed = defineEvent(
  visitTopic,
  'visit.missed',
  StrictObject({
    ...visitRef,
    scheduledFor: DateTime(),
    reason: StringEnum(VISIT_MISSED_REASONS),
    providerId: Type.Optional(Id()),
  }),
  'The visit did not happen in its window; it is escalated.',
);

export const visitEvents = [visitScheduled, visitCheckedIn, visitCompleted, visitMissed] as const;
