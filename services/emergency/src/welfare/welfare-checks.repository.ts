// Every query and write of welfare checks. The board's reads take the actor's scope; consumers use the internal
// lookups. New checks go in bulk (one insertMany per batch, duplicates ignored: a check exists once per person per
// incident however often the sweep runs).
import type { Actor } from '@linli/auth';
import {
  isDuplicateKey,
  notifyOutboxWrite,
  sealPersonalData,
  tryApplyChange,
  type OutboxEntry,
} from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { WELFARE_CHECK_MODEL } from '../models';
import type { WelfareCheckDocument, WelfareCheckResult } from './welfare-check.schema';
import type { WelfareCheckStatus, WelfareJobStatus } from './welfare.rules';

const WITHOUT_OUTBOX = { outbox: 0, outboxLease: 0 } as const;
/** The job states a closing incident withdraws. */
const OPEN_JOB: readonly WelfareJobStatus[] = ['requested', 'accepted', 'escalated'];

export type WelfareCheck = Omit<WelfareCheckDocument, 'outbox' | 'outboxLease'>;

export interface NewWelfareCheck {
  document: Omit<WelfareCheckDocument, 'version' | 'outbox' | 'outboxLease'>;
  events: readonly OutboxEntry[];
}

@Injectable()
export class WelfareChecksRepository {
  constructor(@InjectModel(WELFARE_CHECK_MODEL) private readonly checks: Model<WelfareCheckDocument>) {}

  /** The elders of an incident who have a check already (so a sweep builds no job for them again). */
  async elderIdsOf(incidentId: string): Promise<Set<string>> {
    const documents = await this.checks
      .find({ incidentId }, { _id: 0, elderId: 1 })
      .lean<{ elderId: string }[]>()
      .exec();
    return new Set(documents.map((document) => document.elderId));
  }

  /**
   * Inserts new checks with their first events in one unordered insertMany: one that exists already (a concurrent
   * sweep, a redelivery) is a duplicate key and is skipped, the others are stored. Returns how many were new.
   */
  async insertNew(items: readonly NewWelfareCheck[]): Promise<number> {
    if (items.length === 0) return 0;
    // The driver bypasses mongoose's middleware: personal fields are sealed here (ADR 0026).
    const documents = items.map(({ document, events }) =>
      sealPersonalData(this.checks, { ...document, version: 0, outbox: [...events] }),
    );
    let inserted = documents.length;
    try {
      await this.checks.collection.insertMany(documents as never[], { ordered: false });
    } catch (error) {
      const writeErrors = writeErrorsOf(error);
      if (!writeErrors || !writeErrors.every(isDuplicateKey)) throw error;
      inserted -= writeErrors.length;
    }
    if (inserted > 0) notifyOutboxWrite(this.checks.collection.collectionName);
    return inserted;
  }

  /** Any check by id, for consumers and commands (the caller decides who may see it). */
  async get(checkId: string): Promise<WelfareCheck | undefined> {
    return (
      (await this.checks.findOne({ _id: checkId }, WITHOUT_OUTBOX).lean<WelfareCheck>().exec()) ?? undefined
    );
  }

  /**
   * Records what dispatch said of the check's job at `jobVersion`, unless a later job event was applied already
   * (a redelivery of an older one changes nothing). False when nothing was written.
   */
  async applyJobEvent(
    checkId: string,
    jobVersion: number,
    set: { jobStatus: WelfareJobStatus; providerId?: string },
  ): Promise<boolean> {
    const result = await this.checks
      .updateOne(
        { _id: checkId, jobVersion: { $lt: jobVersion } },
        { $set: { ...set, jobVersion, updatedAt: new Date() }, $inc: { version: 1 } },
      )
      .exec();
    return result.modifiedCount > 0;
  }

  /** A result (and the job's withdrawal with it) written over the version it was decided on; null when someone wrote since (the caller retries). */
  async recordResult(
    check: WelfareCheck,
    status: WelfareCheckStatus,
    result: WelfareCheckResult,
    events: readonly OutboxEntry[],
    withdrawnAt?: Date,
  ): Promise<WelfareCheck | null> {
    const after = await tryApplyChange(this.checks, {
      id: check._id,
      expectedVersion: check.version,
      set: { status, result, updatedAt: result.at, ...(withdrawnAt ? { withdrawnAt } : {}) },
      events,
    });
    if (!after) return null;
    const { outbox: _outbox, outboxLease: _lease, ...rest } = after as WelfareCheckDocument;
    return rest;
  }

  /** The incident's checks still waiting for someone to go (no result, job open, not withdrawn yet). */
  async openOf(incidentId: string): Promise<WelfareCheck[]> {
    return this.checks
      .find(
        { incidentId, status: 'pending', jobStatus: { $in: [...OPEN_JOB] }, withdrawnAt: null },
        WITHOUT_OUTBOX,
      )
      .lean<WelfareCheck[]>()
      .exec();
  }

  /**
   * Marks checks withdrawn with their cancellation events, in one bulkWrite, each conditional on being still open
   * and not withdrawn, so a redelivered incident.closed queues no second cancellation.
   */
  async withdraw(items: readonly { checkId: string; event: OutboxEntry }[], at: Date): Promise<number> {
    if (items.length === 0) return 0;
    const result = await this.checks.bulkWrite(
      items.map(({ checkId, event }) => ({
        updateOne: {
          filter: {
            _id: checkId,
            status: 'pending',
            jobStatus: { $in: [...OPEN_JOB] },
            withdrawnAt: null,
          },
          update: {
            $set: { withdrawnAt: at, updatedAt: at },
            $inc: { version: 1 },
            $push: { outbox: event },
          },
        },
      })) as never,
      { ordered: false },
    );
    if (result.modifiedCount > 0) notifyOutboxWrite(this.checks.collection.collectionName);
    return result.modifiedCount;
  }

  /** The board of an incident: the number of checks per status, and one page of them (by status if given). */
  async board(
    incidentId: string,
    actor: Actor,
    status: WelfareCheckStatus | undefined,
    paging: { skip: number; limit: number },
  ): Promise<{ byStatus: Map<string, number>; items: WelfareCheck[]; total: number }> {
    const scoped = { incidentId, ...actor.scope('jurisdiction') };
    const [statuses, items] = await Promise.all([
      this.checks.find(scoped, { _id: 0, status: 1 }).lean<{ status: string }[]>().exec(),
      this.checks
        .find(status ? { ...scoped, status } : scoped, WITHOUT_OUTBOX)
        .sort({ _id: 1 })
        .skip(paging.skip)
        .limit(paging.limit)
        .lean<WelfareCheck[]>()
        .exec(),
    ]);
    const byStatus = new Map<string, number>();
    for (const { status: s } of statuses) byStatus.set(s, (byStatus.get(s) ?? 0) + 1);
    return { byStatus, items, total: status ? (byStatus.get(status) ?? 0) : statuses.length };
  }
}

function writeErrorsOf(error: unknown): { code?: unknown }[] | undefined {
  const writeErrors = (error as { writeErrors?: unknown } | null)?.writeErrors;
  if (Array.isArray(writeErrors)) return writeErrors as { code?: unknown }[];
  if (writeErrors && typeof writeErrors === 'object') return [writeErrors as { code?: unknown }];
  return undefined;
}
