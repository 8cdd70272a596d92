// What the mediator's screens share: mediation's codes and their names, China's clock for date inputs and weeks,
// and a refetch on the case topic's live notices.
import { debounce } from '../../core/dom.js';
import { tOr } from '../../core/i18n.js';
import { onLive } from '../../core/live.js';

/** mediation's case topic (ids only reach the console: pages refetch what they show). */
export const CASE_TOPIC = 'linli.mediation.case.v1';

export const CASE_STATUSES = ['open', 'assigned', 'in-mediation', 'agreed', 'closed'];
export const OUTCOMES = ['agreement', 'failed', 'referred'];
export const REFERRAL_TARGETS = ['street', 'district-centre', 'court', 'arbitration'];
export const FOLLOW_UP_PLANS = ['after-period', 'per-term'];

/** `label('caseType', 'neighbour')` → 邻里纠纷; the code itself when the console has no name for it. */
export function label(kind, code) {
  return code ? tOr(`mediator.labels.${kind}.${code}`, code) : '';
}

const CHINA_OFFSET_MS = 8 * 3600_000;

/** An instant as a `datetime-local` value in China time: 2026-12-01T09:30. */
export function toChinaInput(iso) {
  return new Date(new Date(iso).getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16);
}

/** A `datetime-local` value read as China time, as ISO 8601 with its offset (what mediation's DTOs take). */
export function fromChinaInput(value) {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value || '') ? `${value}:00+08:00` : '';
}

/** The China date (YYYY-MM-DD) of an instant. */
export function chinaDate(iso) {
  return new Date(new Date(iso).getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** A date `days` after a YYYY-MM-DD date. */
export function addDays(date, days) {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** The Monday (YYYY-MM-DD) of the ISO week holding a China date. */
export function mondayOf(date) {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(date, -weekday);
}

/** Tomorrow 09:30 in China: a sensible default for a new session. */
export function defaultSessionTime(now = new Date()) {
  return `${addDays(chinaDate(now.toISOString()), 1)}T09:30`;
}

/** Calls `refresh` (debounced) on a case notice that `relevant` accepts, and after the stream reconnects. */
export function refreshOnCaseNotices(refresh, relevant = () => true) {
  const later = debounce(refresh, 300);
  const stop = onLive((notice) => {
    if (notice.type === 'reconnected' || (notice.topic === CASE_TOPIC && relevant(notice))) later();
  });
  return () => {
    later.cancel();
    stop();
  };
}
