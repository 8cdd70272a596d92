// The use cases of incidents: declare (by a coordinator, or from a CAP alert posted in), update (severity, area,
// polygon, description; every update kept in its history), activate, all-clear, close. Each change is one
// conditional write of the aggregate with its events (incident.declared / updated / closed), retried against the
// fresh state when an unrelated change won the race.
import type { Actor } from '@linli/auth';
import {
  createEvent,
  incidentClosed,
  incidentDeclared,
  incidentUpdated,
  type EventData,
  type EventDefinition,
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
  chinaDate,
  ConflictError,
  currentCorrelationId,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '@linli/platform';
import { Injectable } from '@nestjs/common';
import { config } from '../config';
import type {
  CloseIncidentDto,
  DeclareIncidentDto,
  ListIncidentsQuery,
  UpdateIncidentDto,
} from './dto/incident.dto';
import {
  addedAreas,
  jurisdictionOf,
  nextStatus,
  normaliseAreas,
  polygonErrors,
  removedAreas,
  transitionError,
  type IncidentSource,
  type IncidentState,
} from './incident.rules';
import { IncidentsRepository } from './incidents.repository';

export const SOURCE = 'linli/emergency';
const DEFAULT_PAGE_SIZE = 20;

/** What declares an incident: the DTO's fields, from a coordinator or mapped from a CAP alert. */
export type IncidentInput = Pick<
  DeclareIncidentDto,
  'kind' | 'severity' | 'title' | 'description' | 'areas' | 'polygon'
>;

@Injectable()
export class IncidentsService {
  constructor(private readonly incidents: IncidentsRepository) {}

  /** A new incident id: I<yyyymmdd>-<6 digits>, numbered per China day. */
  async newId(now: Date): Promise<string> {
    const day = chinaDate(now).replace(/-/g, '');
    const sequence = await this.incidents.nextSequence(day);
    return `I${day}-${String(sequence).padStart(6, '0')}`;
  }

  /** Checks areas (exist, inside the actor's jurisdiction) and polygon; throws 400 naming the fields. */
  checkArea(areas: readonly string[] | undefined, polygon: unknown, actor: Actor, field = 'areas'): void {
    const errors: FieldError[] = [];
    const tree = administrativeTree();
    (areas ?? []).forEach((code, index) => {
      if (!tree.has(code))
        errors.push({ field: `${field}[${index}]`, message: `${code} is not a division code` });
      else if (!actor.covers(code)) {
        errors.push({ field: `${field}[${index}]`, message: `${code} is outside your jurisdiction` });
      }
    });
    if (polygon !== undefined) errors.push(...polygonErrors(polygon, config.MAX_POLYGON_POINTS));
    if (errors.length > 0) throw new ValidationError(errors, 400);
  }

  /** Under an Idempotency-Key (ADR 0035) a repeat answers the incident the first call declared, as it is now. */
  async declare(input: IncidentInput, actor: Actor, idempotency?: IdempotencyRecord): Promise<IncidentState> {
    this.checkArea(input.areas, input.polygon, actor);
    const declared = await createIdempotently(
      idempotency,
      (record) => this.incidents.findCreatedUnder(record),
      async () => {
        const now = new Date();
        const state = this.initialState(await this.newId(now), input, actor.userId, 'coordinator', now);
        const stored = await this.incidents.insert(state, [this.declaredEvent(state)], now, idempotency);
        return stored ? state : undefined;
      },
      (state) => state,
    );
    if (!declared) throw new Error('a new incident id was taken: the daily sequence repeated a number');
    return declared;
  }

  /**
   * Stores an incident with a given id (a CAP import reserved it): nothing when it is there already (a repeated
   * import after a crash). The areas were checked by the caller.
   */
  async declareWithId(
    incidentId: string,
    input: IncidentInput,
    actorId: string,
    source: IncidentSource,
    now: Date,
  ): Promise<void> {
    const state = this.initialState(incidentId, input, actorId, source, now);
    await this.incidents.insert(state, [this.declaredEvent(state)], now);
  }

  private initialState(
    incidentId: string,
    input: IncidentInput,
    actorId: string,
    source: IncidentSource,
    now: Date,
  ): IncidentState {
    const areas = normaliseAreas(input.areas);
    return {
      incidentId,
      version: 0,
      status: 'declared',
      kind: input.kind,
      severity: input.severity,
      title: input.title,
      description: input.description,
      areas,
      ...(input.polygon ? { polygon: { type: 'Polygon', coordinates: input.polygon.coordinates } } : {}),
      jurisdiction: jurisdictionOf(areas),
      source,
      declaredAt: now,
      declaredBy: actorId,
      history: [
        { at: now, actorId, change: 'declared', status: 'declared', severity: input.severity, areas },
      ],
    };
  }

  private declaredEvent(state: IncidentState): OutboxEntry {
    return this.event(incidentDeclared, state, {
      incidentId: state.incidentId,
      version: 0,
      jurisdiction: state.jurisdiction,
      kind: state.kind,
      severity: state.severity,
      areas: state.areas,
      hasPolygon: state.polygon !== undefined,
      source: state.source,
      actorId: state.declaredBy,
    });
  }

  async get(incidentId: string, actor: Actor): Promise<IncidentState> {
    const state = await this.incidents.findById(incidentId, actor);
    if (!state) throw new NotFoundError('incident', incidentId);
    return state;
  }

  async list(
    query: ListIncidentsQuery,
    actor: Actor,
  ): Promise<{ items: IncidentState[]; total: number; page: number; pageSize: number }> {
    const page = query.page ?? 1;
    const pageSize = Math.min(query.pageSize ?? DEFAULT_PAGE_SIZE, config.MAX_PAGE_SIZE);
    const { items, total } = await this.incidents.list({ status: query.status }, actor, {
      skip: (page - 1) * pageSize,
      limit: pageSize,
    });
    return { items, total, page, pageSize };
  }

  async update(incidentId: string, body: UpdateIncidentDto, actor: Actor): Promise<IncidentState> {
    if (
      body.severity === undefined &&
      body.areas === undefined &&
      body.polygon === undefined &&
      body.description === undefined
    ) {
      throw ValidationError.field('body', 'give at least one of severity, areas, polygon, description', 400);
    }
    this.checkArea(body.areas, body.polygon, actor);
    return this.change(incidentId, actor, (current, now) => {
      const refused = transitionError(current.status, 'update');
      if (refused) throw new ConflictError(refused, { status: current.status, version: current.version });
      if (body.version !== undefined && body.version !== current.version) {
        throw new ConflictError(`the incident is at version ${current.version}, not ${body.version}`, {
          status: current.status,
          version: current.version,
        });
      }
      const next = structuredClone(current);
      next.version = current.version + 1;
      const areas = body.areas ? normaliseAreas(body.areas) : current.areas;
      const added = addedAreas(current.areas, areas);
      const removed = removedAreas(current.areas, areas);
      if (body.severity) next.severity = body.severity;
      if (body.description !== undefined) next.description = body.description;
      if (body.polygon) next.polygon = { type: 'Polygon', coordinates: body.polygon.coordinates };
      next.areas = areas;
      // The declaring level stays: an area growing beyond it is declared anew by the level above.
      if (!areas.every((code) => code.startsWith(current.jurisdiction))) {
        next.jurisdiction = jurisdictionOf(areas);
      }
      next.history.push({
        at: now,
        actorId: actor.userId,
        change: 'updated',
        ...(body.severity ? { severity: body.severity } : {}),
        ...(body.areas ? { areas, addedAreas: added, removedAreas: removed } : {}),
        ...(body.polygon ? { polygon: true } : {}),
        ...(body.description !== undefined ? { description: true } : {}),
      });
      return { state: next, events: [this.updatedEvent(next, added, actor.userId)] };
    });
  }

  /** activate, all-clear or close: the state machine's moves, each a 409 naming the state when it cannot be. */
  async move(
    incidentId: string,
    action: 'activate' | 'all-clear' | 'close',
    actor: Actor,
    body?: CloseIncidentDto,
  ): Promise<IncidentState> {
    return this.change(incidentId, actor, (current, now) => {
      const refused = transitionError(current.status, action);
      if (refused) throw new ConflictError(refused, { status: current.status, version: current.version });
      const next = structuredClone(current);
      next.version = current.version + 1;
      next.status = nextStatus(action);
      if (action === 'close') next.closeReason = body?.reason ?? 'all-clear';
      next.history.push({
        at: now,
        actorId: actor.userId,
        change: action === 'activate' ? 'activated' : action === 'close' ? 'closed' : 'all-clear',
        status: next.status,
        ...(action === 'close' ? { reason: next.closeReason } : {}),
      });
      const event =
        action === 'close'
          ? this.event(incidentClosed, next, {
              incidentId: next.incidentId,
              version: next.version,
              jurisdiction: next.jurisdiction,
              reason: next.closeReason ?? 'all-clear',
              actorId: actor.userId,
            })
          : this.updatedEvent(next, [], actor.userId);
      return { state: next, events: [event] };
    });
  }

  private updatedEvent(state: IncidentState, added: string[], actorId: string): OutboxEntry {
    return this.event(incidentUpdated, state, {
      incidentId: state.incidentId,
      version: state.version,
      jurisdiction: state.jurisdiction,
      status: state.status,
      severity: state.severity,
      areas: state.areas,
      addedAreas: added,
      actorId,
    });
  }

  /** Load (scoped), decide, write on the version decided on; retried when an unrelated change won the race. */
  private async change(
    incidentId: string,
    actor: Actor,
    decide: (current: IncidentState, now: Date) => { state: IncidentState; events: OutboxEntry[] },
  ): Promise<IncidentState> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.incidents.findById(incidentId, actor);
      if (!current) throw new NotFoundError('incident', incidentId);
      const now = new Date();
      const draft = decide(current, now);
      try {
        return await this.incidents.save(current, draft.state, draft.events, now);
      } catch (error) {
        if (error instanceof ConcurrencyConflictError && attempt < config.WRITE_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  event<D extends EventDefinition>(definition: D, state: IncidentState, data: EventData<D>): OutboxEntry {
    return outboxEntry(
      definition,
      createEvent({
        source: SOURCE,
        type: definition.type,
        subject: state.incidentId,
        jurisdiction: state.jurisdiction,
        data,
        ...(currentCorrelationId() ? { correlationid: currentCorrelationId() } : {}),
      }),
    );
  }
}
