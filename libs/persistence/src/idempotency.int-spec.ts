// The idempotency index on the real store (the local stack's mongo-java-server ignores partial indexes; the unique
// sparse one must hold): documents without a key coexist, a second insert with a key is refused, concurrent twins
// make one document, and the lookup tells a repeat from a key reused for another request.
import { randomUUID } from 'node:crypto';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { aggregatePlugin } from './aggregate.plugin';
import { insertAggregateOnce } from './aggregate.update';
import {
  createIdempotently,
  findIdempotentCreation,
  idempotencyPlugin,
  IdempotencyKeyReusedError,
  type IdempotencyRecord,
} from './idempotency';

const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

interface Thing {
  _id: string;
  name: string;
  idempotency?: IdempotencyRecord;
}

describe('idempotent creates on the store', () => {
  let connection: Connection;
  let things: Model<Thing>;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(mongoUrl, { dbName: `linli_test_idempotency_${randomUUID().slice(0, 8)}` })
      .asPromise();
    const schema = new Schema<Thing>({ _id: String, name: String }, { versionKey: false });
    schema.plugin(aggregatePlugin);
    schema.plugin(idempotencyPlugin);
    things = connection.model('Thing', schema);
    await things.syncIndexes();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  const record = (request = 'r1'): IdempotencyRecord => ({ key: randomUUID(), request });
  const insert = (id: string, idempotency?: IdempotencyRecord) =>
    insertAggregateOnce(things, { _id: id, name: id, ...(idempotency ? { idempotency } : {}) } as never);

  it('keeps documents created without a key out of the unique index', async () => {
    expect(await insert('a')).toBe(true);
    expect(await insert('b')).toBe(true);
  });

  it('refuses a second document with the same key, and five concurrent creates under one key make one', async () => {
    const key = record();
    const create = (n: number) =>
      createIdempotently(
        key,
        (r) => findIdempotentCreation<Thing>(things, r),
        async () => ((await insert(`twin-${n}`, key)) ? `twin-${n}` : undefined),
        (thing) => thing._id,
      );
    const ids = await Promise.all([1, 2, 3, 4, 5].map(create));
    expect(new Set(ids).size).toBe(1);
    expect(await things.countDocuments({ 'idempotency.key': key.key })).toBe(1);
    expect(await insert('late', key)).toBe(false);
  });

  it('finds the creation under its key, and refuses the key with another request', async () => {
    const key = record('first');
    await insert('keyed', key);
    expect(await findIdempotentCreation<Thing>(things, key)).toMatchObject({ _id: 'keyed' });
    await expect(findIdempotentCreation(things, { ...key, request: 'second' })).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
    expect(await findIdempotentCreation(things, record())).toBeUndefined();
  });
});
