import { toKafkaRecord } from '@linli/contracts';
import { onEvent } from '../src/consumer.rules';
import type { ConsumerRunner } from '../src/consumer.runner';
import { ConsumerTestScope, bumpedEvent, waitUntil } from './fixtures/consumer-harness';

const PARTITIONS = 4;
/** Enough distinct keys that every partition gets some. */
const EVENTS_PER_ROUND = 40;

describe('two consumers in one group', () => {
  const scope = new ConsumerTestScope();
  let first: ConsumerRunner;
  let second: ConsumerRunner;

  const held = (runner: ConsumerRunner) => runner.assignment()[scope.events.topic.name] ?? [];
  const publishRound = async (round: string) => {
    const events = Array.from({ length: EVENTS_PER_ROUND }, (_, i) =>
      bumpedEvent(scope.service, `${round}-${i}`),
    );
    await scope.publish(...events.map((e) => toKafkaRecord(e)));
  };
  const appliedCount = () => scope.effects.countDocuments();

  beforeAll(async () => {
    await scope.setUp(PARTITIONS);
    const handlers = [onEvent(scope.events.bumped, (event) => scope.applyEffect(event.data.counterId))];
    first = scope.runner({ handlers });
    second = scope.runner({ handlers });
    await first.start();
    await second.start();
  });

  afterAll(() => scope.tearDown());

  it('share the partitions between them', async () => {
    const settled = () =>
      held(first).length > 0 &&
      held(second).length > 0 &&
      held(first).length + held(second).length === PARTITIONS;
    await waitUntil(settled, 30_000, () => 'the rebalance to settle');
    expect([...held(first), ...held(second)].sort()).toEqual([0, 1, 2, 3]);
  });

  it('lose nothing when one stops and the other takes over', async () => {
    await publishRound('before');
    await waitUntil(
      async () => (await appliedCount()) === EVENTS_PER_ROUND,
      30_000,
      () => 'the first round',
    );
    await first.stop();
    await publishRound('after');
    await waitUntil(
      async () => (await appliedCount()) >= 2 * EVENTS_PER_ROUND,
      60_000,
      () => 'the second round',
    );
    expect(await appliedCount()).toBe(2 * EVENTS_PER_ROUND);
  });

  it('apply each event once across the hand-over', async () => {
    const overApplied = await scope.effects.countDocuments({ count: { $ne: 1 } });
    expect(overApplied).toBe(0);
  });
});
