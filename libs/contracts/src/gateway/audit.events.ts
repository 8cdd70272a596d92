// The audit stream of the gateway: every change made through a service's API, every read of residents' personal
// data, and every sign-in, as records the gateway appends to its hash-chained log, kept at least six months
// (Cybersecurity Law) for the auditor role. Every service publishes here (from its `audit_outbox`, libs/audit); the
// gateway alone consumes. A record names the fields touched, never their values: no personal data (names, phones,
// id numbers, addresses) travels here.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import { DateTime, Id, Jurisdiction, ROLES, StrictObject, StringEnum } from '../fields';

export const auditTopic = defineTopic(
  'gateway',
  'audit',
  1,
  'Append-only audit records, keyed by audit record id',
);

export const AUDIT_ACTIONS = [
  'personal-data.read',
  'personal-data.changed',
  'resource.changed',
  'sign-in',
  'sign-in.failed',
  'sign-out',
  'role.changed',
  'api-key.used',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const AUDIT_OUTCOMES = ['allowed', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
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
export type AuditedService = (typeof AUDITED_SERVICES)[number];
/** The services that publish records today (insights has no API of its own yet). */
const AUDIT_PRODUCERS = AUDITED_SERVICES.filter((service) => service !== 'insights');
/** Who acted when nobody signed in: a public route (Open311 without a key, an SMS acknowledgement link). */
export const ANONYMOUS_ACTOR_ID = 'anonymous';
const MAX_FIELDS = 50;
const MAX_ROLES = ROLES.length;
/** Long enough for an IPv6 address with a zone. */
const MAX_ADDRESS_LENGTH = 64;
/** As libs/platform accepts correlation ids (MAX_CORRELATION_ID_LENGTH). */
const MAX_CORRELATION_ID_LENGTH = 128;
const MAX_OPERATION_LENGTH = 200;

/** Audit records are never changed, so they carry no version. */
export const auditRecorded = {
  ...defineEvent(
    auditTopic,
    'audit.recorded',
    StrictObject({
      auditId: Id(
        'Audit record id (a uuid; the Kafka key and the CloudEvent id); the gateway appends each once',
      ),
      service: StringEnum(AUDITED_SERVICES, { description: 'The service that recorded it' }),
      at: DateTime('When it happened, as the recording service saw it'),
      jurisdiction: Jurisdiction(
        'Where it belongs, for scoping the log: the resource’s code when known, else the actor’s, else the ' +
          'deployment’s root (an anonymous caller of a public route, a failed sign-in of an unknown name)',
      ),
      actorId: Id(`User or API-client id; \`${ANONYMOUS_ACTOR_ID}\` for a caller without credentials`),
      actorRoles: Type.Array(StringEnum(ROLES), {
        maxItems: MAX_ROLES,
        uniqueItems: true,
        description: 'The roles the actor held (empty for an anonymous caller or an unknown user)',
      }),
      actorJurisdiction: Type.Optional(Jurisdiction('The actor’s own scope, when the actor has one')),
      action: StringEnum(AUDIT_ACTIONS),
      outcome: StringEnum(AUDIT_OUTCOMES),
      resource: Type.Optional(
        StrictObject({
          service: StringEnum(AUDITED_SERVICES),
          type: Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$' }),
          id: Type.Optional(Id()),
          jurisdiction: Type.Optional(Jurisdiction('The resource’s own code, when known')),
        }),
      ),
      fields: Type.Optional(
        Type.Array(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9.]{0,63}$' }), {
          maxItems: MAX_FIELDS,
          uniqueItems: true,
          description: 'Names of the personal-data fields read or changed (never their values)',
        }),
      ),
      clientIp: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: MAX_ADDRESS_LENGTH,
          pattern: '^[0-9A-Za-z.:%-]+$',
          description: 'The client’s IP address (x-forwarded-for’s first hop when a trusted proxy sent it)',
        }),
      ),
      correlationId: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: MAX_CORRELATION_ID_LENGTH,
          description: 'The request’s correlation id (x-correlation-id)',
        }),
      ),
      operation: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: MAX_OPERATION_LENGTH,
          description: 'HTTP method and route template, e.g. `PATCH /tickets/:ticketId`',
        }),
      ),
    }),
    'Someone changed something through the API, read personal data, signed in or out, or changed a role.',
  ),
  producers: AUDIT_PRODUCERS,
};

export const auditEvents = [auditRecorded] as const;
