// What a service records in the audit log: every change made through its API and every read of personal data.
// Records are kept durably by the service and published to the gateway's audit stream, where the gateway chains
// them (see the audit piece of issue 7). This file is the interface the rest of the code calls.
import { Injectable } from '@nestjs/common';
import type { Actor } from '@linli/auth';

export interface AuditRecordInput {
  /** Who acted; Actor.system() for the platform itself. An API client (Open311) passes its own id and role. */
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
  /** From where: the caller's address, and the request's correlation id. */
  address?: string;
  correlationId?: string;
  /** The HTTP method and route template (`PATCH /tickets/:ticketId`) when it came through the API. */
  operation?: string;
}

@Injectable()
export class AuditTrail {
  /** Records durably before resolving (an error means it was not recorded). */
  async record(_input: AuditRecordInput): Promise<void> {
    // Filled in by the audit piece.
  }
}
