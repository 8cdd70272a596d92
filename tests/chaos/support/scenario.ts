// One scenario end to end: a fresh platform, the parts prepared and playing the day, the fault injected a third of
// the way in and restored after its hold, the time to recover measured, the day finished, every part checked.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Fault, FaultContext } from './faults';
import { loadParts, partsEnv } from './parts';
import {
  CHAOS_DIR,
  REPO,
  log,
  scaleText,
  sleep,
  startChaosPlatform,
  type LocalChaosPlatform,
} from './platform';
import { checkPoison, type PoisonRecord } from './poison';
import type { ScenarioResult } from './report';
import type { DayPlan, LoadPart, PartCheck, ServiceName } from './types';

export interface ScenarioOptions {
  parts: string[];
  minutes: number;
  intensity: number;
  seed: number;
  scale: Record<ServiceName, number>;
  /** Upper bound on recovering after the fault; beyond it the scenario reports 'not recovered'. */
  recoverTimeoutMs: number;
  /** Upper bound on the parts' finish once the day is over. */
  finishTimeoutMs: number;
}

export const SCENARIO_DEFAULTS = {
  minutes: 4,
  intensity: 1,
  seed: 9,
  recoverTimeoutMs: 300_000,
  finishTimeoutMs: 300_000,
} as const;

/** Where in the day the fault starts: a third in, so work of every age is in flight. */
const INJECT_AT = 1 / 3;
const PROBE_INTERVAL_MS = 1000;

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`;
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO }).toString().trim();
  } catch {
    return 'unknown';
  }
}

/**
 * From the end of the restore until every instance answers ready AND every part's probe (one new entity reaching its first
 * downstream effect) passes; null when that does not happen within the bound.
 */
export async function timeToRecover(
  platform: LocalChaosPlatform,
  parts: readonly LoadPart[],
  timeoutMs: number,
): Promise<number | null> {
  const from = Date.now();
  const pending = new Set(parts);
  while (Date.now() - from < timeoutMs) {
    if (await platform.allReady()) {
      for (const part of [...pending]) {
        try {
          await part.probe(platform);
          pending.delete(part);
        } catch (error) {
          log(`  probe of ${part.name} not yet: ${(error as Error).message.slice(0, 160)}`);
        }
      }
      if (pending.size === 0) return Date.now() - from;
    }
    await sleep(PROBE_INTERVAL_MS);
  }
  return null;
}

const KUBELET_EVERY_MS = 5000;

/**
 * What the kubelet does for a pod whose process exited: start it again (`platform.sh up`), outside a fault's hold
 * (a killed instance stays dead until the fault restores it). Each restart is a note of the scenario: an instance
 * that exits by itself under a fault is worth reading about even when nothing was lost.
 */
function restartingDeadInstances(platform: LocalChaosPlatform, notes: string[]) {
  let paused = false;
  let busy = false;
  const timer = setInterval(() => {
    if (paused || busy) return;
    const dead = platform.instances().filter((i) => !i.pid);
    if (dead.length === 0) return;
    busy = true;
    const names = dead.map((i) => `${i.service}-${i.index}`).join(', ');
    notes.push(`${names} exited by itself; restarted`);
    log(`${names} exited by itself: platform.sh up (as the kubelet would)`);
    platform
      .up()
      .catch((error: Error) => log(`restart failed: ${error.message.slice(-300)}`))
      .finally(() => (busy = false));
  }, KUBELET_EVERY_MS);
  return {
    pause: () => (paused = true),
    resume: () => (paused = false),
    /** Stops watching, after any restart in flight (so nothing starts once the services are stopped). */
    stop: async () => {
      clearInterval(timer);
      while (busy) await sleep(200);
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)),
  ]);
}

export async function runScenario(
  name: string,
  fault: Fault | undefined,
  options: ScenarioOptions,
): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  const parts = loadParts(options.parts);
  const { env, conflicts } = partsEnv(parts);
  const notes: string[] = conflicts.map((c) => `parts disagree on ${c}`);
  log(`== ${name}: parts ${parts.map((p) => p.name).join(', ')}`);
  const platform = await startChaosPlatform({ scale: options.scale, env });
  const plan: DayPlan = {
    seed: options.seed,
    durationMs: options.minutes * 60_000,
    intensity: options.intensity,
  };
  let recoverMs: number | null | undefined;
  const checks: PartCheck[] = [];
  const kubelet = restartingDeadInstances(platform, notes);
  try {
    for (const part of parts) await part.prepare(platform, plan);
    const dayStart = Date.now();
    const stopCreating = new AbortController();
    const playing = parts.map((part) =>
      part.play(platform, plan, stopCreating.signal).catch((error: Error) => {
        notes.push(`${part.name} play: ${error.message.slice(0, 200)}`);
      }),
    );
    const ctx: FaultContext = { platform, evidence: {} };
    if (fault) {
      await sleep(plan.durationMs * INJECT_AT);
      log(`${name}: inject (${fault.what})`);
      kubelet.pause();
      await fault.inject(ctx);
      await sleep(fault.holdMs);
      log(`${name}: restore`);
      // Recovery counts from the start of the restore: bringing the instance or the broker back is part of it.
      const restoreStarted = Date.now();
      await fault.restore(ctx);
      kubelet.resume();
      const restoredIn = Date.now() - restoreStarted;
      const rest = await timeToRecover(platform, parts, options.recoverTimeoutMs);
      recoverMs = rest === null ? null : restoredIn + rest;
      notes.push(`restore itself took ${(restoredIn / 1000).toFixed(1)} s`);
      log(`${name}: recovered in ${recoverMs === null ? 'NOT RECOVERED' : `${recoverMs} ms`}`);
    }
    await sleep(Math.max(0, dayStart + plan.durationMs - Date.now()));
    stopCreating.abort();
    log(`${name}: day over; finishing what is open`);
    await Promise.all(
      parts.map((part) =>
        part.finish(platform, options.finishTimeoutMs).catch((error: Error) => {
          notes.push(`${part.name} finish: ${error.message.slice(0, 200)}`);
        }),
      ),
    );
    await withTimeout(Promise.all(playing), 60_000, 'the parts stopping').catch((error: Error) =>
      notes.push(error.message),
    );
    for (const part of parts) {
      checks.push(
        await part.check(platform).catch((error: Error) => ({
          part: part.name,
          expected: 0,
          final: 0,
          lost: [{ id: part.name, what: `check failed: ${error.message.slice(0, 300)}` }],
          duplicated: [],
          notes: [],
        })),
      );
    }
    const poison = ctx.evidence['poison'] as PoisonRecord[] | undefined;
    if (poison) checks.push(await checkPoison(platform.env, poison));
    for (const [key, value] of Object.entries(ctx.evidence)) {
      if (key !== 'poison') notes.push(`${key}: ${JSON.stringify(value)}`);
    }
  } finally {
    await kubelet.stop();
    await platform.stopServices();
  }
  const result: ScenarioResult = {
    scenario: name,
    what: fault?.what ?? 'no fault',
    startedAt,
    finishedAt: new Date().toISOString(),
    commit: commit(),
    machine: machine(),
    load: {
      parts: parts.map((p) => p.name),
      intensity: options.intensity,
      minutes: options.minutes,
      scale: scaleText(options.scale),
      seed: options.seed,
    },
    recoverMs,
    parts: checks,
    notes: [`namespace ${platform.namespace}`, ...notes],
  };
  mkdirSync(CHAOS_DIR, { recursive: true });
  writeFileSync(path.join(CHAOS_DIR, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
