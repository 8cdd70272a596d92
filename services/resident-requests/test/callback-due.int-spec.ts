// A call-back (回访) falling due is told to notifications: `ticket.callback-due` written with the worklist change
// (the ticket's outbox), naming the operator who took the call, once per (round, attempt) even when its timer runs
// again (a worker that died between the effect and marking the job done leaves the record pending).
import { ticketTopic, type CloudEvent } from '@linli/contracts';
import { EventProbe, type ServiceProcess } from '@linli/testing';
import { MongoClient } from 'mongodb';
import {
  call,
  Dispatch,
  ElderCare,
  eventually,
  hotlineTicket,
  operator,
  startRequests,
  ticketWhen,
  unique,
  type Json,
} from './support';

const CALLBACK_DUE = 'linli.resident-requests.ticket.callback-due.v1';
const CREATED = 'linli.resident-requests.ticket.created.v1';
const env = { CALLBACK_DELAY_MS: '500', CALLBACK_RETRY_DELAY_MS: '300' };

describe('resident-requests: call-backs due as events', () => {
  let service: ServiceProcess | undefined;
  let tickets: EventProbe;
  let dispatch: Dispatch;
  let elderCare: ElderCare;
  let mongo: MongoClient;
  const namespace = process.env.LINLI_NAMESPACE as string;

  beforeAll(async () => {
    // The service first: it creates the namespace's topics the probe subscribes to.
    service = await startRequests(env);
    [tickets, dispatch, elderCare, mongo] = await Promise.all([
      EventProbe.start({ topic: ticketTopic.name }),
      Dispatch.start(),
      ElderCare.start(),
      MongoClient.connect(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017'),
    ]);
  });
  afterAll(async () => {
    await dispatch?.stop();
    await elderCare?.stop();
    await tickets?.stop();
    await mongo?.close();
    await service?.stop();
  });

  const dueOf = (ticketId: string) => (e: CloudEvent) => e.subject === ticketId && e.type === CALLBACK_DUE;

  it('tells the operator who took the call, once per try, even when the timer runs again', async () => {
    const running = service as ServiceProcess;
    const created = await call(running, 'POST', '/tickets', operator(undefined, 'op-7'), hotlineTicket());
    expect(created.status).toBe(201);
    const { ticketId, jobId } = created.body as Json;
    const providerId = unique('prv');
    await dispatch.accepted(jobId, providerId);
    await ticketWhen(running, ticketId, (t) => t.status === 'assigned', 'is assigned');
    await dispatch.completed(jobId, providerId);

    const [first] = await tickets.waitFor(dueOf(ticketId));
    expect(first.data).toMatchObject({ ticketId, round: 1, attempt: 1, operatorId: 'op-7' });
    expect(first.jurisdiction).toBe((first.data as Json).jurisdiction);
    // In the same write as the worklist change: the version of the event is the ticket's once due.
    const due = await ticketWhen(
      running,
      ticketId,
      (t) => t.callback?.status === 'due',
      'has its call-back due',
    );
    expect((first.data as Json).version).toBe(due.version);

    // Unanswered: the second try falls due after the retry delay, told again with attempt 2.
    const unanswered = await call(running, 'POST', `/tickets/${ticketId}/callback`, operator(), {
      answered: false,
    });
    expect(unanswered.status).toBe(200);
    const [, second] = await tickets.waitFor(dueOf(ticketId), { count: 2 });
    expect(second.data).toMatchObject({ round: 1, attempt: 2, operatorId: 'op-7' });

    // The timer of try 2 runs again: its record put back to pending, the service restarted (the start-up pass
    // queues it at once). It runs (the record is done again) and writes nothing.
    const work = mongo.db(`${namespace}-linli-resident-requests`).collection('scheduled_work');
    const timerId = { jobId: { $regex: `^[a-z-]+:${ticketId}:1:2$` } };
    await eventually('the timer of try 2 done', async () =>
      (await work.findOne(timerId))?.status === 'done' ? true : undefined,
    );
    const reset = await work.updateOne(timerId, { $set: { status: 'pending' } });
    expect(reset.modifiedCount).toBe(1);
    await running.stop();
    service = await startRequests(env);
    await eventually('the timer of try 2 run again', async () =>
      (await work.findOne(timerId))?.status === 'done' ? true : undefined,
    );
    const after = await call(service, 'GET', `/tickets/${ticketId}`, operator());
    expect(after.body).toMatchObject({ version: due.version + 2, callback: { attempts: 1, status: 'due' } });
    expect(tickets.events.filter(dueOf(ticketId))).toHaveLength(2);
  });

  it('names no operator for a ticket nobody took by hand (an elder-care visit finding)', async () => {
    const running = service as ServiceProcess;
    const finding = ElderCare.finding();
    await elderCare.findingReported(finding);
    const [created] = await tickets.waitFor(
      (e) => e.type === CREATED && (e.data as Json).sourceVisitId === finding.visitId,
    );
    const ticketId = created.subject as string;
    const ticket = await ticketWhen(running, ticketId, (t) => Boolean(t.jobId), 'is dispatched');
    const providerId = unique('prv');
    await dispatch.accepted(ticket.jobId, providerId);
    await ticketWhen(running, ticketId, (t) => t.status === 'assigned', 'is assigned');
    await dispatch.completed(ticket.jobId, providerId);
    const [event] = await tickets.waitFor(dueOf(ticketId));
    expect(event.data).toMatchObject({ ticketId, round: 1, attempt: 1 });
    expect(event.data).not.toHaveProperty('operatorId');
  });
});
