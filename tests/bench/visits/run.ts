// Visits at scale: the time elder-care takes to generate and schedule a week of visits for N elders on weekly plans
// (VisitPlanner.extendHorizon, the daily horizon job's bulk path), against a raw floor measured in the same run
// (bare mongoose insertMany of as many documents, bare Bull addBulk of as many delayed jobs), and how late visit
// timers fire against their due time under that load. Each size runs in a process and a namespace of its own
// (size.ts), cleaned up after.
// Usage: npm run bench:visits   (env: BENCH_SIZES (10000,100000), BENCH_DUE_VISITS (500), BENCH_DUE_FROM_MS,
// BENCH_DUE_SPREAD_MS; the local stack running)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

const SIZES = (process.env['BENCH_SIZES'] ?? '10000,100000').split(',').map(Number);
const root = path.resolve(__dirname, '../../..');

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

function runSize(elders: number): Promise<SizeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', path.join(__dirname, 'size.ts'), String(elders)],
      {
        cwd: root,
        env: {
          ...process.env,
          SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json'),
          LINLI_NAMESPACE: `bv${randomBytes(4).toString('hex')}`,
          KAFKAJS_NO_PARTITIONER_WARNING: '1',
          LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
          VISIT_HORIZON_DAYS: '7',
          // Timers fire at the due time itself, so lateness is measured against it.
          VISIT_DISPATCH_LEAD_MS: '0',
          // Today's horizon job is past its time of day and never ran: it runs at start-up, over every elder.
          VISIT_HORIZON_TIME: '00:00',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    process.once('exit', () => child.kill('SIGKILL'));
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`size ${elders} exited with ${code}: ${out}`));
      try {
        resolve(JSON.parse(line) as SizeResult);
      } catch {
        reject(new Error(`size ${elders}: no result in ${out}`));
      }
    });
  });
}

const s = (ms: number) => (ms / 1000).toFixed(1);

async function main(): Promise<void> {
  const results: SizeResult[] = [];
  const failures: string[] = [];
  for (const size of SIZES) {
    process.stderr.write(`[bench] ${size} elders…\n`);
    try {
      const result = await runSize(size);
      // Each size's figures as soon as they exist: a later size that fails does not take them with it.
      process.stderr.write(`[bench] ${size} elders: ${JSON.stringify(result)}\n`);
      results.push(result);
    } catch (error) {
      failures.push(`${size} elders: ${(error as Error).message.split('\n')[0]}`);
      process.stderr.write(`[bench] ${(error as Error).message}\n`);
    }
  }
  const lines = [
    `machine: nproc ${os.cpus().length} (${os.cpus()[0]?.model ?? 'cpu'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
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
  if (failures.length > 0) lines.push('', ...failures.map((failure) => `failed: ${failure}`));
  process.stdout.write(`${lines.join('\n')}\n`);
  if (failures.length > 0) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
