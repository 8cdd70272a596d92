// Every query and write of incidents. Queries that serve a user take the actor's scope, so no endpoint can forget
// the jurisdiction; consumers and other modules use the internal lookup (no actor).
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
import { INCIDENT_MODEL } from '../models';
import type { IncidentState, IncidentStatus } from './incident.rules';
import {
  INCIDENT_SEQUENCE_MODEL,
  newDocument,
  storedFields,
  toIncidentState,
  type IncidentDocument,
} from './incident.schema';

const WITHOUT_OUTBOX = { outbox: 0, outboxLease: 0 } as const;

@Injectable()
export class IncidentsRepository {
  constructor(
    @InjectModel(INCIDENT_MODEL) private readonly incidents: Model<IncidentDocument>,
    @InjectModel(INCIDENT_SEQUENCE_MODEL)
    private readonly sequences: Model<{ _id: string; sequence: number }>,
  ) {}

  /** The next incident number of the day (China date, YYYYMMDD). */
  nextSequence(day: string): Promise<number> {
    return incrementCounter(this.sequences as never, day, 'sequence');
  }

  /**
   * Stores a new incident with its events (and the Idempotency-Key it was declared under, in the same write). False
   * when one with this id or this key exists.
   */
  insert(
    state: IncidentState,
    events: readonly OutboxEntry[],
    now: Date,
    idempotency?: IdempotencyRecord,
  ): Promise<boolean> {
    const document = { ...newDocument(state, now), ...(idempotency ? { idempotency } : {}) };
    return insertAggregateOnce(this.incidents, document as never, events);
  }

  /** The incident declared under this Idempotency-Key before (422 if by a different request). */
  async findCreatedUnder(record: IdempotencyRecord): Promise<IncidentState | undefined> {
    const document = await findIdempotentCreation<IncidentDocument>(this.incidents, record, WITHOUT_OUTBOX);
    return document ? toIncidentState(document) : undefined;
  }

  /** Writes `next` over `current` if nobody wrote since (ConcurrencyConflictError otherwise). */
  async save(
    current: IncidentState,
    next: IncidentState,
    events: readonly OutboxEntry[],
    now: Date,
  ): Promise<IncidentState> {
    const after = await applyChange(this.incidents, {
      id: current.incidentId,
      expectedVersion: current.version,
      expectedStatus: current.status,
      set: storedFields(next, now),
      events,
    });
    return toIncidentState(after as unknown as IncidentDocument);
  }

  /** An incident the actor may see (its jurisdiction within the actor's), else undefined. */
  async findById(incidentId: string, actor: Actor): Promise<IncidentState | undefined> {
    const document = await this.incidents
      .findOne({ _id: incidentId, ...actor.scope('jurisdiction') }, WITHOUT_OUTBOX)
      .lean<IncidentDocument>()
      .exec();
    return document ? toIncidentState(document) : undefined;
  }

  /** Any incident by id, for consumers and other modules. */
  async get(incidentId: string): Promise<IncidentState | undefined> {
    const document = await this.incidents
      .findOne({ _id: incidentId }, WITHOUT_OUTBOX)
      .lean<IncidentDocument>()
      .exec();
    return document ? toIncidentState(document) : undefined;
  }

  async list(
    filter: { status?: IncidentStatus },
    actor: Actor,
    paging: { skip: number; limit: number },
  ): Promise<{ items: IncidentState[]; total: number }> {
    const query: Record<string, unknown> = { ...actor.scope('jurisdiction') };
    if (filter.status) query.status = filter.status;
    const [documents, total] = await Promise.all([
      this.incidents
        .find(query, { ...WITHOUT_OUTBOX, history: 0 })
        .sort({ declaredAt: -1, _id: -1 })
        .skip(paging.skip)
        .limit(paging.limit)
        .lean<IncidentDocument[]>()
        .exec(),
      this.incidents.countDocuments(query).exec(),
    ]);
    return { items: documents.map((d) => toIncidentState({ ...d, history: [] })), total };
  }
}
