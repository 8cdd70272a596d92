// The use cases of care plans and of the visits people ask for outside a plan: write a new version of an elder's
// plan (and re-plan its visits), end it, read it and its history; record a hospital discharge with its follow-up
// visit; add a one-off visit; list an elder's visits.
import type { Actor } from '@linli/auth';
import { carePlanChanged, elderDischarged } from '@linli/contracts';
import type { OutboxEntry } from '@linli/persistence';
import { ConflictError, InjectConfig, NotFoundError, ValidationError } from '@linli/platform';
import { Scheduler } from '@linli/scheduling';
import { Injectable } from '@nestjs/common';
import type { ElderCareConfig } from '../config';
import type { ElderDocument } from '../elders/elder.schema';
import { EldersRepository } from '../elders/elders.repository';
import { ElderCareJobs } from '../scheduling.jobs';
import type { VisitView } from '../visits/dto/visit.dto';
import { toVisitView } from '../visits/visit.view';
import { visitEvent } from '../visits/visits.repository';
import type { CarePlanDocument, CarePlanStatus, DischargeDocument } from './care-plan.schema';
import { carePlanIdOf, CarePlansRepository, type CarePlan } from './care-plans.repository';
import type {
  CarePlanItemDto,
  CarePlanView,
  DischargeView,
  ElderVisitsQuery,
  OneOffVisitDto,
  PutCarePlanDto,
  RecordDischargeDto,
} from './dto/care-plan.dto';
import { PlannedVisitsRepository } from './planned-visits.repository';
import {
  assignItemIds,
  dayOf,
  instantAt,
  localDayOf,
  planProblems,
  visitIdOf,
  type PlanItem,
} from './schedule.rules';
import { isServed, VisitPlanner } from './visit-planner';

const MINUTE_MS = 60_000;
/** A follow-up whose day and time have passed already is due this long from now. */
const LATE_FOLLOW_UP_MS = 60 * MINUTE_MS;
/** The most visits GET /elders/:id/visits returns (a horizon is days; narrow with from/to for more). */
const ELDER_VISITS_LIMIT = 1000;

@Injectable()
export class CarePlansService {
  constructor(
    private readonly plans: CarePlansRepository,
    private readonly visits: PlannedVisitsRepository,
    private readonly elders: EldersRepository,
    private readonly planner: VisitPlanner,
    private readonly scheduler: Scheduler,
    @InjectConfig() private readonly config: ElderCareConfig,
  ) {}

  // ---- care plans --------------------------------------------------------------------------------------------------

  /** Writes the plan's next version (or its first: created) and replaces the elder's future visits to match. */
  async put(
    elderId: string,
    body: PutCarePlanDto,
    actor: Actor,
  ): Promise<{ view: CarePlanView; created: boolean }> {
    const elder = await this.requireElder(elderId, actor);
    if (!isServed(elder)) {
      throw new ConflictError('the elder is inactive or has not consented to services', {
        status: elder.status,
        consentToServices: elder.consent?.services ?? false,
      });
    }
    const requested = body.items.map(plainItem);
    const problems = planProblems(requested);
    if (problems.length > 0) throw new ValidationError(problems, 400);

    let saved: CarePlan | null = null;
    let created = false;
    for (let round = 1; !saved; round++) {
      const current = await this.plans.findById(carePlanIdOf(elderId));
      if (body.expectedVersion !== undefined && current?.version !== body.expectedVersion) {
        throw planConflict(current);
      }
      const { items, nextSequence } = assignItemIds(
        requested,
        current?.items ?? [],
        current?.itemSequence ?? 1,
      );
      const now = new Date();
      if (!current) {
        const plan: Omit<CarePlanDocument, 'version' | 'outbox' | 'outboxLease'> = {
          _id: carePlanIdOf(elderId),
          elderId,
          jurisdiction: elder.community,
          status: 'active',
          items,
          itemSequence: nextSequence,
          updatedBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        };
        if (await this.plans.insert(plan, [this.changedEvent(plan, 0, actor)])) {
          saved = { ...plan, version: 0 };
          created = true;
        }
      } else {
        const set = {
          jurisdiction: elder.community,
          status: 'active' as CarePlanStatus,
          items,
          itemSequence: nextSequence,
          updatedBy: actor.userId,
          updatedAt: now,
        };
        saved = await this.plans.change(current, set, [
          this.changedEvent({ ...current, ...set }, current.version + 1, actor),
        ]);
        if (!saved && body.expectedVersion !== undefined) {
          throw planConflict(await this.plans.findById(carePlanIdOf(elderId)));
        }
      }
      if (!saved && round >= this.config.WRITE_ATTEMPTS) {
        throw planConflict(await this.plans.findById(carePlanIdOf(elderId)));
      }
    }
    await this.plans.keepVersion(saved);
    await this.planner.replan(elderId);
    return { view: toPlanView(saved), created };
  }

  async get(elderId: string, actor: Actor): Promise<CarePlanView> {
    await this.requireElder(elderId, actor);
    const plan = await this.plans.findById(carePlanIdOf(elderId));
    if (!plan) throw new NotFoundError('care plan', carePlanIdOf(elderId));
    return toPlanView(plan);
  }

  /** Every version, newest first; the current one from the plan itself (its copy may not be written yet). */
  async versions(elderId: string, actor: Actor): Promise<{ items: CarePlanView[] }> {
    await this.requireElder(elderId, actor);
    const plan = await this.plans.findById(carePlanIdOf(elderId));
    if (!plan) throw new NotFoundError('care plan', carePlanIdOf(elderId));
    const kept = await this.plans.listVersions(plan._id);
    const older = kept.filter((version) => version.version < plan.version);
    return {
      items: [
        toPlanView(plan),
        ...older.map((version) => toPlanView({ ...version, _id: version.carePlanId })),
      ],
    };
  }

  /** Ends the plan: its future visits are cancelled (discover visits remain for the groups in hardship). */
  async end(elderId: string, actor: Actor): Promise<CarePlanView> {
    await this.requireElder(elderId, actor);
    for (let round = 1; ; round++) {
      const current = await this.plans.findById(carePlanIdOf(elderId));
      if (!current) throw new NotFoundError('care plan', carePlanIdOf(elderId));
      if (current.status === 'ended') return toPlanView(current);
      const set = { status: 'ended' as CarePlanStatus, updatedBy: actor.userId, updatedAt: new Date() };
      const saved = await this.plans.change(current, set, [
        this.changedEvent({ ...current, ...set }, current.version + 1, actor),
      ]);
      if (saved) {
        await this.plans.keepVersion(saved);
        await this.planner.replan(elderId);
        return toPlanView(saved);
      }
      if (round >= this.config.WRITE_ATTEMPTS) throw planConflict(await this.plans.findById(current._id));
    }
  }

  // ---- discharges and one-off visits -------------------------------------------------------------------------------

  /**
   * A hospital discharge: a follow-up health check DISCHARGE_FOLLOW_UP_DAYS later at DISCHARGE_FOLLOW_UP_TIME (an
   * hour from now if that has passed), with elder.discharged. The same date again answers the same (created: false).
   */
  async recordDischarge(
    elderId: string,
    body: RecordDischargeDto,
    actor: Actor,
  ): Promise<{ view: DischargeView; created: boolean }> {
    const elder = await this.requireElder(elderId, actor);
    const day = dayOf(body.dischargedOn);
    if (Number.isNaN(day)) throw ValidationError.field('dischargedOn', 'must be a real date', 400);
    const now = new Date();
    if (day > localDayOf(now)) throw ValidationError.field('dischargedOn', 'must not be in the future', 400);
    const dischargeId = `D${elderId}-${body.dischargedOn.replace(/-/g, '')}`;

    const known = await this.plans.findDischarge(dischargeId);
    if (known) {
      await this.ensureFollowUp(elder, known, actor);
      return { view: toDischargeView(known), created: false };
    }
    if (!isServed(elder)) {
      throw new ConflictError('the elder is inactive or has not consented to services', {
        status: elder.status,
        consentToServices: elder.consent?.services ?? false,
      });
    }
    let dueAt = instantAt(day + this.config.DISCHARGE_FOLLOW_UP_DAYS, this.config.DISCHARGE_FOLLOW_UP_TIME);
    if (dueAt.getTime() <= now.getTime()) {
      dueAt = new Date(Math.ceil((now.getTime() + LATE_FOLLOW_UP_MS) / MINUTE_MS) * MINUTE_MS);
    }
    const discharge: DischargeDocument = {
      _id: dischargeId,
      elderId,
      dischargedOn: body.dischargedOn,
      hospital: body.hospital ?? null,
      note: body.note ?? null,
      followUpVisitId: visitIdOf(elderId, 'follow-up', dueAt),
      followUpDueAt: dueAt,
      recordedBy: actor.userId,
      createdAt: now,
    };
    if (!(await this.plans.insertDischarge(discharge))) {
      // Recorded by a request racing this one: answer as it did.
      const raced = await this.plans.findDischarge(dischargeId);
      if (!raced) throw new Error(`discharge ${dischargeId} vanished`);
      await this.ensureFollowUp(elder, raced, actor);
      return { view: toDischargeView(raced), created: false };
    }
    await this.ensureFollowUp(elder, discharge, actor);
    return { view: toDischargeView(discharge), created: true };
  }

  /** The discharge's follow-up visit, written if it is not there yet (also after a crash between the two writes). */
  private async ensureFollowUp(
    elder: ElderDocument,
    discharge: DischargeDocument,
    actor: Actor,
  ): Promise<void> {
    const { visit, events } = this.planner.newVisit(
      elder,
      {
        visitId: discharge.followUpVisitId,
        source: 'follow-up',
        service: 'health-check',
        dueAt: discharge.followUpDueAt,
      },
      null,
      new Date(),
    );
    events.push(
      visitEvent(elderDischarged, elder._id, elder.community, {
        elderId: elder._id,
        version: elder.version,
        jurisdiction: elder.community,
        dischargeId: discharge._id,
        dischargedOn: discharge.dischargedOn,
        followUpVisitId: discharge.followUpVisitId,
        actorId: actor.userId,
      }),
    );
    const inserted = await this.visits.insertMany([{ visit, events }]);
    if (inserted.length > 0) await this.planner.scheduleDispatch([visit], new Date());
  }

  /** A one-off visit (source manual) an operator asks for, due at a future time. */
  async addVisit(elderId: string, body: OneOffVisitDto, actor: Actor): Promise<VisitView> {
    const elder = await this.requireElder(elderId, actor);
    const dueAt = new Date(body.dueAt);
    const now = new Date();
    if (Number.isNaN(dueAt.getTime())) throw ValidationError.field('dueAt', 'must be an ISO-8601 time', 400);
    if (dueAt.getTime() <= now.getTime()) throw ValidationError.field('dueAt', 'must be in the future', 400);
    if (!isServed(elder)) {
      throw new ConflictError('the elder is inactive or has not consented to services', {
        status: elder.status,
        consentToServices: elder.consent?.services ?? false,
      });
    }
    const { visit, events } = this.planner.newVisit(
      elder,
      {
        visitId: visitIdOf(elderId, `manual-${body.service}`, dueAt),
        source: 'manual',
        service: body.service,
        dueAt,
      },
      null,
      now,
    );
    const inserted = await this.visits.insertMany([{ visit, events }]);
    if (inserted.length === 0) {
      const existing = await this.visits.findById(visit._id);
      throw new ConflictError('a one-off visit of that service is due at that minute already', {
        visitId: visit._id,
        status: existing?.status,
        version: existing?.version,
      });
    }
    await this.scheduler.schedule(ElderCareJobs.visitDispatch, {
      key: [visit._id],
      dueAt: new Date(Math.max(now.getTime(), dueAt.getTime() - this.config.VISIT_DISPATCH_LEAD_MS)),
      payload: { visitId: visit._id },
    });
    return toVisitView({ ...visit, version: 0 });
  }

  async listVisits(elderId: string, query: ElderVisitsQuery, actor: Actor): Promise<{ items: VisitView[] }> {
    await this.requireElder(elderId, actor);
    const visits = await this.visits.listForElder(
      elderId,
      {
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        status: query.status,
      },
      ELDER_VISITS_LIMIT,
    );
    return { items: visits.map(toVisitView) };
  }

  // ---- internals ---------------------------------------------------------------------------------------------------

  /** The elder if the caller's jurisdiction covers it; 404 otherwise (never 403). */
  private async requireElder(elderId: string, actor: Actor): Promise<ElderDocument> {
    const elder = await this.elders.findScoped(elderId, actor);
    if (!elder) throw new NotFoundError('elder', elderId);
    return elder;
  }

  private changedEvent(
    plan: Pick<CarePlanDocument, '_id' | 'elderId' | 'jurisdiction' | 'status' | 'items'>,
    version: number,
    actor: Actor,
  ): OutboxEntry {
    return visitEvent(carePlanChanged, plan._id, plan.jurisdiction, {
      carePlanId: plan._id,
      version,
      jurisdiction: plan.jurisdiction,
      elderId: plan.elderId,
      status: plan.status,
      items: plan.items.map(storedItem),
      actorId: actor.userId,
    });
  }
}

/** An item as plain data, without absent or null optional fields (the contract's strict shape). */
type PlainItem = Omit<PlanItem, 'itemId' | 'endsOn'> & { itemId?: string; endsOn?: string };

function plainItem(item: PlainItem | PlanItem | CarePlanItemDto): PlainItem {
  const { rhythm } = item;
  return {
    ...(item.itemId ? { itemId: item.itemId } : {}),
    service: item.service,
    rhythm: {
      kind: rhythm.kind,
      times: [...rhythm.times],
      ...(rhythm.weekdays ? { weekdays: [...rhythm.weekdays] } : {}),
      ...(rhythm.everyDays !== undefined && rhythm.everyDays !== null ? { everyDays: rhythm.everyDays } : {}),
      ...(rhythm.daysOfMonth ? { daysOfMonth: [...rhythm.daysOfMonth] } : {}),
    },
    startsOn: item.startsOn,
    ...(item.endsOn ? { endsOn: item.endsOn } : {}),
  };
}

/** A stored item (it always has its id) as plain data. */
function storedItem(item: PlanItem): PlainItem & { itemId: string } {
  return { ...plainItem(item), itemId: item.itemId };
}

function toPlanView(
  plan: Pick<CarePlan, '_id' | 'elderId' | 'version' | 'status' | 'items' | 'updatedAt'>,
): CarePlanView {
  return {
    carePlanId: plan._id,
    elderId: plan.elderId,
    version: plan.version,
    status: plan.status,
    items: plan.items.map(storedItem),
    updatedAt: plan.updatedAt.toISOString(),
  };
}

function toDischargeView(discharge: DischargeDocument): DischargeView {
  return {
    dischargeId: discharge._id,
    elderId: discharge.elderId,
    dischargedOn: discharge.dischargedOn,
    followUpVisitId: discharge.followUpVisitId,
    followUpDueAt: discharge.followUpDueAt.toISOString(),
  };
}

function planConflict(current: CarePlan | null): ConflictError {
  return new ConflictError('the care plan changed since that version', {
    status: current?.status ?? 'none',
    version: current?.version ?? null,
  });
}
