// Aggregates against the real MongoDB-wire server: conditional transitions, their conflicts, bulk inserts with
// events, and the module's readiness check.
import { randomUUID } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import { createEvent } from '@linli/contracts';
import { ReadinessRegistry } from '@linli/platform';
import mongoose, { type Connection, type Model, Schema } from 'mongoose';
import {
  AggregateFields,
  AggregateNotFoundError,
  ConcurrencyConflictError,
  MONGODB_READINESS_CHECK,
  PersistenceModule,
  aggregatePlugin,
  applyChange,
  insertAggregateOnce,
  insertAggregates,
} from '../src';

const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

interface Job extends AggregateFields {
  _id: string;
  status: string;
  provider?: string;
}

const jobSchema = new Schema<Job>({ _id: String, status: String, provider: String }, { versionKey: false });
jobSchema.plugin(aggregatePlugin);

const accepted = (jobId: string, provider: string) => ({
  topic: 'linli.test.job.v1',
  event: createEvent({
    source: '/linli/test',
    type: 'linli.test.job.accepted.v1',
    subject: jobId,
    data: { provider },
  }),
});

describe('aggregates on the MongoDB-wire server', () => {
  let connection: Connection;
  let jobs: Model<Job>;
  const dbName = `linli_test_aggregate_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrl, { dbName }).asPromise();
    jobs = connection.model<Job>('Job', jobSchema);
    await jobs.createIndexes();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('of two accepts of the same job at the same instant, one applies and one gets a conflict', async () => {
    await insertAggregates(jobs, [{ document: { _id: 'job-1', status: 'offered' } }]);
    const results = await Promise.allSettled(
      ['p-1', 'p-2'].map((provider) =>
        applyChange(jobs, {
          id: 'job-1',
          expectedVersion: 0,
          expectedStatus: 'offered',
          set: { status: 'accepted', provider },
          events: [accepted('job-1', provider)],
        }),
      ),
    );
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.map((r) => r.reason)).toEqual([expect.any(ConcurrencyConflictError)]);
    const stored = await jobs.findById('job-1').lean().exec();
    expect(stored).toMatchObject({ status: 'accepted', version: 1 });
    // The state and its event were one write: the winner's event, and only it, is pending.
    expect(stored?.outbox.map((entry) => entry.event.data)).toEqual([{ provider: stored?.provider }]);
  });

  it('inserts an aggregate once: the same id again stores nothing and says so', async () => {
    const first = await insertAggregateOnce(jobs, { _id: 'job-once', status: 'offered' }, [
      accepted('job-once', 'p-1'),
    ]);
    const again = await insertAggregateOnce(jobs, { _id: 'job-once', status: 'other' }, [
      accepted('job-once', 'p-2'),
    ]);
    expect([first, again]).toEqual([true, false]);
    const stored = await jobs.findById('job-once').lean().exec();
    expect(stored).toMatchObject({ status: 'offered', version: 0 });
    expect(stored?.outbox.map((entry) => entry.event.data)).toEqual([{ provider: 'p-1' }]);
  });

  it('a transition of a missing aggregate is AggregateNotFoundError, not a conflict', async () => {
    await expect(applyChange(jobs, { id: 'nope', expectedVersion: 0 })).rejects.toBeInstanceOf(
      AggregateNotFoundError,
    );
  });

  it('inserts many aggregates with their first events in one call', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `bulk-${i}`);
    await insertAggregates(
      jobs,
      ids.map((id) => ({ document: { _id: id, status: 'requested' }, events: [accepted(id, 'x')] })),
    );
    expect(
      await jobs.countDocuments({ _id: { $in: ids }, version: 0, 'outbox.event.id': { $exists: true } }),
    ).toBe(50);
  });

  it('answers each transition with the document as that transition left it, under concurrent writers', async () => {
    // Writers chase one another's versions as fast as they can: each must get back the version it wrote, never a
    // later writer's (mongo-java-server's live reply, ADR 0004).
    const jobId = `job-${randomUUID()}`;
    await insertAggregates(jobs, [{ document: { _id: jobId, status: 'open' } }]);
    const wrong: string[] = [];
    const writer = async (name: string) => {
      for (let round = 0; round < 60; round++) {
        const current = await jobs.findById(jobId, { version: 1 }).lean<{ version: number }>().exec();
        const expected = current!.version;
        try {
          const after = await applyChange(jobs, {
            id: jobId,
            expectedVersion: expected,
            set: { provider: `${name}-${round}` },
          });
          if (after.version !== expected + 1 || after.provider !== `${name}-${round}`)
            wrong.push(`${name} wrote v${expected + 1}, got v${after.version} ${after.provider}`);
        } catch (error) {
          if (!(error instanceof ConcurrencyConflictError)) throw error;
        }
      }
    };
    await Promise.all(['a', 'b', 'c', 'd'].map(writer));
    expect(wrong).toEqual([]);
  });
});

@Global()
@Module({ providers: [ReadinessRegistry], exports: [ReadinessRegistry] })
class TestPlatformModule {}

describe('PersistenceModule', () => {
  it('connects to the service database and registers a mongodb readiness check that pings it', async () => {
    const dbName = `linli_test_persistence_${randomUUID().slice(0, 8)}`;
    const moduleRef = await Test.createTestingModule({
      imports: [TestPlatformModule, PersistenceModule.forRoot({ dbName, url: mongoUrl })],
    }).compile();
    await moduleRef.init();
    try {
      const connection = moduleRef.get<Connection>(getConnectionToken());
      expect(connection.db?.databaseName).toBe(dbName);
      const check = moduleRef
        .get(ReadinessRegistry)
        .list()
        .find((c) => c.name === MONGODB_READINESS_CHECK);
      await expect(Promise.resolve(check?.check())).resolves.toBeUndefined();
    } finally {
      await moduleRef.close();
    }
  });
});
