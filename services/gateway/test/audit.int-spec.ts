// The audit log end to end, on the real stack: the gateway and resident-requests as processes. A change and a
// personal read in the service reach the gateway's chain with who, roles, when, from where and the correlation id;
// a record delivered twice is one entry; each caller sees only their jurisdiction's entries and only the roles of
// the policy read the log at all; tampering with one entry in MongoDB is found by GET /audit/verify and by
// `npm run audit:verify` (exit 1).
import { auditRecorded, auditTopic, createEvent, toKafkaRecord } from '@linli/contracts';
import { namespaced } from '@linli/platform';
import {
  authHeader,
  call,
  eventually,
  repositoryRoot,
  startService,
  type Json,
  type ServiceProcess,
} from '@linli/testing';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);
const GULOU = '320106';
const XUANWU = '320102';
const XIANXIA_ROAD = '320106001003';
const CLIENT_IP = '203.0.113.7';
/** Fast group membership, so the gateway's audit consumer joins in seconds. */
const FAST_CONSUMER_ENV = { CONSUMER_SESSION_TIMEOUT_MS: '6000', CONSUMER_HEARTBEAT_INTERVAL_MS: '1000' };

const operator = authHeader('operator', GULOU, { sub: 'op-audit' });
const xuanwuOperator = authHeader('operator', XUANWU, { sub: 'op-xuanwu' });
const auditor = authHeader('auditor', '3201', { sub: 'auditor-nj' });
const gulouSupervisor = authHeader('supervisor', GULOU, { sub: 'sup-gulou' });
const xuanwuSupervisor = authHeader('supervisor', XUANWU, { sub: 'sup-xuanwu' });
const xuanwuAdmin = authHeader('admin', XUANWU, { sub: 'admin-xuanwu' });

let gateway: ServiceProcess;
let requests: ServiceProcess;
let mongo: MongoClient;
let ticketId: string;
const correlationId = `corr-${randomBytes(6).toString('hex')}`;

/** The gateway's entries about the ticket, as `who` reads them, once there are `count` of them. */
async function entriesOf(who: Record<string, string>, count: number): Promise<Json[]> {
  return eventually(`${count} audit entries of ticket ${ticketId}`, async () => {
    const reply = await call(gateway, 'GET', `/audit?resourceId=${ticketId}&pageSize=50`, who);
    if (reply.status !== 200) throw new Error(`GET /audit answered ${reply.status}`);
    return reply.body.items.length >= count ? (reply.body.items as Json[]) : undefined;
  });
}

function verifyCommand(): Promise<{ code: number; stdout: string }> {
  return run('npm', ['run', '-s', 'audit:verify'], { cwd: repositoryRoot, env: process.env }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}

beforeAll(async () => {
  [gateway, requests] = await Promise.all([
    startService({ name: 'gateway', env: FAST_CONSUMER_ENV, readyTimeoutMs: 90_000 }),
    startService({ name: 'resident-requests', env: FAST_CONSUMER_ENV, readyTimeoutMs: 90_000 }),
  ]);
  mongo = await new MongoClient(process.env.MONGO_URL as string).connect();
}, 120_000);

afterAll(async () => {
  await Promise.all([gateway?.stop(), requests?.stop()]);
  await mongo?.close();
});

describe('the audit log', () => {
  it('records a change and a personal read in a service, with who, roles, when, from where and the correlation id', async () => {
    const created = await call(
      requests,
      'POST',
      '/tickets',
      { ...operator, 'x-forwarded-for': `${CLIENT_IP}, 10.0.0.9`, 'x-correlation-id': correlationId },
      {
        channel: 'hotline',
        category: 'repair',
        description: '厨房水龙头漏水，需要上门维修',
        reporter: { name: '王秀英', phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` },
        place: { communityCode: XIANXIA_ROAD, address: '仙霞路 12 号 3 单元 502 室' },
      },
    );
    expect(created.status).toBe(201);
    ticketId = created.body.ticketId as string;
    const read = await call(requests, 'GET', `/tickets/${ticketId}`, operator);
    expect(read.status).toBe(200);
    // Another district's operator asking for it by id: refused (404), and the attempt recorded as denied.
    expect((await call(requests, 'GET', `/tickets/${ticketId}`, xuanwuOperator)).status).toBe(404);

    const entries = await entriesOf(auditor, 3);
    const change = entries.find((entry) => entry.record.action === 'resource.changed');
    const personalRead = entries.find(
      (entry) => entry.record.action === 'personal-data.read' && entry.record.outcome === 'allowed',
    );
    const denied = entries.find((entry) => entry.record.outcome === 'denied');
    expect(change?.record).toMatchObject({
      service: 'resident-requests',
      actorId: 'op-audit',
      actorRoles: ['operator'],
      actorJurisdiction: GULOU,
      outcome: 'allowed',
      resource: { service: 'resident-requests', type: 'ticket', id: ticketId },
      clientIp: CLIENT_IP,
      correlationId,
      operation: 'POST /tickets',
    });
    expect(change?.record.jurisdiction).toMatch(new RegExp(`^${GULOU}`));
    expect(Date.parse(change?.record.at as string)).not.toBeNaN();
    expect(personalRead?.record).toMatchObject({
      actorId: 'op-audit',
      resource: { type: 'ticket', id: ticketId },
      fields: ['reporter.name', 'reporter.phone', 'place.address'],
      operation: 'GET /tickets/:ticketId',
      clientIp: '127.0.0.1',
    });
    expect(denied?.record).toMatchObject({
      action: 'personal-data.read',
      actorId: 'op-xuanwu',
      jurisdiction: XUANWU,
      resource: { type: 'ticket', id: ticketId },
    });
    // Names of fields, never their values.
    expect(JSON.stringify(entries)).not.toContain('王秀英');
    expect(JSON.stringify(entries)).not.toContain('仙霞路');
    // Chained: each entry's prevHash is the hash of the one before (newest first here).
    expect(entries.length).toBe(3);
    for (const [newer, older] of [entries.slice(0, 2), entries.slice(1, 3)]) {
      if (newer.seq === older.seq + 1) expect(newer.prevHash).toBe(older.hash);
    }
  });

  it('appends a record delivered twice once', async () => {
    const first = (await entriesOf(auditor, 3)).find(
      (entry) => entry.record.action === 'resource.changed',
    ) as Json;
    const kafka = new Kafka({
      brokers: (process.env.KAFKA_BROKERS as string).split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    // The same record under a new event id (what a relay that crashed after its publish sends again), then a new
    // record behind it on the same partition key space: once the new one is in, the old one has been seen.
    const again = createEvent({
      source: '/linli/resident-requests',
      type: auditRecorded.type,
      subject: first.record.auditId,
      data: first.record,
    });
    const marker = { ...first.record, auditId: randomUUID(), action: 'personal-data.read' };
    const next = createEvent({
      source: '/linli/resident-requests',
      type: auditRecorded.type,
      subject: marker.auditId,
      data: marker,
    });
    await producer.send({
      topic: namespaced(auditTopic.name),
      messages: [toKafkaRecord(again), toKafkaRecord(next)],
    });
    await producer.disconnect();

    const entries = await entriesOf(auditor, 4);
    expect(entries.filter((entry) => entry.record.auditId === first.record.auditId)).toHaveLength(1);
    expect(entries.filter((entry) => entry.record.auditId === marker.auditId)).toHaveLength(1);
  });

  it('shows each caller only the entries within their jurisdiction, and only to the roles that read the log', async () => {
    const gulou = await entriesOf(gulouSupervisor, 3);
    expect(gulou.map((entry) => entry.record.actorId)).not.toContain('op-xuanwu');
    expect(gulou.length).toBe(3);
    // Xuanwu's overseers see their own operator's refused attempt, none of Gulou's entries.
    for (const who of [xuanwuSupervisor, xuanwuAdmin]) {
      const outside = await call(gateway, 'GET', `/audit?resourceId=${ticketId}`, who);
      expect(outside.status).toBe(200);
      expect(outside.body.items.map((entry: Json) => entry.record.actorId)).toEqual(['op-xuanwu']);
    }

    for (const role of ['operator', 'provider', 'coordinator', 'mediator'] as const) {
      const reply = await call(gateway, 'GET', '/audit', authHeader(role, GULOU));
      expect({ role, status: reply.status }).toEqual({ role, status: 403 });
    }
    expect((await call(gateway, 'GET', '/audit/verify', gulouSupervisor)).status).toBe(403);
    expect((await call(gateway, 'GET', '/audit')).status).toBe(401);
    // Append-only: no route changes or removes an entry.
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      expect((await call(gateway, method, '/audit/1', auditor)).status).toBe(404);
    }
  });

  it('finds an entry tampered with in MongoDB, through the API and the command (exit 1)', async () => {
    const [sound, before] = await Promise.all([
      call(gateway, 'GET', '/audit/verify', auditor),
      verifyCommand(),
    ]);
    expect(sound.status).toBe(200);
    expect(sound.body).toMatchObject({ ok: true });
    expect(sound.body.entries).toBeGreaterThanOrEqual(4);
    expect(before).toMatchObject({ code: 0 });
    expect(before.stdout).toMatch(/^ok: \d+ entries/);

    const [entry] = await entriesOf(auditor, 4);
    const db = mongo.db(namespaced('linli-gateway', '-'));
    await db
      .collection<{ _id: number }>('audit_entries')
      .updateOne({ _id: entry.seq }, { $set: { 'record.actorId': 'someone-else' } });

    const tampered = await call(gateway, 'GET', '/audit/verify', auditor);
    expect(tampered.body).toMatchObject({ ok: false, firstBrokenSeq: entry.seq });
    expect(tampered.body.reason).toMatch(/record was changed/);
    const after = await verifyCommand();
    expect(after.code).toBe(1);
    expect(after.stdout).toContain(`broken at seq ${entry.seq}`);
  });
});
