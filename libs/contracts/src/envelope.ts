// The CloudEvents 1.0 envelope in the Kafka protocol binding's binary mode: attributes travel as ce_* headers,
// the JSON data is the message value, the aggregate id is the key (so one aggregate's events keep their order).
import { randomUUID } from 'node:crypto';

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const JSON_CONTENT_TYPE = 'application/json';

/** A CloudEvent with Linli's extensions. Extension names follow the spec: lower-case letters and digits. */
export interface CloudEvent<T = unknown> {
  specversion: typeof CLOUDEVENTS_SPEC_VERSION;
  id: string;
  /** URI-reference of the producing service, e.g. `/linli/dispatch`. */
  source: string;
  /** `linli.<service>.<aggregate>.<event>.v<major>`, e.g. `linli.dispatch.job.accepted.v1`. */
  type: string;
  time: string;
  /** The aggregate id; also the Kafka key. */
  subject: string;
  datacontenttype: typeof JSON_CONTENT_TYPE;
  dataschema?: string;
  /** Administrative division code of the aggregate (a prefix of a 12-digit statistical code). */
  jurisdiction?: string;
  correlationid?: string;
  causationid?: string;
  /** W3C trace context. */
  traceparent?: string;
  data: T;
}

export type EventInit<T> = Pick<CloudEvent<T>, 'source' | 'type' | 'subject' | 'data'> &
  Partial<
    Pick<
      CloudEvent<T>,
      'id' | 'time' | 'jurisdiction' | 'correlationid' | 'causationid' | 'traceparent' | 'dataschema'
    >
  >;

export function createEvent<T>(init: EventInit<T>): CloudEvent<T> {
  const id = init.id ?? randomUUID();
  return {
    specversion: CLOUDEVENTS_SPEC_VERSION,
    id,
    source: init.source,
    type: init.type,
    time: init.time ?? new Date().toISOString(),
    subject: init.subject,
    datacontenttype: JSON_CONTENT_TYPE,
    ...(init.dataschema ? { dataschema: init.dataschema } : {}),
    ...(init.jurisdiction ? { jurisdiction: init.jurisdiction } : {}),
    // An event that starts a chain is its own correlation.
    correlationid: init.correlationid ?? id,
    ...(init.causationid ? { causationid: init.causationid } : {}),
    ...(init.traceparent ? { traceparent: init.traceparent } : {}),
    data: init.data,
  };
}

/** The shape kafkajs sends and receives, without depending on kafkajs here. */
export interface KafkaRecord {
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers?: Record<string, string | Buffer | (string | Buffer)[] | undefined>;
}

const ATTRIBUTES = [
  'specversion',
  'id',
  'source',
  'type',
  'time',
  'subject',
  'dataschema',
  'jurisdiction',
  'correlationid',
  'causationid',
  'traceparent',
] as const;
// CloudEvents makes time optional, but Linli's contract requires it (ordering, deadlines and latency are read from
// it): a record without one is malformed rather than given an invented time.
const REQUIRED = ['specversion', 'id', 'source', 'type', 'time'] as const;

export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

export function toKafkaRecord(
  event: CloudEvent,
): KafkaRecord & { key: string; value: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { 'content-type': event.datacontenttype };
  for (const name of ATTRIBUTES) {
    const value = event[name];
    if (value !== undefined && value !== null) headers[`ce_${name}`] = String(value);
  }
  return { key: event.subject, value: JSON.stringify(event.data), headers };
}

function headerText(value: string | Buffer | (string | Buffer)[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const one = Array.isArray(value) ? value[value.length - 1] : value;
  return one === undefined ? undefined : one.toString();
}

/** Reads a binary-mode record back; throws EnvelopeError when it is not a well-formed JSON CloudEvent. */
export function fromKafkaRecord(record: KafkaRecord): CloudEvent<unknown> {
  const headers = record.headers ?? {};
  const attrs: Record<string, string> = {};
  for (const name of ATTRIBUTES) {
    const value = headerText(headers[`ce_${name}`]);
    if (value !== undefined) attrs[name] = value;
  }
  for (const name of REQUIRED) {
    if (!attrs[name]) throw new EnvelopeError(`missing CloudEvents attribute ce_${name}`);
  }
  if (attrs.specversion !== CLOUDEVENTS_SPEC_VERSION) {
    throw new EnvelopeError(`unsupported CloudEvents specversion ${attrs.specversion}`);
  }
  if (Number.isNaN(Date.parse(attrs.time)))
    throw new EnvelopeError(`ce_time is not a timestamp: ${attrs.time}`);
  const contentType = headerText(headers['content-type']) ?? JSON_CONTENT_TYPE;
  if (!contentType.startsWith(JSON_CONTENT_TYPE))
    throw new EnvelopeError(`unsupported content-type ${contentType}`);
  if (record.value === null) throw new EnvelopeError('message has no value');
  let data: unknown;
  try {
    data = JSON.parse(record.value.toString());
  } catch (err) {
    throw new EnvelopeError(`value is not JSON: ${(err as Error).message}`);
  }
  const key = record.key === null ? undefined : record.key.toString();
  const subject = attrs.subject ?? key;
  if (!subject) throw new EnvelopeError('message has neither ce_subject nor a key');
  return {
    ...(attrs as unknown as Omit<CloudEvent, 'data' | 'datacontenttype' | 'subject' | 'specversion'>),
    specversion: CLOUDEVENTS_SPEC_VERSION,
    subject,
    datacontenttype: JSON_CONTENT_TYPE,
    data,
  };
}
