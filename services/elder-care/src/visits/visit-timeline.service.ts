// A visit's life between its planning and the caregiver at the door, driven by its timers and dispatch's job events:
// handed to dispatch at its lead time, assigned when a caregiver accepts, missed (and dispatched again) when nobody
// checked in by its deadline, escalated when an elder living alone is missed too often in a row. Each step is one
// conditional write of the visit (status, attempt, version) with its events, so a timer or an event that arrives
// twice acts once.
import {
  type CloudEvent,
  type EventData,
  jobAccepted,
  jobCancellationRequested,
  jobCancelled,
  jobEscalated,
  jobRequested,
  visitAssigned,
  visitDispatched,
  visitMissed,
} from '@linli/contracts';
import type { OutboxEntry } from '@linli/persistence';
import { InjectConfig } from '@linli/platform';
import { Scheduler } from '@linli/scheduling';
import { Injectable, Logger } from '@nestjs/common';
import type { ElderCareConfig } from '../config';
import { EldersRepository } from '../elders/elders.repository';
import { EscalationsService } from '../escalations/escalations.service';
import { ElderCareJobs } from '../scheduling.jobs';
import { afterMiss, AWAITING_CHECK_IN, isMissDue, jobIdOf, visitOfJob } from './visit.rules';
import { visitEvent, VisitsRepository, type Visit } from './visits.repository';

const SERVICE = 'elder-care';
/** The category of every visit's job in the catalogue: the skill (the service item) says what is needed. */
const JOB_CATEGORY = 'elder-care';
/** elder.escalated names at most this many missed visits. */
const ESCALATION_VISITS = 20;

/** What a decision changes: the `$set` of the visit and the events of the same write; null: nothing to do. */
type Decision = { set: Record<string, unknown>; events: OutboxEntry[] } | null;

@Injectable()
export class VisitTimeline {
  private readonly logger = new Logger(VisitTimeline.name);

  constructor(
    private readonly visits: VisitsRepository,
    private readonly elders: EldersRepository,
    private readonly escalations: EscalationsService,
    private readonly scheduler: Scheduler,
    @InjectConfig() private readonly config: ElderCareConfig,
  ) {}

  // ---- timers ------------------------------------------------------------------------------------------------------

  /**
   * The lead time before the visit is due has come: scheduled → dispatched (attempt 1, job `<visitId>-J1`), with
   * job.requested and visit.dispatched in the same write, then the miss timer at missedAfter. A second run (the
   * write was stored but the worker died before the timer) finds the visit dispatched and sets the timer only.
   */
  async dispatch(visitId: string): Promise<void> {
    const after = await this.decide(visitId, (visit) => {
      if (visit.status !== 'scheduled') return null;
      const now = new Date();
      const jobId = jobIdOf(visit._id, 1);
      const priority = visit.source === 'follow-up' ? 'urgent' : 'routine';
      return {
        set: {
          status: 'dispatched',
          attempt: 1,
          jobId,
          dispatchedAt: now,
          provider: null,
          unassigned: false,
        },
        events: [
          this.jobRequest(visit, jobId, priority, visit.dueAt),
          visitEvent(visitDispatched, visit._id, visit.jurisdiction, {
            ...this.ref(visit),
            jobId,
            attempt: 1,
          }),
        ],
      };
    });
    if (!after) return;
    if (AWAITING_CHECK_IN.includes(after.status) && after.attempt >= 1) await this.scheduleMiss(after);
  }

  /**
   * No check-in by the deadline of attempt `attempt`. First step, one write of the visit: the miss recorded,
   * visit.missed, the attempt's job withdrawn (job.cancellation-requested), and while dispatches are left a new job
   * (`-J<attempt+1>`, urgent, job.requested + visit.dispatched) with a new deadline; else missed for good.
   * Second step, also run by a retried timer whose first step was stored: the miss counted on the elder
   * (missedInARow + 1), the escalation if an elder living alone reached ESCALATE_AFTER_MISSES, then the miss marked
   * counted. A worker dying between the count and the mark counts that miss twice on its retry: the only
   * non-idempotent window, as small as two writes, and on the side of telling the supervisors sooner.
   */
  async missed(visitId: string, attempt: number): Promise<void> {
    const after = await this.decide(visitId, async (visit) => {
      if (!isMissDue(visit, attempt)) return null;
      const now = new Date();
      const elder = await this.elders.findById(visit.elderId);
      const outcome = afterMiss(visit._id, attempt, now, {
        maxDispatches: this.config.VISIT_MAX_DISPATCHES,
        redispatchWindowMs: this.config.VISIT_REDISPATCH_WINDOW_MS,
      });
      const providerId = visit.provider?.providerId;
      const version = visit.version + 1;
      const events: OutboxEntry[] = [
        visitEvent(visitMissed, visit._id, visit.jurisdiction, {
          ...this.ref(visit),
          service: visit.service,
          dueAt: visit.dueAt.toISOString(),
          attempt,
          reason: 'no-check-in',
          ...(providerId ? { providerId } : {}),
          redispatched: outcome.redispatched,
          // The count as this miss will make it; the elder is counted right after this write (second step).
          missedInARow: (elder?.missedInARow ?? 0) + 1,
        }),
      ];
      if (visit.jobId) events.push(this.jobWithdrawal(visit, visit.jobId));
      const misses = [...visit.misses, { attempt, at: now, providerId: providerId ?? null, counted: false }];
      if (!outcome.redispatched) return { set: { status: 'missed', misses }, events };
      events.push(
        this.jobRequest(visit, outcome.jobId, 'urgent', outcome.missedAfter),
        visitEvent(visitDispatched, visit._id, visit.jurisdiction, {
          ...this.ref(visit, version),
          jobId: outcome.jobId,
          attempt: outcome.attempt,
        }),
      );
      return {
        set: {
          status: 'dispatched',
          attempt: outcome.attempt,
          jobId: outcome.jobId,
          dispatchedAt: now,
          missedAfter: outcome.missedAfter,
          provider: null,
          unassigned: false,
          misses,
        },
        events,
      };
    });
    if (!after) return;
    // Also on a retried run whose write was stored: the next attempt's timer (scheduling the same key is a no-op).
    if (AWAITING_CHECK_IN.includes(after.status) && after.attempt > attempt) await this.scheduleMiss(after);
    await this.countMiss(after, attempt);
  }

  // ---- dispatch's job events ---------------------------------------------------------------------------------------

  /** The caregiver took the visit's current job: dispatched → assigned. A redelivery finds it assigned already. */
  async onJobAccepted(event: CloudEvent<EventData<typeof jobAccepted>>): Promise<void> {
    const { jobId, providerId, providerKind } = event.data;
    await this.onCurrentJob(jobId, (visit) => {
      if (visit.status !== 'dispatched') return null;
      const at = eventTime(event);
      return {
        set: {
          status: 'assigned',
          provider: { providerId, providerKind, acceptedAt: at },
          unassigned: false,
        },
        events: [
          visitEvent(
            visitAssigned,
            visit._id,
            visit.jurisdiction,
            { ...this.ref(visit), jobId, providerId, providerKind },
            event.id,
          ),
        ],
      };
    });
  }

  /** Nobody took the visit's job: flagged for the supervisors (`unassigned`); the miss timer still runs. */
  async onJobEscalated(event: CloudEvent<EventData<typeof jobEscalated>>): Promise<void> {
    await this.onCurrentJob(event.data.jobId, (visit) =>
      visit.status === 'dispatched' && !visit.unassigned ? { set: { unassigned: true }, events: [] } : null,
    );
  }

  /**
   * The visit's current job was cancelled in dispatch by someone else (a coordinator; the jobs elder-care withdraws
   * itself are never current any more when their cancellation comes back). Decision: the visit goes back to
   * dispatched with nobody holding it and flagged `unassigned`, keeping its attempt and deadline. No new job is
   * requested at once (whoever cancelled it meant it); the supervisors see it on their unassigned list, and if
   * nobody checks in by the deadline, the miss timer dispatches it again with a fresh job as for any miss.
   */
  async onJobCancelled(event: CloudEvent<EventData<typeof jobCancelled>>): Promise<void> {
    await this.onCurrentJob(event.data.jobId, (visit) =>
      AWAITING_CHECK_IN.includes(visit.status)
        ? { set: { status: 'dispatched', provider: null, unassigned: true }, events: [] }
        : null,
    );
  }

  // ---- internals ---------------------------------------------------------------------------------------------------

  /** Job events about a visit's current job only: other services' jobs and earlier attempts' jobs are ignored. */
  private async onCurrentJob(jobId: string, decide: (visit: Visit) => Decision): Promise<void> {
    const ref = visitOfJob(jobId);
    if (!ref) return;
    await this.decide(ref.visitId, (visit) => (visit.jobId === jobId ? decide(visit) : null));
  }

  /**
   * Reads the visit, decides, and writes the decision if nobody wrote the visit meanwhile; otherwise decides again
   * from the fresh visit. Returns the visit after the write, or as it is when there was nothing to do (null when it
   * does not exist). Throws after WRITE_ATTEMPTS lost races, so the timer or the consumer retries later.
   */
  private async decide(
    visitId: string,
    decide: (visit: Visit) => Decision | Promise<Decision>,
  ): Promise<Visit | null> {
    for (let round = 1; ; round++) {
      const visit = await this.visits.findById(visitId);
      if (!visit) {
        this.logger.warn({ msg: 'no such visit', visitId });
        return null;
      }
      const decision = await decide(visit);
      if (!decision) return visit;
      const after = await this.visits.change(visit, decision.set, decision.events);
      if (after) return after;
      if (round >= this.config.WRITE_ATTEMPTS) {
        throw new Error(`visit ${visitId} changed ${round} times while being decided; retried later`);
      }
    }
  }

  /** The miss's second step (see `missed`). */
  private async countMiss(visit: Visit, attempt: number): Promise<void> {
    const miss = visit.misses.find((entry) => entry.attempt === attempt);
    if (!miss || miss.counted) return;
    const elder = await this.elders.recordMiss(visit.elderId, `${visit._id}:${attempt}`);
    if (
      elder &&
      elder.livingSituation === 'alone' &&
      elder.missedInARow >= this.config.ESCALATE_AFTER_MISSES
    ) {
      const missedVisits = await this.visits.missedSince(elder._id, elder.lastCheckInAt, ESCALATION_VISITS);
      const visitIds = missedVisits.map((missed) => missed._id);
      await this.escalations.escalateMisses(elder, visitIds.length > 0 ? visitIds : [visit._id]);
    }
    await this.decide(visit._id, (current) => {
      const index = current.misses.findIndex((entry) => entry.attempt === attempt);
      if (index < 0 || current.misses[index].counted) return null;
      return { set: { [`misses.${index}.counted`]: true }, events: [] };
    });
  }

  private async scheduleMiss(visit: Visit): Promise<void> {
    await this.scheduler.schedule(ElderCareJobs.visitMissed, {
      key: [visit._id, visit.attempt],
      dueAt: visit.missedAfter,
      payload: { visitId: visit._id, attempt: visit.attempt },
    });
  }

  private jobRequest(visit: Visit, jobId: string, priority: 'routine' | 'urgent', dueBy: Date): OutboxEntry {
    return visitEvent(jobRequested, jobId, visit.jurisdiction, {
      jobId,
      jurisdiction: visit.jurisdiction,
      origin: { service: SERVICE, aggregateId: visit._id },
      category: JOB_CATEGORY,
      skill: visit.service,
      priority,
      dueBy: dueBy.toISOString(),
    });
  }

  private jobWithdrawal(visit: Visit, jobId: string): OutboxEntry {
    return visitEvent(jobCancellationRequested, jobId, visit.jurisdiction, {
      jobId,
      jurisdiction: visit.jurisdiction,
      origin: { service: SERVICE, aggregateId: visit._id },
      reason: 'origin-cancelled',
    });
  }

  /** The reference every visit event carries, at the version the write being prepared will store. */
  private ref(visit: Visit, version = visit.version + 1) {
    return { visitId: visit._id, version, jurisdiction: visit.jurisdiction, elderId: visit.elderId };
  }
}

function eventTime(event: CloudEvent): Date {
  const at = new Date(event.time ?? Date.now());
  return Number.isNaN(at.getTime()) ? new Date() : at;
}
