// GeoReport v2 picks the response format by the resource's suffix (`services.xml`, `requests/T1.json`). XML is the
// format the specification requires; JSON is the Spark-convention mapping of the same XML.
export const OPEN311_FORMATS = ['xml', 'json'] as const;
export type Open311Format = (typeof OPEN311_FORMATS)[number];

/** The specification's content types ("Format Support"): UTF-8 everywhere. */
export const OPEN311_CONTENT_TYPES: Record<Open311Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** What errors are written in when the URL names no format we know: XML, the one every client must read. */
export const FALLBACK_FORMAT: Open311Format = 'xml';

export interface FormattedResource {
  /** The resource without its suffix: `services`, a service code, a request id, a token. */
  name: string;
  /** Absent when the suffix is missing or not a format we serve. */
  format?: Open311Format;
  /** The suffix as given (after the last dot), for the error message. */
  suffix?: string;
}

/** `T20261129-000123.json` → `{ name: 'T20261129-000123', format: 'json' }`. Suffixes are case-insensitive. */
export function splitFormat(segment: string): FormattedResource {
  const dot = segment.lastIndexOf('.');
  if (dot <= 0) return { name: segment };
  const name = segment.slice(0, dot);
  const suffix = segment.slice(dot + 1);
  const format = OPEN311_FORMATS.find((known) => known === suffix.toLowerCase());
  return format ? { name, format, suffix } : { name, suffix };
}

/** The format a request's errors are answered in: its URL's suffix when it names one, else XML. */
export function formatOfUrl(url: string): Open311Format {
  const path = url.split('?', 1)[0] ?? '';
  const last = path.slice(path.lastIndexOf('/') + 1);
  return splitFormat(safelyDecoded(last)).format ?? FALLBACK_FORMAT;
}

function safelyDecoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a malformed escape: the suffix, if any, is still readable as is
  }
}
