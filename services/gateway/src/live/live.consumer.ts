// Reads every domain topic for the live push, in a consumer group of this instance's own (every instance must see
// every event, since each holds its own browsers' streams), from the latest offset: a notice is news or nothing.
// No offsets are committed, and the group is deleted at shutdown. Best effort by design: what is missed during a
// restart or rebalance is refetched by the pages when their stream reconnects (ADR 0031).
import { allTopics, auditTopic, EnvelopeError, fromKafkaRecord } from '@linli/contracts';
import { MESSAGING_OPTIONS, TopicProvisioner, type ResolvedMessagingOptions } from '@linli/messaging';
import { deploymentNamespace, namespaced, ReadinessRegistry } from '@linli/platform';
import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Kafka, type Consumer, type EachMessagePayload } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { config } from '../config';
import { LiveHub } from './live.hub';
import { contractTopicOf, liveTopics, noticeOf } from './live.rules';

export const LIVE_READINESS_CHECK = 'live-push';
/** The consumer group's name before its random suffix, inside the deployment's namespace. */
export const LIVE_GROUP_PREFIX = 'linli.gateway-live-';
/** A new notice is sent at once; an idle fetch waits this long at the broker, which bounds a shutdown's wait. */
const MAX_WAIT_MS = 1_000;
/** After kafkajs gives up (a non-retriable error), the consumer is rebuilt after this, doubling up to the max. */
const RESTART_FIRST_MS = 1_000;
const RESTART_MAX_MS = 60_000;

export class LiveConsumerDownError extends Error {
  override readonly name = 'LiveConsumerDownError';
}

@Injectable()
export class LiveConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LiveConsumer.name);
  /** This instance's group: random, so two instances never share (and split) the events. */
  readonly groupId = namespaced(`${LIVE_GROUP_PREFIX}${randomBytes(6).toString('hex')}`);
  readonly topics = liveTopics(allTopics, [auditTopic]);
  private readonly namespace = deploymentNamespace();
  private consumer?: Consumer;
  private joined = false;
  private stopping = false;
  private restartDelayMs = RESTART_FIRST_MS;
  private restartTimer?: NodeJS.Timeout;

  constructor(
    private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: ResolvedMessagingOptions,
    private readonly provisioner: TopicProvisioner,
    private readonly hub: LiveHub,
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The topics may not exist yet when the gateway starts before the services that publish on them.
    if (this.messaging.provisionTopics) await this.provisioner.ensure(this.topics);
    this.readiness?.register({
      name: LIVE_READINESS_CHECK,
      check: () => {
        if (!this.joined)
          throw new LiveConsumerDownError(`live push consumer ${this.groupId} has not joined`);
      },
    });
    await this.start();
    this.logger.log({ msg: 'live push consumer started', groupId: this.groupId });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.readiness?.unregister(LIVE_READINESS_CHECK);
    await this.consumer?.disconnect().catch(() => undefined);
    await this.deleteGroup();
  }

  private async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: config.CONSUMER_SESSION_TIMEOUT_MS,
      heartbeatInterval: config.CONSUMER_HEARTBEAT_INTERVAL_MS,
      maxWaitTimeInMs: MAX_WAIT_MS,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
      this.restartDelayMs = RESTART_FIRST_MS;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.joined = false;
      // kafkajs restarts by itself after a retriable error; after any other, it stays down unless rebuilt.
      if (!payload.restart) this.scheduleRestart(payload.error.message);
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: this.topics.map((topic) => namespaced(topic.name)),
      fromBeginning: false,
    });
    await consumer.run({
      // Nothing to resume from: a new instance starts at the latest offset, and its group goes when it goes.
      autoCommit: false,
      eachMessage: async (payload) => this.forward(payload),
    });
  }

  private forward({ topic, message }: EachMessagePayload): void {
    try {
      const event = fromKafkaRecord(message);
      this.hub.publish(noticeOf(event, contractTopicOf(topic, this.namespace)));
    } catch (error) {
      // Never thrown back to kafkajs: a retried message would stall the partition for news nobody must have.
      if (error instanceof EnvelopeError) {
        // Not a CloudEvent: the services' consumers dead-letter it; here it is simply no news.
        this.logger.debug({ msg: 'not a CloudEvent; no notice', topic, reason: error.message });
      } else {
        this.logger.warn({ msg: 'live notice not sent', topic, reason: (error as Error).message });
      }
    }
  }

  private scheduleRestart(reason: string): void {
    if (this.stopping) return;
    const delayMs = this.restartDelayMs;
    this.restartDelayMs = Math.min(this.restartDelayMs * 2, RESTART_MAX_MS);
    this.logger.error({ msg: 'live push consumer crashed; rebuilding it', reason, inMs: delayMs });
    this.restartTimer = setTimeout(() => {
      void (async () => {
        await this.consumer?.disconnect().catch(() => undefined);
        if (this.stopping) return;
        await this.start().catch((error: Error) => this.scheduleRestart(error.message));
      })();
    }, delayMs);
  }

  /** Best effort: a group left behind (a crash, a broker away) has no offsets and is dropped by the broker. */
  private async deleteGroup(): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([this.groupId]);
    } catch (error) {
      this.logger.warn({
        msg: 'live push consumer group not deleted',
        groupId: this.groupId,
        reason: (error as Error).message,
      });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
