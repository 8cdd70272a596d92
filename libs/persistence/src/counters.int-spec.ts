import { randomUUID } from 'node:crypto';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { incrementCounter } from './counters';

const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

describe('incrementCounter', () => {
  let connection: Connection;
  let counters: Model<never>;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(mongoUrl, { dbName: `linli_test_counters_${randomUUID().slice(0, 8)}` })
      .asPromise();
    counters = connection.model(
      'Counter',
      new Schema({ _id: String, seq: Number }, { versionKey: false }),
    ) as unknown as Model<never>;
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('gives each of many first increments of a new counter a number of its own', async () => {
    // Several new counters at once: the race to create a counter is lost by someone on nearly every round.
    for (let round = 0; round < 5; round++) {
      const id = `day-${randomUUID()}`;
      const values = await Promise.all(
        Array.from({ length: 30 }, () => incrementCounter(counters, id, 'seq')),
      );
      expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    }
  });

  it('reserves blocks that do not overlap', async () => {
    const id = `block-${randomUUID()}`;
    const ends = await Promise.all([
      incrementCounter(counters, id, 'seq', 10),
      incrementCounter(counters, id, 'seq', 5),
    ]);
    expect([...ends].sort((a, b) => a - b)).toEqual(ends[0] === 10 ? [10, 15] : [5, 15]);
  });
});
