// Broadcast at scale: the time from a coordinator's POST of an alert to the last delivery recorded by notifications
// and to every recipient row recorded by emergency, for N contacts in the area, and the acknowledgement write rate;
// against a raw floor measured in the same run (bare kafkajs producing N delivery-sized messages, bare insertMany
// of N delivery-shaped documents, bare single upserts for the acknowledgements). Each size runs in a process and a
// namespace of its own (size.ts), cleaned up after. Run on demand, not in the test suite.
// Usage: npm run bench:broadcast   (env: BENCH_SIZES (1000,10000,100000), BENCH_ACK_CLIENTS (20),
// BENCH_ACK_SECONDS (20), BROADCAST_BATCH_SIZE (500), BENCH_TIMEOUT_MS; the local stack running)
import path from 'node:path';
import { benchSizes, machineLine, runReport, runSizeProcess, runSizes } from '../support/sizes';

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

function runSize(size: number): Promise<SizeResult> {
  return runSizeProcess<SizeResult>(path.join(__dirname, 'size.ts'), size, {
    namespacePrefix: 'bb',
  });
}

const s = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(1) : 'n/a');

async function report(): Promise<{ lines: string[]; failures: string[] }> {
  const { results, failures } = await runSizes(benchSizes(), 'recipients', runSize);
  const lines = [
    machineLine(),
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
  return { lines, failures };
}

runReport(report);
