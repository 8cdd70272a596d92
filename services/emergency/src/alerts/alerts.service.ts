// The use cases of alerts: issue one for an incident (CAP Alert), update it (CAP Update), cancel it (CAP Cancel);
// each message is one conditional write of the alert with its alert.issued (broadcast by notifications). Also the
// CAP 1.2 form of each message, and the writes the CAP import needs (an imported alert, a message attached to one).
import type { Actor } from '@linli/auth';
import { alertIssued, createEvent, type EventData, type EventDefinition } from '@linli/contracts';
import { administrativeTree } from '@linli/divisions';
import {
  ConcurrencyConflictError,
  createIdempotently,
  IdempotencyKeyReusedError,
  outboxEntry,
  type IdempotencyRecord,
  type OutboxEntry,
} from '@linli/persistence';
import { ConflictError, currentCorrelationId, NotFoundError, ValidationError } from '@linli/platform';
import { Injectable } from '@nestjs/common';
import type { CapAlert } from '../cap/cap.model';
import { config } from '../config';
import { allWithin, transitionError, type IncidentState } from '../incidents/incident.rules';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { SOURCE } from '../incidents/incidents.service';
import {
  applyChanges,
  composeMessage,
  issuedData,
  toCapAlert,
  type AlertChanges,
  type AlertFields,
  type AlertMessage,
  type AlertMessageType,
  type AlertState,
} from './alert.rules';
import { AlertsRepository } from './alerts.repository';
import type { AlertChangesDto, IssueAlertDto } from './dto/alert.dto';

@Injectable()
export class AlertsService {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly incidents: IncidentsRepository,
  ) {}

  /** Under an Idempotency-Key (ADR 0035) a repeat answers the alert the first call issued, as it is now. */
  async issue(
    incidentId: string,
    body: IssueAlertDto,
    actor: Actor,
    idempotency?: IdempotencyRecord,
  ): Promise<AlertState> {
    const issued = await createIdempotently(
      idempotency,
      (record) => this.alerts.findCreatedUnder(record),
      () => this.issueNew(incidentId, body, actor, idempotency),
      (state) => state,
    );
    if (!issued) throw new Error(`a new alert id of ${incidentId} was taken: its sequence repeated a number`);
    return issued;
  }

  private async issueNew(
    incidentId: string,
    body: IssueAlertDto,
    actor: Actor,
    idempotency: IdempotencyRecord | undefined,
  ): Promise<AlertState | undefined> {
    const incident = await this.incidents.findById(incidentId, actor);
    if (!incident) throw new NotFoundError('incident', incidentId);
    const refused = transitionError(incident.status, 'alert');
    if (refused) throw new ConflictError(refused, { status: incident.status, version: incident.version });
    const now = new Date();
    const fields = this.fields(
      {
        language: 'zh-CN',
        expiresAt: new Date(now.getTime() + config.ALERT_DEFAULT_EXPIRY_MS),
        acknowledgeWithinMs: config.ALERT_ACKNOWLEDGE_WITHIN_MS,
        areas: incident.areas,
      },
      body,
      incident,
      now,
    ) as AlertFields;
    const alertId = `${incidentId}-A${await this.alerts.nextSequence(incidentId)}`;
    const state: AlertState = {
      alertId,
      incidentId,
      version: 0,
      status: 'active',
      jurisdiction: incident.jurisdiction,
      source: 'coordinator',
      current: fields,
      messages: [],
      createdAt: now,
    };
    const message = composeMessage([], 'alert', fields, now, { actorId: actor.userId });
    state.messages.push(message);
    if (!(await this.alerts.insert(state, [this.issuedEvent(state, message, 0)], now, idempotency))) {
      return undefined;
    }
    return state;
  }

  /** Under an Idempotency-Key, a repeat answers the Update message the first call added and adds none. */
  async update(
    alertId: string,
    body: AlertChangesDto,
    actor: Actor,
    idempotency?: IdempotencyRecord,
  ): Promise<AlertMessage> {
    if (Object.values(body).every((value) => value === undefined)) {
      throw ValidationError.field('body', 'give at least one field to change', 400);
    }
    return this.addMessage(
      alertId,
      actor,
      'update',
      (current, incident, now) => applyChanges(current.current, this.fields({}, body, incident, now)),
      { idempotency },
    );
  }

  /** Under an Idempotency-Key, a repeat answers the Cancel message the first call added (not a 409). */
  async cancel(
    alertId: string,
    reason: string | undefined,
    actor: Actor,
    idempotency?: IdempotencyRecord,
  ): Promise<AlertMessage> {
    return this.addMessage(alertId, actor, 'cancel', (current) => current.current, { reason, idempotency });
  }

  async get(alertId: string, actor: Actor): Promise<AlertState> {
    const state = await this.alerts.findById(alertId, actor);
    if (!state) throw new NotFoundError('alert', alertId);
    return state;
  }

  /** The alerts of an incident the actor may read; 404 for an incident out of reach, as for one never declared. */
  async ofIncident(incidentId: string, actor: Actor): Promise<AlertState[]> {
    if (!(await this.incidents.findById(incidentId, actor))) throw new NotFoundError('incident', incidentId);
    return this.alerts.ofIncident(incidentId, actor);
  }

  /** The CAP model of a message (the latest when no sequence is given). */
  async cap(alertId: string, sequence: number | undefined, actor: Actor): Promise<CapAlert> {
    const state = await this.get(alertId, actor);
    const message =
      sequence === undefined ? state.messages[state.messages.length - 1] : state.messages[sequence - 1];
    if (!message) throw new NotFoundError('alert message', `${alertId}/${sequence}`);
    return this.capOf(state, message);
  }

  async capOf(state: AlertState, message: AlertMessage): Promise<CapAlert> {
    const incident = await this.incidents.get(state.incidentId);
    const tree = administrativeTree();
    return toCapAlert(state, message, {
      sender: config.CAP_SENDER,
      kind: incident?.kind ?? 'other',
      polygon: incident?.polygon,
      areaName: (code) => tree.fullName(code),
    });
  }

  /** An imported alert with its first message, under ids reserved for it; nothing when it is there already. */
  async insertImported(state: AlertState): Promise<void> {
    const message = state.messages[0];
    const events = message.broadcast ? [this.issuedEvent(state, message, 0)] : [];
    await this.alerts.insert(state, events, state.createdAt);
  }

  /**
   * An imported CAP Update or Cancel attached to the alert it references: a new message unless one with the same
   * CAP key is there (the same CAP posted again). Returns the alert and the message's sequence.
   */
  async attachImported(
    alertId: string,
    messageType: AlertMessageType,
    fields: AlertFields,
    cap: CapAlert,
    capKey: string,
    broadcast: boolean,
    actorId: string,
  ): Promise<{ state: AlertState; sequence: number; created: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.alerts.get(alertId);
      if (!current) throw new NotFoundError('alert', alertId);
      const existing = current.messages.find((m) => m.capKey === capKey);
      if (existing) return { state: current, sequence: existing.sequence, created: false };
      if (current.status === 'cancelled') {
        throw new ConflictError(`alert ${alertId} is cancelled`, {
          status: current.status,
          version: current.version,
        });
      }
      const now = new Date();
      const next = structuredClone(current);
      next.version = current.version + 1;
      const message = composeMessage(current.messages, messageType, fields, now, {
        actorId,
        broadcast,
        cap,
        capKey,
      });
      next.messages.push(message);
      next.current = fields;
      if (messageType === 'cancel') next.status = 'cancelled';
      const events = broadcast ? [this.issuedEvent(next, message, next.version)] : [];
      try {
        const saved = await this.alerts.save(current, next, events, now);
        return { state: saved, sequence: message.sequence, created: true };
      } catch (error) {
        if (error instanceof ConcurrencyConflictError && attempt < config.WRITE_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  private async addMessage(
    alertId: string,
    actor: Actor,
    messageType: 'update' | 'cancel',
    fieldsOf: (current: AlertState, incident: IncidentState, now: Date) => AlertFields,
    options: { reason?: string; idempotency?: IdempotencyRecord },
  ): Promise<AlertMessage> {
    const { reason, idempotency } = options;
    for (let attempt = 1; ; attempt++) {
      const current = await this.alerts.findById(alertId, actor);
      if (!current) throw new NotFoundError('alert', alertId);
      // The key lives on the message it added, in the alert's own document: a concurrent twin loses the version
      // condition below, reads again and finds the winner's message here.
      const prior = idempotency && current.messages.find((m) => m.idempotency?.key === idempotency.key);
      if (prior) {
        if (prior.idempotency?.request !== idempotency.request) throw new IdempotencyKeyReusedError();
        return prior;
      }
      if (current.status === 'cancelled') {
        throw new ConflictError(`the alert is cancelled`, {
          status: current.status,
          version: current.version,
        });
      }
      const incident = await this.incidents.get(current.incidentId);
      if (!incident) throw new NotFoundError('incident', current.incidentId);
      const now = new Date();
      const fields = fieldsOf(current, incident, now);
      const next = structuredClone(current);
      next.version = current.version + 1;
      const message = composeMessage(current.messages, messageType, fields, now, {
        actorId: actor.userId,
        reason,
        idempotency,
      });
      next.messages.push(message);
      next.current = fields;
      if (messageType === 'cancel') next.status = 'cancelled';
      try {
        const saved = await this.alerts.save(
          current,
          next,
          [this.issuedEvent(next, message, next.version)],
          now,
        );
        return saved.messages[saved.messages.length - 1];
      } catch (error) {
        if (error instanceof ConcurrencyConflictError && attempt < config.WRITE_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /** The DTO's fields as alert fields, checked: expiry in the future, areas within the incident's. */
  private fields(
    defaults: Partial<AlertFields>,
    body: AlertChangesDto,
    incident: IncidentState,
    now: Date,
  ): AlertChanges {
    const { expiresAt, acknowledgeWithinMinutes, ...rest } = body;
    const changes: AlertChanges = { ...defaults };
    for (const [key, value] of Object.entries(rest)) {
      if (value !== undefined) (changes as Record<string, unknown>)[key] = value;
    }
    if (expiresAt !== undefined) {
      const at = new Date(expiresAt);
      if (at.getTime() <= now.getTime())
        throw ValidationError.field('expiresAt', 'must be in the future', 400);
      changes.expiresAt = at;
    }
    if (acknowledgeWithinMinutes !== undefined)
      changes.acknowledgeWithinMs = acknowledgeWithinMinutes * 60_000;
    if (body.areas) {
      const outside = body.areas.findIndex((code) => !allWithin([code], incident.areas));
      if (outside >= 0) {
        throw ValidationError.field(
          `areas[${outside}]`,
          `${body.areas[outside]} is not within the incident's areas`,
          400,
        );
      }
      changes.areas = [...new Set(body.areas)];
    }
    return changes;
  }

  issuedEvent(state: AlertState, message: AlertMessage, version: number): OutboxEntry {
    return this.event(alertIssued, state, issuedData(state, message, version));
  }

  private event<D extends EventDefinition>(
    definition: D,
    state: AlertState,
    data: EventData<D>,
  ): OutboxEntry {
    return outboxEntry(
      definition,
      createEvent({
        source: SOURCE,
        type: definition.type,
        subject: state.alertId,
        jurisdiction: state.jurisdiction,
        data,
        ...(currentCorrelationId() ? { correlationid: currentCorrelationId() } : {}),
      }),
    );
  }
}
