// The mediation service's environment, validated once at start-up and typed everywhere after.
import { AuthConfigSchema } from '@linli/auth';
import { PersonalDataConfigSchema } from '@linli/persistence';
import { CASE_TYPES } from '@linli/contracts';
import { CommonConfigSchema, defineConfig, WorkerConfigSchema } from '@linli/platform';
import { Type, type Static } from '@sinclair/typebox';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const MEDIATION_DEFAULTS = {
  HTTP_PORT: 3104,
  MONGO_DB: 'linli-mediation',
  /** Key of the HMAC over parties' phones and identity numbers, matched against mediators' declared conflicts. */
  PERSONAL_HASH_KEY: 'linli-dev-personal-hash-key-change-me',
  /** A case's time limit from its opening (人民调解: 30 days), unless its type has its own below. */
  CASE_TIME_LIMIT_MS: 30 * DAY,
  /** Time limits per case type, JSON `{ "labour": 1296000000 }` in ms; types not named take CASE_TIME_LIMIT_MS. */
  CASE_TIME_LIMITS_BY_TYPE: '{}',
  /** The one extension of a time limit may add at most this much. */
  CASE_MAX_EXTENSION_MS: 30 * DAY,
  /** A reopened case (a term of its agreement not kept) gets this long from the reopening. */
  CASE_REOPEN_TIME_LIMIT_MS: 30 * DAY,
  /** Reminders before a session, comma-separated ms (24 hours and 1 hour). */
  SESSION_REMINDER_LEADS_MS: `${24 * HOUR},${HOUR}`,
  /** Follow-up visit after an agreement, when the plan is after-period. */
  FOLLOW_UP_AFTER_MS: 30 * DAY,
  /** A case's job in dispatch must be taken by a mediator within this long (the job's dueBy). */
  MEDIATOR_ACCEPT_WITHIN_MS: 2 * DAY,
  /** Largest text fields (description, minutes, agreement text), in characters. */
  TEXT_MAX_LENGTH: 5_000,
  /** Largest number of parties of one case, sessions of one case, terms of one agreement. */
  MAX_PARTIES: 20,
  MAX_SESSIONS: 30,
  MAX_TERMS: 30,
  /** Attempts of a command that lost a version race to an unrelated change of the same case. */
  WRITE_ATTEMPTS: 8,
  MAX_PAGE_SIZE: 100,
} as const;

const positive = (value: number) => Type.Integer({ minimum: 1, default: value });

export const MediationConfigSchema = Type.Composite([
  CommonConfigSchema,
  AuthConfigSchema,
  PersonalDataConfigSchema,
  WorkerConfigSchema,
  Type.Object({
    MONGO_DB: Type.String({ minLength: 1, default: MEDIATION_DEFAULTS.MONGO_DB }),
    PERSONAL_HASH_KEY: Type.String({ minLength: 16, default: MEDIATION_DEFAULTS.PERSONAL_HASH_KEY }),
    CASE_TIME_LIMIT_MS: positive(MEDIATION_DEFAULTS.CASE_TIME_LIMIT_MS),
    CASE_TIME_LIMITS_BY_TYPE: Type.String({
      minLength: 2,
      default: MEDIATION_DEFAULTS.CASE_TIME_LIMITS_BY_TYPE,
    }),
    CASE_MAX_EXTENSION_MS: positive(MEDIATION_DEFAULTS.CASE_MAX_EXTENSION_MS),
    CASE_REOPEN_TIME_LIMIT_MS: positive(MEDIATION_DEFAULTS.CASE_REOPEN_TIME_LIMIT_MS),
    SESSION_REMINDER_LEADS_MS: Type.String({
      pattern: '^[0-9]+(,[0-9]+)*$',
      default: MEDIATION_DEFAULTS.SESSION_REMINDER_LEADS_MS,
    }),
    FOLLOW_UP_AFTER_MS: positive(MEDIATION_DEFAULTS.FOLLOW_UP_AFTER_MS),
    MEDIATOR_ACCEPT_WITHIN_MS: positive(MEDIATION_DEFAULTS.MEDIATOR_ACCEPT_WITHIN_MS),
    TEXT_MAX_LENGTH: Type.Integer({
      minimum: 100,
      maximum: 100_000,
      default: MEDIATION_DEFAULTS.TEXT_MAX_LENGTH,
    }),
    MAX_PARTIES: Type.Integer({ minimum: 2, maximum: 100, default: MEDIATION_DEFAULTS.MAX_PARTIES }),
    MAX_SESSIONS: Type.Integer({ minimum: 1, maximum: 200, default: MEDIATION_DEFAULTS.MAX_SESSIONS }),
    MAX_TERMS: Type.Integer({ minimum: 1, maximum: 200, default: MEDIATION_DEFAULTS.MAX_TERMS }),
    WRITE_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 100, default: MEDIATION_DEFAULTS.WRITE_ATTEMPTS }),
    MAX_PAGE_SIZE: Type.Integer({ minimum: 1, maximum: 1000, default: MEDIATION_DEFAULTS.MAX_PAGE_SIZE }),
  }),
]);
export type MediationConfig = Static<typeof MediationConfigSchema>;

/** Read at import, so a bad deployment fails before anything connects. */
export const config: MediationConfig = defineConfig(MediationConfigSchema, {
  ...process.env,
  HTTP_PORT: process.env.HTTP_PORT || String(MEDIATION_DEFAULTS.HTTP_PORT),
});

export type CaseType = (typeof CASE_TYPES)[number];

/** The time limits per type, from CASE_TIME_LIMITS_BY_TYPE over CASE_TIME_LIMIT_MS; a bad table stops start-up. */
export function timeLimitsByType(
  settings: Pick<MediationConfig, 'CASE_TIME_LIMIT_MS' | 'CASE_TIME_LIMITS_BY_TYPE'>,
) {
  const overrides = JSON.parse(settings.CASE_TIME_LIMITS_BY_TYPE) as Record<string, unknown>;
  const limits = Object.fromEntries(CASE_TYPES.map((type) => [type, settings.CASE_TIME_LIMIT_MS])) as Record<
    CaseType,
    number
  >;
  for (const [type, value] of Object.entries(overrides)) {
    if (!(CASE_TYPES as readonly string[]).includes(type))
      throw new Error(`CASE_TIME_LIMITS_BY_TYPE: unknown case type ${type}`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
      throw new Error(`CASE_TIME_LIMITS_BY_TYPE: ${type} must be a positive integer of ms`);
    limits[type as CaseType] = value;
  }
  return limits;
}

/** The session reminder leads, longest first. */
export function reminderLeads(settings: Pick<MediationConfig, 'SESSION_REMINDER_LEADS_MS'>): number[] {
  return [...new Set(settings.SESSION_REMINDER_LEADS_MS.split(',').map(Number))]
    .filter((lead) => lead > 0)
    .sort((a, b) => b - a);
}
