// What the visit-lifecycle tests share: an elder, a visit due soon and a community's contact list to start from, and
// the visit read back as staff. The elder and the visit come from the registry's and the planner's APIs when they
// answer (POST /elders, POST /elders/:id/visits); until then they are written to MongoDB as those would write them,
// with the visit's dispatch timer as a scheduled-work record that the scheduling library's reconciliation queues.
import { namespaced } from '@linli/platform';
import { MongoClient } from 'mongodb';
import { randomBytes } from 'node:crypto';
import {
  call,
  elderBody,
  eventually,
  GULOU_COMMUNITY,
  operator,
  supervisor,
  type Json,
  type ServiceProcess,
} from './support';

const DB = 'linli-elder-care';
const MINUTE = 60_000;

export class VisitFixtures {
  private constructor(
    private readonly service: ServiceProcess,
    private readonly client: MongoClient,
    private readonly settings: { leadMs: number; graceMs: number },
  ) {}

  static async start(
    service: ServiceProcess,
    settings: { leadMs: number; graceMs: number },
  ): Promise<VisitFixtures> {
    const client = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
    await client.connect();
    return new VisitFixtures(service, client, settings);
  }

  private get db() {
    return this.client.db(namespaced(DB, '-'));
  }

  /** A registered elder (living alone, home at 32.0565,118.7694 unless told otherwise); its id. */
  async elder(overrides: Json = {}): Promise<string> {
    const body = elderBody(overrides);
    const reply = await call(this.service, 'POST', '/elders', operator(), body);
    if (reply.status === 201) return reply.body.elderId as string;
    if (reply.status !== 404)
      throw new Error(`elder not registered: ${reply.status} ${JSON.stringify(reply.body)}`);
    const now = new Date();
    const elderId = `E${String(Math.floor(Math.random() * 9_000_000) + 1_000_000)}`;
    await this.db.collection('elders').insertOne({
      _id: elderId as never,
      name: body.name,
      gender: body.gender,
      birthDate: body.birthDate,
      identityNumber: body.identityNumber,
      identityHash: randomBytes(16).toString('hex'),
      phone: body.phone,
      phoneHash: randomBytes(16).toString('hex'),
      community: body.community,
      address: body.address,
      home: body.home ?? null,
      livingSituation: body.livingSituation,
      careLevel: body.careLevel,
      hardship: body.hardship,
      emergencyContacts: body.emergencyContacts,
      consent: { services: true, recordedAt: now, recordedBy: 'op-1' },
      status: 'active',
      inactiveReason: null,
      missedInARow: 0,
      lastCheckInAt: null,
      source: 'form',
      importId: null,
      createdBy: 'op-1',
      createdAt: now,
      updatedAt: now,
      version: 0,
      outbox: [],
    });
    return elderId;
  }

  /** A one-off visit to the elder due `inMs` from now; its id. */
  async visit(elderId: string, service = 'companionship', inMs = 2 * MINUTE): Promise<string> {
    const dueAt = new Date(Date.now() + inMs);
    const reply = await call(this.service, 'POST', `/elders/${elderId}/visits`, operator(), {
      service,
      dueAt: dueAt.toISOString(),
    });
    if (reply.status === 201) return reply.body.visitId as string;
    if (reply.status !== 404)
      throw new Error(`visit not created: ${reply.status} ${JSON.stringify(reply.body)}`);
    const now = new Date();
    const stamp = dueAt.toISOString().replace(/\D/g, '').slice(0, 14);
    const visitId = `V${elderId}-manual-${stamp}${randomBytes(2).toString('hex')}`;
    const elder = await this.db.collection('elders').findOne({ _id: elderId as never });
    await this.db.collection('visits').insertOne({
      _id: visitId as never,
      elderId,
      jurisdiction: elder?.community ?? GULOU_COMMUNITY,
      source: 'manual',
      carePlanId: null,
      carePlanVersion: null,
      itemId: null,
      service,
      dueAt,
      missedAfter: new Date(dueAt.getTime() + this.settings.graceMs),
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
      outbox: [],
    });
    await this.db.collection('scheduled_work').insertOne({
      jobId: `visit-dispatch:${visitId}`,
      queue: 'elder-care-visits',
      name: 'visit-dispatch',
      dueAt: new Date(Math.max(now.getTime(), dueAt.getTime() - this.settings.leadMs)),
      payload: { visitId },
      status: 'pending',
      attempts: 0,
      revision: 0,
      runningSince: null,
      lastError: null,
      doneAt: null,
      createdAt: now,
      updatedAt: now,
    });
    return visitId;
  }

  /** The community's emergency contact list (社区应急联络名单). */
  async communityContacts(community: string, contacts: Json[]): Promise<void> {
    const reply = await call(
      this.service,
      'PUT',
      `/communities/${community}/emergency-contacts`,
      supervisor(),
      { contacts },
    );
    if (reply.status === 200) return;
    if (reply.status !== 404)
      throw new Error(`contacts not stored: ${reply.status} ${JSON.stringify(reply.body)}`);
    await this.db
      .collection('community_contacts')
      .replaceOne(
        { _id: community as never },
        { contacts, updatedBy: 'sup-1', updatedAt: new Date() },
        { upsert: true },
      );
  }

  async stop(): Promise<void> {
    await this.client.close();
  }
}

/** The visit as staff see it, once `predicate` holds. */
export function visitWhen(
  service: ServiceProcess,
  visitId: string,
  predicate: (visit: Json) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<Json> {
  return eventually(
    `visit ${visitId} ${what}`,
    async () => {
      const reply = await call(service, 'GET', `/visits/${visitId}`, operator());
      return reply.status === 200 && predicate(reply.body) ? reply.body : undefined;
    },
    { timeoutMs },
  );
}
