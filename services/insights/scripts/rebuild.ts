// `npm run insights:rebuild`: empties insights' database and sets its consumer group back to the first retained
// offset of every topic it reads, so that the next start replays every event into empty fact collections and
// reaches the same numbers (ADR 0030). Run it with insights stopped: a member still in the group would keep its
// offsets, and go on writing into the database being emptied, so the rebuild refuses while the group has members.
//
// Reads KAFKA_BROKERS, MONGO_URL, MONGO_DB (default linli-insights) and LINLI_NAMESPACE, as the service does.
// Exit codes: 0 rebuilt; 2 the service is still running (nothing was changed); 1 anything else.
import { namespaced } from '@linli/platform';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { INSIGHTS_CONSUMER_GROUP, INSIGHTS_DATABASE, INSIGHTS_TOPICS } from '../src/topics';

const SERVICE_RUNNING_EXIT = 2;
/** Kafka's value of retention.ms that keeps every event for good. */
const RETAIN_FOREVER = '-1';

function report(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ task: 'insights:rebuild', ...line })}\n`);
}

class ServiceStillRunningError extends Error {}

/** The topics' retention: a finite one means the oldest events may be gone, and the replay will not see them. */
async function retentionOf(admin: Admin, topics: string[]): Promise<Record<string, string>> {
  const { resources } = await admin.describeConfigs({
    resources: topics.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      configNames: ['retention.ms'],
    })),
    includeSynonyms: false,
  });
  return Object.fromEntries(
    resources.map((resource) => [
      resource.resourceName,
      resource.configEntries.find((entry) => entry.configName === 'retention.ms')?.configValue ?? 'unknown',
    ]),
  );
}

export async function rebuild(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const groupId = namespaced(INSIGHTS_CONSUMER_GROUP, '.', env);
  const dbName = namespaced(env.MONGO_DB || INSIGHTS_DATABASE, '-', env);
  const kafka = new Kafka({
    brokers: (env.KAFKA_BROKERS || '127.0.0.1:9092').split(','),
    clientId: 'linli-insights-rebuild',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [group] = (await admin.describeGroups([groupId])).groups;
    if (group && group.members.length > 0) {
      throw new ServiceStillRunningError(
        `consumer group ${groupId} still has ${group.members.length} member(s) (` +
          group.members.map((m) => `${m.clientId}@${m.clientHost}`).join(', ') +
          '): stop every insights instance (npm stop, or docker compose stop insights) and run the rebuild again',
      );
    }
    const existing = new Set(await admin.listTopics());
    const topics = INSIGHTS_TOPICS.map((topic) => namespaced(topic.name, '.', env)).filter((t) =>
      existing.has(t),
    );

    // The group goes with its committed offsets: the service reads from the beginning a group that has none
    // (fromBeginning), so this is the reset to the earliest offsets, of every topic at once, in one request
    // (kafkajs' resetOffsets joins the group once per topic, seconds each). The broker refuses it while the
    // group has members, so a service started meanwhile stops the rebuild here, before the database is touched.
    if (group && group.state !== 'Dead') await admin.deleteGroups([groupId]);
    report({
      msg: 'consumer group reset to the earliest offsets (its committed offsets deleted)',
      groupId,
      topics,
    });

    const mongo = new MongoClient(env.MONGO_URL || 'mongodb://127.0.0.1:27017', {
      serverSelectionTimeoutMS: 10_000,
    });
    await mongo.connect();
    try {
      // Everything goes: the facts and the processed-events store (which would otherwise skip the replayed events).
      await mongo.db(dbName).dropDatabase();
    } finally {
      await mongo.close();
    }
    report({ msg: 'database emptied', database: dbName });

    const retention = topics.length > 0 ? await retentionOf(admin, topics) : {};
    const finite = Object.entries(retention).filter(([, value]) => value !== RETAIN_FOREVER);
    if (finite.length > 0) {
      report({
        level: 'warn',
        msg:
          'these topics do not keep their events for good (retention.ms): events older than that are gone and ' +
          'the replay cannot count them (ADR 0030: kafka-configs --alter --add-config retention.ms=-1)',
        retention: Object.fromEntries(finite),
      });
    }
    report({ msg: 'rebuilt: start insights and it replays every topic from the beginning' });
  } finally {
    await admin.disconnect();
  }
}

if (require.main === module) {
  rebuild().then(
    () => process.exit(0),
    (error: Error) => {
      report({ level: 'error', msg: error.message });
      process.exit(error instanceof ServiceStillRunningError ? SERVICE_RUNNING_EXIT : 1);
    },
  );
}
