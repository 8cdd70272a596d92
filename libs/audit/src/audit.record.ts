// Builds the audit.recorded payload from what a caller gives AuditTrail.record: pure, so what goes into the log
// (and what never does: values of personal data) is read and tested here.
import {
  ANONYMOUS_ACTOR_ID,
  ROLES,
  auditRecorded,
  validateEventData,
  type AuditedService,
  type EventData,
} from '@linli/contracts';
import type { AuditRecordInput } from './audit-trail';
import type { AuditRequestContext } from './audit.context';

export type AuditRecord = EventData<typeof auditRecorded>;
type Role = (typeof ROLES)[number];

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const CODE_PATTERN = /^[0-9]{2,12}$/;
const MAX_OPERATION_LENGTH = 200;
/** Stands for an actor id that is not one (a mistyped user name can be anything, a phone number included). */
export const UNRECOGNISED_ACTOR_ID = 'unrecognised';

/** A record the contract refuses: a programming error in the caller, so the API call fails rather than go unlogged. */
export class AuditRecordInvalidError extends Error {
  override readonly name = 'AuditRecordInvalidError';
}

export interface AuditRecordSettings {
  service: AuditedService;
  /** Where a record of unknown place is filed (AUDIT_ROOT_JURISDICTION). */
  rootJurisdiction: string;
  auditId: string;
  at: Date;
  /** The request's context; the input's own values win. */
  context?: AuditRequestContext;
}

const code = (value: string | undefined): string | undefined =>
  value !== undefined && CODE_PATTERN.test(value) ? value : undefined;

function actorOf(actor: AuditRecordInput['actor']): { id: string; roles: Role[]; jurisdiction?: string } {
  const given = 'roles' in actor ? [...actor.roles] : [actor.role];
  const roles = [
    ...new Set(given.filter((role): role is Role => (ROLES as readonly string[]).includes(role))),
  ];
  const id = ID_PATTERN.test(actor.userId) ? actor.userId : UNRECOGNISED_ACTOR_ID;
  return { id, roles, jurisdiction: code(actor.jurisdiction) };
}

export function buildAuditRecord(input: AuditRecordInput, settings: AuditRecordSettings): AuditRecord {
  const actor = actorOf(input.actor);
  const context = settings.context ?? {};
  const resourceCode = code(input.resource?.jurisdiction);
  const clientIp = input.address ?? context.clientIp;
  const correlationId = input.correlationId ?? context.correlationId;
  const operation = (input.operation ?? context.operation)?.slice(0, MAX_OPERATION_LENGTH);
  const fields = input.fields && input.fields.length > 0 ? [...new Set(input.fields)] : undefined;
  const record: AuditRecord = {
    auditId: settings.auditId,
    service: settings.service,
    at: settings.at.toISOString(),
    jurisdiction: resourceCode ?? actor.jurisdiction ?? settings.rootJurisdiction,
    actorId: actor.id,
    actorRoles: actor.roles,
    ...(actor.jurisdiction ? { actorJurisdiction: actor.jurisdiction } : {}),
    action: input.action,
    outcome: input.outcome ?? 'allowed',
    ...(input.resource
      ? {
          resource: {
            service: settings.service,
            type: input.resource.type,
            ...(ID_PATTERN.test(input.resource.id) ? { id: input.resource.id } : {}),
            ...(resourceCode ? { jurisdiction: resourceCode } : {}),
          },
        }
      : {}),
    ...(fields ? { fields } : {}),
    ...(clientIp ? { clientIp } : {}),
    ...(correlationId ? { correlationId } : {}),
    ...(operation ? { operation } : {}),
  };
  const result = validateEventData(auditRecorded, record);
  if (!result.ok) throw new AuditRecordInvalidError(`audit record refused: ${result.errors.join('; ')}`);
  return result.data;
}

export { ANONYMOUS_ACTOR_ID };
