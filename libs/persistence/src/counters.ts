// Counters handed out by one atomic increment (ticket numbers of a day, elder ids, case ids).
//
// Two things make this more than a one-liner:
// - The value is computed from the document *before* the increment (`returnDocument: 'before'`) plus `by`. The local
//   stack's mongo-java-server answers 'after' with its live in-memory document, which a concurrent increment may
//   already have changed again before the reply is written: two callers then got the same number and one number
//   was never handed out (seen in CI as a 500 on the first tickets of a day). Its 'before' is a deep copy. On
//   MongoDB both are exact; 'before' is exact on both.
// - The first increments of a counter race to create it: MongoDB may let only one upsert insert it and answer the
//   others with a duplicate-key error, after which the counter exists, so those are tried again.
import type { Model } from 'mongoose';

/** MongoDB's duplicate-key error code. */
export const DUPLICATE_KEY = 11000;

/** Upserts that lost the race to create a counter are tried again; after one loss the counter exists. */
const ATTEMPTS = 5;

export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === DUPLICATE_KEY;
}

/**
 * Adds `by` to the counter `id` (created at 0 when missing) in field `field` and returns its new value: so the
 * caller owns the numbers `value - by + 1 … value`, which nobody else will get.
 */
export async function incrementCounter(
  model: Model<never>,
  id: string,
  field: string,
  by = 1,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const before = await model
        .findOneAndUpdate({ _id: id } as never, { $inc: { [field]: by } } as never, {
          upsert: true,
          returnDocument: 'before',
          lean: true,
        })
        .exec();
      const previous = (before as unknown as Record<string, number> | null)?.[field] ?? 0;
      return previous + by;
    } catch (error) {
      if (!isDuplicateKey(error) || attempt >= ATTEMPTS) throw error;
    }
  }
}
