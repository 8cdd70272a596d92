// Redis is not a source of truth for visits: when it loses everything (FLUSHALL) and the service restarts, the
// schedule is rebuilt from MongoDB (the visits and their scheduled work) with one Bull job per visit, no visit
// duplicated and none lost; a visit due soon still fires. Runs against a redis-server of its own (FLUSHALL must
// never touch the shared Redis).
import { namespaced } from '@linli/platform';
import { PrivateRedis, type ServiceProcess } from '@linli/testing';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { call, elderBody, eventually, operator, startElderCare, type Json } from './support';

const DAY_MS = 24 * 3_600_000;
const OFFSET_MS = 8 * 3_600_000;
const VISITS_QUEUE = 'elder-care-visits';
const isoDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const localDay = (at: number) => Math.floor((at + OFFSET_MS) / DAY_MS);

const suite = PrivateRedis.installed() ? describe : describe.skip;

suite('elder-care: the visit schedule survives the loss of Redis', () => {
  let redis: PrivateRedis;
  let service: ServiceProcess | undefined;
  let mongo: MongoClient;
  const env = () => ({
    REDIS_URL: redis.url,
    VISIT_HORIZON_DAYS: '14',
    // Dispatch at the due time: every planned visit waits in Redis as a delayed job.
    VISIT_DISPATCH_LEAD_MS: '0',
    SCHEDULING_RECONCILE_INTERVAL_MS: '0',
  });

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    mongo = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
    await mongo.connect();
  });
  afterAll(async () => {
    const code = await service?.stop();
    if (code !== 0 && code !== null && service) process.stderr.write(service.output());
    await mongo?.close();
    await redis?.kill();
  });

  const db = () => mongo.db(namespaced('linli-elder-care', '-'));

  /** Bull jobs of the visits queue, by job id, in any state (delayed, waiting, active). */
  async function visitJobs(): Promise<Map<string, string>> {
    const client = new Redis(redis.url);
    try {
      const [delayedKey] = await client.keys(`*:${VISITS_QUEUE}:delayed`);
      const base = delayedKey ? delayedKey.slice(0, -':delayed'.length) : '';
      const jobs = new Map<string, string>();
      if (!base) return jobs;
      for (const id of await client.zrange(`${base}:delayed`, 0, -1)) jobs.set(id, 'delayed');
      for (const state of ['wait', 'active'] as const) {
        for (const id of await client.lrange(`${base}:${state}`, 0, -1)) {
          if (jobs.has(id)) throw new Error(`job ${id} twice in Redis`);
          jobs.set(id, state);
        }
      }
      return jobs;
    } finally {
      client.disconnect();
    }
  }

  it('after FLUSHALL and a restart, every scheduled visit has its one job again, nothing duplicated, and it fires', async () => {
    service = await startElderCare(env());
    const today = localDay(Date.now());
    const elders: string[] = [];
    for (const overrides of [
      { livingSituation: 'alone' },
      { livingSituation: 'with-family', hardship: [] },
    ]) {
      const reply = await call(service, 'POST', '/elders', operator(), elderBody(overrides));
      expect(reply.status).toBe(201);
      elders.push(reply.body.elderId);
    }
    const plan = await call(service, 'PUT', `/elders/${elders[1]}/care-plan`, operator(), {
      items: [
        {
          service: 'meal-delivery',
          rhythm: { kind: 'daily', times: ['11:00', '17:00'] },
          startsOn: isoDate(today),
        },
        {
          service: 'health-check',
          rhythm: { kind: 'monthly', daysOfMonth: [1, 15, 31], times: ['09:00'] },
          startsOn: isoDate(today),
        },
      ],
    });
    expect(plan.status).toBe(201);
    // One visit due shortly after the restart: it must still be handed to dispatch.
    const soon = await call(service, 'POST', `/elders/${elders[1]}/visits`, operator(), {
      service: 'companionship',
      dueAt: new Date(Date.now() + 40_000).toISOString(),
    });
    expect(soon.status).toBe(201);

    const scheduledVisits = async (): Promise<string[]> =>
      (
        await db()
          .collection('visits')
          .find({ status: 'scheduled' }, { projection: { _id: 1 } })
          .toArray()
      ).map((visit) => String(visit._id));
    let before: string[] = [];
    await eventually('the discover visits of the elder living alone', async () => {
      before = await scheduledVisits();
      return before.some((id) => id.includes('-discover-')) ? true : undefined;
    });
    const totalBefore = await db().collection('visits').countDocuments();
    const jobsBefore = await visitJobs();
    expect([...jobsBefore.keys()].sort()).toEqual(before.map((id) => `visit-dispatch:${id}`).sort());

    await redis.command('FLUSHALL');
    expect((await visitJobs()).size).toBe(0);
    await service.stop();
    service = await startElderCare(env());

    await eventually('the schedule rebuilt from MongoDB', async () => {
      const jobs = await visitJobs();
      return jobs.size >= before.length ? jobs : undefined;
    });
    const jobsAfter = await visitJobs();
    const stillScheduled = await scheduledVisits();
    // One Bull job per scheduled visit, and none for anything else (each job id once: Redis keys are unique,
    // and visitJobs refuses an id found in two states).
    expect([...jobsAfter.keys()].sort()).toEqual(stillScheduled.map((id) => `visit-dispatch:${id}`).sort());
    // No visit lost or duplicated by the restart (the start-up horizon run and replanning regenerate the same ids).
    expect(await db().collection('visits').countDocuments()).toBe(totalBefore);
    expect(stillScheduled.sort()).toEqual(before.filter((id) => stillScheduled.includes(id)).sort());
    for (const id of before) {
      expect(
        await db()
          .collection('scheduled_work')
          .countDocuments({ jobId: `visit-dispatch:${id}` }),
      ).toBe(1);
    }

    // The visit due soon fires from its rebuilt job: handed to dispatch once.
    const soonId = soon.body.visitId as string;
    const dispatched = await eventually(
      'the visit due soon to be dispatched',
      async () => {
        const visit = await db()
          .collection<Json>('visits')
          .findOne({ _id: soonId } as never);
        return visit?.status === 'dispatched' ? visit : undefined;
      },
      { timeoutMs: 90_000 },
    );
    expect(dispatched.attempt).toBe(1);
    // The worker marks its record done just after the effect it ran is stored: wait for that, not only the effect
    // (CI caught the record still `running` right after the visit was dispatched).
    const record = await eventually(
      'the visit’s job record to be done',
      async () => {
        const work = await db()
          .collection<Json>('scheduled_work')
          .findOne({ jobId: `visit-dispatch:${soonId}` });
        return work?.status === 'running' ? undefined : work;
      },
      { timeoutMs: 30_000 },
    );
    expect(record).toMatchObject({
      status: 'done',
      attempts: 1,
    });
  });
});
