// The care-plan stream of elder-care: which door-to-door services (上门服务) an elder receives, and how often.
// No personal data (names, phones, id numbers, addresses) travels here.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import { ActorId, AggregateVersion, DateTime, Id, Jurisdiction, StrictObject, StringEnum } from '../fields';

export const carePlanTopic = defineTopic(
  'elder-care',
  'careplan',
  1,
  'Elders’ care plans, keyed by care-plan id',
);

/** Door-to-door services of a care plan: meals, bathing, cleaning, health checks, companionship, safety visits. */
export const CARE_SERVICES = [
  'meal',
  'bathing',
  'cleaning',
  'health-check',
  'companionship',
  'safety-visit',
] as const;
export const CARE_PLAN_STATUSES = ['active', 'suspended', 'ended'] as const;
export const RHYTHM_UNITS = ['day', 'week', 'month'] as const;
/** More lines than services would be a plan repeating itself; kept well above the catalogue's size. */
const MAX_PLAN_ITEMS = 20;

export const carePlanChanged = defineEvent(
  carePlanTopic,
  'careplan.changed',
  StrictObject({
    carePlanId: Id('Care-plan id (the Kafka key)'),
    version: AggregateVersion(),
    jurisdiction: Jurisdiction('Code of the elder’s community'),
    elderId: Id(),
    status: StringEnum(CARE_PLAN_STATUSES),
    effectiveFrom: DateTime(),
    items: Type.Array(
      StrictObject({
        service: StringEnum(CARE_SERVICES),
        every: Type.Integer({ minimum: 1, description: 'One visit every `every` `unit`s' }),
        unit: StringEnum(RHYTHM_UNITS),
      }),
      { maxItems: MAX_PLAN_ITEMS },
    ),
    actorId: Type.Optional(ActorId()),
  }),
  'A care plan was created or changed; the full current plan, not a patch, so a consumer can replace its copy.',
);

export const carePlanEvents = [carePlanChanged] as const;
