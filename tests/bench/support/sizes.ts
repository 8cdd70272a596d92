// What the size-by-size benchmarks share (visits, broadcast): each size runs as a child process in a namespace of
// its own (its size.ts, which prints one JSON line of figures), one after another; figures of a size are printed as
// soon as they exist, so a later size that fails does not take them with it; the table ends with the machine.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { resetState } from '@linli/testing';
import { machineDescription, watchLoad } from './machine';

const root = path.resolve(__dirname, '../../..');

/** BENCH_SIZES (comma-separated), 1,000, 10,000 and 100,000 by default: how the cost grows with the size. */
export function benchSizes(): number[] {
  return (process.env['BENCH_SIZES'] ?? '1000,10000,100000').split(',').map(Number);
}

/** Runs `script` with the size as its argument in a fresh namespace; resolves its last stdout line, parsed. */
export function runSizeProcess<T>(
  script: string,
  size: number,
  options: { namespacePrefix: string; env?: NodeJS.ProcessEnv },
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', script, String(size)], {
      cwd: root,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json'),
        LINLI_NAMESPACE: `${options.namespacePrefix}${randomBytes(4).toString('hex')}`,
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    process.once('exit', () => child.kill('SIGKILL'));
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`size ${size} exited with ${code}: ${out}`));
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`size ${size}: no result in ${out}`));
      }
    });
  });
}

/** Every size in turn; a failed size is reported and the others still run. */
export async function runSizes<T>(
  sizes: readonly number[],
  unit: string,
  run: (size: number) => Promise<T>,
): Promise<{ results: T[]; failures: string[] }> {
  const results: T[] = [];
  const failures: string[] = [];
  for (const size of sizes) {
    const loadAtStart = os.loadavg()[0] as number;
    process.stderr.write(`[bench] ${size} ${unit}… (load average ${loadAtStart.toFixed(1)})\n`);
    try {
      const result = await run(size);
      process.stderr.write(`[bench] ${size} ${unit}: ${JSON.stringify(result)}\n`);
      // The machine is shared: each size's own load, since the run's average mixes them.
      process.stderr.write(
        `[bench] ${size} ${unit}: load average (1 min) ${loadAtStart.toFixed(1)} at its start, ${(os.loadavg()[0] as number).toFixed(1)} at its end\n`,
      );
      results.push(result);
    } catch (error) {
      failures.push(`${size} ${unit}: ${(error as Error).message.split('\n')[0]}`);
      process.stderr.write(`[bench] ${(error as Error).message}\n`);
    }
  }
  return { results, failures };
}

export function machineLine(): string {
  return machineDescription();
}

/** Prints the report (with the failures and the load average while it ran); exits non-zero when a size failed. */
export function runReport(report: () => Promise<{ lines: string[]; failures: string[] }>): void {
  const load = watchLoad();
  report().then(
    ({ lines, failures }) => {
      lines.push(load.stop());
      if (failures.length > 0) lines.push('', ...failures.map((failure) => `failed: ${failure}`));
      process.stdout.write(`${lines.join('\n')}\n`);
      process.exit(failures.length > 0 ? 1 : 0);
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}

/** Removes what a size wrote under its namespace (databases, topics, Redis keys), or says what to remove by hand. */
export async function cleanUpNamespace(namespace: string, log: (line: string) => void): Promise<void> {
  try {
    const removed = await resetState({ prefix: namespace });
    log(
      `cleaned up: ${removed.databases.length} databases, ${removed.topics.length} topics, ${removed.keys} keys`,
    );
  } catch (error) {
    log(`NOT cleaned up (remove what starts with ${namespace} by hand): ${(error as Error).message}`);
  }
}

/** A size's process: its figures are its last stdout line; a failure exits non-zero with the stack. */
export function runSizeMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
