// What a consumer does with one Kafka message, decided without I/O: dead-letter it, skip it, or apply it.
import { namespaced } from '@linli/platform';
import {
  EnvelopeError,
  fromKafkaRecord,
  validateEventData,
  type CloudEvent,
  type EventDefinition,
  type KafkaRecord,
} from '@linli/contracts';
import type { Static, TSchema } from '@sinclair/typebox';

/** Where the message being handled was read, and which try this is (1-based). */
export interface ConsumedEventContext {
  topic: string;
  partition: number;
  offset: string;
  attempt: number;
}

export interface EventHandlerRegistration<S extends TSchema = TSchema> {
  definition: EventDefinition<S>;
  /** Stores the event's effect; throws to have it retried (and dead-lettered once retries run out). */
  handle(event: CloudEvent<Static<S>>, context: ConsumedEventContext): Promise<void>;
}

/** Keeps the handler's event type tied to its definition's schema. */
export function onEvent<S extends TSchema>(
  definition: EventDefinition<S>,
  handle: (event: CloudEvent<Static<S>>, context: ConsumedEventContext) => Promise<void>,
): EventHandlerRegistration<S> {
  return { definition, handle };
}

export class ConsumerConfigurationError extends Error {
  override readonly name = 'ConsumerConfigurationError';
}

export type HandlerRegistry = ReadonlyMap<string, EventHandlerRegistration>;

/** One handler per event type: two would make "applied once" meaningless. */
export function handlerRegistry(handlers: readonly EventHandlerRegistration[]): HandlerRegistry {
  if (handlers.length === 0) throw new ConsumerConfigurationError('a consumer needs at least one handler');
  const registry = new Map<string, EventHandlerRegistration>();
  for (const handler of handlers) {
    if (registry.has(handler.definition.type)) {
      throw new ConsumerConfigurationError(`two handlers for event type ${handler.definition.type}`);
    }
    registry.set(handler.definition.type, handler);
  }
  return registry;
}

/** The topics the handlers' events travel on, each once. */
export function subscribedTopics(handlers: readonly EventHandlerRegistration[]): string[] {
  return [...new Set(handlers.map((h) => namespaced(h.definition.topic.name)))].sort();
}

/** Label values of the events-in counter. */
export type ConsumerOutcome = 'handled' | 'duplicate' | 'dead-lettered' | 'skipped';

export type DecodedMessage =
  | { kind: 'malformed'; error: string }
  /** A type on the topic this consumer has no handler for: other services' business. */
  | { kind: 'unhandled'; event: CloudEvent }
  | { kind: 'invalid'; event: CloudEvent; error: string }
  | { kind: 'apply'; event: CloudEvent; handler: EventHandlerRegistration };

export function decodeMessage(record: KafkaRecord, registry: HandlerRegistry): DecodedMessage {
  let event: CloudEvent;
  try {
    event = fromKafkaRecord(record);
  } catch (error) {
    if (error instanceof EnvelopeError) return { kind: 'malformed', error: error.message };
    throw error;
  }
  const handler = registry.get(event.type);
  if (!handler) return { kind: 'unhandled', event };
  const validation = validateEventData(handler.definition, event.data);
  if (!validation.ok) {
    return {
      kind: 'invalid',
      event,
      error: `${event.type} data is invalid: ${validation.errors.join('; ')}`,
    };
  }
  return { kind: 'apply', event: { ...event, data: validation.data }, handler };
}

export type MessagePlan =
  | { action: 'dead-letter'; kind: 'malformed' | 'invalid'; error: string; event?: CloudEvent }
  | { action: 'skip'; outcome: 'skipped' | 'duplicate'; event: CloudEvent }
  | { action: 'apply'; event: CloudEvent; handler: EventHandlerRegistration };

/** `processed`: ids the group has applied (from the store, plus those applied earlier in this batch). */
export function planMessage(decoded: DecodedMessage, processed: ReadonlySet<string>): MessagePlan {
  switch (decoded.kind) {
    case 'malformed':
      return { action: 'dead-letter', kind: 'malformed', error: decoded.error };
    case 'invalid':
      return { action: 'dead-letter', kind: 'invalid', error: decoded.error, event: decoded.event };
    case 'unhandled':
      return { action: 'skip', outcome: 'skipped', event: decoded.event };
    case 'apply':
      return processed.has(decoded.event.id)
        ? { action: 'skip', outcome: 'duplicate', event: decoded.event }
        : { action: 'apply', event: decoded.event, handler: decoded.handler };
  }
}

/** Kafka commits the offset of the next message to read, not of the last one read. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

/** Messages behind the one at `offset` on its partition, from the fetch's high watermark. */
export function partitionLag(highWatermark: string, offset: string): number {
  const lag = BigInt(highWatermark) - BigInt(offset) - 1n;
  return lag > 0n ? Number(lag) : 0;
}
