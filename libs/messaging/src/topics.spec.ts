import { TopicProvisioningError, topicPartitionsFromEnv, topicsWithDeadLetters } from './topics';

describe('topic provisioning rules', () => {
  it('adds each topic its dead-letter topic, once', () => {
    expect(topicsWithDeadLetters(['linli.a.b.v1', 'linli.a.b.v1', 'linli.a.c.v1'])).toEqual([
      'linli.a.b.v1',
      'linli.a.b.v1.dlq',
      'linli.a.c.v1',
      'linli.a.c.v1.dlq',
    ]);
  });

  it.each([
    [undefined, 6],
    ['', 6],
    ['12', 12],
  ])('reads partitions %p from KAFKA_TOPIC_PARTITIONS as %p', (raw, expected) => {
    expect(topicPartitionsFromEnv({ KAFKA_TOPIC_PARTITIONS: raw })).toBe(expected);
  });

  it.each(['0', '-1', '2.5', 'six'])('refuses KAFKA_TOPIC_PARTITIONS=%s', (raw) => {
    expect(() => topicPartitionsFromEnv({ KAFKA_TOPIC_PARTITIONS: raw })).toThrow(TopicProvisioningError);
  });
});
