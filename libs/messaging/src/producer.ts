// The service's one idempotent producer: CloudEvents in binary mode, acks from all in-sync replicas, one request
// in flight so a retried batch cannot overtake the next one (per-key order survives broker retries).
import { namespaced } from '@linli/platform';
import { Logger } from '@nestjs/common';
import { type CloudEvent, toKafkaRecord } from '@linli/contracts';
import type { Kafka, Producer, RecordMetadata, TopicMessages } from 'kafkajs';

/** acks=all: an event is published only once every in-sync replica has it. */
export const ACKS_ALL = -1;

export interface OutgoingEvent {
  topic: string;
  event: CloudEvent;
}

/** Publishing while the producer is not connected (before start-up or after shutdown). */
export class ProducerNotConnectedError extends Error {
  override readonly name = 'ProducerNotConnectedError';
}

export class EventProducer {
  readonly producer: Producer;
  private connected = false;
  private closing = false;
  private readonly logger = new Logger(EventProducer.name);
  private readonly detach: (() => void)[] = [];

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Topics are provisioned with their partition count; an auto-created one would get the broker default.
      allowAutoTopicCreation: false,
    });
    const { CONNECT, DISCONNECT } = this.producer.events;
    this.detach.push(
      this.producer.on(CONNECT, () => (this.connected = true)),
      this.producer.on(DISCONNECT, () => {
        this.connected = false;
        if (!this.closing) this.logger.warn({ msg: 'kafka producer disconnected' });
      }),
    );
  }

  get isConnected(): boolean {
    return this.connected;
  }

  async connect(): Promise<void> {
    this.closing = false;
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    this.closing = true;
    await this.producer.disconnect();
    this.connected = false;
  }

  /** For readiness: throws when the producer cannot publish. */
  assertConnected(): void {
    if (!this.connected) throw new ProducerNotConnectedError('kafka producer is not connected');
  }

  /**
   * Publishes many events in ONE request (kafkajs does not batch on its own: one `send` is one round trip).
   * Events of one topic keep the order given, so a key's events are appended in that order.
   */
  async publish(events: readonly OutgoingEvent[]): Promise<RecordMetadata[]> {
    if (events.length === 0) return [];
    this.assertConnected();
    const byTopic = new Map<string, TopicMessages>();
    for (const { topic: name, event } of events) {
      // The deployment's namespace is applied here, at the wire, so outbox entries keep the contract's names.
      const topic = namespaced(name);
      let group = byTopic.get(topic);
      if (!group) byTopic.set(topic, (group = { topic, messages: [] }));
      group.messages.push(toKafkaRecord(event));
    }
    return this.producer.sendBatch({ topicMessages: [...byTopic.values()], acks: ACKS_ALL });
  }
}
