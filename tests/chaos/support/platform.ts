// The platform a chaos scenario runs against: a private local stack (its own ports, so faults never touch the
// stack other people's tests use) and every service as processes started by deploy/local/platform.sh with
// LINLI_SCALE. Each scenario gets a fresh LINLI_NAMESPACE (new databases, topics, groups and Bull keys) on the
// same warm stack: restarting the services is needed anyway, restarting Kafka and mongo is not.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import type { ChaosPlatform, ServiceName } from './types';

export const REPO = path.resolve(__dirname, '../../..');
/** Where a run keeps its results, ledgers and logs: tmp/chaos, or CHAOS_DIR (a soak beside the scenarios). */
export const CHAOS_DIR = path.resolve(REPO, process.env['CHAOS_DIR'] ?? 'tmp/chaos');

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/**
 * The private stack of the chaos runs (ports 42xxx, services at +2000: the gateway on 5100). CHAOS_KAFKA_PORT,
 * CHAOS_MONGO_PORT, CHAOS_REDIS_PORT and CHAOS_PORT_OFFSET move it, so a soak can run beside the scenarios (with its
 * own CHAOS_DIR and CHAOS_FAKE_SMS_PORT).
 */
export const CHAOS_STACK = {
  dir: path.join(CHAOS_DIR, '.linli'),
  kafkaPort: port('CHAOS_KAFKA_PORT', 42092),
  kafkaControllerPort: port('CHAOS_KAFKA_PORT', 42092) + 1,
  mongoPort: port('CHAOS_MONGO_PORT', 42017),
  redisPort: port('CHAOS_REDIS_PORT', 42379),
  portOffset: port('CHAOS_PORT_OFFSET', 2000),
} as const;

export const SERVICES: readonly ServiceName[] = [
  'gateway',
  'resident-requests',
  'dispatch',
  'elder-care',
  'mediation',
  'emergency',
  'notifications',
  'insights',
];

/**
 * Instances per service. Two cores run all of it plus Kafka, mongo and the load: the consumers that do the most
 * (dispatch, resident-requests) get several, so killing or stopping one leaves others to take its partitions.
 */
export const DEFAULT_SCALE: Record<ServiceName, number> = {
  gateway: 1,
  'resident-requests': 2,
  dispatch: 3,
  'elder-care': 2,
  mediation: 1,
  emergency: 2,
  notifications: 1,
  insights: 1,
};

export const CHAOS_ADMIN_PASSWORD = 'chaos-admin-2026!';
/** Upper bound on `platform.sh up` (start-up of ~13 processes on two cores). */
const UP_TIMEOUT_MS = 600_000;

export interface Instance {
  service: ServiceName;
  index: number;
  url: string;
  pidFile: string;
  logFile: string;
}

export function parseScale(text: string | undefined): Record<ServiceName, number> {
  const scale = { ...DEFAULT_SCALE };
  for (const entry of (text ?? '').split(/[\s,]+/).filter(Boolean)) {
    const match = /^([a-z-]+)=(\d+)$/.exec(entry);
    if (!match || !SERVICES.includes(match[1] as ServiceName) || Number(match[2]) < 1) {
      throw new Error(`scale: '${entry}' is not <service>=<count>`);
    }
    scale[match[1] as ServiceName] = Number(match[2]);
  }
  return scale;
}

export function scaleText(scale: Record<ServiceName, number>): string {
  return SERVICES.map((name) => `${name}=${scale[name]}`).join(' ');
}

/** The variables that point deploy/local/stack.sh and platform.sh at the private stack. */
export function stackEnv(): Record<string, string> {
  const env: Record<string, string> = {
    LINLI_STACK_DIR: CHAOS_STACK.dir,
    LINLI_KAFKA_PORT: String(CHAOS_STACK.kafkaPort),
    LINLI_KAFKA_CONTROLLER_PORT: String(CHAOS_STACK.kafkaControllerPort),
    LINLI_MONGO_PORT: String(CHAOS_STACK.mongoPort),
    LINLI_REDIS_PORT: String(CHAOS_STACK.redisPort),
    LINLI_PORT_OFFSET: String(CHAOS_STACK.portOffset),
  };
  // The jars the main stack already fetched: no second Maven download.
  const jars = path.join(REPO, '.linli/jars');
  if (existsSync(path.join(jars, 'kafka/.complete'))) env['LINLI_STACK_JARS'] = jars;
  return env;
}

export function log(message: string): void {
  const line = `${new Date().toISOString().slice(11, 19)} ${message}\n`;
  process.stdout.write(line);
  mkdirSync(CHAOS_DIR, { recursive: true });
  appendFileSync(path.join(CHAOS_DIR, 'runner.log'), line);
}

/** Runs a script of deploy/local with the private stack's variables; its output goes to tmp/chaos/scripts.log. */
export function script(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = UP_TIMEOUT_MS,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, {
      cwd: REPO,
      env: { ...process.env, ...stackEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      appendFileSync(path.join(CHAOS_DIR, 'scripts.log'), chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`bash ${args.join(' ')} exited ${code}:\n${output.slice(-3000)}`));
    });
  });
}

export function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(3000) });
    return response.ok;
  } catch {
    return false;
  }
}

export class LocalChaosPlatform implements ChaosPlatform {
  readonly adminPassword = CHAOS_ADMIN_PASSWORD;
  readonly gatewayUrl: string;
  readonly serviceUrls: Record<ServiceName, string[]>;
  private client?: MongoClient;

  constructor(
    readonly env: Record<string, string>,
    readonly scale: Record<ServiceName, number>,
    readonly instanceList: readonly Instance[],
  ) {
    this.serviceUrls = Object.fromEntries(
      SERVICES.map((name) => [name, instanceList.filter((i) => i.service === name).map((i) => i.url)]),
    ) as Record<ServiceName, string[]>;
    this.gatewayUrl = this.serviceUrls.gateway[0] as string;
  }

  log(message: string): void {
    log(message);
  }

  get namespace(): string {
    return this.env['LINLI_NAMESPACE'] as string;
  }

  async database(service: ServiceName): Promise<Db> {
    this.client ??= await new MongoClient(this.env['MONGO_URL'] as string, {
      serverSelectionTimeoutMS: 30_000,
    }).connect();
    return this.client.db(`${this.namespace}-linli-${service}`);
  }

  /** Instances with their live pid (undefined when the process is gone). */
  instances(): (Instance & { pid?: number })[] {
    return this.instanceList.map((instance) => ({ ...instance, pid: readPid(instance.pidFile) }));
  }

  /** `platform.sh up`: starts every instance that is not running and waits until each is ready. */
  async up(): Promise<void> {
    await script(['deploy/local/platform.sh', 'up'], this.env);
  }

  async allReady(): Promise<boolean> {
    const states = await Promise.all(this.instances().map(async (i) => i.pid && (await isReady(i.url))));
    return states.every(Boolean);
  }

  /** SIGTERM to every instance (graceful: consumers drain), SIGKILL to what is left after 20 s. */
  async stopServices(): Promise<void> {
    const pids = this.instances()
      .map((i) => i.pid)
      .filter((pid): pid is number => pid !== undefined);
    for (const pid of pids) signal(pid, 'SIGTERM');
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && pids.some(alive)) await sleep(250);
    for (const pid of pids.filter(alive)) signal(pid, 'SIGKILL');
    await this.client?.close();
    this.client = undefined;
  }

  /** A fresh connection after the mongo server restarted (the driver reconnects, but faster this way). */
  async reconnect(): Promise<void> {
    await this.client?.close(true).catch(() => undefined);
    this.client = undefined;
  }
}

export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A process killed a moment ago may be a zombie until it is reaped: gone all the same.
    return /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] !== 'Z';
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Instances still running in the private stack's directory (a run that was interrupted): they belong to another
 * namespace, and `platform.sh up` would take them as already running.
 */
async function stopLeftovers(): Promise<void> {
  const run = path.join(CHAOS_STACK.dir, 'run');
  const files = existsSync(run) ? readdirSync(run).filter((f) => /^svc-.+\.pid$/.test(f)) : [];
  const pids = files.map((f) => readPid(path.join(run, f))).filter((p): p is number => p !== undefined);
  if (pids.length === 0) return;
  log(`stopping ${pids.length} instances left by an earlier run`);
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && pids.some(alive)) await sleep(250);
  for (const pid of pids.filter(alive)) signal(pid, 'SIGKILL');
}

/** The instances platform.sh would run at this scale, from its own `plan` (one source of ports). */
async function planInstances(scale: Record<ServiceName, number>): Promise<Instance[]> {
  const output = await script(['deploy/local/platform.sh', 'plan'], { LINLI_SCALE: scaleText(scale) });
  return output
    .split('\n')
    .filter((line) => line.startsWith('instance '))
    .map((line) => {
      const [, service, index, port] = line.split(' ') as [string, ServiceName, string, string];
      return {
        service,
        index: Number(index),
        url: `http://127.0.0.1:${port}`,
        pidFile: path.join(CHAOS_STACK.dir, 'run', `svc-${service}-${index}.pid`),
        logFile: path.join(CHAOS_STACK.dir, 'logs', `${service}-${index}.log`),
      };
    });
}

export interface StartOptions {
  scale?: Record<ServiceName, number>;
  /** Extra service env (the parts' short timers). */
  env?: Record<string, string>;
  /** Names the run's databases and topics; default a fresh one. */
  namespace?: string;
}

/**
 * One run at a time on the private stack: a second would stop the first one's instances as leftovers. The claim is
 * this process's pid in the stack's run directory, taken over when that process is gone.
 */
export function claimStack(): void {
  const run = path.join(CHAOS_STACK.dir, 'run');
  mkdirSync(run, { recursive: true });
  const file = path.join(run, 'chaos-runner.pid');
  const holder = readPid(file);
  if (holder !== undefined && holder !== process.pid) {
    throw new Error(`another chaos run or soak (pid ${holder}) is using the private stack; wait for it`);
  }
  writeFileSync(file, String(process.pid));
}

/** The private stack (started if down), then every instance in a fresh namespace, ready. */
export async function startChaosPlatform(options: StartOptions = {}): Promise<LocalChaosPlatform> {
  mkdirSync(CHAOS_DIR, { recursive: true });
  claimStack();
  const scale = options.scale ?? DEFAULT_SCALE;
  const namespace = options.namespace ?? `chaos${randomBytes(3).toString('hex')}`;
  await script(['deploy/local/stack.sh', 'start']);
  if (!options.namespace) await stopLeftovers(); // a given namespace may be a platform still running: reused
  const instanceList = await planInstances(scale);
  const env: Record<string, string> = {
    KAFKA_BROKERS: `127.0.0.1:${CHAOS_STACK.kafkaPort}`,
    MONGO_URL: `mongodb://127.0.0.1:${CHAOS_STACK.mongoPort}`,
    REDIS_URL: `redis://127.0.0.1:${CHAOS_STACK.redisPort}`,
    LINLI_NAMESPACE: namespace,
    BOOTSTRAP_ADMIN_PASSWORD: CHAOS_ADMIN_PASSWORD,
    LINLI_DEMO: '0',
    LINLI_SCALE: scaleText(scale),
    LOG_LEVEL: 'info',
    ...options.env,
    // Every simulated user comes from 127.0.0.1: the per-address and per-user limits of the gateway would throttle
    // the load itself, not protect anything. The runner's, whatever a part asks.
    RATE_LIMIT_PER_USER_PER_MINUTE: '100000',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000',
    LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '10000',
  };
  const platform = new LocalChaosPlatform(env, scale, instanceList);
  log(`starting ${instanceList.length} instances (${scaleText(scale)}) in namespace ${namespace}`);
  const started = Date.now();
  // One instance of each first: on a fresh database, two instances creating the same collection at once make
  // mongo-java-server answer an unknown error where mongod answers NamespaceExists (which mongoose ignores), and the
  // second instance dies. Once the collections exist, the others start as a restarted instance would.
  const single = Object.fromEntries(SERVICES.map((name) => [name, 1])) as Record<ServiceName, number>;
  try {
    await script(['deploy/local/platform.sh', 'up'], { ...env, LINLI_SCALE: scaleText(single) });
    await platform.up();
  } catch (error) {
    await platform.stopServices(); // what did start must not run on into the next scenario
    throw error;
  }
  log(`platform ready in ${Math.round((Date.now() - started) / 1000)} s; gateway ${platform.gatewayUrl}`);
  return platform;
}
