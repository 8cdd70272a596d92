// The codes of resident-requests the operator's pages offer (kept in step with libs/contracts and the ticket rules:
// the API refuses anything else with a 400 naming the field), the category catalogue read once per page load, and
// which command a ticket's status allows (services/resident-requests/src/tickets/ticket.rules.ts TRANSITIONS).
import { api } from '../../core/api.js';
import { language, tOr } from '../../core/i18n.js';

export const TICKET_STATUSES = [
  'new',
  'triaged',
  'routed',
  'dispatched',
  'assigned',
  'in-progress',
  'resolved',
  'closed',
  'cancelled',
];
/** Channels an operator takes a request on (visit findings and Open311 arrive by themselves). */
export const OPERATOR_CHANNELS = ['hotline', 'walk-in', 'web', 'app', 'grid-patrol'];
export const PRIORITIES = ['danger', 'utilities', 'general', 'complex'];
export const VULNERABLE_GROUPS = [
  'elderly-alone',
  'disabled',
  'pregnant',
  'child',
  'low-income',
  'mental-disorder',
  'left-behind-child',
];
export const CANCEL_REASONS = ['withdrawn', 'duplicate', 'invalid', 'other'];
export const REOPEN_REASONS = ['dissatisfied', 'not-solved', 'manual'];
export const RESOLUTIONS = ['done', 'partly-done', 'not-needed', 'referred', 'not-actionable'];

const OPEN = ['new', 'triaged', 'routed', 'dispatched', 'assigned', 'in-progress'];
/** From which statuses the operator's commands are allowed (a closed ticket reopens only within a window). */
export const ALLOWED_FROM = {
  reprioritise: ['triaged', 'routed', 'dispatched', 'assigned', 'in-progress'],
  cancel: OPEN,
  reopen: ['resolved', 'closed'],
  resolve: ['routed'],
};

/** A mainland mobile or a landline with its area code, as the API's isPhone reads it (libs/platform china/phone). */
export function isPhone(value) {
  const normalised = value.replace(/[\s\-()]/g, '').replace(/^\+?86(?=1[3-9]\d{9}$)/, '');
  return /^1[3-9]\d{9}$/.test(normalised) || /^0\d{2,3}\d{7,8}$/.test(normalised);
}

let catalogue;
/** The category catalogue ({ code, name: { zh, en } } …), fetched once: it changes only with a release. */
export function categories() {
  catalogue ??= api('resident-requests', '/categories').then(
    (reply) => reply.items,
    (error) => {
      catalogue = undefined;
      throw error;
    },
  );
  return catalogue;
}

/** A bilingual name ({ zh, en }) or a plain string, in the page's language. */
export function localName(name) {
  if (!name || typeof name === 'string') return name ?? '';
  return language() === 'en' ? (name.en ?? name.zh) : (name.zh ?? name.en);
}

/** A category's name from the catalogue already loaded, or its code. */
export function categoryName(list, code) {
  const found = list?.find((c) => c.code === code);
  return found ? localName(found.name) : code;
}

/** A code's label under `operator.<group>.<code>`, or the code itself when the console has no name for it. */
export function label(group, code) {
  if (code === undefined || code === null || code === '') return '';
  return tOr(`operator.${group}.${code}`, code);
}
