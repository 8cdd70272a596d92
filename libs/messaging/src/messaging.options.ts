// Configuration of MessagingModule: every time limit and size is named here or next to what it bounds.
import type { TopicDefinition } from '@linli/contracts';
import type { Registry } from 'prom-client';
import type { OutboxRelayOptions } from './outbox.relay';

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
  /** Where messaging metrics go. Default: prom-client's global registry. */
  metricsRegistry?: Registry;
}

export type ResolvedMessagingOptions = MessagingModuleOptions &
  Required<
    Pick<MessagingModuleOptions, 'topics' | 'provisionTopics' | 'outboxModels' | 'runRelay' | 'relay'>
  >;

export function resolveMessagingOptions(options: MessagingModuleOptions): ResolvedMessagingOptions {
  return {
    topics: [],
    provisionTopics: true,
    outboxModels: [],
    runRelay: true,
    relay: {},
    ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
  } as unknown as ResolvedMessagingOptions;
}
