// Key rotation (and the first encryption of values stored before it): re-seals, under the active key, every personal
// value of a collection that is clear text or sealed by another key. Batched, and each value's write is conditional
// on the value still being the one read, so a concurrent write wins and a second run finishes what the first left
// (ADR 0026). Through the driver: mongoose's middleware would only reopen and reseal what is read.
import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { PersonalDataCipher, isSealed } from './personal-data-cipher';
import type { PersonalPathSet } from './personal-data.seal';

export interface RotationCounts {
  collection: string;
  /** Documents read. */
  documents: number;
  /** Documents written (at least one value re-sealed). */
  updated: number;
  /** Clear values (stored before encryption) sealed now. */
  encrypted: number;
  /** Values sealed by another key, re-sealed under the active one. */
  resealed: number;
  /** Values under the active key already: nothing to do. */
  current: number;
  /** Values changed by someone else between the read and the write: left to them (a re-run checks them again). */
  conflicts: number;
  /** Values that did not open (unknown key, tampered): left as they are, listed by `_id` and path. */
  failures: { id: unknown; path: string; reason: string }[];
}

export interface RotationOptions {
  /** Documents per read batch and per bulkWrite. */
  batchSize?: number;
}

export const ROTATION_DEFAULT_BATCH_SIZE = 500;

/** One stored personal value: where it is in this document (with array positions) and its schema path. */
interface StoredValue {
  field: string;
  path: string;
  value: string;
}

export async function rotatePersonalData(
  collection: Collection<Document>,
  paths: PersonalPathSet,
  cipher: PersonalDataCipher,
  options: RotationOptions = {},
): Promise<RotationCounts> {
  const counts: RotationCounts = {
    collection: collection.collectionName,
    documents: 0,
    updated: 0,
    encrypted: 0,
    resealed: 0,
    current: 0,
    conflicts: 0,
    failures: [],
  };
  if (paths.isEmpty) return counts;
  const batchSize = options.batchSize ?? ROTATION_DEFAULT_BATCH_SIZE;
  const projection = Object.fromEntries(paths.paths.map((path) => [path.split('.')[0], 1]));
  const cursor = collection.find({}, { projection, sort: { _id: 1 }, batchSize });
  let operations: AnyBulkWriteOperation<Document>[] = [];
  const flush = async () => {
    if (operations.length === 0) return;
    const result = await collection.bulkWrite(operations, { ordered: false });
    counts.updated += result.modifiedCount;
    counts.conflicts += operations.length - result.matchedCount;
    operations = [];
  };
  try {
    for await (const document of cursor) {
      counts.documents++;
      const filter: Record<string, unknown> = { _id: document._id };
      const set: Record<string, string> = {};
      for (const stored of storedValues(document, paths)) {
        const next = resealed(stored, cipher, counts, document._id);
        if (next === undefined) continue;
        filter[stored.field] = stored.value;
        set[stored.field] = next;
      }
      if (Object.keys(set).length > 0) operations.push({ updateOne: { filter, update: { $set: set } } });
      if (operations.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    await cursor.close();
  }
  return counts;
}

/** The value to write instead of `stored`, or undefined when it is current (or cannot be opened). */
function resealed(
  stored: StoredValue,
  cipher: PersonalDataCipher,
  counts: RotationCounts,
  id: unknown,
): string | undefined {
  if (!isSealed(stored.value)) {
    counts.encrypted++;
    return cipher.seal(stored.value, stored.path);
  }
  if (PersonalDataCipher.keyIdOf(stored.value) === cipher.activeKeyId) {
    counts.current++;
    return undefined;
  }
  try {
    const clear = cipher.open(stored.value, stored.path);
    counts.resealed++;
    return cipher.seal(clear, stored.path);
  } catch (error) {
    counts.failures.push({ id, path: stored.field, reason: (error as Error).message });
    return undefined;
  }
}

/** Every string stored at a personal path of `document`, with its concrete field path (`parties.1.phone`). */
export function storedValues(document: Document, paths: PersonalPathSet): StoredValue[] {
  const found: StoredValue[] = [];
  for (const path of paths.paths) collect(document, path.split('.'), '', path, found);
  return found;
}

function collect(
  value: unknown,
  segments: string[],
  field: string,
  path: string,
  found: StoredValue[],
): void {
  if (Array.isArray(value)) {
    value.forEach((element, index) => collect(element, segments, `${field}.${index}`, path, found));
    return;
  }
  if (segments.length === 0) {
    if (typeof value === 'string') found.push({ field, path, value });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const [segment, ...rest] = segments;
  const child = (value as Record<string, unknown>)[segment];
  if (child !== undefined && child !== null) {
    collect(child, rest, field === '' ? segment : `${field}.${segment}`, path, found);
  }
}
