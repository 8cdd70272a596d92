// POST /cap: a CAP 1.2 alert of another authority becomes an incident (source cap-import) with its alert, or a new
// message (Update, Cancel) of the alert it references. Everything is checked before anything is written: the XML by
// the safe parser (size, no DOCTYPE/ENTITY, namespace, required elements), the areas against the tree and the
// caller's jurisdiction. Posting the same CAP (sender + identifier) again gives the same ids and writes nothing new:
// the ids are reserved under its key first, so even a repeat after a crash half-way ends with one incident.
import type { Actor } from '@linli/auth';
import { administrativeTree } from '@linli/divisions';
import { ConflictError, ValidationError } from '@linli/platform';
import { Injectable } from '@nestjs/common';
import type { CapAlert } from '../cap/cap.model';
import { CapParseError, parseCapXml } from '../cap/cap.parser';
import { config } from '../config';
import { jurisdictionOf, normaliseAreas } from '../incidents/incident.rules';
import { IncidentsService } from '../incidents/incidents.service';
import { composeMessage, type AlertState } from './alert.rules';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import {
  administrativeGeocodes,
  capKey,
  fieldsOf,
  geoPolygonOf,
  kindOf,
  mainInfo,
  messageTypeOf,
  referencedKeys,
} from './cap-import.rules';

export interface CapImportResult {
  incidentId: string;
  alertId: string;
  sequence: number;
  /** False when this CAP had been imported before (200, nothing new). */
  created: boolean;
}

@Injectable()
export class CapImportService {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly alertsService: AlertsService,
    private readonly incidents: IncidentsService,
  ) {}

  async import(xml: string, areasQuery: string | undefined, actor: Actor): Promise<CapImportResult> {
    let cap: CapAlert;
    try {
      cap = parseCapXml(xml, { maxBytes: config.CAP_MAX_BYTES });
    } catch (error) {
      if (error instanceof CapParseError)
        throw new ValidationError([{ field: error.field, message: error.reason }], 400);
      throw error;
    }
    if (cap.msgType === 'Ack' || cap.msgType === 'Error') {
      throw ValidationError.field(
        'alert.msgType',
        `${cap.msgType} messages are not imported (Alert, Update, Cancel)`,
        400,
      );
    }
    const areas = this.areasOf(cap, areasQuery, actor);
    const info = mainInfo(cap);
    const key = capKey(cap.sender, cap.identifier);
    const now = new Date();
    const defaults = {
      now,
      expiryMs: config.ALERT_DEFAULT_EXPIRY_MS,
      acknowledgeWithinMs: config.ALERT_ACKNOWLEDGE_WITHIN_MS,
      textMax: config.TEXT_MAX_LENGTH,
    };
    const messageType = messageTypeOf(cap);

    const known = await this.alerts.findImport(key);
    if (known && known.sequence > 1) {
      return {
        incidentId: known.incidentId,
        alertId: known.alertId,
        sequence: known.sequence,
        created: false,
      };
    }
    if (!known && messageType !== 'alert') {
      // An Update or Cancel of an alert imported before: a new message of that alert.
      for (const referenced of referencedKeys(cap.references)) {
        const target = await this.alerts.findImport(referenced);
        if (!target) continue;
        const current = await this.alerts.get(target.alertId);
        if (!current || !actor.covers(current.jurisdiction)) continue;
        const fields = fieldsOf(info, areas, defaults, current.current);
        const attached = await this.alertsService.attachImported(
          current.alertId,
          messageType,
          fields,
          cap,
          key,
          this.broadcasts(cap, fields.expiresAt, now),
          actor.userId,
        );
        await this.alerts.insertImport({
          _id: key,
          sender: cap.sender,
          identifier: cap.identifier,
          incidentId: current.incidentId,
          alertId: current.alertId,
          sequence: attached.sequence,
          at: now,
        });
        return {
          incidentId: current.incidentId,
          alertId: current.alertId,
          sequence: attached.sequence,
          created: attached.created,
        };
      }
    }

    // A new incident with its alert: ids reserved under the key first (or the ones reserved before).
    let reserved = known;
    if (!reserved) {
      const incidentId = await this.incidents.newId(now);
      const alertId = `${incidentId}-A${await this.alerts.nextSequence(incidentId)}`;
      const document = {
        _id: key,
        sender: cap.sender,
        identifier: cap.identifier,
        incidentId,
        alertId,
        sequence: 1,
        at: now,
      };
      reserved = (await this.alerts.insertImport(document)) ? document : await this.alerts.findImport(key);
      if (!reserved) throw new ConflictError('the CAP is being imported by another request; try again');
    }
    const fields = fieldsOf(info, areas, defaults);
    await this.incidents.declareWithId(
      reserved.incidentId,
      {
        kind: kindOf(info),
        severity: fields.severity,
        title: fields.headline.slice(0, 200),
        description: fields.description,
        areas,
        polygon: geoPolygonOf(info, config.MAX_POLYGON_POINTS),
      },
      actor.userId,
      'cap-import',
      now,
    );
    const alert: AlertState = {
      alertId: reserved.alertId,
      incidentId: reserved.incidentId,
      version: 0,
      status: messageType === 'cancel' ? 'cancelled' : 'active',
      jurisdiction: jurisdictionOf(areas),
      source: 'cap-import',
      current: fields,
      messages: [],
      createdAt: now,
    };
    alert.messages.push(
      composeMessage([], messageType, fields, now, {
        actorId: actor.userId,
        broadcast: messageType !== 'cancel' && this.broadcasts(cap, fields.expiresAt, now),
        cap,
        capKey: key,
      }),
    );
    await this.alertsService.insertImported(alert);
    return { incidentId: reserved.incidentId, alertId: reserved.alertId, sequence: 1, created: !known };
  }

  /** Broadcast only what is Actual and not expired: exercises, tests, system messages and drafts are recorded. */
  private broadcasts(cap: CapAlert, expiresAt: Date, now: Date): boolean {
    return cap.status === 'Actual' && expiresAt.getTime() > now.getTime();
  }

  /** The areas: `areas=` when given, else the CAP's administrative geocodes; each in the tree and the actor's. */
  private areasOf(cap: CapAlert, areasQuery: string | undefined, actor: Actor): string[] {
    const tree = administrativeTree();
    if (areasQuery !== undefined) {
      const codes = areasQuery
        .split(',')
        .map((code) => code.trim())
        .filter(Boolean);
      if (codes.length === 0) throw ValidationError.field('areas', 'give at least one division code', 400);
      if (codes.length > 200) throw ValidationError.field('areas', 'at most 200 codes', 400);
      codes.forEach((code, index) => {
        if (!tree.has(code))
          throw ValidationError.field(`areas[${index}]`, `${code} is not a division code`, 400);
        if (!actor.covers(code)) {
          throw ValidationError.field(`areas[${index}]`, `${code} is outside your jurisdiction`, 400);
        }
      });
      return normaliseAreas(codes);
    }
    const codes = administrativeGeocodes(cap).filter((code) => tree.has(code) && actor.covers(code));
    if (codes.length === 0) {
      throw ValidationError.field(
        'areas',
        'areas= is required: the CAP carries no GB/T 2260 or GB/T 10114 geocode inside your jurisdiction',
        400,
      );
    }
    return normaliseAreas(codes.slice(0, 200));
  }
}
