// The use cases of a ticket: intake (triage and routing in the same write), the operator's commands, the job
// events that move it, the service-level timers and the call-back (回访). Every change is one conditional write of
// the ticket with the events it causes (transactional outbox), retried against the fresh state when it loses a race.
import { Actor } from '@linli/auth';
import {
  createEvent,
  feedbackRecorded,
  jobCancellationRequested,
  jobRequested,
  TICKET_CHANNELS,
  ticketAssigned,
  ticketCallbackDue,
  ticketCancelled,
  ticketClosed,
  ticketCreated,
  ticketEscalated,
  ticketReopened,
  ticketResolved,
  ticketRouted,
  ticketStarted,
  ticketTriaged,
  type CloudEvent,
  type EventData,
  type EventDefinition,
  type jobAccepted,
  type jobCancelled,
  type jobCompleted,
  type jobDeclined,
  type jobEscalated,
  type jobExpired,
  type jobStarted,
  type TICKET_REOPEN_REASONS,
  type visitFindingReported,
} from '@linli/contracts';
import { administrativeTree } from '@linli/divisions';
import {
  ConcurrencyConflictError,
  createIdempotently,
  outboxEntry,
  type IdempotencyRecord,
  type OutboxEntry,
} from '@linli/persistence';
import {
  InjectConfig,
  NotFoundError,
  ValidationError,
  chinaDate,
  currentCorrelationId,
  endOfChinaDay,
  isPhone,
  phoneHash,
  type FieldError,
} from '@linli/platform';
import { Scheduler } from '@linli/scheduling';
import { Injectable, Logger } from '@nestjs/common';
import type { CategoryDefinition, TicketPriority } from '../catalogue/catalogue.types';
import { CatalogueService } from '../catalogue/catalogue.service';
import type { ResidentRequestsConfig } from '../config';
import { RequestJobs } from '../scheduling.jobs';
import { callbackFallsDue, callbackOperatorOf, callbackOutcome } from './callback.rules';
import { duplicateCriteria, NOT_DUPLICATE_STATUSES } from './duplicate.rules';
import { jobPriorityOf, triagePriority, type PriorityDecision } from './priority.rules';
import { deadlinesFor, escalationLevel, isBreach } from './service-level.rules';
import type { CreateTicketCommand, TicketListFilter } from './ticket.commands';
import {
  ADDRESS_MAX_LENGTH,
  NAME_MAX_LENGTH,
  VULNERABLE_GROUPS,
  assertCan,
  canReopen,
  formatTicketId,
  holdsTicket,
  IllegalTransitionError,
  JOB_OPEN_STATUSES,
  OPEN_STATUSES,
  jobIdOf,
  note,
  transition,
  type DeadlineKind,
  type TicketCancelReason,
  type TicketResolution,
  type TicketState,
  type TimelineEntry,
} from './ticket.rules';
import {
  contactDisclosureFor,
  ticketDisclosureFor,
  toContactView,
  toSummary,
  toView,
  type ContactView,
  type Disclosure,
  type TicketSummary,
  type TicketView,
} from './ticket.view';
import { TicketsRepository } from './tickets.repository';
import { findingPriority, findingTicket } from './visit-finding.rules';
import { followCase, MEDIATION_ROLE, type CaseEvent } from './mediation-case.rules';

export const SOURCE = '/linli/resident-requests';
const SERVICE = 'resident-requests';

/** Open311's list may ask for up to 1000 requests at once (GeoReport's default); HTTP lists stop at MAX_PAGE_SIZE. */
export const LIST_MAX_ITEMS = 1000;
const DEFAULT_PAGE_SIZE = 20;
/** Most open tickets the duplicate warning lists for one phone (a caller with more is a case for a supervisor). */
const OPEN_BY_PHONE_LIMIT = 20;

/** An open ticket of a phone number, as the operator's duplicate warning shows it. */
export interface OpenTicketRef {
  ticketId: string;
  category: string;
  status: string;
  communityCode: string;
  createdAt: string;
}
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

type ReopenReason = (typeof TICKET_REOPEN_REASONS)[number];

/** A ticket about to be written, and the events the write carries. */
interface Draft {
  state: TicketState;
  events: OutboxEntry[];
  /**
   * Timers to set once the write is stored (a timer set first could fire before the ticket exists). A crash between
   * the two is covered by TicketTimersReconciler, which sets the timers of every waiting ticket again at start-up.
   */
  timers: (() => Promise<unknown>)[];
}

@Injectable()
export class TicketsService {
  private readonly logger = new Logger(TicketsService.name);

  constructor(
    private readonly tickets: TicketsRepository,
    private readonly catalogue: CatalogueService,
    private readonly scheduler: Scheduler,
    @InjectConfig() private readonly config: ResidentRequestsConfig,
  ) {}

  // ---- intake ----------------------------------------------------------------------------------------------------

  /**
   * Takes a request in: new → triaged → dispatched (job requested) or routed, all in one write. Under an
   * Idempotency-Key (ADR 0035) a repeat answers the ticket the first call created, as it is now, and creates nothing.
   */
  async create(
    command: CreateTicketCommand,
    actor: Actor,
    idempotency?: IdempotencyRecord,
  ): Promise<TicketView> {
    const category = this.validateCreate(command);
    let ticketId = '';
    const created = await createIdempotently(
      idempotency,
      (record) => this.tickets.findCreatedUnder(record),
      async () => {
        const now = new Date();
        ticketId = await this.newTicketId(now);
        return this.intake(command, category, actor, { ticketId, now, idempotency });
      },
      (ticket) => ticket,
    );
    if (!created) throw new Error(`ticket ${ticketId} exists already: the daily sequence repeated a number`);
    return toView(created, category, ticketDisclosureFor(actor));
  }

  /**
   * A need discovered on an elder-care visit (visit.finding-reported) becomes one ticket of channel visit, however
   * often the event is delivered and wherever a crash interrupts: the finding is first claimed with the ticket id
   * chosen for it, then the ticket is inserted with that id; a repeat finds the claim and the ticket, and stops.
   * The ticket is triaged and dispatched like any other; an urgent observation makes it the highest priority.
   */
  async openFromVisitFinding(event: CloudEvent<EventData<typeof visitFindingReported>>): Promise<void> {
    const finding = event.data;
    const command = findingTicket(finding);
    // A finding that cannot be a ticket (a community not in the tree) fails here and is dead-lettered.
    const category = this.validateCreate(command);
    const now = new Date();
    const ticketId =
      (await this.tickets.findingClaim(finding.findingId)) ??
      (await this.tickets.claimFinding(finding.findingId, finding.visitId, await this.newTicketId(now)));
    if (await this.tickets.exists(ticketId)) return;
    const created = await this.intake(command, category, Actor.system(), {
      ticketId,
      now,
      priority: (triaged) => findingPriority(triaged, finding),
      note: `finding ${finding.findingId}`,
    });
    if (created) {
      this.logger.log({ msg: 'visit finding opened a ticket', findingId: finding.findingId, ticketId });
    }
  }

  /**
   * new → triaged → dispatched (job requested) or routed, all in one write, under the id given. Undefined when a
   * ticket with that id exists already (a visit finding's ticket, delivered again).
   */
  private async intake(
    command: CreateTicketCommand,
    category: CategoryDefinition,
    actor: Actor,
    options: {
      ticketId: string;
      now: Date;
      priority?: (triaged: PriorityDecision) => PriorityDecision;
      note?: string;
      idempotency?: IdempotencyRecord;
    },
  ): Promise<TicketState | undefined> {
    const { ticketId, now } = options;
    const reporter = command.reporter ?? {};
    const hash = reporter.phone ? phoneHash(reporter.phone, this.config.PHONE_HASH_KEY) : undefined;
    const criteria = duplicateCriteria(
      { phoneHash: hash, category: category.code, communityCode: command.place.communityCode },
      now,
      this.config.DUPLICATE_WINDOW_MS,
    );
    const likelyDuplicateOf = criteria ? await this.tickets.findLikelyDuplicate(criteria) : undefined;
    const vulnerable = [...new Set(reporter.vulnerable ?? [])];
    const triaged = triagePriority({
      defaultPriority: category.defaultPriority,
      description: command.description,
      vulnerable,
    });
    const priority = options.priority ? options.priority(triaged) : triaged;

    const created: TicketState = {
      ticketId,
      status: 'new',
      channel: command.channel,
      category: category.code,
      serviceClass: category.serviceClass,
      reporter: {
        ...(reporter.name ? { name: reporter.name } : {}),
        ...(reporter.phone ? { phone: reporter.phone } : {}),
        ...(hash ? { phoneHash: hash } : {}),
        vulnerable,
      },
      place: {
        communityCode: command.place.communityCode,
        address: command.place.address,
        ...(command.place.location
          ? { location: { lat: command.place.location.lat, lng: command.place.location.lng } }
          : {}),
      },
      description: command.description,
      jurisdiction: command.place.communityCode,
      priority: {
        level: priority.level,
        source: 'rules',
        ...(priority.reason ? { reason: priority.reason } : {}),
      },
      ...(likelyDuplicateOf ? { likelyDuplicateOf } : {}),
      ...(command.sourceVisitId ? { sourceVisitId: command.sourceVisitId } : {}),
      jobCount: 0,
      jobEscalated: false,
      serviceLevel: {
        startedAt: now,
        acceptDueAt: now,
        resolveDueAt: now,
        revision: 0,
        breached: false,
        breaches: [],
      },
      createdAt: now,
      updatedAt: now,
      version: 0,
      timeline: [
        {
          at: now,
          to: 'new',
          ...this.who(actor),
          reason: command.channel,
          ...(options.note ? { note: options.note } : {}),
        },
      ],
    };
    const draft: Draft = { state: created, events: [], timers: [] };
    draft.events.push(
      this.event(ticketCreated, created, {
        ...this.ref(created, 0),
        channel: created.channel,
        category: created.category,
        ...(likelyDuplicateOf ? { likelyDuplicateOf } : {}),
        ...(created.sourceVisitId ? { sourceVisitId: created.sourceVisitId } : {}),
        ...this.actorOf(actor),
      }),
    );
    this.triage(draft, category, now, actor, 0, { command: 'triage', reason: priority.reason });
    this.routeOrDispatch(draft, category, now, actor, 0);

    if (!(await this.tickets.insert(draft.state, draft.events, options.idempotency))) return undefined;
    await this.runTimers(draft);
    this.logger.log({ msg: 'ticket created', ticketId, category: category.code, status: draft.state.status });
    return draft.state;
  }

  /** The next readable ticket id of the day in China. */
  private async newTicketId(now: Date): Promise<string> {
    const day = chinaDate(now);
    return formatTicketId(day, await this.tickets.nextSequence(day));
  }

  // ---- reads ----------------------------------------------------------------------------------------------------

  async get(ticketId: string, actor: Actor): Promise<TicketView> {
    const ticket = await this.load(ticketId, actor);
    return toView(ticket, this.catalogue.find(ticket.category), ticketDisclosureFor(actor));
  }

  /**
   * Open tickets of the caller's jurisdiction whose reporter has this phone (by its keyed hash, as the duplicate
   * rule finds them): ids, categories and statuses only, so the answer carries nothing personal.
   */
  async openByPhone(phone: string, actor: Actor): Promise<OpenTicketRef[]> {
    const documents = await this.tickets.openByPhoneHash(
      phoneHash(phone, this.config.PHONE_HASH_KEY),
      NOT_DUPLICATE_STATUSES,
      actor,
      OPEN_BY_PHONE_LIMIT,
    );
    return documents.map((document) => ({
      ticketId: document._id,
      category: document.category,
      status: document.status,
      communityCode: document.place.communityCode,
      createdAt: new Date(document.createdAt).toISOString(),
    }));
  }

  /**
   * Newest first, within the actor's jurisdiction; addresses masked, since lists are for overseeing. Open311 asks
   * for them whole ('whole'): it publishes only the addresses its own clients posted and withholds the others.
   */
  async list(
    filter: TicketListFilter,
    actor: Actor,
    disclosure: Disclosure = 'masked',
  ): Promise<{ items: TicketSummary[]; total: number; page: number; pageSize: number }> {
    const page = Math.max(1, Math.floor(filter.page ?? 1));
    const pageSize = Math.min(LIST_MAX_ITEMS, Math.max(1, Math.floor(filter.pageSize ?? DEFAULT_PAGE_SIZE)));
    const { items, total } = await this.tickets.list(filter, actor, {
      skip: (page - 1) * pageSize,
      limit: pageSize,
    });
    return {
      items: items.map((ticket) => toSummary(ticket, this.catalogue.find(ticket.category), disclosure)),
      total,
      page,
      pageSize,
    };
  }

  /**
   * The call-back worklist (回访) of `date` (YYYY-MM-DD in China, default today): every call-back whose time has
   * come by the end of that day and that nobody has answered yet, oldest first, with the reporter to call.
   */
  async callbacks(
    date: string | undefined,
    actor: Actor,
  ): Promise<{
    date: string;
    items: (TicketSummary & { reporter: TicketView['reporter'] })[];
    total: number;
  }> {
    const day = date ?? chinaDate(new Date());
    const due = await this.tickets.dueCallbacks(
      endOfChinaDay(day),
      actor,
      this.config.CALLBACK_WORKLIST_LIMIT,
    );
    const items = due.map((ticket) => {
      const view = toView(ticket, this.catalogue.find(ticket.category), ticketDisclosureFor(actor));
      const { timeline: _timeline, ...rest } = view;
      return rest;
    });
    return { date: day, items, total: items.length };
  }

  /**
   * The resident's contact for the provider holding the ticket's job, while it holds it (assigned or in progress),
   * or for the mediator holding the mediation case of a routed ticket, while it is routed; anyone else with the
   * provider or mediator role gets 404, as if the ticket did not exist. Operators see it whole within their
   * jurisdiction; supervisors and admins see it masked (they oversee, they do not call).
   */
  async contact(ticketId: string, actor: Actor): Promise<ContactView> {
    const ticket = await this.load(ticketId, actor);
    const operatorLike = actor.has('operator', 'supervisor', 'admin');
    const holds = holdsTicket(ticket, actor.providerId);
    if (!operatorLike && !holds) throw new NotFoundError('ticket', ticketId);
    return toContactView(ticket, contactDisclosureFor(actor, holds));
  }

  // ---- operators' commands ----------------------------------------------------------------------------------------

  /** Sets the priority by hand (with a reason): new deadlines from the same start, ticket.triaged overridden. */
  async reprioritise(
    ticketId: string,
    input: { priority: TicketPriority; reason: string },
    actor: Actor,
  ): Promise<TicketView> {
    const after = await this.change(
      () => this.tickets.findById(ticketId, actor),
      ticketId,
      (ticket) => {
        assertCan('reprioritise', ticket);
        const category = this.catalogue.get(ticket.category);
        const now = new Date();
        const from = ticket.priority.level;
        const draft: Draft = {
          state: {
            ...ticket,
            priority: { level: input.priority, source: 'override', reason: input.reason },
          },
          events: [],
          timers: [],
        };
        this.triage(draft, category, now, actor, ticket.version + 1, {
          command: 'reprioritise',
          reason: 'priority-override',
          note: `${from} → ${input.priority}: ${input.reason}`,
          overridden: true,
          startedAt: ticket.serviceLevel.startedAt,
        });
        return draft;
      },
    );
    return this.viewOf(after, actor);
  }

  /** Cancels an open ticket; a job still open in dispatch is withdrawn (job.cancellation-requested). */
  async cancel(
    ticketId: string,
    input: { reason: TicketCancelReason; note?: string },
    actor: Actor,
  ): Promise<TicketView> {
    const after = await this.change(
      () => this.tickets.findById(ticketId, actor),
      ticketId,
      (ticket) => {
        assertCan('cancel', ticket);
        const now = new Date();
        const version = ticket.version + 1;
        const state = transition(
          ticket,
          'cancel',
          { at: now, ...this.who(actor), reason: input.reason, ...(input.note ? { note: input.note } : {}) },
          { cancelReason: input.reason },
        );
        const events = [
          this.event(ticketCancelled, state, {
            ...this.ref(state, version),
            reason: input.reason,
            ...this.actorOf(actor),
          }),
        ];
        if (ticket.jobId && (JOB_OPEN_STATUSES as readonly string[]).includes(ticket.status)) {
          events.push(
            this.event(
              jobCancellationRequested,
              state,
              {
                jobId: ticket.jobId,
                jurisdiction: ticket.jurisdiction,
                origin: { service: SERVICE, aggregateId: ticket.ticketId },
                reason: 'origin-cancelled',
              },
              ticket.jobId,
            ),
          );
        }
        return { state, events, timers: [] };
      },
    );
    return this.viewOf(after, actor);
  }

  /** Reopens a resolved ticket (or one closed within REOPEN_WINDOW_MS): triaged again, and a NEW job or route. */
  async reopen(
    ticketId: string,
    input: { reason: ReopenReason; note?: string },
    actor: Actor,
  ): Promise<TicketView> {
    const after = await this.change(
      () => this.tickets.findById(ticketId, actor),
      ticketId,
      (ticket) => {
        const now = new Date();
        if (!canReopen(ticket, now, this.config.REOPEN_WINDOW_MS))
          throw new IllegalTransitionError('reopen', ticket);
        const draft: Draft = { state: ticket, events: [], timers: [] };
        this.reopenInto(draft, now, actor, ticket.version + 1, input.reason, input.note);
        return draft;
      },
    );
    return this.viewOf(after, actor);
  }

  /** Resolves by hand a ticket a specialised service took over (routed), with its resolution. */
  async resolve(
    ticketId: string,
    input: { resolution: TicketResolution; note?: string },
    actor: Actor,
  ): Promise<TicketView> {
    const after = await this.change(
      () => this.tickets.findById(ticketId, actor),
      ticketId,
      (ticket) => {
        assertCan('resolve', ticket);
        return this.resolved(
          ticket,
          'resolve',
          input.resolution,
          new Date(),
          {
            ...this.who(actor),
            ...(input.note ? { note: input.note } : {}),
          },
          this.actorOf(actor),
        );
      },
    );
    return this.viewOf(after, actor);
  }

  /**
   * Records the call-back (回访): satisfied (3–5) closes, dissatisfied (1–2) reopens and sends the work out again,
   * unanswered retries later until the last attempt closes the ticket as unreachable.
   */
  async recordCallback(
    ticketId: string,
    input: { answered: boolean; satisfaction?: number; comment?: string },
    actor: Actor,
  ): Promise<TicketView> {
    if (input.answered && input.satisfaction === undefined) {
      throw ValidationError.field('satisfaction', 'is required when the resident answered', 400);
    }
    const after = await this.change(
      () => this.tickets.findById(ticketId, actor),
      ticketId,
      (ticket) => {
        assertCan('record-callback', ticket);
        const now = new Date();
        const version = ticket.version + 1;
        const callback = ticket.callback ?? { dueAt: now, attempts: 0, status: 'due' as const, round: 1 };
        const outcome = callbackOutcome(input, callback.attempts, this.config.CALLBACK_MAX_ATTEMPTS);
        const who = this.who(actor);
        const draft: Draft = { state: ticket, events: [], timers: [] };

        if (outcome === 'retry') {
          const attempts = callback.attempts + 1;
          const dueAt = new Date(now.getTime() + this.config.CALLBACK_RETRY_DELAY_MS);
          draft.state = note(
            ticket,
            { at: now, ...who, reason: 'callback-unanswered', note: `attempt ${attempts}` },
            { callback: { ...callback, attempts, status: 'scheduled', dueAt } },
          );
          draft.timers.push(() =>
            this.scheduleCallback(ticket.ticketId, callback.round, attempts + 1, dueAt),
          );
          return draft;
        }
        if (outcome === 'close-unreachable') {
          draft.state = transition(
            ticket,
            'close',
            { at: now, ...who, reason: 'callback-unanswered' },
            {
              callback: { ...callback, attempts: callback.attempts + 1, status: 'unreachable' },
              closedAt: now,
              closeReason: 'callback-unanswered',
            },
          );
          draft.events.push(
            this.event(ticketClosed, draft.state, {
              ...this.ref(draft.state, version),
              reason: 'callback-unanswered',
              ...this.actorOf(actor),
            }),
          );
          return draft;
        }

        const score = input.satisfaction as number;
        const satisfaction = { score, ...(input.comment ? { comment: input.comment } : {}), at: now };
        draft.state = { ...ticket, satisfaction, callback: { ...callback, status: 'answered' } };
        draft.events.push(
          this.event(feedbackRecorded, draft.state, {
            ...this.ref(draft.state, version),
            satisfaction: score,
            ...this.actorOf(actor),
          }),
        );
        if (outcome === 'close-satisfied') {
          draft.state = transition(
            draft.state,
            'close',
            { at: now, ...who, reason: 'feedback-recorded', note: `satisfaction ${score}` },
            { closedAt: now, closeReason: 'feedback-recorded' },
          );
          draft.events.push(
            this.event(ticketClosed, draft.state, {
              ...this.ref(draft.state, version),
              reason: 'feedback-recorded',
              ...this.actorOf(actor),
            }),
          );
          return draft;
        }
        this.reopenInto(draft, now, actor, version, 'dissatisfied', `satisfaction ${score}`);
        return draft;
      },
    );
    return this.viewOf(after, actor);
  }

  // ---- dispatch's job events --------------------------------------------------------------------------------------

  async onJobAccepted(event: CloudEvent<EventData<typeof jobAccepted>>): Promise<void> {
    const { jobId, providerId, providerKind, actorId } = event.data;
    await this.onJobEvent(event, jobId, (ticket, at) => {
      if (ticket.status !== 'dispatched') return undefined;
      const version = ticket.version + 1;
      const state = transition(
        ticket,
        'accept',
        { at, actorId, role: 'provider', eventId: event.id },
        { assignment: { providerId, providerKind, acceptedAt: at } },
      );
      return {
        state,
        events: [
          this.event(
            ticketAssigned,
            state,
            { ...this.ref(state, version), jobId, providerId, providerKind },
            undefined,
            event.id,
          ),
        ],
        timers: [],
      };
    });
  }

  async onJobStarted(event: CloudEvent<EventData<typeof jobStarted>>): Promise<void> {
    const { jobId, actorId } = event.data;
    await this.onJobEvent(event, jobId, (ticket, at) => {
      if (ticket.status !== 'assigned') return undefined;
      const state = transition(ticket, 'start', { at, actorId, role: 'provider', eventId: event.id });
      return {
        state,
        events: [
          this.event(
            ticketStarted,
            state,
            { ...this.ref(state, ticket.version + 1), jobId, actorId },
            undefined,
            event.id,
          ),
        ],
        timers: [],
      };
    });
  }

  async onJobCompleted(event: CloudEvent<EventData<typeof jobCompleted>>): Promise<void> {
    const { jobId, outcome, actorId } = event.data;
    await this.onJobEvent(event, jobId, (ticket, at) => {
      if (ticket.status === 'cancelled') {
        // The provider finished before dispatch learnt of the cancel (the two cross on the wire): the ticket stays
        // cancelled, and its timeline says the work was done anyway, so the operator can tell the resident and the
        // provider's work is not forgotten.
        const state = note(ticket, {
          at,
          actorId,
          role: 'provider',
          reason: 'job-completed-after-cancel',
          note: `outcome ${outcome}`,
          eventId: event.id,
        });
        return { state, events: [], timers: [] };
      }
      if (ticket.status !== 'assigned' && ticket.status !== 'in-progress') return undefined;
      return this.resolved(
        ticket,
        'complete',
        outcome,
        at,
        { actorId, role: 'provider', eventId: event.id },
        { actorId },
        event.id,
      );
    });
  }

  async onJobEscalated(event: CloudEvent<EventData<typeof jobEscalated>>): Promise<void> {
    const { jobId, reason, level } = event.data;
    await this.onJobEvent(event, jobId, (ticket, at) => {
      if (!(JOB_OPEN_STATUSES as readonly string[]).includes(ticket.status)) return undefined;
      const state = note(
        ticket,
        { at, role: 'system', reason: `job-escalated:${reason}`, note: `level ${level}`, eventId: event.id },
        { jobEscalated: true },
      );
      return { state, events: [], timers: [] };
    });
  }

  async onOfferLapsed(
    event: CloudEvent<EventData<typeof jobExpired>> | CloudEvent<EventData<typeof jobDeclined>>,
    kind: 'expired' | 'declined',
  ): Promise<void> {
    const { jobId, providerId } = event.data;
    const reason = 'reason' in event.data ? `:${event.data.reason}` : '';
    await this.onJobEvent(event, jobId, (ticket, at) => {
      if (ticket.status !== 'dispatched') return undefined;
      const state = note(ticket, {
        at,
        role: kind === 'declined' ? 'provider' : 'system',
        reason: `offer-${kind}${reason}`,
        note: `provider ${providerId}`,
        eventId: event.id,
      });
      return { state, events: [], timers: [] };
    });
  }

  /** A job cancelled by dispatch (not because the ticket was cancelled): noted so the operator sees it. */
  async onJobCancelled(event: CloudEvent<EventData<typeof jobCancelled>>): Promise<void> {
    const { jobId, reason } = event.data;
    await this.onJobEvent(event, jobId, (ticket, at) => {
      if (
        ticket.status === 'cancelled' ||
        !(JOB_OPEN_STATUSES as readonly string[]).includes(ticket.status)
      ) {
        return undefined;
      }
      const state = note(ticket, {
        at,
        role: 'system',
        reason: `job-cancelled:${reason}`,
        eventId: event.id,
      });
      return { state, events: [], timers: [] };
    });
  }

  // ---- mediation's case events --------------------------------------------------------------------------------------

  /**
   * A ticket routed to mediation follows the case opened from it (followCase decides how): the mediator holding the
   * case holds the ticket, the outcome resolves it (and schedules its call-back), a withdrawal resolves it as not
   * needed, a reopening is noted. Once per event (the timeline remembers the event id); events of cases without a
   * ticket, or for a ticket this service does not have, are ignored.
   */
  async onCaseEvent(event: CloudEvent, followed: CaseEvent): Promise<void> {
    const ticketId = followed.data.ticketId;
    if (!ticketId) return;
    const found = await this.change(
      () => this.tickets.findById(ticketId, Actor.system()),
      ticketId,
      (ticket) => {
        if (ticket.timeline.some((entry) => entry.eventId === event.id)) return undefined;
        const step = followCase(ticket, followed);
        if (!step) return undefined;
        const parsed = new Date(event.time ?? Date.now());
        const at = Number.isNaN(parsed.getTime()) ? new Date() : parsed;
        const actorId = 'actorId' in followed.data ? followed.data.actorId : undefined;
        const who = { ...(actorId ? { actorId } : {}), role: MEDIATION_ROLE, eventId: event.id };
        switch (step.action) {
          case 'hold': {
            const assignment = {
              providerId: step.providerId,
              ...(step.providerKind ? { providerKind: step.providerKind } : {}),
              acceptedAt: at,
            };
            const entry = { at, ...who, reason: step.reason, note: step.note };
            return { state: note(ticket, entry, { assignment }), events: [], timers: [] };
          }
          case 'release': {
            const entry = { at, ...who, reason: step.reason, note: step.note };
            return { state: note(ticket, entry, { assignment: undefined }), events: [], timers: [] };
          }
          case 'note':
            return {
              state: note(ticket, { at, ...who, reason: step.reason, note: step.note }),
              events: [],
              timers: [],
            };
          case 'resolve':
            return this.resolved(
              ticket,
              'resolve',
              step.resolution,
              at,
              { ...who, note: step.note },
              { ...(actorId ? { actorId } : {}) },
              event.id,
            );
        }
      },
      { missing: 'ignore' },
    );
    if (!found) {
      this.logger.warn({
        msg: 'case event for a ticket this service does not have',
        ticketId,
        type: event.type,
      });
    }
  }

  // ---- timers -----------------------------------------------------------------------------------------------------

  /** A service-level deadline passed: escalate once, if the ticket is still waiting for what it was about. */
  async deadlinePassed(ticketId: string, kind: DeadlineKind, revision: number): Promise<void> {
    await this.change(
      () => this.tickets.findById(ticketId, Actor.system()),
      ticketId,
      (ticket) => {
        const now = new Date();
        if (!isBreach(ticket.status, ticket.serviceLevel, kind, revision, now)) return undefined;
        const level = escalationLevel(ticket.serviceLevel, kind);
        const reason = kind === 'accept' ? 'accept-deadline-missed' : 'resolve-deadline-missed';
        const dueAt = kind === 'accept' ? ticket.serviceLevel.acceptDueAt : ticket.serviceLevel.resolveDueAt;
        const state = note(
          ticket,
          { at: now, role: 'system', reason, note: `due ${dueAt.toISOString()}` },
          {
            serviceLevel: {
              ...ticket.serviceLevel,
              breached: true,
              breaches: [...ticket.serviceLevel.breaches, { kind, dueAt, at: now, revision }],
            },
          },
        );
        return {
          state,
          events: [
            this.event(ticketEscalated, state, { ...this.ref(state, ticket.version + 1), reason, level }),
          ],
          timers: [],
        };
      },
      { missing: 'ignore' },
    );
  }

  /**
   * The call-back's time has come: it shows in the worklist, and `ticket.callback-due` (for notifications, which
   * tells the operator who took the call) is written in the same write, once per (round, attempt).
   */
  async callbackDue(ticketId: string, round: number, attempt: number): Promise<void> {
    await this.change(
      () => this.tickets.findById(ticketId, Actor.system()),
      ticketId,
      (ticket) => {
        const callback = ticket.callback;
        if (!callback || !callbackFallsDue(ticket, round, attempt)) return undefined;
        const state: TicketState = { ...ticket, callback: { ...callback, status: 'due' } };
        const operatorId = callbackOperatorOf(ticket);
        return {
          state,
          events: [
            this.event(ticketCallbackDue, state, {
              ...this.ref(state, ticket.version + 1),
              round,
              attempt,
              ...(operatorId ? { operatorId } : {}),
            }),
          ],
          timers: [],
        };
      },
      { missing: 'ignore' },
    );
  }

  /**
   * Sets again the timers a ticket should have now (its current deadlines while it waits, its call-back while one
   * is pending). Scheduling is idempotent by job id, so this is safe for timers that exist or already ran.
   */
  async ensureTimers(ticket: TicketState): Promise<void> {
    const { ticketId, serviceLevel, callback } = ticket;
    const breached = (kind: DeadlineKind) =>
      serviceLevel.breaches.some((b) => b.kind === kind && b.revision === serviceLevel.revision);
    if ((OPEN_STATUSES as readonly string[]).includes(ticket.status)) {
      if (!breached('accept')) {
        await this.scheduleDeadline(ticketId, 'accept', serviceLevel.revision, serviceLevel.acceptDueAt);
      }
      if (!breached('resolve')) {
        await this.scheduleDeadline(ticketId, 'resolve', serviceLevel.revision, serviceLevel.resolveDueAt);
      }
    }
    if (ticket.status === 'resolved' && callback?.status === 'scheduled') {
      await this.scheduleCallback(ticketId, callback.round, callback.attempts + 1, callback.dueAt);
    }
  }

  // ---- steps shared by the use cases --------------------------------------------------------------------------------

  /**
   * Sets the priority's deadlines (a new revision, with its timers) and emits ticket.triaged; `command` triage moves
   * new → triaged, reprioritise only notes it, reopen was done by the caller.
   */
  private triage(
    draft: Draft,
    category: CategoryDefinition,
    now: Date,
    actor: Actor,
    version: number,
    options: {
      command: 'triage' | 'reprioritise' | 'none';
      reason?: string;
      note?: string;
      overridden?: boolean;
      startedAt?: Date;
    },
  ): void {
    const startedAt = options.startedAt ?? now;
    const ticket = draft.state;
    const deadlines = deadlinesFor(
      category.serviceLevels,
      ticket.priority.level,
      startedAt,
      this.config.SERVICE_LEVEL_TIME_SCALE,
    );
    const revision = ticket.serviceLevel.revision + 1;
    const serviceLevel = { ...ticket.serviceLevel, ...deadlines, startedAt, revision };
    const entry = {
      at: now,
      ...this.who(actor),
      ...(options.reason ? { reason: options.reason } : {}),
      ...(options.note ? { note: options.note } : {}),
    };
    if (options.command === 'triage') draft.state = transition(ticket, 'triage', entry, { serviceLevel });
    else if (options.command === 'reprioritise') draft.state = note(ticket, entry, { serviceLevel });
    else draft.state = { ...ticket, serviceLevel };
    draft.events.push(
      this.event(ticketTriaged, draft.state, {
        ...this.ref(draft.state, version),
        category: category.code,
        serviceClass: category.serviceClass,
        priority: draft.state.priority.level,
        acceptDueAt: deadlines.acceptDueAt.toISOString(),
        resolveDueAt: deadlines.resolveDueAt.toISOString(),
        overridden: options.overridden ?? false,
        ...this.actorOf(actor),
      }),
    );
    const { ticketId } = draft.state;
    draft.timers.push(
      () => this.scheduleDeadline(ticketId, 'accept', revision, deadlines.acceptDueAt),
      () => this.scheduleDeadline(ticketId, 'resolve', revision, deadlines.resolveDueAt),
    );
  }

  /** triaged → dispatched with a new job (job.requested onto dispatch's topic), or → routed to its service. */
  private routeOrDispatch(
    draft: Draft,
    category: CategoryDefinition,
    now: Date,
    actor: Actor,
    version: number,
  ): void {
    const ticket = draft.state;
    const who = this.who(actor);
    if (category.routing !== 'dispatch') {
      draft.state = transition(
        ticket,
        'route',
        { at: now, ...who, reason: category.routing },
        {
          routedTo: category.routing,
        },
      );
      draft.events.push(
        this.event(ticketRouted, draft.state, {
          ...this.ref(draft.state, version),
          routedTo: category.routing,
          ...this.actorOf(actor),
        }),
      );
      return;
    }
    const jobCount = ticket.jobCount + 1;
    const jobId = jobIdOf(ticket.ticketId, jobCount);
    draft.state = transition(
      ticket,
      'dispatch',
      { at: now, ...who, reason: 'dispatch', note: `job ${jobId}` },
      {
        routedTo: 'dispatch',
        jobId,
        jobCount,
        jobEscalated: false,
      },
    );
    draft.events.push(
      this.event(ticketRouted, draft.state, {
        ...this.ref(draft.state, version),
        routedTo: 'dispatch',
        jobId,
        ...this.actorOf(actor),
      }),
      this.event(
        jobRequested,
        draft.state,
        {
          jobId,
          jurisdiction: ticket.jurisdiction,
          origin: { service: SERVICE, aggregateId: ticket.ticketId },
          category: category.code,
          skill: category.skill,
          priority: jobPriorityOf(ticket.priority.level),
          dueBy: ticket.serviceLevel.resolveDueAt.toISOString(),
        },
        jobId,
      ),
    );
  }

  /** resolved/closed → triaged (new deadlines from now) → dispatched with a new job, or routed again. */
  private reopenInto(
    draft: Draft,
    now: Date,
    actor: Actor,
    version: number,
    reason: ReopenReason,
    text?: string,
  ): void {
    const ticket = draft.state;
    const category = this.catalogue.get(ticket.category);
    draft.state = transition(
      ticket,
      'reopen',
      { at: now, ...this.who(actor), reason, ...(text ? { note: text } : {}) },
      {
        assignment: undefined,
        resolution: undefined,
        resolvedAt: undefined,
        closedAt: undefined,
        closeReason: undefined,
        jobId: undefined,
      },
    );
    draft.events.push(
      this.event(ticketReopened, draft.state, {
        ...this.ref(draft.state, version),
        reason,
        ...this.actorOf(actor),
      }),
    );
    this.triage(draft, category, now, actor, version, { command: 'none' });
    this.routeOrDispatch(draft, category, now, actor, version);
  }

  /** → resolved, with the call-back (回访) scheduled after the category's delay (or CALLBACK_DELAY_MS). */
  private resolved(
    ticket: TicketState,
    command: 'complete' | 'resolve',
    resolution: TicketResolution,
    now: Date,
    entry: Omit<TimelineEntry, 'at' | 'from' | 'to'>,
    actor: { actorId?: string },
    causationId?: string,
  ): Draft {
    const category = this.catalogue.get(ticket.category);
    const delay = this.config.CALLBACK_DELAY_MS ?? category.callbackDelayMs;
    const dueAt = new Date(now.getTime() + delay);
    const round = (ticket.callback?.round ?? 0) + 1;
    const state = transition(
      ticket,
      command,
      { at: now, ...entry, reason: resolution },
      { resolution, resolvedAt: now, callback: { dueAt, attempts: 0, status: 'scheduled', round } },
    );
    return {
      state,
      events: [
        this.event(
          ticketResolved,
          state,
          {
            ...this.ref(state, ticket.version + 1),
            resolution,
            callbackDueAt: dueAt.toISOString(),
            ...(actor.actorId ? { actorId: actor.actorId } : {}),
          },
          undefined,
          causationId,
        ),
      ],
      timers: [() => this.scheduleCallback(ticket.ticketId, round, 1, dueAt)],
    };
  }

  /** Job events: the ticket whose current job it is, once per event (the timeline remembers the event id). */
  private async onJobEvent(
    event: CloudEvent,
    jobId: string,
    decide: (ticket: TicketState, at: Date) => Draft | undefined,
  ): Promise<void> {
    await this.change(
      () => this.tickets.findByJobId(jobId),
      jobId,
      (ticket) => {
        if (ticket.jobId !== jobId) return undefined;
        if (ticket.timeline.some((entry) => entry.eventId === event.id)) return undefined;
        const at = new Date(event.time ?? Date.now());
        return decide(ticket, Number.isNaN(at.getTime()) ? new Date() : at);
      },
      { missing: 'ignore' },
    );
  }

  /**
   * Loads, decides and writes, again from the fresh state when another write came first (a job event and an
   * operator's command on the same ticket at once). `decide` returns undefined when there is nothing to do, or
   * throws (409 for a command the state does not allow).
   */
  private async change(
    load: () => Promise<TicketState | undefined>,
    id: string,
    decide: (ticket: TicketState) => Draft | undefined,
    options: { missing: 'throw' | 'ignore' } = { missing: 'throw' },
  ): Promise<TicketState | undefined> {
    for (let attempt = 1; ; attempt++) {
      const current = await load();
      if (!current) {
        if (options.missing === 'ignore') return undefined;
        throw new NotFoundError('ticket', id);
      }
      const draft = decide(current);
      if (!draft) return current;
      let saved: TicketState;
      try {
        saved = await this.tickets.save(current, draft.state, draft.events);
      } catch (error) {
        if (error instanceof ConcurrencyConflictError && attempt < this.config.TICKET_WRITE_ATTEMPTS)
          continue;
        throw error;
      }
      await this.runTimers(draft);
      return saved;
    }
  }

  private async runTimers(draft: Draft): Promise<void> {
    for (const timer of draft.timers) await timer();
  }

  private scheduleDeadline(ticketId: string, kind: DeadlineKind, revision: number, dueAt: Date) {
    return this.scheduler.schedule(RequestJobs.serviceLevelDeadline, {
      key: [ticketId, kind, revision],
      dueAt,
      payload: { ticketId, kind, revision },
    });
  }

  private scheduleCallback(ticketId: string, round: number, attempt: number, dueAt: Date) {
    return this.scheduler.schedule(RequestJobs.callbackDue, {
      key: [ticketId, round, attempt],
      dueAt,
      payload: { ticketId, round, attempt },
    });
  }

  private async load(ticketId: string, actor: Actor): Promise<TicketState> {
    const ticket = await this.tickets.findById(ticketId, actor);
    if (!ticket) throw new NotFoundError('ticket', ticketId);
    return ticket;
  }

  private viewOf(ticket: TicketState | undefined, actor: Actor): TicketView {
    if (!ticket) throw new Error('a command returned no ticket');
    return toView(ticket, this.catalogue.find(ticket.category), ticketDisclosureFor(actor));
  }

  private ref(ticket: TicketState, version: number) {
    return { ticketId: ticket.ticketId, version, jurisdiction: ticket.jurisdiction };
  }

  private who(actor: Actor): { actorId?: string; role?: string } {
    if (actor.userId === 'system') return { role: 'system' };
    return { actorId: actor.userId, role: actor.roles[0] };
  }

  private actorOf(actor: Actor): { actorId?: string } {
    return actor.userId === 'system' ? {} : { actorId: actor.userId };
  }

  private event<D extends EventDefinition>(
    definition: D,
    ticket: TicketState,
    data: EventData<D>,
    subject = ticket.ticketId,
    causationid?: string,
  ): OutboxEntry {
    return outboxEntry(
      definition,
      createEvent({
        source: SOURCE,
        type: definition.type,
        subject,
        jurisdiction: ticket.jurisdiction,
        data,
        ...(currentCorrelationId() ? { correlationid: currentCorrelationId() } : {}),
        ...(causationid ? { causationid } : {}),
      }),
    );
  }

  /** The rules the DTO cannot say (or that the Open311 path must also obey): 400 naming every field at fault. */
  private validateCreate(command: CreateTicketCommand): CategoryDefinition {
    const errors: FieldError[] = [];
    const fail = (field: string, message: string) => errors.push({ field, message });
    if (!(TICKET_CHANNELS as readonly string[]).includes(command.channel)) {
      fail('channel', `must be one of ${TICKET_CHANNELS.join(', ')}`);
    }
    const category = this.catalogue.find(command.category);
    if (!category) fail('category', 'must be a category of the catalogue (GET /categories)');
    if (typeof command.description !== 'string' || command.description.trim() === '') {
      fail('description', 'must not be empty');
    } else if (command.description.length > this.config.DESCRIPTION_MAX_LENGTH) {
      fail('description', `must be at most ${this.config.DESCRIPTION_MAX_LENGTH} characters`);
    }
    const place = command.place;
    if (!place || !administrativeTree().isCommunity(place.communityCode)) {
      fail('place.communityCode', 'must be the code of a community of the administrative tree');
    }
    if (!place || typeof place.address !== 'string' || place.address.trim() === '') {
      fail('place.address', 'must not be empty');
    } else if (place.address.length > ADDRESS_MAX_LENGTH) {
      fail('place.address', `must be at most ${ADDRESS_MAX_LENGTH} characters`);
    }
    const location = place?.location;
    if (location && !(Math.abs(location.lat) <= 90 && Math.abs(location.lng) <= 180)) {
      fail('place.location', 'must be a latitude within ±90 and a longitude within ±180');
    }
    // Open311 clients may report anonymously, and a caregiver's visit finding has no reporter (the need is the
    // elder's, found on the visit); an operator always takes the caller's name and number.
    const anonymousAllowed = command.channel === 'open311' || command.channel === 'visit';
    const reporter = command.reporter;
    if (!anonymousAllowed && !reporter) fail('reporter', 'is required on this channel');
    if (reporter?.name !== undefined) {
      if (reporter.name.trim() === '' || reporter.name.length > NAME_MAX_LENGTH) {
        fail('reporter.name', `must be 1 to ${NAME_MAX_LENGTH} characters`);
      }
    } else if (!anonymousAllowed && reporter) fail('reporter.name', 'is required on this channel');
    if (reporter?.phone !== undefined) {
      if (!isPhone(reporter.phone)) fail('reporter.phone', 'must be a mainland mobile or landline number');
    } else if (!anonymousAllowed && reporter) fail('reporter.phone', 'is required on this channel');
    for (const [index, group] of (reporter?.vulnerable ?? []).entries()) {
      if (!(VULNERABLE_GROUPS as readonly string[]).includes(group)) {
        fail(`reporter.vulnerable.${index}`, `must be one of ${VULNERABLE_GROUPS.join(', ')}`);
      }
    }
    if (command.sourceVisitId !== undefined && !ID_PATTERN.test(command.sourceVisitId)) {
      fail('sourceVisitId', 'must be an id');
    }
    if (errors.length > 0 || !category) throw new ValidationError(errors, 400);
    return category;
  }
}
