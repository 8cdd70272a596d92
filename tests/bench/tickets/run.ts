// Tickets through the API: how many tickets per second resident-requests takes in (each with its events
// published to Kafka), and the latency from "ticket created" to "job offered" by dispatch at a steady hotline load,
// against a bare Nest + mongoose insert endpoint measured in the same run.
// Usage: npm run bench:tickets   (env: BENCH_SECONDS, BENCH_CONCURRENCY, BENCH_RATES, BENCH_PACED_SECONDS,
// BENCH_PROVIDERS)
import { randomBytes } from 'node:crypto';
import { jobTopic, ticketTopic, fromKafkaRecord } from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { authHeader, startService, type ServiceProcess } from '@linli/testing';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { machineDescription, watchLoad } from '../support/machine';
import { cleanUpNamespace } from '../support/sizes';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 15);
/** Closed-loop callers, one level after another (the floor and the service at each): how the cost grows with load. */
const CONCURRENCY = (process.env['BENCH_CONCURRENCY'] ?? '1,8,32').split(',').map(Number);
/** Offered loads of the paced phase, tickets/s: a quiet hour, a busy one, and the issue's 200. */
const RATES = (process.env['BENCH_RATES'] ?? '5,20,200').split(',').map(Number);
const PACED_SECONDS = Number(process.env['BENCH_PACED_SECONDS'] ?? 15);
const PROVIDERS = Number(process.env['BENCH_PROVIDERS'] ?? 10);
const DRAIN_TIMEOUT_MS = 180_000;
const GULOU = '320106';
const COMMUNITIES = ['320106001003', '320106001004', '320106001005', '320106001007', '320106001008'];

process.env['LINLI_NAMESPACE'] = `bench${randomBytes(3).toString('hex')}`;
process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
const operator = {
  ...authHeader('operator', GULOU, { sub: 'bench-operator' }),
  'content-type': 'application/json',
};
const supervisor = {
  ...authHeader('supervisor', GULOU, { sub: 'bench-sup' }),
  'content-type': 'application/json',
};

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);
}

let serial = 0;
function ticketBody(): string {
  serial += 1;
  return JSON.stringify({
    channel: 'hotline',
    category: 'repair',
    description: '厨房水龙头漏水，需要上门维修（压测）',
    reporter: { name: '压测用户', phone: `137${String(serial).padStart(8, '0')}` },
    place: { communityCode: COMMUNITIES[serial % COMMUNITIES.length], address: `测试路 ${serial} 号` },
  });
}

/** Closed loop: `callers` callers, each posting as soon as its last answer came, for SECONDS. */
async function closedLoop(
  url: string,
  callers: number,
): Promise<{ count: number; seconds: number; errors: number; ids: string[] }> {
  const end = Date.now() + SECONDS * 1000;
  const started = Date.now();
  let count = 0;
  let errors = 0;
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (Date.now() < end) {
        const response = await fetch(url, { method: 'POST', headers: operator, body: ticketBody() });
        const body = (await response.json()) as { ticketId?: string };
        if (response.status === 201) {
          count += 1;
          if (body.ticketId) ids.push(body.ticketId);
        } else {
          errors += 1;
          if (errors === 1)
            process.stderr.write(`[bench] first error: ${response.status} ${JSON.stringify(body)}\n`);
        }
      }
    }),
  );
  return { count, seconds: (Date.now() - started) / 1000, errors, ids };
}

/** Records when each event of a topic arrives, by type and subject. */
async function arrivals(topic: string): Promise<{ seen: Map<string, number>; consumer: Consumer }> {
  const kafka = new Kafka({
    brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
    clientId: 'bench-tickets',
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `bench-${randomBytes(4).toString('hex')}` });
  const seen = new Map<string, number>();
  await consumer.connect();
  await consumer.subscribe({ topic: namespaced(topic), fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const message of batch.messages) {
        const event = fromKafkaRecord(message);
        const key = `${event.type}|${event.subject}`;
        if (!seen.has(key)) seen.set(key, now);
      }
    },
  });
  return { seen, consumer };
}

interface PacedRun {
  /** Answered 201: the resource's id (the job's for the service) -> when its POST was sent. */
  sentAt: Map<string, number>;
  /** POST -> answer, ms, of the 201s. */
  answerMs: number[];
  errors: number;
  seconds: number;
}

/** Open loop: `rate` POSTs a second for PACED_SECONDS whatever the answers; refused or timed out = an error. */
async function paced(
  url: string,
  rate: number,
  idOf: (body: Record<string, unknown>) => unknown,
): Promise<PacedRun> {
  const run: PacedRun = { sentAt: new Map(), answerMs: [], errors: 0, seconds: 0 };
  const start = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < rate * PACED_SECONDS; i++) {
    const wait = start + (i * 1000) / rate - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = Date.now();
    inFlight.push(
      fetch(url, {
        method: 'POST',
        headers: operator,
        body: ticketBody(),
        signal: AbortSignal.timeout(30_000),
      })
        .then(async (response) => {
          const id = idOf((await response.json()) as Record<string, unknown>);
          if (response.status === 201 && typeof id === 'string') {
            run.sentAt.set(id, t0);
            run.answerMs.push(Date.now() - t0);
          } else run.errors += 1;
        })
        .catch(() => {
          run.errors += 1;
        }),
    );
  }
  await Promise.all(inFlight);
  run.seconds = (Date.now() - start) / 1000;
  run.answerMs.sort((x, y) => x - y);
  return run;
}

/** Waits for `condition` up to DRAIN_TIMEOUT_MS; false if it did not come (the caller says so in its figures). */
async function until(condition: () => boolean): Promise<boolean> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

async function main(): Promise<void> {
  const load = watchLoad();
  const services: ServiceProcess[] = [];
  try {
    const env = { LOG_LEVEL: 'warn' };
    const [floor, requests, dispatch] = await Promise.all([
      startService({
        name: 'bench-floor',
        entry: 'tests/bench/tickets/floor-app.ts',
        readyPath: '/ready',
        env: { FLOOR_DB: `${process.env['LINLI_NAMESPACE']}-floor` },
      }),
      startService({ name: 'resident-requests', env, readyTimeoutMs: 120_000 }),
      startService({ name: 'dispatch', env, readyTimeoutMs: 120_000 }),
    ]);
    services.push(floor, requests, dispatch);
    // However the bench ends, its services do not outlive it.
    process.once('exit', () => services.forEach((service) => service.process.kill('SIGKILL')));
    process.stderr.write('[bench] services ready\n');
    for (let i = 0; i < PROVIDERS; i++) {
      const response = await fetch(`${dispatch.url}/providers`, {
        method: 'POST',
        headers: supervisor,
        body: JSON.stringify({
          providerId: `bench-provider-${i}`,
          name: `压测维修队 ${i}`,
          kind: 'community',
          skills: ['repair'],
          serviceAreas: [GULOU],
          capacity: 50,
          available: true,
          jurisdiction: GULOU,
        }),
      });
      if (response.status !== 201) throw new Error(`provider: ${response.status} ${await response.text()}`);
    }
    const tickets = await arrivals(ticketTopic.name);
    const jobs = await arrivals(jobTopic.name);

    process.stderr.write('[bench] providers registered, probes listening\n');
    // Warm-up: JIT, connection pools, topic metadata.
    for (let i = 0; i < 50; i++)
      await fetch(`${floor.url}/tickets`, { method: 'POST', headers: operator, body: ticketBody() });
    for (let i = 0; i < 50; i++)
      await fetch(`${requests.url}/tickets`, { method: 'POST', headers: operator, body: ticketBody() });

    const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
    const closedLines: string[] = [];
    for (const callers of CONCURRENCY) {
      const floorRun = await closedLoop(`${floor.url}/tickets`, callers);
      const floorRate = floorRun.count / floorRun.seconds;
      const started = Date.now();
      const apiRun = await closedLoop(`${requests.url}/tickets`, callers);
      const created = (id: string) => tickets.seen.get(`linli.resident-requests.ticket.created.v1|${id}`);
      const allPublished = await until(() => apiRun.ids.every((id) => created(id) !== undefined));
      if (!allPublished) progress(`not every ticket.created published within ${DRAIN_TIMEOUT_MS} ms`);
      const lastPublished = allPublished ? Math.max(...apiRun.ids.map((id) => created(id) as number)) : NaN;
      const apiRate = apiRun.count / apiRun.seconds;
      const publishedPerSecond = apiRun.count / ((lastPublished - started) / 1000);
      const line =
        `| ${callers} | ${floorRate.toFixed(0)} | ${floorRun.errors} | ${apiRate.toFixed(0)} | ` +
        `${publishedPerSecond.toFixed(0)} | ${apiRun.errors} | ${(apiRate / floorRate).toFixed(2)} |`;
      progress(line);
      closedLines.push(line);
      await new Promise((r) => setTimeout(r, 5_000)); // let the level's backlog (relay, dispatch) drain
    }

    // Paced, open loop: each rate for PACED_SECONDS, first to the floor, then to the service. Floor: POST -> 201.
    // Service: POST -> 201 and POST -> the first job.offered of its job (through resident-requests' outbox, Kafka,
    // dispatch's matching and outbox). A request that is refused or times out counts as an error: the rate is past
    // what the stack can take.
    const pacedLines: string[] = [];
    for (const rate of RATES) {
      await new Promise((r) => setTimeout(r, 5_000)); // let the previous phase's backlog drain
      const floorRun = await paced(`${floor.url}/tickets`, rate, (body) => body['id']);
      const run = await paced(`${requests.url}/tickets`, rate, (body) => body['jobId']);
      const offered = (jobId: string) => jobs.seen.get(`linli.dispatch.job.offered.v1|${jobId}`);
      await until(() => [...run.sentAt.keys()].every((jobId) => offered(jobId) !== undefined));
      // Jobs not offered within DRAIN_TIMEOUT_MS are left out of the percentiles and counted in the row.
      const latencies = [...run.sentAt.entries()]
        .filter(([jobId]) => offered(jobId) !== undefined)
        .map(([jobId, t0]) => (offered(jobId) as number) - t0)
        .sort((x, y) => x - y);
      const notOffered = run.sentAt.size - latencies.length;
      const p = (sorted: number[]) => `${percentile(sorted, 50)} | ${percentile(sorted, 99)}`;
      const line =
        `| ${rate}/s for ${PACED_SECONDS} s | ${floorRun.sentAt.size} | ${floorRun.errors} | ${p(floorRun.answerMs)} | ` +
        `${run.sentAt.size}${notOffered > 0 ? ` (${notOffered} not offered in ${DRAIN_TIMEOUT_MS / 1000} s)` : ''} | ` +
        `${run.errors} | ${(run.sentAt.size / run.seconds).toFixed(0)} | ${p(run.answerMs)} | ` +
        `${percentile(latencies, 50)} | ${percentile(latencies, 90)} | ${percentile(latencies, 99)} | ${latencies[latencies.length - 1]} |`;
      progress(line);
      pacedLines.push(line);
    }

    await tickets.consumer.disconnect();
    await jobs.consumer.disconnect();

    const lines = [
      machineDescription(),
      load.stop(),
      '',
      `closed loop, tickets/s: the callers post as soon as their last answer came, ${SECONDS} s per row and endpoint;`,
      'floor: bare Nest + mongoose insert; service: POST /tickets (validated, stored with its outbox, timers scheduled)',
      '',
      '| callers | floor created/s | floor errors | service created/s | service created and published/s | service errors | service / floor |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...closedLines,
      '',
      'paced load (open loop), ms: floor POST -> 201; service POST -> 201 and ticket created -> job offered on Kafka',
      '',
      '| offered load | floor created | floor errors | floor answer p50 | p99 | service created | errors | created/s | answer p50 | p99 | offered p50 | p90 | p99 | max |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...pacedLines,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    // The run's databases, topics and Redis keys (timers) would otherwise stay in the shared stack.
    await cleanUpNamespace(process.env['LINLI_NAMESPACE'] as string, (line) =>
      process.stderr.write(`[bench] ${line}\n`),
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
