// The use cases of cases: opening (by hand, from a dispute ticket), changes and parties, the mediator (requested
// from dispatch with the conflicted and released mediators excluded, assigned by a supervisor, recused), the time
// limit (its one extension, its breach), escalation and withdrawal, and dispatch's answers. Each change is one
// conditional write of the case with its events (CaseWriter), its timers set after.
import type { Actor } from '@linli/auth';
import {
  caseAssigned,
  caseClosed,
  caseEscalated,
  caseHighRisk,
  caseMediatorReleased,
  caseOpened,
  caseTimeLimitExtended,
  caseUpdated,
  jobCancellationRequested,
  jobRequested,
  sessionCancelled,
  type CloudEvent,
  type EventData,
  type jobAccepted,
  type jobCancelled,
  type jobEscalated,
  type JOB_CANCEL_REASONS,
  type ticketRouted,
  type ticketTriaged,
} from '@linli/contracts';
import { createIdempotently, type IdempotencyRecord, type OutboxEntry } from '@linli/persistence';
import {
  chinaDate,
  ConflictError,
  ForbiddenError,
  InjectConfig,
  normaliseIdentityNumber,
  NotFoundError,
  normalisePhone,
  ValidationError,
} from '@linli/platform';
import { Injectable, Logger } from '@nestjs/common';
import { timeLimitsByType, type MediationConfig } from '../config';
import { MediatorsService } from '../mediators/mediators.service';
import { cancelScheduledSessions, reminderKey } from '../sessions/session.rules';
import { MediationJobs } from '../scheduling.jobs';
import { Scheduler } from '@linli/scheduling';
import { CaseTimers } from './case-timers';
import { CaseWriter, type CaseDraft } from './case-writer';
import {
  assertCan,
  CaseConflictError,
  caseIdOf,
  caseIdOfTicket,
  caseOfMediatorJob,
  excludedMediators,
  extendedTimeLimit,
  holdsCase,
  isTimeLimitBreach,
  jobPriorityOf,
  mediatorJobId,
  nextEscalation,
  numberParties,
  replaceParties,
  riskOfTicketPriority,
  statusWhenAssigned,
  timeLimitFor,
  type CaseSource,
  type CaseState,
  type CaseType,
  type EscalationReason,
  type Party,
  type PartyInput,
  type ReleaseReason,
  type RiskLevel,
} from './case.rules';
import { CasesRepository, type CaseListFilter } from './cases.repository';
import type {
  AssignDto,
  CreateCaseDto,
  EscalateDto,
  ExtendDto,
  ListCasesQuery,
  ReplacePartiesDto,
  UpdateCaseDto,
} from './dto/case.dto';
import { TicketPrioritiesRepository } from './ticket-priorities.repository';

const SERVICE = 'mediation';
/** Every mediator job is a dispute in the catalogue, needing the skill of mediation. */
const JOB_CATEGORY = 'dispute';
const JOB_SKILL = 'mediation';
const DEFAULT_PAGE_SIZE = 20;
/** A request in dispatch that still binds a mediator or may still find one: withdrawn when the case moves on. */
const LIVE_REQUEST = ['requested', 'escalated', 'accepted'] as const;
/** A request still looking for a mediator. */
const OPEN_REQUEST = ['requested', 'escalated'] as const;

/** 409: a mediator opening a case with a party they declared a conflict with. Nothing is written. */
export class ConflictOfInterestError extends ConflictError {
  override readonly slug = 'conflict-of-interest';
  constructor(
    message: string,
    readonly partyIds: readonly string[],
  ) {
    super(message);
  }

  override extensions(): Record<string, unknown> {
    return { partyIds: this.partyIds };
  }
}

interface OpeningInput {
  caseId: string;
  caseType: CaseType;
  riskLevel: RiskLevel;
  source: CaseSource;
  ticketId?: string;
  communityCode: string;
  description: string;
  parties: Party[];
}

@Injectable()
export class CasesService {
  private readonly logger = new Logger(CasesService.name);
  private readonly timeLimits: ReturnType<typeof timeLimitsByType>;

  constructor(
    private readonly cases: CasesRepository,
    private readonly writer: CaseWriter,
    private readonly timers: CaseTimers,
    private readonly scheduler: Scheduler,
    private readonly mediators: MediatorsService,
    private readonly ticketPriorities: TicketPrioritiesRepository,
    @InjectConfig() private readonly config: MediationConfig,
  ) {
    this.timeLimits = timeLimitsByType(config);
  }

  // ---- opening -------------------------------------------------------------------------------------------------

  /**
   * A case opened by an operator, supervisor, admin or mediator. A mediator (with their providerId) holds it at
   * once, unless they declared a conflict with a party (409, nothing written); otherwise a mediator is requested
   * from dispatch. Under an Idempotency-Key (ADR 0035) a repeat answers the case the first call opened, as it is
   * now, and opens nothing.
   */
  async open(body: CreateCaseDto, actor: Actor, idempotency?: IdempotencyRecord): Promise<CaseState> {
    if (!actor.covers(body.communityCode)) {
      throw ValidationError.field('communityCode', 'is outside your jurisdiction', 400);
    }
    const opened = await createIdempotently(
      idempotency,
      (record) => this.cases.findCreatedUnder(record),
      () => this.openNew(body, actor, idempotency),
      (state) => state,
    );
    if (!opened) throw new Error('a new case id was taken: the daily sequence repeated a number');
    return opened;
  }

  private async openNew(
    body: CreateCaseDto,
    actor: Actor,
    idempotency: IdempotencyRecord | undefined,
  ): Promise<CaseState | undefined> {
    const parties = numberParties(this.partiesOf(body.parties ?? []));
    const now = new Date();
    const day = chinaDate(now);
    const caseId = caseIdOf(day, await this.cases.nextSequence(day));
    const opening = this.opening(
      {
        caseId,
        caseType: body.caseType,
        riskLevel: body.riskLevel ?? 'medium',
        source: actor.has('mediator') ? 'mediator' : 'operator',
        ...(body.ticketId ? { ticketId: body.ticketId } : {}),
        communityCode: body.communityCode,
        description: body.description,
        parties,
      },
      actor,
      now,
    );
    const conflicted = await this.mediators.conflictedWith(parties);
    const self = actor.has('mediator') ? actor.providerId : undefined;
    if (self && conflicted.includes(self)) {
      const partyIds = await this.mediators.partiesInConflict(self, parties);
      throw new ConflictOfInterestError(
        `you declared a conflict of interest with ${partyIds.join(', ')} of this case: it cannot be yours`,
        partyIds,
      );
    }
    if (self) this.assignTo(opening, { mediatorId: self, via: 'manual' }, actor, now);
    else this.requestMediator(opening, conflicted, now);
    const state = this.stored(opening);
    if (!(await this.cases.insert(state, opening.events, now, idempotency))) return undefined;
    await this.timers.armTimeLimit(state);
    return state;
  }

  /** resident-requests triaged a ticket: its priority kept for the case a later ticket.routed may open. */
  async rememberTicketPriority(event: CloudEvent<EventData<typeof ticketTriaged>>): Promise<void> {
    await this.ticketPriorities.remember(event.data.ticketId, event.data.priority, event.data.version);
  }

  /**
   * A ticket routed to mediation opens its case `C-<ticketId>` (type other until someone sets it, high risk when
   * the ticket was danger, no parties yet) and requests a mediator. A redelivery finds the case and does nothing.
   */
  async openFromTicket(event: CloudEvent<EventData<typeof ticketRouted>>): Promise<void> {
    const { ticketId, jurisdiction, routedTo } = event.data;
    if (routedTo !== 'mediation') return;
    const caseId = caseIdOfTicket(ticketId);
    if (await this.cases.get(caseId)) return;
    const now = new Date();
    const opening = this.opening(
      {
        caseId,
        caseType: 'other',
        riskLevel: riskOfTicketPriority(await this.ticketPriorities.priorityOf(ticketId)),
        source: 'ticket',
        ticketId,
        communityCode: jurisdiction,
        description: `由工单 ${ticketId} 转入 / From ticket ${ticketId}`,
        parties: [],
      },
      undefined,
      now,
    );
    this.requestMediator(opening, [], now);
    const state = this.stored(opening);
    if (!(await this.cases.insert(state, opening.events, now))) return;
    await this.timers.armTimeLimit(state);
  }

  // ---- reading -------------------------------------------------------------------------------------------------

  async get(caseId: string, actor: Actor): Promise<CaseState> {
    const state = await this.cases.findById(caseId, actor);
    if (!state) throw new NotFoundError('case', caseId);
    return state;
  }

  async list(
    query: ListCasesQuery,
    actor: Actor,
  ): Promise<{ items: CaseState[]; total: number; page: number; pageSize: number }> {
    const page = query.page ?? 1;
    const pageSize = Math.min(query.pageSize ?? DEFAULT_PAGE_SIZE, this.config.MAX_PAGE_SIZE);
    const filter: CaseListFilter = {
      ...(query.status ? { status: [query.status] } : {}),
      ...(query.caseType ? { caseType: [query.caseType] } : {}),
      ...(query.riskLevel ? { riskLevel: [query.riskLevel] } : {}),
      ...(query.escalated !== undefined ? { escalated: query.escalated } : {}),
      ...(query.ticketId ? { ticketId: query.ticketId } : {}),
    };
    if (query.mine) {
      // Only a mediator holds cases: anyone else holds none.
      if (!actor.has('mediator') || !actor.providerId) return { items: [], total: 0, page, pageSize };
      filter.mediatorId = actor.providerId;
    }
    const { items, total } = await this.cases.list(filter, actor, {
      skip: (page - 1) * pageSize,
      limit: pageSize,
    });
    return { items, total, page, pageSize };
  }

  // ---- changes -------------------------------------------------------------------------------------------------

  /** Type, risk, description. The time limit stays as fixed at opening. case.high-risk when it becomes high. */
  async update(caseId: string, body: UpdateCaseDto, actor: Actor): Promise<CaseState> {
    return this.change(caseId, actor, (current, now) => {
      this.assertMayChange(actor, current);
      assertCan('update', current);
      const changed: Array<'caseType' | 'riskLevel' | 'description'> = [];
      const draft = this.writer.draft(current);
      if (body.caseType !== undefined && body.caseType !== current.caseType) {
        draft.state.caseType = body.caseType;
        changed.push('caseType');
      }
      if (body.riskLevel !== undefined && body.riskLevel !== current.riskLevel) {
        draft.state.riskLevel = body.riskLevel;
        changed.push('riskLevel');
      }
      if (body.description !== undefined && body.description !== current.description) {
        draft.state.description = body.description;
        changed.push('description');
      }
      if (changed.length === 0) return undefined;
      draft.events.push(this.updatedEvent(draft, changed, actor));
      if (draft.state.riskLevel === 'high' && current.riskLevel !== 'high') {
        draft.events.push(this.highRiskEvent(draft, actor));
      }
      this.note(draft, now, `updated: ${changed.join(', ')}`, actor);
      return draft;
    });
  }

  /**
   * The parties replaced (ids kept for the same name and phone). A mediator holding the case who declared a
   * conflict with one of them is released and another requested without them; an open request that did not yet
   * exclude a newly conflicted mediator is withdrawn and asked again with the wider exclusion.
   */
  async replaceParties(caseId: string, body: ReplacePartiesDto, actor: Actor): Promise<CaseState> {
    const incoming = this.partiesOf(body.parties);
    return this.change(caseId, actor, async (current, now) => {
      this.assertMayChange(actor, current);
      assertCan('update', current);
      const draft = this.writer.draft(current);
      draft.state.parties = replaceParties(current.parties, current.sessions, incoming);
      draft.events.push(this.updatedEvent(draft, ['parties'], actor));
      this.note(draft, now, `parties: ${draft.state.parties.length}`, actor);
      const conflicted = await this.mediators.conflictedWith(draft.state.parties);
      const holder = current.mediator?.mediatorId;
      if (holder && conflicted.includes(holder)) {
        this.release(draft, current, 'conflict-of-interest', actor, now);
        this.requestMediator(draft, conflicted, now);
      } else if (
        current.status === 'open' &&
        current.request &&
        (OPEN_REQUEST as readonly string[]).includes(current.request.status) &&
        conflicted.some((mediatorId) => !current.request!.excluded.includes(mediatorId))
      ) {
        this.withdrawRequest(draft, 'manual');
        this.requestMediator(draft, conflicted, now);
      }
      return draft;
    });
  }

  /**
   * A supervisor gives the case to a mediator: from open (an open dispatch request withdrawn), or from another
   * mediator (released, reason reassigned). Refused (409) for a mediator with a conflict with a party, or one who
   * recused from this case for a conflict.
   */
  async assign(caseId: string, body: AssignDto, actor: Actor): Promise<CaseState> {
    return this.change(caseId, actor, async (current, now) => {
      if (current.outcome) {
        throw new CaseConflictError(
          'assign',
          current,
          `case ${caseId} has its outcome: it needs no mediator`,
        );
      }
      assertCan('assign', current);
      const { mediatorId } = body;
      if (current.mediator?.mediatorId === mediatorId) {
        throw new CaseConflictError('assign', current, `mediator ${mediatorId} holds case ${caseId} already`);
      }
      if (
        current.released.some(
          (release) => release.mediatorId === mediatorId && release.reason === 'conflict-of-interest',
        )
      ) {
        throw new CaseConflictError(
          'assign',
          current,
          `mediator ${mediatorId} was released from case ${caseId} for a conflict of interest`,
        );
      }
      const conflicted = await this.mediators.conflictedWith(current.parties);
      if (conflicted.includes(mediatorId)) {
        throw new CaseConflictError(
          'assign',
          current,
          `mediator ${mediatorId} declared a conflict of interest with a party of case ${caseId}`,
        );
      }
      const draft = this.writer.draft(current);
      if (current.mediator) this.release(draft, current, 'reassigned', actor, now, { cancelSessions: false });
      else this.withdrawRequest(draft, 'manual');
      this.assignTo(draft, { mediatorId, via: 'manual' }, actor, now, body.note);
      return draft;
    });
  }

  /** The mediator holding the case steps aside (回避): released, sessions called off, another requested. */
  async recuse(caseId: string, reason: string, actor: Actor): Promise<CaseState> {
    return this.change(caseId, actor, async (current, now) => {
      if (!holdsCase(actor, current)) {
        throw new ForbiddenError(`only the mediator holding case ${caseId} may recuse from it`);
      }
      assertCan('release', current);
      const draft = this.writer.draft(current);
      this.release(draft, current, 'conflict-of-interest', actor, now, { note: reason });
      this.requestMediator(draft, await this.mediators.conflictedWith(current.parties), now);
      return draft;
    });
  }

  /** The one extension of the time limit, with a reason; the timer moved with it. */
  async extend(caseId: string, body: ExtendDto, actor: Actor): Promise<CaseState> {
    if (body.days !== undefined && body.untilAt !== undefined) {
      throw ValidationError.field('untilAt', 'give days or untilAt, not both', 400);
    }
    return this.change(caseId, actor, (current, now) => {
      if (!actor.has('supervisor', 'admin') && !holdsCase(actor, current)) {
        throw new ForbiddenError(
          `only the mediator holding case ${caseId}, or a supervisor, may extend its limit`,
        );
      }
      const result = extendedTimeLimit(
        current,
        { days: body.days, untilAt: body.untilAt !== undefined ? new Date(body.untilAt) : undefined },
        this.config.CASE_MAX_EXTENSION_MS,
      );
      if ('conflict' in result) throw new CaseConflictError('extend', current, result.conflict);
      if ('field' in result) throw ValidationError.field(result.field, result.message, 400);
      assertCan('extend', current);
      const draft = this.writer.draft(current);
      draft.state.extension = {
        at: now,
        actorId: actor.userId,
        reason: body.reason,
        previousTimeLimitAt: current.timeLimitAt,
      };
      draft.state.timeLimitAt = result.timeLimitAt;
      draft.events.push(
        this.writer.event(caseTimeLimitExtended, draft.state, {
          ...this.refOf(draft),
          previousTimeLimitAt: current.timeLimitAt.toISOString(),
          timeLimitAt: result.timeLimitAt.toISOString(),
          actorId: actor.userId,
        }),
      );
      this.note(draft, now, 'time limit extended', actor, body.reason);
      draft.timers.push(() => this.timers.moveTimeLimit(caseId, current.timeLimitAt, draft.state));
      return draft;
    });
  }

  /** A supervisor sends the case one level up by hand. */
  async escalate(caseId: string, body: EscalateDto, actor: Actor): Promise<CaseState> {
    return this.change(caseId, actor, (current, now) => {
      assertCan('escalate', current);
      const draft = this.writer.draft(current);
      this.escalateDraft(draft, current, 'manual', now, { actor, note: body.note });
      return draft;
    });
  }

  /** The parties gave up the mediation (撤回): closed, its timers and its dispatch request withdrawn. */
  async withdraw(caseId: string, reason: string, actor: Actor): Promise<CaseState> {
    return this.change(caseId, actor, (current, now) => {
      this.assertMayChange(actor, current);
      assertCan('withdraw', current);
      const draft = this.writer.draft(current);
      this.cancelSessions(draft, current, actor);
      for (const followUp of draft.state.followUps) {
        if (followUp.status !== 'scheduled' && followUp.status !== 'due') continue;
        followUp.status = 'cancelled';
        draft.timers.push(() => this.timers.cancelFollowUp(caseId, followUp.followUpId));
      }
      this.withdrawRequest(draft, 'origin-cancelled');
      draft.state.status = 'closed';
      draft.state.closed = { reason: 'withdrawn', at: now, actorId: actor.userId };
      draft.events.push(
        this.writer.event(caseClosed, draft.state, {
          ...this.refOf(draft),
          reason: 'withdrawn',
          ...(current.ticketId ? { ticketId: current.ticketId } : {}),
          actorId: actor.userId,
        }),
      );
      this.note(draft, now, 'withdrawn', actor, reason);
      draft.timers.push(() => this.timers.cancelTimeLimit(current));
      return draft;
    });
  }

  // ---- the time limit ------------------------------------------------------------------------------------------

  /**
   * The time-limit timer fired (due at `dueAt`): a case without outcome past its current limit escalates one level
   * up, once per limit. A redelivery, or the timer of a limit since extended, does nothing.
   */
  async timeLimitDue(caseId: string, dueAt: Date): Promise<void> {
    await this.writer.change(
      caseId,
      undefined,
      (current, now) => {
        const at = new Date(Math.max(now.getTime(), dueAt.getTime()));
        if (!isTimeLimitBreach(current, at)) return undefined;
        const draft = this.writer.draft(current);
        this.escalateDraft(draft, current, 'time-limit-breached', now, { timeLimitAt: current.timeLimitAt });
        return draft;
      },
      { missing: 'ignore' },
    );
  }

  // ---- dispatch's answers --------------------------------------------------------------------------------------

  /** A mediator took the case's current job: they hold it (unless they declared a conflict since it was asked). */
  async onJobAccepted(event: CloudEvent<EventData<typeof jobAccepted>>): Promise<void> {
    const { jobId, providerId, providerKind } = event.data;
    await this.onCurrentRequest(jobId, async (current, now) => {
      if (
        current.status !== 'open' ||
        !(OPEN_REQUEST as readonly string[]).includes(current.request!.status)
      ) {
        return undefined;
      }
      const draft = this.writer.draft(current);
      const conflicted = await this.mediators.conflictedWith(current.parties);
      if (
        conflicted.includes(providerId) ||
        current.released.some((release) => release.mediatorId === providerId)
      ) {
        // Declared after the request went out (or released meanwhile): never theirs; asked again without them.
        this.logger.warn({
          msg: 'a conflicted mediator accepted; asking again',
          caseId: current.caseId,
          jobId,
        });
        this.withdrawRequest(draft, 'manual');
        this.requestMediator(draft, [...conflicted, providerId], now);
        return draft;
      }
      draft.state.request!.status = 'accepted';
      this.assignTo(draft, { mediatorId: providerId, via: 'dispatch', jobId, providerKind }, undefined, now);
      return draft;
    });
  }

  /** Nobody took the case's job (or a coordinator escalated it): the case goes one level up, for want of one. */
  async onJobEscalated(event: CloudEvent<EventData<typeof jobEscalated>>): Promise<void> {
    await this.onCurrentRequest(event.data.jobId, (current, now) => {
      if (current.status !== 'open' || current.request!.status !== 'requested') return undefined;
      const draft = this.writer.draft(current);
      draft.state.request!.status = 'escalated';
      this.escalateDraft(draft, current, 'no-mediator', now, {});
      return draft;
    });
  }

  /** Dispatch cancelled the case's open job (a coordinator): recorded; the supervisors assign by hand. */
  async onJobCancelled(event: CloudEvent<EventData<typeof jobCancelled>>): Promise<void> {
    await this.onCurrentRequest(event.data.jobId, (current, now) => {
      if (
        current.status !== 'open' ||
        !(OPEN_REQUEST as readonly string[]).includes(current.request!.status)
      ) {
        return undefined;
      }
      const draft = this.writer.draft(current);
      draft.state.request!.status = 'cancelled';
      this.note(draft, now, `dispatch cancelled ${event.data.jobId}`);
      return draft;
    });
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  private change(
    caseId: string,
    actor: Actor,
    decide: (current: CaseState, now: Date) => CaseDraft | undefined | Promise<CaseDraft | undefined>,
  ): Promise<CaseState> {
    return this.writer.change(caseId, actor, decide) as Promise<CaseState>;
  }

  /** Job events about a case's current request only; other services' jobs and earlier attempts are ignored. */
  private async onCurrentRequest(
    jobId: string,
    decide: (current: CaseState, now: Date) => CaseDraft | undefined | Promise<CaseDraft | undefined>,
  ): Promise<void> {
    const ref = caseOfMediatorJob(jobId);
    if (!ref) return;
    await this.writer.change(
      ref.caseId,
      undefined,
      (current, now) => (current.request?.jobId === jobId ? decide(current, now) : undefined),
      { missing: 'ignore' },
    );
  }

  /** Changes by the mediator holding the case, operators, supervisors and admins; other mediators read only. */
  private assertMayChange(actor: Actor, state: CaseState): void {
    if (actor.has('operator', 'supervisor', 'admin') || holdsCase(actor, state)) return;
    throw new ForbiddenError(`only the mediator holding case ${state.caseId} (or staff) may change it`);
  }

  private partiesOf(
    parties: ReadonlyArray<PartyInput>,
  ): Array<PartyInput & Pick<Party, 'phoneHash' | 'identityHash'>> {
    return parties.map((party) => {
      const phone = party.phone !== undefined ? normalisePhone(party.phone) : undefined;
      const identityNumber =
        party.identityNumber !== undefined ? normaliseIdentityNumber(party.identityNumber) : undefined;
      return {
        role: party.role,
        name: party.name.trim(),
        ...(phone ? { phone } : {}),
        ...(identityNumber ? { identityNumber } : {}),
        ...this.mediators.hashes({ phone, identityNumber }),
      };
    });
  }

  /**
   * A new case with case.opened (+ case.high-risk); the mediator's part is added by the caller. Its draft state
   * has version -1 while it is built, so that every event of the insert is at version 0 (refOf: version + 1);
   * `stored` gives it the version the insert stores.
   */
  private opening(input: OpeningInput, actor: Actor | undefined, now: Date): CaseDraft {
    const state: CaseState = {
      ...input,
      version: -1,
      status: 'open',
      openedAt: now,
      ...(actor ? { openedBy: actor.userId } : {}),
      timeLimitAt: timeLimitFor(input.caseType, now, this.timeLimits),
      released: [],
      sessions: [],
      previousOutcomes: [],
      followUps: [],
      escalations: [],
      timeline: [],
    };
    const draft: CaseDraft = { state, events: [], timers: [] };
    draft.events.push(
      this.writer.event(caseOpened, state, {
        ...this.refOf(draft),
        caseType: state.caseType,
        riskLevel: state.riskLevel,
        source: state.source,
        ...(state.ticketId ? { ticketId: state.ticketId } : {}),
        partyCount: state.parties.length,
        timeLimitAt: state.timeLimitAt.toISOString(),
        ...(actor ? { actorId: actor.userId } : {}),
      }),
    );
    if (state.riskLevel === 'high') draft.events.push(this.highRiskEvent(draft, actor));
    this.note(draft, now, `opened (${state.source})`, actor);
    return draft;
  }

  /** A new case's state as its insert stores it (version 0). */
  private stored(draft: CaseDraft): CaseState {
    draft.state.version = 0;
    return draft.state;
  }

  /** The mediator holds the case (dispatch's job.accepted, a supervisor, or the mediator opening it). */
  private assignTo(
    draft: CaseDraft,
    assignment: { mediatorId: string; via: 'dispatch' | 'manual'; jobId?: string; providerKind?: string },
    actor: Actor | undefined,
    now: Date,
    note?: string,
  ): void {
    const state = draft.state;
    const ref = this.refOf(draft);
    state.mediator = {
      mediatorId: assignment.mediatorId,
      via: assignment.via,
      ...(assignment.jobId ? { jobId: assignment.jobId } : {}),
      ...(assignment.providerKind ? { providerKind: assignment.providerKind } : {}),
      at: now,
      ...(actor ? { actorId: actor.userId } : {}),
    };
    if (state.status === 'open') state.status = statusWhenAssigned(state);
    draft.events.push(
      this.writer.event(caseAssigned, state, {
        ...ref,
        mediatorId: assignment.mediatorId,
        ...(assignment.providerKind ? { providerKind: assignment.providerKind as never } : {}),
        via: assignment.via,
        ...(assignment.jobId ? { jobId: assignment.jobId } : {}),
        ...(state.ticketId ? { ticketId: state.ticketId } : {}),
        ...(actor ? { actorId: actor.userId } : {}),
      }),
    );
    this.note(draft, now, `assigned to ${assignment.mediatorId} (${assignment.via})`, actor, note);
  }

  /**
   * Asks dispatch for a mediator: the next attempt's job (`<caseId>-M<n>`), skill mediation in the case's
   * community, never offered to a conflicted or released mediator.
   */
  private requestMediator(draft: CaseDraft, conflicted: readonly string[], now: Date): void {
    const state = draft.state;
    const attempt = (state.request?.attempt ?? 0) + 1;
    const jobId = mediatorJobId(state.caseId, attempt);
    const excluded = excludedMediators(state, conflicted);
    state.request = { jobId, attempt, status: 'requested', excluded, at: now };
    if (state.status !== 'open' && !state.mediator) state.status = 'open';
    draft.events.push(
      this.writer.jobEvent(jobRequested, jobId, state, {
        jobId,
        jurisdiction: state.communityCode,
        origin: { service: SERVICE, aggregateId: state.caseId },
        category: JOB_CATEGORY,
        skill: JOB_SKILL,
        priority: jobPriorityOf(state.riskLevel),
        dueBy: new Date(now.getTime() + this.config.MEDIATOR_ACCEPT_WITHIN_MS).toISOString(),
        excludedProviderIds: excluded,
      }),
    );
    this.note(draft, now, `mediator requested (${jobId}, ${excluded.length} excluded)`);
  }

  /** The case's live dispatch job withdrawn (job.cancellation-requested); its answers are ignored from now on. */
  private withdrawRequest(draft: CaseDraft, reason: (typeof JOB_CANCEL_REASONS)[number]): void {
    const request = draft.state.request;
    if (!request || !(LIVE_REQUEST as readonly string[]).includes(request.status)) return;
    request.status = 'cancelled';
    draft.events.push(
      this.writer.jobEvent(jobCancellationRequested, request.jobId, draft.state, {
        jobId: request.jobId,
        jurisdiction: draft.state.communityCode,
        origin: { service: SERVICE, aggregateId: draft.state.caseId },
        reason,
      }),
    );
  }

  /**
   * The mediator holding the case lets it go: recorded as released (never offered it again), their dispatch job
   * withdrawn, and (but for a reassignment) the scheduled sessions called off and the case open again.
   */
  private release(
    draft: CaseDraft,
    current: CaseState,
    reason: ReleaseReason,
    actor: Actor,
    now: Date,
    options: { cancelSessions?: boolean; note?: string } = {},
  ): void {
    const mediator = current.mediator;
    if (!mediator) return;
    const state = draft.state;
    state.released.push({ mediatorId: mediator.mediatorId, reason, at: now, actorId: actor.userId });
    draft.events.push(
      this.writer.event(caseMediatorReleased, state, {
        ...this.refOf(draft),
        mediatorId: mediator.mediatorId,
        reason,
        ...(state.ticketId ? { ticketId: state.ticketId } : {}),
        actorId: actor.userId,
      }),
    );
    this.note(draft, now, `mediator ${mediator.mediatorId} released (${reason})`, actor, options.note);
    this.withdrawRequest(draft, 'manual');
    delete state.mediator;
    if (options.cancelSessions === false) return;
    this.cancelSessions(draft, current, actor);
    state.status = 'open';
  }

  /** Every scheduled session called off (session.cancelled each), their reminders' timers withdrawn. */
  private cancelSessions(draft: CaseDraft, current: CaseState, actor?: Actor): void {
    const { sessions, actions } = cancelScheduledSessions(draft.state);
    for (const session of sessions) {
      draft.events.push(
        this.writer.event(sessionCancelled, draft.state, {
          ...this.refOf(draft),
          sessionId: session.sessionId,
          ...(actor ? { actorId: actor.userId } : {}),
        }),
      );
    }
    for (const action of actions) {
      if (action.kind !== 'cancel') continue;
      draft.timers.push(() =>
        this.scheduler.cancel(
          MediationJobs.sessionReminder,
          reminderKey(current.caseId, action.sessionId, action.reminder),
        ),
      );
    }
  }

  /** One level up from the last escalation (the first: from the community), with case.escalated. */
  private escalateDraft(
    draft: CaseDraft,
    current: CaseState,
    reason: EscalationReason,
    now: Date,
    options: { actor?: Actor; note?: string; timeLimitAt?: Date },
  ): void {
    const { escalatedTo, level } = nextEscalation(current);
    draft.state.escalations.push({
      reason,
      escalatedTo,
      level,
      at: now,
      ...(options.actor ? { actorId: options.actor.userId } : {}),
      ...(options.note ? { note: options.note } : {}),
      ...(options.timeLimitAt ? { timeLimitAt: options.timeLimitAt } : {}),
    });
    draft.events.push(
      this.writer.event(caseEscalated, draft.state, {
        ...this.refOf(draft),
        reason,
        escalatedTo,
        level,
        ...(options.actor ? { actorId: options.actor.userId } : {}),
      }),
    );
    this.note(
      draft,
      now,
      `escalated to ${escalatedTo} (${reason}, level ${level})`,
      options.actor,
      options.note,
    );
  }

  private updatedEvent(
    draft: CaseDraft,
    changed: Array<'caseType' | 'riskLevel' | 'parties' | 'description'>,
    actor: Actor,
  ): OutboxEntry {
    const state = draft.state;
    return this.writer.event(caseUpdated, state, {
      ...this.refOf(draft),
      caseType: state.caseType,
      riskLevel: state.riskLevel,
      partyCount: state.parties.length,
      changed,
      actorId: actor.userId,
    });
  }

  private highRiskEvent(draft: CaseDraft, actor: Actor | undefined): OutboxEntry {
    const state = draft.state;
    return this.writer.event(caseHighRisk, state, {
      ...this.refOf(draft),
      caseType: state.caseType,
      ...(state.ticketId ? { ticketId: state.ticketId } : {}),
      ...(actor ? { actorId: actor.userId } : {}),
    });
  }

  /** The version the draft's write will store: a new case's 0, a change's current + 1. */
  private refOf(draft: CaseDraft): { caseId: string; version: number; jurisdiction: string } {
    const state = draft.state;
    return { caseId: state.caseId, version: state.version + 1, jurisdiction: state.communityCode };
  }

  private note(draft: CaseDraft, at: Date, what: string, actor?: Actor, note?: string): void {
    draft.state.timeline.push({
      at,
      what,
      ...(actor ? { actorId: actor.userId } : {}),
      ...(note ? { note } : {}),
    });
  }
}
