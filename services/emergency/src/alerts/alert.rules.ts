// The alert's rules, pure: its messages (CAP Alert, Update, Cancel) composed from the coordinator's fields, what
// each message broadcasts (alert.issued), and the CAP 1.2 model of a message. No I/O.
import {
  ALERT_AUDIENCES,
  ALERT_CERTAINTIES,
  ALERT_LANGUAGES,
  ALERT_MESSAGE_TYPES,
  ALERT_RESPONSES,
  ALERT_URGENCIES,
  type EventData,
  type alertIssued,
} from '@linli/contracts';
import {
  toCapDateTime,
  type CapAlert,
  type CapCategory,
  type CapCertainty,
  type CapInfo,
  type CapResponseType,
  type CapSeverity,
  type CapUrgency,
} from '../cap/cap.model';
import type { GeoPolygon, IncidentKind, Severity } from '../incidents/incident.rules';

export type AlertAudience = (typeof ALERT_AUDIENCES)[number];
export type AlertUrgency = (typeof ALERT_URGENCIES)[number];
export type AlertCertainty = (typeof ALERT_CERTAINTIES)[number];
export type AlertResponse = (typeof ALERT_RESPONSES)[number];
export type AlertLanguage = (typeof ALERT_LANGUAGES)[number];
export type AlertMessageType = (typeof ALERT_MESSAGE_TYPES)[number];
export type AlertStatus = 'active' | 'cancelled';

/** What a coordinator composes (and an Update may change). */
export interface AlertFields {
  audiences: AlertAudience[];
  headline: string;
  description: string;
  instruction?: string;
  urgency: AlertUrgency;
  severity: Severity;
  certainty: AlertCertainty;
  response?: AlertResponse;
  language: AlertLanguage;
  expiresAt: Date;
  acknowledgeWithinMs: number;
  areas: string[];
}

export interface AlertMessage extends AlertFields {
  sequence: number;
  messageType: AlertMessageType;
  sentAt: Date;
  actorId?: string;
  /** When its recipients must have acknowledged (none on a Cancel, none when not broadcast). */
  acknowledgeBy?: Date;
  /** Broadcast to its areas (an Actual message); exercises, tests and expired imports are only recorded. */
  broadcast: boolean;
  reason?: string;
  /** An imported message: the CAP as it was posted, written back as is; and its `sender,identifier`. */
  cap?: CapAlert;
  capKey?: string;
  /** The Idempotency-Key an Update or Cancel was sent under (ADR 0035): a retry finds its message here. */
  idempotency?: { key: string; request: string };
}

export interface AlertState {
  alertId: string;
  incidentId: string;
  version: number;
  status: AlertStatus;
  jurisdiction: string;
  source: 'coordinator' | 'cap-import';
  current: AlertFields;
  messages: AlertMessage[];
  createdAt: Date;
}

/** The fields an Update may change; anything absent keeps the current value. */
export type AlertChanges = Partial<Omit<AlertFields, 'acknowledgeWithinMs'>> & {
  acknowledgeWithinMs?: number;
};

/** The current fields after an Update. */
export function applyChanges(current: AlertFields, changes: AlertChanges): AlertFields {
  const next: AlertFields = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
  }
  return next;
}

/** A message of the alert: its sequence the next one, acknowledgeBy = sentAt + acknowledgeWithin (not on a Cancel). */
export function composeMessage(
  previous: readonly AlertMessage[],
  messageType: AlertMessageType,
  fields: AlertFields,
  sentAt: Date,
  extra: {
    actorId?: string;
    broadcast?: boolean;
    reason?: string;
    cap?: CapAlert;
    capKey?: string;
    idempotency?: { key: string; request: string };
  } = {},
): AlertMessage {
  const broadcast = extra.broadcast ?? true;
  return {
    ...structuredClone(fields),
    sequence: previous.length + 1,
    messageType,
    sentAt,
    ...(broadcast && messageType !== 'cancel'
      ? { acknowledgeBy: new Date(sentAt.getTime() + fields.acknowledgeWithinMs) }
      : {}),
    broadcast,
    ...(extra.actorId ? { actorId: extra.actorId } : {}),
    ...(extra.reason ? { reason: extra.reason } : {}),
    ...(extra.cap ? { cap: extra.cap } : {}),
    ...(extra.capKey ? { capKey: extra.capKey } : {}),
    ...(extra.idempotency ? { idempotency: extra.idempotency } : {}),
  };
}

/** The data of alert.issued for a message, at the version the write gives the alert. */
export function issuedData(
  state: AlertState,
  message: AlertMessage,
  version: number,
): EventData<typeof alertIssued> {
  return {
    alertId: state.alertId,
    version,
    jurisdiction: state.jurisdiction,
    incidentId: state.incidentId,
    sequence: message.sequence,
    messageType: message.messageType,
    audiences: message.audiences,
    areas: message.areas,
    urgency: message.urgency,
    severity: message.severity,
    certainty: message.certainty,
    ...(message.response ? { response: message.response } : {}),
    language: message.language,
    headline: message.headline,
    ...(message.instruction ? { instruction: message.instruction } : {}),
    ...(message.acknowledgeBy ? { acknowledgeBy: message.acknowledgeBy.toISOString() } : {}),
    expiresAt: message.expiresAt.toISOString(),
    ...(message.actorId ? { actorId: message.actorId } : {}),
  };
}

/** active, cancelled, or expired (active past its expiry). */
export function viewStatus(state: AlertState, now: Date): AlertStatus | 'expired' {
  return state.status === 'active' && state.current.expiresAt.getTime() <= now.getTime()
    ? 'expired'
    : state.status;
}

const CATEGORY_OF_KIND: Record<IncidentKind, CapCategory> = {
  flood: 'Met',
  typhoon: 'Met',
  fire: 'Fire',
  'gas-leak': 'Safety',
  earthquake: 'Geo',
  epidemic: 'Health',
  'public-security': 'Security',
  other: 'Other',
};
const EVENT_OF_KIND: Record<IncidentKind, { zh: string; en: string }> = {
  flood: { zh: '洪涝', en: 'Flood' },
  typhoon: { zh: '台风', en: 'Typhoon' },
  fire: { zh: '火灾', en: 'Fire' },
  'gas-leak': { zh: '燃气泄漏', en: 'Gas leak' },
  earthquake: { zh: '地震', en: 'Earthquake' },
  epidemic: { zh: '疫情', en: 'Epidemic' },
  'public-security': { zh: '社会治安', en: 'Public security' },
  other: { zh: '其他', en: 'Other' },
};

const capitalised = <T extends string>(value: string): T =>
  (value.charAt(0).toUpperCase() + value.slice(1)) as T;

/** CAP responseType of our response (all-clear → AllClear). */
export function capResponseType(response: AlertResponse): CapResponseType {
  return response === 'all-clear' ? 'AllClear' : capitalised<CapResponseType>(response);
}

/** The geocode name of an administrative code: GB/T 2260 up to the district, GB/T 10114 for streets and communities. */
export function geocodeName(code: string): string {
  return code.length <= 6 ? 'GB/T 2260' : 'GB/T 10114';
}

/** GeoJSON rings ([lon, lat]) as CAP polygons ("lat,lon lat,lon …"): the outer ring only (CAP has no holes). */
export function capPolygons(polygon: GeoPolygon | undefined): string[] {
  const outer = polygon?.coordinates[0];
  return outer ? [outer.map(([lon, lat]) => `${lat},${lon}`).join(' ')] : [];
}

export interface CapContext {
  sender: string;
  kind: IncidentKind;
  polygon?: GeoPolygon;
  /** Names of the areas ("江苏省 南京市 鼓楼区 …"), by code. */
  areaName: (code: string) => string | undefined;
}

/** The CAP 1.2 model of a message the platform composed (an imported one is written back as it came). */
export function toCapAlert(state: AlertState, message: AlertMessage, context: CapContext): CapAlert {
  if (message.cap) return message.cap;
  const identifier = (m: AlertMessage) => `${state.alertId}-${m.sequence}`;
  const earlier = state.messages.filter((m) => m.sequence < message.sequence);
  const english = message.language === 'en';
  const info: CapInfo = {
    language: english ? 'en-US' : 'zh-CN',
    category: [CATEGORY_OF_KIND[context.kind]],
    event: english ? EVENT_OF_KIND[context.kind].en : EVENT_OF_KIND[context.kind].zh,
    responseType: message.response ? [capResponseType(message.response)] : [],
    urgency: capitalised<CapUrgency>(message.urgency),
    severity: capitalised<CapSeverity>(message.severity),
    certainty: capitalised<CapCertainty>(message.certainty),
    eventCode: [{ valueName: 'linli:incidentKind', value: context.kind }],
    effective: toCapDateTime(message.sentAt),
    expires: toCapDateTime(message.expiresAt),
    headline: message.headline,
    description: message.description,
    ...(message.instruction ? { instruction: message.instruction } : {}),
    parameter: [
      { valueName: 'linli:incidentId', value: state.incidentId },
      { valueName: 'linli:alertId', value: state.alertId },
    ],
    resource: [],
    area: [
      {
        areaDesc: message.areas.map((code) => context.areaName(code) ?? code).join('; '),
        polygon: capPolygons(context.polygon),
        circle: [],
        geocode: message.areas.map((code) => ({ valueName: geocodeName(code), value: code })),
      },
    ],
  };
  return {
    identifier: identifier(message),
    sender: context.sender,
    sent: toCapDateTime(message.sentAt),
    status: 'Actual',
    msgType:
      message.messageType === 'alert' ? 'Alert' : message.messageType === 'update' ? 'Update' : 'Cancel',
    scope: 'Public',
    code: [],
    ...(message.reason ? { note: message.reason } : {}),
    ...(earlier.length > 0
      ? {
          references: earlier
            .map(
              (m) =>
                `${m.cap?.sender ?? context.sender},${m.cap?.identifier ?? identifier(m)},${m.cap?.sent ?? toCapDateTime(m.sentAt)}`,
            )
            .join(' '),
        }
      : {}),
    incidents: state.incidentId,
    info: [info],
  };
}
