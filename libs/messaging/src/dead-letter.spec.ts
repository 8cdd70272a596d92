import { deadLetterHeaders, DLQ_HEADERS, MAX_DLQ_ERROR_LENGTH, type DeadLetter } from './dead-letter';

const letter: DeadLetter = {
  kind: 'handler-failed',
  error: 'boom',
  attempts: 5,
  topic: 'linli.dispatch.job.v1',
  partition: 2,
  offset: '41',
  groupId: 'linli-insights',
  failedAt: new Date('2025-01-02T03:04:05.000Z'),
};

describe('deadLetterHeaders', () => {
  it('adds why, how often and where from to the original headers', () => {
    expect(deadLetterHeaders({ ce_id: 'e-1', ce_type: 't' }, letter)).toEqual({
      ce_id: 'e-1',
      ce_type: 't',
      'dlq-error': 'boom',
      'dlq-error-kind': 'handler-failed',
      'dlq-attempts': '5',
      'dlq-origin-topic': 'linli.dispatch.job.v1',
      'dlq-origin-partition': '2',
      'dlq-origin-offset': '41',
      'dlq-consumer-group': 'linli-insights',
      'dlq-failed-at': '2025-01-02T03:04:05.000Z',
    });
  });

  it('replaces dlq headers left from an earlier dead-lettering', () => {
    const headers = deadLetterHeaders({ [DLQ_HEADERS.attempts]: '1', [DLQ_HEADERS.kind]: 'invalid' }, letter);
    expect([headers[DLQ_HEADERS.attempts], headers[DLQ_HEADERS.kind]]).toEqual(['5', 'handler-failed']);
  });

  it('cuts a long error to the header limit', () => {
    const headers = deadLetterHeaders(undefined, { ...letter, error: 'x'.repeat(MAX_DLQ_ERROR_LENGTH * 2) });
    expect((headers[DLQ_HEADERS.error] as string).length).toBe(MAX_DLQ_ERROR_LENGTH);
  });
});
