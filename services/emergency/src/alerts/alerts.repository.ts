// Every query and write of alerts and CAP import keys. User queries take the actor's scope.
import type { Actor } from '@linli/auth';
import {
  applyChange,
  findIdempotentCreation,
  incrementCounter,
  insertAggregateOnce,
  isDuplicateKey,
  type IdempotencyRecord,
  type OutboxEntry,
} from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ALERT_MODEL } from '../models';
import type { AlertState } from './alert.rules';
import {
  ALERT_SEQUENCE_MODEL,
  CAP_IMPORT_MODEL,
  newDocument,
  storedFields,
  toAlertState,
  type AlertDocument,
  type CapImportDocument,
} from './alert.schema';

const WITHOUT_OUTBOX = { outbox: 0, outboxLease: 0 } as const;

@Injectable()
export class AlertsRepository {
  constructor(
    @InjectModel(ALERT_MODEL) private readonly alerts: Model<AlertDocument>,
    @InjectModel(ALERT_SEQUENCE_MODEL) private readonly sequences: Model<{ _id: string; sequence: number }>,
    @InjectModel(CAP_IMPORT_MODEL) private readonly imports: Model<CapImportDocument>,
  ) {}

  /** The next alert number of an incident. */
  nextSequence(incidentId: string): Promise<number> {
    return incrementCounter(this.sequences as never, incidentId, 'sequence');
  }

  /**
   * Stores a new alert with its events (and the Idempotency-Key it was issued under, in the same write); false when
   * one with this id or this key exists.
   */
  insert(
    state: AlertState,
    events: readonly OutboxEntry[],
    now: Date,
    idempotency?: IdempotencyRecord,
  ): Promise<boolean> {
    const document = { ...newDocument(state, now), ...(idempotency ? { idempotency } : {}) };
    return insertAggregateOnce(this.alerts, document as never, events);
  }

  /** The alert issued under this Idempotency-Key before (422 if by a different request). */
  async findCreatedUnder(record: IdempotencyRecord): Promise<AlertState | undefined> {
    const document = await findIdempotentCreation<AlertDocument>(this.alerts, record, WITHOUT_OUTBOX);
    return document ? toAlertState(document) : undefined;
  }

  async save(
    current: AlertState,
    next: AlertState,
    events: readonly OutboxEntry[],
    now: Date,
  ): Promise<AlertState> {
    const after = await applyChange(this.alerts, {
      id: current.alertId,
      expectedVersion: current.version,
      expectedStatus: current.status,
      set: storedFields(next, now),
      events,
    });
    return toAlertState(after as unknown as AlertDocument);
  }

  async findById(alertId: string, actor: Actor): Promise<AlertState | undefined> {
    const document = await this.alerts
      .findOne({ _id: alertId, ...actor.scope('jurisdiction') }, WITHOUT_OUTBOX)
      .lean<AlertDocument>()
      .exec();
    return document ? toAlertState(document) : undefined;
  }

  /** An incident's alerts the actor may read, the first issued first (the incidentId index). */
  async ofIncident(incidentId: string, actor: Actor): Promise<AlertState[]> {
    const documents = await this.alerts
      .find({ incidentId, ...actor.scope('jurisdiction') }, WITHOUT_OUTBOX)
      .sort({ createdAt: 1 })
      .lean<AlertDocument[]>()
      .exec();
    return documents.map(toAlertState);
  }

  async get(alertId: string): Promise<AlertState | undefined> {
    const document = await this.alerts.findOne({ _id: alertId }, WITHOUT_OUTBOX).lean<AlertDocument>().exec();
    return document ? toAlertState(document) : undefined;
  }

  /** The import key of a CAP Alert (by the hash of its sender and identifier). */
  async findImport(key: string): Promise<CapImportDocument | undefined> {
    return (await this.imports.findOne({ _id: key }).lean<CapImportDocument>().exec()) ?? undefined;
  }

  /** Reserves the ids of an import; false when the key is there (another request got it first). */
  async insertImport(document: CapImportDocument): Promise<boolean> {
    try {
      await this.imports.collection.insertOne(document as never);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
}
