// Every query and write of escalations; the jurisdiction scope of staff is applied here.
import type { Actor } from '@linli/auth';
import { insertAggregates, tryApplyChange, type OutboxEntry } from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ESCALATION_MODEL, type EscalationDocument, type EscalationStatus } from './escalation.schema';

const DUPLICATE_KEY = 11000;
const WITHOUT_OUTBOX = { outbox: 0, outboxLease: 0 } as const;

export type Escalation = Omit<EscalationDocument, 'outbox' | 'outboxLease'>;

@Injectable()
export class EscalationsRepository {
  constructor(@InjectModel(ESCALATION_MODEL) private readonly escalations: Model<EscalationDocument>) {}

  /** Stores a new escalation with its events in one write; false when its id exists (a retried effect). */
  async insert(
    escalation: Omit<EscalationDocument, 'version' | 'outbox' | 'outboxLease'>,
    events: readonly OutboxEntry[],
  ): Promise<boolean> {
    try {
      await insertAggregates(this.escalations, [{ document: escalation, events }]);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /** An elder's escalations, newest first (a handful per elder at most). */
  ofElder(elderId: string): Promise<Escalation[]> {
    return this.escalations
      .find({ elderId } as never, WITHOUT_OUTBOX)
      .sort({ createdAt: -1 })
      .lean<Escalation[]>()
      .exec();
  }

  /** By `_id` alone, then held against the actor's jurisdiction (null outside: 404, never 403). */
  async findById(escalationId: string, actor: Actor): Promise<Escalation | null> {
    const found = await this.escalations
      .findOne({ _id: escalationId } as never, WITHOUT_OUTBOX)
      .lean<Escalation>()
      .exec();
    return found && actor.covers(found.jurisdiction) ? found : null;
  }

  /** Newest first, within the actor's jurisdiction (and the community prefix asked for, if any). */
  list(
    filter: { community?: string; status?: EscalationStatus },
    actor: Actor,
    limit: number,
  ): Promise<Escalation[]> {
    const conditions: Record<string, unknown>[] = [actor.scope('jurisdiction')];
    if (filter.community) conditions.push({ jurisdiction: { $regex: `^${filter.community}` } });
    if (filter.status) conditions.push({ status: filter.status });
    return this.escalations
      .find(
        { $and: conditions.filter((c) => Object.keys(c).length > 0).concat([{}]) } as never,
        WITHOUT_OUTBOX,
      )
      .sort({ createdAt: -1, _id: 1 })
      .limit(limit)
      .lean<Escalation[]>()
      .exec();
  }

  /** Open → acknowledged, if nobody changed it since it was read; null otherwise. */
  async acknowledge(
    escalation: Escalation,
    by: string,
    note: string | undefined,
    at: Date,
  ): Promise<Escalation | null> {
    const after = await tryApplyChange(this.escalations, {
      id: escalation._id,
      expectedVersion: escalation.version,
      expectedStatus: 'open',
      set: {
        status: 'acknowledged',
        acknowledgedAt: at,
        acknowledgedBy: by,
        note: note ?? null,
        updatedAt: at,
      },
    });
    if (!after) return null;
    const { outbox: _outbox, outboxLease: _lease, ...rest } = after as EscalationDocument;
    return rest;
  }
}
