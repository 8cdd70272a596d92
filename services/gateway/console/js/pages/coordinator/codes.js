// The codes of emergency the coordinator's pages offer, kept in step with libs/contracts (emergency/incident.events.ts,
// emergency/alert.events.ts) and the service's rules: the API refuses anything else with a 400 naming the field.
import { api } from '../../core/api.js';

export const INCIDENT_KINDS = [
  'flood',
  'typhoon',
  'fire',
  'gas-leak',
  'earthquake',
  'epidemic',
  'public-security',
  'other',
];
export const SEVERITIES = ['extreme', 'severe', 'moderate', 'minor', 'unknown'];
export const INCIDENT_STATUSES = ['declared', 'active', 'all-clear', 'closed'];
export const CLOSE_REASONS = ['all-clear', 'false-alarm'];

export const ALERT_AUDIENCES = ['providers', 'community-workers', 'residents'];
export const URGENCIES = ['immediate', 'expected', 'future', 'past', 'unknown'];
export const CERTAINTIES = ['observed', 'likely', 'possible', 'unlikely', 'unknown'];
export const RESPONSES = [
  'shelter',
  'evacuate',
  'prepare',
  'execute',
  'avoid',
  'monitor',
  'assess',
  'all-clear',
  'none',
];
export const ALERT_LANGUAGES = ['zh-CN', 'en'];
/** CAP keeps headlines short so they fit an SMS (contracts' MAX_HEADLINE, MAX_INSTRUCTION). */
export const MAX_HEADLINE = 160;
export const MAX_INSTRUCTION = 1000;
export const MAX_TITLE = 200;
export const MAX_INCIDENT_AREAS = 200;
/** A week: the service's MAX_ACKNOWLEDGE_MINUTES. */
export const MAX_ACKNOWLEDGE_MINUTES = 7 * 24 * 60;

/**
 * CAP's <category> and <event> of an alert come from its incident's kind (services/emergency alert.rules
 * CATEGORY_OF_KIND / EVENT_OF_KIND): shown on the composer, not typed.
 */
export const CAP_CATEGORY_OF_KIND = {
  flood: 'Met',
  typhoon: 'Met',
  fire: 'Fire',
  'gas-leak': 'Safety',
  earthquake: 'Geo',
  epidemic: 'Health',
  'public-security': 'Security',
  other: 'Other',
};

/** A recipient of an alert: pending → acknowledged | needs-help; silent once chased in vain. */
export const RECIPIENT_STATUSES = ['pending', 'acknowledged', 'needs-help', 'silent'];
export const ACK_RESPONSES = ['received', 'safe', 'needs-help'];
/** How staff took someone's answer (services/emergency recipient.rules ON_BEHALF_CHANNELS). */
export const ON_BEHALF_CHANNELS = ['phone', 'in-person'];

export const WELFARE_STATUSES = ['pending', 'checked-safe', 'needs-help', 'unreachable'];
export const WELFARE_RESULTS = ['safe', 'needs-help', 'unreachable'];

/** Which commands an incident's status allows (incident.rules transitionError). */
export function incidentAllows(status, action) {
  switch (action) {
    case 'activate':
      return status === 'declared';
    case 'all-clear':
      return status === 'declared' || status === 'active';
    default:
      return status !== 'closed';
  }
}

/** A live notice concerns an incident's emergency work when its subject is the incident, one of its alerts (and their
 * broadcasts, `<alertId>:<sequence>`) or one of its welfare checks (`<incidentId>-W-<elderId>`, the job's id too). */
export function concernsIncident(notice, incidentId) {
  const subject = (notice && notice.subject) || '';
  return subject === incidentId || subject.startsWith(`${incidentId}-`);
}

/** A notice on emergency's incident stream (any incident: the list refetches). */
export function isIncidentNotice(notice) {
  const text = `${(notice && notice.topic) || ''} ${(notice && notice.type) || ''}`;
  return /emergency\.incident\./.test(text);
}

const names = new Map();

/**
 * The name of a division (`宁海路街道`, with its path for the title), from resident-requests' division search; the
 * code itself while unknown or when the search fails. Cached for the page's life: the tree does not change.
 */
export async function divisionName(code) {
  if (!names.has(code)) {
    names.set(
      code,
      api('resident-requests', '/divisions', { query: { q: code, limit: 5 } })
        .then((answer) => {
          const found = ((answer && answer.items) || []).find((item) => item.code === code);
          return found ? { name: found.name, path: found.path || found.name } : { name: code, path: code };
        })
        .catch(() => {
          names.delete(code);
          return { name: code, path: code };
        }),
    );
  }
  return names.get(code);
}

/** Fills an element with an area's name once known (its code until then, kept in the title). */
export function areaLabel(element, code) {
  element.textContent = code;
  element.setAttribute('data-code', code);
  void divisionName(code).then(({ name, path }) => {
    element.textContent = name === code ? code : `${name}`;
    element.title = `${path} (${code})`;
  });
  return element;
}

/** `2026-11-29T20:30` typed in a datetime-local field means China's time: the instant, ISO; '' when empty. */
export function chinaLocalToIso(value) {
  if (!value) return '';
  const date = new Date(`${value.length === 16 ? `${value}:00` : value}+08:00`);
  return Number.isNaN(date.getTime()) ? 'invalid' : date.toISOString();
}

/** The datetime-local value (China's time) of an instant. */
export function isoToChinaLocal(iso) {
  if (!iso) return '';
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}
