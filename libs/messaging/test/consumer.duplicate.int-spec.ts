import { toKafkaRecord } from '@linli/contracts';
import { onEvent } from '../src/consumer.rules';
import type { ConsumerRunner } from '../src/consumer.runner';
import { ConsumerTestScope, bumpedEvent, waitUntil } from './fixtures/consumer-harness';

describe('a duplicate event', () => {
  const scope = new ConsumerTestScope();
  let runner: ConsumerRunner;

  beforeAll(async () => {
    await scope.setUp(1);
    runner = scope.runner({
      handlers: [
        onEvent(scope.events.bumped, async (event) => {
          await scope.applyEffect(event.data.counterId);
        }),
      ],
    });
    await runner.start();
  });

  afterAll(() => scope.tearDown());

  const committedTo = (offset: string) => async () =>
    (await scope.committedOffsets(runner.groupId))[0] === offset;

  it('published twice in one go (same fetch) is applied once', async () => {
    const event = bumpedEvent(scope.service, 'same-fetch');
    await scope.publish(toKafkaRecord(event), toKafkaRecord(event));
    await waitUntil(committedTo('2'), 30_000, () => 'both copies to be committed');
    expect(await scope.effectCount('same-fetch')).toBe(1);
  });

  it('published again after the first was committed (a relay republishing after a crash) is applied once', async () => {
    const event = bumpedEvent(scope.service, 'later');
    await scope.publish(toKafkaRecord(event));
    await waitUntil(committedTo('3'), 30_000, () => 'the first copy to be committed');
    await scope.publish(toKafkaRecord(event));
    await waitUntil(committedTo('4'), 30_000, () => 'the second copy to be committed');
    expect(await scope.effectCount('later')).toBe(1);
  });
});
