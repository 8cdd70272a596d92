// The OASIS Common Alerting Protocol 1.2 alert as data (CAP-v1.2-os, and its XSD in ./schema/cap-v1.2.xsd).
// Date-times are kept as the strings CAP carries: `2026-07-01T08:00:00+08:00`, always with a numeric offset.
// Repeated elements are always arrays (empty when absent); optional single elements are absent when not sent.

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';

export const CAP_STATUSES = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;
export const CAP_MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export const CAP_SCOPES = ['Public', 'Restricted', 'Private'] as const;
export const CAP_CATEGORIES = [
  'Geo',
  'Met',
  'Safety',
  'Security',
  'Rescue',
  'Fire',
  'Health',
  'Env',
  'Transport',
  'Infra',
  'CBRNE',
  'Other',
] as const;
export const CAP_RESPONSE_TYPES = [
  'Shelter',
  'Evacuate',
  'Prepare',
  'Execute',
  'Avoid',
  'Monitor',
  'Assess',
  'AllClear',
  'None',
] as const;
export const CAP_URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export const CAP_SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export const CAP_CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;

export type CapStatus = (typeof CAP_STATUSES)[number];
export type CapMsgType = (typeof CAP_MSG_TYPES)[number];
export type CapScope = (typeof CAP_SCOPES)[number];
export type CapCategory = (typeof CAP_CATEGORIES)[number];
export type CapResponseType = (typeof CAP_RESPONSE_TYPES)[number];
export type CapUrgency = (typeof CAP_URGENCIES)[number];
export type CapSeverity = (typeof CAP_SEVERITIES)[number];
export type CapCertainty = (typeof CAP_CERTAINTIES)[number];

/** `YYYY-MM-DDThh:mm:ss±hh:mm`, as the CAP 1.2 XSD's pattern demands (no `Z`, no fractions). */
export type CapDateTime = string;

/** eventCode, parameter and geocode: a system-specific name (e.g. `GB/T 2260`, `SAME`) and its value. */
export interface CapValuePair {
  valueName: string;
  value: string;
}

export interface CapResource {
  resourceDesc: string;
  mimeType: string;
  size?: number;
  uri?: string;
  derefUri?: string;
  digest?: string;
}

export interface CapArea {
  areaDesc: string;
  /** Each a closed ring of `lat,lon` pairs separated by spaces (WGS 84). */
  polygon: string[];
  /** Each `lat,lon radius-km`. */
  circle: string[];
  geocode: CapValuePair[];
  altitude?: number;
  ceiling?: number;
}

export interface CapInfo {
  /** RFC 3066 language tag; the XSD's default `en-US` when the element is absent. */
  language: string;
  category: CapCategory[];
  event: string;
  responseType: CapResponseType[];
  urgency: CapUrgency;
  severity: CapSeverity;
  certainty: CapCertainty;
  audience?: string;
  eventCode: CapValuePair[];
  effective?: CapDateTime;
  onset?: CapDateTime;
  expires?: CapDateTime;
  senderName?: string;
  headline?: string;
  description?: string;
  instruction?: string;
  web?: string;
  contact?: string;
  parameter: CapValuePair[];
  resource: CapResource[];
  area: CapArea[];
}

export interface CapAlert {
  identifier: string;
  sender: string;
  sent: CapDateTime;
  status: CapStatus;
  msgType: CapMsgType;
  source?: string;
  scope: CapScope;
  restriction?: string;
  addresses?: string;
  code: string[];
  note?: string;
  /** Space-separated `sender,identifier,sent` triples of earlier messages (Update, Cancel). */
  references?: string;
  incidents?: string;
  info: CapInfo[];
}

/** The XSD's date-time pattern, anchored. */
export const CAP_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$/;

/** Whether `value` is a CAP 1.2 date-time naming a real instant (month, day, hour… in range). */
export function isCapDateTime(value: string): boolean {
  if (!CAP_DATE_TIME.test(value)) return false;
  const [y, mo, d, h, mi, s, oh, om] = value.match(/\d+/g)!.map(Number);
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return (
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    d <= daysInMonth &&
    h <= 23 &&
    mi <= 59 &&
    s <= 59 &&
    (oh < 14 ? om <= 59 : oh === 14 && om === 0)
  );
}

/** A CAP date-time for `at` in the given offset (default +08:00, China Standard Time), to the second. */
export function toCapDateTime(at: Date, offsetMinutes = 480): CapDateTime {
  const local = new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
