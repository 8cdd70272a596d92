// Typed errors of the persistence library, so use cases (and the problem+json edge) can tell them apart.
// The two a client can cause extend the platform's domain errors, so they reach HTTP as 409 and 404
// problem+json without every use case translating them.
import { ConflictError, NotFoundError } from '@linli/platform';

/** Base class: everything this library throws on purpose. */
export class PersistenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A conditional update found the aggregate, but not in the expected version or status: someone else changed it
 * first. The edge maps it to 409.
 */
export class ConcurrencyConflictError extends ConflictError {
  override readonly slug = 'concurrent-change';
  constructor(
    readonly collection: string,
    readonly id: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
    readonly expectedStatus?: readonly string[],
    readonly actualStatus?: string,
  ) {
    super(
      `${collection} ${id}: expected version ${expectedVersion}` +
        (expectedStatus ? ` in status ${expectedStatus.join('|')}` : '') +
        `, found version ${actualVersion}` +
        (actualStatus !== undefined ? ` in status ${actualStatus}` : ''),
      // The client sees the state it lost against, to show it or retry from it.
      { id, version: actualVersion, ...(actualStatus !== undefined ? { status: actualStatus } : {}) },
    );
  }
}

/** The aggregate a conditional update targets does not exist. The edge maps it to 404. */
export class AggregateNotFoundError extends NotFoundError {
  constructor(
    readonly collection: string,
    id: string,
  ) {
    super(collection, id);
  }
}

/** An event put in the outbox whose data does not match its schema in @linli/contracts: a bug in the producer. */
export class InvalidOutboxEventError extends PersistenceError {
  constructor(
    readonly type: string,
    readonly errors: readonly string[],
  ) {
    super(`event ${type} does not match its schema: ${errors.join('; ')}`);
  }
}

/** MongoDB did not answer the readiness ping (or not in time). */
export class MongoUnavailableError extends PersistenceError {}
