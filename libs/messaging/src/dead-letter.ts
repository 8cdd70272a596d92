// Dead letters: a message a consumer cannot apply is copied, untouched, to `<topic>.dlq`, with why and where
// from in headers, so the partition moves on and an operator can inspect, fix and replay it.
import { dlqTopicOf } from '@linli/contracts';
import type { IHeaders, KafkaMessage, Producer } from 'kafkajs';

/** malformed: not a CloudEvent; invalid: its data fails the schema; handler-failed: retries exhausted. */
export type DeadLetterKind = 'malformed' | 'invalid' | 'handler-failed';

export const DLQ_HEADERS = {
  error: 'dlq-error',
  kind: 'dlq-error-kind',
  attempts: 'dlq-attempts',
  originTopic: 'dlq-origin-topic',
  originPartition: 'dlq-origin-partition',
  originOffset: 'dlq-origin-offset',
  consumerGroup: 'dlq-consumer-group',
  failedAt: 'dlq-failed-at',
} as const;

/** A header is not a log store: a long stack or error list is cut here (Kafka's default message limit is 1 MB). */
export const MAX_DLQ_ERROR_LENGTH = 4_000;

export interface DeadLetter {
  kind: DeadLetterKind;
  error: string;
  /** Tries made; 1 for malformed and invalid messages, which are never retried. */
  attempts: number;
  topic: string;
  partition: number;
  offset: string;
  groupId: string;
  failedAt: Date;
}

/** The original headers plus the dlq-* ones (replacing any left from an earlier trip through a DLQ). */
export function deadLetterHeaders(original: IHeaders | undefined, letter: DeadLetter): IHeaders {
  const error =
    letter.error.length > MAX_DLQ_ERROR_LENGTH
      ? `${letter.error.slice(0, MAX_DLQ_ERROR_LENGTH - 1)}…`
      : letter.error;
  return {
    ...(original ?? {}),
    [DLQ_HEADERS.error]: error,
    [DLQ_HEADERS.kind]: letter.kind,
    [DLQ_HEADERS.attempts]: String(letter.attempts),
    [DLQ_HEADERS.originTopic]: letter.topic,
    [DLQ_HEADERS.originPartition]: String(letter.partition),
    [DLQ_HEADERS.originOffset]: letter.offset,
    [DLQ_HEADERS.consumerGroup]: letter.groupId,
    [DLQ_HEADERS.failedAt]: letter.failedAt.toISOString(),
  };
}

export class DeadLetterPublishError extends Error {
  override readonly name = 'DeadLetterPublishError';
}

/**
 * Copies the message to the DLQ with the same key (so replaying keeps the aggregate's order) and value.
 * Throws DeadLetterPublishError when Kafka does not take it: the caller must then not move past the message.
 */
export async function publishDeadLetter(
  producer: Producer,
  message: KafkaMessage,
  letter: DeadLetter,
): Promise<void> {
  try {
    await producer.send({
      topic: dlqTopicOf(letter.topic),
      messages: [
        { key: message.key, value: message.value, headers: deadLetterHeaders(message.headers, letter) },
      ],
    });
  } catch (error) {
    throw new DeadLetterPublishError(
      `could not dead-letter ${letter.topic}[${letter.partition}]@${letter.offset}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
