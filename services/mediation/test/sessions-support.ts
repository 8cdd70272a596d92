// What the session, reminder, outcome and follow-up tests share beyond support.ts: a case held by a mediator with
// a session held (set up through the API), and the service's database read directly (the case as stored, its
// scheduled work). The Redis-loss tests take PrivateRedis from @linli/testing.
import { namespaced } from '@linli/platform';
import { MongoClient, type Db } from 'mongodb';
import { call, caseBody, mediatorUser, unique, type Json, type ServiceProcess } from './support';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const caseType = (name: string) => `linli.mediation.${name}.v1`;

/** A case opened by a mediator, who holds it at once (assigned): its id and the mediator's headers. */
export async function assignedCase(
  service: ServiceProcess,
  body: Json = caseBody(),
): Promise<{ caseId: string; mediatorId: string; as: Record<string, string>; view: Json }> {
  const mediatorId = unique('med-');
  const as = mediatorUser(mediatorId);
  const created = await call(service, 'POST', '/cases', as, body);
  if (created.status !== 201 || created.body.status !== 'assigned') {
    throw new Error(`case not opened and assigned: ${created.status} ${JSON.stringify(created.body)}`);
  }
  return { caseId: created.body.caseId as string, mediatorId, as, view: created.body };
}

/** Schedules a session an hour ahead and records it held with every party present: the session view. */
export async function holdSession(
  service: ServiceProcess,
  caseId: string,
  as: Record<string, string>,
  partyIds: string[] = ['P1', 'P2'],
): Promise<Json> {
  const scheduled = await call(service, 'POST', `/cases/${caseId}/sessions`, as, {
    scheduledFor: new Date(Date.now() + HOUR_MS).toISOString(),
    place: '宁海路街道人民调解委员会调解室',
  });
  if (scheduled.status !== 201) throw new Error(`session not scheduled: ${JSON.stringify(scheduled.body)}`);
  const held = await call(
    service,
    'POST',
    `/cases/${caseId}/sessions/${scheduled.body.sessionId}/record`,
    as,
    {
      attendance: partyIds.map((partyId) => ({ partyId, present: true })),
      minutes: '双方陈述事实，调解员释法说理 / both sides heard',
    },
  );
  if (held.status !== 200) throw new Error(`session not recorded: ${JSON.stringify(held.body)}`);
  return held.body;
}

/** A case with a session held and an agreement: the outcome's reply. */
export async function agreedCase(
  service: ServiceProcess,
  agreement: Json,
): Promise<{ caseId: string; as: Record<string, string>; outcome: Json }> {
  const { caseId, as } = await assignedCase(service);
  await holdSession(service, caseId, as);
  const outcome = await call(service, 'POST', `/cases/${caseId}/outcome`, as, {
    kind: 'agreement',
    reason: '双方自愿达成协议 / both agreed',
    agreement,
  });
  if (outcome.status !== 200) throw new Error(`no agreement: ${JSON.stringify(outcome.body)}`);
  return { caseId, as, outcome: outcome.body };
}

/** A China date (YYYY-MM-DD) `days` from now. */
export function chinaDay(days = 0): string {
  return new Date(Date.now() + 8 * HOUR_MS + days * DAY_MS).toISOString().slice(0, 10);
}

/** The mediation database of this test file (its namespace), read as the service stored it. */
export class MediationDb {
  private constructor(private readonly client: MongoClient) {}

  static async connect(): Promise<MediationDb> {
    const client = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
    await client.connect();
    return new MediationDb(client);
  }

  get db(): Db {
    return this.client.db(namespaced('linli-mediation', '-'));
  }

  /** The case document, as stored (outbox and all). */
  async case(caseId: string): Promise<Json | null> {
    return this.db.collection<Json>('cases').findOne({ _id: caseId } as never);
  }

  /** The scheduled work whose job id starts with `prefix` (e.g. `session-reminder:<caseId>:S1:`). */
  async scheduledWork(prefix: string): Promise<Json[]> {
    const rows = await this.db.collection<Json>('scheduled_work').find({}).toArray();
    return rows.filter((row) => String(row.jobId).startsWith(prefix));
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
