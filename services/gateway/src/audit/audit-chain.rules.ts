// The hash chain of the audit log, as pure rules: each entry's hash is sha256(prevHash + canonical JSON of the
// record + seq), its prevHash the hash of the entry before, so changing, removing or reordering any entry breaks
// the chain from there on. Verification walks it from seq 1.
import { createHash } from 'node:crypto';

/** The prevHash of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainEntry {
  _id: number;
  prevHash: string;
  hash: string;
  record: unknown;
}

/**
 * JSON with object keys sorted at every level and no whitespace (the JSON Canonicalization Scheme, RFC 8785, for
 * the values records hold: strings, integers, booleans, arrays, objects). Undefined members are left out, as
 * JSON.stringify does, so a record reads back from MongoDB to the same text.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('not a finite number');
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

export function entryHash(prevHash: string, record: unknown, seq: number): string {
  return createHash('sha256')
    .update(`${prevHash}${canonicalJson(record)}${seq}`)
    .digest('hex');
}

export interface ChainVerdict {
  ok: boolean;
  /** Entries checked and found sound (all of them when ok). */
  entries: number;
  firstBrokenSeq?: number;
  reason?: string;
}

/** Reads entries by seq (the log's `_id`): those found, in any order. */
export type EntryReader = (seqs: number[]) => Promise<ChainEntry[]>;

/**
 * Walks the chain from seq 1 in batches until the first seq with no entry past `headSeq` (the head can lag one
 * append behind after a crash, so entries past it are checked too). Stops at the first fault.
 */
export async function verifyChain(
  read: EntryReader,
  headSeq: number,
  batchSize = 500,
): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  for (let from = 1; ; from += batchSize) {
    const seqs = Array.from({ length: batchSize }, (_, i) => from + i);
    const found = new Map((await read(seqs)).map((entry) => [entry._id, entry]));
    for (const seq of seqs) {
      const entry = found.get(seq);
      if (!entry) {
        if (seq > headSeq) return { ok: true, entries: seq - 1 };
        return broken(seq, `entry ${seq} is missing (the head is at ${headSeq})`);
      }
      if (entry.prevHash !== prevHash) {
        return broken(
          seq,
          `its prevHash is not the hash of entry ${seq - 1} (an entry removed, added or moved)`,
        );
      }
      if (entryHash(prevHash, entry.record, seq) !== entry.hash) {
        return broken(seq, 'its hash does not match its record (the record was changed)');
      }
      prevHash = entry.hash;
    }
  }
}

function broken(seq: number, reason: string): ChainVerdict {
  return { ok: false, entries: seq - 1, firstBrokenSeq: seq, reason };
}
