// The audit log's collections in the gateway's database, named here once (the CLI reads them too). Raw driver
// access: entries are written once and never cast or changed, and `_id` is the seq, a number.
import type { Db } from 'mongodb';
import type { ChainEntry } from './audit-chain.rules';

/** Entries, `_id` = seq (1, 2, …). Append-only: no route updates or deletes them; no TTL (kept ≥ six months). */
export const AUDIT_ENTRIES_COLLECTION = 'audit_entries';
/** One document, the head: the last seq and its hash, moved forward by conditional writes. */
export const AUDIT_HEAD_COLLECTION = 'audit_head';
/** auditId → the seq it was given: a redelivered record is recognised by one `_id` lookup. */
export const AUDIT_IDS_COLLECTION = 'audit_ids';
export const HEAD_ID = 'head';

export interface AuditHead {
  _id: typeof HEAD_ID;
  seq: number;
  hash: string;
}

export interface AuditIdClaim {
  _id: string;
  seq: number;
}

export function auditCollections(db: Db) {
  return {
    entries: db.collection<ChainEntry>(AUDIT_ENTRIES_COLLECTION),
    head: db.collection<AuditHead>(AUDIT_HEAD_COLLECTION),
    ids: db.collection<AuditIdClaim>(AUDIT_IDS_COLLECTION),
  };
}

/** Reads entries by seq with `_id: {$in}`, the one filter mongo-java-server serves from its index (ADR 0004). */
export async function readEntries(db: Db, seqs: number[]): Promise<ChainEntry[]> {
  return auditCollections(db)
    .entries.find({ _id: { $in: seqs } })
    .toArray();
}

export async function readHeadSeq(db: Db): Promise<number> {
  return (await auditCollections(db).head.findOne({ _id: HEAD_ID }))?.seq ?? 0;
}
