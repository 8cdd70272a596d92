// The soak of issue 9: the load parts at a low, steady intensity for 30 minutes on the multi-instance platform,
// sampled every 30 s (RSS and heap of every instance, lag of every consumer group, outbox backlog, Bull queues) into
// tmp/chaos/soak.csv; then the bounds of support/bounds.ts judged (PASS/FAIL each) and the parts' own check.
//
//   npm run soak -- [--minutes 30] [--intensity 0.5] [--parts all|smoke|tickets,...] [--scale "..."]
//
// Exits non-zero when a bound fails or anything was lost or duplicated.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SOAK_BOUNDS, evaluateSoak, type SoakPoint } from './support/bounds';
import { loadParts, partsEnv } from './support/parts';
import {
  CHAOS_DIR,
  log,
  parseScale,
  sleep,
  startChaosPlatform,
  type LocalChaosPlatform,
} from './support/platform';
import { totals } from './support/report';
import { CSV_HEADER, csvLines, sample } from './support/samplers';
import type { DayPlan, PartCheck } from './support/types';

const SAMPLE_EVERY_MS = 30_000;
const DRAIN_SAMPLE_EVERY_MS = 10_000;
const FINISH_TIMEOUT_MS = 300_000;

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

async function point(platform: LocalChaosPlatform, started: number, csv: string): Promise<SoakPoint> {
  const s = await sample(platform);
  appendFileSync(csv, `${csvLines(s).join('\n')}\n`);
  const rssMb: Record<string, number> = {};
  for (const i of s.instances) {
    // A restarted instance is a new series: its fresh heap is not a drop of the old one's.
    const first = firstPid.get(i.instance) ?? i.pid;
    if (i.pid !== undefined) firstPid.set(i.instance, first as number);
    const name = i.pid === first ? i.instance : `${i.instance}#${i.pid}`;
    if (i.rssMb !== undefined) rssMb[name] = i.rssMb;
  }
  const outbox = Object.values(s.outbox).reduce((a, b) => a + b, 0);
  const lagTotal = Object.values(s.lag).reduce((a, b) => a + b, 0);
  log(
    `soak t=${Math.round((Date.now() - started) / 1000)} s: rss ${Object.values(rssMb)
      .reduce((a, b) => a + b, 0)
      .toFixed(0)} MB in ${Object.keys(rssMb).length} instances, lag ${lagTotal}, outbox ${outbox}`,
  );
  return { t: Date.now() - started, rssMb, lag: s.lag, outbox };
}
const firstPid = new Map<string, number>();

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const minutes = Number(option(args, 'minutes') ?? 30);
  const intensity = Number(option(args, 'intensity') ?? 0.5);
  const parts = loadParts((option(args, 'parts') ?? 'all').split(','));
  const { env, conflicts } = partsEnv(parts);
  for (const c of conflicts) log(`parts disagree on ${c}`);
  mkdirSync(CHAOS_DIR, { recursive: true });
  const csv = path.join(CHAOS_DIR, 'soak.csv');
  writeFileSync(csv, `${CSV_HEADER}\n`);
  const platform = await startChaosPlatform({ scale: parseScale(option(args, 'scale')), env });
  const points: SoakPoint[] = [];
  const checks: PartCheck[] = [];
  let loadStoppedAt = 0;
  try {
    const plan: DayPlan = { seed: 30, durationMs: minutes * 60_000, intensity };
    for (const part of parts) await part.prepare(platform, plan);
    log(`soak: ${minutes} min of ${parts.map((p) => p.name).join(', ')} at intensity ${intensity}`);
    const started = Date.now();
    const stop = new AbortController();
    const playing = parts.map((part) =>
      part.play(platform, plan, stop.signal).catch((e: Error) => log(`${part.name} play: ${e.message}`)),
    );
    while (Date.now() - started < plan.durationMs) {
      await sleep(Math.min(SAMPLE_EVERY_MS, started + plan.durationMs - Date.now()));
      points.push(await point(platform, started, csv));
    }
    stop.abort();
    await Promise.all(parts.map((part) => part.finish(platform, FINISH_TIMEOUT_MS).catch(() => undefined)));
    await Promise.race([Promise.all(playing), sleep(60_000)]);
    loadStoppedAt = Date.now() - started;
    log(`soak: load stopped at ${Math.round(loadStoppedAt / 1000)} s; sampling the drain`);
    for (let i = 0; i * DRAIN_SAMPLE_EVERY_MS <= 2 * SOAK_BOUNDS.drainMs; i += 1) {
      await sleep(DRAIN_SAMPLE_EVERY_MS);
      const p = await point(platform, started, csv);
      points.push(p);
      if (Object.values(p.lag).every((lag) => lag === 0) && p.outbox === 0) break;
    }
    for (const part of parts) checks.push(await part.check(platform));
  } finally {
    await platform.stopServices();
  }
  const results = evaluateSoak(points, loadStoppedAt);
  for (const r of results) log(`${r.pass ? 'PASS' : 'FAIL'} ${r.bound}: ${r.detail}`);
  const sum = totals(checks);
  for (const c of checks) {
    log(
      `check ${c.part}: ${c.final}/${c.expected} final, lost ${c.lost.length}, duplicated ${c.duplicated.length}`,
    );
    for (const f of [...c.lost, ...c.duplicated]) log(`  ${f.id}: ${f.what}`);
  }
  writeFileSync(
    path.join(CHAOS_DIR, 'soak.json'),
    `${JSON.stringify({ minutes, intensity, namespace: platform.namespace, bounds: SOAK_BOUNDS, results, checks }, null, 2)}\n`,
  );
  const ok = results.every((r) => r.pass) && sum.lost === 0 && sum.duplicated === 0 && checks.length > 0;
  log(`soak ${ok ? 'PASS' : 'FAIL'} (samples in ${csv})`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    log(`soak failed: ${error.stack ?? error.message}`);
    process.exit(2);
  },
);
