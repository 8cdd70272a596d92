// Appends records to the hash chain and reads it back. Safe with several gateway instances: an entry is inserted
// at head.seq + 1 (a unique `_id`: of two instances, one wins), then the head moved by a write conditional on
// the seq it had; the loser re-reads the head and tries the next seq. A crash between the insert and the head's move
// leaves the head one behind; the next append finds the entry there and moves the head first.
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Actor } from '@linli/auth';
import { ConflictError } from '@linli/platform';
import type { Db, Filter } from 'mongodb';
import type { Connection } from 'mongoose';
import { GENESIS_HASH, entryHash, type ChainEntry } from './audit-chain.rules';
import { HEAD_ID, auditCollections, readEntries, readHeadSeq, type AuditHead } from './audit-log.collections';

const DUPLICATE_KEY = 11000;
/** Appends lost to other instances in a row before giving up (the consumer then retries the record). */
const MAX_APPEND_ATTEMPTS = 50;

export interface AuditRecordData {
  auditId: string;
  jurisdiction: string;
  [field: string]: unknown;
}

export interface AuditLogQuery {
  actorId?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  from?: Date;
  to?: Date;
  skip: number;
  limit: number;
}

const isDuplicateKey = (error: unknown) => (error as { code?: unknown }).code === DUPLICATE_KEY;

@Injectable()
export class AuditLogRepository {
  /** Appends of this process one at a time: instances contend only with each other, not with themselves. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get db(): Db {
    return this.connection.db as unknown as Db;
  }

  /** Appends once per auditId; returns the entry's seq and whether this call appended it. */
  append(record: AuditRecordData): Promise<{ seq: number; appended: boolean }> {
    const run = this.tail.then(() => this.appendNow(record));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async appendNow(record: AuditRecordData): Promise<{ seq: number; appended: boolean }> {
    const { entries, head, ids } = auditCollections(this.db);
    const claim = await ids.findOne({ _id: record.auditId });
    if (claim) {
      const entry = await entries.findOne({ _id: claim.seq });
      if ((entry?.record as AuditRecordData | undefined)?.auditId === record.auditId) {
        return { seq: claim.seq, appended: false };
      }
      // Claimed by an attempt that stopped before its entry was written: append it now.
    }
    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt += 1) {
      const current = (await head.findOne({ _id: HEAD_ID })) ?? { _id: HEAD_ID, seq: 0, hash: GENESIS_HASH };
      const seq = current.seq + 1;
      // Claimed before the entry: a redelivery after a crash finds the claim and checks that seq's entry.
      await ids.updateOne({ _id: record.auditId }, { $set: { seq } }, { upsert: true });
      const entry: ChainEntry = {
        _id: seq,
        prevHash: current.hash,
        hash: entryHash(current.hash, record, seq),
        record,
      };
      try {
        await entries.insertOne(entry);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const taken = await entries.findOne({ _id: seq });
        if (taken) await this.advanceHead(current, taken);
        continue;
      }
      await this.advanceHead(current, entry);
      return { seq, appended: true };
    }
    throw new ConflictError(
      `audit record ${record.auditId} not appended after ${MAX_APPEND_ATTEMPTS} attempts`,
    );
  }

  /** Moves the head from `from` to `entry`, unless another instance moved it first (then it is already past). */
  private async advanceHead(from: AuditHead, entry: ChainEntry): Promise<void> {
    const { head } = auditCollections(this.db);
    if (from.seq === 0) {
      await head.insertOne({ _id: HEAD_ID, seq: entry._id, hash: entry.hash }).catch((error: unknown) => {
        if (!isDuplicateKey(error)) throw error;
      });
      return;
    }
    await head.updateOne({ _id: HEAD_ID, seq: from.seq }, { $set: { seq: entry._id, hash: entry.hash } });
  }

  /** Newest first, within the caller's jurisdiction; `total` for paging. */
  async find(actor: Actor, query: AuditLogQuery): Promise<{ entries: ChainEntry[]; total: number }> {
    const filter: Filter<ChainEntry> = {
      ...(actor.scope('record.jurisdiction') as Filter<ChainEntry>),
      ...(query.actorId ? { 'record.actorId': query.actorId } : {}),
      ...(query.action ? { 'record.action': query.action } : {}),
      ...(query.resourceType ? { 'record.resource.type': query.resourceType } : {}),
      ...(query.resourceId ? { 'record.resource.id': query.resourceId } : {}),
      ...(query.from || query.to
        ? {
            // Records' times are UTC ISO strings of one length, so they compare as text.
            'record.at': {
              ...(query.from ? { $gte: query.from.toISOString() } : {}),
              ...(query.to ? { $lte: query.to.toISOString() } : {}),
            },
          }
        : {}),
    };
    const { entries } = auditCollections(this.db);
    const [found, total] = await Promise.all([
      entries.find(filter).sort({ _id: -1 }).skip(query.skip).limit(query.limit).toArray(),
      entries.countDocuments(filter),
    ]);
    return { entries: found, total };
  }

  readEntries(seqs: number[]): Promise<ChainEntry[]> {
    return readEntries(this.db, seqs);
  }

  headSeq(): Promise<number> {
    return readHeadSeq(this.db);
  }
}
