// Work done through a domain service's own API (a caregiver checks in and out of a visit in elder-care): dispatch
// consumes job.progress-reported and moves the job as POST /jobs/:id/start and /complete by its provider would,
// once per step however often the report arrives; a report for a provider that does not hold the job changes
// nothing. Against the real Kafka, MongoDB-wire server and Redis; events read back from Kafka.
import {
  type CloudEvent,
  jobAccepted,
  jobCompleted,
  jobOffered,
  jobStarted,
  jobTopic,
} from '@linli/contracts';
import { EventProbe, type ServiceProcess } from '@linli/testing';
import {
  call,
  createProvider,
  eventually,
  type Json,
  providerUser,
  Requester,
  startDispatch,
  supervisor,
  unique,
} from './support';

let dispatch: ServiceProcess;
let probe: EventProbe;
let requester: Requester;

beforeAll(async () => {
  dispatch = await startDispatch({ OFFER_TIMEOUT_MS: '600000' });
  probe = await EventProbe.start({ topic: jobTopic.name });
  requester = await Requester.start();
}, 120_000);

afterAll(async () => {
  await requester?.stop();
  await probe?.stop();
  await dispatch?.stop();
});

const eventsOf = (jobId: string, type: string): CloudEvent<Json>[] =>
  probe.events.filter((event) => event.subject === jobId && event.type === type) as CloudEvent<Json>[];

/** A visit's job, requested by elder-care and accepted by one caregiver. */
interface Origin {
  service: string;
  aggregateId: string;
}

async function acceptedVisitJob(): Promise<{ jobId: string; providerId: string; origin: Origin }> {
  const skill = unique('meal-delivery-');
  const providerId = unique('care-');
  await createProvider(dispatch, { providerId, kind: 'volunteer', skills: [skill] });
  const visitId = unique('V');
  const origin: Origin = { service: 'elder-care', aggregateId: visitId };
  const jobId = await requester.requestJob({
    skill,
    jobId: `${visitId}-J1`,
    origin,
    category: 'elder-care',
    priority: 'routine',
  });
  await probe.waitFor((e) => e.subject === jobId && e.type === jobOffered.type);
  const accepted = await call(dispatch, 'POST', `/jobs/${jobId}/accept`, providerUser(providerId));
  expect(accepted.status).toBe(200);
  await probe.waitFor((e) => e.subject === jobId && e.type === jobAccepted.type);
  return { jobId, providerId, origin };
}

/** Another job through the same topic, accepted and reported started: a marker that earlier reports were read. */
async function settle(): Promise<void> {
  const { jobId, providerId, origin } = await acceptedVisitJob();
  await requester.reportProgress(jobId, { origin, providerId, step: 'started' });
  await probe.waitFor((e) => e.subject === jobId && e.type === jobStarted.type);
}

it('check-in then check-out reported by elder-care: started, then completed with the outcome, once each', async () => {
  const { jobId, providerId, origin } = await acceptedVisitJob();
  const checkedInAt = new Date(Date.now() - 60_000).toISOString();

  await requester.reportProgress(
    jobId,
    { origin, providerId, step: 'started', at: checkedInAt },
    'check-in-1',
  );
  const [started] = await probe.waitFor((e) => e.subject === jobId && e.type === jobStarted.type);
  expect(started!.data).toMatchObject({
    jobId,
    providerId,
    providerKind: 'volunteer',
    actorId: 'elder-care',
  });
  const job = await call(dispatch, 'GET', `/jobs/${jobId}`, supervisor());
  expect(job.body).toMatchObject({ status: 'started', providerId });

  // The same event delivered again, and the same step reported again as a new event: nothing changes.
  await requester.reportProgress(
    jobId,
    { origin, providerId, step: 'started', at: checkedInAt },
    'check-in-1',
  );
  await requester.reportProgress(jobId, { origin, providerId, step: 'started' });

  await requester.reportProgress(jobId, { origin, providerId, step: 'completed', outcome: 'done' }, 'out-1');
  const [completed] = await probe.waitFor((e) => e.subject === jobId && e.type === jobCompleted.type);
  expect(completed!.data).toMatchObject({ jobId, providerId, outcome: 'done', actorId: 'elder-care' });
  await requester.reportProgress(jobId, { origin, providerId, step: 'completed', outcome: 'done' }, 'out-1');
  await requester.reportProgress(jobId, { origin, providerId, step: 'completed', outcome: 'partly-done' });
  await settle();

  expect(eventsOf(jobId, jobStarted.type)).toHaveLength(1);
  expect(eventsOf(jobId, jobCompleted.type)).toHaveLength(1);
  const done = await call(dispatch, 'GET', `/jobs/${jobId}`, supervisor());
  expect(done.body).toMatchObject({ status: 'completed', outcome: 'done', providerId });
  expect(done.body.timeline.map((entry: { type: string }) => entry.type)).toEqual([
    'requested',
    'offered',
    'accepted',
    'started',
    'completed',
  ]);
  expect(done.body.startedAt).toBe(checkedInAt);
  // The caregiver's load is released as by POST /jobs/:id/complete.
  await eventually('load released', async () => {
    const provider = await call(dispatch, 'GET', `/providers/${providerId}`, supervisor());
    return provider.body.load === 0 ? true : undefined;
  });
});

it('a completion reported for a job not started yet starts and completes it in one go', async () => {
  const { jobId, providerId, origin } = await acceptedVisitJob();
  await requester.reportProgress(jobId, { origin, providerId, step: 'completed', outcome: 'partly-done' });
  await probe.waitFor((e) => e.subject === jobId && e.type === jobCompleted.type);
  expect(eventsOf(jobId, jobStarted.type)).toHaveLength(1);
  const job = await call(dispatch, 'GET', `/jobs/${jobId}`, supervisor());
  expect(job.body).toMatchObject({ status: 'completed', outcome: 'partly-done' });
});

it('a report for a provider that does not hold the job, or from another origin, changes nothing', async () => {
  const { jobId, providerId, origin } = await acceptedVisitJob();
  await requester.reportProgress(jobId, { origin, providerId: unique('stranger-'), step: 'started' });
  await requester.reportProgress(jobId, {
    origin: { service: 'elder-care', aggregateId: unique('V') },
    providerId,
    step: 'completed',
    outcome: 'done',
  });
  await requester.reportProgress(unique('unknown-job-'), { origin, providerId, step: 'started' });
  await settle();

  expect(eventsOf(jobId, jobStarted.type)).toHaveLength(0);
  expect(eventsOf(jobId, jobCompleted.type)).toHaveLength(0);
  const job = await call(dispatch, 'GET', `/jobs/${jobId}`, supervisor());
  expect(job.body).toMatchObject({ status: 'accepted', providerId });

  // The holder's own report still works afterwards.
  await requester.reportProgress(jobId, { origin, providerId, step: 'started' });
  await probe.waitFor((e) => e.subject === jobId && e.type === jobStarted.type);
});
