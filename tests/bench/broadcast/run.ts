// Broadcast at scale: the time from a coordinator's POST of an alert to the last delivery recorded by notifications
// and to every recipient row recorded by emergency, for N contacts in the area, and the acknowledgement write rate;
// against a raw floor measured in the same run (bare kafkajs producing N delivery-sized messages, bare insertMany
// of N delivery-shaped documents, bare single upserts for the acknowledgements). Each size runs in a process and a
// namespace of its own (size.ts), cleaned up after. Run on demand, not in the test suite.
// Usage: npm run bench:broadcast   (env: BENCH_SIZES (10000,100000), BENCH_ACK_CLIENTS (20),
// BENCH_ACK_SECONDS (20), BROADCAST_BATCH_SIZE (500), BENCH_TIMEOUT_MS; the local stack running)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

const SIZES = (process.env['BENCH_SIZES'] ?? '10000,100000').split(',').map(Number);
const root = path.resolve(__dirname, '../../..');

interface SizeResult {
  recipients: number;
  batch: number;
  seedMs: number;
  postMs: number;
  completedMs: number;
  lastDeliveryMs: number;
  rowsMs: number;
  delivered: number;
  recipientCount: number | null;
  rows: number | null;
  floor: { kafkaMs: number; messageBytes: number; insertMs: number };
  acks: {
    clients: number;
    ok: number;
    failed: number;
    seconds: number;
    p50: number;
    p99: number;
    perSecond: number;
  };
  ackFloorById: { clients: number; ok: number; seconds: number; p50: number; p99: number; perSecond: number };
  ackFloor: { clients: number; ok: number; seconds: number; p50: number; p99: number; perSecond: number };
}

function runSize(recipients: number): Promise<SizeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', path.join(__dirname, 'size.ts'), String(recipients)],
      {
        cwd: root,
        env: {
          ...process.env,
          SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json'),
          LINLI_NAMESPACE: `bb${randomBytes(4).toString('hex')}`,
          KAFKAJS_NO_PARTITIONER_WARNING: '1',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    process.once('exit', () => child.kill('SIGKILL'));
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`size ${recipients} exited with ${code}: ${out}`));
      try {
        resolve(JSON.parse(line) as SizeResult);
      } catch {
        reject(new Error(`size ${recipients}: no result in ${out}`));
      }
    });
  });
}

const s = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(1) : 'n/a');

async function main(): Promise<void> {
  const results: SizeResult[] = [];
  const failures: string[] = [];
  for (const size of SIZES) {
    process.stderr.write(`[bench] ${size} recipients…\n`);
    try {
      const result = await runSize(size);
      // Each size's figures as soon as they exist: a later size that fails does not take them with it.
      process.stderr.write(`[bench] ${size} recipients: ${JSON.stringify(result)}\n`);
      results.push(result);
    } catch (error) {
      failures.push(`${size} recipients: ${(error as Error).message.split('\n')[0]}`);
      process.stderr.write(`[bench] ${(error as Error).message}\n`);
    }
  }
  const lines = [
    `machine: nproc ${os.cpus().length} (${os.cpus()[0]?.model ?? 'cpu'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    '',
    '| recipients | deliveries | POST → broadcast completed s | POST → last delivery s | POST → all rows in emergency s | deliveries/s | floor kafkajs s | floor insertMany s | floor total s | service / floor |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => {
      const floor = r.floor.kafkaMs + r.floor.insertMs;
      return (
        `| ${r.recipients} | ${r.delivered} | ${s(r.completedMs)} | ${s(r.lastDeliveryMs)} | ${s(r.rowsMs)} | ` +
        `${Math.round(r.delivered / (r.lastDeliveryMs / 1000))} | ${s(r.floor.kafkaMs)} | ${s(r.floor.insertMs)} | ` +
        `${s(floor)} | ${(r.lastDeliveryMs / floor).toFixed(1)} |`
      );
    }),
    '',
    'acknowledgements: concurrent clients for a fixed time, each POST for a different recipient (201 = recorded);',
    'floor: as many clients updating one of N pending rows each, by _id alone and by _id and status (the service’s filter)',
    '',
    '| recipients (rows behind) | clients | acks recorded | not 201 | acks/s | p50 ms | p99 ms | floor by _id /s | p50 ms | floor by _id+status /s | p50 ms | service / floor (_id+status) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.recipients} | ${r.acks.clients} | ${r.acks.ok} | ${r.acks.failed} | ${r.acks.perSecond.toFixed(1)} | ` +
        `${r.acks.p50} | ${r.acks.p99} | ${r.ackFloorById.perSecond.toFixed(0)} | ${r.ackFloorById.p50} | ` +
        `${r.ackFloor.perSecond.toFixed(1)} | ${r.ackFloor.p50} | ${(r.acks.perSecond / r.ackFloor.perSecond).toFixed(2)} |`,
    ),
  ];
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
