// Drives the running services over HTTP as their users do: the operator, the provider, the supervisor.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authHeader, eventually as poll, freePort, startService, type ServiceProcess } from '@linli/testing';
import { validateXmlWithXsd, type XsdValidationResult } from '@linli/platform';

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
  const headers: Record<string, string> = caller
    ? authHeader(caller.role, caller.jurisdiction, {
        ...(caller.sub ? { sub: caller.sub } : {}),
        ...(caller.providerId ? { providerId: caller.providerId } : {}),
      })
    : {};
  return send<T>(service, method, path, headers, body);
}

/** One JSON request: a string body goes as it is, anything else as JSON; the reply parsed when it is JSON. */
async function send<T>(
  service: ServiceProcess,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<Reply<T>> {
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

/** The platform with elder-care running beside resident-requests and dispatch. */
export interface ElderCarePlatform extends Platform {
  elderCare: ServiceProcess;
}

/** The platform with mediation (人民调解) running beside resident-requests and dispatch. */
export interface MediationPlatform extends Platform {
  mediation: ServiceProcess;
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

/**
 * resident-requests and dispatch, and elder-care or mediation too when asked (`{ elderCare: true }`,
 * `{ mediation: true }`), each a process of its own in this test file's namespace.
 */
export function startPlatform(env?: NodeJS.ProcessEnv): Promise<Platform>;
export function startPlatform(
  env: NodeJS.ProcessEnv,
  options: { elderCare: true },
): Promise<ElderCarePlatform>;
export function startPlatform(
  env: NodeJS.ProcessEnv,
  options: { mediation: true },
): Promise<MediationPlatform>;
export async function startPlatform(
  env: NodeJS.ProcessEnv = {},
  options: { elderCare?: boolean; mediation?: boolean } = {},
): Promise<Platform | ElderCarePlatform | MediationPlatform> {
  const extra = options.elderCare ? 'elder-care' : options.mediation ? 'mediation' : undefined;
  const names = ['resident-requests', 'dispatch', ...(extra ? [extra] : [])];
  const [requests, dispatch, third] = await startServices(names, env);
  const all = [requests, dispatch, third].filter((s): s is ServiceProcess => Boolean(s));
  const stop = async () => {
    await Promise.all(all.map((service) => service.stop()));
  };
  if (options.elderCare) return { requests, dispatch, elderCare: third, stop } as ElderCarePlatform;
  if (options.mediation) return { requests, dispatch, mediation: third, stop } as MediationPlatform;
  return { requests, dispatch, stop } as Platform;
}

/** Services by name, started at once; if one does not start, the others are stopped and the reason thrown. */
export async function startServices(
  names: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ServiceProcess[]> {
  const shared = { ...FAST, LOG_LEVEL: 'warn', ...env };
  const started = await Promise.allSettled(
    names.map((name) => startService({ name, env: shared, readyTimeoutMs: 90_000 })),
  );
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    // One did not start: stop the others, which no afterAll would reach, and report why.
    await Promise.all(
      started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)),
    );
    throw (failed as PromiseRejectedResult).reason;
  }
  return started.map((result) => (result as PromiseFulfilledResult<ServiceProcess>).value);
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

/** The job currently offered to this provider (a mediator: give `as`), once it arrives. */
export async function offeredJob(
  platform: Platform,
  providerId: string,
  jobId: string,
  as: Caller = providerUser(providerId),
): Promise<Json> {
  return eventually(`job ${jobId} offered to ${providerId}`, async () => {
    const reply = await call(platform.dispatch, 'GET', '/jobs/offered', as);
    return reply.status === 200 ? reply.body.items.find((j: Json) => j.jobId === jobId) : undefined;
  });
}

/** Reads `path` as `caller` until the reply is 200 and `predicate` holds of its body; that body. */
export async function readWhen(
  service: ServiceProcess,
  path: string,
  caller: Caller,
  predicate: (body: Json) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<Json> {
  return eventually(
    what,
    async () => {
      const reply = await call(service, 'GET', path, caller);
      return reply.status === 200 && predicate(reply.body) ? reply.body : undefined;
    },
    { timeoutMs },
  );
}

export async function ticketWhen(
  platform: Platform,
  ticketId: string,
  predicate: (ticket: Json) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<Json> {
  return readWhen(
    platform.requests,
    `/tickets/${ticketId}`,
    operator,
    predicate,
    `ticket ${ticketId} ${what}`,
    timeoutMs,
  );
}

// ---- elder-care ---------------------------------------------------------------------------------------------------

/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

/** The local (Asia/Shanghai) date of an instant, YYYY-MM-DD. */
export function localDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The local (Asia/Shanghai) time of an instant, HH:mm. */
export function localTime(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);
}

/** The instant of a local date and time in Asia/Shanghai. */
export function shanghai(date: string, time = '00:00'): Date {
  return new Date(`${date}T${time}:00+08:00`);
}

/** mon … sun of a local date. */
export function weekdayOf(date: string): string {
  return ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][
    new Date(`${date}T00:00:00Z`).getUTCDay()
  ] as string;
}

/** The local date `days` after another. */
export function addDays(date: string, days: number): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** A valid 18-digit resident identity number (GB 11643) with its check digit; odd sequence: male. */
export function identityNumberFor(birthDate: string, sequence: number, region = '320106'): string {
  const body = `${region}${birthDate.replace(/-/g, '')}${String(sequence % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body
    .split('')
    .reduce((total, digit, index) => total + Number(digit) * (weights[index] ?? 0), 0);
  return body + '10X98765432'[sum % 11];
}

let issuedIdentities = Math.floor(Math.random() * 50_000);
/** A fresh identity number agreeing with the birth date and gender, never the same twice in one test process. */
export function uniqueIdentityNumber(birthDate: string, gender: 'male' | 'female'): string {
  const n = issuedIdentities++;
  const sequence = (n % 500) * 2 + (gender === 'male' ? 1 : 0);
  const region = `3201${String(Math.floor(n / 500) % 100).padStart(2, '0')}`;
  return identityNumberFor(birthDate, sequence, region);
}

/** The elder's home in 仙霞路社区 (a check-in here is near; a kilometre off is far). */
export const ELDER_HOME = { lat: 32.0565, lng: 118.7694 };

/** A registration as an operator fills it in: an elder of 仙霞路社区 living alone unless told otherwise. */
export function elderRegistration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const birthDate = (overrides['birthDate'] as string) ?? '1942-03-15';
  const gender = (overrides['gender'] as 'male' | 'female') ?? 'female';
  return {
    name: '王秀英',
    gender,
    birthDate,
    identityNumber: uniqueIdentityNumber(birthDate, gender),
    phone: '13812345678',
    community: XIANXIA_ROAD,
    address: '鼓楼区宁海路 12 号 3 单元 502',
    home: ELDER_HOME,
    livingSituation: 'alone',
    careLevel: 'partly-dependent',
    hardship: [],
    emergencyContacts: [{ name: '李明', relation: 'son', phone: '13912345678' }],
    consentToServices: true,
    ...overrides,
  };
}

export async function registerElder(
  platform: ElderCarePlatform,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const reply = await call(platform.elderCare, 'POST', '/elders', operator, elderRegistration(overrides));
  if (reply.status !== 201)
    throw new Error(`elder not registered: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.elderId as string;
}

/** A caregiver in dispatch: a community provider of Gulou with the care skills (and any others given). */
export async function registerCaregiver(
  platform: Platform,
  overrides: Record<string, unknown> = {},
): Promise<{ providerId: string }> {
  return registerProvider(platform, {
    name: '仙霞路居家养老服务站',
    skills: ['meal-delivery', 'bathing', 'health-check', 'companionship', 'safety-visit', 'cleaning'],
    capacity: 20,
    ...overrides,
  });
}

/** A one-off visit (source manual) due at `dueAt`; its view. */
export async function oneOffVisit(
  platform: ElderCarePlatform,
  elderId: string,
  service: string,
  dueAt: Date,
): Promise<Json> {
  const reply = await call(platform.elderCare, 'POST', `/elders/${elderId}/visits`, operator, {
    service,
    dueAt: dueAt.toISOString(),
  });
  if (reply.status !== 201) throw new Error(`visit not added: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export async function visitWhen(
  platform: ElderCarePlatform,
  visitId: string,
  predicate: (visit: Json) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<Json> {
  return readWhen(
    platform.elderCare,
    `/visits/${visitId}`,
    supervisor,
    predicate,
    `visit ${visitId} ${what}`,
    timeoutMs,
  );
}

export async function jobWhen(
  platform: Platform,
  jobId: string,
  predicate: (job: Json) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<Json> {
  return readWhen(
    platform.dispatch,
    `/jobs/${jobId}`,
    supervisor,
    predicate,
    `job ${jobId} ${what}`,
    timeoutMs,
  );
}

/** Every visit of an elder (any status) as staff see them, ordered by due time. */
export async function visitsOf(platform: ElderCarePlatform, elderId: string, query = ''): Promise<Json[]> {
  const reply = await call(platform.elderCare, 'GET', `/elders/${elderId}/visits${query}`, operator);
  if (reply.status !== 200)
    throw new Error(`visits not listed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.items as Json[];
}

/** A CSV upload (or any non-JSON body) with its own content type. */
export async function upload<T = Json>(
  service: ServiceProcess,
  path: string,
  caller: Caller,
  body: string,
  contentType: string,
): Promise<Reply<T>> {
  const response = await fetch(service.url + path, {
    method: 'POST',
    headers: {
      ...authHeader(caller.role, caller.jurisdiction, caller.sub ? { sub: caller.sub } : {}),
      'content-type': contentType,
    },
    body,
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

// ---- mediation (人民调解) ------------------------------------------------------------------------------------------

/** 宁海路街道 (the street of 仙霞路社区): where a case of the community escalates first. */
export const NINGHAI_ROAD_STREET = '320106001';

/** A mediator (人民调解员) of Gulou signed in: role mediator, acting for their provider in dispatch. */
export const mediatorUser = (providerId: string, jurisdiction = GULOU): Caller => ({
  role: 'mediator',
  jurisdiction,
  sub: `mediator-${providerId}`,
  providerId,
});

/** A mediator in dispatch: a community provider with the skill mediation, serving Gulou unless told otherwise. */
export async function registerMediator(
  platform: Platform,
  overrides: Record<string, unknown> = {},
): Promise<{ providerId: string }> {
  return registerProvider(platform, {
    providerId: uniqueId('med'),
    name: '宁海路街道人民调解委员会',
    kind: 'community',
    skills: ['mediation'],
    capacity: 10,
    ...overrides,
  });
}

/** A mainland mobile number never handed out before in this test process. */
export function uniquePhone(): string {
  return `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

/** The hotline call about a dispute, as the operator takes it down. */
export function disputeTicket(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return hotlineTicket({
    category: 'dispute',
    description: '楼上邻居装修噪音扰民，多次沟通未果，双方发生争吵，请求调解',
    ...overrides,
  });
}

/** The two sides of a neighbours' dispute, with fresh phones (a conflict is declared against one of them). */
export function disputeParties(): Array<Record<string, unknown>> {
  return [
    { role: 'applicant', name: '王秀英', phone: uniquePhone() },
    { role: 'respondent', name: '李建国', phone: uniquePhone() },
  ];
}

/** A case opened by hand (POST /cases) by whoever is given: its view. */
export async function openCase(
  platform: MediationPlatform,
  caller: Caller,
  overrides: Record<string, unknown> = {},
): Promise<Json> {
  const reply = await call(platform.mediation, 'POST', '/cases', caller, {
    caseType: 'neighbour',
    communityCode: XIANXIA_ROAD,
    description: '楼上邻居装修噪音扰民，双方多次争吵',
    parties: disputeParties(),
    ...overrides,
  });
  if (reply.status !== 201) throw new Error(`case not opened: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** The case's view (as a supervisor unless told) once the predicate holds. */
export async function caseWhen(
  platform: MediationPlatform,
  caseId: string,
  predicate: (view: Json) => boolean,
  what: string,
  options: { timeoutMs?: number; as?: Caller } = {},
): Promise<Json> {
  return readWhen(
    platform.mediation,
    `/cases/${caseId}`,
    options.as ?? supervisor,
    predicate,
    `case ${caseId} ${what}`,
    options.timeoutMs,
  );
}

/** The case a ticket opened by itself, found as the operator finds it (GET /cases?ticketId=), once it exists. */
export async function caseOfTicket(platform: MediationPlatform, ticketId: string): Promise<Json> {
  return eventually(`a case opened from ticket ${ticketId}`, async () => {
    const reply = await call(platform.mediation, 'GET', `/cases?ticketId=${ticketId}`, operator);
    // The items, not the total: the list reads its page and its count side by side, so a case inserted between the
    // two reads can be counted before it is listed (CI saw total 1 with no items).
    return reply.status === 200 && reply.body.items?.length >= 1 ? reply.body : undefined;
  });
}

/** Waits until an instant has passed (a session's time, a timer's due time): not an assertion, a precondition. */
export async function waitUntil(at: Date | string, marginMs = 250): Promise<void> {
  const left = new Date(at).getTime() + marginMs - Date.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}

// ---- emergency (社区应急) and notifications -------------------------------------------------------------------------

/** An emergency coordinator (应急) of Gulou signed in. */
export const coordinator: Caller = { role: 'coordinator', jurisdiction: GULOU, sub: 'coord-gulou-1' };

/** Communities of 宁海路街道 (NINGHAI_ROAD_STREET), from the administrative tree. */
export const NINGHAI_ROAD_COMMUNITIES = [
  '320106001003', // 仙霞路
  '320106001004', // 苏州路
  '320106001005', // 颐和路
  '320106001007', // 北京西路
  '320106001008', // 天津新村
] as const;
/** 华侨路街道, the next street of Gulou, and two of its communities: outside an alert for 宁海路街道. */
export const HUAQIAO_ROAD_STREET = '320106002';
export const HUAQIAO_ROAD_COMMUNITIES = ['320106002002', '320106002004'] as const;

/** emergency and notifications, with dispatch and elder-care too when asked (`{ welfare: true }`). */
export interface EmergencyPlatform {
  emergency: ServiceProcess;
  notifications: ServiceProcess;
  /** Only with `{ welfare: true }`. */
  dispatch?: ServiceProcess;
  elderCare?: ServiceProcess;
  stop(): Promise<void>;
}

export async function startEmergencyPlatform(
  env: NodeJS.ProcessEnv = {},
  options: { welfare?: boolean } = {},
): Promise<EmergencyPlatform> {
  const names = ['emergency', 'notifications', ...(options.welfare ? ['dispatch', 'elder-care'] : [])];
  const services = await startServices(names, env);
  const [emergency, notifications, dispatch, elderCare] = services as [
    ServiceProcess,
    ServiceProcess,
    ServiceProcess | undefined,
    ServiceProcess | undefined,
  ];
  return {
    emergency,
    notifications,
    dispatch,
    elderCare,
    stop: async () => {
      await Promise.all(services.map((service) => service.stop()));
    },
  };
}

/** The caller's own inbox items (GET /inbox on notifications), newest first. */
export async function inboxOf(notifications: ServiceProcess, caller: Caller): Promise<Json[]> {
  const reply = await call(notifications, 'GET', '/inbox?limit=100', caller);
  if (reply.status !== 200) throw new Error(`inbox not read: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.items as Json[];
}

/** The caller's inbox items once `predicate` holds of them. */
export async function inboxWhen(
  notifications: ServiceProcess,
  caller: Caller,
  predicate: (items: Json[]) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<Json[]> {
  return eventually(
    `${caller.providerId ?? caller.sub}'s inbox ${what}`,
    async () => {
      const reply = await call(notifications, 'GET', '/inbox?limit=100', caller);
      return reply.status === 200 && predicate(reply.body.items) ? (reply.body.items as Json[]) : undefined;
    },
    { timeoutMs },
  );
}

/** The alert's view (as the coordinator unless told) once the predicate holds. */
export async function alertWhen(
  emergency: ServiceProcess,
  alertId: string,
  predicate: (alert: Json) => boolean,
  what: string,
  options: { timeoutMs?: number; as?: Caller } = {},
): Promise<Json> {
  return readWhen(
    emergency,
    `/alerts/${alertId}`,
    options.as ?? coordinator,
    predicate,
    `alert ${alertId} ${what}`,
    options.timeoutMs,
  );
}

/** Every item of a paged list (`?page=` 1, 2, … until `total` is reached or a page comes back empty), as `caller`. */
export async function allPages(service: ServiceProcess, path: string, caller: Caller): Promise<Json[]> {
  const items: Json[] = [];
  for (let page = 1; page <= 100; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const reply = await call(service, 'GET', `${path}${separator}page=${page}`, caller);
    if (reply.status !== 200) throw new Error(`${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    const batch = reply.body.items as Json[];
    items.push(...batch);
    if (batch.length === 0 || typeof reply.body.total !== 'number' || items.length >= reply.body.total) break;
  }
  return items;
}

/**
 * What an outside CAP 1.2 consumer would check: the XML against the official OASIS XSD (the copy the emergency
 * service carries, read as a file), with the platform's validator (libxml2's xmllint as WebAssembly, no network).
 */
export function validateAgainstCapXsd(xml: string): Promise<XsdValidationResult> {
  const xsdPath = join(
    __dirname,
    '..',
    '..',
    '..',
    'services',
    'emergency',
    'src',
    'cap',
    'schema',
    'cap-v1.2.xsd',
  );
  return validateXmlWithXsd(xml, { fileName: 'cap-v1.2.xsd', contents: readFileSync(xsdPath, 'utf8') });
}

// ---- the gateway (issue 7): the one public entry, in front of the services -----------------------------------------

/** The gateway's first user, `admin` (jurisdiction 32), signs in with this (BOOTSTRAP_ADMIN_PASSWORD). */
export const GATEWAY_ADMIN_PASSWORD = 'e2e-admin-password-2026';

export interface GatewayPlatform {
  gateway: ServiceProcess;
  /** The services behind it, by name. */
  services: Record<string, ServiceProcess>;
  stop(): Promise<void>;
}

/**
 * The gateway in front of the named services (resident-requests and dispatch unless told), all started at once:
 * their ports are chosen first so the gateway gets their URLs (RESIDENT_REQUESTS_URL …) without waiting for them.
 * `env` goes to every process; `gatewayEnv` to the gateway only; `readyTimeoutMs` is how long each may take to start.
 */
export async function startGatewayPlatform(
  names: readonly string[] = ['resident-requests', 'dispatch'],
  env: NodeJS.ProcessEnv = {},
  gatewayEnv: NodeJS.ProcessEnv = {},
  readyTimeoutMs = 90_000,
): Promise<GatewayPlatform> {
  const ports = await Promise.all(names.map(() => freePort()));
  const urls = Object.fromEntries(
    names.map((name, i) => [`${name.toUpperCase().replace(/-/g, '_')}_URL`, `http://127.0.0.1:${ports[i]}`]),
  );
  const shared = { ...FAST, LOG_LEVEL: 'warn', ...env };
  const started = await Promise.allSettled([
    startService({
      name: 'gateway',
      env: { ...shared, BOOTSTRAP_ADMIN_PASSWORD: GATEWAY_ADMIN_PASSWORD, ...urls, ...gatewayEnv },
      readyTimeoutMs,
    }),
    ...names.map((name, i) => startService({ name, port: ports[i], env: shared, readyTimeoutMs })),
  ]);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(
      started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)),
    );
    throw (failed as PromiseRejectedResult).reason;
  }
  const [gateway, ...services] = started.map(
    (result) => (result as PromiseFulfilledResult<ServiceProcess>).value,
  ) as [ServiceProcess, ...ServiceProcess[]];
  return {
    gateway,
    services: Object.fromEntries(services.map((service) => [service.name, service])),
    stop: async () => {
      await Promise.all([gateway, ...services].map((service) => service.stop()));
    },
  };
}

/** A request with a token the gateway issued (or none): JSON in, the reply as `call` gives it. */
export async function callWithToken<T = Json>(
  service: ServiceProcess,
  method: string,
  path: string,
  accessToken?: string,
  body?: unknown,
): Promise<Reply<T>> {
  return send<T>(service, method, path, accessToken ? { authorization: `Bearer ${accessToken}` } : {}, body);
}

/** Signs in at the gateway (POST /auth/login); its token answer (accessToken, refreshToken, user…). */
export async function signIn(gateway: ServiceProcess, username: string, password: string): Promise<Json> {
  const reply = await callWithToken(gateway, 'POST', '/auth/login', undefined, { username, password });
  if (reply.status !== 200)
    throw new Error(`${username} not signed in: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}
