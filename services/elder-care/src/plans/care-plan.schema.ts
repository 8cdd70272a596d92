// The care plan as stored: one document per elder (`P<elderId>`) holding the current version, its version and
// pending events (outbox: careplan.changed goes out with the write), and a copy of every version kept apart
// (`care_plan_versions`, `P<elderId>:v<n>`) for the history. Also the discharges operators record.
import { CARE_PLAN_STATUSES, CARE_SERVICES, RHYTHM_KINDS, WEEKDAYS } from '@linli/contracts';
import { aggregatePlugin, type AggregateFields } from '@linli/persistence';
import { Schema } from 'mongoose';
import type { PlanItem } from './schedule.rules';

export const CARE_PLAN_MODEL = 'CarePlan';
export const CARE_PLAN_VERSION_MODEL = 'CarePlanVersion';
export const DISCHARGE_MODEL = 'Discharge';

export type CarePlanStatus = (typeof CARE_PLAN_STATUSES)[number];

export interface CarePlanDocument extends AggregateFields {
  /** `P<elderId>`. */
  _id: string;
  elderId: string;
  /** The elder's community when the plan was written (the event's jurisdiction). */
  jurisdiction: string;
  status: CarePlanStatus;
  items: PlanItem[];
  /** The next fresh item id is `I<itemSequence>`. */
  itemSequence: number;
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One version of a plan as it was written: `_id` `P<elderId>:v<version>`. */
export interface CarePlanVersionDocument {
  _id: string;
  carePlanId: string;
  elderId: string;
  version: number;
  status: CarePlanStatus;
  items: PlanItem[];
  updatedBy: string;
  updatedAt: Date;
}

/** A hospital discharge an operator recorded; `_id` `D<elderId>-<yyyyMMdd>` (one per elder and date). */
export interface DischargeDocument {
  _id: string;
  elderId: string;
  dischargedOn: string;
  hospital?: string | null;
  note?: string | null;
  followUpVisitId: string;
  followUpDueAt: Date;
  recordedBy: string;
  createdAt: Date;
}

const rhythmSchema = new Schema(
  {
    kind: { type: String, enum: RHYTHM_KINDS, required: true },
    times: { type: [String], required: true },
    weekdays: { type: [String], enum: WEEKDAYS, default: undefined },
    everyDays: { type: Number, default: undefined },
    daysOfMonth: { type: [Number], default: undefined },
  },
  { _id: false },
);

const itemSchema = new Schema(
  {
    itemId: { type: String, required: true },
    service: { type: String, enum: CARE_SERVICES, required: true },
    rhythm: { type: rhythmSchema, required: true },
    startsOn: { type: String, required: true },
    endsOn: { type: String, default: null },
  },
  { _id: false },
);

export const carePlanSchema = new Schema<CarePlanDocument>(
  {
    _id: { type: String, required: true },
    elderId: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    status: { type: String, enum: CARE_PLAN_STATUSES, required: true },
    items: { type: [itemSchema], default: [] },
    itemSequence: { type: Number, required: true, default: 1 },
    updatedBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'care_plans', versionKey: false },
);
carePlanSchema.plugin(aggregatePlugin);

export const carePlanVersionSchema = new Schema<CarePlanVersionDocument>(
  {
    _id: { type: String, required: true },
    carePlanId: { type: String, required: true },
    elderId: { type: String, required: true },
    version: { type: Number, required: true },
    status: { type: String, enum: CARE_PLAN_STATUSES, required: true },
    items: { type: [itemSchema], default: [] },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'care_plan_versions', versionKey: false },
);
carePlanVersionSchema.index({ carePlanId: 1, version: -1 });

export const dischargeSchema = new Schema<DischargeDocument>(
  {
    _id: { type: String, required: true },
    elderId: { type: String, required: true },
    dischargedOn: { type: String, required: true },
    // Free text may name people or conditions: kept out of events and logs (issue 7 encrypts it).
    hospital: { type: String, default: null, personal: true },
    note: { type: String, default: null, personal: true },
    followUpVisitId: { type: String, required: true },
    followUpDueAt: { type: Date, required: true },
    recordedBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'discharges', versionKey: false },
);
