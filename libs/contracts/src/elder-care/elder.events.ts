// The elder stream of elder-care: who is registered for home care (居家养老), and what puts them in a group in
// hardship (特殊困难群体), which emergency keeps per community to send welfare checks and insights counts for the
// coverage indicators. No personal data (names, phones, identity numbers, addresses, contacts) travels here: the
// codes below are the minimum a consumer needs to act; the rest is read from elder-care's API, audited.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import { ActorId, AggregateVersion, DateTime, Id, Jurisdiction, StrictObject, StringEnum } from '../fields';

export const elderTopic = defineTopic(
  'elder-care',
  'elder',
  1,
  'Registered home-dwelling elders, keyed by elder id',
);

/** 独居 / 空巢 / 与家人同住. */
export const LIVING_SITUATIONS = ['alone', 'empty-nest', 'with-family'] as const;
/** 自理 / 半失能 / 失能. */
export const CARE_LEVELS = ['self-care', 'partly-dependent', 'fully-dependent'] as const;
/** 低保低收入 / 残疾 / 精神障碍 / 特困供养: the hardship flags of the plan's groups in hardship. */
export const HARDSHIP_FLAGS = ['low-income', 'disabled', 'mental-disorder', 'special-hardship'] as const;
export const ELDER_STATUSES = ['active', 'inactive'] as const;
/** Why an elder is no longer served: moved away, passed away, moved into a care home, withdrew consent. */
export const ELDER_INACTIVE_REASONS = ['moved', 'deceased', 'care-home', 'consent-withdrawn'] as const;
export const ELDER_ESCALATION_REASONS = ['missed-visits-in-a-row'] as const;

/** The facts about an elder other services act on: the same shape in every elder event that states them. */
const profile = {
  elderId: Id('Elder id (the Kafka key)'),
  version: AggregateVersion(),
  jurisdiction: Jurisdiction('Code of the community the elder lives in (12 digits)'),
  status: StringEnum(ELDER_STATUSES),
  livingSituation: StringEnum(LIVING_SITUATIONS),
  careLevel: StringEnum(CARE_LEVELS),
  hardship: Type.Array(StringEnum(HARDSHIP_FLAGS), { maxItems: HARDSHIP_FLAGS.length, uniqueItems: true }),
  consentToServices: Type.Boolean({ description: 'The elder (or guardian) agreed to door-to-door services' }),
};
const actor = { actorId: Type.Optional(ActorId()) };

export const elderRegistered = defineEvent(
  elderTopic,
  'elder.registered',
  StrictObject({
    ...profile,
    source: StringEnum(['form', 'import'] as const, {
      description: 'Typed in, or from a community list (CSV)',
    }),
    ...actor,
  }),
  'An elder was registered for home care in a community; the full profile a consumer keeps.',
);

export const elderUpdated = defineEvent(
  elderTopic,
  'elder.updated',
  StrictObject({
    ...profile,
    inactiveReason: Type.Optional(StringEnum(ELDER_INACTIVE_REASONS)),
    ...actor,
  }),
  'An elder’s profile changed (moved community, living situation, care level, hardship, consent, status); the ' +
    'full current profile, not a patch, so a consumer replaces its copy.',
);

export const elderDischarged = defineEvent(
  elderTopic,
  'elder.discharged',
  StrictObject({
    elderId: profile.elderId,
    version: profile.version,
    jurisdiction: profile.jurisdiction,
    dischargeId: Id(),
    dischargedOn: Type.String({ format: 'date', description: 'Local (Asia/Shanghai) date of the discharge' }),
    followUpVisitId: Id('The follow-up visit scheduled for it'),
    ...actor,
  }),
  'An operator recorded the elder’s discharge from hospital; a follow-up visit is scheduled.',
);

export const elderEscalated = defineEvent(
  elderTopic,
  'elder.escalated',
  StrictObject({
    elderId: profile.elderId,
    version: profile.version,
    jurisdiction: profile.jurisdiction,
    escalationId: Id(),
    reason: StringEnum(ELDER_ESCALATION_REASONS),
    visitIds: Type.Array(Id(), { minItems: 1, maxItems: 20, description: 'The visits that were missed' }),
    livingSituation: StringEnum(LIVING_SITUATIONS),
  }),
  'Visits to an elder living alone were missed twice in a row: the community’s emergency contact list must act.',
);

export const elderWelfareConcernRaised = defineEvent(
  elderTopic,
  'elder.welfare-concern-raised',
  StrictObject({
    elderId: profile.elderId,
    version: profile.version,
    jurisdiction: profile.jurisdiction,
    visitId: Id('The visit that found it'),
    findingId: Id(),
    observedAt: DateTime(),
    livingSituation: StringEnum(LIVING_SITUATIONS),
    careLevel: StringEnum(CARE_LEVELS),
    providerId: Id('The caregiver who raised it'),
  }),
  'A caregiver found the elder in an urgent state (紧急): emergency response takes it up as a welfare case.',
);

export const elderEvents = [
  elderRegistered,
  elderUpdated,
  elderDischarged,
  elderEscalated,
  elderWelfareConcernRaised,
] as const;
