import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { ProcessedEventsStore } from './processed-events.store';

const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

describe('ProcessedEventsStore', () => {
  let connection: Connection;
  let store: ProcessedEventsStore;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(mongoUrl, { dbName: `linli_test_processed_${randomUUID().slice(0, 8)}` })
      .asPromise();
    store = new ProcessedEventsStore(connection);
    await store.ensureIndexes();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('records an event once and reports the second record as a duplicate', async () => {
    const event = { id: randomUUID(), type: 'linli.test.thing.done.v1' };
    const results = [await store.record('group-a', event), await store.record('group-a', event)];
    expect(results).toEqual([true, false]);
  });

  it('keeps groups apart: the same event is new to another group', async () => {
    const event = { id: randomUUID(), type: 'linli.test.thing.done.v1' };
    await store.record('group-a', event);
    expect(await store.record('group-b', event)).toBe(true);
  });

  it('answers which of many ids the group has processed in one lookup', async () => {
    const done = [randomUUID(), randomUUID()];
    for (const id of done) await store.record('group-c', { id, type: 'linli.test.thing.done.v1' });
    const fresh = randomUUID();
    expect(await store.has('group-c', [...done, fresh, done[0]])).toEqual(new Set(done));
  });
});
