// The audit stream of the gateway: every read and change of residents' personal data, and every sign-in, as an
// append-only record kept at least six months (Cybersecurity Law) for the auditor role. The record names the
// fields touched, never their values: no personal data (names, phones, id numbers, addresses) travels here.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import { Id, Jurisdiction, ROLES, StrictObject, StringEnum } from '../fields';

export const auditTopic = defineTopic(
  'gateway',
  'audit',
  1,
  'Append-only audit records, keyed by audit record id',
);

export const AUDIT_ACTIONS = [
  'personal-data.read',
  'personal-data.changed',
  'sign-in',
  'sign-in.failed',
  'sign-out',
  'role.changed',
  'api-key.used',
] as const;
export const AUDIT_OUTCOMES = ['allowed', 'denied'] as const;
export const AUDITED_SERVICES = [
  'gateway',
  'resident-requests',
  'dispatch',
  'elder-care',
  'mediation',
  'emergency',
  'notifications',
  'insights',
] as const;
const MAX_FIELDS = 50;

/** Audit records are never changed, so they carry no version. */
export const auditRecorded = defineEvent(
  auditTopic,
  'audit.recorded',
  StrictObject({
    auditId: Id('Audit record id (the Kafka key)'),
    jurisdiction: Jurisdiction('Code of the resource concerned, or the actor’s scope when none'),
    actorId: Id('User or API-client id'),
    actorRole: StringEnum(ROLES),
    action: StringEnum(AUDIT_ACTIONS),
    outcome: StringEnum(AUDIT_OUTCOMES),
    resource: Type.Optional(
      StrictObject({
        service: StringEnum(AUDITED_SERVICES),
        type: Type.String({ pattern: '^[a-z-]{1,40}$' }),
        id: Id(),
      }),
    ),
    fields: Type.Optional(
      Type.Array(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9.]{0,63}$' }), {
        maxItems: MAX_FIELDS,
        uniqueItems: true,
        description: 'Names of the personal-data fields read or changed',
      }),
    ),
  }),
  'Someone read or changed personal data, signed in, or changed a role.',
);

export const auditEvents = [auditRecorded] as const;
