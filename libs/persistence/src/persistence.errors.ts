// Typed errors of the persistence library, so use cases (and the problem+json edge) can tell them apart.

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
export class ConcurrencyConflictError extends PersistenceError {
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
    );
  }
}

/** The aggregate a conditional update targets does not exist. The edge maps it to 404. */
export class AggregateNotFoundError extends PersistenceError {
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`${collection} ${id} not found`);
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
