import { toKafkaRecord } from '@linli/contracts';
import { onEvent } from '../src/consumer.rules';
import { ConsumerTestScope, bumpedEvent, waitUntil, type DeadLetterRead } from './fixtures/consumer-harness';

/** Three tries, 200 ms then 400 ms apart (no jitter, so the waits are known). */
const RETRY = { attempts: 3, initialDelayMs: 200, maxDelayMs: 1_000, jitter: 0 };
/** Timers may fire a little early; the waits are checked as lower bounds with this slack. */
const TIMER_SLACK_MS = 20;

describe('a handler that fails twice, then succeeds', () => {
  const scope = new ConsumerTestScope();
  const tries: { attempt: number; at: number }[] = [];
  const event = bumpedEvent(scope.service, 'flaky');

  beforeAll(async () => {
    await scope.setUp(1);
    const runner = scope.runner({
      retry: RETRY,
      handlers: [
        onEvent(scope.events.bumped, async (e, { attempt }) => {
          tries.push({ attempt, at: Date.now() });
          if (attempt < 3) throw new Error(`transient failure ${attempt}`);
          await scope.applyEffect(e.data.counterId);
        }),
      ],
    });
    await scope.publish(toKafkaRecord(event));
    await runner.start();
    await waitUntil(
      () => tries.length >= 3,
      30_000,
      () => 'three tries',
    );
    await waitUntil(async () => (await scope.committedOffsets(runner.groupId))[0] === '1', 10_000);
  });

  afterAll(() => scope.tearDown());

  it('is retried with growing waits between tries', () => {
    const waits = tries.slice(1).map((t, i) => t.at - tries[i].at + TIMER_SLACK_MS);
    // Lower bounds only: how much longer a wait took is the machine's business, not the policy's.
    expect(waits[0]).toBeGreaterThanOrEqual(RETRY.initialDelayMs);
    expect(waits[1]).toBeGreaterThanOrEqual(RETRY.initialDelayMs * 2);
  });

  it('is applied once', async () => {
    expect([tries.map((t) => t.attempt), await scope.effectCount('flaky')]).toEqual([[1, 2, 3], 1]);
  });
});

describe('a handler that always fails', () => {
  const scope = new ConsumerTestScope();
  const tries: string[] = [];
  const handled: string[] = [];
  const poison = bumpedEvent(scope.service, 'poison');
  const next = bumpedEvent(scope.service, 'healthy');
  let deadLetters: DeadLetterRead[];

  beforeAll(async () => {
    await scope.setUp(1);
    const runner = scope.runner({
      retry: RETRY,
      handlers: [
        onEvent(scope.events.bumped, async (e) => {
          if (e.data.counterId !== 'poison') return void handled.push(e.id);
          tries.push(e.id);
          throw new Error('the provider registry rejected it');
        }),
      ],
    });
    // Different subjects, one partition: the healthy event is queued behind the poison one.
    await scope.publish(toKafkaRecord(poison), toKafkaRecord(next));
    await runner.start();
    await waitUntil(
      () => handled.length > 0,
      30_000,
      () => 'the event behind the poison one',
    );
    deadLetters = await scope.readDeadLetters(1);
  });

  afterAll(() => scope.tearDown());

  it('is dead-lettered after the configured attempts, with the handler error', () => {
    expect({ tries: tries.length, headers: deadLetters[0].headers }).toMatchObject({
      tries: 3,
      headers: {
        ce_id: poison.id,
        'dlq-error-kind': 'handler-failed',
        'dlq-attempts': '3',
        'dlq-error': 'Error: the provider registry rejected it',
      },
    });
  });

  it('does not hold back the next event on its partition', () => {
    expect(handled).toEqual([next.id]);
  });
});
