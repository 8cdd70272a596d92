// Every query and conditional write of jobs. What a user may see is decided here (jobScope), so no endpoint can
// forget it: staff see their jurisdiction's subtree; a provider sees jobs offered to it (open offer) or held by it.
import { Actor } from '@linli/auth';
import { crossJurisdiction, insertAggregates, outboxEntry, tryApplyChange } from '@linli/persistence';
import { createEvent } from '@linli/contracts';
import { currentCorrelationId } from '@linli/platform';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { HELD_STATUSES, type JobState, type JobStatus, type PendingEvent } from './job.rules';
import { JOB_MODEL, STAFF_ROLES, storedFields, toJobState, type JobDocument } from './job.schema';

export const EVENT_SOURCE = '/linli/dispatch';
const DUPLICATE_KEY = 11000;

export interface JobFilter {
  status?: JobStatus;
  category?: string;
  skill?: string;
  area?: string;
  escalated?: boolean;
  origin?: string;
}

/** The condition restricting jobs to what this user may see; nothing at all for a role without job access. */
export function jobScope(actor: Actor): Record<string, unknown> {
  if (actor.has('system', ...STAFF_ROLES)) return actor.scope('jurisdiction');
  if (actor.has('provider', 'mediator') && actor.providerId) {
    return {
      $or: [
        { providerId: actor.providerId },
        { offers: { $elemMatch: { providerId: actor.providerId, status: 'open' } } },
      ],
    };
  }
  return { _id: { $in: [] } };
}

@Injectable()
export class JobsRepository {
  constructor(@InjectModel(JOB_MODEL) private readonly jobs: Model<JobDocument>) {}

  /**
   * Stores a new job with its first events in one write. False when the id exists: the requester chose the id,
   * so a repeated request is the same job.
   */
  async insert(state: JobState, events: readonly PendingEvent[], causationId?: string): Promise<boolean> {
    try {
      await insertAggregates(this.jobs, [
        {
          document: { _id: state.jobId, ...storedFields(state) } as never,
          events: events.map((event) => envelope(state, event, causationId)),
        },
      ]);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /**
   * Writes `next` over `current` if nobody wrote the job since it was read (same version and status), with the
   * events in the same write. Null when someone did: the caller reads again and decides again.
   */
  async replace(
    current: JobState,
    next: JobState,
    events: readonly PendingEvent[],
    causationId?: string,
  ): Promise<JobState | null> {
    const after = await tryApplyChange(this.jobs, {
      id: current.jobId,
      expectedVersion: current.version,
      expectedStatus: current.status,
      set: storedFields(next),
      events: events.map((event) => envelope(current, event, causationId)),
    });
    return after ? toJobState(after as JobDocument) : null;
  }

  async findById(jobId: string, actor: Actor = Actor.system()): Promise<JobState | null> {
    const found = await this.jobs
      .findOne({ _id: jobId, ...jobScope(actor) } as never, { outbox: 0, outboxLease: 0 })
      .lean<JobDocument>()
      .exec();
    return found ? toJobState(found) : null;
  }

  async list(
    filter: JobFilter,
    actor: Actor,
    page: { page: number; pageSize: number },
  ): Promise<{ items: JobState[]; total: number }> {
    const query: Record<string, unknown> = { ...jobScope(actor) };
    if (filter.status) query.status = filter.status;
    if (filter.category) query.category = filter.category;
    if (filter.skill) query.skill = filter.skill;
    if (filter.escalated !== undefined) query.escalated = filter.escalated;
    if (filter.origin) query['origin.aggregateId'] = filter.origin;
    // The area narrows within the user's scope (both conditions hold).
    if (filter.area) query.$and = [{ jurisdiction: { $regex: `^${filter.area}` } }];
    const [items, total] = await Promise.all([
      this.jobs
        .find(query as never, { outbox: 0, outboxLease: 0 })
        .sort({ updatedAt: -1, _id: 1 })
        .skip((page.page - 1) * page.pageSize)
        .limit(page.pageSize)
        .lean<JobDocument[]>()
        .exec(),
      this.jobs.countDocuments(query as never).exec(),
    ]);
    return { items: items.map(toJobState), total };
  }

  /** Jobs with an open offer to this provider. */
  async offeredTo(providerId: string, limit: number): Promise<JobState[]> {
    const found = await this.jobs
      .find({ status: 'offered', offers: { $elemMatch: { providerId, status: 'open' } } } as never, {
        outbox: 0,
        outboxLease: 0,
      })
      .sort({ updatedAt: -1 })
      .limit(limit)
      .lean<JobDocument[]>()
      .exec();
    return found.map(toJobState);
  }

  async heldBy(providerId: string, statuses: readonly JobStatus[], limit: number): Promise<JobState[]> {
    const found = await this.jobs
      .find({ providerId, status: { $in: [...statuses] } } as never, { outbox: 0, outboxLease: 0 })
      .sort({ updatedAt: -1 })
      .limit(limit)
      .lean<JobDocument[]>()
      .exec();
    return found.map(toJobState);
  }

  /** Jobs each provider holds now, counted from the jobs themselves (the source of truth of load). */
  async countHeld(providerIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>(providerIds.map((id) => [id, 0]));
    if (providerIds.length === 0) return counts;
    const held = await this.jobs
      .find({ providerId: { $in: [...providerIds] }, status: { $in: [...HELD_STATUSES] } } as never, {
        providerId: 1,
      })
      // A provider's load counts every job it holds, of any district, whoever asked (ADR 0028).
      .setOptions(crossJurisdiction("a provider's load is all the jobs it holds"))
      .lean<{ providerId: string }[]>()
      .exec();
    for (const job of held) counts.set(job.providerId, (counts.get(job.providerId) ?? 0) + 1);
    return counts;
  }

  /** Jobs that wait on offers (for the timers' reconciliation), a page at a time by id. */
  async withOpenOffers(afterId: string | undefined, limit: number): Promise<JobState[]> {
    const found = await this.jobs
      .find(
        {
          status: 'offered',
          'offers.status': 'open',
          ...(afterId ? { _id: { $gt: afterId } } : {}),
        } as never,
        { outbox: 0, outboxLease: 0 },
      )
      .sort({ _id: 1 })
      .limit(limit)
      .lean<JobDocument[]>()
      .exec();
    return found.map(toJobState);
  }
}

function envelope(job: Pick<JobState, 'jobId' | 'jurisdiction'>, event: PendingEvent, causationId?: string) {
  return outboxEntry(
    event.definition,
    createEvent({
      source: EVENT_SOURCE,
      type: event.definition.type,
      subject: job.jobId,
      jurisdiction: job.jurisdiction,
      data: event.data,
      correlationid: currentCorrelationId(),
      ...(causationId ? { causationid: causationId } : {}),
    }),
  );
}
