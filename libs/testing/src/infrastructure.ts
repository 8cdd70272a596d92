// Where the tests find Kafka, MongoDB and Redis: from the environment when given, else testcontainers when a
// Docker engine answers, else the local stack (deploy/local/stack.sh), which this starts if it is not running.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Infrastructure {
  kafkaBrokers: string[];
  mongoUrl: string;
  redisUrl: string;
  source: 'env' | 'testcontainers' | 'local-stack';
  stop(): Promise<void>;
}

export const repositoryRoot = path.resolve(__dirname, '../../..');

export function infrastructureFromEnv(env: NodeJS.ProcessEnv = process.env): Infrastructure | undefined {
  const { KAFKA_BROKERS, MONGO_URL, REDIS_URL } = env;
  if (!KAFKA_BROKERS || !MONGO_URL || !REDIS_URL) return undefined;
  return {
    kafkaBrokers: KAFKA_BROKERS.split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    mongoUrl: MONGO_URL,
    redisUrl: REDIS_URL,
    source: 'env',
    stop: async () => undefined,
  };
}

/** True when a Docker engine answers (not merely when the docker client is installed). */
export async function dockerAnswers(timeoutMs = 3000): Promise<boolean> {
  if (process.env.LINLI_TESTCONTAINERS === 'off') return false;
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: timeoutMs });
    return true;
  } catch {
    return false;
  }
}

async function startTestcontainers(): Promise<Infrastructure> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const { RedisContainer } = await import('@testcontainers/redis');
  const [kafka, mongo, redis] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().withExposedPorts(9093).start(),
    new MongoDBContainer('mongo:7.0').start(),
    new RedisContainer('redis:7.4').start(),
  ]);
  return {
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
    mongoUrl: `${mongo.getConnectionString()}/?directConnection=true`,
    redisUrl: redis.getConnectionUrl(),
    source: 'testcontainers',
    stop: async () => {
      await Promise.all([kafka.stop(), mongo.stop(), redis.stop()]);
    },
  };
}

export async function startLocalStack(): Promise<Infrastructure> {
  const script = path.join(repositoryRoot, 'deploy/local/stack.sh');
  await run('bash', [script, 'start'], { timeout: 15 * 60_000, maxBuffer: 10 * 1024 * 1024 });
  const { stdout } = await run('bash', [script, 'env']);
  const env: NodeJS.ProcessEnv = {};
  for (const line of stdout.split('\n')) {
    const match = /^export (\w+)=(.*)$/.exec(line.trim());
    if (match) env[match[1]] = match[2];
  }
  const infra = infrastructureFromEnv(env);
  if (!infra) throw new Error(`deploy/local/stack.sh env printed no connection variables:\n${stdout}`);
  // The local stack outlives the test run on purpose: the next run starts in a second.
  return { ...infra, source: 'local-stack' };
}

export async function resolveInfrastructure(): Promise<Infrastructure> {
  const fromEnv = infrastructureFromEnv();
  if (fromEnv) return fromEnv;
  if (await dockerAnswers()) return startTestcontainers();
  return startLocalStack();
}

/** Puts the infrastructure where every test and every service process reads it. */
export function exportInfrastructure(infra: Infrastructure, env: NodeJS.ProcessEnv = process.env): void {
  env.KAFKA_BROKERS = infra.kafkaBrokers.join(',');
  env.MONGO_URL = infra.mongoUrl;
  env.REDIS_URL = infra.redisUrl;
  env.LINLI_INFRA_SOURCE = infra.source;
}
