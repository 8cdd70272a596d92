import { setTimeout as sleep } from 'node:timers/promises';
import {
  MAX_CORRELATION_ID_LENGTH,
  acceptCorrelationId,
  correlationContext,
  currentCorrelationId,
} from './correlation.context';

describe('correlation context', () => {
  it('has no correlation id outside a run', () => {
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('carries the id across awaits and timers inside a run', async () => {
    const seen = await correlationContext.run('abc-1', async () => {
      await sleep(1);
      return new Promise<string | undefined>((resolve) =>
        setImmediate(() => resolve(currentCorrelationId())),
      );
    });
    expect(seen).toBe('abc-1');
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('keeps concurrent runs apart', async () => {
    const seen = await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        correlationContext.run(id, async () => {
          await sleep(3 - id.charCodeAt(0) + 'a'.charCodeAt(0));
          return currentCorrelationId();
        }),
      ),
    );
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['a plain id', 'req-42', 'req-42'],
    ['a uuid', '0b7c5a52-6f1e-4c7e-9a39-6a1f8c0f1d2e', '0b7c5a52-6f1e-4c7e-9a39-6a1f8c0f1d2e'],
  ])('accepts %s from the caller', (_case, candidate, expected) => {
    expect(acceptCorrelationId(candidate)).toBe(expected);
  });

  it.each([
    ['a missing header', undefined],
    ['an empty header', ''],
    ['a header with a newline (log forging)', 'abc\n{"level":60}'],
    ['an oversized header', 'x'.repeat(MAX_CORRELATION_ID_LENGTH + 1)],
    ['a repeated header', ['a', 'b']],
  ])('replaces %s with a new uuid', (_case, candidate) => {
    expect(acceptCorrelationId(candidate)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
