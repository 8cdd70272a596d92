// Throughput and latency of the backbone (outbox write -> relay -> Kafka -> ConsumerRunner with processed-event
// dedupe) against raw floors measured in the same run: bare kafkajs (produce -> consume, topics with the same
// settings) and bare mongoose (the same documents inserted, the same processed ids inserted), so the table shows
// what the database alone costs on this server.
// Every row is measured at each event count of BENCH_EVENTS (5,000, 20,000 and 60,000 by default) in turn, each level
// on topics and databases of its own: how the cost grows with the volume.
// Usage: npm run bench   (env: BENCH_EVENTS, BENCH_KEYS, BENCH_PARTITIONS, BENCH_WRITE_CHUNK, BENCH_TIMEOUT_MS)
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import {
  type EventDefinition,
  createEvent,
  defineEvent,
  defineTopic,
  fromKafkaRecord,
} from '@linli/contracts';
import {
  type AggregateFields,
  ProcessedEventsStore,
  aggregatePlugin,
  processedEventKey,
  insertAggregates,
  outboxEntry,
} from '@linli/persistence';
import { ConsumerRunner, EventProducer, OutboxRelay, TopicProvisioner, createKafka } from '@linli/messaging';
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection, Schema } from 'mongoose';
import { machineDescription, watchLoad } from '../support/machine';

const LEVELS = (process.env.BENCH_EVENTS ?? '5000,20000,60000').split(',').map(Number);
/** The level being measured; the phases below read it (and `id`, `service`), set per level by main. */
let EVENTS = LEVELS[0] as number;
const KEYS = Number(process.env.BENCH_KEYS ?? 1_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);
/** Aggregates inserted per bulk write, and messages per bare sendBatch: the same unit of work on both sides. */
const CHUNK = Number(process.env.BENCH_WRITE_CHUNK ?? 500);
/** Each phase is bounded: a stuck pipeline reports what it did instead of hanging. */
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 120_000);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

interface Result {
  name: string;
  events: number;
  seconds: number;
  latenciesMs: number[];
  /** Floors that are not a pipeline have no event latency. */
  noLatency?: boolean;
}

let id = randomUUID().slice(0, 8);
let service = `bench-${id}`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function waitUntil(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`bench phase "${what}" did not finish in ${TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function bareKafkajs(kafka: Kafka, topic: string): Promise<Result> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  const consumer = kafka.consumer({ groupId: `${service}-bare` });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: true });
  const latenciesMs: number[] = [];
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const message of batch.messages) latenciesMs.push(now - Number(message.timestamp));
    },
  });
  await waitUntil(() => joined, 'bare consumer join');
  const started = Date.now();
  for (let sent = 0; sent < EVENTS; sent += CHUNK) {
    const messages = Array.from({ length: Math.min(CHUNK, EVENTS - sent) }, (_, i) => ({
      key: `key-${(sent + i) % KEYS}`,
      value: JSON.stringify({ count: sent + i }),
    }));
    await producer.send({ topic, messages, acks: -1 });
  }
  await waitUntil(() => latenciesMs.length >= EVENTS, 'bare consume');
  const seconds = (Date.now() - started) / 1000;
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
  return {
    name: 'bare kafkajs (sendBatch of CHUNK -> eachBatch)',
    events: latenciesMs.length,
    seconds,
    latenciesMs,
  };
}

/** The counter aggregate of the backbone rows, on its own database. */
async function counterModel(suffix: string) {
  const connection = await mongoose
    .createConnection(mongoUrl, { dbName: `linli_bench_${id}_${suffix}` })
    .asPromise();
  const schema = new Schema<{ _id: string; count: number } & AggregateFields>(
    { _id: String, count: Number },
    { versionKey: false },
  );
  schema.plugin(aggregatePlugin);
  const counters = connection.model(`BenchCounter${suffix}`, schema);
  await counters.createIndexes();
  return { connection, counters };
}

function counterItems(incremented: EventDefinition, written: number) {
  return Array.from({ length: Math.min(CHUNK, EVENTS - written) }, (_, i) => {
    const key = `counter-${written + i}`;
    const event = createEvent({
      source: `/linli/${service}`,
      type: incremented.type,
      subject: key,
      data: { count: 1 },
    });
    return { document: { _id: key, count: 1 }, events: [outboxEntry(incremented, event)] };
  });
}

function counterDefinition(suffix: string) {
  const topic = defineTopic(service, `counter-${suffix}`, 1, 'bench counters');
  const incremented = defineEvent(
    topic,
    'counter.incremented',
    Type.Object({ count: Type.Integer() }),
    'bench',
  );
  return { topic, incremented };
}

/**
 * Floor 1 (bare mongoose): the backbone's documents (each aggregate with its outbox entry, same collection and
 * indexes), written CHUNK at a time with a plain Model.insertMany: no outbox signal, no relay, no Kafka.
 */
async function bareInsertMany(): Promise<Result> {
  const { incremented } = counterDefinition('floor');
  const { connection, counters } = await counterModel('floor');
  const chunks = [];
  for (let written = 0; written < EVENTS; written += CHUNK) {
    chunks.push(
      counterItems(incremented, written).map(({ document, events }) => ({
        ...document,
        version: 0,
        outbox: events,
      })),
    );
  }
  const started = Date.now();
  for (const documents of chunks) await counters.insertMany(documents as never[], { lean: true });
  const seconds = (Date.now() - started) / 1000;
  await connection.dropDatabase();
  await connection.close();
  return {
    name: 'bare mongoose: insertMany of the documents',
    events: EVENTS,
    seconds,
    latenciesMs: [],
    noLatency: true,
  };
}

/**
 * Floors 2 and 3 (bare mongoose): the processed-event ids a consumer stores, in the store's collection (same
 * _id and indexes), one insertOne per event (what ConsumerRunner did before) and insertMany of CHUNK (now).
 */
async function bareProcessedIds(mode: 'per-event' | 'batched'): Promise<Result> {
  const connection = await mongoose
    .createConnection(mongoUrl, { dbName: `linli_bench_${id}_ids_${mode}` })
    .asPromise();
  const store = new ProcessedEventsStore(connection);
  await store.ensureIndexes();
  const group = `${service}-floor`;
  const documents = Array.from({ length: EVENTS }, () => {
    const eventId = randomUUID();
    return {
      _id: processedEventKey(group, eventId),
      group,
      eventId,
      type: 'bench',
      topic: 'bench',
      partition: 0,
      offset: '0',
      processedAt: new Date(),
    };
  });
  const started = Date.now();
  if (mode === 'per-event') {
    for (const document of documents) await store.model.collection.insertOne(document as never);
  } else {
    for (let i = 0; i < EVENTS; i += CHUNK) {
      await store.model.collection.insertMany(documents.slice(i, i + CHUNK) as never[], { ordered: false });
    }
  }
  const seconds = (Date.now() - started) / 1000;
  await connection.dropDatabase();
  await connection.close();
  return {
    name: `bare mongoose: processed ids, ${mode === 'per-event' ? 'insertOne per event' : 'insertMany of CHUNK'}`,
    events: EVENTS,
    seconds,
    latenciesMs: [],
    noLatency: true,
  };
}

/**
 * ConsumerRunner alone: EVENTS CloudEvents published up front (EventProducer, CHUNK per request), then the
 * runner reads them all. Throughput from its start to the last event; no latency (the events waited on purpose).
 */
async function runnerAlone(kafka: Kafka): Promise<Result> {
  const { topic, incremented } = counterDefinition('alone');
  await new TopicProvisioner(kafka, { partitions: PARTITIONS }).ensure([topic]);
  const connection = await mongoose
    .createConnection(mongoUrl, { dbName: `linli_bench_${id}_alone` })
    .asPromise();
  const producer = new EventProducer(kafka);
  await producer.connect();
  for (let written = 0; written < EVENTS; written += CHUNK) {
    await producer.publish(counterItems(incremented, written).map(({ events }) => events[0]));
  }
  const handled: number[] = [];
  const started = Date.now();
  const consumer = await startReader(kafka, 'runner', topic.name, incremented, connection, producer, handled);
  await waitUntil(() => handled.length >= EVENTS, 'ConsumerRunner alone');
  const seconds = (Date.now() - started) / 1000;
  await consumer.stop();
  await producer.disconnect();
  await connection.dropDatabase();
  await connection.close();
  return {
    name: 'ConsumerRunner alone (topic filled first)',
    events: handled.length,
    seconds,
    latenciesMs: [],
    noLatency: true,
  };
}

/**
 * `runner`: the service path, ConsumerRunner with processed-event dedupe. `bare`: the same outbox and relay read
 * by a bare kafkajs consumer, which isolates the publishing side.
 */
async function backbone(kafka: Kafka, reader: 'runner' | 'bare'): Promise<Result> {
  const { topic, incremented } = counterDefinition(reader);
  await new TopicProvisioner(kafka, { partitions: PARTITIONS }).ensure([topic]);
  const { connection, counters } = await counterModel(reader);

  const producer = new EventProducer(kafka);
  await producer.connect();
  const relay = new OutboxRelay(producer);
  relay.register(counters);
  const latenciesMs: number[] = [];
  const consumer = await startReader(
    kafka,
    reader,
    topic.name,
    incremented,
    connection,
    producer,
    latenciesMs,
  );
  relay.start();

  const started = Date.now();
  // Each aggregate is created with its first event: the bulk-write path (DESIGN: no create() in a loop).
  for (let written = 0; written < EVENTS; written += CHUNK) {
    await insertAggregates(counters, counterItems(incremented, written));
  }
  await waitUntil(() => latenciesMs.length >= EVENTS, 'backbone consume');
  const seconds = (Date.now() - started) / 1000;
  await relay.stop();
  await consumer.stop();
  await producer.disconnect();
  await connection.dropDatabase();
  await connection.close();
  const name =
    reader === 'runner'
      ? 'backbone (outbox -> relay -> ConsumerRunner)'
      : 'outbox -> relay -> bare eachBatch';
  return { name, events: latenciesMs.length, seconds, latenciesMs };
}

async function startReader(
  kafka: Kafka,
  reader: 'runner' | 'bare',
  topic: string,
  definition: EventDefinition,
  connection: Connection,
  producer: EventProducer,
  latenciesMs: number[],
): Promise<{ stop(): Promise<void> }> {
  const groupId = `${service}-${reader}`;
  if (reader === 'runner') {
    const runner = new ConsumerRunner({
      kafka,
      groupId,
      processedEvents: new ProcessedEventsStore(connection),
      deadLetterProducer: producer.producer,
      handlers: [
        {
          definition,
          handle: async (event) => {
            latenciesMs.push(Date.now() - Date.parse(event.time));
          },
        },
      ],
    });
    await runner.start();
    await waitUntil(() => runner.health().ok, 'ConsumerRunner join');
    return runner;
  }
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const message of batch.messages) {
        latenciesMs.push(now - Date.parse(fromKafkaRecord(message).time));
      }
    },
  });
  await waitUntil(() => joined, 'bare consumer join');
  return { stop: () => consumer.disconnect() };
}

/** The seven rows at the current level, on topics of its own (deleted after). */
async function level(): Promise<Result[]> {
  const kafka = createKafka({ service, brokers, logLevel: logLevel.ERROR });
  const bareTopic = `linli.${service}.bare.v1`;
  await new TopicProvisioner(kafka, { partitions: PARTITIONS }).ensure([bareTopic]);
  const results: Result[] = [];
  try {
    results.push(await bareKafkajs(kafka, bareTopic));
    results.push(await bareInsertMany());
    results.push(await bareProcessedIds('per-event'));
    results.push(await bareProcessedIds('batched'));
    results.push(await runnerAlone(kafka));
    results.push(await backbone(kafka, 'bare'));
    results.push(await backbone(kafka, 'runner'));
  } finally {
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.includes(service));
    if (topics.length) await admin.deleteTopics({ topics });
    await admin.disconnect();
  }
  return results;
}

async function main(): Promise<void> {
  const load = watchLoad();
  const summary: string[] = [];
  for (const events of LEVELS) {
    EVENTS = events;
    id = randomUUID().slice(0, 8);
    service = `bench-${id}`;
    let results: Result[];
    try {
      results = await level();
    } catch (error) {
      // A level past what the machine can do in BENCH_TIMEOUT_MS is reported; the levels before it stand.
      console.error(error);
      summary.push(`| ${EVENTS} | failed: ${(error as Error).message} | | | | | | | |`);
      break;
    }
    const rows = results.map((r) => {
      const sorted = [...r.latenciesMs].sort((a, b) => a - b);
      return {
        pipeline: r.name,
        events: r.events,
        'events/s': Math.round(r.events / r.seconds),
        'p50 ms': r.noLatency ? '-' : percentile(sorted, 50),
        'p99 ms': r.noLatency ? '-' : percentile(sorted, 99),
      };
    });
    const bare = rows[0]['events/s'];
    for (const row of rows) Object.assign(row, { 'x bare kafkajs': (row['events/s'] / bare).toFixed(3) });
    console.log(`\n${EVENTS} events, ${KEYS} keys (bare), ${PARTITIONS} partitions, chunk ${CHUNK}`);
    console.table(rows);
    const backboneRow = rows[rows.length - 1];
    const insertFloor = rows[1]['events/s'];
    console.log(
      `backbone / bare kafkajs: ${(backboneRow['events/s'] / bare).toFixed(3)} (aim: >= 0.5, i.e. ${Math.round(bare / 2)} events/s)`,
    );
    summary.push(
      `| ${EVENTS} | ${bare} | ${insertFloor} | ${rows[5]['events/s']} | ${backboneRow['events/s']} | ` +
        `${backboneRow['p50 ms']} | ${backboneRow['p99 ms']} | ${(backboneRow['events/s'] / bare).toFixed(3)} | ` +
        `${(backboneRow['events/s'] / insertFloor).toFixed(2)} |`,
    );
  }
  console.log(
    [
      '',
      machineDescription(),
      load.stop(),
      '',
      '| events | bare kafkajs /s | bare insertMany /s | outbox -> relay -> bare eachBatch /s | backbone /s | backbone p50 ms | p99 ms | backbone / kafkajs | backbone / insertMany |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...summary,
    ].join('\n'),
  );
}

main()
  .then(() => process.exit(0))
  .catch((error: Error) => {
    console.error(error);
    process.exit(1);
  });
