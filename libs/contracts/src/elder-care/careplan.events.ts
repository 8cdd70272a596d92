// The care-plan stream of elder-care: which door-to-door services (上门服务) an elder receives, and on what rhythm.
// No personal data (names, phones, id numbers, addresses) travels here.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import { ActorId, AggregateVersion, Id, Jurisdiction, StrictObject, StringEnum } from '../fields';

export const carePlanTopic = defineTopic(
  'elder-care',
  'careplan',
  1,
  'Elders’ care plans, keyed by care-plan id',
);

/**
 * The service items of a care plan (助餐 meal delivery, 助浴 bathing, 助洁 cleaning, 健康检查, 陪伴 companionship,
 * 安全巡访 safety visit, 康复 rehabilitation, other). Each is also the dispatch skill a caregiver needs for it.
 */
export const CARE_SERVICES = [
  'meal-delivery',
  'bathing',
  'cleaning',
  'health-check',
  'companionship',
  'safety-visit',
  'rehabilitation',
  'other',
] as const;
export type CareService = (typeof CARE_SERVICES)[number];
export const CARE_PLAN_STATUSES = ['active', 'ended'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** daily: every day; weekly: on the weekdays listed; interval: every `everyDays` days from the item's start. */
export const RHYTHM_KINDS = ['daily', 'weekly', 'interval', 'monthly'] as const;
const MAX_PLAN_ITEMS = 20;
const MAX_TIMES_PER_DAY = 6;

/** A local date (Asia/Shanghai), YYYY-MM-DD. */
export const LocalDate = (description?: string) =>
  Type.String({ format: 'date', ...(description ? { description } : {}) });
/** A local time of day (Asia/Shanghai), HH:mm. */
export const LocalTime = () => Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });

/** When an item's visits fall, in Asia/Shanghai time. */
export const Rhythm = () =>
  StrictObject(
    {
      kind: StringEnum(RHYTHM_KINDS),
      times: Type.Array(LocalTime(), {
        minItems: 1,
        maxItems: MAX_TIMES_PER_DAY,
        uniqueItems: true,
        description: 'Local times of day of the visits (HH:mm, Asia/Shanghai)',
      }),
      weekdays: Type.Optional(
        Type.Array(StringEnum(WEEKDAYS), { minItems: 1, maxItems: 7, uniqueItems: true }),
      ),
      everyDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
      daysOfMonth: Type.Optional(
        Type.Array(Type.Integer({ minimum: 1, maximum: 31 }), {
          minItems: 1,
          maxItems: 31,
          uniqueItems: true,
          description: 'A day past a month’s end falls on its last day',
        }),
      ),
    },
    { description: 'weekly needs weekdays, interval needs everyDays, monthly needs daysOfMonth' },
  );

export const CarePlanItem = () =>
  StrictObject({
    itemId: Id('Stable across versions while the item is kept'),
    service: StringEnum(CARE_SERVICES),
    rhythm: Rhythm(),
    startsOn: LocalDate('First local date the item applies'),
    endsOn: Type.Optional(LocalDate('Last local date the item applies')),
  });

export const carePlanChanged = defineEvent(
  carePlanTopic,
  'careplan.changed',
  StrictObject({
    carePlanId: Id('Care-plan id (the Kafka key)'),
    version: AggregateVersion(),
    jurisdiction: Jurisdiction('Code of the elder’s community'),
    elderId: Id(),
    status: StringEnum(CARE_PLAN_STATUSES),
    items: Type.Array(CarePlanItem(), { maxItems: MAX_PLAN_ITEMS }),
    actorId: Type.Optional(ActorId()),
  }),
  'A care plan was created or changed (a new version); the full current plan, not a patch, so a consumer can ' +
    'replace its copy.',
);

export const carePlanEvents = [carePlanChanged] as const;
