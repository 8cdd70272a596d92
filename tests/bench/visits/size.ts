// One size of the visits benchmark, in a process and a namespace of its own (run.ts starts it once per size):
// N elders on weekly plans written straight into elder-care's namespaced database, then
//  1. the raw floor, on a quiet stack, on as many documents and jobs as the week holds, in batches of the service's
//     size: bare mongoose insertMany (of documents shaped as stored visits, outbox included), bare Bull addBulk of
//     delayed jobs;
//  2. elder-care started as a process, whose daily horizon job runs at start-up (its time of day has passed and it
//     never ran): VisitPlanner.extendHorizon over every elder, a week of visits inserted with their visit.scheduled
//     events and their dispatch timers (scheduled-work records + Bull jobs). Timed by the job's own scheduled-work
//     record: from `runningSince` (read while it runs) to `doneAt`;
//  3. timer punctuality under that load: DUE one-off visits (POST /elders/:id/visits) due within the next minute or
//     two, dispatch lead 0, fired by the service's processor among the week of timers; lateness = the visit's
//     dispatchedAt (the effect's write) − dueAt, and the visit.dispatched event read back from Kafka − dueAt.
// Prints one JSON line (the figures) on stdout. run.ts sets LINLI_NAMESPACE and elder-care's configuration.
import { fromKafkaRecord, visitTopic, WEEKDAYS } from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { authHeader, startService, type ServiceProcess } from '@linli/testing';
import { cleanUpNamespace, runSizeMain } from '../support/sizes';
import Bull from 'bull';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';

const ELDERS = Number(process.argv[2] ?? process.env['BENCH_ELDERS'] ?? 10_000);
const DUE = Number(process.env['BENCH_DUE_VISITS'] ?? 500);
/** The punctuality visits are due between DUE_FROM_MS and DUE_FROM_MS + DUE_SPREAD_MS after they are asked for. */
const DUE_FROM_MS = Number(process.env['BENCH_DUE_FROM_MS'] ?? 90_000);
const DUE_SPREAD_MS = Number(process.env['BENCH_DUE_SPREAD_MS'] ?? 60_000);
const BATCH = Number(process.env['VISIT_WRITE_BATCH'] ?? 1_000);
const SEED_CHUNK = 5_000;
const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
/** Communities of 宁海路街道, Gulou: the elders are spread over them. */
const COMMUNITIES = ['320106001003', '320106001004', '320106001005', '320106001007', '320106001008'];
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const GENERATION_TIMEOUT_MS = 60 * 60_000;

const namespace = process.env['LINLI_NAMESPACE'] as string;
const log = (line: string) => process.stderr.write(`[bench ${ELDERS}] ${line}\n`);
const operator = {
  ...authHeader('operator', '320106', { sub: 'bench-operator' }),
  'content-type': 'application/json',
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);
}

const elderIdOf = (i: number) => `E${String(i + 1).padStart(7, '0')}`;
const localDate = (at: Date) => new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

/** Elders as the registry stores them (living with family, no hardship: only their plan's visits), and plans. */
async function seed(client: MongoClient, count: number): Promise<number> {
  const db = client.db(namespaced('linli-elder-care', '-'));
  const now = new Date();
  const today = new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
  const started = Date.now();
  for (let from = 0; from < count; from += SEED_CHUNK) {
    const elders = [];
    const plans = [];
    for (let i = from; i < Math.min(count, from + SEED_CHUNK); i++) {
      const elderId = elderIdOf(i);
      const community = COMMUNITIES[i % COMMUNITIES.length] as string;
      elders.push({
        _id: elderId,
        name: '压测老人',
        gender: 'female',
        birthDate: '1945-01-01',
        identityNumber: '320106194501010000',
        identityHash: `bench-${i}`,
        phone: '13800000000',
        phoneHash: `bench-${i}`,
        community,
        address: '测试路 1 号',
        home: null,
        livingSituation: 'with-family',
        careLevel: 'self-care',
        hardship: [],
        emergencyContacts: [],
        consent: { services: true, recordedAt: now, recordedBy: 'bench' },
        status: 'active',
        inactiveReason: null,
        missedInARow: 0,
        lastCheckInAt: null,
        source: 'import',
        importId: null,
        createdBy: 'bench',
        createdAt: now,
        updatedAt: now,
        version: 1,
        outbox: [],
      });
      // A weekly plan: one item, one weekday (spread over the week), 09:00.
      plans.push({
        _id: `P${elderId}`,
        elderId,
        jurisdiction: community,
        status: 'active',
        items: [
          {
            itemId: 'I1',
            service: 'meal-delivery',
            rhythm: { kind: 'weekly', weekdays: [WEEKDAYS[i % 7]], times: ['09:00'] },
            startsOn: today,
            endsOn: null,
          },
        ],
        itemSequence: 2,
        updatedBy: 'bench',
        createdAt: now,
        updatedAt: now,
        version: 1,
        outbox: [],
      });
    }
    await db.collection('elders').insertMany(elders as never[], { ordered: false });
    await db.collection('care_plans').insertMany(plans as never[], { ordered: false });
  }
  return Date.now() - started;
}

/** The visits a week holds for the seeded plans: elder i weekly on WEEKDAYS[i % 7] at 09:00, from now to the
 * horizon's end (the start of the local day seven days after today), as the planner counts them. */
function expectedVisits(elders: number, now: Date): number {
  const today = localDate(now);
  let count = 0;
  for (let d = 0; d < 7; d++) {
    const date = new Date(new Date(`${today}T00:00:00Z`).getTime() + d * 86_400_000)
      .toISOString()
      .slice(0, 10);
    if (new Date(`${date}T09:00:00+08:00`) <= now) continue;
    const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // mon = 0, as WEEKDAYS
    count += Math.floor(elders / 7) + (weekday < elders % 7 ? 1 : 0);
  }
  return count;
}

/** A stored visit as the planner writes it (fields and one visit.scheduled event in its outbox), for the floor. */
function visitTemplate(): Record<string, unknown> {
  const now = new Date();
  const dueAt = new Date(now.getTime() + 86_400_000);
  const data = {
    visitId: 'VE0000001-meal-delivery-202611300900',
    version: 0,
    jurisdiction: '320106001004',
    elderId: 'E0000001',
    source: 'plan',
    carePlanId: 'PE0000001',
    carePlanVersion: 1,
    service: 'meal-delivery',
    dueAt: dueAt.toISOString(),
    missedAfter: new Date(dueAt.getTime() + 3_600_000).toISOString(),
  };
  return {
    elderId: data.elderId,
    jurisdiction: data.jurisdiction,
    source: 'plan',
    carePlanId: data.carePlanId,
    carePlanVersion: 1,
    itemId: 'I1',
    service: 'meal-delivery',
    dueAt,
    missedAfter: new Date(dueAt.getTime() + 3_600_000),
    status: 'scheduled',
    attempt: 0,
    jobId: null,
    dispatchedAt: null,
    provider: null,
    unassigned: false,
    checkIn: null,
    checkOut: null,
    findings: [],
    misses: [],
    cancelReason: null,
    createdAt: now,
    updatedAt: now,
    version: 0,
    outbox: [
      {
        topic: 'linli.elder-care.visit.v1',
        event: {
          specversion: '1.0',
          id: '554b5ae4-b9d1-4c52-99bb-1530923da147',
          source: '/linli/elder-care',
          type: 'linli.elder-care.visit.scheduled.v1',
          time: now.toISOString(),
          subject: data.visitId,
          datacontenttype: 'application/json',
          jurisdiction: data.jurisdiction,
          correlationid: '554b5ae4-b9d1-4c52-99bb-1530923da147',
          data,
        },
      },
    ],
  };
}

async function main(): Promise<void> {
  const client = new MongoClient(MONGO_URL);
  await client.connect();
  const db = client.db(namespaced('linli-elder-care', '-'));
  let service: ServiceProcess | undefined;
  process.once('exit', () => service?.process.kill('SIGKILL'));
  try {
    const seedMs = await seed(client, ELDERS);
    log(`seeded ${ELDERS} elders and weekly plans in ${seedMs} ms`);

    // The raw floor first, on a quiet stack: as many documents as the week holds (see expectedVisits) and as many
    // delayed Bull jobs, in batches of the service's size.
    const count = expectedVisits(ELDERS, new Date());
    const floorConnection = await mongoose
      .createConnection(MONGO_URL, { dbName: `${namespace}-floor` })
      .asPromise();
    const FloorVisit = floorConnection.model(
      'FloorVisit',
      new mongoose.Schema({ _id: String }, { strict: false, versionKey: false, collection: 'visits' }),
    );
    const template = visitTemplate();
    const insertStart = Date.now();
    for (let from = 0; from < count; from += BATCH) {
      const docs = [];
      for (let i = from; i < Math.min(count, from + BATCH); i++) docs.push({ ...template, _id: `F${i}` });
      await FloorVisit.insertMany(docs, { ordered: false, lean: true });
    }
    const floorInsertMs = Date.now() - insertStart;
    await floorConnection.close();
    const floorQueue = new Bull('floor-visits', { prefix: `${namespace}:floor`, redis: REDIS_URL });
    const weekMs = 7 * 24 * 3_600_000;
    const addStart = Date.now();
    for (let from = 0; from < count; from += BATCH) {
      const jobs = [];
      for (let i = from; i < Math.min(count, from + BATCH); i++) {
        jobs.push({
          name: 'visit-dispatch',
          data: { visitId: `F${i}` },
          opts: { jobId: `visit-dispatch:F${i}`, delay: 3_600_000 + ((i * 7_919) % weekMs) },
        });
      }
      await floorQueue.addBulk(jobs);
    }
    const floorBullMs = Date.now() - addStart;
    await floorQueue.close();
    log(`floor: insertMany ${floorInsertMs} ms, addBulk ${floorBullMs} ms for ${count}`);

    // 2. The service's bulk path, run by its daily horizon job at start-up.
    const startedAt = Date.now();
    service = await startService({
      name: 'elder-care',
      env: { LOG_LEVEL: 'info' },
      readyTimeoutMs: 300_000,
    });
    const readyMs = Date.now() - startedAt;
    log(`elder-care ready in ${readyMs} ms; waiting for the horizon job`);
    const jobId = `visit-horizon:${localDate(new Date())}`;
    const work = db.collection<{
      jobId: string;
      status: string;
      runningSince: Date | null;
      doneAt: Date | null;
      lastError: string | null;
    }>('scheduled_work');
    let runningSince: Date | null = null;
    let record = null;
    for (const deadline = Date.now() + GENERATION_TIMEOUT_MS; ;) {
      record = await work.findOne({ jobId });
      if (record?.runningSince) runningSince ??= record.runningSince;
      if (record?.status === 'done' || record?.status === 'failed') break;
      if (record?.lastError) log(`horizon job error: ${record.lastError}`);
      if (Date.now() > deadline) throw new Error(`horizon job ${jobId} not done: ${JSON.stringify(record)}`);
      await sleep(250);
    }
    if (record?.status !== 'done' || !record.doneAt || !runningSince) {
      throw new Error(`horizon job ${jobId}: ${JSON.stringify(record)}`);
    }
    const generateMs = record.doneAt.getTime() - runningSince.getTime();
    const reportLine = service
      .output()
      .split('\n')
      .find((line) => line.includes('visit horizon extended'));
    let report: Record<string, unknown> = {};
    try {
      report = reportLine ? (JSON.parse(reportLine) as Record<string, unknown>) : {};
    } catch {
      // not a JSON log line: the counts below still say what was stored
    }
    log(`horizon job: ${generateMs} ms; ${reportLine ?? 'no report line'}`);
    const storedVisits = await db.collection('visits').countDocuments({});
    const timers = await work.countDocuments({ jobId: { $regex: '^visit-dispatch:' } });
    const redis = new Redis(REDIS_URL);
    const prefix = namespaced('linli', ':');
    const delayed = await redis.zcard(`${prefix}:elder-care-visits:delayed`);
    const waiting = await redis.llen(`${prefix}:elder-care-visits:wait`);
    await redis.quit();
    log(
      `stored: ${storedVisits} visits, ${timers} dispatch timer records, Bull ${delayed} delayed + ${waiting} waiting`,
    );

    // 3. Punctuality under that load: DUE one-off visits due within the next minute or two, lead 0.
    const kafka = new Kafka({ brokers: BROKERS, clientId: 'bench-visits', logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `${namespace}-bench-probe` });
    const published = new Map<string, number>();
    await consumer.connect();
    await consumer.subscribe({ topic: namespaced(visitTopic.name), fromBeginning: false });
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const at = Date.now();
        for (const message of batch.messages) {
          const event = fromKafkaRecord(message);
          if (event.type.endsWith('visit.dispatched.v1') && !published.has(String(event.subject))) {
            published.set(String(event.subject), at);
          }
        }
      },
    });
    await joined;
    const dueCount = Math.min(DUE, ELDERS);
    const base = Date.now() + DUE_FROM_MS;
    const dueOf = new Map<string, number>();
    let refused = 0;
    const askStart = Date.now();
    for (let from = 0; from < dueCount; from += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, dueCount - from) }, async (_, k) => {
          const i = from + k;
          // Due DUE_FROM_MS after it is asked for at the earliest (asking takes a while when the stack is busy).
          const dueAt = Math.max(base + Math.floor((i * DUE_SPREAD_MS) / dueCount), Date.now() + DUE_FROM_MS);
          const response = await fetch(`${service?.url}/elders/${elderIdOf(i)}/visits`, {
            method: 'POST',
            headers: operator,
            body: JSON.stringify({ service: 'meal-delivery', dueAt: new Date(dueAt).toISOString() }),
          });
          const body = (await response.json()) as { visitId?: string; dueAt?: string };
          if (response.status === 201 && body.visitId && body.dueAt) {
            dueOf.set(body.visitId, new Date(body.dueAt).getTime());
          } else {
            refused += 1;
            if (refused === 1) log(`one-off visit refused: ${response.status} ${JSON.stringify(body)}`);
          }
        }),
      );
    }
    log(
      `${dueOf.size} visits due in ${DUE_FROM_MS / 1000}–${(DUE_FROM_MS + DUE_SPREAD_MS) / 1000} s asked for in ${Date.now() - askStart} ms (${refused} refused)`,
    );
    const ids = [...dueOf.keys()];
    const lastDue = Math.max(...dueOf.values());
    const deadline = lastDue + 600_000;
    let fired: { _id: string; dispatchedAt: Date | null }[] = [];
    for (;;) {
      await sleep(5_000);
      if (Date.now() < lastDue) continue;
      fired = await db
        .collection<{ _id: string; dispatchedAt: Date | null }>('visits')
        .find({ _id: { $in: ids }, status: { $ne: 'scheduled' } }, { projection: { dispatchedAt: 1 } })
        .toArray();
      if ((fired.length === ids.length && published.size >= ids.length) || Date.now() > deadline) break;
    }
    await consumer.disconnect();
    const lateness = fired
      .filter((visit) => visit.dispatchedAt)
      .map((visit) => (visit.dispatchedAt as Date).getTime() - (dueOf.get(visit._id) as number))
      .sort((a, b) => a - b);
    const publishedLateness = ids
      .filter((id) => published.has(id))
      .map((id) => (published.get(id) as number) - (dueOf.get(id) as number))
      .sort((a, b) => a - b);
    const result = {
      elders: ELDERS,
      seedMs,
      readyMs,
      report,
      generateMs,
      storedVisits,
      timers,
      bull: { delayed, waiting },
      floor: { count, insertMs: floorInsertMs, addBulkMs: floorBullMs },
      expectedVisits: count,
      punctuality: {
        visits: ids.length,
        fired: lateness.length,
        p50: percentile(lateness, 50),
        p99: percentile(lateness, 99),
        max: lateness[lateness.length - 1],
        published: publishedLateness.length,
        publishedP50: percentile(publishedLateness, 50),
        publishedP99: percentile(publishedLateness, 99),
        publishedMax: publishedLateness[publishedLateness.length - 1],
      },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } catch (error) {
    log(`failed: ${(error as Error).stack ?? String(error)}`);
    throw error;
  } finally {
    await service?.stop();
    await client.close().catch(() => undefined);
    await cleanUpNamespace(namespace, log);
  }
}

runSizeMain(main);
