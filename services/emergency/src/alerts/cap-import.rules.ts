// How a CAP 1.2 alert of another authority becomes ours, pure: its key (sender + identifier), the messages it
// references, the incident kind and the alert fields it maps to, the administrative areas its geocodes name.
import { MAX_HEADLINE, MAX_INSTRUCTION } from '@linli/contracts';
import { createHash } from 'node:crypto';
import type { CapAlert, CapInfo } from '../cap/cap.model';
import {
  polygonErrors,
  type GeoPolygon,
  type IncidentKind,
  type Severity,
} from '../incidents/incident.rules';
import type { AlertFields, AlertMessageType, AlertResponse } from './alert.rules';

/** The geocode names of our administrative codes in CAP (GB/T 2260 districts and above, GB/T 10114 below). */
export const ADMINISTRATIVE_GEOCODES = ['GB/T 2260', 'GB/T 10114'] as const;

/** The import key of a CAP message: a hash of its sender and identifier (which CAP says identify it). */
export function capKey(sender: string, identifier: string): string {
  return createHash('sha256').update(`${sender}\n${identifier}`).digest('base64url');
}

/** The keys of the messages a CAP message references (`sender,identifier,sent` triples, space-separated). */
export function referencedKeys(references: string | undefined): string[] {
  if (!references) return [];
  return references
    .split(/\s+/)
    .filter(Boolean)
    .map((triple) => triple.split(','))
    .filter((parts) => parts.length >= 2 && parts[0] && parts[1])
    .map(([sender, identifier]) => capKey(sender, identifier));
}

/** The info block we read: the first in Chinese, else the first. */
export function mainInfo(alert: CapAlert): CapInfo | undefined {
  return alert.info.find((info) => info.language.toLowerCase().startsWith('zh')) ?? alert.info[0];
}

/** The administrative codes the CAP's geocodes name (GB/T 2260 / GB/T 10114), once each, in order. */
export function administrativeGeocodes(alert: CapAlert): string[] {
  const codes = alert.info.flatMap((info) =>
    info.area.flatMap((area) =>
      area.geocode
        .filter((g) => (ADMINISTRATIVE_GEOCODES as readonly string[]).includes(g.valueName))
        .map((g) => g.value.trim()),
    ),
  );
  return [...new Set(codes)];
}

const KIND_WORDS: [RegExp, IncidentKind][] = [
  [/typhoon|hurricane|cyclone|台风/i, 'typhoon'],
  [/flood|洪|涝|inundation/i, 'flood'],
  [/earthquake|地震|tsunami/i, 'earthquake'],
  [/gas|燃气/i, 'gas-leak'],
  [/fire|bushfire|火/i, 'fire'],
  [/epidemic|pandemic|disease|疫/i, 'epidemic'],
];

/** The incident kind of a CAP info: from its event's words, else its categories; default other. */
export function kindOf(info: CapInfo | undefined): IncidentKind {
  if (!info) return 'other';
  for (const [pattern, kind] of KIND_WORDS) if (pattern.test(info.event)) return kind;
  if (info.category.includes('Fire')) return 'fire';
  if (info.category.includes('Geo')) return 'earthquake';
  if (info.category.includes('Health')) return 'epidemic';
  if (info.category.includes('Security')) return 'public-security';
  return 'other';
}

export function messageTypeOf(alert: CapAlert): AlertMessageType {
  return alert.msgType === 'Update' ? 'update' : alert.msgType === 'Cancel' ? 'cancel' : 'alert';
}

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The alert fields of a CAP info (lower-cased enumerations, headline ≤ 160, instruction ≤ 1000), for `areas`;
 * `fallback` (the alert's current fields) fills what a CAP without info (a bare Cancel) does not say.
 */
export function fieldsOf(
  info: CapInfo | undefined,
  areas: string[],
  defaults: { now: Date; expiryMs: number; acknowledgeWithinMs: number; textMax: number },
  fallback?: AlertFields,
): AlertFields {
  const base: AlertFields = fallback ?? {
    audiences: ['residents', 'community-workers', 'providers'],
    headline: 'CAP',
    description: 'CAP',
    urgency: 'unknown',
    severity: 'unknown',
    certainty: 'unknown',
    language: 'zh-CN',
    expiresAt: new Date(defaults.now.getTime() + defaults.expiryMs),
    acknowledgeWithinMs: defaults.acknowledgeWithinMs,
    areas,
  };
  if (!info) return { ...base, areas };
  const headline = truncate(info.headline ?? info.event, MAX_HEADLINE);
  const response = info.responseType[0];
  const expires = info.expires ? new Date(Date.parse(info.expires)) : undefined;
  return {
    ...base,
    headline,
    description: truncate(info.description ?? headline, defaults.textMax),
    ...(info.instruction ? { instruction: truncate(info.instruction, MAX_INSTRUCTION) } : {}),
    urgency: info.urgency.toLowerCase() as AlertFields['urgency'],
    severity: info.severity.toLowerCase() as Severity,
    certainty: info.certainty.toLowerCase() as AlertFields['certainty'],
    ...(response
      ? { response: (response === 'AllClear' ? 'all-clear' : response.toLowerCase()) as AlertResponse }
      : {}),
    language: info.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en',
    ...(expires ? { expiresAt: expires } : {}),
    areas,
  };
}

/**
 * The first CAP polygon ("lat,lon lat,lon …") of the info as a GeoJSON Polygon ([lon, lat]), for the incident's
 * map; undefined when there is none or it is not a valid closed ring within `maxPoints`.
 */
export function geoPolygonOf(info: CapInfo | undefined, maxPoints: number): GeoPolygon | undefined {
  const text = info?.area.flatMap((area) => area.polygon)[0];
  if (!text) return undefined;
  const ring = text
    .trim()
    .split(/\s+/)
    .map((pair) => pair.split(',').map(Number))
    .map(([lat, lon]) => [lon, lat]);
  const polygon: GeoPolygon = { type: 'Polygon', coordinates: [ring] };
  return polygonErrors(polygon, maxPoints).length === 0 ? polygon : undefined;
}
