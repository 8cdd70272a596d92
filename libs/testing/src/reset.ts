// Puts the shared infrastructure back between tests without touching what other suites use: only the
// databases, topics and Redis keys that carry the given prefix are removed.
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import Redis from 'ioredis';

export interface ResetOptions {
  /** Databases, topics and Redis keys that start with this are removed. Required: nothing is reset globally. */
  prefix: string;
  kafkaBrokers?: string[];
  mongoUrl?: string;
  redisUrl?: string;
}

export async function resetState(
  options: ResetOptions,
): Promise<{ databases: string[]; topics: string[]; keys: number }> {
  if (options.prefix.length < 3) throw new Error('resetState needs a prefix of at least 3 characters');
  const mongoUrl = options.mongoUrl ?? process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const brokers = options.kafkaBrokers ?? (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

  const mongo = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  await mongo.connect();
  const { databases: all } = await mongo.db('admin').admin().listDatabases();
  const databases = all.map((d) => d.name).filter((name) => name.startsWith(options.prefix));
  for (const name of databases) await mongo.db(name).dropDatabase();
  await mongo.close();

  const admin = new Kafka({ brokers, clientId: 'linli-test-reset', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(options.prefix));
  if (topics.length) await admin.deleteTopics({ topics });
  await admin.disconnect();

  const redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
  let keys = 0;
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${options.prefix}*`, 'COUNT', 500);
    cursor = next;
    if (batch.length) keys += await redis.del(...batch);
  } while (cursor !== '0');
  await redis.quit();
  return { databases, topics, keys };
}
