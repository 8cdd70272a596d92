// The elder stream of elder-care: who is registered for home care (居家养老), and what makes them vulnerable,
// which emergency keeps per community to send welfare checks. No personal data (names, phones, id numbers,
// addresses) travels here: the codes below are the minimum a consumer needs to act.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import { ActorId, AggregateVersion, Id, Jurisdiction, StrictObject, StringEnum } from '../fields';

export const elderTopic = defineTopic(
  'elder-care',
  'elder',
  1,
  'Registered home-dwelling elders, keyed by elder id',
);

/** 自理 / 半失能 / 失能. */
export const CARE_NEEDS = ['self-care', 'partial-assistance', 'full-assistance'] as const;
/** The hardship markers (特殊困难群体) that put an elder on emergency's vulnerable list. */
export const VULNERABILITIES = [
  'living-alone',
  'disabled',
  'low-income',
  'mental-disorder',
  'advanced-age',
] as const;

export const elderRegistered = defineEvent(
  elderTopic,
  'elder.registered',
  StrictObject({
    elderId: Id('Elder id (the Kafka key)'),
    version: AggregateVersion(),
    jurisdiction: Jurisdiction('Code of the community the elder lives in'),
    careNeed: StringEnum(CARE_NEEDS),
    vulnerabilities: Type.Array(StringEnum(VULNERABILITIES), {
      maxItems: VULNERABILITIES.length,
      uniqueItems: true,
    }),
    actorId: Type.Optional(ActorId()),
  }),
  'An elder was registered for home care in a community.',
);

export const elderEvents = [elderRegistered] as const;
