// Creates each topic a service publishes or reads, with its dead-letter topic, before anything uses them.
import { namespaced } from '@linli/platform';
import { Logger } from '@nestjs/common';
import { dlqTopicOf, type TopicDefinition } from '@linli/contracts';
import type { Admin, Kafka } from 'kafkajs';

export const DEFAULT_TOPIC_PARTITIONS = 6;
/** -1 lets the broker apply its default.replication.factor (1 on the single-node stack, 3 in production). */
export const DEFAULT_REPLICATION_FACTOR = -1;
/**
 * retention.ms of the topics the platform creates: -1, every event kept for good. insights rebuilds its read models
 * by replaying every topic from its first offset (ADR 0030), which a time limit would silently cut short.
 */
export const DEFAULT_TOPIC_RETENTION_MS = -1;
/** Upper bound on waiting for the new partitions' leaders. */
export const DEFAULT_PROVISIONING_TIMEOUT_MS = 30_000;
const LEADER_POLL_MS = 100;

export interface TopicProvisioningOptions {
  /** Default: env KAFKA_TOPIC_PARTITIONS, else 6. Changing it later does not repartition existing topics. */
  partitions?: number;
  replicationFactor?: number;
  /** retention.ms of the topics created; default DEFAULT_TOPIC_RETENTION_MS (kept for good). */
  retentionMs?: number;
  timeoutMs?: number;
}

export class TopicProvisioningError extends Error {
  override readonly name = 'TopicProvisioningError';
}

export function topicPartitionsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.KAFKA_TOPIC_PARTITIONS;
  if (raw === undefined || raw === '') return DEFAULT_TOPIC_PARTITIONS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new TopicProvisioningError(`KAFKA_TOPIC_PARTITIONS must be a positive integer, got ${raw}`);
  }
  return value;
}

/** Each topic and its `.dlq`, without duplicates. */
export function topicsWithDeadLetters(topics: readonly (TopicDefinition | string)[]): string[] {
  const names = topics.map((topic) => namespaced(typeof topic === 'string' ? topic : topic.name));
  return [...new Set(names.flatMap((name) => [name, dlqTopicOf(name)]))];
}

export class TopicProvisioner {
  private readonly logger = new Logger(TopicProvisioner.name);

  constructor(
    private readonly kafka: Kafka,
    private readonly options: TopicProvisioningOptions = {},
  ) {}

  /**
   * Idempotent: creates only what is missing (another instance may be doing the same at the same moment), then
   * waits until every partition of every topic has a leader. Returns the topics it created.
   */
  async ensure(topics: readonly (TopicDefinition | string)[]): Promise<string[]> {
    const wanted = topicsWithDeadLetters(topics);
    if (wanted.length === 0) return [];
    const partitions = this.options.partitions ?? topicPartitionsFromEnv();
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_PROVISIONING_TIMEOUT_MS;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((topic) => !existing.has(topic));
      if (missing.length > 0) {
        try {
          await admin.createTopics({
            topics: missing.map((topic) => ({
              topic,
              numPartitions: partitions,
              replicationFactor: this.options.replicationFactor ?? DEFAULT_REPLICATION_FACTOR,
              configEntries: [
                {
                  name: 'retention.ms',
                  value: String(this.options.retentionMs ?? DEFAULT_TOPIC_RETENTION_MS),
                },
              ],
            })),
            waitForLeaders: false,
            timeout: timeoutMs,
          });
        } catch (error) {
          // A concurrent instance created some of them first: fine, the leader wait below covers them.
          if (!isAlreadyExists(error)) throw error;
        }
        this.logger.log({ msg: 'topics created', topics: missing, partitions });
      }
      await this.waitForLeaders(admin, wanted, timeoutMs);
      return missing;
    } finally {
      await admin.disconnect();
    }
  }

  private async waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no metadata yet';
    for (;;) {
      try {
        const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
        const leaderless = metadata.flatMap((topic) =>
          topic.partitions.filter((p) => p.leader < 0).map((p) => `${topic.name}/${p.partitionId}`),
        );
        const seen = new Set(metadata.map((topic) => topic.name));
        const absent = topics.filter((topic) => !seen.has(topic));
        if (leaderless.length === 0 && absent.length === 0) return;
        last = [...absent, ...leaderless].join(', ');
      } catch (error) {
        last = (error as Error).message;
      }
      if (Date.now() > deadline) {
        throw new TopicProvisioningError(`topics not ready after ${timeoutMs} ms: ${last}`);
      }
      await new Promise((resolve) => setTimeout(resolve, LEADER_POLL_MS));
    }
  }
}

function isAlreadyExists(error: unknown): boolean {
  const { type, errors } = error as { type?: string; errors?: { type?: string }[] };
  if (type === 'TOPIC_ALREADY_EXISTS') return true;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => e.type === 'TOPIC_ALREADY_EXISTS');
}
