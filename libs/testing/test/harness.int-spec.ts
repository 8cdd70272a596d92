import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createEvent, toKafkaRecord } from '@linli/contracts';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { ensureTopics, EventProbe, resetState, startService } from '../src';

const brokers = process.env.KAFKA_BROKERS!.split(',');
const kafka = new Kafka({ brokers, clientId: 'harness-test', logLevel: logLevel.NOTHING });
const prefix = `harness_${randomUUID().slice(0, 8)}`;
const fixture = path.join(__dirname, 'fixtures/ready-server.ts');

async function createTopic(topic: string) {
  await ensureTopics([{ topic, numPartitions: 2 }]);
}

describe('the test harness', () => {
  it('an event probe reads back a published CloudEvent with its attributes', async () => {
    const topic = `${prefix}.probe`;
    await createTopic(topic);
    const probe = await EventProbe.start({ topic });
    const producer = kafka.producer();
    await producer.connect();
    const event = createEvent({
      source: '/linli/test',
      type: 'linli.test.thing.done.v1',
      subject: 't-1',
      data: { n: 1 },
      jurisdiction: '320106',
    });
    await producer.send({ topic, messages: [toKafkaRecord(event)] });
    await producer.disconnect();
    const [seen] = await probe.waitFor((e) => e.subject === 't-1');
    await probe.stop();
    expect(seen).toMatchObject({ id: event.id, type: event.type, jurisdiction: '320106', data: { n: 1 } });
  });

  it('an event probe that sees nothing says what it saw when it times out', async () => {
    const topic = `${prefix}.silent`;
    await createTopic(topic);
    const probe = await EventProbe.start({ topic });
    await expect(probe.waitFor(() => true, { timeoutMs: 500 })).rejects.toThrow(/saw 0/);
    await probe.stop();
  });

  it('starts a service as a process, waits for readiness, and stops it gracefully', async () => {
    const service = await startService({ name: 'fixture', entry: fixture });
    expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
    expect(await service.stop()).toBe(0);
  });

  it('reports the output of a service that exits before it is ready', async () => {
    await expect(
      startService({ name: 'fixture', entry: fixture, env: { FIXTURE_FAIL_AT_START: '1' } }),
    ).rejects.toThrow(/exited with code 3[\s\S]*FIXTURE_FAIL_AT_START/);
  });

  it('resets only the databases, topics and keys with its prefix', async () => {
    const mongo = new MongoClient(process.env.MONGO_URL!);
    await mongo.connect();
    await mongo.db(`${prefix}_db`).collection('x').insertOne({ a: 1 });
    await mongo.db(`other_${prefix}`).collection('x').insertOne({ a: 1 });
    await createTopic(`${prefix}.reset`);
    const redis = new Redis(process.env.REDIS_URL!);
    await redis.set(`${prefix}:k`, '1');
    await redis.set(`other:${prefix}`, '1');

    const removed = await resetState({ prefix });

    expect(removed.databases).toEqual([`${prefix}_db`]);
    expect(removed.topics).toEqual(expect.arrayContaining([`${prefix}.reset`]));
    expect(removed.keys).toBe(1);
    expect(await redis.get(`other:${prefix}`)).toBe('1');
    const names = (await mongo.db('admin').admin().listDatabases()).databases.map((d) => d.name);
    expect(names).toContain(`other_${prefix}`);
    await mongo.db(`other_${prefix}`).dropDatabase();
    await redis.del(`other:${prefix}`);
    await redis.quit();
    await mongo.close();
  });
});
