// How the supervisor's screens show an indicator's numbers and a period, from the unit insights gives it.
import { formatDate, formatNumber, todayInChina } from '../../core/dom.js';
import { t } from '../../core/i18n.js';

export const PERIOD_KINDS = ['day', 'week', 'month', 'quarter', 'year'];
/** How many periods a trend line shows for each kind: about a season of days, a year of months… */
export const TREND_COUNTS = { day: 14, week: 12, month: 12, quarter: 8, year: 5 };

/** The value as people read it: a percentage, minutes, hours; a dash when there is nothing to show. */
export function formatValue(value, unit) {
  if (value === null || value === undefined) return t('supervisor.dashboard.noValue');
  if (unit === 'ratio') return formatNumber(value, { percent: true });
  if (unit === 'minutes' || unit === 'hours') {
    return t(`supervisor.unitSuffix.${unit}`, { value: formatNumber(value, { digits: 1 }) });
  }
  return formatNumber(value);
}

/** A share among others (the five societies'): a dash when there is nothing to share. */
export function formatShare(value) {
  return value === null || value === undefined ? '—' : formatValue(value, 'ratio');
}

/** For an axis or a tooltip: the same, shorter. */
export function axisValue(value, unit) {
  if (value === null || value === undefined) return '';
  return unit === 'ratio' ? formatNumber(value, { percent: true, digits: 0 }) : formatNumber(value);
}

/** The raw value for the `data-value` hook and for exports: the API's number as JSON writes it, or empty. */
export function rawValue(value) {
  return value === null || value === undefined ? '' : String(value);
}

/** A period's label on a trend's axis, from its start (an instant) in Asia/Shanghai. */
export function periodLabel(kind, startIso) {
  const date = todayInChina(new Date(startIso)); // YYYY-MM-DD of the local start
  const [year, month] = date.split('-');
  switch (kind) {
    case 'year':
      return year;
    case 'quarter':
      return `${year} Q${Math.floor((Number(month) - 1) / 3) + 1}`;
    case 'month':
      return `${year}-${month}`;
    default:
      return date.slice(5);
  }
}

/** The last local day of a period whose end (excluded) is the given instant. */
export function lastDay(endIso) {
  return formatDate(new Date(new Date(endIso).getTime() - 1).toISOString());
}
