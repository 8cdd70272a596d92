// Configuration of PersistenceModule: every time limit is named here, with its default.
import { namespaced, withDefaults } from '@linli/platform';

export interface PersistenceModuleOptions {
  /** The service's own database, e.g. `dispatch`. A service never reads another's. */
  dbName: string;
  /** Default: env MONGO_URL, else mongodb://127.0.0.1:27017. */
  url?: string;
  /** For a second connection in one app (rare); the default connection otherwise. */
  connectionName?: string;
  /** Upper bound on the readiness ping. */
  readinessTimeoutMs?: number;
  /** How long the driver looks for a server before an operation fails (start-up included). */
  serverSelectionTimeoutMs?: number;
}

export type ResolvedPersistenceOptions = Required<Omit<PersistenceModuleOptions, 'connectionName'>> &
  Pick<PersistenceModuleOptions, 'connectionName'>;

const SECOND = 1000;

export const PERSISTENCE_DEFAULTS = {
  readinessTimeoutMs: 2 * SECOND,
  serverSelectionTimeoutMs: 10 * SECOND,
} as const;

const DEFAULT_MONGO_URL = 'mongodb://127.0.0.1:27017';

export function resolvePersistenceOptions(
  options: PersistenceModuleOptions,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedPersistenceOptions {
  const resolved = withDefaults(
    { ...PERSISTENCE_DEFAULTS, url: env.MONGO_URL ?? DEFAULT_MONGO_URL },
    options,
  ) as ResolvedPersistenceOptions;
  // The deployment's namespace (LINLI_NAMESPACE) gives it databases of its own on a shared server.
  return { ...resolved, dbName: namespaced(resolved.dbName, '-', env) };
}
