// Every benchmark in turn, one process each (never two at once: they would measure each other), each one's output
// (stdout and stderr) saved to tmp/bench/<name>.txt with the commit, the machine and the load average around it;
// the services' logs under tmp/bench/logs/<name>/; a failed bench is reported and the next one still runs. A
// summary of exit codes and times is printed at the end.
// Usage: npm run bench:all   (env: BENCH_ONLY=messaging,tickets,... to run some of them; BENCH_INSIGHTS_FACTS
// (2000,10000,30000): insights runs once per size, its seed being per process; every other knob reaches the benches)
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machineDescription } from './support/machine';

const root = path.resolve(__dirname, '../..');
const out = path.join(root, 'tmp/bench');

interface Bench {
  name: string;
  script: string;
  env?: Record<string, string>;
}

const insightsFacts = (process.env['BENCH_INSIGHTS_FACTS'] ?? '2000,10000,30000').split(',');
const benches: Bench[] = [
  { name: 'messaging', script: 'tests/bench/messaging/run.ts' },
  { name: 'tickets', script: 'tests/bench/tickets/run.ts' },
  { name: 'visits', script: 'tests/bench/visits/run.ts' },
  { name: 'broadcast', script: 'tests/bench/broadcast/run.ts' },
  ...insightsFacts.map((facts) => ({
    name: `insights-${facts}`,
    script: 'tests/bench/insights/run.ts',
    env: { BENCH_FACTS: facts },
  })),
  { name: 'console', script: 'tests/bench/console/run.ts' },
];

const only = process.env['BENCH_ONLY']?.split(',');
const chosen = only ? benches.filter((b) => only.some((name) => b.name.startsWith(name))) : benches;

function commit(): string {
  try {
    return execFileSync('git', ['log', '-1', '--format=%h %cI'], { cwd: root }).toString().trim();
  } catch {
    return '?';
  }
}

const loadLine = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** The BENCH_* variables the bench runs with (its own over the caller's), for the file's header. */
function knobs(bench: Bench): Record<string, string> {
  const given = Object.entries(process.env).filter(
    ([name]) => name.startsWith('BENCH_') && name !== 'BENCH_ONLY',
  );
  return { ...Object.fromEntries(given), ...bench.env } as Record<string, string>;
}

function run(bench: Bench): Promise<{ code: number | null; seconds: number }> {
  const file = createWriteStream(path.join(out, `${bench.name}.txt`));
  const started = Date.now();
  file.write(
    `# ${bench.name}: node -r @swc-node/register ${bench.script} ${JSON.stringify(knobs(bench))}\n` +
      `# ${new Date(started).toISOString()}, commit ${commit()}\n# ${machineDescription()}\n` +
      `# load average (1, 5, 15 min) at the start: ${loadLine()}\n`,
  );
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', bench.script], {
      cwd: root,
      // The services the bench starts log to tmp/bench/logs/<bench>/ (libs/testing's LINLI_SERVICE_LOG_DIR): a 500
      // in a long run quotes a correlation id that can only be looked up there afterwards.
      env: { LINLI_SERVICE_LOG_DIR: path.join(out, 'logs', bench.name), ...process.env, ...bench.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    process.once('exit', () => child.kill('SIGKILL'));
    child.stdout.pipe(file, { end: false });
    child.stderr.pipe(file, { end: false });
    child.once('close', (code) => {
      const seconds = (Date.now() - started) / 1000;
      file.end(
        `# ${new Date().toISOString()}: exit ${code} after ${seconds.toFixed(0)} s; ` +
          `load average (1, 5, 15 min) at the end: ${loadLine()}\n`,
        () => resolve({ code, seconds }),
      );
    });
  });
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const summary: string[] = [];
  for (const bench of chosen) {
    process.stderr.write(`[bench:all] ${bench.name} -> tmp/bench/${bench.name}.txt\n`);
    const { code, seconds } = await run(bench);
    const line = `${bench.name}: exit ${code}, ${seconds.toFixed(0)} s`;
    process.stderr.write(`[bench:all] ${line}\n`);
    summary.push(line);
  }
  process.stdout.write(`${summary.join('\n')}\n`);
  if (summary.some((line) => !line.includes('exit 0'))) process.exitCode = 1;
}

void main();
