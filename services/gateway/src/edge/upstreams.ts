// The services behind the edge: `/api/<service>/<rest>` goes to `<SERVICE_URL>/<rest>` (to one of its instances
// when the variable lists several). The names are the services' folder names, so a client reads the same name in
// the URL, the logs and the repository.
import type { GatewayConfig } from '../config';

export const ROUTED_SERVICES = [
  'resident-requests',
  'dispatch',
  'elder-care',
  'mediation',
  'emergency',
  'notifications',
  'insights',
] as const;

export type RoutedService = (typeof ROUTED_SERVICES)[number];

/** The prefix of every routed path. */
export const API_PREFIX = '/api';

type UpstreamUrls = Pick<
  GatewayConfig,
  | 'RESIDENT_REQUESTS_URL'
  | 'DISPATCH_URL'
  | 'ELDER_CARE_URL'
  | 'MEDIATION_URL'
  | 'EMERGENCY_URL'
  | 'NOTIFICATIONS_URL'
  | 'INSIGHTS_URL'
>;

/** A service's base URL, or several comma-separated (its instances; the gateway balances over them). */
export const UPSTREAM_URLS_PATTERN = '^\\s*https?://[^\\s,]+(\\s*,\\s*https?://[^\\s,]+)*\\s*$';

/** The variable of each routed service's URL (or comma-separated URLs, one per instance). */
const VARIABLES: Record<RoutedService, keyof UpstreamUrls> = {
  'resident-requests': 'RESIDENT_REQUESTS_URL',
  dispatch: 'DISPATCH_URL',
  'elder-care': 'ELDER_CARE_URL',
  mediation: 'MEDIATION_URL',
  emergency: 'EMERGENCY_URL',
  notifications: 'NOTIFICATIONS_URL',
  insights: 'INSIGHTS_URL',
};

/**
 * Each routed service's instances: the base URLs of its variable, comma-separated (one in Kubernetes, where the
 * Service balances; several with `npm start` and LINLI_SCALE), without trailing slashes, each once. A URL that is
 * not http(s) throws, naming the variable, so the gateway does not start with it.
 */
export function upstreamsOf(config: UpstreamUrls): ReadonlyMap<RoutedService, readonly string[]> {
  return new Map(
    ROUTED_SERVICES.map((service) => {
      const variable = VARIABLES[service];
      return [service, baseUrls(variable, config[variable])] as const;
    }),
  );
}

function baseUrls(variable: string, value: string): string[] {
  const bases = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      let parsed: URL;
      try {
        parsed = new URL(entry);
      } catch {
        throw new Error(`${variable}: "${entry}" is not a URL`);
      }
      if (!['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash) {
        throw new Error(`${variable}: "${entry}" must be an http(s) base URL without query or fragment`);
      }
      return entry.replace(/\/+$/, '');
    });
  if (bases.length === 0) throw new Error(`${variable}: no URL`);
  return [...new Set(bases)];
}

/**
 * The upstream URL of a routed request: the service's base URL (which may carry a path prefix of its own) and the
 * rest of the path after `/api/<service>`, without the query string (the proxy keeps that as it came).
 */
export function upstreamPath(base: string, service: string, url: string): string {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const rest = path.slice(`${API_PREFIX}/${service}`.length);
  return `${base}${rest.startsWith('/') ? rest : `/${rest}`}`;
}

/**
 * Paths of a service that stay inside the platform: its Prometheus metrics are scraped in the cluster, never
 * served to the public through the edge (they name routes, queues and consumer lag).
 */
const INTERNAL_PATHS = ['/metrics'];

/** The rest of a routed path (`/metrics`, `/metrics/`…) is internal to the platform. */
export function isInternalPath(service: string, url: string): boolean {
  const pathname = new URL(upstreamPath('http://internal', service, url)).pathname;
  let decoded: string;
  try {
    // `/%6detrics` is `/metrics` to the service's router.
    decoded = decodeURIComponent(pathname);
  } catch {
    return false; // not decodable: the proxy refuses it with 400 anyway
  }
  const rest = decoded.toLowerCase().replace(/\/+$/, '');
  return INTERNAL_PATHS.some((path) => rest === path || rest.startsWith(`${path}/`));
}
