// The welfare check as clients see it (the board's items and the answer to a result).
import type { WelfareCheckView } from './dto/welfare.dto';
import type { WelfareCheck } from './welfare-checks.repository';

export function toWelfareCheckView(check: WelfareCheck): WelfareCheckView {
  return {
    checkId: check._id,
    incidentId: check.incidentId,
    elderId: check.elderId,
    community: check.jurisdiction,
    status: check.status,
    jobId: check._id,
    jobStatus: check.jobStatus,
    ...(check.providerId ? { providerId: check.providerId } : {}),
    ...(check.result
      ? {
          result: check.result.result,
          ...(check.result.note !== undefined ? { note: check.result.note } : {}),
          recordedBy: check.result.actorId,
        }
      : {}),
    requestedAt: new Date(check.requestedAt).toISOString(),
    at: new Date(check.result?.at ?? check.updatedAt).toISOString(),
    version: check.version,
  };
}
