// Visits at scale: the time elder-care takes to generate and schedule a week of visits for N elders on weekly plans
// (VisitPlanner.extendHorizon, the daily horizon job's bulk path), against a raw floor measured in the same run
// (bare mongoose insertMany of as many documents, bare Bull addBulk of as many delayed jobs), and how late visit
// timers fire against their due time under that load. Each size runs in a process and a namespace of its own
// (size.ts), cleaned up after.
// Usage: npm run bench:visits   (env: BENCH_SIZES (1000,10000,100000), BENCH_DUE_VISITS (500), BENCH_DUE_FROM_MS,
// BENCH_DUE_SPREAD_MS; the local stack running)
import path from 'node:path';
import { benchSizes, machineLine, runReport, runSizeProcess, runSizes } from '../support/sizes';

interface SizeResult {
  elders: number;
  seedMs: number;
  readyMs: number;
  report: { elders?: number; generated?: number; inserted?: number; replanned?: number };
  generateMs: number;
  storedVisits: number;
  timers: number;
  bull: { delayed: number; waiting: number };
  floor: { count: number; insertMs: number; addBulkMs: number };
  punctuality: {
    visits: number;
    fired: number;
    p50: number;
    p99: number;
    max: number;
    published: number;
    publishedP50: number;
    publishedP99: number;
    publishedMax: number;
  };
}

function runSize(size: number): Promise<SizeResult> {
  return runSizeProcess<SizeResult>(path.join(__dirname, 'size.ts'), size, {
    namespacePrefix: 'bv',
    env: {
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
      VISIT_HORIZON_DAYS: '7',
      // Timers fire at the due time itself, so lateness is measured against it.
      VISIT_DISPATCH_LEAD_MS: '0',
      // Today's horizon job is past its time of day and never ran: it runs at start-up, over every elder.
      VISIT_HORIZON_TIME: '00:00',
    },
  });
}

const s = (ms: number) => (ms / 1000).toFixed(1);

async function report(): Promise<{ lines: string[]; failures: string[] }> {
  const { results, failures } = await runSizes(benchSizes(), 'elders', runSize);
  const lines = [
    machineLine(),
    '',
    '| elders | visits generated | extendHorizon s | ms per elder | floor insertMany s | floor addBulk s | floor total s | service / floor | visits stored | dispatch timers (records / Bull) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => {
      const floor = r.floor.insertMs + r.floor.addBulkMs;
      return (
        `| ${r.elders} | ${r.report.inserted ?? r.storedVisits} | ${s(r.generateMs)} | ${(r.generateMs / r.elders).toFixed(2)} | ` +
        `${s(r.floor.insertMs)} | ${s(r.floor.addBulkMs)} | ${s(floor)} | ${(r.generateMs / floor).toFixed(1)} | ` +
        `${r.storedVisits} | ${r.timers} / ${r.bull.delayed + r.bull.waiting} |`
      );
    }),
    '',
    'timer punctuality: visits due within the next one to two minutes, fired among the week of timers above (ms late)',
    '',
    '| elders (week of timers behind) | visits due | fired | dispatch p50 | p99 | max | visit.dispatched on Kafka p50 | p99 | max |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.elders} | ${r.punctuality.visits} | ${r.punctuality.fired} | ${r.punctuality.p50} | ${r.punctuality.p99} | ` +
        `${r.punctuality.max} | ${r.punctuality.publishedP50} | ${r.punctuality.publishedP99} | ${r.punctuality.publishedMax} |`,
    ),
  ];
  if (results.length > 1) {
    const [first, last] = [results[0] as SizeResult, results[results.length - 1] as SizeResult];
    lines.push(
      '',
      `growth ${first.elders} → ${last.elders} elders (×${(last.elders / first.elders).toFixed(0)}): time ×${(last.generateMs / first.generateMs).toFixed(1)}, ` +
        `per elder ×${(last.generateMs / last.elders / (first.generateMs / first.elders)).toFixed(2)}`,
    );
  }
  return { lines, failures };
}

runReport(report);
