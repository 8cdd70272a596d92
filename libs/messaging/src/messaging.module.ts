// MessagingModule: the service's Kafka connection, idempotent producer, topic provisioning and outbox relay.
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
import { ModuleRef } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import { ReadinessRegistry } from '@linli/platform';
import { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { register as globalRegistry } from 'prom-client';
import { createKafka } from './kafka.connection';
import {
  MESSAGING_OPTIONS,
  MessagingModuleOptions,
  ResolvedMessagingOptions,
  resolveMessagingOptions,
} from './messaging.options';
import { MessagingMetrics } from './metrics';
import { OutboxRelay } from './outbox.relay';
import { EventProducer } from './producer';
import { TopicProvisioner } from './topics';

export const KAFKA_PRODUCER_READINESS_CHECK = 'kafka';

/** The order matters, so it is in one place: topics, producer, relay; at shutdown relay (flushed), producer. */
@Injectable()
export class MessagingRuntime implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MessagingRuntime.name);

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly producer: EventProducer,
    private readonly provisioner: TopicProvisioner,
    private readonly relay: OutboxRelay,
    private readonly moduleRef: ModuleRef,
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.options.provisionTopics) await this.provisioner.ensure(this.options.topics);
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
  }

  onApplicationBootstrap(): void {
    if (this.options.runRelay && this.relay.collections.length > 0) {
      this.relay.start();
      this.logger.log({
        msg: 'outbox relay started',
        owner: this.relay.owner,
        collections: this.relay.collections,
      });
    }
  }

  async onModuleDestroy(): Promise<void> {
    // The relay flushes through the producer and MongoDB, both still open here (mongoose closes after this hook).
    await this.relay.stop();
    this.readiness?.unregister(KAFKA_PRODUCER_READINESS_CHECK);
    await this.producer.disconnect();
  }
}

@Module({})
export class MessagingModule {
  /** Global: feature modules inject EventProducer / OutboxRelay without importing this again. */
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    const resolved = resolveMessagingOptions(options);
    return {
      module: MessagingModule,
      global: true,
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
            const metrics = new MessagingMetrics(resolved.metricsRegistry ?? globalRegistry, async () =>
              holder.relay ? holder.relay.backlog() : [],
            );
            holder.relay = new OutboxRelay(producer, resolved.relay, metrics);
            return holder.relay;
          },
        },
        MessagingRuntime,
      ],
      exports: [MESSAGING_OPTIONS, Kafka, EventProducer, TopicProvisioner, OutboxRelay, MessagingRuntime],
    };
  }
}
