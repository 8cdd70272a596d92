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

  it('records many events in one write, tolerating ids already recorded in the same list or before', async () => {
    const before = randomUUID();
    await store.record('group-d', { id: before, type: 'linli.test.thing.done.v1' });
    const fresh = [randomUUID(), randomUUID(), randomUUID()];
    const type = 'linli.test.thing.done.v1';
    await store.recordMany('group-d', [
      { id: fresh[0], type },
      { id: before, type },
      { id: fresh[1], type },
      { id: fresh[0], type },
      { id: fresh[2], type },
    ]);
    expect(await store.has('group-d', [...fresh, before])).toEqual(new Set([...fresh, before]));
    expect(await store.has('group-e', fresh)).toEqual(new Set());
  });

  it('keeps pairs apart that would collide if group and id were simply joined', async () => {
    const type = 'linli.test.thing.done.v1';
    await store.record('a:b', { id: 'c', type });
    expect(await store.has('a', ['b:c'])).toEqual(new Set());
    expect(await store.record('a', { id: 'b:c', type })).toBe(true);
  });
});
