import { createEvent, toKafkaRecord, type CloudEvent } from '@linli/contracts';
import { Registry } from 'prom-client';
import { onEvent } from '../src/consumer.rules';
import { CONSUMER_DEAD_LETTERS_METRIC } from '../src/consumer.metrics';
import { ConsumerTestScope, bumpedEvent, waitUntil, type DeadLetterRead } from './fixtures/consumer-harness';

describe('a consumer reading messages it cannot apply', () => {
  const scope = new ConsumerTestScope();
  const metrics = new Registry();
  const handled: CloudEvent[] = [];
  let deadLetters: DeadLetterRead[];
  const behind = bumpedEvent(scope.service, 'counter-1');

  beforeAll(async () => {
    await scope.setUp(1);
    const { bumped } = scope.events;
    const malformed = {
      key: 'counter-1',
      value: '{"counterId":"counter-1"}',
      headers: { ce_type: bumped.type },
    };
    const invalid = toKafkaRecord(
      createEvent({
        source: '/linli/test',
        type: bumped.type,
        subject: 'counter-1',
        data: { counterId: 42 },
      }),
    );
    // Same key, so all three sit on one partition in this order: the valid one waits behind the bad ones.
    await scope.publish(malformed, invalid, toKafkaRecord(behind));
    const runner = scope.runner({
      handlers: [onEvent(bumped, async (event) => void handled.push(event))],
      metrics,
    });
    await runner.start();
    await waitUntil(
      () => handled.length > 0,
      30_000,
      () => 'the valid event to be handled',
    );
    deadLetters = await scope.readDeadLetters(2);
  });

  afterAll(() => scope.tearDown());

  it('dead-letters a malformed message with the envelope error and its origin in headers', () => {
    const letter = deadLetters.find((l) => l.headers['dlq-error-kind'] === 'malformed');
    expect(letter?.headers).toMatchObject({
      'dlq-error': 'missing CloudEvents attribute ce_specversion',
      'dlq-attempts': '1',
      'dlq-origin-topic': scope.events.topic.name,
      'dlq-origin-partition': '0',
      'dlq-origin-offset': '0',
      'dlq-consumer-group': `linli-test-${scope.id}`,
      'dlq-failed-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      ce_type: scope.events.bumped.type,
    });
  });

  it('dead-letters a schema-invalid event with the field at fault in headers', () => {
    const letter = deadLetters.find((l) => l.headers['dlq-error-kind'] === 'invalid');
    expect(letter?.headers['dlq-error']).toContain('/counterId must be string');
  });

  it('still processes the message behind them on the same partition', () => {
    expect(handled.map((e) => e.id)).toEqual([behind.id]);
  });

  it('counts the dead letters by kind', async () => {
    const metric = await metrics.getSingleMetric(CONSUMER_DEAD_LETTERS_METRIC)!.get();
    const byKind = Object.fromEntries(metric.values.map((v) => [v.labels.kind, v.value]));
    expect(byKind).toEqual({ malformed: 1, invalid: 1 });
  });

  it('commits past all three messages', async () => {
    const committed = async () => (await scope.committedOffsets(`linli-test-${scope.id}`))[0] === '3';
    await expect(waitUntil(committed, 10_000)).resolves.toBeUndefined();
  });
});
