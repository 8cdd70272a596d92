// The planner: turns care plans and the visit-and-discover rule into visit documents on the rolling horizon.
// `replan` makes one elder's stored visits agree with what its plan wants (after a plan change, an elder event);
// `extendHorizon` generates every elder's next day(s) in bulk (the daily horizon job, and the benchmark).
// Convergence without transactions: visit ids are deterministic (a visit generated twice is one document), every
// change of a stored visit is conditional on its version and status, and a replan re-reads the elder's and the
// plan's versions after its writes and plans again if either moved meanwhile.
import {
  jobCancellationRequested,
  jobRequested,
  visitCancelled,
  visitDispatched,
  visitScheduled,
  type VISIT_CANCEL_REASONS,
} from '@linli/contracts';
import type { OutboxEntry } from '@linli/persistence';
import { InjectConfig } from '@linli/platform';
import { Scheduler, ScheduledWorkNotFoundError } from '@linli/scheduling';
import { Injectable, Logger } from '@nestjs/common';
import type { ElderCareConfig } from '../config';
import type { ElderDocument } from '../elders/elder.schema';
import { EldersRepository } from '../elders/elders.repository';
import { ElderCareJobs } from '../scheduling.jobs';
import { OPEN_VISIT_STATUSES } from '../visits/visit.schema';
import { jobIdOf } from '../visits/visit.rules';
import { visitEvent } from '../visits/visits.repository';
import { carePlanIdOf, CarePlansRepository, type CarePlan } from './care-plans.repository';
import { PlannedVisitsRepository, type NewVisit, type StoredVisit } from './planned-visits.repository';
import {
  desiredVisits,
  horizonEnd,
  parseDiscoverRhythms,
  type DesiredVisit,
  type DiscoverRhythms,
} from './schedule.rules';

const SERVICE = 'elder-care';
const JOB_CATEGORY = 'elder-care';
/** The sources the planner owns; follow-up and manual visits are asked for by people and left alone. */
const PLANNED_SOURCES = ['plan', 'discover'] as const;

type CancelReason = (typeof VISIT_CANCEL_REASONS)[number];
type PlannedElder = Pick<
  ElderDocument,
  '_id' | 'version' | 'community' | 'livingSituation' | 'hardship' | 'status'
> & {
  consent?: { services: boolean } | null;
};

export interface ReplanReport {
  inserted: number;
  cancelled: number;
  revived: number;
}

export interface HorizonReport {
  from: Date;
  to: Date;
  elders: number;
  generated: number;
  inserted: number;
  replanned: number;
}

@Injectable()
export class VisitPlanner {
  private readonly logger = new Logger(VisitPlanner.name);
  private readonly rhythms: DiscoverRhythms;

  constructor(
    private readonly plans: CarePlansRepository,
    private readonly visits: PlannedVisitsRepository,
    private readonly elders: EldersRepository,
    private readonly scheduler: Scheduler,
    @InjectConfig() private readonly config: ElderCareConfig,
  ) {
    this.rhythms = parseDiscoverRhythms(config.DISCOVER_RHYTHMS);
  }

  // ---- one elder ---------------------------------------------------------------------------------------------------

  /**
   * Makes the elder's visits in [now, horizon end) what its plan and group want: the missing ones inserted (with
   * their dispatch timers), the open ones no longer wanted cancelled (their job withdrawn, their timers cancelled),
   * wanted ones that had been cancelled revived. Visits someone is at or past (checked-in, completed, missed) are
   * never touched. An elder inactive or without consent has every open visit cancelled.
   */
  async replan(elderId: string, now = new Date()): Promise<ReplanReport> {
    const report: ReplanReport = { inserted: 0, cancelled: 0, revived: 0 };
    for (let round = 1; ; round++) {
      const elder = await this.elders.findById(elderId);
      if (!elder) return report;
      const plan = await this.plans.findById(carePlanIdOf(elderId));
      const settled = await this.planOnce(elder, plan, now, report);
      const [elderAfter, planAfter] = await Promise.all([
        this.elders.findById(elderId),
        this.plans.findById(carePlanIdOf(elderId)),
      ]);
      if (settled && stampOf(elderAfter, planAfter) === stampOf(elder, plan)) return report;
      if (round >= this.config.WRITE_ATTEMPTS) {
        throw new Error(`elder ${elderId} changed ${round} times while being planned; retried later`);
      }
    }
  }

  /** One pass; false when a conditional write lost a race (the caller plans again). */
  private async planOnce(
    elder: ElderDocument,
    plan: CarePlan | null,
    now: Date,
    report: ReplanReport,
  ): Promise<boolean> {
    let settled = true;
    if (!isServed(elder)) {
      for (const visit of await this.visits.withStatus(elder._id, OPEN_VISIT_STATUSES)) {
        if (await this.cancel(visit, 'elder-inactive')) report.cancelled += 1;
        else settled = false;
      }
      return settled;
    }
    const end = horizonEnd(now, this.config.VISIT_HORIZON_DAYS);
    const desired = desiredVisits(elder, plan, this.rhythms, { from: now, to: end });
    const stored = await this.visits.inWindow(elder._id, now, end, PLANNED_SOURCES);
    const storedById = new Map(stored.map((visit) => [visit._id, visit]));
    const wanted = new Set(desired.map((visit) => visit.visitId));

    for (const visit of stored) {
      if (!OPEN_VISIT_STATUSES.includes(visit.status) || wanted.has(visit._id)) continue;
      if (await this.cancel(visit, 'plan-changed')) report.cancelled += 1;
      else settled = false;
    }
    const fresh: { visit: NewVisit; events: OutboxEntry[] }[] = [];
    const timers: { _id: string; dueAt: Date }[] = [];
    for (const want of desired) {
      const visit = storedById.get(want.visitId);
      if (!visit) {
        fresh.push(this.newVisit(elder, want, plan, now));
      } else if (visit.status === 'cancelled') {
        if (await this.revive(visit, elder, want, plan, now)) report.revived += 1;
        else settled = false;
      } else if (visit.status === 'scheduled') {
        // Kept; its timer is set again (a no-op when it exists) in case a crash came between a write and its timer.
        timers.push(visit);
        if (visit.jurisdiction !== elder.community) {
          const moved = await this.visits.change(visit, { jurisdiction: elder.community }, []);
          if (!moved) settled = false;
        }
      }
    }
    const inserted = await this.visits.insertMany(fresh);
    report.inserted += inserted.length;
    await this.scheduleDispatch([...fresh.map((item) => item.visit), ...timers], now);
    return settled;
  }

  /** Cancels an open visit: one write with visit.cancelled and, if dispatched, the job's withdrawal; then its timers. */
  private async cancel(visit: StoredVisit, reason: CancelReason): Promise<boolean> {
    const events: OutboxEntry[] = [
      visitEvent(visitCancelled, visit._id, visit.jurisdiction, { ...ref(visit), reason }),
    ];
    const jobOut = visit.jobId && (visit.status === 'dispatched' || visit.status === 'assigned');
    if (jobOut && visit.jobId) {
      events.push(
        visitEvent(jobCancellationRequested, visit.jobId, visit.jurisdiction, {
          jobId: visit.jobId,
          jurisdiction: visit.jurisdiction,
          origin: { service: SERVICE, aggregateId: visit._id },
          reason: 'origin-cancelled',
        }),
      );
    }
    const after = await this.visits.change(
      visit,
      { status: 'cancelled', cancelReason: reason, unassigned: false },
      events,
    );
    if (!after) return false;
    await this.scheduler.cancel(ElderCareJobs.visitDispatch, [visit._id]);
    if (visit.attempt > 0) await this.scheduler.cancel(ElderCareJobs.visitMissed, [visit._id, visit.attempt]);
    return true;
  }

  /**
   * A cancelled visit wanted again. Never dispatched: scheduled again with its dispatch timer. Dispatched before
   * (its job was withdrawn, and dispatch keeps job ids): dispatched again at once under the next attempt's job,
   * since its lead time has come already.
   */
  private async revive(
    visit: StoredVisit,
    elder: ElderDocument,
    want: DesiredVisit,
    plan: CarePlan | null,
    now: Date,
  ): Promise<boolean> {
    const planned = {
      jurisdiction: elder.community,
      carePlanId: want.source === 'plan' ? (plan?._id ?? null) : null,
      carePlanVersion: want.source === 'plan' ? (plan?.version ?? null) : null,
      itemId: want.itemId ?? null,
      cancelReason: null,
    };
    const revived = { ...visit, ...planned };
    if (visit.attempt === 0) {
      const missedAfter = new Date(visit.dueAt.getTime() + this.config.VISIT_GRACE_MS);
      const after = await this.visits.change(visit, { ...planned, status: 'scheduled', missedAfter }, [
        visitEvent(
          visitScheduled,
          visit._id,
          elder.community,
          this.scheduledData({ ...revived, missedAfter }, visit.version + 1),
        ),
      ]);
      if (!after) return false;
      const dueAt = this.dispatchTime(visit.dueAt, now);
      try {
        await this.scheduler.reschedule(ElderCareJobs.visitDispatch, [visit._id], dueAt);
      } catch (error) {
        if (!(error instanceof ScheduledWorkNotFoundError)) throw error;
        await this.scheduler.schedule(ElderCareJobs.visitDispatch, {
          key: [visit._id],
          dueAt,
          payload: { visitId: visit._id },
        });
      }
      return true;
    }
    const attempt = visit.attempt + 1;
    const jobId = jobIdOf(visit._id, attempt);
    const graceEnd = visit.dueAt.getTime() + this.config.VISIT_GRACE_MS;
    const missedAfter = new Date(
      graceEnd > now.getTime() ? graceEnd : now.getTime() + this.config.VISIT_REDISPATCH_WINDOW_MS,
    );
    const version = visit.version + 1;
    const after = await this.visits.change(
      visit,
      {
        ...planned,
        status: 'dispatched',
        attempt,
        jobId,
        dispatchedAt: now,
        missedAfter,
        provider: null,
        unassigned: false,
      },
      [
        visitEvent(visitScheduled, visit._id, elder.community, this.scheduledData(revived, version)),
        visitEvent(jobRequested, jobId, elder.community, {
          jobId,
          jurisdiction: elder.community,
          origin: { service: SERVICE, aggregateId: visit._id },
          category: JOB_CATEGORY,
          skill: visit.service,
          priority: 'routine',
          dueBy: visit.dueAt.toISOString(),
        }),
        visitEvent(visitDispatched, visit._id, elder.community, {
          visitId: visit._id,
          version,
          jurisdiction: elder.community,
          elderId: visit.elderId,
          jobId,
          attempt,
        }),
      ],
    );
    if (!after) return false;
    await this.scheduler.schedule(ElderCareJobs.visitMissed, {
      key: [visit._id, attempt],
      dueAt: missedAfter,
      payload: { visitId: visit._id, attempt },
    });
    return true;
  }

  // ---- every elder (the daily horizon) -----------------------------------------------------------------------------

  /**
   * Generates every served elder's visits from where the horizon reached last time (or now) to the horizon's end
   * seen from `now`, in bulk: a page of elders and their plans per read, visits inserted VISIT_WRITE_BATCH at a time
   * (duplicates of visits generated before are left as they are), their dispatch timers in one scheduleMany per
   * batch. Then the page's elders and plans are read again; any that changed meanwhile is replanned on its own, so
   * a plan change racing the generator still wins.
   */
  async extendHorizon(now = new Date()): Promise<HorizonReport> {
    const to = horizonEnd(now, this.config.VISIT_HORIZON_DAYS);
    const reached = await this.visits.horizonReached();
    const from = reached && reached > now ? reached : now;
    const report: HorizonReport = { from, to, elders: 0, generated: 0, inserted: 0, replanned: 0 };
    if (from >= to) return report;
    const batch = this.config.VISIT_WRITE_BATCH;
    // One pass over the plans and one over the elders, whatever their number: the cost grows with the elders, not
    // with their square (a query per page would scan the collection per page on a server without indexes to use).
    const planOf = await this.plans.allByElder();
    const seen = new Map<string, number>();
    for await (const page of this.elders.streamActive(batch)) {
      report.elders += page.length;
      const items: { visit: NewVisit; events: OutboxEntry[] }[] = [];
      for (const elder of page) {
        seen.set(elder._id, elder.version);
        const plan = planOf.get(elder._id) ?? null;
        for (const want of desiredVisits(elder, plan, this.rhythms, { from, to })) {
          items.push(this.newVisit(elder, want, plan, now));
        }
      }
      report.generated += items.length;
      report.inserted += (await this.visits.insertMany(items)).length;
      await this.scheduleDispatch(
        items.map((item) => item.visit),
        now,
      );
    }
    report.replanned = await this.replanChanged(seen, planOf, now);
    await this.visits.advanceHorizon(to);
    this.logger.log({ msg: 'visit horizon extended', ...report });
    return report;
  }

  /**
   * Elders whose profile or plan changed while the horizon was generated (their visits may follow the old plan),
   * replanned one by one; found with one more pass over each collection.
   */
  private async replanChanged(
    seen: ReadonlyMap<string, number>,
    planOf: ReadonlyMap<string, CarePlan>,
    now: Date,
  ): Promise<number> {
    const [eldersNow, plansNow] = await Promise.all([this.elders.versions(), this.plans.allByElder()]);
    let replanned = 0;
    for (const [elderId, version] of seen) {
      if (
        eldersNow.get(elderId) === version &&
        plansNow.get(elderId)?.version === planOf.get(elderId)?.version
      ) {
        continue;
      }
      await this.replan(elderId, now);
      replanned += 1;
    }
    return replanned;
  }

  /**
   * Sets the dispatch timer of every visit still scheduled (a no-op for those that have one): after a crash between
   * a visit's write and its timer's. Run at start-up; paged by id.
   */
  async ensureDispatchTimers(now = new Date()): Promise<number> {
    let count = 0;
    for await (const page of this.visits.streamScheduled(this.config.VISIT_WRITE_BATCH)) {
      await this.scheduleDispatch(page, now);
      count += page.length;
    }
    return count;
  }

  // ---- building blocks ---------------------------------------------------------------------------------------------

  /** A new visit document (status scheduled) with its visit.scheduled event. */
  newVisit(
    elder: PlannedElder,
    want: {
      visitId: string;
      source: NewVisit['source'];
      service: NewVisit['service'];
      dueAt: Date;
      itemId?: string;
    },
    plan: Pick<CarePlan, '_id' | 'version'> | null,
    now: Date,
  ): { visit: NewVisit; events: OutboxEntry[] } {
    const fromPlan = want.source === 'plan' && plan;
    const visit: NewVisit = {
      _id: want.visitId,
      elderId: elder._id,
      jurisdiction: elder.community,
      source: want.source,
      carePlanId: fromPlan ? plan._id : null,
      carePlanVersion: fromPlan ? plan.version : null,
      itemId: want.itemId ?? null,
      service: want.service,
      dueAt: want.dueAt,
      missedAfter: new Date(want.dueAt.getTime() + this.config.VISIT_GRACE_MS),
      status: 'scheduled',
      attempt: 0,
      jobId: null,
      dispatchedAt: null,
      provider: null,
      unassigned: false,
      checkIn: null,
      checkOut: null,
      findings: [],
      misses: [],
      cancelReason: null,
      createdAt: now,
      updatedAt: now,
    };
    return {
      visit,
      events: [visitEvent(visitScheduled, visit._id, visit.jurisdiction, this.scheduledData(visit, 0))],
    };
  }

  /** The dispatch timers of visits: each at its lead time before it is due, or now if that has passed. */
  async scheduleDispatch(visits: readonly { _id: string; dueAt: Date }[], now: Date): Promise<void> {
    const batch = this.config.VISIT_WRITE_BATCH;
    for (let start = 0; start < visits.length; start += batch) {
      await this.scheduler.scheduleMany(
        ElderCareJobs.visitDispatch,
        visits.slice(start, start + batch).map((visit) => ({
          key: [visit._id],
          dueAt: this.dispatchTime(visit.dueAt, now),
          payload: { visitId: visit._id },
        })),
      );
    }
  }

  private dispatchTime(dueAt: Date, now: Date): Date {
    return new Date(Math.max(now.getTime(), dueAt.getTime() - this.config.VISIT_DISPATCH_LEAD_MS));
  }

  private scheduledData(
    visit: Pick<
      NewVisit,
      | '_id'
      | 'jurisdiction'
      | 'elderId'
      | 'source'
      | 'carePlanId'
      | 'carePlanVersion'
      | 'service'
      | 'dueAt'
      | 'missedAfter'
    >,
    version: number,
  ) {
    return {
      visitId: visit._id,
      version,
      jurisdiction: visit.jurisdiction,
      elderId: visit.elderId,
      source: visit.source,
      ...(visit.carePlanId ? { carePlanId: visit.carePlanId } : {}),
      ...(visit.carePlanVersion !== null && visit.carePlanVersion !== undefined
        ? { carePlanVersion: visit.carePlanVersion }
        : {}),
      service: visit.service,
      dueAt: visit.dueAt.toISOString(),
      missedAfter: visit.missedAfter.toISOString(),
    };
  }
}

/** An elder the planner serves: active, with consent to services. */
export function isServed(elder: PlannedElder): boolean {
  return elder.status === 'active' && elder.consent?.services === true;
}

function stampOf(
  elder: Pick<ElderDocument, 'version'> | null,
  plan: Pick<CarePlan, 'version'> | null,
): string {
  return `${elder?.version ?? 'none'}:${plan?.version ?? 'none'}`;
}

/** The reference of a visit event written with the next change of this visit. */
function ref(visit: StoredVisit) {
  return {
    visitId: visit._id,
    version: visit.version + 1,
    jurisdiction: visit.jurisdiction,
    elderId: visit.elderId,
  };
}
