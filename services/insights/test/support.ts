// What insights' integration tests share: the service as a process on the real stack, events sent as their
// producers would send them (valid against the contracts, or the test fails before sending), the rebuild as an
// operator runs it, and the "caught up" check (every topic's committed offsets at its end). Each test file runs in a
// namespace of its own (LINLI_NAMESPACE), so its topics, consumer group and database are its alone.
import {
  createEvent,
  findEventDefinition,
  toKafkaRecord,
  validateEventData,
  type CloudEvent,
  type EventDefinition,
} from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { authHeader, call, eventually, startService, type Json, type ServiceProcess } from '@linli/testing';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { INSIGHTS_CONSUMER_GROUP, INSIGHTS_TOPICS } from '../src/topics';

export { call, eventually, type Json, type ServiceProcess };

/** Gulou district (鼓楼区), Nanjing; its street 宁海路街道 and two of that street's communities. */
export const GULOU = '320106';
export const STREET = '320106001';
export const COMMUNITY_1 = '320106001003';
export const COMMUNITY_2 = '320106001004';
/** 玄武区: another district, and one of its communities. */
export const XUANWU = '320102';
export const XUANWU_COMMUNITY = '320102002001';

export const supervisor = (jurisdiction = GULOU) => authHeader('supervisor', jurisdiction, { sub: 'sup-1' });

/** Fast group membership: a restarted instance gets its partitions back in seconds. */
const FAST_ENV = { CONSUMER_SESSION_TIMEOUT_MS: '6000', CONSUMER_HEARTBEAT_INTERVAL_MS: '1000' };

export function startInsights(): Promise<ServiceProcess> {
  return startService({ name: 'insights', env: FAST_ENV, readyTimeoutMs: 90_000 });
}

const brokers = () => (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/** A valid event of `definition` at `time` (its data checked against the contract here, so a typo fails loudly). */
export function eventOf<D extends EventDefinition>(
  definition: D,
  subject: string,
  time: string,
  data: Json,
): CloudEvent {
  const checked = validateEventData(definition, data);
  if (!checked.ok) throw new Error(`${definition.type} is not valid: ${checked.errors.join('; ')}`);
  return createEvent({
    id: randomUUID(),
    source: `/linli/${definition.topic.service}`,
    type: definition.type,
    subject,
    time,
    jurisdiction: (data as { jurisdiction?: string }).jurisdiction,
    data,
  });
}

/** Sends events to their topics as their producers do (keyed by subject), in the order given. */
export class EventSender {
  private constructor(private readonly producer: Producer) {}

  static async start(): Promise<EventSender> {
    const producer = new Kafka({
      brokers: brokers(),
      clientId: 'insights-test',
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    return new EventSender(producer);
  }

  async send(events: readonly CloudEvent[]): Promise<void> {
    for (const event of events) {
      const definition = findEventDefinition(event.type);
      if (!definition) throw new Error(`unknown event type ${event.type}`);
      await this.producer.send({
        topic: namespaced(definition.topic.name),
        messages: [toKafkaRecord(event)],
      });
    }
  }

  /** A record as it is, to a topic (an invalid one, for the dead-letter test). */
  async sendRaw(topic: string, event: CloudEvent): Promise<void> {
    await this.producer.send({ topic: namespaced(topic), messages: [toKafkaRecord(event)] });
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}

/** Kafka's view of insights' consumer group: caught up when its committed offsets reach every partition's end. */
export class GroupWatch {
  private constructor(private readonly admin: Admin) {}

  static async start(): Promise<GroupWatch> {
    const admin = new Kafka({
      brokers: brokers(),
      clientId: 'insights-test-admin',
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    return new GroupWatch(admin);
  }

  /** Messages not yet committed by the group, over every topic it reads (the end offset when nothing is committed). */
  async lag(): Promise<number> {
    const groupId = namespaced(INSIGHTS_CONSUMER_GROUP);
    let lag = 0;
    for (const topic of INSIGHTS_TOPICS.map((t) => namespaced(t.name))) {
      const ends = await this.admin.fetchTopicOffsets(topic);
      const [committed] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
      for (const end of ends) {
        const at = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        lag += Number(end.high) - Math.max(Number(at), Number(end.low));
      }
    }
    return lag;
  }

  async caughtUp(timeoutMs = 60_000): Promise<void> {
    await eventually(
      'insights to have consumed every event',
      async () => ((await this.lag()) === 0 ? true : undefined),
      {
        timeoutMs,
        intervalMs: 500,
      },
    );
  }

  async stop(): Promise<void> {
    await this.admin.disconnect();
  }
}

/** `npm run insights:rebuild` in this test file's namespace: its exit code and what it wrote. */
export function runRebuild(): Promise<{ code: number | null; output: string }> {
  const root = path.resolve(__dirname, '../../..');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', path.join(root, 'services/insights/scripts/rebuild.ts')],
      { cwd: root, env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') } },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}
