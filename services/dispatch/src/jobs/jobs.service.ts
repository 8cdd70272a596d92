// The use cases of jobs: request, offer rounds, accept, decline, expire, escalate, re-offer, start, complete,
// cancel. Each reads the job, lets job.rules decide, and stores the change with its events in ONE conditional
// write (expected version and status); a write that lost a race is decided again from the fresh job.
import { Actor } from '@linli/auth';
import {
  type CloudEvent,
  type EventData,
  JOB_CANCEL_REASONS,
  type jobCancellationRequested,
  type jobProgressReported,
  type jobRequested,
} from '@linli/contracts';
import { InjectConfig, NotFoundError } from '@linli/platform';
import { Scheduler } from '@linli/scheduling';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DispatchConfig } from '../config';
import { ProvidersRepository } from '../providers/providers.repository';
import type { ProviderDocument } from '../providers/provider.schema';
import { DispatchJobs } from '../scheduling.jobs';
import {
  accept,
  cancel,
  type CancelReason,
  chain,
  complete,
  decline,
  type DeclineReason,
  escalate,
  expire,
  HELD_STATUSES,
  type JobChange,
  JobConflictError,
  type JobOutcome,
  type JobPriority,
  type JobState,
  type JobStatus,
  needsNextRound,
  offerRound,
  progressDecision,
  reopenForOffers,
  start,
} from './job.rules';
import { JobsRepository, type JobFilter } from './jobs.repository';
import { rankCandidates, type MatchableProvider } from './matching.rules';

const DEFAULT_PAGE_SIZE = 20;

@Injectable()
export class JobsService {
  private readonly logger = new Logger(JobsService.name);

  constructor(
    private readonly jobs: JobsRepository,
    private readonly providers: ProvidersRepository,
    private readonly scheduler: Scheduler,
    @InjectConfig() private readonly config: DispatchConfig,
  ) {}

  /**
   * job.requested: the job is stored with its first round of offers (or its escalation) in one insert. The
   * requester chose the id, so a repeated request finds the job and changes nothing.
   */
  async request(event: CloudEvent<EventData<typeof jobRequested>>): Promise<void> {
    const data = event.data;
    if (await this.jobs.findById(data.jobId)) return;
    const now = new Date();
    const requested: JobState = {
      jobId: data.jobId,
      // Not stored yet: the insert stores version 0, which its events carry (ref() adds one).
      version: -1,
      status: 'requested',
      origin: { service: data.origin.service, aggregateId: data.origin.aggregateId },
      category: data.category,
      skill: data.skill,
      priority: data.priority as JobPriority,
      jurisdiction: data.jurisdiction,
      ...(data.dueBy ? { dueBy: new Date(data.dueBy) } : {}),
      ...(data.preferredProviderKinds ? { preferredProviderKinds: [...data.preferredProviderKinds] } : {}),
      ...(data.excludedProviderIds?.length ? { excludedProviderIds: [...data.excludedProviderIds] } : {}),
      round: 0,
      offers: [],
      escalated: false,
      escalationLevel: 0,
      timeline: [
        {
          at: now,
          type: 'requested',
          status: 'requested',
          note: `${data.origin.service} ${data.origin.aggregateId}`,
        },
      ],
      createdAt: now,
      updatedAt: now,
    };
    const change = await this.nextRound(requested, now);
    const inserted = await this.jobs.insert({ ...change.state, version: 0 }, change.events, event.id);
    if (inserted) await this.afterWrite(change);
  }

  /** job.cancellation-requested: the requester no longer needs the work. */
  async cancellationRequested(event: CloudEvent<EventData<typeof jobCancellationRequested>>): Promise<void> {
    const { jobId, reason } = event.data;
    if (!(await this.jobs.findById(jobId))) {
      this.logger.warn({ msg: 'cancellation requested for a job dispatch does not know', jobId });
      return;
    }
    await this.mutate(
      jobId,
      Actor.system(),
      async (job) => (isFinal(job.status) ? null : cancel(job, reason, new Date())),
      event.id,
    );
  }

  /**
   * job.progress-reported: the work happened through the requesting service's own API (a caregiver checked in or
   * out of a visit in elder-care). The job moves exactly as if its provider had started or completed it here
   * (job.started, job.completed), at the reported time; a step the job has already passed is a no-op, so a
   * repeated report changes nothing. A report from a provider that does not hold the job, or from a service that
   * did not request it, is ignored with a warning: dispatch decides who holds a job, not the reporter.
   */
  async progressReported(event: CloudEvent<EventData<typeof jobProgressReported>>): Promise<void> {
    const { jobId, providerId, step, origin } = event.data;
    const known = await this.jobs.findById(jobId);
    if (!known) {
      this.logger.warn({ msg: 'progress reported for a job dispatch does not know', jobId, step });
      return;
    }
    if (known.origin.service !== origin.service || known.origin.aggregateId !== origin.aggregateId) {
      this.logger.warn({ msg: 'progress reported by a service that did not request the job', jobId, step });
      return;
    }
    const at = new Date(event.data.at);
    // Who acted is the provider, through the requesting service; its user is not known here.
    const actorId = origin.service;
    await this.mutate(
      jobId,
      Actor.system(),
      async (job) => {
        const { steps, ignore } = progressDecision(job, providerId, step);
        if (!steps) {
          this.logger.warn({
            msg: `progress report ignored: ${ignore}`,
            jobId,
            providerId,
            step,
            status: job.status,
          });
          return null;
        }
        if (steps.length === 0) return null;
        const started = steps.includes('start') ? start(job, providerId, actorId, at) : null;
        if (!steps.includes('complete')) return started;
        const outcome = event.data.outcome ?? 'done';
        const completeFrom = (from: JobState) => complete(from, providerId, { outcome, actorId }, at);
        return started ? chain(started, completeFrom) : completeFrom(job);
      },
      event.id,
    );
  }

  async accept(jobId: string, actor: Actor): Promise<JobState> {
    const providerId = requireProvider(actor);
    return this.mutate(jobId, Actor.system(), async (job) => {
      const change = accept(job, providerId, actor.userId, new Date());
      await this.assertUnderCapacity(providerId, job);
      return change;
    });
  }

  async decline(
    jobId: string,
    actor: Actor,
    answer: { reason: DeclineReason; note?: string },
  ): Promise<JobState> {
    const providerId = requireProvider(actor);
    return this.mutate(jobId, Actor.system(), async (job) => {
      const now = new Date();
      const declined = decline(job, providerId, { ...answer, actorId: actor.userId }, now);
      return this.thenNextRoundIfDue(declined, now);
    });
  }

  /** The offer's timer fired; nothing happens if it was answered or withdrawn meanwhile. */
  async expireOffer(jobId: string, offerId: string): Promise<void> {
    const exists = await this.jobs.findById(jobId);
    if (!exists) return;
    await this.mutate(jobId, Actor.system(), async (job) => {
      const now = new Date();
      const expired = expire(job, offerId, now);
      return expired ? this.thenNextRoundIfDue(expired, now) : null;
    });
  }

  /** A supervisor puts an escalated job back on the board: candidates not tried yet, else the whole pool again. */
  async reoffer(jobId: string, actor: Actor): Promise<JobState> {
    return this.mutate(jobId, actor, async (job) => {
      const now = new Date();
      const reopened = reopenForOffers(job, actor.userId, now);
      const round = await this.nextRound(reopened.state, now, {
        actorId: actor.userId,
        wholePoolAgain: true,
        stored: job,
      });
      return chain(reopened, () => round);
    });
  }

  async start(jobId: string, actor: Actor, location?: { lat: number; lng: number }): Promise<JobState> {
    const providerId = requireProvider(actor);
    return this.mutate(jobId, Actor.system(), async (job) =>
      start(
        job,
        providerId,
        actor.userId,
        new Date(),
        location ? { lat: location.lat, lng: location.lng } : undefined,
      ),
    );
  }

  async complete(
    jobId: string,
    actor: Actor,
    report: { outcome: JobOutcome; notes?: string; workDone?: string },
  ): Promise<JobState> {
    const providerId = requireProvider(actor);
    return this.mutate(jobId, Actor.system(), async (job) =>
      complete(job, providerId, { ...report, actorId: actor.userId }, new Date()),
    );
  }

  async cancel(jobId: string, actor: Actor, reason: string): Promise<JobState> {
    const known = (JOB_CANCEL_REASONS as readonly string[]).includes(reason);
    return this.mutate(jobId, actor, async (job) =>
      cancel(job, known ? (reason as CancelReason) : 'manual', new Date(), {
        actorId: actor.userId,
        ...(known ? {} : { note: reason }),
      }),
    );
  }

  async get(jobId: string, actor: Actor): Promise<JobState> {
    const job = await this.jobs.findById(jobId, actor);
    if (!job) throw new NotFoundError('job', jobId);
    return job;
  }

  async list(
    filter: JobFilter,
    actor: Actor,
    paging: { page?: number; pageSize?: number },
  ): Promise<{ items: JobState[]; total: number; page: number; pageSize: number }> {
    const page = paging.page ?? 1;
    const pageSize = Math.min(paging.pageSize ?? DEFAULT_PAGE_SIZE, this.config.MAX_PAGE_SIZE);
    const { items, total } = await this.jobs.list(filter, actor, { page, pageSize });
    return { items, total, page, pageSize };
  }

  offeredTo(actor: Actor): Promise<JobState[]> {
    return this.jobs.offeredTo(requireProvider(actor), this.config.MAX_PAGE_SIZE);
  }

  heldBy(actor: Actor, status?: 'accepted' | 'started' | 'completed'): Promise<JobState[]> {
    const statuses: readonly JobStatus[] = status ? [status] : HELD_STATUSES;
    return this.jobs.heldBy(requireProvider(actor), statuses, this.config.MAX_PAGE_SIZE);
  }

  /**
   * Recounts a provider's load from the jobs it holds and stores it on the provider (display). A set, never an
   * increment: any later count repairs one lost in a crash.
   */
  async refreshLoad(providerIds: readonly string[]): Promise<void> {
    const counts = await this.jobs.countHeld(providerIds);
    await Promise.all([...counts].map(([providerId, load]) => this.providers.setLoad(providerId, load)));
  }

  // ---- internals

  /**
   * Reads the job, lets `decide` compute the change (null: nothing to do) and stores it if nobody wrote the job
   * meanwhile; otherwise decides again from the fresh job. Twenty concurrent accepts: one write wins, the others
   * re-read a job that is no longer offered and get 409 from the rules.
   */
  private async mutate(
    jobId: string,
    reader: Actor,
    decide: (job: JobState) => Promise<JobChange | null>,
    causationId?: string,
  ): Promise<JobState> {
    for (let attempt = 1; ; attempt++) {
      const job = await this.jobs.findById(jobId, reader);
      if (!job) throw new NotFoundError('job', jobId);
      const change = await decide(job);
      if (!change) return job;
      const stored = await this.jobs.replace(job, change.state, change.events, causationId);
      if (stored) {
        await this.afterWrite(change);
        return stored;
      }
      if (attempt >= this.config.JOB_WRITE_ATTEMPTS) {
        throw new JobConflictError(`job ${jobId} is changing too often right now; try again`, job);
      }
    }
  }

  private async thenNextRoundIfDue(change: JobChange, now: Date): Promise<JobChange> {
    if (!needsNextRound(change.state)) return change;
    const round = await this.nextRound(change.state, now);
    return chain(change, () => round);
  }

  /**
   * The next round of offers to the best candidates not offered this job yet; with none left, the escalation
   * (or, for a supervisor's re-offer, the whole pool again; 409 when nobody matches at all).
   */
  private async nextRound(
    job: JobState,
    now: Date,
    /** `stored`: the job as stored, which a 409 reports (not the unsaved state this round starts from). */
    options: { actorId?: string; wholePoolAgain?: boolean; stored?: JobState } = {},
  ): Promise<JobChange> {
    let candidates = await this.candidates(job, now, true);
    if (candidates.length === 0 && options.wholePoolAgain)
      candidates = await this.candidates(job, now, false);
    if (candidates.length === 0) {
      if (options.wholePoolAgain) {
        throw new JobConflictError(
          `no provider matches job ${job.jobId} (skill ${job.skill}) now`,
          options.stored ?? job,
        );
      }
      return escalate(job, 'no-provider', now);
    }
    return offerRound(
      job,
      candidates
        .slice(0, this.config.OFFERS_PER_ROUND)
        .map((p) => ({ providerId: p.providerId, kind: p.kind })),
      { now, timeoutMs: this.offerTimeoutMs(job), newOfferId: randomUUID, actorId: options.actorId },
    );
  }

  private async candidates(job: JobState, now: Date, excludeOffered: boolean): Promise<MatchableProvider[]> {
    const providers = await this.providers.findMatching(job.skill, job.jurisdiction);
    const loads = await this.jobs.countHeld(providers.map((provider) => provider._id));
    return rankCandidates(
      providers.map((provider) => toMatchable(provider, loads.get(provider._id) ?? 0)),
      {
        skill: job.skill,
        jurisdiction: job.jurisdiction,
        alreadyOffered: new Set(excludeOffered ? job.offers.map((offer) => offer.providerId) : []),
        ...(job.preferredProviderKinds ? { preferredKinds: job.preferredProviderKinds } : {}),
        // Every round, re-offer and whole-pool pass alike: an excluded provider is never a candidate.
        ...(job.excludedProviderIds?.length ? { excluded: new Set(job.excludedProviderIds) } : {}),
      },
      now,
    );
  }

  private offerTimeoutMs(job: Pick<JobState, 'priority'>): number {
    return job.priority === 'immediate'
      ? this.config.OFFER_TIMEOUT_IMMEDIATE_MS
      : this.config.OFFER_TIMEOUT_MS;
  }

  /** Counted from the jobs (not the provider's stored load), so a count lost in a crash cannot over-assign. */
  private async assertUnderCapacity(providerId: string, job: JobState): Promise<void> {
    const [provider] = await this.providers.findByIds([providerId]);
    const held = (await this.jobs.countHeld([providerId])).get(providerId) ?? 0;
    if (!provider || held >= provider.capacity) {
      throw new JobConflictError(`provider ${providerId} holds ${held} jobs, its capacity`, job);
    }
  }

  /**
   * What follows a stored change: expiry timers for the offers it opened, cancelled timers for those it closed,
   * the providers' acceptance outcomes and loads. The change itself is already safe; a failure here is repaired
   * by the reconciler (timers of open offers, loads recounted) or only blurs a rate, so it is logged, not thrown,
   * and the caller still gets the state it caused.
   */
  private async afterWrite(change: JobChange): Promise<void> {
    const jobId = change.state.jobId;
    await Promise.all([
      ...change.opened.map((offer) =>
        this.followUp('schedule offer expiry', jobId, () =>
          this.scheduler.schedule(DispatchJobs.offerExpiry, {
            key: [offer.offerId],
            dueAt: offer.expiresAt,
            payload: { jobId, offerId: offer.offerId },
          }),
        ),
      ),
      ...change.closed.map((offer) =>
        this.followUp('cancel offer expiry', jobId, () =>
          this.scheduler.cancel(DispatchJobs.offerExpiry, [offer.offerId]),
        ),
      ),
      ...change.outcomes.map(({ providerId, outcome }) =>
        this.followUp('record offer outcome', jobId, () =>
          this.providers.recordOutcome(providerId, outcome, this.config.ACCEPTANCE_WINDOW),
        ),
      ),
      ...(change.holders.length
        ? [this.followUp('recount load', jobId, () => this.refreshLoad(change.holders))]
        : []),
    ]);
  }

  private async followUp(what: string, jobId: string, effect: () => Promise<unknown>): Promise<void> {
    try {
      await effect();
    } catch (error) {
      this.logger.warn({
        msg: `${what} failed; the reconciler repairs it`,
        jobId,
        error: (error as Error).message,
      });
    }
  }
}

function isFinal(status: JobStatus): boolean {
  return status === 'completed' || status === 'cancelled';
}

function requireProvider(actor: Actor): string {
  // The guard let only providers (and mediators, providers too) in; a token without its provider id cannot act
  // for anyone.
  if (!actor.providerId) throw new NotFoundError('provider', actor.userId);
  return actor.providerId;
}

function toMatchable(provider: ProviderDocument, load: number): MatchableProvider {
  return {
    providerId: provider._id,
    kind: provider.kind,
    skills: provider.skills,
    serviceAreas: provider.serviceAreas,
    capacity: provider.capacity,
    available: provider.available,
    ...(provider.workingHours?.length ? { workingHours: provider.workingHours } : {}),
    ...(provider.location ? { location: provider.location } : {}),
    load,
    recentOutcomes: provider.recentOutcomes ?? [],
  };
}
