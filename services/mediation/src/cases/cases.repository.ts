// Every query and write of cases. Queries that serve a user take the actor's scope, so no endpoint can forget the
// jurisdiction; consumers and timers use the internal lookups (no actor).
import type { Actor } from '@linli/auth';
import {
  applyChange,
  findIdempotentCreation,
  incrementCounter,
  insertAggregateOnce,
  type IdempotencyRecord,
  type OutboxEntry,
} from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { CaseState, CaseStatus, CaseType, RiskLevel } from './case.rules';
import {
  CASE_MODEL,
  CASE_SEQUENCE_MODEL,
  newDocument,
  storedFields,
  toCaseState,
  type CaseDocument,
} from './case.schema';

const WITHOUT_OUTBOX = { outbox: 0, outboxLease: 0 } as const;

export interface CaseListFilter {
  status?: CaseStatus[];
  caseType?: CaseType[];
  riskLevel?: RiskLevel[];
  mediatorId?: string;
  escalated?: boolean;
  ticketId?: string;
}

@Injectable()
export class CasesRepository {
  constructor(
    @InjectModel(CASE_MODEL) private readonly cases: Model<CaseDocument>,
    @InjectModel(CASE_SEQUENCE_MODEL) private readonly sequences: Model<{ _id: string; sequence: number }>,
  ) {}

  /** The next case number of the day (China date), for ids an operator can read out: C20261129-000123. */
  nextSequence(day: string): Promise<number> {
    return incrementCounter(this.sequences as never, day, 'sequence');
  }

  /**
   * Stores a new case with its events (and the Idempotency-Key it was opened under, in the same write). False when a
   * case with this id or this key exists (a ticket's case again; a client's retry racing its twin).
   */
  insert(
    state: CaseState,
    events: readonly OutboxEntry[],
    now: Date,
    idempotency?: IdempotencyRecord,
  ): Promise<boolean> {
    const document = { ...newDocument(state, now), ...(idempotency ? { idempotency } : {}) };
    return insertAggregateOnce(this.cases, document as never, events);
  }

  /** The case opened under this Idempotency-Key before (422 if by a different request). */
  async findCreatedUnder(record: IdempotencyRecord): Promise<CaseState | undefined> {
    const document = await findIdempotentCreation<CaseDocument>(this.cases, record, WITHOUT_OUTBOX);
    return document ? toCaseState(document) : undefined;
  }

  /**
   * Writes `next` over `current` if nobody wrote since (same version and status): ConcurrencyConflictError
   * otherwise, which the service retries against the fresh state.
   */
  async save(
    current: CaseState,
    next: CaseState,
    events: readonly OutboxEntry[],
    now: Date,
  ): Promise<CaseState> {
    const after = await applyChange(this.cases, {
      id: current.caseId,
      expectedVersion: current.version,
      expectedStatus: current.status,
      set: storedFields(next, now),
      events,
    });
    return toCaseState(after as unknown as CaseDocument);
  }

  /** A case the actor may see (its jurisdiction covers the case's community), else undefined. */
  async findById(caseId: string, actor: Actor): Promise<CaseState | undefined> {
    const document = await this.cases
      .findOne({ _id: caseId, ...actor.scope('jurisdiction') }, WITHOUT_OUTBOX)
      .lean<CaseDocument>()
      .exec();
    return document ? toCaseState(document) : undefined;
  }

  /** Any case by id, for consumers and timers. */
  async get(caseId: string): Promise<CaseState | undefined> {
    const document = await this.cases.findOne({ _id: caseId }, WITHOUT_OUTBOX).lean<CaseDocument>().exec();
    return document ? toCaseState(document) : undefined;
  }

  async list(
    filter: CaseListFilter,
    actor: Actor,
    paging: { skip: number; limit: number },
  ): Promise<{ items: CaseState[]; total: number }> {
    const query = this.listQuery(filter, actor);
    const [documents, total] = await Promise.all([
      this.cases
        .find(query, { ...WITHOUT_OUTBOX, timeline: 0 })
        .sort({ openedAt: -1, _id: -1 })
        .skip(paging.skip)
        .limit(paging.limit)
        .lean<CaseDocument[]>()
        .exec(),
      this.cases.countDocuments(query).exec(),
    ]);
    return { items: documents.map((d) => toCaseState({ ...d, timeline: [] })), total };
  }

  /**
   * Cases within the actor's scope (of one mediator when given) with a session scheduled in [from, to), for the
   * sessions calendar; `limit` bounds the answer (a week's cases, not a history).
   */
  async withSessionsBetween(
    from: Date,
    to: Date,
    actor: Actor,
    options: { mediatorId?: string; limit: number },
  ): Promise<CaseState[]> {
    const documents = await this.cases
      .find(
        {
          $and: [
            actor.scope('jurisdiction'),
            ...(options.mediatorId ? [{ 'mediator.mediatorId': options.mediatorId }] : []),
            // Two conditions on the array may hold for different sessions: the calendar filters them again.
            { 'sessions.scheduledFor': { $gte: from, $lt: to } },
          ],
        },
        { ...WITHOUT_OUTBOX, timeline: 0 },
      )
      .limit(options.limit)
      .lean<CaseDocument[]>()
      .exec();
    return documents.map((d) => toCaseState({ ...d, timeline: [] }));
  }

  /** Cases that may still have timers to run (not closed), in one pass, for the start-up reconciliation. */
  async *waitingCases(batchSize: number): AsyncGenerator<CaseState[]> {
    // One cursor, not pages by `_id > last`: mongo-java-server scans the collection per query (ADR 0004).
    const cursor = this.cases
      .find({ status: { $ne: 'closed' } }, { ...WITHOUT_OUTBOX, timeline: 0 })
      .lean<CaseDocument[]>()
      .cursor({ batchSize });
    let batch: CaseState[] = [];
    for await (const document of cursor) {
      batch.push(toCaseState({ ...(document as unknown as CaseDocument), timeline: [] }));
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  private listQuery(filter: CaseListFilter, actor: Actor): Record<string, unknown> {
    const and: Record<string, unknown>[] = [actor.scope('jurisdiction')];
    const inList = (field: string, values?: readonly string[]) => {
      if (values && values.length > 0)
        and.push({ [field]: values.length === 1 ? values[0] : { $in: [...values] } });
    };
    inList('status', filter.status);
    inList('caseType', filter.caseType);
    inList('riskLevel', filter.riskLevel);
    if (filter.mediatorId) and.push({ 'mediator.mediatorId': filter.mediatorId });
    if (filter.ticketId) and.push({ ticketId: filter.ticketId });
    if (filter.escalated !== undefined)
      and.push(
        filter.escalated ? { 'escalations.0': { $exists: true } } : { 'escalations.0': { $exists: false } },
      );
    return and.length === 1 ? and[0] : { $and: and };
  }
}
