// Offer rounds over time against the real stack: a decline and an unanswered offer move the job to the next
// candidates, nobody left escalates it to the supervisors, a supervisor re-offers it; and dispatch killed with
// -9 mid-flow loses no job, duplicates none, and its offers still expire.
import {
  type CloudEvent,
  jobAccepted,
  jobDeclined,
  jobEscalated,
  jobExpired,
  jobOffered,
  jobTopic,
} from '@linli/contracts';
import { EventProbe, type ServiceProcess } from '@linli/testing';
import {
  call,
  createProvider,
  type Json,
  providerUser,
  Requester,
  startDispatch,
  supervisor,
  unique,
} from './support';

/** Short offers, so rounds move in seconds; two offers per round, so a round leaves candidates for the next. */
const ENV = { OFFERS_PER_ROUND: '2', OFFER_TIMEOUT_MS: '3000', OFFER_TIMEOUT_IMMEDIATE_MS: '3000' };

let dispatch: ServiceProcess;
let probe: EventProbe;
let requester: Requester;

beforeAll(async () => {
  dispatch = await startDispatch(ENV);
  probe = await EventProbe.start({ topic: jobTopic.name });
  requester = await Requester.start();
}, 120_000);

afterAll(async () => {
  await requester?.stop();
  await probe?.stop();
  await dispatch?.stop();
});

const of = (jobId: string, type: string) => (event: CloudEvent) =>
  event.subject === jobId && event.type === type;
const providersOf = (events: CloudEvent[]) =>
  events.map((event) => (event.data as Json).providerId as string);
/**
 * Events as consumers apply them: once per event id. A crash between the relay's send and its marking the entry
 * sent republishes it with the same id after the restart (at least once, ADR 0010); a duplicate *decision* would
 * carry a new id.
 */
const distinct = (events: CloudEvent[]) => [...new Map(events.map((event) => [event.id, event])).values()];

it('a decline and an unanswered offer move the job on; nobody left escalates it; a supervisor re-offers it', async () => {
  const skill = unique('round');
  const [p1, p2, p3, p4] = [1, 2, 3, 4].map((n) => `${skill}-${n}`);
  for (const providerId of [p1, p2, p3]) await createProvider(dispatch, { providerId, skills: [skill] });
  const jobId = await requester.requestJob({ skill });

  // Round 1: the two best (equal load and rate: by id).
  expect(providersOf(await probe.waitFor(of(jobId, jobOffered.type), { count: 2 })).sort()).toEqual([p1, p2]);
  const declined = await call(dispatch, 'POST', `/jobs/${jobId}/decline`, providerUser(p1), {
    reason: 'busy',
    note: '在另一个工地',
  });
  expect(declined.status).toBe(200);
  await probe.waitFor(of(jobId, jobDeclined.type));

  // p2 never answers: its offer lapses, and round 2 goes to p3, the one not tried yet.
  const [expired] = await probe.waitFor(of(jobId, jobExpired.type));
  expect(expired!.data).toMatchObject({ providerId: p2 });
  const offers = await probe.waitFor(of(jobId, jobOffered.type), { count: 3 });
  expect(offers[2]!.data).toMatchObject({ providerId: p3, round: 2 });

  // p3 declines: nobody is left, the supervisors get the escalation.
  expect(
    (await call(dispatch, 'POST', `/jobs/${jobId}/decline`, providerUser(p3), { reason: 'out-of-area' }))
      .status,
  ).toBe(200);
  const [escalated] = await probe.waitFor(of(jobId, jobEscalated.type));
  expect(escalated!.data).toMatchObject({ reason: 'no-provider', level: 1 });
  const escalations = await call(dispatch, 'GET', `/jobs?escalated=true&skill=${skill}`, supervisor());
  expect(escalations.body.items.map((job: Json) => [job.jobId, job.status, job.escalated])).toEqual([
    [jobId, 'escalated', true],
  ]);

  // A new provider joins; the supervisor re-offers, and it takes the job.
  await createProvider(dispatch, { providerId: p4, skills: [skill] });
  const reoffered = await call(dispatch, 'POST', `/jobs/${jobId}/reoffer`, supervisor());
  expect(reoffered.status).toBe(200);
  expect(reoffered.body).toMatchObject({ status: 'offered', escalated: false, round: 3 });
  const latest = await probe.waitFor(of(jobId, jobOffered.type), { count: 4 });
  expect(latest[3]!.data).toMatchObject({ providerId: p4, round: 3 });
  expect((await call(dispatch, 'POST', `/jobs/${jobId}/accept`, providerUser(p4))).status).toBe(200);
  await probe.waitFor(of(jobId, jobAccepted.type));
  expect((await call(dispatch, 'GET', `/jobs?escalated=true&skill=${skill}`, supervisor())).body.total).toBe(
    0,
  );
});

it('a job nobody can do is escalated at once, and a re-offer without providers is a 409', async () => {
  const skill = unique('nobody');
  const jobId = await requester.requestJob({ skill });
  await probe.waitFor(of(jobId, jobEscalated.type));
  const reoffer = await call(dispatch, 'POST', `/jobs/${jobId}/reoffer`, supervisor());
  expect(reoffer.status).toBe(409);
  expect(reoffer.body.current).toMatchObject({ status: 'escalated' });
  expect(probe.events.filter(of(jobId, jobOffered.type))).toHaveLength(0);
});

it('killed with -9 mid-flow: no job lost or duplicated, and the offers still expire', async () => {
  const skill = unique('crash');
  const [k1, k2] = [1, 2].map((n) => `${skill}-${n}`);
  for (const providerId of [k1, k2]) await createProvider(dispatch, { providerId, skills: [skill] });
  const before = await requester.requestJob({ skill });
  await probe.waitFor(of(before, jobOffered.type), { count: 2 });

  await dispatch.kill();
  // Requested while dispatch is down: waits in Kafka.
  const during = await requester.requestJob({ skill });
  dispatch = await startDispatch(ENV);

  for (const jobId of [before, during]) {
    // Both offers of each job lapse (timers survived the crash) and, with nobody left, each job escalates once.
    await probe.waitFor(of(jobId, jobExpired.type), { count: 2, timeoutMs: 60_000 });
    await probe.waitFor(of(jobId, jobEscalated.type), { timeoutMs: 60_000 });
    expect(providersOf(distinct(probe.events.filter(of(jobId, jobOffered.type)))).sort()).toEqual([k1, k2]);
  }
  const jobs = await call(dispatch, 'GET', `/jobs?skill=${skill}`, supervisor());
  expect(jobs.body.items.map((job: Json) => job.jobId).sort()).toEqual([before, during].sort());
  expect(jobs.body.items.every((job: Json) => job.status === 'escalated')).toBe(true);
  expect(distinct(probe.events.filter(of(before, jobEscalated.type)))).toHaveLength(1);
  expect(distinct(probe.events.filter(of(during, jobEscalated.type)))).toHaveLength(1);
});
