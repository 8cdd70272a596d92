// The services behind the edge: `/api/<service>/<rest>` goes to `<SERVICE_URL>/<rest>`. The names are the
// services' folder names, so a client reads the same name in the URL, the logs and the repository.
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

/** Each routed service's base URL (no trailing slash), from the configuration. */
export function upstreamsOf(config: UpstreamUrls): ReadonlyMap<RoutedService, string> {
  const urls: Record<RoutedService, string> = {
    'resident-requests': config.RESIDENT_REQUESTS_URL,
    dispatch: config.DISPATCH_URL,
    'elder-care': config.ELDER_CARE_URL,
    mediation: config.MEDIATION_URL,
    emergency: config.EMERGENCY_URL,
    notifications: config.NOTIFICATIONS_URL,
    insights: config.INSIGHTS_URL,
  };
  return new Map(ROUTED_SERVICES.map((service) => [service, urls[service].replace(/\/+$/, '')] as const));
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
