// `@AuditPersonalRead(type, fields)` on a GET handler that returns personal data whole (a ticket's resident, the
// contact a holding provider reads, an elder, a case's parties): every answer is recorded as personal-data.read.
import { SetMetadata } from '@nestjs/common';

export const AUDIT_PERSONAL_READ = 'linli:audit:personal-read';

export interface PersonalReadAudit {
  /** The resource's type (`ticket`, `elder`, `contact`…). */
  type: string;
  /** The personal fields the answer carries (`resident.phone`), never their values. */
  fields: readonly string[];
  /** The route parameter holding the resource's id; default the last `…Id` parameter, else the answer's id. */
  idParam?: string;
}

export const AuditPersonalRead = (
  type: string,
  fields: readonly string[],
  options: { idParam?: string } = {},
): MethodDecorator =>
  SetMetadata(AUDIT_PERSONAL_READ, { type, fields, ...options } satisfies PersonalReadAudit);
