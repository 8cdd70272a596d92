// MessagingModule: the service's Kafka connection, idempotent producer, topic provisioning, outbox relay, and the
// consumer group that runs its `@OnEvent` handlers.
import {
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnModuleDestroy,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { DiscoveryModule, ModuleRef } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import { ProcessedEventsStore } from '@linli/persistence';
import { ReadinessRegistry, correlationContext, metricsRegistry, namespaced } from '@linli/platform';
import { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { ConsumerConfigurationError } from './consumer.rules';
import { ConsumerRunner } from './consumer.runner';
import { EventHandlerDiscovery, type DiscoveredEventHandler } from './event-handler.discovery';
import { createKafka } from './kafka.connection';
import {
  MESSAGING_OPTIONS,
  MessagingModuleOptions,
  ResolvedMessagingOptions,
  defaultConsumerGroup,
  resolveMessagingOptions,
} from './messaging.options';
import { MessagingMetrics } from './metrics';
import { OutboxRelay } from './outbox.relay';
import { EventProducer } from './producer';
import { TopicProvisioner } from './topics';

export const KAFKA_PRODUCER_READINESS_CHECK = 'kafka';

/** The readiness check of the service's consumer group. */
export function consumerReadinessCheck(groupId: string): string {
  return `consumer:${groupId}`;
}

/** The consumer group is down (joining, restarting after a crash, given up, stopped): its health says why. */
export class ConsumerUnavailableError extends Error {
  override readonly name = 'ConsumerUnavailableError';
}

/**
 * The order matters, so it is in one place. Start-up: handlers found, topics (published and consumed, with their
 * DLQs), producer, consumer built; then, once every module is initialised, relay and consumer started. Shutdown:
 * consumer stopped (the message in hand finishes and is committed), relay flushed, producer disconnected; the
 * consumer goes first because it dead-letters through that producer and its handlers write through MongoDB.
 */
@Injectable()
export class MessagingRuntime implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MessagingRuntime.name);
  private runner?: ConsumerRunner;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly kafka: Kafka,
    private readonly producer: EventProducer,
    private readonly provisioner: TopicProvisioner,
    private readonly relay: OutboxRelay,
    private readonly handlers: EventHandlerDiscovery,
    private readonly moduleRef: ModuleRef,
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {}

  /** The service's consumer group, once built (none when the service declares no `@OnEvent` handler). */
  get consumer(): ConsumerRunner | undefined {
    return this.runner;
  }

  async onModuleInit(): Promise<void> {
    // First, before any I/O: a misdeclared handler must stop the start-up with its own message, nothing else.
    const handlers = this.handlers.discover(this.options.service);
    const consumed = handlers.map((handler) => handler.definition.topic);
    if (this.options.provisionTopics) await this.provisioner.ensure([...this.options.topics, ...consumed]);
    await this.producer.connect();
    this.readiness?.register({
      name: KAFKA_PRODUCER_READINESS_CHECK,
      check: () => this.producer.assertConnected(),
    });
    if (this.options.outboxModels.length > 0) {
      // Resolved here, not injected: a service without an outbox needs no MongoDB connection at all.
      const connection = this.moduleRef.get<Connection>(getConnectionToken(this.options.connectionName), {
        strict: false,
      });
      for (const name of this.options.outboxModels) this.relay.register(connection.model(name));
    }
    if (handlers.length > 0 && this.options.consumer.run !== false) await this.buildConsumer(handlers);
  }

  /** After every module's onModuleInit: handlers may use anything the app provides. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.options.runRelay && this.relay.collections.length > 0) {
      this.relay.start();
      this.logger.log({
        msg: 'outbox relay started',
        owner: this.relay.owner,
        collections: this.relay.collections,
      });
    }
    if (this.runner) {
      // Resolves once subscribed; readiness turns ok when the group is joined.
      await this.runner.start();
      this.logger.log({ msg: 'consumer started', groupId: this.runner.groupId, topics: this.runner.topics });
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.runner) {
      this.readiness?.unregister(consumerReadinessCheck(this.runner.groupId));
      await this.runner.stop();
    }
    // The relay flushes through the producer and MongoDB, both still open here (mongoose closes after this hook).
    await this.relay.stop();
    this.readiness?.unregister(KAFKA_PRODUCER_READINESS_CHECK);
    await this.producer.disconnect();
  }

  private async buildConsumer(handlers: DiscoveredEventHandler[]): Promise<void> {
    const { consumer: config, service } = this.options;
    const groupId = config.groupId ?? namespaced(defaultConsumerGroup(service));
    const processedEvents = new ProcessedEventsStore(this.handlersConnection(), {
      retentionMs: config.processedEventsRetentionMs,
    });
    // Here rather than at start: a store without its indexes fails the start-up, not the first batch.
    await processedEvents.ensureIndexes();
    const runner = new ConsumerRunner({
      kafka: this.kafka,
      groupId,
      handlers,
      processedEvents,
      deadLetterProducer: this.producer.producer,
      retry: config.retry,
      restart: config.restart,
      partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
      recordBatchSize: config.recordBatchSize,
      fromBeginning: config.fromBeginning,
      consumerConfig: config.consumerConfig,
      commitIntervalMs: config.commitIntervalMs,
      metrics: this.options.metricsRegistry ?? metricsRegistry,
      logger: new Logger(`consumer:${groupId}`),
      // Log lines and events the handler writes carry the correlation id of the event that caused them.
      runInContext: (event, fn) => correlationContext.run(event.correlationid ?? event.id, fn),
      onGiveUp: (reason) => {
        if ((config.onGiveUp ?? 'exit') !== 'exit') return;
        // A service that no longer consumes must not keep answering as if it did: let the supervisor replace it.
        new Logger(`consumer:${groupId}`).error({ msg: 'consumer down for good; exiting', reason });
        process.kill(process.pid, 'SIGTERM');
      },
    });
    this.runner = runner;
    this.readiness?.register({
      name: consumerReadinessCheck(groupId),
      check: () => {
        const health = runner.health();
        if (!health.ok) throw new ConsumerUnavailableError(health.reason ?? `consumer ${groupId} is down`);
      },
    });
    this.logger.log({
      msg: 'event handlers found',
      groupId,
      handlers: handlers.map((h) => ({ type: h.definition.type, declaredBy: h.declaredBy })),
    });
  }

  /** The processed-events store lives in the service's own database, beside the effects it guards. */
  private handlersConnection(): Connection {
    const token = getConnectionToken(this.options.connectionName);
    try {
      return this.moduleRef.get<Connection>(token, { strict: false });
    } catch {
      throw new ConsumerConfigurationError(
        `the event handlers of service ${this.options.service} need its mongoose connection (${token}) ` +
          'to record processed events: import PersistenceModule.forRoot',
      );
    }
  }
}

@Module({})
export class MessagingModule {
  /**
   * Global: feature modules inject EventProducer / OutboxRelay without importing this again, and their `@OnEvent`
   * methods are found wherever they are provided.
   */
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    const resolved = resolveMessagingOptions(options);
    return {
      module: MessagingModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: resolved },
        {
          provide: Kafka,
          useFactory: () => createKafka({ service: resolved.service, brokers: resolved.brokers }),
        },
        { provide: EventProducer, inject: [Kafka], useFactory: (kafka: Kafka) => new EventProducer(kafka) },
        {
          provide: TopicProvisioner,
          inject: [Kafka],
          useFactory: (kafka: Kafka) => new TopicProvisioner(kafka, { partitions: resolved.topicPartitions }),
        },
        {
          provide: OutboxRelay,
          inject: [EventProducer],
          useFactory: (producer: EventProducer) => {
            // The relay and its metrics know each other: the backlog gauge asks the relay at scrape time.
            const holder: { relay?: OutboxRelay } = {};
            const metrics = new MessagingMetrics(resolved.metricsRegistry ?? metricsRegistry, async () =>
              holder.relay ? holder.relay.backlog() : [],
            );
            holder.relay = new OutboxRelay(producer, resolved.relay, metrics);
            return holder.relay;
          },
        },
        EventHandlerDiscovery,
        MessagingRuntime,
      ],
      exports: [MESSAGING_OPTIONS, Kafka, EventProducer, TopicProvisioner, OutboxRelay, MessagingRuntime],
    };
  }
}
