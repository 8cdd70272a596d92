// Every query and write of tickets. Queries that serve a user take the actor's scope, so no endpoint can forget
// the jurisdiction; the consumers and timers pass Actor.system().
import type { Actor } from '@linli/auth';
import {
  applyChange,
  findIdempotentCreation,
  incrementCounter,
  insertAggregates,
  type IdempotencyRecord,
  type OutboxEntry,
} from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { TicketListFilter } from './ticket.commands';
import type { DuplicateCriteria } from './duplicate.rules';
import { FINDING_CLAIM_MODEL, type FindingClaimDocument } from './finding-claim.schema';
import { ticketIdOfJob, type TicketState, type TicketStatus } from './ticket.rules';
import {
  newDocument,
  storedFields,
  TICKET_MODEL,
  TICKET_SEQUENCE_MODEL,
  toTicketState,
  type TicketDocument,
} from './ticket.schema';

const DUPLICATE_KEY = 11000;

@Injectable()
export class TicketsRepository {
  constructor(
    @InjectModel(TICKET_MODEL) private readonly tickets: Model<TicketDocument>,
    @InjectModel(TICKET_SEQUENCE_MODEL) private readonly sequences: Model<{ _id: string; sequence: number }>,
    @InjectModel(FINDING_CLAIM_MODEL) private readonly claims: Model<FindingClaimDocument>,
  ) {}

  /** The next number of the day: one atomic increment, so two operators never get the same ticket id. */
  nextSequence(day: string): Promise<number> {
    return incrementCounter(this.sequences as never, day, 'sequence');
  }

  /**
   * Stores a new ticket with its events (and the Idempotency-Key it was created under, in the same write). False
   * when a ticket with this id or this key exists (a finding's ticket again; a client's retry racing its twin).
   */
  async insert(
    state: TicketState,
    events: readonly OutboxEntry[],
    idempotency?: IdempotencyRecord,
  ): Promise<boolean> {
    try {
      const document = { ...newDocument(state), ...(idempotency ? { idempotency } : {}) };
      await insertAggregates(this.tickets, [{ document: document as never, events }]);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /** The ticket id claimed for a visit finding, if it was claimed. */
  async findingClaim(findingId: string): Promise<string | undefined> {
    const claim = await this.claims.findById(findingId).lean<FindingClaimDocument>().exec();
    return claim?.ticketId;
  }

  /**
   * Claims `ticketId` for a visit finding, unless the finding was claimed already: the id that holds, either way
   * (the first claim wins a race between two deliveries).
   */
  async claimFinding(findingId: string, visitId: string, ticketId: string): Promise<string> {
    try {
      const claim = await this.claims
        .findOneAndUpdate(
          { _id: findingId },
          { $setOnInsert: { ticketId, visitId, createdAt: new Date() } },
          { upsert: true, returnDocument: 'after', lean: true },
        )
        .exec();
      return (claim as FindingClaimDocument).ticketId;
    } catch (error) {
      // Two upserts at once: the one that lost the insert reads the winner's claim.
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      const claimed = await this.findingClaim(findingId);
      if (!claimed) throw error;
      return claimed;
    }
  }

  /** The ticket created under this Idempotency-Key before (422 if by a different request). */
  async findCreatedUnder(record: IdempotencyRecord): Promise<TicketState | undefined> {
    const document = await findIdempotentCreation<TicketDocument>(this.tickets, record);
    return document ? toTicketState(document) : undefined;
  }

  async exists(ticketId: string): Promise<boolean> {
    return (await this.tickets.exists({ _id: ticketId }).exec()) !== null;
  }

  /**
   * Writes `next` over `current` if nobody wrote since (same version and status): ConcurrencyConflictError
   * otherwise, which the service retries against the fresh state.
   */
  async save(current: TicketState, next: TicketState, events: readonly OutboxEntry[]): Promise<TicketState> {
    const after = await applyChange(this.tickets, {
      id: current.ticketId,
      expectedVersion: current.version,
      expectedStatus: current.status,
      set: storedFields(next),
      events,
    });
    return toTicketState(after as unknown as TicketDocument);
  }

  async findById(ticketId: string, actor: Actor): Promise<TicketState | undefined> {
    const document = await this.tickets
      .findOne({ _id: ticketId, ...actor.scope('jurisdiction') }, { outbox: 0, outboxLease: 0 })
      .lean<TicketDocument>()
      .exec();
    return document ? toTicketState(document) : undefined;
  }

  /** The ticket whose CURRENT job this is (an old job of a reopened ticket, or elder-care's job, finds nothing). */
  async findByJobId(jobId: string): Promise<TicketState | undefined> {
    // By the ticket id inside the job id: a lookup by _id, where a query on jobId would scan the collection on
    // servers that serve only unique indexes (docs/benchmarks.md); other services' jobs need no query at all.
    const ticketId = ticketIdOfJob(jobId);
    if (!ticketId) return undefined;
    const document = await this.tickets
      .findOne({ _id: ticketId }, { outbox: 0, outboxLease: 0 })
      .lean<TicketDocument>()
      .exec();
    return document && document.jobId === jobId ? toTicketState(document) : undefined;
  }

  /** The earliest open ticket the rule calls a likely duplicate of the incoming one. */
  async findLikelyDuplicate(criteria: DuplicateCriteria): Promise<string | undefined> {
    const document = await this.tickets
      .findOne(
        {
          'reporter.phoneHash': criteria.phoneHash,
          category: criteria.category,
          'place.communityCode': criteria.communityCode,
          createdAt: { $gte: criteria.since },
          status: { $nin: [...criteria.excludedStatuses] },
        } as Record<string, unknown>,
        { _id: 1 },
      )
      .sort({ createdAt: 1 })
      .lean<{ _id: string }>()
      .exec();
    return document?._id;
  }

  /**
   * The actor's open tickets (not closed or cancelled) of the reporter with this phone hash, newest first: the
   * console's duplicate warning while the operator types the number.
   */
  async openByPhoneHash(
    phoneHash: string,
    excludedStatuses: readonly TicketStatus[],
    actor: Actor,
    limit: number,
  ): Promise<Pick<TicketDocument, '_id' | 'category' | 'status' | 'place' | 'createdAt'>[]> {
    return this.tickets
      .find(
        {
          ...actor.scope('jurisdiction'),
          'reporter.phoneHash': phoneHash,
          status: { $nin: [...excludedStatuses] },
        } as Record<string, unknown>,
        { _id: 1, category: 1, status: 1, 'place.communityCode': 1, createdAt: 1 },
      )
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<Pick<TicketDocument, '_id' | 'category' | 'status' | 'place' | 'createdAt'>[]>()
      .exec();
  }

  async list(
    filter: TicketListFilter,
    actor: Actor,
    paging: { skip: number; limit: number },
  ): Promise<{ items: TicketState[]; total: number }> {
    const query = this.listQuery(filter, actor);
    const [documents, total] = await Promise.all([
      this.tickets
        .find(query, { outbox: 0, outboxLease: 0, timeline: 0 })
        .sort({ createdAt: -1, _id: -1 })
        .skip(paging.skip)
        .limit(paging.limit)
        .lean<TicketDocument[]>()
        .exec(),
      this.tickets.countDocuments(query).exec(),
    ]);
    return { items: documents.map((d) => toTicketState({ ...d, timeline: [] })), total };
  }

  /** Call-backs (回访) whose time has come (the timer marked them due) by `before`, not yet answered. */
  async dueCallbacks(before: Date, actor: Actor, limit: number): Promise<TicketState[]> {
    const documents = await this.tickets
      .find(
        {
          ...actor.scope('jurisdiction'),
          status: 'resolved',
          'callback.status': 'due',
          'callback.dueAt': { $lt: before },
        },
        { outbox: 0, outboxLease: 0, timeline: 0 },
      )
      .sort({ 'callback.dueAt': 1 })
      .limit(limit)
      .lean<TicketDocument[]>()
      .exec();
    return documents.map((d) => toTicketState({ ...d, timeline: [] }));
  }

  /** Tickets that may still have timers to run (open, or resolved and waiting for the call-back), in batches. */
  async *waitingTickets(batchSize: number): AsyncGenerator<TicketState[]> {
    const statuses = ['new', 'triaged', 'routed', 'dispatched', 'assigned', 'in-progress', 'resolved'];
    let after = '';
    for (;;) {
      const documents = await this.tickets
        .find({ status: { $in: statuses }, _id: { $gt: after } } as Record<string, unknown>, {
          outbox: 0,
          outboxLease: 0,
          timeline: 0,
        })
        .sort({ _id: 1 })
        .limit(batchSize)
        .lean<TicketDocument[]>()
        .exec();
      if (documents.length === 0) return;
      yield documents.map((d) => toTicketState({ ...d, timeline: [] }));
      after = documents[documents.length - 1]._id;
    }
  }

  private listQuery(filter: TicketListFilter, actor: Actor): Record<string, unknown> {
    const and: Record<string, unknown>[] = [actor.scope('jurisdiction')];
    const inList = (field: string, values?: readonly string[]) => {
      if (values && values.length > 0)
        and.push({ [field]: values.length === 1 ? values[0] : { $in: [...values] } });
    };
    inList('status', filter.status as TicketStatus[] | undefined);
    inList('category', filter.category);
    inList('channel', filter.channel);
    inList('_id', filter.ids);
    // Digits only (validated at the edge), so the prefix is safe inside a regular expression.
    if (filter.community)
      and.push({ 'place.communityCode': { $regex: `^${filter.community.replace(/\D/g, '')}` } });
    if (filter.breached !== undefined) and.push({ 'serviceLevel.breached': filter.breached });
    if (filter.createdFrom) and.push({ createdAt: { $gte: filter.createdFrom } });
    if (filter.createdTo) and.push({ createdAt: { $lt: filter.createdTo } });
    const conditions = and.filter((c) => Object.keys(c).length > 0);
    return conditions.length === 0 ? {} : conditions.length === 1 ? conditions[0] : { $and: conditions };
  }
}
