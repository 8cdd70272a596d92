// `@OnEvent(definition)`: how a provider method declares that it applies one event type of another service (or
// of its own). MessagingModule finds these methods at start-up and runs them in the service's consumer group.
import type { CloudEvent, EventDefinition } from '@linli/contracts';
import type { Static, TSchema } from '@sinclair/typebox';
import type { ConsumedEventContext } from './consumer.rules';

export const EVENT_HANDLER_METADATA = Symbol('linli.messaging.event-handler');

/** The shape a handler method must have: the event typed by its definition's schema, its effect awaited. */
export type EventHandlerMethod<S extends TSchema> = (
  event: CloudEvent<Static<S>>,
  context: ConsumedEventContext,
) => Promise<void>;

/**
 * Marks the method as the service's one handler of `definition.type`. The method must store its effect
 * idempotently (ADR 11) and throw to have the event retried, then dead-lettered; it must not catch and log.
 * Generic over the method so the compiler checks it accepts the event the definition describes.
 */
export function OnEvent<S extends TSchema>(definition: EventDefinition<S>) {
  return <M extends EventHandlerMethod<S>>(
    _target: object,
    _propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    // On the function itself, as Nest's SetMetadata does for methods: the discovery reads it from the instance.
    Reflect.defineMetadata(EVENT_HANDLER_METADATA, definition, descriptor.value as object);
  };
}

/** The definition a method was marked with, if any. */
export function eventHandlerDefinition(method: unknown): EventDefinition | undefined {
  if (typeof method !== 'function') return undefined;
  return Reflect.getMetadata(EVENT_HANDLER_METADATA, method) as EventDefinition | undefined;
}
