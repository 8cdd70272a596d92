import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { toKafkaRecord } from '@linli/contracts';
import { ConsumerTestScope, bumpedEvent, waitUntil } from './fixtures/consumer-harness';

/** The fixture runs from the repository root so @swc-node/register finds tsconfig.base.json's paths. */
const repositoryRoot = path.resolve(__dirname, '../../..');
const FIXTURE = path.join(__dirname, 'fixtures/consumer-crash.fixture.ts');

interface FixtureProcess {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  output: () => string;
  exited: Promise<void>;
}

function startFixture(scope: ConsumerTestScope, group: string, dieAfterRecord: boolean): FixtureProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', FIXTURE], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: path.join(repositoryRoot, 'tsconfig.base.json'),
      FIXTURE_DB: scope.dbName,
      FIXTURE_SERVICE: scope.service,
      FIXTURE_GROUP: group,
      FIXTURE_DIE_AFTER_RECORD: dieAfterRecord ? '1' : '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let output = '';
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not one of the fixture's lines (a library writing to stdout)
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, lines, output: () => output, exited };
}

async function waitForLine(fixture: FixtureProcess, predicate: (line: Record<string, unknown>) => boolean) {
  await waitUntil(
    () => {
      if (fixture.child.exitCode !== null) throw new Error(`fixture exited early:\n${fixture.output()}`);
      return fixture.lines.some(predicate);
    },
    60_000,
    () => `a fixture line; output so far:\n${fixture.output()}`,
  );
}

describe('a consumer killed after storing its effect but before committing', () => {
  const scope = new ConsumerTestScope();
  const group = `linli-test-crash-${scope.id}`;
  const event = bumpedEvent(scope.service, 'crash-counter');
  let survivor: FixtureProcess | undefined;

  beforeAll(async () => {
    await scope.setUp(1);
    await scope.publish(toKafkaRecord(event));

    const doomed = startFixture(scope, group, true);
    await waitForLine(doomed, (line) => line.fixture === 'recorded' && line.eventId === event.id);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
  });

  afterAll(async () => {
    if (survivor && survivor.child.exitCode === null) {
      survivor.child.kill('SIGTERM');
      await survivor.exited;
    }
    await scope.tearDown();
  });

  it('had stored the effect and committed nothing when it died', async () => {
    expect({
      effect: await scope.effectCount('crash-counter'),
      committed: await scope.committedOffsets(group),
    }).toEqual({ effect: 1, committed: ['-1'] });
  });

  it('after a restart, the redelivered event is recognised and its effect is not applied twice', async () => {
    survivor = startFixture(scope, group, false);
    await waitUntil(
      async () => (await scope.committedOffsets(group))[0] === '1',
      60_000,
      () => 'the restart to commit',
    );
    expect(await scope.effectCount('crash-counter')).toBe(1);
  });

  it('the restart saw the event again and skipped it as a duplicate', () => {
    const duplicate = survivor!.lines.find(
      (line) => (line.message as { msg?: string; eventId?: string } | undefined)?.eventId === event.id,
    );
    expect(duplicate?.message).toMatchObject({ msg: 'duplicate event skipped' });
  });
});
