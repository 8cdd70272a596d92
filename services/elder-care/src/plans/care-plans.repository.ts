// Every query and write of care plans, their kept versions and the discharges. The plan document and its
// careplan.changed event are one write (aggregate + outbox); the version copy follows it (a copy lost to a crash in
// between is filled in by the current document when versions are listed).
import { insertAggregates, sealPersonalData, tryApplyChange, type OutboxEntry } from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import {
  CARE_PLAN_MODEL,
  CARE_PLAN_VERSION_MODEL,
  DISCHARGE_MODEL,
  type CarePlanDocument,
  type CarePlanVersionDocument,
  type DischargeDocument,
} from './care-plan.schema';

const DUPLICATE_KEY = 11000;
const WITHOUT_OUTBOX = { outbox: 0, outboxLease: 0 } as const;

export type CarePlan = Omit<CarePlanDocument, 'outbox' | 'outboxLease'>;
export type NewCarePlan = Omit<CarePlanDocument, 'version' | 'outbox' | 'outboxLease'>;

export function carePlanIdOf(elderId: string): string {
  return `P${elderId}`;
}

@Injectable()
export class CarePlansRepository {
  constructor(
    @InjectModel(CARE_PLAN_MODEL) private readonly plans: Model<CarePlanDocument>,
    @InjectModel(CARE_PLAN_VERSION_MODEL) private readonly versions: Model<CarePlanVersionDocument>,
    @InjectModel(DISCHARGE_MODEL) private readonly discharges: Model<DischargeDocument>,
  ) {}

  findById(carePlanId: string): Promise<CarePlan | null> {
    return this.plans.findOne({ _id: carePlanId }, WITHOUT_OUTBOX).lean<CarePlan>().exec();
  }

  /** Every plan, keyed by elder id, read in one pass (the daily horizon over every elder). */
  async allByElder(): Promise<Map<string, CarePlan>> {
    const plans = new Map<string, CarePlan>();
    const cursor = this.plans.find({}, WITHOUT_OUTBOX).lean().cursor({ batchSize: 5_000 });
    for await (const plan of cursor) {
      const current = plan as unknown as CarePlan;
      plans.set(current.elderId, current);
    }
    return plans;
  }

  /** The plans of many elders at once (the horizon generator's page), any status. */
  findByIds(carePlanIds: string[]): Promise<CarePlan[]> {
    if (carePlanIds.length === 0) return Promise.resolve([]);
    return this.plans
      .find({ _id: { $in: carePlanIds } }, WITHOUT_OUTBOX)
      .lean<CarePlan[]>()
      .exec();
  }

  /** Versions of many plans at once: the generator's re-check that nothing changed under it. */
  async versionsOf(carePlanIds: string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (carePlanIds.length === 0) return found;
    const documents = await this.plans
      .find({ _id: { $in: carePlanIds } }, { _id: 1, version: 1 })
      .lean<{ _id: string; version: number }[]>()
      .exec();
    for (const document of documents) found.set(document._id, document.version);
    return found;
  }

  /** Stores a new plan (version 0) with its events; false when one was created meanwhile. */
  async insert(plan: NewCarePlan, events: readonly OutboxEntry[]): Promise<boolean> {
    try {
      await insertAggregates(this.plans, [{ document: plan, events }]);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /** Writes over `current` if nobody wrote the plan since it was read; null when someone did. */
  async change(
    current: Pick<CarePlan, '_id' | 'version'>,
    set: Record<string, unknown>,
    events: readonly OutboxEntry[],
  ): Promise<CarePlan | null> {
    const after = await tryApplyChange(this.plans, {
      id: current._id,
      expectedVersion: current.version,
      set,
      events,
    });
    if (!after) return null;
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { outbox, outboxLease, ...rest } = after as CarePlanDocument;
    return rest;
  }

  /** Keeps a copy of the version just written (`P<elderId>:v<n>`); writing it twice is harmless. */
  async keepVersion(plan: CarePlan): Promise<void> {
    const copy: CarePlanVersionDocument = {
      _id: `${plan._id}:v${plan.version}`,
      carePlanId: plan._id,
      elderId: plan.elderId,
      version: plan.version,
      status: plan.status,
      items: plan.items,
      updatedBy: plan.updatedBy,
      updatedAt: plan.updatedAt,
    };
    await this.versions.replaceOne({ _id: copy._id }, copy, { upsert: true }).exec();
  }

  /** Every kept version of a plan, newest first. */
  listVersions(carePlanId: string): Promise<CarePlanVersionDocument[]> {
    return this.versions.find({ carePlanId }).sort({ version: -1 }).lean<CarePlanVersionDocument[]>().exec();
  }

  // ---- discharges ----

  findDischarge(dischargeId: string): Promise<DischargeDocument | null> {
    return this.discharges.findOne({ _id: dischargeId }).lean<DischargeDocument>().exec();
  }

  /** Records a discharge; false when this elder's discharge of that date is recorded already. */
  async insertDischarge(discharge: DischargeDocument): Promise<boolean> {
    try {
      // The driver bypasses mongoose's middleware: the hospital and note are sealed here (ADR 0026).
      await this.discharges.collection.insertOne(sealPersonalData(this.discharges, discharge) as never);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }
}
