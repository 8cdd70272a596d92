// The outbox relay against the real Kafka and MongoDB-wire server: what a write puts in an aggregate's outbox
// arrives on its topic, in order per key, also with two relays on one collection.
import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import { createEvent } from '@linli/contracts';
import { PersistenceModule, applyChange, outboxEntry } from '@linli/persistence';
import { ReadinessRegistry } from '@linli/platform';
// The rule has no test-file exception yet: a lib's tests read events back with the shared probe.

import { EventProbe } from '@linli/testing';
import type { Model } from 'mongoose';
import { Registry } from 'prom-client';
import { createKafka } from '../src/kafka.connection';
import { EVENTS_PUBLISHED_METRIC } from '../src/metrics';
import { KAFKA_PRODUCER_READINESS_CHECK, MessagingModule } from '../src/messaging.module';
import { MessagingMetrics } from '../src/metrics';
import { OutboxRelay } from '../src/outbox.relay';
import { EventProducer } from '../src/producer';
import {
  COUNTER_MODEL,
  type Counter,
  type OutboxScope,
  cleanUp,
  connect,
  countsByKey,
  createCounters,
  createTopic,
  counterSchema,
  increment,
  kafkaBrokers,
  mongoUrl,
  newScope,
  range,
} from './fixtures/outbox-harness';

@Global()
@Module({ providers: [ReadinessRegistry], exports: [ReadinessRegistry] })
class TestPlatformModule {}

describe('MessagingModule with an outbox', () => {
  const scope = newScope();
  let app: TestingModule;
  let probe: EventProbe;

  beforeAll(async () => {
    app = await Test.createTestingModule({
      imports: [
        TestPlatformModule,
        PersistenceModule.forRoot({ dbName: scope.dbName, url: mongoUrl() }),
        MongooseModule.forFeature([{ name: COUNTER_MODEL, schema: counterSchema }]),
        MessagingModule.forRoot({
          service: scope.service,
          brokers: kafkaBrokers(),
          topics: [scope.topic],
          outboxModels: [COUNTER_MODEL],
          metricsRegistry: new Registry(),
          // A long poll: the event must arrive through the nudge after the write, not the timer.
          relay: { pollIntervalMs: 60_000 },
        }),
      ],
    }).compile();
    await app.init();
    probe = await EventProbe.start({ topic: scope.topic.name });
  });

  afterAll(async () => {
    await probe?.stop();
    await app?.close();
    await cleanUp(scope);
  });

  it('publishes an event written with a state change, with its CloudEvents attributes, right after the write', async () => {
    const counters = app.get<Model<Counter>>(`${COUNTER_MODEL}Model`);
    await createCounters(counters, ['c-1']);
    const event = createEvent({
      source: `/linli/${scope.service}`,
      type: scope.incremented.type,
      subject: 'c-1',
      data: { count: 1 },
      jurisdiction: '320106',
      causationid: 'cause-1',
    });
    await applyChange(counters, {
      id: 'c-1',
      expectedVersion: 0,
      set: { count: 1 },
      events: [outboxEntry(scope.incremented, event)],
    });
    const [received] = await probe.waitFor((e) => e.id === event.id, { timeoutMs: 10_000 });
    expect(received).toEqual(event);
  });

  it('reports the kafka producer in readiness', async () => {
    const check = app
      .get(ReadinessRegistry)
      .list()
      .find((c) => c.name === KAFKA_PRODUCER_READINESS_CHECK);
    await expect(Promise.resolve(check?.check())).resolves.toBeUndefined();
  });

  it('creates the topic and its dead-letter topic with the configured partitions', async () => {
    const admin = createKafka({ service: 'test', brokers: kafkaBrokers() }).admin();
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata({
      topics: [scope.topic.name, `${scope.topic.name}.dlq`],
    });
    await admin.disconnect();
    expect(topics.map((t) => t.partitions.length)).toEqual([6, 6]);
  });
});

/** A relay of its own, with its own producer and metrics, as a second service instance would have. */
async function startRelay(scope: OutboxScope, counters: Model<Counter>, batchSize: number) {
  const producer = new EventProducer(createKafka({ service: scope.service, brokers: kafkaBrokers() }));
  await producer.connect();
  const registry = new Registry();
  const relay = new OutboxRelay(
    producer,
    { pollIntervalMs: 20, batchSize },
    new MessagingMetrics(registry, async () => []),
  );
  relay.register(counters);
  relay.start();
  const published = async () =>
    (await registry.getSingleMetricAsString(EVENTS_PUBLISHED_METRIC)).match(/ (\d+)$/m)?.[1];
  return {
    published: async () => Number((await published()) ?? 0),
    stop: async () => {
      await relay.stop();
      await producer.disconnect();
    },
  };
}

describe('outbox relay ordering', () => {
  const PARTITIONS = 6;
  let scope: OutboxScope;
  let counters: Model<Counter>;
  let close: () => Promise<void>;
  let probe: EventProbe;

  beforeEach(async () => {
    scope = newScope();
    await createTopic(scope, PARTITIONS);
    const connected = await connect(scope);
    counters = connected.counters;
    close = () => connected.connection.close();
    probe = await EventProbe.start({ topic: scope.topic.name });
  });

  afterEach(async () => {
    await probe.stop();
    await close();
    await cleanUp(scope);
  });

  /** Every key gets `increments` events, written one after another per key and concurrently across keys. */
  async function write(keys: string[], increments: number): Promise<void> {
    for (let n = 0; n < increments; n++)
      await Promise.all(keys.map((key) => increment(scope, counters, key, n)));
  }

  it('keeps each key in order over 1,200 events on a 6-partition topic across 60 keys', async () => {
    const keys = range(60).map((i) => `key-${i}`);
    await createCounters(counters, keys);
    const relay = await startRelay(scope, counters, 50);
    try {
      await write(keys, 20);
      await probe.waitFor(() => true, { count: 1200, timeoutMs: 60_000 });
    } finally {
      await relay.stop();
    }
    const byKey = countsByKey(probe.events);
    expect([...byKey.entries()].filter(([, counts]) => counts.join() !== range(20).join())).toEqual([]);
    expect(byKey.size).toBe(60);
  });

  it('two relays on the same collection publish each key in order, and both take part', async () => {
    const keys = range(40).map((i) => `key-${i}`);
    await createCounters(counters, keys);
    // Small batches, so the two relays keep claiming documents from under each other.
    const relays = [await startRelay(scope, counters, 5), await startRelay(scope, counters, 5)];
    let shares: number[];
    try {
      await write(keys, 15);
      await probe.waitFor(() => true, { count: 600, timeoutMs: 60_000 });
      shares = await Promise.all(relays.map((relay) => relay.published()));
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
    }
    const byKey = countsByKey(probe.events);
    expect([...byKey.entries()].filter(([, counts]) => counts.join() !== range(15).join())).toEqual([]);
    expect(shares.every((share) => share > 0)).toBe(true);
  });
});
