// The incident as clients read it.
import type { IncidentState } from './incident.rules';

export function toIncidentView(state: IncidentState): Record<string, unknown> {
  return {
    incidentId: state.incidentId,
    version: state.version,
    status: state.status,
    kind: state.kind,
    severity: state.severity,
    title: state.title,
    description: state.description,
    areas: state.areas,
    ...(state.polygon ? { polygon: state.polygon } : {}),
    jurisdiction: state.jurisdiction,
    source: state.source,
    declaredAt: state.declaredAt,
    declaredBy: state.declaredBy,
    ...(state.closeReason ? { closeReason: state.closeReason } : {}),
    history: state.history,
  };
}

/** In lists: without the history. */
export function toIncidentListItem(state: IncidentState): Record<string, unknown> {
  const { history: _history, ...rest } = toIncidentView(state);
  return rest;
}
