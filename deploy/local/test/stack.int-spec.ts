// The local stack script itself, on a private instance (own folder and ports), so the shared stack that the
// other suites use is never touched: start twice gives one stack, data survives stop/start, status tells the truth.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { ensureTopics } from '@linli/testing';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
const script = path.join(root, 'deploy/local/stack.sh');
const sharedJars = process.env.LINLI_STACK_JARS ?? path.join(root, '.linli/jars');

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-stack-'));
// A random block of ports below Linux's ephemeral range (32768+), where the other suites' outgoing connections
// would sometimes hold one of them; a block that is not free right now is skipped.
const base = (() => {
  for (;;) {
    const candidate = 20_000 + Math.floor(Math.random() * 1_200) * 10;
    const taken = execFileSync('bash', [
      '-c',
      `ss -Htan '( sport >= :${candidate} and sport <= :${candidate + 4} )' | wc -l`,
    ])
      .toString()
      .trim();
    if (taken === '0') return candidate;
  }
})();
const ports = { kafka: base, controller: base + 1, mongo: base + 2, redis: base + 3 };
const env = {
  ...process.env,
  LINLI_STACK_DIR: home,
  LINLI_STACK_JARS: sharedJars,
  LINLI_KAFKA_PORT: String(ports.kafka),
  LINLI_KAFKA_CONTROLLER_PORT: String(ports.controller),
  LINLI_MONGO_PORT: String(ports.mongo),
  LINLI_REDIS_PORT: String(ports.redis),
};
const hasRedisServer = (() => {
  try {
    execFileSync('bash', ['-c', 'command -v redis-server']);
    return true;
  } catch {
    return false;
  }
})();

async function stack(command: string, extraEnv: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run('bash', [script, command], {
      env: { ...env, ...extraEnv },
      timeout: 600_000,
    });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

function pidOf(name: string): string {
  return fs.readFileSync(path.join(home, 'run', `${name}.pid`), 'utf8').trim();
}

const kafka = new Kafka({
  brokers: [`127.0.0.1:${ports.kafka}`],
  clientId: 'stack-test',
  logLevel: logLevel.NOTHING,
});

afterAll(async () => {
  await stack('stop');
  fs.rmSync(home, { recursive: true, force: true });
});

// This suite needs redis-server to run a private Redis; the machines this project targets have it.
const describeWithRedis = hasRedisServer ? describe : describe.skip;

describeWithRedis('deploy/local/stack.sh', () => {
  it('starts Kafka, the MongoDB-wire server and Redis, and a second start reuses them', async () => {
    const first = await stack('start');
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toMatch(/kafka\s+up/);
    const pids = { kafka: pidOf('kafka'), mongo: pidOf('mongo'), redis: pidOf('redis') };

    const second = await stack('start');
    expect(second.code).toBe(0);
    expect(second.out).toContain('kafka already running');
    expect(second.out).toContain('mongo-wire server already running');
    expect({ kafka: pidOf('kafka'), mongo: pidOf('mongo'), redis: pidOf('redis') }).toEqual(pids);
    const javaProcesses = execFileSync('bash', ['-c', `pgrep -f -- '^java .*${home}' | wc -l`])
      .toString()
      .trim();
    expect(Number(javaProcesses)).toBe(2);
  });

  it('keeps MongoDB documents and Kafka messages across stop and start', async () => {
    const mongo = new MongoClient(`mongodb://127.0.0.1:${ports.mongo}`, { serverSelectionTimeoutMS: 10_000 });
    await mongo.connect();
    await mongo
      .db('stack_test')
      .collection('things')
      .insertOne({ _id: 'kept' as never, n: 42 });
    await mongo.close();

    await ensureTopics(['stack-test'], { brokers: [`127.0.0.1:${ports.kafka}`] });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: 'stack-test', acks: -1, messages: [{ key: 'k', value: 'survives' }] });
    await producer.disconnect();

    expect(await stack('stop')).toMatchObject({ code: 0 });
    const down = await stack('status');
    expect(down.code).not.toBe(0);
    expect(down.out).toMatch(/kafka\s+down/);
    expect(down.out).toMatch(/mongo\s+down/);

    expect(await stack('start')).toMatchObject({ code: 0 });
    const again = new MongoClient(`mongodb://127.0.0.1:${ports.mongo}`, { serverSelectionTimeoutMS: 10_000 });
    await again.connect();
    expect(
      await again
        .db('stack_test')
        .collection('things')
        .findOne({ _id: 'kept' as never }),
    ).toMatchObject({ n: 42 });
    await again.close();

    const consumer = kafka.consumer({ groupId: `stack-test-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: 'stack-test', fromBeginning: true });
    const value = await new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(message.value!.toString()) });
    });
    await consumer.disconnect();
    expect(value).toBe('survives');
  });

  it('status reports a part that died, with exit code 1, and start brings it back', async () => {
    process.kill(Number(pidOf('mongo')), 'SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    const status = await stack('status');
    expect(status.code).toBe(1);
    expect(status.out).toMatch(/mongo\s+down/);
    expect(status.out).toMatch(/kafka\s+up/);
    expect(status.out).toContain(path.join(home, 'logs'));

    expect(await stack('start')).toMatchObject({ code: 0 });
    expect(await stack('status')).toMatchObject({ code: 0 });
  });
});

describe('deploy/local/stack.sh without its tools', () => {
  it('names what is missing when java, maven and redis-server are not installed', async () => {
    // A PATH holding only what the script needs besides the tools under test.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bin-'));
    for (const tool of [
      'bash',
      'dirname',
      'cat',
      'awk',
      'cut',
      'mkdir',
      'rm',
      'sleep',
      'seq',
      'touch',
      'flock',
      'node',
    ]) {
      const found = execFileSync('bash', ['-c', `command -v ${tool}`])
        .toString()
        .trim();
      fs.symlinkSync(found, path.join(bin, tool));
    }
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bare-'));
    const result = await stack('start', {
      PATH: bin,
      LINLI_STACK_DIR: bare,
      LINLI_STACK_JARS: path.join(bare, 'jars'),
      LINLI_REDIS_PORT: String(base + 4),
    });
    fs.rmSync(bin, { recursive: true, force: true });
    fs.rmSync(bare, { recursive: true, force: true });
    expect(result.code).not.toBe(0);
    expect(result.out).toContain('missing');
    expect(result.out).toMatch(/java \(Java 17/);
    expect(result.out).toMatch(/mvn/);
    expect(result.out).toMatch(/redis-server/);
  });
});
