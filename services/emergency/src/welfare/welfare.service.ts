// The use cases of welfare checks: the vulnerable residents kept from elder-care's elders, the incidents kept from
// emergency's own stream, the sweep that gives every vulnerable resident of an incident's area one check and one
// dispatch job (job.requested), the withdrawal of the open ones when the incident closes, dispatch's answers, the
// result recorded by the provider holding the job or a coordinator, and the coordinator's board.
import type { Actor } from '@linli/auth';
import {
  createEvent,
  jobCancellationRequested,
  jobProgressReported,
  jobRequested,
  type CloudEvent,
  type EventData,
  type EventDefinition,
  type elderRegistered,
  type elderUpdated,
  type incidentClosed,
  type incidentDeclared,
  type incidentUpdated,
} from '@linli/contracts';
import { ConcurrencyConflictError, outboxEntry, type OutboxEntry } from '@linli/persistence';
import { currentCorrelationId, ForbiddenError, InjectConfig, NotFoundError } from '@linli/platform';
import { Injectable, Logger } from '@nestjs/common';
import type { EmergencyConfig } from '../config';
import type { WelfareCheckResult } from './welfare-check.schema';
import {
  WelfareChecksRepository,
  type NewWelfareCheck,
  type WelfareCheck,
} from './welfare-checks.repository';
import { WelfareIncidentsProjection, type WelfareIncident } from './welfare-incidents.projection';
import { VulnerableResidentsProjection, type VulnerableResident } from './vulnerable-residents.projection';
import {
  boardCounts,
  holdsCheck,
  isVulnerable,
  isWelfareJobId,
  resultDecision,
  statusOfResult,
  SWEPT_INCIDENT_STATUSES,
  welfareCheckIdOf,
  withdrawsJobOnResult,
  type WelfareCheckStatus,
  type WelfareJobStatus,
  type WelfareResult,
} from './welfare.rules';

export const SOURCE = 'linli/emergency';
const SERVICE = 'emergency';
/** Every welfare check is an emergency in the catalogue, needing the skill of a welfare check (安全探访). */
const JOB_CATEGORY = 'emergency';
const JOB_SKILL = 'welfare-check';
/** Vulnerable residents handled per insertMany of a sweep. */
const SWEEP_BATCH_SIZE = 500;
const DEFAULT_PAGE_SIZE = 50;

export interface WelfareBoard {
  counts: ReturnType<typeof boardCounts>;
  items: WelfareCheck[];
  total: number;
  page: number;
  pageSize: number;
}

@Injectable()
export class WelfareService {
  private readonly logger = new Logger(WelfareService.name);

  constructor(
    private readonly checks: WelfareChecksRepository,
    private readonly incidents: WelfareIncidentsProjection,
    private readonly residents: VulnerableResidentsProjection,
    @InjectConfig() private readonly config: EmergencyConfig,
  ) {}

  // ---- elder-care's elders -------------------------------------------------------------------------------------

  /**
   * An elder registered or changed: kept as vulnerable or not (the latest version wins). One who is vulnerable now
   * gets a check in every incident still sweeping whose area covers their community, so a resident registered
   * during a flood is not missed. The stored state decides, not the event: a redelivery after a crash between the
   * two writes still inserts the checks.
   */
  async onElder(
    event: CloudEvent<EventData<typeof elderRegistered>> | CloudEvent<EventData<typeof elderUpdated>>,
  ): Promise<void> {
    const { elderId, version, jurisdiction } = event.data;
    await this.residents.apply(elderId, version, jurisdiction, isVulnerable(event.data));
    const resident = await this.residents.get(elderId);
    if (!resident?.vulnerable) return;
    const now = new Date();
    for (const incident of await this.incidents.sweepingCovering(resident.community)) {
      await this.checks.insertNew([this.newCheck(incident, { elderId, community: resident.community }, now)]);
    }
  }

  // ---- emergency's incidents -----------------------------------------------------------------------------------

  async onIncidentDeclared(event: CloudEvent<EventData<typeof incidentDeclared>>): Promise<void> {
    const { incidentId, version, jurisdiction, areas } = event.data;
    await this.incidents.apply(incidentId, version, { status: 'declared', jurisdiction, areas });
    await this.sweep(incidentId);
  }

  /** The area may have grown (or shrunk): the sweep runs over all its current areas; addedAreas is only a hint. */
  async onIncidentUpdated(event: CloudEvent<EventData<typeof incidentUpdated>>): Promise<void> {
    const { incidentId, version, jurisdiction, areas, status } = event.data;
    await this.incidents.apply(incidentId, version, { status, jurisdiction, areas });
    await this.sweep(incidentId);
  }

  /**
   * The incident is over: the checks nobody has reported on get their dispatch job withdrawn
   * (job.cancellation-requested, reason origin-resolved); their status stays as recorded.
   */
  async onIncidentClosed(event: CloudEvent<EventData<typeof incidentClosed>>): Promise<void> {
    const { incidentId, version, jurisdiction } = event.data;
    await this.incidents.apply(incidentId, version, { status: 'closed', jurisdiction });
    const incident = await this.incidents.get(incidentId);
    if (incident?.status !== 'closed') return;
    const open = await this.checks.openOf(incidentId);
    const withdrawn = await this.checks.withdraw(
      open.map((check) => ({
        checkId: check._id,
        event: this.withdrawal(check),
      })),
      new Date(),
    );
    if (withdrawn > 0) this.logger.log({ msg: 'welfare checks withdrawn', incidentId, withdrawn });
  }

  /**
   * One pass over the vulnerable residents of the incident's current areas (when it is declared or active): each
   * without a check gets one, with its job.requested, in bulk. Idempotent: whatever the order or number of the
   * incident's events, a person has one check per incident.
   */
  private async sweep(incidentId: string): Promise<void> {
    const incident = await this.incidents.get(incidentId);
    if (!incident || !(SWEPT_INCIDENT_STATUSES as readonly string[]).includes(incident.status)) return;
    const existing = await this.checks.elderIdsOf(incidentId);
    const now = new Date();
    let created = 0;
    for await (const batch of this.residents.inAreas(incident.areas, SWEEP_BATCH_SIZE)) {
      const fresh = batch.filter((resident) => !existing.has(resident.elderId));
      created += await this.checks.insertNew(fresh.map((resident) => this.newCheck(incident, resident, now)));
    }
    if (created > 0) this.logger.log({ msg: 'welfare checks requested', incidentId, created });
  }

  private newCheck(incident: WelfareIncident, resident: VulnerableResident, now: Date): NewWelfareCheck {
    const checkId = welfareCheckIdOf(incident.incidentId, resident.elderId);
    return {
      document: {
        _id: checkId,
        incidentId: incident.incidentId,
        elderId: resident.elderId,
        jurisdiction: resident.community,
        status: 'pending',
        jobStatus: 'requested',
        jobVersion: 0,
        requestedAt: now,
        updatedAt: now,
      },
      events: [
        this.jobEvent(jobRequested, checkId, resident.community, {
          jobId: checkId,
          jurisdiction: resident.community,
          origin: { service: SERVICE, aggregateId: checkId },
          category: JOB_CATEGORY,
          skill: JOB_SKILL,
          priority: 'immediate',
          dueBy: new Date(now.getTime() + this.config.WELFARE_CHECK_WITHIN_MS).toISOString(),
        }),
      ],
    };
  }

  // ---- dispatch's answers --------------------------------------------------------------------------------------

  /**
   * Dispatch moved a check's job (accepted: who holds it; escalated; cancelled; completed). Jobs of other services
   * and unknown ids pass through; an older job version redelivered changes nothing.
   */
  async onJob(
    jobId: string,
    jobVersion: number,
    jobStatus: WelfareJobStatus,
    providerId?: string,
  ): Promise<void> {
    if (!isWelfareJobId(jobId)) return;
    await this.checks.applyJobEvent(jobId, jobVersion, { jobStatus, ...(providerId ? { providerId } : {}) });
  }

  // ---- the result ----------------------------------------------------------------------------------------------

  /**
   * What the provider holding the job (or a coordinator, supervisor, admin of the place) found. The same result
   * again changes nothing; another one only by staff (409 for the provider). When the holder reports through
   * here, dispatch hears the job done (job.progress-reported completed), as if they had completed it there.
   */
  async recordResult(
    checkId: string,
    body: { result: WelfareResult; note?: string },
    actor: Actor,
  ): Promise<WelfareCheck> {
    for (let attempt = 1; ; attempt++) {
      const check = await this.checks.get(checkId);
      if (!check) throw new NotFoundError('welfare check', checkId);
      const holder = actor.has('provider') && holdsCheck(actor.providerId, this.jobOf(check));
      const staff = actor.has('coordinator', 'supervisor', 'admin');
      if (!holder) {
        if (!actor.covers(check.jurisdiction)) throw new NotFoundError('welfare check', checkId);
        if (!staff) {
          throw new ForbiddenError(
            `only the provider holding welfare check ${checkId}, or a coordinator, may record its result`,
          );
        }
      }
      if (resultDecision(this.recorded(check), body.result, staff) === 'unchanged') return check;
      const now = new Date();
      const result: WelfareCheckResult = {
        result: body.result,
        ...(body.note !== undefined ? { note: body.note } : {}),
        at: now,
        actorId: actor.userId,
        ...(holder ? { providerId: actor.providerId } : {}),
      };
      const events: OutboxEntry[] = [];
      if (holder && check.jobStatus !== 'completed' && !check.result) {
        events.push(
          this.jobEvent(jobProgressReported, checkId, check.jurisdiction, {
            jobId: checkId,
            jurisdiction: check.jurisdiction,
            origin: { service: SERVICE, aggregateId: checkId },
            providerId: actor.providerId!,
            step: 'completed',
            outcome: 'done',
            at: now.toISOString(),
          }),
        );
      }
      const withdraw = withdrawsJobOnResult(body.result, holder, {
        jobStatus: check.jobStatus,
        withdrawn: Boolean(check.withdrawnAt),
      });
      if (withdraw) events.push(this.withdrawal(check));
      const saved = await this.checks.recordResult(
        check,
        statusOfResult(body.result),
        result,
        events,
        withdraw ? now : undefined,
      );
      if (saved) return saved;
      if (attempt >= this.config.WRITE_ATTEMPTS) {
        throw new ConcurrencyConflictError('welfare_checks', checkId, check.version, check.version + 1);
      }
    }
  }

  // ---- the board -----------------------------------------------------------------------------------------------

  /** The incident's checks (404 for an incident outside the caller's jurisdiction), counted by status, one page. */
  async board(
    incidentId: string,
    query: { status?: WelfareCheckStatus; page?: number; pageSize?: number },
    actor: Actor,
  ): Promise<WelfareBoard> {
    const incident = await this.incidents.get(incidentId);
    if (!incident || !actor.covers(incident.jurisdiction)) throw new NotFoundError('incident', incidentId);
    const page = query.page ?? 1;
    const pageSize = Math.min(query.pageSize ?? DEFAULT_PAGE_SIZE, this.config.MAX_PAGE_SIZE);
    const { byStatus, items, total } = await this.checks.board(incidentId, actor, query.status, {
      skip: (page - 1) * pageSize,
      limit: pageSize,
    });
    return { counts: boardCounts(byStatus), items, total, page, pageSize };
  }

  /** The check's dispatch job withdrawn: it is no longer needed (job.cancellation-requested, origin-resolved). */
  private withdrawal(check: WelfareCheck): OutboxEntry {
    return this.jobEvent(jobCancellationRequested, check._id, check.jurisdiction, {
      jobId: check._id,
      jurisdiction: check.jurisdiction,
      origin: { service: SERVICE, aggregateId: check._id },
      reason: 'origin-resolved',
    });
  }

  private jobOf(check: WelfareCheck): { providerId?: string; jobStatus: WelfareJobStatus } {
    return { jobStatus: check.jobStatus, ...(check.providerId ? { providerId: check.providerId } : {}) };
  }

  private recorded(check: WelfareCheck): { checkId: string; status: WelfareCheckStatus; version: number } {
    return { checkId: check._id, status: check.status, version: check.version };
  }

  /** An event on dispatch's job topic: subject and key the job id (the check id), jurisdiction the community. */
  private jobEvent<D extends EventDefinition>(
    definition: D,
    jobId: string,
    jurisdiction: string,
    data: EventData<D>,
  ): OutboxEntry {
    const correlationid = currentCorrelationId();
    return outboxEntry(
      definition,
      createEvent({
        source: SOURCE,
        type: definition.type,
        subject: jobId,
        jurisdiction,
        data,
        ...(correlationid ? { correlationid } : {}),
      }),
    );
  }
}
