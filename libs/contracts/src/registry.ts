// The one source of truth for topics and event types: each event is defined once with a TypeBox schema, from
// which come its TypeScript type (Static), its runtime validator (ajv) and its part of the AsyncAPI document.
import type { Static, TSchema } from '@sinclair/typebox';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** `linli.<service>.<aggregate>.v<major>`: one topic per aggregate stream. */
export function topicName(service: string, aggregate: string, major: number): string {
  return `linli.${service}.${aggregate}.v${major}`;
}

/** Dead letters of a topic go to `<topic>.dlq`. */
export function dlqTopicOf(topic: string): string {
  return `${topic}.dlq`;
}

export interface TopicDefinition {
  name: string;
  service: string;
  aggregate: string;
  major: number;
  description: string;
}

export function defineTopic(
  service: string,
  aggregate: string,
  major: number,
  description: string,
): TopicDefinition {
  return { name: topicName(service, aggregate, major), service, aggregate, major, description };
}

export interface EventDefinition<S extends TSchema = TSchema> {
  /** CloudEvents type, `linli.<service>.<aggregate>.<event>.v<major>`. */
  type: string;
  /** Short name used in DESIGN and logs, e.g. `job.accepted`. */
  name: string;
  major: number;
  topic: TopicDefinition;
  schema: S;
  description: string;
  /**
   * The services that send it, when not only the topic's own service: `job.requested` is sent by the domain
   * services onto dispatch's topic. The AsyncAPI document has one send operation per producer.
   */
  producers?: readonly string[];
}

/** Who sends an event: its declared producers, else the service that owns its topic. */
export function producersOf(definition: EventDefinition): readonly string[] {
  return definition.producers ?? [definition.topic.service];
}

export type EventData<D> = D extends EventDefinition<infer S> ? Static<S> : never;

export function defineEvent<S extends TSchema>(
  topic: TopicDefinition,
  name: string,
  schema: S,
  description: string,
  major = topic.major,
): EventDefinition<S> {
  return { type: `linli.${topic.service}.${name}.v${major}`, name, major, topic, schema, description };
}

const ajv = new Ajv({ allErrors: true, strict: true, coerceTypes: false, useDefaults: false });
addFormats(ajv);
const compiled = new WeakMap<TSchema, ValidateFunction>();

export type ValidationResult<T> = { ok: true; data: T } | { ok: false; errors: string[] };

export function validateEventData<S extends TSchema>(
  definition: EventDefinition<S>,
  data: unknown,
): ValidationResult<Static<S>> {
  let validate = compiled.get(definition.schema);
  if (!validate) {
    validate = ajv.compile(definition.schema);
    compiled.set(definition.schema, validate);
  }
  if (validate(data)) return { ok: true, data: data as Static<S> };
  return { ok: false, errors: (validate.errors ?? []).map(describeError) };
}

/** A JSON pointer to a child field (RFC 6901 escapes). */
function childPath(parent: string, field: string): string {
  return `${parent}/${field.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** One line per fault, always naming the field at fault as a JSON pointer (`/origin/service is required`). */
function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${childPath(error.instancePath, String(params.additionalProperty))} is not allowed (unknown field)`;
    case 'required':
      return `${childPath(error.instancePath, String(params.missingProperty))} is required`;
    case 'enum':
      return `${error.instancePath || '/'} must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    default:
      return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`;
  }
}
