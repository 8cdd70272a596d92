// Drives the running services over HTTP as their users do: the operator, the provider, the supervisor.
import { authHeader, eventually as poll, startService, type ServiceProcess } from '@linli/testing';

/** Waits of the e2e tests are longer: every service and the infrastructure share two cores. */
export function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  return poll(what, probe, { timeoutMs: 60_000, intervalMs: 250, ...options });
}
import type { Role } from '@linli/auth';

export const GULOU = '320106';
/** 仙霞路社区, a community of 宁海路街道 in Nanjing's Gulou district. */
export const XIANXIA_ROAD = '320106001003';
/** 梅园新村社区 in Xuanwu district: another district. */
export const MEIYUAN = '320102002001';

/** A response body as the tests read it: JSON whose shape each assertion states. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Reply<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Caller {
  role: Role;
  jurisdiction: string;
  sub?: string;
  providerId?: string;
}

export const operator: Caller = { role: 'operator', jurisdiction: GULOU, sub: 'op-gulou-1' };
export const supervisor: Caller = { role: 'supervisor', jurisdiction: GULOU, sub: 'sup-gulou-1' };
export const admin: Caller = { role: 'admin', jurisdiction: '32', sub: 'admin-1' };
export const providerUser = (providerId: string): Caller => ({
  role: 'provider',
  jurisdiction: GULOU,
  sub: `user-${providerId}`,
  providerId,
});

export async function call<T = Json>(
  service: ServiceProcess,
  method: string,
  path: string,
  caller?: Caller,
  body?: unknown,
): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (caller) {
    Object.assign(
      headers,
      authHeader(caller.role, caller.jurisdiction, {
        ...(caller.sub ? { sub: caller.sub } : {}),
        ...(caller.providerId ? { providerId: caller.providerId } : {}),
      }),
    );
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(service.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

export interface Platform {
  requests: ServiceProcess;
  dispatch: ServiceProcess;
  stop(): Promise<void>;
}

/** Short delays by configuration, as the issue asks (never a test-only code path). */
export const FAST = {
  OFFER_TIMEOUT_MS: '120000',
  OFFER_TIMEOUT_IMMEDIATE_MS: '120000',
  CALLBACK_DELAY_MS: '1500',
  CALLBACK_RETRY_DELAY_MS: '1000',
  // A killed instance's partitions go to the restarted one in seconds, not the default 30.
  CONSUMER_SESSION_TIMEOUT_MS: '6000',
  CONSUMER_HEARTBEAT_INTERVAL_MS: '1000',
};

export async function startPlatform(env: NodeJS.ProcessEnv = {}): Promise<Platform> {
  const shared = { ...FAST, LOG_LEVEL: 'warn', ...env };
  const started = await Promise.allSettled([
    startService({ name: 'resident-requests', env: shared, readyTimeoutMs: 90_000 }),
    startService({ name: 'dispatch', env: shared, readyTimeoutMs: 90_000 }),
  ]);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    // One did not start: stop the other, which no afterAll would reach, and report why.
    await Promise.all(
      started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)),
    );
    throw (failed as PromiseRejectedResult).reason;
  }
  const [requests, dispatch] = started.map(
    (result) => (result as PromiseFulfilledResult<ServiceProcess>).value,
  ) as [ServiceProcess, ServiceProcess];
  return {
    requests,
    dispatch,
    stop: async () => {
      await Promise.all([requests.stop(), dispatch.stop()]);
    },
  };
}

let sequence = 0;
export function uniqueId(prefix: string): string {
  sequence += 1;
  return `${prefix}-${Date.now().toString(36)}-${sequence}`;
}

export async function registerProvider(
  platform: Platform,
  overrides: Record<string, unknown> = {},
): Promise<{ providerId: string }> {
  const providerId = (overrides['providerId'] as string) ?? uniqueId('prv');
  const reply = await call(platform.dispatch, 'POST', '/providers', supervisor, {
    providerId,
    name: `维修服务队 ${providerId}`,
    kind: 'community',
    skills: ['repair'],
    serviceAreas: [GULOU],
    capacity: 5,
    available: true,
    jurisdiction: GULOU,
    ...overrides,
  });
  if (reply.status !== 201)
    throw new Error(`provider not registered: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { providerId };
}

export function hotlineTicket(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'hotline',
    category: 'repair',
    description: '厨房水龙头漏水，需要上门维修',
    reporter: { name: '王秀英', phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` },
    place: { communityCode: XIANXIA_ROAD, address: '仙霞路 12 号 3 单元 502 室' },
    ...overrides,
  };
}

/** The job currently offered to this provider for the ticket, once it arrives. */
export async function offeredJob(platform: Platform, providerId: string, jobId: string): Promise<Json> {
  return eventually(`job ${jobId} offered to ${providerId}`, async () => {
    const reply = await call(platform.dispatch, 'GET', '/jobs/offered', providerUser(providerId));
    return reply.status === 200 ? reply.body.items.find((j: Json) => j.jobId === jobId) : undefined;
  });
}

export async function ticketWhen(
  platform: Platform,
  ticketId: string,
  predicate: (ticket: Json) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<Json> {
  return eventually(
    `ticket ${ticketId} ${what}`,
    async () => {
      const reply = await call(platform.requests, 'GET', `/tickets/${ticketId}`, operator);
      return reply.status === 200 && predicate(reply.body) ? reply.body : undefined;
    },
    { timeoutMs },
  );
}
