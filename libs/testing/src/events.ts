// Reads events back from Kafka as a test would see them: what a service published, decoded from the wire.
import { namespaced } from '@linli/platform';
import { randomUUID } from 'node:crypto';
import { type CloudEvent, fromKafkaRecord } from '@linli/contracts';
import { Kafka, logLevel, type Consumer } from 'kafkajs';

export interface EventProbeOptions {
  brokers?: string[];
  topic: string;
  /** Read the topic from its first offset (default) or only what arrives after the probe joins. */
  fromBeginning?: boolean;
}

/**
 * Subscribes to a topic in a group of its own and collects every event; `waitFor` resolves with the first
 * (or the n-th) event matching a predicate, or rejects after a timeout with what it did see.
 */
export class EventProbe {
  readonly events: CloudEvent[] = [];
  /** Records that were not CloudEvents (kept so a test can say what it saw). */
  readonly undecodable: { key: string | null; error: string }[] = [];
  private readonly consumer: Consumer;
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly options: EventProbeOptions,
    brokers: string[],
  ) {
    const kafka = new Kafka({ brokers, clientId: 'linli-test-probe', logLevel: logLevel.NOTHING });
    // maxWaitTimeInMs: how long an idle fetch waits at the broker, and so how long `stop` waits for the one in
    // flight (kafkajs' 5 s default made each probe's stop take 3-5 s); events still arrive as soon as they are there.
    this.consumer = kafka.consumer({
      groupId: `linli-test-probe-${randomUUID()}`,
      sessionTimeout: 10_000,
      maxWaitTimeInMs: 1_000,
    });
  }

  static async start(options: EventProbeOptions): Promise<EventProbe> {
    const brokers = options.brokers ?? (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
    const probe = new EventProbe(options, brokers);
    await probe.consumer.connect();
    await probe.consumer.subscribe({
      topic: namespaced(options.topic),
      fromBeginning: options.fromBeginning ?? true,
    });
    const joined = new Promise<void>((resolve) => {
      const off = probe.consumer.on(probe.consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await probe.consumer.run({
      eachMessage: async ({ message }) => {
        try {
          probe.events.push(fromKafkaRecord(message));
        } catch (err) {
          probe.undecodable.push({ key: message.key?.toString() ?? null, error: (err as Error).message });
        }
        const waiters = probe.waiters;
        probe.waiters = [];
        waiters.forEach((wake) => wake());
      },
    });
    await joined;
    return probe;
  }

  async waitFor(
    predicate: (event: CloudEvent) => boolean,
    { timeoutMs = 30_000, count = 1 }: { timeoutMs?: number; count?: number } = {},
  ): Promise<CloudEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.events.filter(predicate);
      if (matching.length >= count) return matching;
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.events.map((e) => `${e.type} ${e.subject}`).join('\n  ');
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${count} matching event(s) on ${this.options.topic}; ` +
            `saw ${this.events.length}:\n  ${seen}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1_000));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** One-shot: the first event on `topic` that matches. */
export async function waitForEvent(
  topic: string,
  predicate: (event: CloudEvent) => boolean,
  timeoutMs = 30_000,
): Promise<CloudEvent> {
  const probe = await EventProbe.start({ topic });
  try {
    const [event] = await probe.waitFor(predicate, { timeoutMs });
    return event;
  } finally {
    await probe.stop();
  }
}
