// What a service records in the audit log: every change made through its API and every read of personal data.
// Records are kept durably by the service (its `audit_outbox`) and published to the gateway's audit stream, where
// the gateway chains them (ADR 0025). This file is the interface the rest of the code calls.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@linli/auth';
import { auditRecorded, createEvent, type CloudEvent } from '@linli/contracts';
import { currentCorrelationId } from '@linli/platform';
import { auditContext } from './audit.context';
import { AUDIT_OPTIONS, type ResolvedAuditOptions } from './audit.options';
import { buildAuditRecord, type AuditRecord } from './audit.record';
import { AuditOutbox } from './audit-outbox';

export interface AuditRecordInput {
  /**
   * Who acted; Actor.system() for the platform itself. An API client (Open311) passes its own id and role; a caller
   * without credentials `{ userId: 'anonymous', role: '', jurisdiction: '' }`.
   */
  actor: Actor | { userId: string; role: string; jurisdiction: string };
  action:
    | 'personal-data.read'
    | 'personal-data.changed'
    | 'resource.changed'
    | 'sign-in'
    | 'sign-in.failed'
    | 'sign-out'
    | 'role.changed'
    | 'api-key.used';
  outcome?: 'allowed' | 'denied';
  /** The record concerned: its type (`ticket`, `elder`, `user`…) and id; its jurisdiction (code) when known. */
  resource?: { type: string; id: string; jurisdiction?: string };
  /** Names of the personal fields read or changed (never their values). */
  fields?: string[];
  /**
   * From where: the caller's address, and the request's correlation id. Both default to the current request's
   * (x-forwarded-for's first hop from a trusted proxy, else the socket; x-correlation-id).
   */
  address?: string;
  correlationId?: string;
  /** The HTTP method and route template (`PATCH /tickets/:ticketId`); defaults to the current request's. */
  operation?: string;
}

@Injectable()
export class AuditTrail {
  constructor(
    @Inject(AUDIT_OPTIONS) private readonly options: ResolvedAuditOptions,
    private readonly outbox: AuditOutbox,
  ) {}

  /** Records durably before resolving (an error means it was not recorded). */
  async record(input: AuditRecordInput): Promise<void> {
    const context = auditContext.current();
    const correlationId = input.correlationId ?? context?.correlationId ?? currentCorrelationId();
    const record = buildAuditRecord(
      { ...input, ...(correlationId ? { correlationId } : {}) },
      {
        service: this.options.service,
        rootJurisdiction: this.options.config.AUDIT_ROOT_JURISDICTION,
        auditId: randomUUID(),
        at: new Date(),
        context,
      },
    );
    await this.outbox.add(auditEvent(this.options.service, record));
  }
}

/** The record as the CloudEvent the relay publishes: its id and key are the auditId. */
export function auditEvent(service: string, record: AuditRecord): CloudEvent<AuditRecord> {
  return createEvent({
    id: record.auditId,
    source: `/linli/${service}`,
    type: auditRecorded.type,
    subject: record.auditId,
    time: record.at,
    jurisdiction: record.jurisdiction,
    ...(record.correlationId ? { correlationid: record.correlationId } : {}),
    data: record,
  });
}
