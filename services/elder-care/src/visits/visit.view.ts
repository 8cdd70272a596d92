// The visit as a user sees it (ids and codes; the elder's contact is served apart, to the caregiver holding it).
import type { VisitView } from './dto/visit.dto';
import type { Visit } from './visits.repository';

export function toVisitView(visit: Visit): VisitView {
  const view: VisitView = {
    visitId: visit._id,
    elderId: visit.elderId,
    community: visit.jurisdiction,
    source: visit.source,
    service: visit.service,
    dueAt: visit.dueAt.toISOString(),
    missedAfter: visit.missedAfter.toISOString(),
    status: visit.status,
    attempt: visit.attempt,
    unassigned: visit.unassigned,
    findings: (visit.findings ?? []).map((finding) => ({
      findingId: finding.findingId,
      observation: finding.observation,
      category: finding.category,
      summary: finding.summary,
    })),
    misses: (visit.misses ?? []).map((miss) => ({
      attempt: miss.attempt,
      at: miss.at.toISOString(),
      ...(miss.providerId ? { providerId: miss.providerId } : {}),
    })),
    version: visit.version,
    createdAt: visit.createdAt.toISOString(),
    updatedAt: visit.updatedAt.toISOString(),
  };
  if (visit.carePlanId) view.carePlanId = visit.carePlanId;
  if (visit.jobId) view.jobId = visit.jobId;
  if (visit.provider) {
    view.provider = {
      providerId: visit.provider.providerId,
      providerKind: visit.provider.providerKind,
      acceptedAt: visit.provider.acceptedAt.toISOString(),
    };
  }
  if (visit.checkIn) {
    view.checkIn = {
      at: visit.checkIn.at.toISOString(),
      ...(visit.checkIn.coordinates
        ? { coordinates: { lat: visit.checkIn.coordinates.lat, lng: visit.checkIn.coordinates.lng } }
        : {}),
      ...(typeof visit.checkIn.distanceM === 'number' ? { distanceM: visit.checkIn.distanceM } : {}),
      farFromHome: visit.checkIn.farFromHome,
    };
  }
  if (visit.checkOut) {
    view.checkOut = {
      at: visit.checkOut.at.toISOString(),
      itemsDone: [...visit.checkOut.itemsDone],
      observation: visit.checkOut.observation,
      ...(visit.checkOut.notes ? { notes: visit.checkOut.notes } : {}),
    };
  }
  if (visit.cancelReason) view.cancelReason = visit.cancelReason;
  return view;
}
