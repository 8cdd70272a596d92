// One size of the broadcast benchmark, in a process and a namespace of its own (run.ts starts it once per size):
// N contacts (providers, in-app) in the communities of 宁海路街道 written straight into notifications' namespaced
// directory, then
//  1. the raw floor, on a quiet stack: bare kafkajs producing N messages of a delivery's size (sendBatch of the
//     broadcast batch size, acks all), bare collection.insertMany of N delivery-shaped documents (unordered, in
//     batches of the broadcast batch size);
//  2. emergency and notifications started as processes; a coordinator declares an incident for the street and
//     issues an alert to its providers. Timed from the POST of the alert: until GET /broadcasts/<alertId>:1 says
//     completed (and N deliveries are counted in notifications' database; the newest delivery's createdAt gives
//     the last delivery recorded), and until emergency's board counts N recipient rows;
//  3. the acknowledgement write rate: ACK_CLIENTS concurrent clients, each a provider user acknowledging for
//     itself (POST /alerts/:id/acknowledgements), for ACK_SECONDS; against the floor of the same number of
//     concurrent clients updating one of N pending rows each for as long: bare updateOne by `_id` alone, and bare
//     findOneAndUpdate by `_id` and status (the shape of the service's conditional write).
// Prints one JSON line (the figures) on stdout. run.ts sets LINLI_NAMESPACE.
import { namespaced } from '@linli/platform';
import { authHeader, startService, type ServiceProcess } from '@linli/testing';
import { cleanUpNamespace, runSizeMain } from '../support/sizes';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { createHash } from 'node:crypto';

const N = Number(process.argv[2] ?? process.env['BENCH_RECIPIENTS'] ?? 10_000);
const BATCH = Number(process.env['BROADCAST_BATCH_SIZE'] ?? 500);
const ACK_CLIENTS = Number(process.env['BENCH_ACK_CLIENTS'] ?? 20);
const ACK_SECONDS = Number(process.env['BENCH_ACK_SECONDS'] ?? 20);
/** A size that does not finish in this long reports what it did. */
const TIMEOUT_MS = Number(process.env['BENCH_TIMEOUT_MS'] ?? 30 * 60_000);
const SEED_CHUNK = 5_000;
const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const STREET = '320106001';
/** Communities of 宁海路街道, Gulou: the contacts are spread over them. */
const COMMUNITIES = ['320106001003', '320106001004', '320106001005', '320106001007', '320106001008'];

const namespace = process.env['LINLI_NAMESPACE'] as string;
const log = (line: string) => process.stderr.write(`[bench ${N}] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const coordinator = {
  ...authHeader('coordinator', '320106', { sub: 'bench-coordinator' }),
  'content-type': 'application/json',
};
const contactIdOf = (i: number) => `BP${String(i + 1).padStart(7, '0')}`;

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);
}

function prefixesOf(code: string): string[] {
  return [2, 4, 6, 9, 12].filter((length) => length <= code.length).map((length) => code.slice(0, length));
}

/** The name mongoose gives a model's collection, read from the service's own schema. */
/**
 * The collection mongoose gives a model of notifications (services/notifications/src/models.ts): the bench writes
 * the directory straight into the service's database, as a migration would, without importing the service.
 */
function collectionOf(modelName: string): string {
  return (mongoose.pluralize() as (name: string) => string)(modelName);
}

/** An id as unique as a delivery's (the service hashes the message key and the recipient), for the floor. */
const floorIdOf = (messageKey: string, recipientId: string) =>
  `d-${createHash('sha256').update(`${messageKey}\n${recipientId}`).digest('base64url').slice(0, 32)}`;

/** Contacts as the directory stores them: providers of the street's communities, in-app only. */
async function seed(client: MongoClient, collection: string): Promise<number> {
  const contacts = client.db(namespaced('linli-notifications', '-')).collection(collection);
  const now = new Date();
  const started = Date.now();
  for (let from = 0; from < N; from += SEED_CHUNK) {
    const docs = [];
    for (let i = from; i < Math.min(N, from + SEED_CHUNK); i++) {
      const community = COMMUNITIES[i % COMMUNITIES.length] as string;
      docs.push({
        _id: contactIdOf(i),
        kind: 'provider',
        areas: [community],
        areaPrefixes: prefixesOf(community),
        language: 'zh-CN',
        channels: ['in-app'],
        active: true,
        jurisdiction: community,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
    }
    await contacts.insertMany(docs as never[], { ordered: false });
  }
  return Date.now() - started;
}

/** A delivery as the broadcast writes it (rendered text, ids in data), for the floor. */
function deliveryLike(i: number, alertId: string): Record<string, unknown> {
  const now = new Date();
  const recipientId = contactIdOf(i);
  const messageKey = `alert:${alertId}:1`;
  return {
    _id: floorIdOf(messageKey, recipientId),
    messageKey,
    recipientId,
    recipientKind: 'provider',
    channel: 'in-app',
    template: 'alert.issued',
    language: 'zh-CN',
    title: '【应急预警】宁海路街道内涝预警',
    body: '宁海路街道内涝预警：请立即转移地下空间人员车辆。请远离地下车库和低洼地带，需要帮助请回复。',
    data: { alertId, incidentId: alertId.split('-A')[0] as string, sequence: 1 },
    cause: { eventType: 'linli.emergency.alert.issued.v1', eventId: '554b5ae4-b9d1-4c52-99bb-1530923da147' },
    jurisdiction: STREET,
    status: 'delivered',
    attempts: 0,
    createdAt: now,
    updatedAt: now,
    version: 0,
    outbox: [],
  };
}

async function floorKafka(alertId: string): Promise<{ ms: number; bytes: number }> {
  const kafka = new Kafka({
    brokers: BROKERS,
    clientId: 'bench-broadcast-floor',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const topic = `${namespace}.bench-floor.deliveries`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const bytes = Buffer.byteLength(JSON.stringify(deliveryLike(0, alertId)));
  const started = Date.now();
  for (let from = 0; from < N; from += BATCH) {
    const messages = [];
    for (let i = from; i < Math.min(N, from + BATCH); i++) {
      messages.push({ key: contactIdOf(i), value: JSON.stringify(deliveryLike(i, alertId)) });
    }
    await producer.send({ topic, messages, acks: -1 });
  }
  const ms = Date.now() - started;
  await producer.disconnect();
  return { ms, bytes };
}

async function floorInsert(client: MongoClient, alertId: string): Promise<number> {
  const deliveries = client.db(`${namespace}-floor`).collection('deliveries');
  const started = Date.now();
  for (let from = 0; from < N; from += BATCH) {
    const docs = [];
    for (let i = from; i < Math.min(N, from + BATCH); i++) docs.push(deliveryLike(i, alertId));
    await deliveries.insertMany(docs as never[], { ordered: false });
  }
  return Date.now() - started;
}

/** CLIENTS loops for SECONDS, each calling `one(i)` with the next index; counts and latencies. */
async function closedLoop(
  one: (i: number) => Promise<boolean>,
): Promise<{ ok: number; failed: number; seconds: number; p50: number; p99: number }> {
  let next = 0;
  let ok = 0;
  let failed = 0;
  const latencies: number[] = [];
  const started = Date.now();
  const until = started + ACK_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: ACK_CLIENTS }, async () => {
      while (Date.now() < until && next < N) {
        const i = next++;
        const at = Date.now();
        const good = await one(i).catch(() => false);
        latencies.push(Date.now() - at);
        if (good) ok += 1;
        else failed += 1;
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { ok, failed, seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function main(): Promise<void> {
  const client = new MongoClient(MONGO_URL);
  await client.connect();
  const services: ServiceProcess[] = [];
  process.once('exit', () => services.forEach((s) => s.process.kill('SIGKILL')));
  try {
    const contactsCollection = collectionOf('NotificationContact');
    const deliveriesCollection = collectionOf('NotificationDelivery');
    const seedMs = await seed(client, contactsCollection);
    log(`seeded ${N} contacts into ${contactsCollection} in ${seedMs} ms`);

    // 1. The raw floor first, on a quiet stack.
    const floorAlert = 'I20261129-000001-A1';
    const kafkaFloor = await floorKafka(floorAlert);
    const insertFloorMs = await floorInsert(client, floorAlert);
    log(`floor: kafkajs ${kafkaFloor.ms} ms (${kafkaFloor.bytes} B each), insertMany ${insertFloorMs} ms`);

    // 2. The services, and the broadcast.
    const env = {
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
      BROADCAST_BATCH_SIZE: String(BATCH),
      // The chase stays out of the measure.
      ALERT_ACKNOWLEDGE_WITHIN_MS: String(6 * 3_600_000),
      ALERT_RESEND_WINDOW_MS: String(3_600_000),
    };
    const startedAt = Date.now();
    const started = await Promise.allSettled(
      ['emergency', 'notifications'].map((name) => startService({ name, env, readyTimeoutMs: 300_000 })),
    );
    for (const one of started) if (one.status === 'fulfilled') services.push(one.value);
    const failed = started.find((one) => one.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const [emergency, notifications] = services as [ServiceProcess, ServiceProcess];
    log(`services ready in ${Date.now() - startedAt} ms`);

    const declared = await fetch(`${emergency.url}/incidents`, {
      method: 'POST',
      headers: coordinator,
      body: JSON.stringify({
        kind: 'flood',
        severity: 'severe',
        title: '宁海路街道内涝',
        description: '压测：强降雨导致宁海路街道多处积水',
        areas: [STREET],
      }),
    });
    const incident = (await declared.json()) as { incidentId?: string };
    if (declared.status !== 201 || !incident.incidentId)
      throw new Error(`incident not declared: ${declared.status} ${JSON.stringify(incident)}`);

    const postedAt = Date.now();
    const issued = await fetch(`${emergency.url}/incidents/${incident.incidentId}/alerts`, {
      method: 'POST',
      headers: coordinator,
      body: JSON.stringify({
        audiences: ['providers'],
        headline: '宁海路街道内涝预警：请立即转移地下空间人员车辆',
        description: '预计未来3小时仍有强降雨，低洼地带积水可能继续上涨。',
        instruction: '请远离地下车库和低洼地带，需要帮助请回复。',
        urgency: 'immediate',
        severity: 'severe',
        certainty: 'observed',
      }),
    });
    const postMs = Date.now() - postedAt;
    const alert = (await issued.json()) as { alertId?: string };
    if (issued.status !== 201 || !alert.alertId)
      throw new Error(`alert not issued: ${issued.status} ${JSON.stringify(alert)}`);
    const alertId = alert.alertId;
    log(`alert ${alertId} issued (POST ${postMs} ms)`);

    const deadline = postedAt + TIMEOUT_MS;
    let broadcast: { status?: string; recipientCount?: number; completedAt?: string } = {};
    let completedMs = NaN;
    let rowsMs = NaN;
    let board: { recipients?: number } = {};
    let lastLog = Date.now();
    // Polls both at once: the broadcast's completion in notifications, the recipient rows in emergency.
    while (Number.isNaN(completedMs) || Number.isNaN(rowsMs)) {
      if (Date.now() > deadline) break;
      if (Number.isNaN(completedMs)) {
        const reply = await fetch(`${notifications.url}/broadcasts/${alertId}:1`, { headers: coordinator });
        if (reply.status === 200) broadcast = (await reply.json()) as typeof broadcast;
        if (broadcast.status === 'completed') completedMs = Date.now() - postedAt;
      }
      if (Number.isNaN(rowsMs)) {
        const reply = await fetch(`${emergency.url}/alerts/${alertId}/board`, { headers: coordinator });
        if (reply.status === 200) board = (await reply.json()) as typeof board;
        if ((board.recipients ?? 0) >= N) rowsMs = Date.now() - postedAt;
      }
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(
          `${Math.round((Date.now() - postedAt) / 1000)} s: broadcast ${JSON.stringify(broadcast)}, board ${board.recipients ?? 0} rows`,
        );
      }
      await sleep(250);
    }
    const deliveries = client.db(namespaced('linli-notifications', '-')).collection(deliveriesCollection);
    const messageKey = `alert:${alertId}:1`;
    const delivered = await deliveries.countDocuments({ messageKey });
    const [newest] = await deliveries
      .find({ messageKey }, { projection: { createdAt: 1 } })
      .sort({ createdAt: -1 })
      .limit(1)
      .toArray();
    const lastDeliveryMs = newest ? (newest['createdAt'] as Date).getTime() - postedAt : NaN;
    log(
      `broadcast completed at ${completedMs} ms (${broadcast.recipientCount} recipients), ${delivered} deliveries, ` +
        `the last recorded at ${lastDeliveryMs} ms; ${board.recipients} recipient rows at ${rowsMs} ms`,
    );

    // 3. The acknowledgement write rate, then its floor.
    const acks = await closedLoop(async (i) => {
      const recipient = contactIdOf(i);
      const reply = await fetch(`${emergency.url}/alerts/${alertId}/acknowledgements`, {
        method: 'POST',
        headers: {
          ...authHeader('provider', '320106', { sub: `user-${recipient}`, providerId: recipient }),
          'content-type': 'application/json',
        },
        body: JSON.stringify({ response: i % 10 === 0 ? 'needs-help' : 'safe' }),
      });
      await reply.arrayBuffer();
      return reply.status === 201;
    });
    log(`acks: ${acks.ok} in ${acks.seconds.toFixed(1)} s (${acks.failed} not 201), p50 ${acks.p50} ms`);
    for (const service of services.splice(0)) await service.stop();
    // The floor of the acknowledgements: N pending rows (as emergency holds them), then as many concurrent clients
    // updating one row each, by `_id` alone, and by `_id` and status as the service's conditional write does.
    await client.db(`${namespace}-floor`).collection('deliveries').drop();
    const rows = client.db(`${namespace}-floor`).collection<{ _id: string }>('recipients');
    for (let from = 0; from < N; from += SEED_CHUNK) {
      const docs = [];
      for (let i = from; i < Math.min(N, from + SEED_CHUNK); i++) {
        docs.push({
          _id: `${alertId}:${contactIdOf(i)}`,
          alertId,
          recipientId: contactIdOf(i),
          jurisdiction: COMMUNITIES[i % COMMUNITIES.length],
          kind: 'provider',
          channel: 'in-app',
          status: 'pending',
          firstSequence: 1,
          version: 1,
        });
      }
      await rows.insertMany(docs as never[], { ordered: false });
    }
    const answer = () => ({
      $set: { status: 'acknowledged', response: 'safe', acknowledgedVia: 'app', acknowledgedAt: new Date() },
      $inc: { version: 1 },
    });
    const ackFloorById = await closedLoop(async (i) => {
      const result = await rows.updateOne({ _id: `${alertId}:${contactIdOf(i)}` }, answer());
      return result.modifiedCount === 1;
    });
    log(`ack floor by _id: ${ackFloorById.ok} updates in ${ackFloorById.seconds.toFixed(1)} s`);
    await rows.updateMany({}, { $set: { status: 'pending' } });
    const ackFloor = await closedLoop(async (i) => {
      const result = await rows.findOneAndUpdate(
        { _id: `${alertId}:${contactIdOf(i)}`, status: { $in: ['pending', 'silent'] } },
        answer(),
        { returnDocument: 'after' },
      );
      return result !== null;
    });
    log(`ack floor by _id and status: ${ackFloor.ok} updates in ${ackFloor.seconds.toFixed(1)} s`);

    const result = {
      recipients: N,
      batch: BATCH,
      seedMs,
      postMs,
      completedMs,
      lastDeliveryMs,
      rowsMs,
      delivered,
      recipientCount: broadcast.recipientCount ?? null,
      rows: board.recipients ?? null,
      floor: { kafkaMs: kafkaFloor.ms, messageBytes: kafkaFloor.bytes, insertMs: insertFloorMs },
      acks: { clients: ACK_CLIENTS, ...acks, perSecond: acks.ok / acks.seconds },
      ackFloorById: {
        clients: ACK_CLIENTS,
        ...ackFloorById,
        perSecond: ackFloorById.ok / ackFloorById.seconds,
      },
      ackFloor: { clients: ACK_CLIENTS, ...ackFloor, perSecond: ackFloor.ok / ackFloor.seconds },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } catch (error) {
    log(`failed: ${(error as Error).stack ?? String(error)}`);
    for (const service of services) {
      const errors = service
        .output()
        .split('\n')
        .filter((line) => /"level":(50|60)|"level":"(error|fatal)"/.test(line))
        .slice(-5);
      if (errors.length) log(`${service.name} errors:\n${errors.join('\n')}`);
    }
    throw error;
  } finally {
    for (const service of services) await service.stop();
    await client.close().catch(() => undefined);
    await cleanUpNamespace(namespace, log);
  }
}

runSizeMain(main);
