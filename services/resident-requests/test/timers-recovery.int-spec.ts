// A ticket is written before its timers are set: if the process dies in between, the ticket has no deadlines
// anywhere (neither the scheduled_work ledger nor Redis). The start-up pass sets them again from the ticket.
import { ticketTopic } from '@linli/contracts';
import { EventProbe, type ServiceProcess } from '@linli/testing';
import Redis from 'ioredis';
import { MongoClient } from 'mongodb';
import { call, hotlineTicket, operator, startRequests, type Json } from './support';

describe('resident-requests: timers after a crash', () => {
  let service: ServiceProcess | undefined;
  let tickets: EventProbe;
  const namespace = process.env.LINLI_NAMESPACE as string;
  // General priority: accept within 2 h → 7.2 s at this scale.
  const env = { SERVICE_LEVEL_TIME_SCALE: '0.001' };

  afterAll(async () => {
    await tickets?.stop();
    await service?.stop();
  });

  it('sets the deadlines of a ticket that lost them again at start-up, and escalates when they pass', async () => {
    service = await startRequests(env);
    tickets = await EventProbe.start({ topic: ticketTopic.name });
    const created = await call(service, 'POST', '/tickets', operator(), hotlineTicket());
    expect(created.status).toBe(201);
    const { ticketId } = created.body as Json;
    await service.kill();
    service = undefined;

    // Every trace of the timers gone, as if the process had died between the write and the scheduling.
    const mongo = await MongoClient.connect(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
    const removed = await mongo
      .db(`${namespace}-linli-resident-requests`)
      .collection('scheduled_work')
      .deleteMany({ 'payload.ticketId': ticketId });
    await mongo.close();
    expect(removed.deletedCount).toBe(2);
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();

    service = await startRequests(env);
    const [escalated] = await tickets.waitFor(
      (e) =>
        e.subject === ticketId &&
        e.type === 'linli.resident-requests.ticket.escalated.v1' &&
        (e.data as Json).reason === 'accept-deadline-missed',
      { timeoutMs: 60_000 },
    );
    expect(escalated.data).toMatchObject({ ticketId, level: 1 });
  });
});
