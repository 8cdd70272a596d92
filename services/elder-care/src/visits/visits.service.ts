// The use cases of visits over HTTP: the lists and the view, the elder's contact for the caregiver holding the
// visit, and the caregiver's check-in and check-out, each one conditional write of the visit with the events it
// causes (visit events, job progress for dispatch, findings for resident-requests, welfare for emergency).
import type { Actor } from '@linli/auth';
import {
  elderWelfareConcernRaised,
  jobProgressReported,
  visitCheckedIn,
  visitCompleted,
  visitFindingReported,
} from '@linli/contracts';
import type { OutboxEntry } from '@linli/persistence';
import { InjectConfig, NotFoundError, ValidationError } from '@linli/platform';
import { Injectable, Logger } from '@nestjs/common';
import type { ElderCareConfig } from '../config';
import { EldersRepository } from '../elders/elders.repository';
import type {
  CheckInDto,
  CheckOutDto,
  ListVisitsQuery,
  VisitContactView,
  VisitPage,
  VisitView,
} from './dto/visit.dto';
import { checkInPlace, CONTACT_STATUSES, findingsOf, punctuality, VisitConflictError } from './visit.rules';
import { toVisitView } from './visit.view';
import { visitEvent, VisitsRepository, type Visit } from './visits.repository';

const SERVICE = 'elder-care';
const DEFAULT_PAGE_SIZE = 20;
const STAFF_ROLES = ['admin', 'supervisor', 'coordinator', 'operator'] as const;

@Injectable()
export class VisitsService {
  private readonly logger = new Logger(VisitsService.name);

  constructor(
    private readonly visits: VisitsRepository,
    private readonly elders: EldersRepository,
    @InjectConfig() private readonly config: ElderCareConfig,
  ) {}

  async list(query: ListVisitsQuery, actor: Actor): Promise<VisitPage> {
    const page = query.page ?? 1;
    const pageSize = Math.min(query.pageSize ?? DEFAULT_PAGE_SIZE, this.config.MAX_PAGE_SIZE);
    // Staff hold no visits: `mine` for them is the empty list. Providers see only theirs anyway (the scope).
    if (query.mine && !actor.has('provider')) return { items: [], total: 0, page, pageSize };
    const { items, total } = await this.visits.list(
      {
        ...(query.community ? { community: query.community } : {}),
        ...(query.elderId ? { elderId: query.elderId } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.from ? { from: new Date(query.from) } : {}),
        ...(query.to ? { to: new Date(query.to) } : {}),
        ...(query.unassigned !== undefined ? { unassigned: query.unassigned } : {}),
      },
      actor,
      { page, pageSize },
    );
    return { items: items.map(toVisitView), total, page, pageSize };
  }

  async get(visitId: string, actor: Actor): Promise<VisitView> {
    return toVisitView(await this.load(visitId, actor));
  }

  /**
   * The elder's contact in full: to staff, and to the caregiver holding the visit while it is assigned or checked in
   * (before the job is accepted and after the check-out, it is not theirs to read: 404).
   */
  async contact(visitId: string, actor: Actor): Promise<VisitContactView> {
    const visit = await this.load(visitId, actor);
    if (!actor.has(...STAFF_ROLES) && !CONTACT_STATUSES.includes(visit.status)) {
      throw new NotFoundError('visit', visitId);
    }
    const elder = await this.elders.findById(visit.elderId);
    if (!elder) throw new NotFoundError('elder', visit.elderId);
    this.logger.log({ msg: 'elder contact read', visitId, elderId: elder._id, by: actor.userId });
    return {
      elderId: elder._id,
      name: elder.name,
      phone: elder.phone,
      address: elder.address,
      ...(elder.home ? { home: { lat: elder.home.lat, lng: elder.home.lng } } : {}),
      emergencyContacts: (elder.emergencyContacts ?? []).map((contact) => ({
        name: contact.name,
        relation: contact.relation,
        phone: contact.phone,
      })),
    };
  }

  /**
   * assigned → checked-in, by the caregiver holding the visit: the position is compared with the elder's home
   * (flagged beyond CHECK_IN_MAX_DISTANCE_M), visit.checked-in and job.progress-reported (started) go out in the same
   * write, and the elder's missed-in-a-row count starts again. The same caregiver checking in again changes nothing.
   */
  async checkIn(visitId: string, actor: Actor, command: CheckInDto): Promise<VisitView> {
    const providerId = requireProvider(actor);
    for (let round = 1; ; round++) {
      const visit = await this.load(visitId, actor);
      if (visit.status === 'checked-in') return toVisitView(visit);
      if (visit.status !== 'assigned') {
        throw new VisitConflictError(`visit ${visitId} is ${visit.status}: no check-in`, visit);
      }
      const now = new Date();
      const at = command.at ? new Date(command.at) : now;
      if (at.getTime() > now.getTime()) throw ValidationError.field('at', 'must not be in the future', 400);
      if (visit.dispatchedAt && at.getTime() < visit.dispatchedAt.getTime()) {
        throw ValidationError.field('at', 'must not be before the visit was dispatched', 400);
      }
      const elder = await this.elders.findById(visit.elderId);
      const coordinates = command.coordinates
        ? { lat: command.coordinates.lat, lng: command.coordinates.lng }
        : undefined;
      const place = checkInPlace(coordinates, elder?.home, this.config.CHECK_IN_MAX_DISTANCE_M);
      const provider = visit.provider!;
      const events: OutboxEntry[] = [
        visitEvent(visitCheckedIn, visit._id, visit.jurisdiction, {
          ...ref(visit),
          providerId,
          providerKind: provider.providerKind,
          checkedInAt: at.toISOString(),
          farFromHome: place.farFromHome,
          actorId: actor.userId,
        }),
        this.progress(visit, providerId, 'started', at),
      ];
      const after = await this.visits.change(
        visit,
        {
          status: 'checked-in',
          checkIn: {
            at,
            coordinates: coordinates ?? null,
            distanceM: place.distanceM,
            farFromHome: place.farFromHome,
          },
        },
        events,
      );
      if (after) {
        await this.elders.recordCheckIn(visit.elderId, at);
        this.logger.log({ msg: 'visit checked in', visitId, providerId, farFromHome: place.farFromHome });
        return toVisitView(after);
      }
      this.assertRoundsLeft(round, visit);
    }
  }

  /**
   * checked-in → completed, by the caregiver holding the visit, with what was done and observed: visit.completed
   * (on time or late), job.progress-reported (completed, done), one visit.finding-reported per finding (a concern or
   * urgent observation always has one) and, for urgent, elder.welfare-concern-raised on the elder stream, all in
   * the one write. A second check-out gets 409.
   */
  async checkOut(visitId: string, actor: Actor, command: CheckOutDto): Promise<VisitView> {
    const providerId = requireProvider(actor);
    for (let round = 1; ; round++) {
      const visit = await this.load(visitId, actor);
      if (visit.status !== 'checked-in' || !visit.checkIn) {
        throw new VisitConflictError(`visit ${visitId} is ${visit.status}: no check-out`, visit);
      }
      const now = new Date();
      const notes = command.notes?.trim() ? command.notes : undefined;
      const findings = findingsOf(visit._id, command.observation, notes, command.findings ?? []);
      const { onTime, lateMinutes } = punctuality(visit.dueAt, visit.checkIn.at, this.config.VISIT_GRACE_MS);
      const provider = visit.provider!;
      const events: OutboxEntry[] = [
        visitEvent(visitCompleted, visit._id, visit.jurisdiction, {
          ...ref(visit),
          providerId,
          providerKind: provider.providerKind,
          source: visit.source,
          service: visit.service,
          itemsDone: [...command.itemsDone],
          observation: command.observation,
          dueAt: visit.dueAt.toISOString(),
          checkedInAt: visit.checkIn.at.toISOString(),
          checkedOutAt: now.toISOString(),
          onTime,
          lateMinutes,
          actorId: actor.userId,
        }),
        this.progress(visit, providerId, 'completed', now),
        ...findings.map((finding) =>
          visitEvent(visitFindingReported, visit._id, visit.jurisdiction, {
            ...ref(visit),
            findingId: finding.findingId,
            observation: finding.observation,
            category: finding.category as never,
            summary: finding.summary,
            providerId,
          }),
        ),
      ];
      if (command.observation === 'urgent') {
        const elder = await this.elders.findById(visit.elderId);
        if (!elder) throw new NotFoundError('elder', visit.elderId);
        events.push(
          visitEvent(elderWelfareConcernRaised, elder._id, visit.jurisdiction, {
            elderId: elder._id,
            version: elder.version,
            jurisdiction: visit.jurisdiction,
            visitId: visit._id,
            findingId: findings[0].findingId,
            observedAt: now.toISOString(),
            livingSituation: elder.livingSituation,
            careLevel: elder.careLevel,
            providerId,
          }),
        );
      }
      const after = await this.visits.change(
        visit,
        {
          status: 'completed',
          checkOut: {
            at: now,
            itemsDone: [...command.itemsDone],
            observation: command.observation,
            notes: command.notes ?? null,
          },
          findings,
        },
        events,
      );
      if (after) {
        this.logger.log({
          msg: 'visit completed',
          visitId,
          providerId,
          observation: command.observation,
          findings: findings.length,
        });
        return toVisitView(after);
      }
      this.assertRoundsLeft(round, visit);
    }
  }

  // ---- internals

  private async load(visitId: string, actor: Actor): Promise<Visit> {
    const visit = await this.visits.findById(visitId, actor);
    if (!visit) throw new NotFoundError('visit', visitId);
    return visit;
  }

  private progress(visit: Visit, providerId: string, step: 'started' | 'completed', at: Date): OutboxEntry {
    const jobId = visit.jobId!;
    return visitEvent(jobProgressReported, jobId, visit.jurisdiction, {
      jobId,
      jurisdiction: visit.jurisdiction,
      origin: { service: SERVICE, aggregateId: visit._id },
      providerId,
      step,
      ...(step === 'completed' ? { outcome: 'done' as const } : {}),
      at: at.toISOString(),
    });
  }

  private assertRoundsLeft(round: number, visit: Visit): void {
    if (round >= this.config.WRITE_ATTEMPTS) {
      throw new VisitConflictError(`visit ${visit._id} is changing too often right now; try again`, visit);
    }
  }
}

/** The reference every visit event carries, at the version the write being prepared will store. */
function ref(visit: Visit) {
  return {
    visitId: visit._id,
    version: visit.version + 1,
    jurisdiction: visit.jurisdiction,
    elderId: visit.elderId,
  };
}

function requireProvider(actor: Actor): string {
  // The guard let only providers in; a provider token without its provider id holds nothing.
  if (!actor.providerId) throw new NotFoundError('provider', actor.userId);
  return actor.providerId;
}
