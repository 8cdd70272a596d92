// The insights service's environment, validated once at start-up and typed everywhere after.
import { AuthConfigSchema } from '@linli/auth';
import { PersonalDataConfigSchema } from '@linli/persistence';
import { CommonConfigSchema, defineConfig, WorkerConfigSchema } from '@linli/platform';
import { Type, type Static } from '@sinclair/typebox';
import { INSIGHTS_DATABASE } from './topics';

const MIB = 1024 * 1024;

export const INSIGHTS_DEFAULTS = {
  HTTP_PORT: 3107,
  MONGO_DB: INSIGHTS_DATABASE,
  /**
   * A POST /exports body carries the table it turns into a file (up to EXPORT_MAX_ROWS rows): far more than the
   * platform's 1 MiB command bodies.
   */
  BODY_LIMIT_BYTES: 32 * MIB,
  /** Rows of one export (POST /exports): a spreadsheet past this is a data dump, not a table someone reads. */
  EXPORT_MAX_ROWS: 50_000,
  /** Columns of one export. */
  EXPORT_MAX_COLUMNS: 100,
  /** Periods of one trend (GET /indicators/:code/trend?count=). */
  TREND_MAX_COUNT: 60,
  TREND_DEFAULT_COUNT: 12,
} as const;

export const InsightsConfigSchema = Type.Composite([
  CommonConfigSchema,
  AuthConfigSchema,
  PersonalDataConfigSchema,
  WorkerConfigSchema,
  Type.Object({
    MONGO_DB: Type.String({ minLength: 1, default: INSIGHTS_DEFAULTS.MONGO_DB }),
    EXPORT_MAX_ROWS: Type.Integer({
      minimum: 1,
      maximum: 1_000_000,
      default: INSIGHTS_DEFAULTS.EXPORT_MAX_ROWS,
    }),
    EXPORT_MAX_COLUMNS: Type.Integer({
      minimum: 1,
      maximum: 1_000,
      default: INSIGHTS_DEFAULTS.EXPORT_MAX_COLUMNS,
    }),
    TREND_MAX_COUNT: Type.Integer({ minimum: 1, maximum: 1_000, default: INSIGHTS_DEFAULTS.TREND_MAX_COUNT }),
  }),
]);
export type InsightsConfig = Static<typeof InsightsConfigSchema>;

/** Read at import, so a bad deployment fails before anything connects. */
export const config: InsightsConfig = defineConfig(InsightsConfigSchema, {
  ...process.env,
  HTTP_PORT: process.env.HTTP_PORT || String(INSIGHTS_DEFAULTS.HTTP_PORT),
  BODY_LIMIT_BYTES: process.env.BODY_LIMIT_BYTES || String(INSIGHTS_DEFAULTS.BODY_LIMIT_BYTES),
});
