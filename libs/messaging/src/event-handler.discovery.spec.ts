// How @OnEvent methods are found among a Nest app's providers, and which declarations refuse to start.
import { Injectable, Scope } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { createEvent, defineEvent, defineTopic, type CloudEvent } from '@linli/contracts';
import { Type } from '@sinclair/typebox';
import { ConsumerConfigurationError } from './consumer.rules';
import { OnEvent } from './event-handler.decorator';
import { EventHandlerDiscovery } from './event-handler.discovery';

const topic = defineTopic('elder-care', 'visit', 1, 'visits');
const visitMissed = defineEvent(topic, 'visit.missed', Type.Object({ elderId: Type.String() }), 'missed');
const visitCompleted = defineEvent(topic, 'visit.completed', Type.Object({ elderId: Type.String() }), 'done');

@Injectable()
class WelfareChecks {
  readonly missed: string[] = [];

  @OnEvent(visitMissed)
  async onVisitMissed(event: CloudEvent<{ elderId: string }>): Promise<void> {
    // `this` is the provider instance: handlers keep their injected repositories.
    this.missed.push(event.data.elderId);
  }

  /** Not a handler: left alone. */
  async reconcile(): Promise<void> {}
}

@Injectable()
class VisitStatistics {
  @OnEvent(visitCompleted)
  async onVisitCompleted(): Promise<void> {}
}

@Injectable()
class SecondMissedHandler {
  @OnEvent(visitMissed)
  async onVisitMissed(): Promise<void> {}
}

@Injectable({ scope: Scope.REQUEST })
class RequestScopedHandler {
  @OnEvent(visitCompleted)
  async onVisitCompleted(): Promise<void> {}
}

async function appWith(...providers: (new () => object)[]) {
  const app = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [EventHandlerDiscovery, ...providers],
  }).compile();
  return { app, discover: () => app.get(EventHandlerDiscovery).discover('elder-care') };
}

const missedEvent = createEvent({
  source: '/linli/elder-care',
  type: visitMissed.type,
  subject: 'v-1',
  data: { elderId: 'e-1' },
});
const context = { topic: topic.name, partition: 0, offset: '0', attempt: 1 };

describe('EventHandlerDiscovery', () => {
  it('finds every @OnEvent method of singleton providers, named by class and method', async () => {
    const { discover } = await appWith(WelfareChecks, VisitStatistics);
    const found = discover();
    expect(found.map((h) => [h.definition.type, h.declaredBy]).sort()).toEqual([
      [visitCompleted.type, 'VisitStatistics.onVisitCompleted'],
      [visitMissed.type, 'WelfareChecks.onVisitMissed'],
    ]);
  });

  it('calls a handler on its provider instance', async () => {
    const { app, discover } = await appWith(WelfareChecks);
    const [handler] = discover();
    await handler.handle(missedEvent, context);
    expect(app.get(WelfareChecks).missed).toEqual(['e-1']);
  });

  it('refuses two handlers of one event type, naming both', async () => {
    const { discover } = await appWith(WelfareChecks, SecondMissedHandler);
    expect(discover).toThrow(ConsumerConfigurationError);
    expect(discover).toThrow(
      `${visitMissed.type} by WelfareChecks.onVisitMissed and SecondMissedHandler.onVisitMissed`,
    );
  });

  it('refuses a handler on a request-scoped provider', async () => {
    const { discover } = await appWith(RequestScopedHandler);
    expect(discover).toThrow(
      `RequestScopedHandler.onVisitCompleted handles ${visitCompleted.type} but its provider is request-scoped or transient`,
    );
  });

  it('finds nothing in a service without handlers', async () => {
    const { discover } = await appWith();
    expect(discover()).toEqual([]);
  });
});
