// Writes of aggregates: the conditional update (expected version and status) that changes state and queues its
// events in one document write, and the insert of new aggregates with their first events.
import { type CloudEvent, type EventDefinition, validateEventData } from '@linli/contracts';
import type { Model, Types } from 'mongoose';
import type { AggregateFields, OutboxEntry } from './aggregate.plugin';
import { notifyOutboxWrite } from './outbox.signal';
import { isDuplicateKey } from './counters';
import {
  AggregateNotFoundError,
  ConcurrencyConflictError,
  InvalidOutboxEventError,
  PersistenceError,
} from './persistence.errors';

export const DEFAULT_STATUS_PATH = 'status';

/** Fields only this library writes: a `$set` of them would break versioning or the outbox. */
const RESERVED_PATHS = ['_id', 'version', 'outbox', 'outboxLease'];

export type AggregateId = string | Types.ObjectId;

export interface AggregateChange {
  id: AggregateId;
  /** The version the caller read; the write applies only if nobody wrote since. */
  expectedVersion: number;
  /** The status (or one of the statuses) the transition starts from. */
  expectedStatus?: string | readonly string[];
  /** Where the status lives; default `status`. */
  statusPath?: string;
  /** `$set` of the state change (dotted paths allowed). */
  set?: Record<string, unknown>;
  /** Events the change causes, published later by the outbox relay, in this order. */
  events?: readonly OutboxEntry[];
}

/** Thrown by `conditionalUpdate` for a change that would write fields only this library owns. */
export class InvalidAggregateChangeError extends PersistenceError {}

/**
 * Builds the filter and update of a state transition: filter on `_id`, the expected version and (optionally)
 * status; `$set` the changes, `$inc` the version, `$push` the events onto the outbox. Pure, so it is unit-tested.
 */
export function conditionalUpdate(change: AggregateChange): {
  filter: Record<string, unknown>;
  update: Record<string, unknown>;
} {
  const statusPath = change.statusPath ?? DEFAULT_STATUS_PATH;
  const statuses = expectedStatuses(change.expectedStatus);
  const filter: Record<string, unknown> = { _id: change.id, version: change.expectedVersion };
  if (statuses) filter[statusPath] = statuses.length === 1 ? statuses[0] : { $in: statuses };

  const set = change.set ?? {};
  for (const path of Object.keys(set)) {
    const root = path.split('.')[0];
    if (RESERVED_PATHS.includes(root)) {
      throw new InvalidAggregateChangeError(
        `a change may not $set ${path}: it is written by @linli/persistence`,
      );
    }
  }
  const update: Record<string, unknown> = { $inc: { version: 1 } };
  if (Object.keys(set).length > 0) update.$set = set;
  if (change.events && change.events.length > 0) update.$push = { outbox: { $each: [...change.events] } };
  return { filter, update };
}

/**
 * Applies a transition and returns the document after it, or null when the condition failed (someone else wrote
 * first, or the aggregate does not exist). Use `applyChange` to get the reason as a typed error instead.
 */
export async function tryApplyChange<T>(
  model: Model<T>,
  change: AggregateChange,
): Promise<(T & AggregateFields) | null> {
  const { filter, update } = conditionalUpdate(change);
  // The projection is not for the size of the reply: on the local stack's mongo-java-server, findAndModify's 'after'
  // is its live in-memory document unless a projection makes it copy it under the collection's lock, and a live
  // document can be changed by the next write while the reply is serialised (ADR 0004).
  const after = await model
    .findOneAndUpdate(filter as never, update as never, {
      returnDocument: 'after',
      projection: { outboxLease: 0 },
      lean: true,
    })
    .exec();
  if (after && change.events?.length) notifyOutboxWrite(model.collection.collectionName);
  return after as (T & AggregateFields) | null;
}

/** As `tryApplyChange`, but throws AggregateNotFoundError (404) or ConcurrencyConflictError (409). */
export async function applyChange<T>(model: Model<T>, change: AggregateChange): Promise<T & AggregateFields> {
  const after = await tryApplyChange(model, change);
  if (after) return after;
  // Only the failure path pays for this read; it tells the caller which of 404 and 409 it is.
  const statusPath = change.statusPath ?? DEFAULT_STATUS_PATH;
  const current = await model
    .findOne({ _id: change.id } as never, { version: 1, [statusPath]: 1 })
    .lean<Record<string, unknown>>()
    .exec();
  const collection = model.collection.collectionName;
  if (!current) throw new AggregateNotFoundError(collection, String(change.id));
  throw new ConcurrencyConflictError(
    collection,
    String(change.id),
    change.expectedVersion,
    Number(current.version),
    expectedStatuses(change.expectedStatus),
    readPath(current, statusPath) as string | undefined,
  );
}

/**
 * Inserts new aggregates (version 0) with their first events, in one round trip: the broadcast-sized path
 * (DESIGN: bulk writes, not `create` in a loop). Validation of the documents is the caller's, as with `insertMany`.
 */
export async function insertAggregates<T>(
  model: Model<T>,
  items: readonly { document: Omit<T, keyof AggregateFields>; events?: readonly OutboxEntry[] }[],
): Promise<void> {
  if (items.length === 0) return;
  const documents = items.map(({ document, events }) => ({
    ...document,
    version: 0,
    outbox: [...(events ?? [])],
  }));
  await model.insertMany(documents as never[], { ordered: true, lean: true });
  if (items.some((item) => item.events?.length)) notifyOutboxWrite(model.collection.collectionName);
}

/**
 * Inserts one new aggregate with its first events unless one with its id exists: true when this call stored it,
 * false when the id was taken (a redelivered command or event, a concurrent twin). Deterministic ids make that the
 * "exactly once" of a creation.
 */
export async function insertAggregateOnce<T>(
  model: Model<T>,
  document: Omit<T, keyof AggregateFields>,
  events: readonly OutboxEntry[] = [],
): Promise<boolean> {
  try {
    await insertAggregates(model, [{ document, events }]);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/**
 * An outbox entry for an event of a defined type: its data is validated against the schema in @linli/contracts
 * now, so a producer bug fails the write instead of dead-lettering in every consumer later.
 */
export function outboxEntry(definition: EventDefinition, event: CloudEvent): OutboxEntry {
  if (event.type !== definition.type) {
    throw new InvalidOutboxEventError(event.type, [`type differs from its definition ${definition.type}`]);
  }
  const result = validateEventData(definition, event.data);
  if (!result.ok) throw new InvalidOutboxEventError(event.type, result.errors);
  return { topic: definition.topic.name, event };
}

function expectedStatuses(status: string | readonly string[] | undefined): readonly string[] | undefined {
  if (status === undefined) return undefined;
  return typeof status === 'string' ? [status] : status;
}

function readPath(document: Record<string, unknown>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], document);
}
