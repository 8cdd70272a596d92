// Runs every registered readiness check at once, each bounded by a timeout, and reports which failed and why.
import type { ReadinessCheck } from './readiness.registry';

export interface CheckResult {
  name: string;
  status: 'up' | 'down';
  durationMs: number;
  /** Why it is down: the check's error message, or that it timed out. */
  error?: string;
}

export interface ReadinessReport {
  status: 'ready' | 'not-ready';
  checks: CheckResult[];
}

export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map((check) => runOne(check, timeoutMs)));
  return {
    status: results.every((result) => result.status === 'up') ? 'ready' : 'not-ready',
    checks: results,
  };
}

async function runOne(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    // The check is called inside the async function so one that throws synchronously is a failure, not a crash.
    await Promise.race([(async () => check.check())(), timeout]);
    return { name: check.name, status: 'up', durationMs: elapsed(started) };
  } catch (error) {
    return {
      name: check.name,
      status: 'down',
      durationMs: elapsed(started),
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
