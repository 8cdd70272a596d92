// The AsyncAPI 3.0 document of every topic and event, generated from the same definitions as the types and the
// validators, so the published contract cannot drift from the code. `npm run asyncapi` writes it to
// libs/contracts/asyncapi.yaml; a unit test fails when the checked-in file is stale.
import type { TSchema } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { allEvents, allTopics } from './catalogue';
import { CLOUDEVENTS_SPEC_VERSION, JSON_CONTENT_TYPE } from './envelope';
import { type EventDefinition, producersOf, type TopicDefinition } from './registry';

export const ASYNCAPI_VERSION = '3.0.0';
/** The version of the document as a whole; each topic's own major is in its name. */
export const CONTRACTS_DOCUMENT_VERSION = '1.0.0';
const KAFKA_BINDING_VERSION = '0.5.0';
const HEADERS_SCHEMA = 'CloudEventHeaders';

/** A JSON value: what the document is made of once TypeBox's symbol keys are gone. */
export type AsyncApiDocument = Record<string, unknown>;

/** `linli.dispatch.job.v1` -> `dispatchJobV1`: ids in the document use letters and digits only. */
function camelId(dotted: string): string {
  return dotted
    .replace(/^linli\./, '')
    .split(/[.-]/)
    .map((part, i) => (i === 0 ? part : capitalised(part)))
    .join('');
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function channelIdOf(topic: TopicDefinition): string {
  return camelId(topic.name);
}

export function messageIdOf(definition: EventDefinition): string {
  return camelId(definition.type);
}

/**
 * `sendDispatchJobAcceptedV1` when the topic's own service sends it; a producer from elsewhere is named, as in
 * `sendDispatchJobRequestedV1FromElderCare`, so each producer has its own operation.
 */
export function operationIdOf(definition: EventDefinition, producer = definition.topic.service): string {
  const id = `send${capitalised(messageIdOf(definition))}`;
  return producer === definition.topic.service ? id : `${id}From${capitalised(camelId(producer))}`;
}

/** A plain JSON copy: TypeBox keeps its bookkeeping under symbol keys, which have no place in the document. */
function plainSchema(schema: TSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

/** The CloudEvents Kafka binding's binary mode (see envelope.ts): attributes as ce_* headers. */
function cloudEventHeadersSchema(): Record<string, unknown> {
  const text = (description: string, extra: Record<string, unknown> = {}) => ({
    type: 'string',
    description,
    ...extra,
  });
  return {
    type: 'object',
    description: 'CloudEvents 1.0 attributes in the Kafka protocol binding, binary content mode',
    required: ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time', 'ce_subject', 'content-type'],
    properties: {
      ce_specversion: text('CloudEvents version', { const: CLOUDEVENTS_SPEC_VERSION }),
      ce_id: text('Event id, unique per source; consumers deduplicate on it', { minLength: 1 }),
      ce_source: text('URI-reference of the producing service, e.g. /linli/dispatch', { minLength: 1 }),
      ce_type: text('Event type, linli.<service>.<aggregate>.<event>.v<major>'),
      ce_time: text('When the change happened', { format: 'date-time' }),
      ce_subject: text('The aggregate id; equal to the Kafka key'),
      ce_dataschema: text('URI of the data schema', { format: 'uri' }),
      ce_jurisdiction: text('Administrative division code (prefix) of the aggregate', {
        pattern: '^[0-9]{2,12}$',
      }),
      ce_correlationid: text('Id of the event that started the chain (its own id for the first)'),
      ce_causationid: text('Id of the event that directly caused this one'),
      ce_traceparent: text('W3C trace context', {
        pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
      }),
      'content-type': text('Content type of the value', { const: JSON_CONTENT_TYPE }),
    },
  };
}

function channel(topic: TopicDefinition): Record<string, unknown> {
  const messages = Object.fromEntries(
    allEvents
      .filter((definition) => definition.topic.name === topic.name)
      .map((definition) => [
        messageIdOf(definition),
        { $ref: `#/components/messages/${messageIdOf(definition)}` },
      ]),
  );
  return {
    address: topic.name,
    title: topic.name,
    description: `${topic.description}. Dead letters go to ${topic.name}.dlq.`,
    messages,
    bindings: { kafka: { topic: topic.name, bindingVersion: KAFKA_BINDING_VERSION } },
  };
}

function message(definition: EventDefinition): Record<string, unknown> {
  return {
    name: definition.type,
    title: definition.name,
    summary: definition.description,
    contentType: JSON_CONTENT_TYPE,
    headers: {
      allOf: [
        { $ref: `#/components/schemas/${HEADERS_SCHEMA}` },
        { type: 'object', properties: { ce_type: { type: 'string', const: definition.type } } },
      ],
    },
    payload: plainSchema(definition.schema),
    correlationId: { location: '$message.header#/ce_correlationid' },
    bindings: {
      kafka: {
        key: {
          type: 'string',
          description: 'The aggregate id (also ce_subject), so one aggregate keeps its order',
        },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    tags: [{ name: definition.topic.service }],
  };
}

function operation(definition: EventDefinition, producer: string): Record<string, unknown> {
  const channelId = channelIdOf(definition.topic);
  return {
    action: 'send',
    title: `Send ${definition.name}`,
    summary: definition.description,
    ...(producer === definition.topic.service
      ? {}
      : { description: `Sent by ${producer} onto ${definition.topic.service}'s ${definition.topic.name}.` }),
    channel: { $ref: `#/channels/${channelId}` },
    messages: [{ $ref: `#/channels/${channelId}/messages/${messageIdOf(definition)}` }],
    tags: [{ name: producer }],
  };
}

export function buildAsyncApiDocument(): AsyncApiDocument {
  const services = [
    ...new Set([...allTopics.map((topic) => topic.service), ...allEvents.flatMap(producersOf)]),
  ];
  // Grouped by the sending service: what one service sends sits together, in catalogue order.
  const sends = services.flatMap((service) =>
    allEvents
      .filter((definition) => producersOf(definition).includes(service))
      .map((definition) => [definition, service] as const),
  );
  return {
    asyncapi: ASYNCAPI_VERSION,
    info: {
      title: 'Linli events',
      version: CONTRACTS_DOCUMENT_VERSION,
      description:
        'Events of the Linli community-services platform: one Kafka topic per aggregate stream, CloudEvents 1.0 in ' +
        'binary mode, JSON data. Generated from libs/contracts; do not edit by hand (npm run asyncapi). ' +
        'Payloads carry ids and codes only, never personal data.',
      tags: services.map((service) => ({ name: service })),
    },
    defaultContentType: JSON_CONTENT_TYPE,
    channels: Object.fromEntries(allTopics.map((topic) => [channelIdOf(topic), channel(topic)])),
    operations: Object.fromEntries(
      sends.map(([definition, producer]) => [
        operationIdOf(definition, producer),
        operation(definition, producer),
      ]),
    ),
    components: {
      schemas: { [HEADERS_SCHEMA]: cloudEventHeadersSchema() },
      messages: Object.fromEntries(
        allEvents.map((definition) => [messageIdOf(definition), message(definition)]),
      ),
    },
  };
}

/** The document as checked in: YAML, long lines kept whole, quoting the way the repository's prettier leaves it. */
export function renderAsyncApiYaml(document: AsyncApiDocument = buildAsyncApiDocument()): string {
  const header = '# Generated from libs/contracts by `npm run asyncapi`; do not edit by hand.\n';
  return header + stringify(document, { lineWidth: 0, singleQuote: true, aliasDuplicateObjects: false });
}
