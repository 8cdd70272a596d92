// Guards the pins that the local stack depends on (docs/adr/0002-mongoose-pin.md, docs/adr/0003-kafka-version.md):
// an upgrade of mongoose or its driver that refuses mongo-java-server's wire version, or a Kafka that refuses the
// request versions kafkajs 2.2.4 speaks, fails here with a message saying why, before any service test does.
import fs from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { ensureTopics } from '@linli/testing';

const mongoUrl = process.env.MONGO_URL!;
const brokers = process.env.KAFKA_BROKERS!.split(',');

describe('library pins against the running infrastructure', () => {
  it('mongoose completes the handshake with the MongoDB-wire server and round-trips a document', async () => {
    const connection = mongoose.createConnection(mongoUrl, {
      dbName: `compat_${Date.now()}`,
      serverSelectionTimeoutMS: 10_000,
    });
    try {
      await connection.asPromise();
    } catch (err) {
      throw new Error(
        `mongoose ${mongoose.version} could not connect to ${mongoUrl}: ${(err as Error).message}. ` +
          'mongo-java-server reports wire version 8; MongoDB driver 7.6+ (mongoose 9.10+) refuses it. See docs/adr/0002-mongoose-pin.md.',
      );
    }
    const Probe = connection.model('Probe', new mongoose.Schema({ n: Number, version: Number }));
    const created = await Probe.create({ n: 1, version: 0 });
    const updated = await Probe.findOneAndUpdate(
      { _id: created._id, version: 0 },
      { $inc: { n: 1, version: 1 } },
      { returnDocument: 'after' },
    );
    expect(updated?.n).toBe(2);
    const stale = await Probe.findOneAndUpdate({ _id: created._id, version: 0 }, { $inc: { n: 1 } });
    expect(stale).toBeNull();
    await connection.dropDatabase();
    await connection.close();
  });

  it('the pinned mongoose and driver are the lines ADR 0002 records', () => {
    const driver = (
      JSON.parse(fs.readFileSync(require.resolve('mongodb/package.json'), 'utf8')) as { version: string }
    ).version;
    expect(mongoose.version).toMatch(/^9\.9\./);
    expect(driver).toMatch(/^7\.5\./);
  });

  it('kafkajs 2.2.4 negotiates API versions with the broker and produces idempotently', async () => {
    const kafka = new Kafka({ brokers, clientId: 'compat', logLevel: logLevel.NOTHING });
    const topic = `linli.compat.probe.${Date.now()}`;
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics([topic], { brokers });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const [meta] = await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'v' }] });
    expect(meta.errorCode).toBe(0);
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });
});
