// The soak's pass/fail rules, as arithmetic over its samples (no I/O): memory that stops growing after the warm-up,
// consumer lag that stays bounded under load and drains once the load stops, an outbox that never piles up.

export interface SoakPoint {
  /** Milliseconds since the soak started. */
  t: number;
  /** RSS in MB per instance (`dispatch-2`); an instance whose pid changed is a different series (`dispatch-2#2`). */
  rssMb: Record<string, number>;
  /** Lag in messages per consumer group. */
  lag: Record<string, number>;
  /** Documents with pending outbox entries, all services together. */
  outbox: number;
}

export interface SoakBounds {
  /** Samples before this are start-up (caches, JIT, connection pools), not growth. */
  warmUpMs: number;
  /** RSS growth allowed from the reference sample (minute 10 of a 30-minute soak) to the last sample under load. */
  rssGrowthPct: number;
  /** Allowed slope of RSS after the warm-up (least squares), MB per 10 minutes. */
  rssSlopeMbPer10Min: number;
  /** The slope is judged over at least this much time: over a few minutes, GC noise of 2-3 MB reads as a trend. */
  minTrendWindowMs: number;
  /** Each group's lag at every sample after the warm-up while the load runs. */
  maxLag: number;
  /** After the load stops, every group's lag must reach 0 within this. */
  drainMs: number;
  /** Pending outbox documents at every sample after the warm-up. */
  maxOutbox: number;
}

export const SOAK_BOUNDS: SoakBounds = {
  warmUpMs: 5 * 60_000,
  rssGrowthPct: 25,
  rssSlopeMbPer10Min: 20,
  minTrendWindowMs: 10 * 60_000,
  maxLag: 500,
  drainMs: 60_000,
  maxOutbox: 200,
};

export interface BoundResult {
  bound: string;
  pass: boolean;
  detail: string;
}

/** Least-squares slope of y over x (0 with fewer than two points). */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  const mx = xs.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const my = ys.slice(0, n).reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i += 1) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * The warm-up and the growth reference scale down for a short soak (a trial run): the warm-up is at most a third of
 * the time under load, the reference at twice the warm-up (minute 10 of 30) or, if later, the first sample after it.
 */
export function effectiveWarmUp(loadMs: number, bounds: SoakBounds): number {
  return Math.min(bounds.warmUpMs, loadMs / 3);
}

export function evaluateSoak(
  points: readonly SoakPoint[],
  loadStoppedAt: number,
  bounds: SoakBounds = SOAK_BOUNDS,
): BoundResult[] {
  const warmUp = effectiveWarmUp(loadStoppedAt, bounds);
  const underLoad = points.filter((p) => p.t >= warmUp && p.t <= loadStoppedAt);
  const after = points.filter((p) => p.t > loadStoppedAt);
  const results: BoundResult[] = [];
  if (underLoad.length < 2) {
    return [
      { bound: 'samples', pass: false, detail: `${underLoad.length} samples under load after warm-up` },
    ];
  }
  const reference = underLoad.find((p) => p.t >= 2 * warmUp) ?? (underLoad[0] as SoakPoint);
  const last = underLoad[underLoad.length - 1] as SoakPoint;
  const series = new Set(underLoad.flatMap((p) => Object.keys(p.rssMb)));
  for (const name of [...series].sort()) {
    const own = underLoad.filter((p) => p.rssMb[name] !== undefined);
    const from = reference.rssMb[name];
    const to = last.rssMb[name];
    if (from === undefined || to === undefined || own.length < 2) {
      results.push({
        bound: `rss ${name}`,
        pass: true,
        detail: 'not running for the whole soak: not judged',
      });
      continue;
    }
    const growth = ((to - from) / from) * 100;
    const window = (own[own.length - 1] as SoakPoint).t - (own[0] as SoakPoint).t;
    const trendJudged = window >= bounds.minTrendWindowMs;
    const perTenMin =
      slope(
        own.map((p) => p.t),
        own.map((p) => p.rssMb[name] as number),
      ) * 600_000;
    results.push({
      bound: `rss ${name}`,
      pass: growth < bounds.rssGrowthPct && (!trendJudged || perTenMin < bounds.rssSlopeMbPer10Min),
      detail:
        `${from.toFixed(0)} → ${to.toFixed(0)} MB (${growth.toFixed(1)}% < ${bounds.rssGrowthPct}%), ` +
        (trendJudged
          ? `slope ${perTenMin.toFixed(1)} MB/10 min (< ${bounds.rssSlopeMbPer10Min})`
          : `slope not judged over ${(window / 60_000).toFixed(1)} min (< ${bounds.minTrendWindowMs / 60_000})`),
    });
  }
  const worstLag = Math.max(0, ...underLoad.flatMap((p) => Object.values(p.lag)));
  results.push({
    bound: 'lag under load',
    pass: worstLag <= bounds.maxLag,
    detail: `max ${worstLag} messages in any group after warm-up (≤ ${bounds.maxLag})`,
  });
  const drained = after.find((p) => Object.values(p.lag).every((lag) => lag === 0));
  results.push({
    bound: 'lag drained',
    pass: drained !== undefined && drained.t - loadStoppedAt <= bounds.drainMs,
    detail: drained
      ? `every group at 0 ${((drained.t - loadStoppedAt) / 1000).toFixed(0)} s after the load stopped (≤ ${bounds.drainMs / 1000} s)`
      : 'some group never reached 0 after the load stopped',
  });
  const worstOutbox = Math.max(0, ...underLoad.map((p) => p.outbox));
  const finalOutbox = (after[after.length - 1] ?? last).outbox;
  results.push({
    bound: 'outbox',
    pass: worstOutbox <= bounds.maxOutbox && finalOutbox === 0,
    detail: `max ${worstOutbox} pending documents after warm-up (≤ ${bounds.maxOutbox}), ${finalOutbox} at the end (0)`,
  });
  return results;
}
