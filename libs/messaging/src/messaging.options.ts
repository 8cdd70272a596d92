// Configuration of MessagingModule: every time limit and size is named here or next to what it bounds.
import type { TopicDefinition } from '@linli/contracts';
import type { Registry } from 'prom-client';
import type { ConsumerRunnerOptions } from './consumer.runner';
import type { OutboxRelayOptions } from './outbox.relay';
import { withDefaults } from '@linli/platform';

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingModuleOptions {
  /** The service name: Kafka client id, event source, default consumer group. */
  service: string;
  /** Default: env KAFKA_BROKERS, else 127.0.0.1:9092. */
  brokers?: string[];
  /** Topics this service publishes or reads; each is created with its `.dlq` at start-up if missing. */
  topics?: readonly TopicDefinition[];
  /** Partitions of topics this service creates. Default: env KAFKA_TOPIC_PARTITIONS, else 6. */
  topicPartitions?: number;
  /** false where topics are created by the platform team (production), not by the services. */
  provisionTopics?: boolean;
  /** Names of the mongoose models (with aggregatePlugin) whose outboxes the relay publishes. */
  outboxModels?: readonly string[];
  /** The @nestjs/mongoose connection of those models; the default connection if omitted. */
  connectionName?: string;
  /** Poll interval, batch size, lease and shutdown flush of the relay (OUTBOX_RELAY_DEFAULTS). */
  relay?: OutboxRelayOptions;
  /** false for a process that writes but must not publish (the relay runs elsewhere). */
  runRelay?: boolean;
  /** Where messaging metrics go. Default: the platform's registry (prom-client's global one). */
  metricsRegistry?: Registry;
  /** The consumer group that runs the service's `@OnEvent` handlers (ConsumerRunner’s defaults otherwise). */
  consumer?: ConsumerOptions;
}

/**
 * The service's one consumer group. Retry and restart schedules, concurrency and commit cadence keep
 * ConsumerRunner's defaults (ADR 11) unless set here.
 */
export interface ConsumerOptions extends Pick<
  ConsumerRunnerOptions,
  | 'retry'
  | 'restart'
  | 'partitionsConsumedConcurrently'
  | 'recordBatchSize'
  | 'fromBeginning'
  | 'consumerConfig'
  | 'commitIntervalMs'
> {
  /** Default `linli.<service>`: every instance of the service shares the work, each event applied once. */
  groupId?: string;
  /** How long applied event ids are remembered (the processed-events TTL); the store's default otherwise. */
  processedEventsRetentionMs?: number;
  /** false for a process that must not consume (its handlers run in another deployment of the service). */
  run?: boolean;
  /**
   * What happens when the consumer is down for good (kafkajs gave up and the runner's restarts are spent).
   * Default `exit`: SIGTERM to this process, so the graceful shutdown runs and the supervisor starts a new one;
   * `stay`: keep running, unready (tests, or a process that also serves other work).
   */
  onGiveUp?: 'exit' | 'stay';
}

/** A service's consumer group unless configured otherwise; renaming it re-reads every retained event. */
export function defaultConsumerGroup(service: string): string {
  return `linli.${service}`;
}

export type ResolvedMessagingOptions = MessagingModuleOptions &
  Required<
    Pick<
      MessagingModuleOptions,
      'topics' | 'provisionTopics' | 'outboxModels' | 'runRelay' | 'relay' | 'consumer'
    >
  >;

export function resolveMessagingOptions(options: MessagingModuleOptions): ResolvedMessagingOptions {
  return withDefaults(
    { topics: [], provisionTopics: true, outboxModels: [], runRelay: true, relay: {}, consumer: {} },
    options,
  ) as unknown as ResolvedMessagingOptions;
}
