// The planner's queries and writes of visits: an elder's visits in a window, new visits in bulk (each with its
// visit.scheduled event in its outbox, duplicates of a deterministic id left as they are), and the conditional
// cancel / revive / move of one visit. The visit's life after planning is the visits module's (VisitsRepository).
import { notifyOutboxWrite, tryApplyChange, type OutboxEntry } from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { VISIT_MODEL, type VisitDocument, type VisitStatus } from '../visits/visit.schema';

const DUPLICATE_KEY = 11000;
/** One small document: how far the daily generator has gone. */
const HORIZON_COLLECTION = 'visit_horizon';
const HORIZON_STATE_ID = 'visits';
const WITHOUT_OUTBOX = { outbox: 0, outboxLease: 0 } as const;

export type StoredVisit = Omit<VisitDocument, 'outbox' | 'outboxLease'>;
export type NewVisit = Omit<VisitDocument, 'version' | 'outbox' | 'outboxLease'>;

@Injectable()
export class PlannedVisitsRepository {
  constructor(@InjectModel(VISIT_MODEL) private readonly visits: Model<VisitDocument>) {}

  findById(visitId: string): Promise<StoredVisit | null> {
    return this.visits.findOne({ _id: visitId }, WITHOUT_OUTBOX).lean<StoredVisit>().exec();
  }

  /** An elder's visits due in [from, to) of the given sources, any status. */
  inWindow(elderId: string, from: Date, to: Date, sources: readonly string[]): Promise<StoredVisit[]> {
    return this.visits
      .find(
        { elderId, dueAt: { $gte: from, $lt: to }, source: { $in: [...sources] } } as never,
        WITHOUT_OUTBOX,
      )
      .lean<StoredVisit[]>()
      .exec();
  }

  /** An elder's visits in one of these statuses, any due time. */
  withStatus(elderId: string, statuses: readonly VisitStatus[]): Promise<StoredVisit[]> {
    return this.visits
      .find({ elderId, status: { $in: [...statuses] } } as never, WITHOUT_OUTBOX)
      .lean<StoredVisit[]>()
      .exec();
  }

  /** An elder's visits for the staff, by due time (bounded: the horizon is days, not years). */
  listForElder(
    elderId: string,
    filter: { from?: Date; to?: Date; status?: VisitStatus },
    limit: number,
  ): Promise<StoredVisit[]> {
    const query: Record<string, unknown> = { elderId };
    if (filter.status) query.status = filter.status;
    if (filter.from || filter.to) {
      query.dueAt = {
        ...(filter.from ? { $gte: filter.from } : {}),
        ...(filter.to ? { $lt: filter.to } : {}),
      };
    }
    return this.visits
      .find(query as never, WITHOUT_OUTBOX)
      .sort({ dueAt: 1, _id: 1 })
      .limit(limit)
      .lean<StoredVisit[]>()
      .exec();
  }

  /**
   * Inserts new visits (version 0) with their events in one unordered round trip. A visit whose id exists already
   * is left as it is (the same visit, generated before): returns the ids actually inserted.
   */
  async insertMany(items: readonly { visit: NewVisit; events: readonly OutboxEntry[] }[]): Promise<string[]> {
    if (items.length === 0) return [];
    const documents = items.map(({ visit, events }) => ({ ...visit, version: 0, outbox: [...events] }));
    const refused = new Set<number>();
    try {
      await this.visits.collection.insertMany(documents as never[], { ordered: false });
    } catch (error) {
      const writeErrors = writeErrorsOf(error);
      if (!writeErrors) throw error;
      for (const writeError of writeErrors) {
        if (writeError.code !== DUPLICATE_KEY) throw error;
        refused.add(writeError.index);
      }
    } finally {
      notifyOutboxWrite(this.visits.collection.collectionName);
    }
    return items.filter((_, index) => !refused.has(index)).map((item) => item.visit._id);
  }

  /**
   * Visits still scheduled (not yet handed to dispatch), in pages read from ONE cursor: the start-up timer pass
   * makes one pass over the collection however many visits there are.
   */
  async *streamScheduled(pageSize: number): AsyncGenerator<{ _id: string; dueAt: Date }[]> {
    const cursor = this.visits
      .find({ status: 'scheduled' } as never, { _id: 1, dueAt: 1 })
      .lean()
      .cursor({ batchSize: pageSize });
    let page: { _id: string; dueAt: Date }[] = [];
    try {
      for await (const visit of cursor) {
        page.push(visit as unknown as { _id: string; dueAt: Date });
        if (page.length >= pageSize) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    } finally {
      await cursor.close();
    }
  }

  /** How far the daily generator has generated every elder's visits (null before its first run). */
  async horizonReached(): Promise<Date | null> {
    const state = await this.horizon().findOne({ _id: HORIZON_STATE_ID } as never);
    return (state?.until as Date | undefined) ?? null;
  }

  /** Moves the generator's mark forward (never back: two runs racing leave the furthest). */
  async advanceHorizon(until: Date): Promise<void> {
    await this.horizon().updateOne(
      { _id: HORIZON_STATE_ID } as never,
      { $max: { until }, $set: { updatedAt: new Date() } },
      { upsert: true },
    );
  }

  private horizon() {
    return this.visits.db.collection(HORIZON_COLLECTION);
  }

  /**
   * Writes the change if the visit is still at the version and status it was read in, with its events in the
   * same write; null when it moved meanwhile (a timer, a caregiver): the caller reads again and decides again.
   */
  async change(
    visit: Pick<StoredVisit, '_id' | 'version' | 'status'>,
    set: Record<string, unknown>,
    events: readonly OutboxEntry[],
  ): Promise<StoredVisit | null> {
    const after = await tryApplyChange(this.visits, {
      id: visit._id,
      expectedVersion: visit.version,
      expectedStatus: visit.status,
      set: { ...set, updatedAt: new Date() },
      events,
    });
    if (!after) return null;
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { outbox, outboxLease, ...rest } = after as VisitDocument;
    return rest;
  }
}

/** The failed inserts of an unordered insertMany (driver and mongo-java-server shapes both). */
function writeErrorsOf(error: unknown): { index: number; code: number }[] | undefined {
  const candidate = error as { writeErrors?: unknown };
  const raw = candidate.writeErrors;
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : undefined;
  return list?.map(
    (writeError: { index?: number; code?: number; err?: { index?: number; code?: number } }) => ({
      index: writeError.index ?? writeError.err?.index ?? -1,
      code: writeError.code ?? writeError.err?.code ?? 0,
    }),
  );
}
