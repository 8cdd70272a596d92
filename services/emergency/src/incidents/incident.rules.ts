// The incident's rules, pure: its states (declared → active → all-clear → closed), its area (the jurisdiction that
// covers every area, what an update adds), the polygon drawn for it. No I/O: the service loads, asks these, writes.
import type { FieldError } from '@linli/platform';
import {
  INCIDENT_CLOSE_REASONS,
  INCIDENT_KINDS,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  SEVERITIES,
} from '@linli/contracts';

export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type IncidentKind = (typeof INCIDENT_KINDS)[number];
export type Severity = (typeof SEVERITIES)[number];
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];
export type CloseReason = (typeof INCIDENT_CLOSE_REASONS)[number];

/** GeoJSON Polygon: rings of [lon, lat], the first the outer boundary, each closed (last point = first). */
export interface GeoPolygon {
  type: 'Polygon';
  coordinates: number[][][];
}

export interface HistoryEntry {
  at: Date;
  actorId: string;
  /** declared, updated, activated, all-clear, closed. */
  change: string;
  status?: IncidentStatus;
  severity?: Severity;
  areas?: string[];
  addedAreas?: string[];
  removedAreas?: string[];
  polygon?: boolean;
  description?: boolean;
  reason?: string;
}

export interface IncidentState {
  incidentId: string;
  version: number;
  status: IncidentStatus;
  kind: IncidentKind;
  severity: Severity;
  title: string;
  description: string;
  areas: string[];
  polygon?: GeoPolygon;
  jurisdiction: string;
  source: IncidentSource;
  declaredAt: Date;
  declaredBy: string;
  closeReason?: CloseReason;
  history: HistoryEntry[];
}

/** Lengths of the administrative levels' codes: province · city · district · street · community. */
export const ADMINISTRATIVE_LENGTHS = [2, 4, 6, 9, 12] as const;

/** The longest administrative code that is a prefix of every area (the level that declares the incident). */
export function jurisdictionOf(areas: readonly string[]): string {
  let best = '';
  for (const length of ADMINISTRATIVE_LENGTHS) {
    const prefix = areas[0]?.slice(0, length) ?? '';
    if (prefix.length === length && areas.every((area) => area.startsWith(prefix))) best = prefix;
    else break;
  }
  return best;
}

/** `code` lies within `area` (the same division or one below it). */
export function isWithin(code: string, area: string): boolean {
  return code.startsWith(area);
}

/** Every code of `codes` lies within one of `areas`. */
export function allWithin(codes: readonly string[], areas: readonly string[]): boolean {
  return codes.every((code) => areas.some((area) => isWithin(code, area)));
}

/** The codes of `next` not covered by any of `previous` (the area grew there). */
export function addedAreas(previous: readonly string[], next: readonly string[]): string[] {
  return next.filter((code) => !previous.some((area) => isWithin(code, area)));
}

/** The codes of `previous` no longer covered by any of `next`. */
export function removedAreas(previous: readonly string[], next: readonly string[]): string[] {
  return previous.filter((code) => !next.some((area) => isWithin(code, area)));
}

/** The problems of a GeoJSON polygon, each naming its field (`polygon.coordinates[0][3]`); none when it is fine. */
export function polygonErrors(polygon: unknown, maxPoints: number, field = 'polygon'): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (path: string, message: string) => errors.push({ field: path, message });
  if (typeof polygon !== 'object' || polygon === null || Array.isArray(polygon)) {
    fail(field, 'must be a GeoJSON Polygon object');
    return errors;
  }
  const { type, coordinates, ...rest } = polygon as Record<string, unknown>;
  for (const key of Object.keys(rest)) fail(`${field}.${key}`, `${key} is not a member of a GeoJSON Polygon`);
  if (type !== 'Polygon') fail(`${field}.type`, "type must be 'Polygon'");
  if (!Array.isArray(coordinates) || coordinates.length === 0) {
    fail(`${field}.coordinates`, 'coordinates must be a non-empty array of linear rings');
    return errors;
  }
  let points = 0;
  coordinates.forEach((ring: unknown, r) => {
    const ringField = `${field}.coordinates[${r}]`;
    if (!Array.isArray(ring) || ring.length < 4) {
      fail(ringField, 'a linear ring needs at least 4 positions (a closed triangle)');
      return;
    }
    points += ring.length;
    ring.forEach((position: unknown, p) => {
      const positionField = `${ringField}[${p}]`;
      if (
        !Array.isArray(position) ||
        position.length !== 2 ||
        !position.every((n) => typeof n === 'number' && Number.isFinite(n))
      ) {
        fail(positionField, 'a position is [longitude, latitude], two numbers');
        return;
      }
      const [lon, lat] = position as number[];
      if (lon < -180 || lon > 180) fail(positionField, `longitude ${lon} is outside -180..180`);
      if (lat < -90 || lat > 90) fail(positionField, `latitude ${lat} is outside -90..90`);
    });
    const first = ring[0] as unknown;
    const last = ring[ring.length - 1] as unknown;
    if (Array.isArray(first) && Array.isArray(last) && (first[0] !== last[0] || first[1] !== last[1])) {
      fail(ringField, 'the ring is not closed: its last position must equal its first');
    }
  });
  if (points > maxPoints)
    fail(`${field}.coordinates`, `the polygon has ${points} points; at most ${maxPoints}`);
  return errors;
}

/** Why a transition cannot happen (the 409's message), or undefined when it can. */
export function transitionError(
  status: IncidentStatus,
  action: 'activate' | 'all-clear' | 'close' | 'update' | 'alert',
): string | undefined {
  switch (action) {
    case 'activate':
      return status === 'declared'
        ? undefined
        : `the incident is ${status}; only a declared incident is activated`;
    case 'all-clear':
      return status === 'declared' || status === 'active'
        ? undefined
        : `the incident is ${status}; only a declared or active incident gets the all-clear`;
    case 'close':
    case 'update':
    case 'alert':
      return status === 'closed' ? `the incident is closed` : undefined;
  }
}

/** The status an action leads to. */
export function nextStatus(action: 'activate' | 'all-clear' | 'close'): IncidentStatus {
  return action === 'activate' ? 'active' : action === 'all-clear' ? 'all-clear' : 'closed';
}

/** Codes given twice (or one inside another given too) are kept once: the larger area. */
export function normaliseAreas(areas: readonly string[]): string[] {
  const unique = [...new Set(areas)];
  return unique.filter((code) => !unique.some((other) => other !== code && isWithin(code, other)));
}
