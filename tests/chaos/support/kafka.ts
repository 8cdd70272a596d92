// What the broker knows about the platform, read from outside: the consumer groups of a namespace, the topics each
// reads, how far behind each is, and the records of a topic (the DLQs, for the poison check).
import { AssignerProtocol, Kafka, logLevel, type Admin, type KafkaMessage } from 'kafkajs';

const LIVE_PUSH_GROUP = /\.linli\.gateway-live-[0-9a-f]+$/;

export function kafkaOf(env: Record<string, string>, clientId = 'linli-chaos'): Kafka {
  return new Kafka({
    clientId,
    brokers: (env['KAFKA_BROKERS'] as string).split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
  });
}

export async function withAdmin<T>(
  env: Record<string, string>,
  use: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = kafkaOf(env).admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * The namespace's consumer groups (`<ns>.linli.<service>...`) and the topics each reads. Left out: the gateway's
 * per-instance live-push groups (`…gateway-live-<id>`), which read from the latest offset, commit nothing and
 * dead-letter nothing by design (a notice is news or nothing, ADR 0031): they have no lag to speak of.
 */
export async function groupTopics(admin: Admin, namespace: string): Promise<Map<string, string[]>> {
  const { groups } = await admin.listGroups();
  const ours = groups.map((g) => g.groupId).filter((id) => id.startsWith(`${namespace}.`));
  const result = new Map<string, string[]>();
  if (ours.length === 0) return result;
  const described = await admin.describeGroups(ours);
  for (const group of described.groups) {
    if (LIVE_PUSH_GROUP.test(group.groupId)) continue;
    const topics = new Set<string>();
    for (const member of group.members) {
      try {
        for (const topic of AssignerProtocol.MemberMetadata.decode(member.memberMetadata)?.topics ?? []) {
          topics.add(topic);
        }
      } catch {
        // a member of another protocol: its committed offsets below still name its topics
      }
    }
    for (const entry of await admin.fetchOffsets({ groupId: group.groupId })) topics.add(entry.topic);
    result.set(group.groupId, [...topics].sort());
  }
  return result;
}

export interface GroupLag {
  group: string;
  lag: number;
  /** Committed offset per `topic:partition` (-1: nothing committed yet). */
  committed: Record<string, number>;
}

/** Lag = the partition's end minus the group's committed offset (from its start when nothing is committed). */
export async function consumerLag(admin: Admin, namespace: string): Promise<GroupLag[]> {
  const lags: GroupLag[] = [];
  const ends = new Map<string, { high: number; low: number }[]>();
  for (const [group, topics] of await groupTopics(admin, namespace)) {
    let lag = 0;
    const committed: Record<string, number> = {};
    const offsets = topics.length ? await admin.fetchOffsets({ groupId: group, topics }) : [];
    for (const { topic, partitions } of offsets) {
      if (!ends.has(topic)) {
        ends.set(
          topic,
          (await admin.fetchTopicOffsets(topic))
            .sort((a, b) => a.partition - b.partition)
            .map((p) => ({ high: Number(p.high), low: Number(p.low) })),
        );
      }
      const topicEnds = ends.get(topic) as { high: number; low: number }[];
      for (const { partition, offset } of partitions) {
        const end = topicEnds[partition] ?? { high: 0, low: 0 };
        const at = Number(offset);
        committed[`${topic}:${partition}`] = at;
        lag += Math.max(0, end.high - (at >= 0 ? at : end.low));
      }
    }
    lags.push({ group, lag, committed });
  }
  return lags;
}

/** Every record of a topic from its start to its current end (a fresh group-less read, partition by partition). */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  timeoutMs = 60_000,
): Promise<{ partition: number; message: KafkaMessage }[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(
    ends.filter((e) => Number(e.high) > Number(e.low)).map((e) => [e.partition, Number(e.high)]),
  );
  const records: { partition: number; message: KafkaMessage }[] = [];
  if (remaining.size === 0) return records;
  const consumer = kafka.consumer({ groupId: `linli-chaos-read-${Date.now()}-${Math.random()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${topic} took over ${timeoutMs} ms`)),
        timeoutMs,
      );
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          records.push({ partition, message });
          const end = remaining.get(partition);
          if (end !== undefined && Number(message.offset) + 1 >= end) remaining.delete(partition);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  return records;
}
