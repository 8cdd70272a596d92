// MessagingModule runs a service's @OnEvent handlers: two real Nest apps (two services, two databases) on the real
// Kafka and MongoDB-wire server; one writes an event through its outbox, the other's handler applies it.
import { Injectable, type LoggerService } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import { createEvent, defineEvent, defineTopic, type CloudEvent } from '@linli/contracts';
import {
  type AggregateFields,
  PersistenceModule,
  aggregatePlugin,
  applyChange,
  insertAggregates,
  outboxEntry,
} from '@linli/persistence';
import {
  CommonConfigSchema,
  PlatformModule,
  ReadinessRegistry,
  currentCorrelationId,
  defineConfig,
  runReadinessChecks,
} from '@linli/platform';
import { Type } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import mongoose, { Schema, type Model } from 'mongoose';
import { Registry } from 'prom-client';
import { CONSUMER_EVENTS_METRIC } from '../src/consumer.metrics';
import { ConsumerConfigurationError, type ConsumedEventContext } from '../src/consumer.rules';
import { OnEvent } from '../src/event-handler.decorator';
import { createKafka } from '../src/kafka.connection';
import { MessagingModule, MessagingRuntime, consumerReadinessCheck } from '../src/messaging.module';
import { defaultConsumerGroup } from '../src/messaging.options';
import { RecordingLogger } from './fixtures/consumer-harness';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

const run = randomUUID().slice(0, 8);
/** The publishing service, the consuming one, and one that misdeclares its handlers; names unique to this run. */
const requests = `modtest${run}-requests`;
const insights = `modtest${run}-insights`;
const broken = `modtest${run}-broken`;
const requestsDb = `linli_test_module_${run}_requests`;
const insightsDb = `linli_test_module_${run}_insights`;

const ticketTopic = defineTopic(requests, 'ticket', 1, 'test tickets');
const ticketCreated = defineEvent(
  ticketTopic,
  'ticket.created',
  Type.Object({ category: Type.String() }),
  'a ticket was opened',
);

/** Fast group membership: a closed member is replaced in seconds. */
const TEST_CONSUMER_CONFIG = {
  sessionTimeout: 6_000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 250,
  rebalanceTimeout: 10_000,
};
const DELIVERY_TIMEOUT_MS = 30_000;

interface Ticket extends AggregateFields {
  _id: string;
  status: string;
  category: string;
}
const TICKET_MODEL = 'ModuleTestTicket';
const ticketSchema = new Schema<Ticket>(
  { _id: String, status: String, category: String },
  { versionKey: false, collection: 'tickets' },
);
ticketSchema.plugin(aggregatePlugin);

interface Received {
  event: CloudEvent<{ category: string }>;
  context: ConsumedEventContext;
  correlationId?: string;
}

/** The consuming service's read model, kept in memory: what each instance applied, in order. */
@Injectable()
class TicketCounts {
  readonly received: Received[] = [];

  @OnEvent(ticketCreated)
  async onTicketCreated(
    event: CloudEvent<{ category: string }>,
    context: ConsumedEventContext,
  ): Promise<void> {
    this.received.push({ event, context, correlationId: currentCorrelationId() });
  }
}

/** A second handler of the same type in the same service: must refuse to start. */
@Injectable()
class TicketAudit {
  @OnEvent(ticketCreated)
  async onTicketCreated(): Promise<void> {}
}

const config = defineConfig(CommonConfigSchema, { LOG_LEVEL: 'warn' });
const discard = new Writable({ write: (_chunk, _encoding, callback) => callback() });

function platform(service: string) {
  return PlatformModule.forRoot({ service, config, logDestination: discard });
}

async function startRequests(logger: LoggerService): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [
      platform(requests),
      PersistenceModule.forRoot({ dbName: requestsDb, url: mongoUrl }),
      MongooseModule.forFeature([{ name: TICKET_MODEL, schema: ticketSchema }]),
      MessagingModule.forRoot({
        service: requests,
        brokers,
        topics: [ticketTopic],
        topicPartitions: 1,
        outboxModels: [TICKET_MODEL],
        metricsRegistry: new Registry(),
      }),
    ],
  })
    .setLogger(logger)
    .compile();
  return app.init();
}

async function startInsights(logger: LoggerService, metrics: Registry): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [
      platform(insights),
      PersistenceModule.forRoot({ dbName: insightsDb, url: mongoUrl }),
      MessagingModule.forRoot({
        service: insights,
        brokers,
        topicPartitions: 1,
        metricsRegistry: metrics,
        consumer: { consumerConfig: TEST_CONSUMER_CONFIG },
      }),
    ],
    providers: [TicketCounts],
  })
    .setLogger(logger)
    .compile();
  return app.init();
}

/** Opens a ticket: the document and its ticket.created event in one write, published by the relay. */
async function openTicket(app: TestingModule, ticketId: string): Promise<CloudEvent<{ category: string }>> {
  const tickets = app.get<Model<Ticket>>(`${TICKET_MODEL}Model`);
  await insertAggregates(tickets, [{ document: { _id: ticketId, status: 'draft', category: 'noise' } }]);
  const event = createEvent({
    source: `/linli/${requests}`,
    type: ticketCreated.type,
    subject: ticketId,
    data: { category: 'noise' },
    jurisdiction: '320106',
    correlationid: `corr-${ticketId}`,
    causationid: `cause-${ticketId}`,
  });
  await applyChange(tickets, {
    id: ticketId,
    expectedVersion: 0,
    expectedStatus: 'draft',
    set: { status: 'open' },
    events: [outboxEntry(ticketCreated, event)],
  });
  return event;
}

async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function consumerOf(app: TestingModule) {
  const consumer = app.get(MessagingRuntime).consumer;
  if (!consumer) throw new Error('the app built no consumer');
  return consumer;
}

describe('MessagingModule running a service’s @OnEvent handlers', () => {
  const groupId = defaultConsumerGroup(insights);
  const logger = new RecordingLogger();
  let requestsApp: TestingModule | undefined;
  let insightsApp: TestingModule | undefined;

  beforeAll(async () => {
    requestsApp = await startRequests(logger);
    insightsApp = await startInsights(logger, new Registry());
  });

  afterAll(async () => {
    await insightsApp?.close();
    await requestsApp?.close();
    const admin = createKafka({ service: 'module-test-cleanup', brokers }).admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(`linli.${requests}.`));
      if (topics.length) await admin.deleteTopics({ topics });
      await admin.deleteGroups([groupId]).catch(() => undefined);
    } finally {
      await admin.disconnect();
    }
    for (const dbName of [requestsDb, insightsDb]) {
      const connection = await mongoose.createConnection(mongoUrl, { dbName }).asPromise();
      await connection.dropDatabase();
      await connection.close();
    }
  });

  it('delivers another service’s event to the @OnEvent method with its CloudEvents attributes and correlation id in context', async () => {
    const written = await openTicket(requestsApp!, 't-1');
    const projection = insightsApp!.get(TicketCounts);
    await waitUntil(() => projection.received.length > 0, DELIVERY_TIMEOUT_MS, 'the ticket.created event');

    const [received] = projection.received;
    expect(received.event).toEqual(written);
    expect(received.correlationId).toBe(`corr-t-1`);
    expect(received.context).toMatchObject({
      topic: ticketTopic.name,
      partition: 0,
      offset: '0',
      attempt: 1,
    });
  });

  it('reports the consumer group in readiness, up once the group is joined', async () => {
    const consumer = consumerOf(insightsApp!);
    expect(consumer.groupId).toBe(`linli.${insights}`);
    await waitUntil(() => consumer.health().ok, DELIVERY_TIMEOUT_MS, 'the group join');

    const report = await runReadinessChecks(insightsApp!.get(ReadinessRegistry).list(), 2_000);
    expect(report.checks).toContainEqual(
      expect.objectContaining({ name: consumerReadinessCheck(groupId), status: 'up' }),
    );
    expect(report.status).toBe('ready');
  });

  it('stops the consumer on close without an error and with its offsets committed', async () => {
    const before = logger.entries.length;
    const app = insightsApp!;
    insightsApp = undefined;
    await expect(app.close()).resolves.toBeUndefined();

    expect(logger.entries.slice(before).filter((entry) => entry.level === 'error')).toEqual([]);
    const admin = createKafka({ service: 'module-test-offsets', brokers }).admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [ticketTopic.name] });
      expect(offsets.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '1' })]);
    } finally {
      await admin.disconnect();
    }
  });

  it('a new instance of the service resumes after what the closed one applied, without reading it again', async () => {
    const metrics = new Registry();
    insightsApp = await startInsights(logger, metrics);
    const written = await openTicket(requestsApp!, 't-2');
    const projection = insightsApp.get(TicketCounts);
    await waitUntil(() => projection.received.length > 0, DELIVERY_TIMEOUT_MS, 'the second ticket.created');

    // t-1 sits before t-2 on the one partition: read again, it would show as handled or as a duplicate by now.
    expect(projection.received.map((r) => r.event.id)).toEqual([written.id]);
    // The outcome is counted once the handler has returned: wait for the count, then check nothing else was.
    const outcomes = async () =>
      ((await metrics.getSingleMetric(CONSUMER_EVENTS_METRIC)?.get())?.values ?? []).map(
        (v) => v.labels.outcome,
      );
    await waitUntil(
      async () => (await outcomes()).length > 0,
      DELIVERY_TIMEOUT_MS,
      'the outcome to be counted',
    );
    expect(await outcomes()).toEqual(['handled']);
  });
});

describe('MessagingModule with two @OnEvent handlers for one event type', () => {
  it('refuses to start, naming the type and both handlers', async () => {
    const app = await Test.createTestingModule({
      imports: [
        platform(broken),
        MessagingModule.forRoot({ service: broken, brokers, provisionTopics: false }),
      ],
      providers: [TicketCounts, TicketAudit],
    })
      .setLogger(new RecordingLogger())
      .compile();
    // Nothing to close afterwards: the handlers are checked before any connection is opened (and Nest's close()
    // would only rethrow the failed init).
    const started = app.init();
    await expect(started).rejects.toThrow(ConsumerConfigurationError);
    await expect(started).rejects.toThrow(
      `service ${broken} declares more than one handler for an event type ` +
        `(${ticketCreated.type} by TicketCounts.onTicketCreated and TicketAudit.onTicketCreated)`,
    );
  });
});
