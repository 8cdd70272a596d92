// Every query and conditional write of elders. What a user may see is decided here (the caller's jurisdiction
// over the elder's community), so no endpoint can forget it; the internal methods (no actor) serve the planner,
// the visit timeline and the escalations.
import type { Actor } from '@linli/auth';
import {
  incrementCounter,
  insertAggregates,
  notifyOutboxWrite,
  tryApplyChange,
  type AggregateFields,
  type OutboxEntry,
} from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ELDER_MODEL, type ElderDocument } from './elder.schema';
import { ELDER_SEQUENCE_ID, ELDER_SEQUENCE_MODEL, type ElderSequenceDocument } from './elder-sequence.schema';

const DUPLICATE_KEY = 11000;
const WITHOUT_OUTBOX = { outbox: 0, outboxLease: 0 } as const;

export type NewElder = Omit<ElderDocument, keyof AggregateFields>;

export interface ElderFilter {
  community?: string;
  livingSituation?: string;
  careLevel?: string;
  hardship?: string;
  status?: string;
}

/** An insert refused because the identity number is registered already (the unique identityHash index). */
export class ElderAlreadyRegisteredError extends Error {
  constructor(readonly elderId: string | undefined) {
    super('identity number already registered');
  }
}

/** Formats a sequence number as an elder id: E + 7 digits. */
export function elderIdOf(sequence: number): string {
  return `E${String(sequence).padStart(7, '0')}`;
}

@Injectable()
export class EldersRepository {
  constructor(
    @InjectModel(ELDER_MODEL) private readonly elders: Model<ElderDocument>,
    @InjectModel(ELDER_SEQUENCE_MODEL) private readonly sequences: Model<ElderSequenceDocument>,
  ) {}

  // ---- internal (no jurisdiction: the platform acting on its own) ----

  async findById(elderId: string): Promise<ElderDocument | null> {
    return this.elders.findOne({ _id: elderId }, WITHOUT_OUTBOX).lean<ElderDocument>().exec();
  }

  async findByIds(ids: string[]): Promise<ElderDocument[]> {
    if (ids.length === 0) return [];
    return this.elders
      .find({ _id: { $in: [...new Set(ids)] } }, WITHOUT_OUTBOX)
      .lean<ElderDocument[]>()
      .exec();
  }

  /**
   * One more missed visit in a row (atomic), the elder after it; null for an unknown elder. A counter, not a
   * profile change: no version, no event (a PATCH in flight does not conflict with it).
   */
  async recordMiss(elderId: string, missKey: string): Promise<ElderDocument | null> {
    // Keyed by the miss (visit id and attempt): a count retried after a crash finds its key and adds nothing.
    const counted = (await this.elders
      .findOneAndUpdate(
        { _id: elderId, countedMisses: { $ne: missKey } },
        { $inc: { missedInARow: 1 }, $addToSet: { countedMisses: missKey } },
        { returnDocument: 'after', projection: WITHOUT_OUTBOX, lean: true },
      )
      .exec()) as ElderDocument | null;
    return counted ?? this.findById(elderId);
  }

  /** A caregiver checked in: the run of missed visits is over. */
  async recordCheckIn(elderId: string, at: Date): Promise<void> {
    await this.elders
      .updateOne({ _id: elderId }, { $set: { missedInARow: 0, countedMisses: [], lastCheckInAt: at } })
      .exec();
  }

  /**
   * Every active elder who consented to services, in pages of `pageSize` read from ONE cursor (the daily horizon):
   * one pass over the collection however many elders there are, where paging by `_id > last` would make a server
   * without a usable index (mongo-java-server) scan the collection once per page.
   */
  async *streamActive(pageSize: number): AsyncGenerator<ElderDocument[]> {
    const cursor = this.elders
      .find({ status: 'active', 'consent.services': true }, WITHOUT_OUTBOX)
      .lean<ElderDocument[]>()
      .cursor({ batchSize: pageSize });
    let page: ElderDocument[] = [];
    try {
      for await (const elder of cursor) {
        page.push(elder as unknown as ElderDocument);
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

  /** Every elder's current version (one pass): the horizon's check for elders changed while it ran. */
  async versions(): Promise<Map<string, number>> {
    const versions = new Map<string, number>();
    const cursor = this.elders.find({}, { _id: 1, version: 1 }).lean().cursor({ batchSize: 5_000 });
    for await (const elder of cursor) {
      const { _id, version } = elder as unknown as { _id: string; version: number };
      versions.set(_id, version);
    }
    return versions;
  }

  // ---- ids ----

  /** `count` fresh elder ids in one atomic increment (an import reserves its block at once). */
  async reserveIds(count: number): Promise<string[]> {
    if (count <= 0) return [];
    const last = await incrementCounter(this.sequences as never, ELDER_SEQUENCE_ID, 'seq', count);
    return Array.from({ length: count }, (_, index) => elderIdOf(last - count + 1 + index));
  }

  // ---- writes ----

  /** Stores a new elder with its events in one write; ElderAlreadyRegisteredError on a known identity number. */
  async insert(document: NewElder, events: readonly OutboxEntry[]): Promise<void> {
    try {
      await insertAggregates(this.elders, [{ document, events }]);
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      const existing = await this.findIdByIdentityHash(document.identityHash);
      // A duplicate _id (never expected: ids come from the sequence) is not a duplicate person.
      if (!existing) throw error;
      throw new ElderAlreadyRegisteredError(existing);
    }
  }

  /**
   * Stores many new elders, each a complete document with its events, in one unordered round trip. Documents
   * that hit the unique identity index (registered meanwhile) are not inserted and are returned by id.
   */
  async insertMany(
    items: readonly { document: NewElder; events: readonly OutboxEntry[] }[],
  ): Promise<{ inserted: string[]; alreadyRegistered: string[] }> {
    if (items.length === 0) return { inserted: [], alreadyRegistered: [] };
    const documents = items.map(({ document, events }) => ({ ...document, version: 0, outbox: [...events] }));
    const refused = new Set<number>();
    try {
      await this.elders.insertMany(documents as never[], { ordered: false, lean: true });
    } catch (error) {
      const writeErrors = writeErrorsOf(error);
      if (!writeErrors) throw error;
      for (const writeError of writeErrors) {
        if (writeError.code !== DUPLICATE_KEY) throw error;
        refused.add(writeError.index);
      }
    } finally {
      notifyOutboxWrite(this.elders.collection.collectionName);
    }
    const inserted: string[] = [];
    const alreadyRegistered: string[] = [];
    items.forEach((item, index) =>
      (refused.has(index) ? alreadyRegistered : inserted).push(item.document._id),
    );
    return { inserted, alreadyRegistered };
  }

  /**
   * Writes the change over `current` if nobody changed the profile since it was read (same version), with its
   * events in the same write. Null when someone did: the caller reads again and decides again.
   */
  async update(
    current: Pick<ElderDocument, '_id' | 'version'>,
    set: Record<string, unknown>,
    events: readonly OutboxEntry[],
  ): Promise<ElderDocument | null> {
    const after = await tryApplyChange(this.elders, {
      id: current._id,
      expectedVersion: current.version,
      set,
      events,
    });
    return after ? withoutOutbox(after as ElderDocument) : null;
  }

  // ---- queries for users (scoped) ----

  async findScoped(elderId: string, actor: Actor): Promise<ElderDocument | null> {
    return this.elders
      .findOne({ _id: elderId, ...actor.scope('community') }, WITHOUT_OUTBOX)
      .lean<ElderDocument>()
      .exec();
  }

  async list(
    filter: ElderFilter,
    actor: Actor,
    page: { page: number; pageSize: number },
  ): Promise<{ items: ElderDocument[]; total: number }> {
    const query: Record<string, unknown> = { ...actor.scope('community') };
    if (filter.livingSituation) query.livingSituation = filter.livingSituation;
    if (filter.careLevel) query.careLevel = filter.careLevel;
    if (filter.hardship) query.hardship = filter.hardship;
    if (filter.status) query.status = filter.status;
    // The community prefix narrows within the caller's scope (both conditions hold).
    if (filter.community) query.$and = [{ community: { $regex: `^${filter.community}` } }];
    const [items, total] = await Promise.all([
      this.elders
        .find(query, WITHOUT_OUTBOX)
        .sort({ _id: 1 })
        .skip((page.page - 1) * page.pageSize)
        .limit(page.pageSize)
        .lean<ElderDocument[]>()
        .exec(),
      this.elders.countDocuments(query).exec(),
    ]);
    return { items, total };
  }

  async findIdByIdentityHash(identityHash: string): Promise<string | undefined> {
    const found = await this.elders.findOne({ identityHash }, { _id: 1 }).lean<{ _id: string }>().exec();
    return found?._id;
  }

  /** Of these identity hashes, those registered already, with their elder ids. */
  async registeredIdentityHashes(hashes: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (hashes.length === 0) return found;
    const documents = await this.elders
      .find({ identityHash: { $in: [...new Set(hashes)] } }, { _id: 1, identityHash: 1 })
      .lean<{ _id: string; identityHash: string }[]>()
      .exec();
    for (const document of documents) found.set(document.identityHash, document._id);
    return found;
  }
}

function withoutOutbox(document: ElderDocument): ElderDocument {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { outbox, outboxLease, ...rest } = document;
  return { ...rest, outbox: [] } as ElderDocument;
}

function writeErrorsOf(error: unknown): { index: number; code: number }[] | undefined {
  const candidate = error as { writeErrors?: unknown; code?: number; index?: number };
  if (Array.isArray(candidate.writeErrors)) {
    return candidate.writeErrors.map(
      (writeError: { index?: number; code?: number; err?: { index?: number; code?: number } }) => ({
        index: writeError.index ?? writeError.err?.index ?? -1,
        code: writeError.code ?? writeError.err?.code ?? 0,
      }),
    );
  }
  if (candidate.writeErrors && typeof candidate.writeErrors === 'object') {
    const single = candidate.writeErrors as { index?: number; code?: number };
    return [{ index: single.index ?? -1, code: single.code ?? 0 }];
  }
  return undefined;
}
