// A provider of services (服务主体): a repair firm, a social organisation, a volunteer team… with what it can do
// (skills), where (service areas), how much at once (capacity) and when (working hours).
import { Schema } from 'mongoose';
import type { OfferOutcome, WorkingWindow } from '../jobs/matching.rules';

export const PROVIDER_MODEL = 'Provider';

export interface ProviderDocument {
  _id: string;
  name: string;
  kind: string;
  skills: string[];
  serviceAreas: string[];
  capacity: number;
  workingHours?: WorkingWindow[];
  available: boolean;
  location?: { lat: number; lng: number };
  /** Home area: the code supervisors' jurisdictions are matched against. */
  jurisdiction: string;
  /**
   * Jobs held now, as last counted from the jobs collection (display only: matching and accept count afresh,
   * so a count lost in a crash can never over-assign; the next count of this provider repairs it).
   */
  load: number;
  /** Outcomes of its latest offers (a bounded window), for its acceptance rate. */
  recentOutcomes: OfferOutcome[];
  createdAt: Date;
  updatedAt: Date;
}

const windowSchema = new Schema({ days: [Number], from: String, to: String }, { _id: false });

export const providerSchema = new Schema<ProviderDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, required: true },
    skills: { type: [String], required: true },
    serviceAreas: { type: [String], required: true },
    capacity: { type: Number, required: true },
    workingHours: { type: [windowSchema], default: undefined },
    available: { type: Boolean, required: true },
    location: { type: new Schema({ lat: Number, lng: Number }, { _id: false }), default: undefined },
    jurisdiction: { type: String, required: true },
    load: { type: Number, required: true, default: 0 },
    recentOutcomes: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'providers', versionKey: false },
);
// Matching reads providers by skill and service area; lists by home area.
providerSchema.index({ skills: 1, serviceAreas: 1 });
providerSchema.index({ jurisdiction: 1, _id: 1 });
