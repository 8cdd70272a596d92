// The elder aggregate as stored: the registry entry (个人信息 marked `personal`: issue 7 encrypts and masks them),
// its version and pending events (outbox) in one document, so every change and its events are one write.
import {
  CARE_LEVELS,
  ELDER_INACTIVE_REASONS,
  ELDER_STATUSES,
  HARDSHIP_FLAGS,
  LIVING_SITUATIONS,
} from '@linli/contracts';
import { aggregatePlugin, type AggregateFields } from '@linli/persistence';
import { Schema } from 'mongoose';
import { GENDERS } from './elder.rules';

export { GENDERS };

export const ELDER_MODEL = 'Elder';

export interface EmergencyContact {
  name: string;
  relation: string;
  phone: string;
}

export interface ElderDocument extends AggregateFields {
  /** `E` + 7 digits, from the elder sequence (E0000042). */
  _id: string;
  name: string;
  gender: (typeof GENDERS)[number];
  /** Local date YYYY-MM-DD. */
  birthDate: string;
  /** 18-character resident identity number (GB 11643), upper-case X. */
  identityNumber: string;
  /** HMAC of the identity number under PERSONAL_HASH_KEY: the unique key of the registry (one elder, one entry). */
  identityHash: string;
  phone: string;
  phoneHash: string;
  /** The 12-digit community code; also the jurisdiction every query is scoped by. */
  community: string;
  address: string;
  /** The home's position, when known: a check-in far from it is flagged. */
  home?: { lat: number; lng: number } | null;
  livingSituation: (typeof LIVING_SITUATIONS)[number];
  careLevel: (typeof CARE_LEVELS)[number];
  hardship: (typeof HARDSHIP_FLAGS)[number][];
  emergencyContacts: EmergencyContact[];
  consent: { services: boolean; recordedAt: Date; recordedBy: string };
  status: (typeof ELDER_STATUSES)[number];
  inactiveReason?: (typeof ELDER_INACTIVE_REASONS)[number] | null;
  /** Consecutive missed visits (reset by a check-in); two for an elder living alone escalate. */
  missedInARow: number;
  /** The misses counted in the current run (visit id and attempt), so a retried count is not counted twice. */
  countedMisses: string[];
  lastCheckInAt?: Date | null;
  source: 'form' | 'import';
  importId?: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const contactSchema = new Schema<EmergencyContact>(
  {
    name: { type: String, required: true, personal: true },
    relation: { type: String, required: true },
    phone: { type: String, required: true, personal: true },
  },
  { _id: false },
);

export const elderSchema = new Schema<ElderDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true, personal: true },
    gender: { type: String, enum: GENDERS, required: true },
    birthDate: { type: String, required: true, personal: true },
    identityNumber: { type: String, required: true, personal: true },
    identityHash: { type: String, required: true },
    phone: { type: String, required: true, personal: true },
    phoneHash: { type: String, required: true },
    community: { type: String, required: true },
    address: { type: String, required: true, personal: true },
    home: {
      type: new Schema({ lat: Number, lng: Number }, { _id: false }),
      default: undefined,
      personal: true,
    },
    livingSituation: { type: String, enum: LIVING_SITUATIONS, required: true },
    careLevel: { type: String, enum: CARE_LEVELS, required: true },
    hardship: { type: [String], enum: HARDSHIP_FLAGS, default: [] },
    emergencyContacts: { type: [contactSchema], default: [] },
    consent: {
      type: new Schema({ services: Boolean, recordedAt: Date, recordedBy: String }, { _id: false }),
      required: true,
    },
    status: { type: String, enum: ELDER_STATUSES, required: true },
    inactiveReason: { type: String, enum: [...ELDER_INACTIVE_REASONS, null], default: null },
    missedInARow: { type: Number, required: true, default: 0 },
    countedMisses: { type: [String], default: [] },
    lastCheckInAt: { type: Date, default: null },
    source: { type: String, enum: ['form', 'import'], required: true },
    importId: { type: String, default: null },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  // The community is the jurisdiction: @linli/persistence scopes every query of a request by it (ADR 0028).
  { collection: 'elders', versionKey: false, jurisdictionField: 'community' },
);
elderSchema.plugin(aggregatePlugin);
// One registry entry per person: a second registration or a re-imported row hits this index.
elderSchema.index({ identityHash: 1 }, { unique: true });
elderSchema.index({ community: 1, status: 1 });
elderSchema.index({ phoneHash: 1 });
