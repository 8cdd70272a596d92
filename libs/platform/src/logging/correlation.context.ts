// The correlation id of the work in progress, for code that is not an HTTP request (Kafka consumers, Bull
// processors) as much as for code that is: log lines and emitted events read it from here.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

/**
 * Longest id accepted from a caller. Ids end up in every log line and in event headers: an unbounded or
 * free-form header would let a client inflate or forge log lines, so anything else is replaced.
 */
export const MAX_CORRELATION_ID_LENGTH = 128;
const CORRELATION_ID_PATTERN = new RegExp(`^[A-Za-z0-9._:@/+=-]{1,${MAX_CORRELATION_ID_LENGTH}}$`);

const storage = new AsyncLocalStorage<string>();

export const correlationContext = {
  /** Runs `fn` (and everything it awaits or schedules) with `id` as the current correlation id. */
  run<T>(id: string, fn: () => T): T {
    return storage.run(id, fn);
  },
};

/** The correlation id of the current HTTP request, message or job; undefined outside one. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

/** A fresh correlation id, for work that starts here (a timer, a start-up task). */
export function newCorrelationId(): string {
  return randomUUID();
}

/** The caller's id when it is usable, else a new one. */
export function acceptCorrelationId(candidate: unknown): string {
  return typeof candidate === 'string' && CORRELATION_ID_PATTERN.test(candidate)
    ? candidate
    : newCorrelationId();
}
