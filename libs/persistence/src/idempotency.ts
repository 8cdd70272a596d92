// Idempotent creates (ADR 0035): the client's Idempotency-Key, scoped to the caller and the operation, is stored ON
// the document the create inserts, in the same write, under a unique sparse index. So either the thing and its key
// both exist or neither does; a repeat finds the document by its key and answers with it; two concurrent twins
// race on the index and the loser answers as a repeat. Documents created without a key are not in the index.
import { IDEMPOTENCY_KEY_HEADER, type IdempotentRequest, ValidationError } from '@linli/platform';
import type { Model } from 'mongoose';
import { createHash } from 'node:crypto';
import { isDuplicateKey } from './counters';

/** What the created document carries. */
export interface IdempotencyRecord {
  /** sha-256 of caller, operation and the client's key: fixed length, and no user id in the index. */
  key: string;
  /** The request's fingerprint (IdempotentRequest.fingerprint): a repeat must match it. */
  request: string;
}

export const IDEMPOTENCY_PATH = 'idempotency';
export const IDEMPOTENCY_KEY_PATH = 'idempotency.key';
export const IDEMPOTENCY_INDEX = 'idempotency_key';

/** The same key came back with another request: 422 naming the header (a client bug, or a key reused). */
export class IdempotencyKeyReusedError extends ValidationError {
  override readonly slug = 'idempotency-key-reused';
  constructor() {
    super(
      [
        {
          field: IDEMPOTENCY_KEY_HEADER,
          message:
            'was already used by this caller for a different request; send a new key for a new creation',
        },
      ],
      422,
    );
  }
}

/**
 * The record to store for a request, scoped to the caller (a user id, `open311:<client>`) and the operation (a
 * stable name like `tickets.create`, so one key cannot answer for two kinds of creation in one collection).
 */
export function idempotencyRecord(
  request: IdempotentRequest | undefined,
  caller: string,
  operation: string,
): IdempotencyRecord | undefined {
  if (!request) return undefined;
  const key = createHash('sha256').update(`${caller}\u0000${operation}\u0000${request.key}`).digest('hex');
  return { key, request: request.fingerprint };
}

/** Adds the `idempotency` field and its unique sparse index to an aggregate's schema. */
export function idempotencyPlugin(schema: import('mongoose').Schema): void {
  schema.add({
    [IDEMPOTENCY_PATH]: { type: { key: String, request: String }, _id: false, default: undefined },
  });
  // Sparse, not partial: mongo-java-server (the local stack) ignores partialFilterExpression but honours sparse
  // on a unique index (checked on the stack: many documents without a key, a second with the same key refused).
  schema.index({ [IDEMPOTENCY_KEY_PATH]: 1 }, { unique: true, sparse: true, name: IDEMPOTENCY_INDEX });
}

/**
 * The document created under this record before, if any (any projection: the key fields are always read). Throws
 * IdempotencyKeyReusedError when it was created by a different request.
 */
export async function findIdempotentCreation<T>(
  model: Model<T>,
  record: IdempotencyRecord,
  projection: Record<string, 0 | 1> = { outbox: 0, outboxLease: 0 },
): Promise<T | undefined> {
  const document = await model
    .findOne({ [IDEMPOTENCY_KEY_PATH]: record.key } as never, projection)
    .lean<T & { idempotency?: IdempotencyRecord }>()
    .exec();
  if (!document) return undefined;
  // An exclusion projection keeps `idempotency`; an inclusion one may not have named it.
  const stored = document.idempotency ?? (await storedRecord(model, record.key));
  if (stored && stored.request !== record.request) throw new IdempotencyKeyReusedError();
  return document as T;
}

/**
 * Runs a create under an idempotency record; without one, just `create()`. With one: the document created under it
 * before (`find`, usually a repository's wrapper of findIdempotentCreation) is answered through `repeat`, and
 * nothing is created or published again. Otherwise `create()` must store `record` on its document in its insert.
 * If that insert loses the unique index to a concurrent twin (a duplicate-key error thrown, or `undefined` from an
 * insert that reports a taken key that way), the twin's document is answered through `repeat` too.
 */
export async function createIdempotently<T, R>(
  record: IdempotencyRecord | undefined,
  find: (record: IdempotencyRecord) => Promise<T | undefined>,
  create: () => Promise<R | undefined>,
  repeat: (document: T) => R | Promise<R>,
): Promise<R | undefined> {
  if (!record) return create();
  const prior = await find(record);
  if (prior) return repeat(prior);
  let created: R | undefined;
  try {
    created = await create();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const twin = await find(record);
    if (!twin) throw error;
    return repeat(twin);
  }
  if (created !== undefined) return created;
  const twin = await find(record);
  return twin ? repeat(twin) : undefined;
}

async function storedRecord<T>(model: Model<T>, key: string): Promise<IdempotencyRecord | undefined> {
  const found = await model
    .findOne({ [IDEMPOTENCY_KEY_PATH]: key } as never, { [IDEMPOTENCY_PATH]: 1 })
    .lean<{ idempotency?: IdempotencyRecord }>()
    .exec();
  return found?.idempotency;
}
