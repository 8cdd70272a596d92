// Tickets through the API: how many tickets per second resident-requests takes in (each with its events
// published to Kafka), and the latency from "ticket created" to "job offered" by dispatch at a steady hotline load,
// against a bare Nest + mongoose insert endpoint measured in the same run.
// Usage: npm run bench:tickets   (env: BENCH_SECONDS, BENCH_CONCURRENCY, BENCH_RATES, BENCH_PACED_SECONDS,
// BENCH_PROVIDERS)
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { jobTopic, ticketTopic, fromKafkaRecord } from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { authHeader, startService, type ServiceProcess } from '@linli/testing';
import { Kafka, logLevel, type Consumer } from 'kafkajs';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 15);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 32);
/** Offered loads of the paced phase, tickets/s: a quiet hour, a busy one, and the 200. */
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

/** Closed loop: CONCURRENCY callers, each posting as soon as its last answer came, for SECONDS. */
async function closedLoop(
  url: string,
): Promise<{ count: number; seconds: number; errors: number; ids: string[] }> {
  const end = Date.now() + SECONDS * 1000;
  const started = Date.now();
  let count = 0;
  let errors = 0;
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
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

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${DRAIN_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<void> {
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
    const floorRun = await closedLoop(`${floor.url}/tickets`);
    progress(`floor: ${(floorRun.count / floorRun.seconds).toFixed(0)}/s`);
    const started = Date.now();
    const apiRun = await closedLoop(`${requests.url}/tickets`);
    await until(
      () => apiRun.ids.every((id) => tickets.seen.has(`linli.resident-requests.ticket.created.v1|${id}`)),
      'every ticket.created published',
    );
    const lastPublished = Math.max(
      ...apiRun.ids.map(
        (id) => tickets.seen.get(`linli.resident-requests.ticket.created.v1|${id}`) as number,
      ),
    );
    const publishedPerSecond = apiRun.count / ((lastPublished - started) / 1000);
    progress(
      `tickets: ${(apiRun.count / apiRun.seconds).toFixed(0)}/s created, ${publishedPerSecond.toFixed(0)}/s published`,
    );

    // Paced, open loop: each rate for PACED_SECONDS; latency from the POST to the first job.offered of its job.
    // A request that is refused or times out counts as an error: the rate is past what the stack can take.
    const pacedLines: string[] = [];
    for (const rate of RATES) {
      await new Promise((r) => setTimeout(r, 5_000)); // let the previous phase's backlog drain
      const sentAt = new Map<string, number>();
      const pacedStart = Date.now();
      const inFlight: Promise<void>[] = [];
      let pacedErrors = 0;
      for (let i = 0; i < rate * PACED_SECONDS; i++) {
        const wait = pacedStart + (i * 1000) / rate - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const t0 = Date.now();
        inFlight.push(
          fetch(`${requests.url}/tickets`, {
            method: 'POST',
            headers: operator,
            body: ticketBody(),
            signal: AbortSignal.timeout(30_000),
          })
            .then(async (response) => {
              const body = (await response.json()) as { jobId?: string };
              if (response.status === 201 && body.jobId) sentAt.set(body.jobId, t0);
              else pacedErrors += 1;
            })
            .catch(() => {
              pacedErrors += 1;
            }),
        );
      }
      await Promise.all(inFlight);
      const answeredSeconds = (Date.now() - pacedStart) / 1000;
      await until(
        () => [...sentAt.keys()].every((jobId) => jobs.seen.has(`linli.dispatch.job.offered.v1|${jobId}`)),
        'every paced ticket’s job offered',
      );
      const latencies = [...sentAt.entries()]
        .map(([jobId, t0]) => (jobs.seen.get(`linli.dispatch.job.offered.v1|${jobId}`) as number) - t0)
        .sort((x, y) => x - y);
      const line =
        `| ${rate}/s for ${PACED_SECONDS} s | ${sentAt.size} | ${pacedErrors} | ${(sentAt.size / answeredSeconds).toFixed(0)} | ` +
        `${percentile(latencies, 50)} | ${percentile(latencies, 90)} | ${percentile(latencies, 99)} | ${latencies[latencies.length - 1]} |`;
      progress(line);
      pacedLines.push(line);
    }

    await tickets.consumer.disconnect();
    await jobs.consumer.disconnect();

    const rows = [
      [
        'bare Nest + mongoose insert (floor)',
        (floorRun.count / floorRun.seconds).toFixed(0),
        '',
        String(floorRun.errors),
      ],
      [
        'POST /tickets (validated, stored with its outbox, timers scheduled)',
        (apiRun.count / apiRun.seconds).toFixed(0),
        publishedPerSecond.toFixed(0),
        String(apiRun.errors),
      ],
    ];
    const lines = [
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
      `closed loop: ${CONCURRENCY} concurrent callers for ${SECONDS} s each`,
      '',
      '| endpoint | created/s | created and published/s | errors |',
      '| --- | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
      `| ratio service / floor | ${(apiRun.count / apiRun.seconds / (floorRun.count / floorRun.seconds)).toFixed(2)} | | |`,
      '',
      'paced load, ticket created -> job offered (ms):',
      '',
      '| offered load | created | errors | created/s | p50 | p90 | p99 | max |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...pacedLines,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await Promise.all(services.map((s) => s.stop()));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
