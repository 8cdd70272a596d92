// A process killed with SIGKILL after its writes and before its relay published them loses nothing: the events
// stay in the documents' outboxes and a relay publishes them once the dead one's lease has run out.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
// The rule has no test-file exception yet: a lib's tests read events back with the shared probe.

import { EventProbe, repositoryRoot } from '@linli/testing';
import { createKafka } from '../src/kafka.connection';
import { OutboxRelay } from '../src/outbox.relay';
import { EventProducer } from '../src/producer';
import {
  cleanUp,
  connect,
  countsByKey,
  createTopic,
  kafkaBrokers,
  newScope,
  range,
} from './fixtures/outbox-harness';

const KEYS = 20;
const INCREMENTS = 5;
const LEASE_MS = 2_000;

describe('outbox relay after a crash', () => {
  const id = randomUUID().slice(0, 8);
  const scope = newScope(id);

  beforeAll(() => createTopic(scope, 6));
  afterAll(() => cleanUp(scope));

  it('publishes after a restart the events of a process killed between the write and the publish', async () => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', path.join(__dirname, 'fixtures/outbox-crash.fixture.ts')],
      {
        cwd: repositoryRoot,
        env: {
          ...process.env,
          SWC_NODE_PROJECT: path.join(repositoryRoot, 'tsconfig.base.json'),
          OUTBOX_SCOPE_ID: id,
          OUTBOX_KEYS: String(KEYS),
          OUTBOX_INCREMENTS: String(INCREMENTS),
          OUTBOX_LEASE_MS: String(LEASE_MS),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('publishing')) resolve();
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) =>
        reject(new Error(`fixture exited (${code}) before publishing:\n${output}`)),
      );
    });
    child.kill('SIGKILL');
    await exited;

    const probe = await EventProbe.start({ topic: scope.topic.name });
    const { connection, counters } = await connect(scope);
    const producer = new EventProducer(createKafka({ service: scope.service, brokers: kafkaBrokers() }));
    await producer.connect();
    const relay = new OutboxRelay(producer, { pollIntervalMs: 100 });
    relay.register(counters);
    relay.start();
    try {
      await probe.waitFor(() => true, { count: KEYS * INCREMENTS, timeoutMs: 30_000 });
    } finally {
      await relay.stop();
      await producer.disconnect();
      await probe.stop();
      await connection.close();
    }
    const byKey = countsByKey(probe.events);
    expect([...byKey.values()].map((counts) => counts.join())).toEqual(
      Array.from({ length: KEYS }, () => range(INCREMENTS).join()),
    );
  });
});
