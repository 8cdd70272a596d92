// Every query and conditional write of visits in their life after planning. What a user may see is decided here
// (visitScope), so no endpoint can forget it: staff see their jurisdiction's subtree, a provider the visits it holds.
import { Actor } from '@linli/auth';
import { createEvent, type EventData, type EventDefinition } from '@linli/contracts';
import { outboxEntry, tryApplyChange, type OutboxEntry } from '@linli/persistence';
import { currentCorrelationId } from '@linli/platform';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { VISIT_MODEL, type VisitDocument, type VisitStatus } from './visit.schema';

export const EVENT_SOURCE = '/linli/elder-care';
const STAFF_ROLES = ['admin', 'supervisor', 'coordinator', 'operator'] as const;
const WITHOUT_OUTBOX = { outbox: 0, outboxLease: 0 } as const;

export type Visit = Omit<VisitDocument, 'outbox' | 'outboxLease'>;

export interface VisitListFilter {
  community?: string;
  elderId?: string;
  status?: VisitStatus;
  from?: Date;
  to?: Date;
  unassigned?: boolean;
}

/** The condition restricting visits to what this user may see; nothing at all for a role without visit access. */
export function visitScope(actor: Actor): Record<string, unknown> {
  if (actor.has('system', ...STAFF_ROLES)) return actor.scope('jurisdiction');
  if (actor.has('provider') && actor.providerId) return { 'provider.providerId': actor.providerId };
  return { _id: { $in: [] } };
}

/** visitScope, for one visit already read. */
export function maySee(actor: Actor, visit: Pick<Visit, 'jurisdiction' | 'provider'>): boolean {
  if (actor.has('system', ...STAFF_ROLES)) return actor.covers(visit.jurisdiction);
  if (actor.has('provider') && actor.providerId) return visit.provider?.providerId === actor.providerId;
  return false;
}

/** An outbox entry of a visit's write: the event validated against its contract, on its definition's topic. */
export function visitEvent<D extends EventDefinition>(
  definition: D,
  subject: string,
  jurisdiction: string,
  data: EventData<D>,
  causationId?: string,
): OutboxEntry {
  return outboxEntry(
    definition,
    createEvent({
      source: EVENT_SOURCE,
      type: definition.type,
      subject,
      jurisdiction,
      data,
      correlationid: currentCorrelationId(),
      ...(causationId ? { causationid: causationId } : {}),
    }),
  );
}

@Injectable()
export class VisitsRepository {
  constructor(@InjectModel(VISIT_MODEL) private readonly visits: Model<VisitDocument>) {}

  /**
   * By `_id` alone (mongo-java-server serves only that without a scan), then held against what the actor may see:
   * null when it is outside (the caller answers 404, never 403).
   */
  async findById(visitId: string, actor: Actor = Actor.system()): Promise<Visit | null> {
    const visit = await this.visits
      .findOne({ _id: visitId } as never, WITHOUT_OUTBOX)
      .lean<Visit>()
      .exec();
    return visit && maySee(actor, visit) ? visit : null;
  }

  /**
   * Writes the change if nobody wrote the visit since it was read (same version and status), with its events in
   * the same write. Null when someone did: the caller reads again and decides again.
   */
  async change(
    visit: Pick<Visit, '_id' | 'version' | 'status'>,
    set: Record<string, unknown>,
    events: readonly OutboxEntry[] = [],
  ): Promise<Visit | null> {
    const after = await tryApplyChange(this.visits, {
      id: visit._id,
      expectedVersion: visit.version,
      expectedStatus: visit.status,
      set: { ...set, updatedAt: new Date() },
      events,
    });
    if (!after) return null;
    const { outbox: _outbox, outboxLease: _lease, ...rest } = after as VisitDocument;
    return rest;
  }

  /** Ordered by due time, then id (a stable order for paging). */
  async list(
    filter: VisitListFilter,
    actor: Actor,
    page: { page: number; pageSize: number },
  ): Promise<{ items: Visit[]; total: number }> {
    const conditions: Record<string, unknown>[] = [visitScope(actor)];
    // The community narrows within the user's scope (both conditions hold).
    if (filter.community) conditions.push({ jurisdiction: { $regex: `^${filter.community}` } });
    if (filter.elderId) conditions.push({ elderId: filter.elderId });
    if (filter.status) conditions.push({ status: filter.status });
    if (filter.unassigned !== undefined) conditions.push({ unassigned: filter.unassigned });
    if (filter.from || filter.to) {
      conditions.push({
        dueAt: { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) },
      });
    }
    const query = { $and: conditions.filter((condition) => Object.keys(condition).length > 0) };
    if (query.$and.length === 0) query.$and.push({});
    const [items, total] = await Promise.all([
      this.visits
        .find(query as never, WITHOUT_OUTBOX)
        .sort({ dueAt: 1, _id: 1 })
        .skip((page.page - 1) * page.pageSize)
        .limit(page.pageSize)
        .lean<Visit[]>()
        .exec(),
      this.visits.countDocuments(query as never).exec(),
    ]);
    return { items, total };
  }

  /**
   * The elder's visits with a miss at or after `since` (the elder's last check-in; all when never), oldest miss
   * first: the visits an escalation names.
   */
  async missedSince(elderId: string, since: Date | null | undefined, limit: number): Promise<Visit[]> {
    const found = await this.visits
      .find(
        {
          elderId,
          misses: { $elemMatch: since ? { at: { $gte: since } } : { attempt: { $gte: 1 } } },
        } as never,
        { _id: 1, misses: 1, dueAt: 1 },
      )
      .sort({ dueAt: 1, _id: 1 })
      .limit(limit)
      .lean<Visit[]>()
      .exec();
    return found;
  }
}
