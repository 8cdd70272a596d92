// Creates test topics and waits until every partition has a leader. kafkajs's own `waitForLeaders` retries only
// LEADER_NOT_AVAILABLE, while a KRaft broker may first answer UNKNOWN_TOPIC_OR_PARTITION for a topic it has
// just created: under load that failed suites at random, so this polls the metadata itself.
import { namespaced } from '@linli/platform';
import { Kafka, logLevel } from 'kafkajs';

export interface TestTopic {
  topic: string;
  numPartitions?: number;
}

export async function ensureTopics(
  topics: readonly (TestTopic | string)[],
  { brokers, timeoutMs = 30_000 }: { brokers?: string[]; timeoutMs?: number } = {},
): Promise<void> {
  // In the test file's namespace (LINLI_NAMESPACE), as the services see them.
  const wanted = topics.map((t) =>
    typeof t === 'string' ? { topic: namespaced(t) } : { ...t, topic: namespaced(t.topic) },
  );
  const admin = new Kafka({
    brokers: brokers ?? (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    clientId: 'linli-test-topics',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t.topic));
    if (missing.length) {
      await admin
        .createTopics({
          topics: missing.map((t) => ({
            topic: t.topic,
            numPartitions: t.numPartitions ?? 1,
            replicationFactor: 1,
          })),
          waitForLeaders: false,
        })
        .catch((error: { type?: string }) => {
          if (error.type !== 'TOPIC_ALREADY_EXISTS') throw error;
        });
    }
    const names = wanted.map((t) => t.topic);
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      try {
        const { topics: metadata } = await admin.fetchTopicMetadata({ topics: names });
        const ready =
          metadata.length === names.length && metadata.every((t) => t.partitions.every((p) => p.leader >= 0));
        if (ready) return;
        last = 'partitions without a leader';
      } catch (error) {
        last = (error as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`test topics ${names.join(', ')} not ready: ${last}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.disconnect();
  }
}

/** A contract's topic name as the services of this test file use it (inside its LINLI_NAMESPACE). */
export function kafkaTopic(name: string): string {
  return namespaced(name);
}
