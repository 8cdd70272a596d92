import { toKafkaRecord } from '@linli/contracts';
import { ProcessedEventsStore } from '@linli/persistence';
import { onEvent } from '../src/consumer.rules';
import type { ConsumerHealth, ConsumerRunner } from '../src/consumer.runner';
import { ConsumerTestScope, bumpedEvent, waitUntil } from './fixtures/consumer-harness';

/**
 * A TypeError escaping eachBatch is one kafkajs will not retry: it disconnects the consumer and stays down.
 * This store throws one from its first lookup, standing in for any such bug or non-retriable error.
 */
class StoreThatBreaksOnce extends ProcessedEventsStore {
  broken = true;
  override async has(group: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (this.broken) {
      this.broken = false;
      throw new TypeError('lookup went wrong');
    }
    return super.has(group, eventIds);
  }
}

describe('a consumer that crashes on a non-retriable error', () => {
  const scope = new ConsumerTestScope();
  const healthSeen: ConsumerHealth[] = [];
  const handled: string[] = [];
  let runner: ConsumerRunner;
  let sampler: NodeJS.Timeout;

  beforeAll(async () => {
    await scope.setUp(1);
    runner = scope.runner({
      processedEvents: new StoreThatBreaksOnce(scope.connection),
      restart: { attempts: 3, initialDelayMs: 500, maxDelayMs: 2_000, jitter: 0 },
      handlers: [onEvent(scope.events.bumped, async (event) => void handled.push(event.id))],
    });
    await runner.start();
    sampler = setInterval(() => healthSeen.push(runner.health()), 50);
    await scope.publish(toKafkaRecord(bumpedEvent(scope.service, 'after-crash')));
    await waitUntil(
      () => handled.length > 0,
      60_000,
      () => 'the event to be handled after the restart',
    );
  });

  afterAll(async () => {
    clearInterval(sampler);
    await scope.tearDown();
  });

  it('reports not ready, with the error, while it is down', () => {
    const down = healthSeen.find((h) => !h.ok);
    expect(down?.reason).toMatch(/non-retriable error .*lookup went wrong.*restart 1 of 3/);
  });

  it('restarts itself, handles the event and reports ready again', async () => {
    await waitUntil(
      () => runner.health().ok,
      30_000,
      () => 'ready again',
    );
    expect(handled).toHaveLength(1);
  });
});

/** A store that always throws a non-retriable error: every restart crashes again. */
class StoreThatAlwaysBreaks extends ProcessedEventsStore {
  override async has(): Promise<Set<string>> {
    throw new TypeError('lookup always goes wrong');
  }
}

describe('a consumer whose restarts are spent', () => {
  const scope = new ConsumerTestScope();
  const gaveUp: string[] = [];
  let runner: ConsumerRunner;

  beforeAll(async () => {
    await scope.setUp(1);
    runner = scope.runner({
      processedEvents: new StoreThatAlwaysBreaks(scope.connection),
      restart: { attempts: 1, initialDelayMs: 200, maxDelayMs: 200, jitter: 0 },
      handlers: [onEvent(scope.events.bumped, async () => undefined)],
      onGiveUp: (reason) => gaveUp.push(reason),
    });
    await runner.start();
    await scope.publish(toKafkaRecord(bumpedEvent(scope.service, 'never-handled')));
    await waitUntil(
      () => gaveUp.length > 0,
      60_000,
      () => 'the runner to give up',
    );
  });

  afterAll(async () => {
    await scope.tearDown();
  });

  it('tells its owner once, with the reason, so the service can exit', () => {
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toMatch(/1 restarts failed: lookup always goes wrong/);
  });

  it('reports not ready for good', () => {
    expect(runner.health()).toMatchObject({ ok: false });
  });
});
