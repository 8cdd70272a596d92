// Finds the service's `@OnEvent` methods among its providers, once the app's instances exist, and turns them into
// the registrations ConsumerRunner takes.
import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import type { EventDefinition } from '@linli/contracts';
import { ConsumerConfigurationError, type EventHandlerRegistration } from './consumer.rules';
import { eventHandlerDefinition } from './event-handler.decorator';

/** A registration and where it was declared, for error messages and the start-up log. */
export interface DiscoveredEventHandler extends EventHandlerRegistration {
  /** `ClassName.method` */
  declaredBy: string;
}

@Injectable()
export class EventHandlerDiscovery {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  /**
   * Every `@OnEvent` method of every provider. Throws ConsumerConfigurationError when two methods claim one event
   * type (which one would be "the" effect of the event is undecidable, and "applied once" would mean nothing), or
   * when a handler sits on a request-scoped or transient provider (there is no one instance to call).
   */
  discover(service: string): DiscoveredEventHandler[] {
    const handlers: DiscoveredEventHandler[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      if (wrapper.isAlias) continue;
      handlers.push(...this.handlersOf(wrapper));
    }
    assertOneHandlerPerType(service, handlers);
    return handlers;
  }

  private handlersOf(wrapper: InstanceWrapper): DiscoveredEventHandler[] {
    const isStatic = wrapper.isDependencyTreeStatic() && !wrapper.isTransient;
    // A non-static provider has no instance yet: its class's prototype still says whether it declares handlers.
    const host: unknown = isStatic
      ? wrapper.instance
      : (wrapper.metatype as { prototype?: unknown } | null)?.prototype;
    if (!host || typeof host !== 'object') return [];
    const prototype = Object.getPrototypeOf(host) as object | null;
    const found: DiscoveredEventHandler[] = [];
    for (const method of this.scanner.getAllMethodNames(isStatic ? prototype : host)) {
      const definition = eventHandlerDefinition((host as Record<string, unknown>)[method]);
      if (!definition) continue;
      const declaredBy = `${className(host)}.${method}`;
      if (!isStatic) {
        throw new ConsumerConfigurationError(
          `${declaredBy} handles ${definition.type} but its provider is request-scoped or transient: ` +
            'event handlers must be on singleton providers',
        );
      }
      found.push(registration(host as Record<string, unknown>, method, definition, declaredBy));
    }
    return found;
  }
}

function registration(
  instance: Record<string, unknown>,
  method: string,
  definition: EventDefinition,
  declaredBy: string,
): DiscoveredEventHandler {
  const fn = instance[method] as (...args: unknown[]) => Promise<void>;
  return {
    definition,
    declaredBy,
    // Called on its instance; `async` so a handler throwing synchronously is a failed try, not a crashed batch.
    handle: async (event, context) => fn.call(instance, event, context),
  };
}

export function assertOneHandlerPerType(service: string, handlers: readonly DiscoveredEventHandler[]): void {
  const byType = new Map<string, string[]>();
  for (const handler of handlers) {
    const declared = byType.get(handler.definition.type) ?? [];
    declared.push(handler.declaredBy);
    byType.set(handler.definition.type, declared);
  }
  const clashes = [...byType].filter(([, declaredBy]) => declaredBy.length > 1);
  if (clashes.length === 0) return;
  const detail = clashes.map(([type, declaredBy]) => `${type} by ${declaredBy.join(' and ')}`).join('; ');
  throw new ConsumerConfigurationError(
    `service ${service} declares more than one handler for an event type (${detail}): ` +
      'each event type has exactly one @OnEvent handler per service',
  );
}

function className(host: object): string {
  return (host as { constructor?: { name?: string } }).constructor?.name ?? 'anonymous';
}
