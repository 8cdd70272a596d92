// The elder-care service's environment, validated once at start-up and typed everywhere after.
import { AuthConfigSchema } from '@linli/auth';
import { PersonalDataConfigSchema } from '@linli/persistence';
import { CommonConfigSchema, defineConfig, WorkerConfigSchema } from '@linli/platform';
import { Type, type Static } from '@sinclair/typebox';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** A rhythm as the care-plan items write it (see libs/contracts careplan.events.ts), in Asia/Shanghai time. */
export interface RhythmSetting {
  kind: 'daily' | 'weekly' | 'interval' | 'monthly';
  times: string[];
  weekdays?: string[];
  everyDays?: number;
  daysOfMonth?: number[];
}

export const ELDER_CARE_DEFAULTS = {
  HTTP_PORT: 3103,
  MONGO_DB: 'linli-elder-care',
  /** Key of the HMAC over identity numbers and phones, for lookups that survive encryption at rest (issue 7). */
  PERSONAL_HASH_KEY: 'linli-dev-personal-hash-key-change-me',
  /** Elders are people of this age or more on the day they are registered (老年人: 60 and over). */
  ELDER_MIN_AGE: 60,
  /** Largest CSV import, in rows and in bytes; a bigger list is split by the community. */
  IMPORT_MAX_ROWS: 5_000,
  IMPORT_MAX_BYTES: 5 * 1024 * 1024,
  /** How far ahead visits are generated from the plans (the rolling horizon), in days. */
  VISIT_HORIZON_DAYS: 7,
  /** Local time (Asia/Shanghai) at which the horizon is extended by a day, every day. */
  VISIT_HORIZON_TIME: '01:00',
  /** A visit is handed to dispatch (job.requested) this long before it is due. */
  VISIT_DISPATCH_LEAD_MS: 4 * HOUR,
  /** No check-in this long after the due time: the visit is missed. */
  VISIT_GRACE_MS: HOUR,
  /** A missed visit dispatched again must be checked in within this long of the miss. */
  VISIT_REDISPATCH_WINDOW_MS: 2 * HOUR,
  /** Dispatches of one visit in all (the first included); after the last miss the visit stays missed. */
  VISIT_MAX_DISPATCHES: 2,
  /** Consecutive missed visits of an elder living alone that escalate to the community's emergency contacts. */
  ESCALATE_AFTER_MISSES: 2,
  /** A check-in further than this from the elder's home (metres) is flagged. */
  CHECK_IN_MAX_DISTANCE_M: 300,
  /** The follow-up visit after a hospital discharge: this many days later, at this local time. */
  DISCHARGE_FOLLOW_UP_DAYS: 3,
  DISCHARGE_FOLLOW_UP_TIME: '10:00',
  /**
   * Visit-and-discover (走访发现): the safety-visit rhythm per group in hardship, for elders without a safety visit
   * at least weekly in their plan. JSON; `alone` for elders living alone, `hardship` for any hardship flag.
   */
  DISCOVER_RHYTHMS: JSON.stringify({
    alone: { kind: 'weekly', weekdays: ['tue'], times: ['10:00'] },
    hardship: { kind: 'weekly', weekdays: ['wed'], times: ['10:00'] },
  }),
  /** Visits written per MongoDB round trip when a horizon is generated. */
  VISIT_WRITE_BATCH: 1_000,
  /** Attempts of a command that lost a version race to an unrelated change of the same document. */
  WRITE_ATTEMPTS: 8,
  /** Largest page of a list. */
  MAX_PAGE_SIZE: 100,
  /** Kafka group membership: a crashed instance's partitions move after this long. */
} as const;

const positive = (value: number) => Type.Integer({ minimum: 1, default: value });
const localTime = (value: string) =>
  Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', default: value });

export const ElderCareConfigSchema = Type.Composite([
  CommonConfigSchema,
  AuthConfigSchema,
  PersonalDataConfigSchema,
  WorkerConfigSchema,
  Type.Object({
    MONGO_DB: Type.String({ minLength: 1, default: ELDER_CARE_DEFAULTS.MONGO_DB }),
    PERSONAL_HASH_KEY: Type.String({ minLength: 16, default: ELDER_CARE_DEFAULTS.PERSONAL_HASH_KEY }),
    ELDER_MIN_AGE: Type.Integer({ minimum: 0, maximum: 120, default: ELDER_CARE_DEFAULTS.ELDER_MIN_AGE }),
    IMPORT_MAX_ROWS: Type.Integer({
      minimum: 1,
      maximum: 100_000,
      default: ELDER_CARE_DEFAULTS.IMPORT_MAX_ROWS,
    }),
    IMPORT_MAX_BYTES: positive(ELDER_CARE_DEFAULTS.IMPORT_MAX_BYTES),
    VISIT_HORIZON_DAYS: Type.Integer({
      minimum: 1,
      maximum: 92,
      default: ELDER_CARE_DEFAULTS.VISIT_HORIZON_DAYS,
    }),
    VISIT_HORIZON_TIME: localTime(ELDER_CARE_DEFAULTS.VISIT_HORIZON_TIME),
    VISIT_DISPATCH_LEAD_MS: Type.Integer({ minimum: 0, default: ELDER_CARE_DEFAULTS.VISIT_DISPATCH_LEAD_MS }),
    VISIT_GRACE_MS: positive(ELDER_CARE_DEFAULTS.VISIT_GRACE_MS),
    VISIT_REDISPATCH_WINDOW_MS: positive(ELDER_CARE_DEFAULTS.VISIT_REDISPATCH_WINDOW_MS),
    VISIT_MAX_DISPATCHES: Type.Integer({
      minimum: 1,
      maximum: 10,
      default: ELDER_CARE_DEFAULTS.VISIT_MAX_DISPATCHES,
    }),
    ESCALATE_AFTER_MISSES: Type.Integer({
      minimum: 1,
      maximum: 20,
      default: ELDER_CARE_DEFAULTS.ESCALATE_AFTER_MISSES,
    }),
    CHECK_IN_MAX_DISTANCE_M: positive(ELDER_CARE_DEFAULTS.CHECK_IN_MAX_DISTANCE_M),
    DISCHARGE_FOLLOW_UP_DAYS: Type.Integer({
      minimum: 0,
      maximum: 90,
      default: ELDER_CARE_DEFAULTS.DISCHARGE_FOLLOW_UP_DAYS,
    }),
    DISCHARGE_FOLLOW_UP_TIME: localTime(ELDER_CARE_DEFAULTS.DISCHARGE_FOLLOW_UP_TIME),
    DISCOVER_RHYTHMS: Type.String({ minLength: 2, default: ELDER_CARE_DEFAULTS.DISCOVER_RHYTHMS }),
    VISIT_WRITE_BATCH: Type.Integer({
      minimum: 1,
      maximum: 10_000,
      default: ELDER_CARE_DEFAULTS.VISIT_WRITE_BATCH,
    }),
    WRITE_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 100, default: ELDER_CARE_DEFAULTS.WRITE_ATTEMPTS }),
    MAX_PAGE_SIZE: Type.Integer({ minimum: 1, maximum: 1000, default: ELDER_CARE_DEFAULTS.MAX_PAGE_SIZE }),
  }),
]);
export type ElderCareConfig = Static<typeof ElderCareConfigSchema>;

/**
 * Read at import, so a bad deployment fails before anything connects. HTTP_PORT is the platform's variable; only
 * its default differs per service (the lead's port plan), so it is filled in before validation.
 */
export const config: ElderCareConfig = defineConfig(ElderCareConfigSchema, {
  ...process.env,
  HTTP_PORT: process.env.HTTP_PORT || String(ELDER_CARE_DEFAULTS.HTTP_PORT),
});
