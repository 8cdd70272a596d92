// The six faults of issue 9, injected from outside (signals to processes, the stack's own script, records produced
// with kafkajs): no service knows it is under test. Each fault's `holdMs` is how long it lasts before `restore`.
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CHAOS_STACK, readPid, script, signal, sleep, type LocalChaosPlatform } from './platform';
import { producePoison, type PoisonRecord } from './poison';
import type { ServiceName } from './types';

export interface FaultContext {
  platform: LocalChaosPlatform;
  /** What the fault left for the checker (the poison records it produced, the instance it hit...). */
  evidence: Record<string, unknown>;
}

export interface Fault {
  name: string;
  /** One sentence for the report: what is done to the platform. */
  what: string;
  holdMs: number;
  inject(ctx: FaultContext): Promise<void>;
  restore(ctx: FaultContext): Promise<void>;
}

const stackPid = (part: 'kafka' | 'mongo' | 'redis') =>
  readPid(path.join(CHAOS_STACK.dir, 'run', `${part}.pid`));

/** The stack's own `start`: starts whatever part is not running and waits until it answers. */
const startStack = () => script(['deploy/local/stack.sh', 'start']).then(() => undefined);

function instanceOf(ctx: FaultContext, service: ServiceName, index: number) {
  const instance = ctx.platform.instances().find((i) => i.service === service && i.index === index);
  if (!instance?.pid) throw new Error(`${service}-${index} is not running`);
  return instance as typeof instance & { pid: number };
}

async function killStackPart(part: 'kafka' | 'mongo' | 'redis', how: NodeJS.Signals): Promise<number> {
  const pid = stackPid(part);
  if (!pid) throw new Error(`the private stack's ${part} is not running`);
  signal(pid, how);
  // Until it is gone: `stack.sh start` must find it down, not half-stopped.
  for (let i = 0; i < 600 && readPid(path.join(CHAOS_STACK.dir, 'run', `${part}.pid`)); i += 1)
    await sleep(100);
  return pid;
}

/** kill -9 of one dispatch instance (the busiest consumer: ticket, visit and case work all reach it). */
export const killInstance: Fault = {
  name: 'kill-instance',
  what: 'kill -9 of dispatch-1 mid-load; platform.sh up brings it back after 20 s (a pod restarted by the kubelet)',
  holdMs: 20_000,
  async inject(ctx) {
    const victim = instanceOf(ctx, 'dispatch', 1);
    ctx.evidence['killed'] = { instance: 'dispatch-1', pid: victim.pid };
    signal(victim.pid, 'SIGKILL');
  },
  async restore(ctx) {
    await ctx.platform.up();
  },
};

/** The broker dies (kill -9) and comes back 20 s later: producers and consumers of every service reconnect. */
export const kafkaRestart: Fault = {
  name: 'kafka-restart',
  what: 'kill -9 of the Kafka broker (the only one) mid-load; started again 20 s later',
  holdMs: 20_000,
  async inject(ctx) {
    ctx.evidence['killed'] = { part: 'kafka', pid: await killStackPart('kafka', 'SIGKILL') };
  },
  restore: startStack,
};

/**
 * MongoDB stops and comes back 15 s later. A clean stop (SIGTERM): the local stand-in (mongo-java-server on H2)
 * keeps up to a second of acknowledged writes in memory, which kill -9 would lose, unlike mongod's journal; a
 * kill -9 here would measure the stand-in, not the services.
 */
export const mongoRestart: Fault = {
  name: 'mongo-restart',
  what: 'MongoDB (mongo-java-server) stopped mid-load (SIGTERM, its store committed); started again 15 s later',
  holdMs: 15_000,
  async inject(ctx) {
    ctx.evidence['stopped'] = { part: 'mongo', pid: await killStackPart('mongo', 'SIGTERM') };
  },
  async restore(ctx) {
    await startStack();
    await ctx.platform.reconnect();
  },
};

/** Redis loses everything (FLUSHALL, then kill -9): the Bull queues must be rebuilt from MongoDB. */
export const redisFlushRestart: Fault = {
  name: 'redis-flush-restart',
  what: 'Redis FLUSHALL then kill -9 mid-load (every Bull job and delay gone); started empty 10 s later',
  holdMs: 10_000,
  async inject(ctx) {
    await promisify(execFile)('redis-cli', ['-p', String(CHAOS_STACK.redisPort), 'FLUSHALL']);
    ctx.evidence['flushed'] = { part: 'redis', pid: await killStackPart('redis', 'SIGKILL') };
  },
  restore: startStack,
};

const SLOW_STOPPED_MS = 900;
const SLOW_RUNNING_MS = 100;

/** One dispatch instance at a tenth of its speed for a minute: SIGSTOP 900 ms, SIGCONT 100 ms, over and over. */
export function slowConsumer(): Fault {
  let running = false;
  let cycle: Promise<void> | undefined;
  return {
    name: 'slow-consumer',
    what: `dispatch-2 slowed for 60 s (SIGSTOP ${SLOW_STOPPED_MS} ms / SIGCONT ${SLOW_RUNNING_MS} ms): it keeps its partitions but barely moves`,
    holdMs: 60_000,
    async inject(ctx) {
      const victim = instanceOf(ctx, 'dispatch', 2);
      ctx.evidence['slowed'] = { instance: 'dispatch-2', pid: victim.pid };
      running = true;
      cycle = (async () => {
        while (running) {
          signal(victim.pid, 'SIGSTOP');
          await sleep(SLOW_STOPPED_MS);
          signal(victim.pid, 'SIGCONT');
          await sleep(SLOW_RUNNING_MS);
        }
      })();
    },
    async restore(ctx) {
      running = false;
      await cycle;
      const slowed = ctx.evidence['slowed'] as { pid: number } | undefined;
      if (slowed) signal(slowed.pid, 'SIGCONT');
    },
  };
}

/** Bad records on every domain topic; the checker proves each was dead-lettered or skipped and changed nothing. */
export const poison: Fault = {
  name: 'poison',
  what: 'records on every domain topic that are not JSON, JSON but not CloudEvents, of an unknown type, of a known type with an invalid body, and ~900 KB',
  holdMs: 5_000,
  async inject(ctx) {
    const records: PoisonRecord[] = await producePoison(ctx.platform.env);
    ctx.evidence['poison'] = records;
  },
  async restore() {
    // nothing to undo: the records stay on their topics, as they would in production
  },
};

export function allFaults(): Fault[] {
  return [killInstance, kafkaRestart, mongoRestart, redisFlushRestart, slowConsumer(), poison];
}
