// Reading GeoReport parameters as clients send them: form and query values are strings, repeated parameters
// arrive as arrays, and an empty value counts as not given ("Optional Arguments": "A null parameter should be
// treated as equivalent to a non-declared parameter").
import type { Open311Faults } from './open311.errors';

export type RawParameters = Readonly<Record<string, unknown>>;

/** One value of a parameter declared once; undefined when absent or empty. Repeats are a fault. */
export function single(parameters: RawParameters, name: string, faults: Open311Faults): string | undefined {
  const value = parameters[name];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    const given = value.map(textOf).filter((item) => item !== '');
    if (given.length > 1) faults.add(`${name} must be given once`);
    return given[0];
  }
  const text = textOf(value);
  return text === '' ? undefined : text;
}

/** A list parameter: "can be declared multiple times, comma delimited". Empty items are dropped. */
export function list(parameters: RawParameters, name: string): string[] | undefined {
  const value = parameters[name];
  if (value === undefined || value === null) return undefined;
  const items = (Array.isArray(value) ? value : [value])
    .flatMap((item) => textOf(item).split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length === 0 ? undefined : items;
}

function textOf(value: unknown): string {
  // A JSON-posting client may send numbers or booleans; forms only ever give strings.
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/**
 * The w3 date-time profile the specification requires: a full date and time with a time zone (Z or ±hh:mm), e.g.
 * 2010-01-01T00:00:00Z. Undefined when the text is not one.
 */
const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseW3cDateTime(text: string): Date | undefined {
  if (!W3C_DATETIME.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Date-times we write: w3 profile in UTC, whole seconds (as in the specification's examples). */
export function w3cDateTime(date: Date | string | undefined | null): string | null {
  if (date === undefined || date === null) return null;
  const instant = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(instant.getTime())) return null;
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
