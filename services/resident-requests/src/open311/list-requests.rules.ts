// GET requests: which tickets a query asks for. The specification's defaults: "a span of 90 days or first 1000
// requests returned, whichever is smallest"; a start_date/end_date range "may not span more than 90 days";
// service_request_id "overrides all other arguments".
import { Open311Faults } from './open311.errors';
import { list, parseW3cDateTime, single, type RawParameters } from './parameters';
import { OPEN311_STATUSES, type Open311Status } from './status.rules';

/** The specification's numbers, not ours to configure: a client relies on them. */
export const DEFAULT_SPAN_DAYS = 90;
export const MAX_REQUESTS = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_SPAN_MS = DEFAULT_SPAN_DAYS * DAY_MS;

export type RequestsQuery =
  | { kind: 'ids'; ids: string[] }
  | {
      kind: 'search';
      serviceCodes?: string[];
      statuses?: Open311Status[];
      /** requested_datetime within [from, to], both inclusive. */
      from: Date;
      to: Date;
      /** Pages of `pageSize` (the common page/page_size extension); page 1 and 1000 by default. */
      page: number;
      pageSize: number;
    };

export function parseRequestsQuery(parameters: RawParameters, now: Date): RequestsQuery {
  const faults = new Open311Faults();
  const ids = list(parameters, 'service_request_id');
  if (ids) {
    if (ids.length > MAX_REQUESTS) faults.add(`service_request_id lists at most ${MAX_REQUESTS} ids`);
    faults.throwIfAny();
    return { kind: 'ids', ids: [...new Set(ids)] };
  }

  const statuses = list(parameters, 'status');
  for (const status of statuses ?? []) {
    if (!(OPEN311_STATUSES as readonly string[]).includes(status)) {
      faults.add(`status must be open or closed (comma delimited)`);
      break;
    }
  }
  const { from, to } = window(parameters, now, faults);
  const page = positiveInteger(parameters, 'page', 1, Number.MAX_SAFE_INTEGER, faults);
  const pageSize = positiveInteger(parameters, 'page_size', MAX_REQUESTS, MAX_REQUESTS, faults);
  faults.throwIfAny();
  const serviceCodes = list(parameters, 'service_code');
  return {
    kind: 'search',
    ...(serviceCodes ? { serviceCodes: [...new Set(serviceCodes)] } : {}),
    ...(statuses ? { statuses: [...new Set(statuses)] as Open311Status[] } : {}),
    from,
    to,
    page,
    pageSize,
  };
}

function window(parameters: RawParameters, now: Date, faults: Open311Faults): { from: Date; to: Date } {
  const start = date(parameters, 'start_date', faults);
  const end = date(parameters, 'end_date', faults);
  if (start === null || end === null) return { from: now, to: now }; // a fault was recorded
  if (start && end) {
    if (start.getTime() > end.getTime()) faults.add('start_date must not be after end_date');
    else if (end.getTime() - start.getTime() > MAX_SPAN_MS) {
      faults.add(`start_date and end_date may not span more than ${DEFAULT_SPAN_DAYS} days`);
    }
    return { from: start, to: throughTheSecond(end, parameters) };
  }
  // One end given: the other is the default span away from it; neither: the most recent 90 days.
  if (start) return { from: start, to: new Date(start.getTime() + MAX_SPAN_MS) };
  if (end) return { from: new Date(end.getTime() - MAX_SPAN_MS), to: throughTheSecond(end, parameters) };
  return { from: new Date(now.getTime() - MAX_SPAN_MS), to: now };
}

/**
 * We write requested_datetime in whole seconds, so an end_date in whole seconds includes that whole second: a
 * client that passes a request's own requested_datetime as end_date finds that request.
 */
function throughTheSecond(end: Date, parameters: RawParameters): Date {
  const given = String(parameters['end_date']);
  return /:\d{2}\.\d+/.test(given) ? end : new Date(end.getTime() + 999);
}

/** undefined: not given; null: given but not a w3 date-time (a fault is recorded). */
function date(parameters: RawParameters, name: string, faults: Open311Faults): Date | undefined | null {
  const text = single(parameters, name, faults);
  if (text === undefined) return undefined;
  const parsed = parseW3cDateTime(text);
  if (parsed) return parsed;
  faults.add(`${name} must be a w3 date-time with a time zone, e.g. 2010-01-01T00:00:00Z`);
  return null;
}

function positiveInteger(
  parameters: RawParameters,
  name: string,
  fallback: number,
  max: number,
  faults: Open311Faults,
): number {
  const text = single(parameters, name, faults);
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    faults.add(`${name} must be a whole number from 1 to ${max}`);
    return fallback;
  }
  return value;
}
