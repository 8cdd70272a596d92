// A requester's exclusion against the real stack (a mediator with a conflict of interest with a party): the
// excluded provider is never offered the job, in any round, re-offer or re-offer by hand; with nobody else, the
// job escalates as having no provider. Mediators use the provider's board with their own role.
import { type CloudEvent, jobEscalated, jobExpired, jobOffered, jobTopic } from '@linli/contracts';
import { EventProbe, type ServiceProcess } from '@linli/testing';
import {
  call,
  createProvider,
  eventually,
  GULOU,
  type Json,
  mediatorUser,
  providerUser,
  Requester,
  startDispatch,
  supervisor,
  unique,
} from './support';

/** Short offers, so rounds move in seconds. */
const ENV = { OFFERS_PER_ROUND: '2', OFFER_TIMEOUT_MS: '2000', OFFER_TIMEOUT_IMMEDIATE_MS: '2000' };
const mediation = (caseId: string) => ({ service: 'mediation', aggregateId: caseId });

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
const offeredTo = (jobId: string) =>
  probe.events.filter(of(jobId, jobOffered.type)).map((event) => (event.data as Json).providerId as string);

it('the only matching provider excluded: never offered, the job escalates as having no provider', async () => {
  const skill = unique('excl');
  const conflicted = `${skill}-m1`;
  await createProvider(dispatch, { providerId: conflicted, skills: [skill], kind: 'social-organisation' });
  const caseId = unique('C-T');
  const jobId = await requester.requestJob({
    skill,
    jobId: `${caseId}-M1`,
    category: 'dispute',
    origin: mediation(caseId),
    excludedProviderIds: [conflicted],
  });

  const [escalated] = await probe.waitFor(of(jobId, jobEscalated.type));
  expect(escalated!.data).toMatchObject({ reason: 'no-provider', level: 1 });
  expect(offeredTo(jobId)).toEqual([]);

  // A supervisor's re-offer by hand does not reach them either: nobody else matches, so 409.
  const reoffer = await call(dispatch, 'POST', `/jobs/${jobId}/reoffer`, supervisor());
  expect(reoffer.status).toBe(409);
  expect(reoffer.body.current).toMatchObject({ status: 'escalated' });
  expect(offeredTo(jobId)).toEqual([]);
  expect((await call(dispatch, 'GET', '/jobs/offered', mediatorUser(conflicted))).body.items).toEqual([]);

  // Supervisors see who was ruled out; the excluded mediator cannot even read the job.
  const view = await call(dispatch, 'GET', `/jobs/${jobId}`, supervisor());
  expect(view.body).toMatchObject({ status: 'escalated', excludedProviderIds: [conflicted] });
  expect((await call(dispatch, 'GET', `/jobs/${jobId}`, mediatorUser(conflicted))).status).toBe(404);
});

it('two providers, one excluded: only the other is offered, in every round and on re-offer', async () => {
  const skill = unique('excl');
  const [conflicted, other] = [`${skill}-a`, `${skill}-b`];
  // The excluded one would rank first (by id) were it not excluded.
  for (const providerId of [conflicted, other]) {
    await createProvider(dispatch, { providerId, skills: [skill], kind: 'social-organisation' });
  }
  const caseId = unique('C-T');
  const jobId = await requester.requestJob({
    skill,
    jobId: `${caseId}-M1`,
    category: 'dispute',
    priority: 'immediate',
    origin: mediation(caseId),
    excludedProviderIds: [conflicted],
  });

  // Round 1: the other alone (two offers per round, but only one candidate). Its offer lapses; with no one left
  // untried, the job escalates rather than turning to the excluded provider.
  await probe.waitFor(of(jobId, jobOffered.type));
  await probe.waitFor(of(jobId, jobExpired.type));
  await probe.waitFor(of(jobId, jobEscalated.type));
  expect(offeredTo(jobId)).toEqual([other]);

  // The supervisor re-offers: the whole pool again, still without the excluded provider.
  const reoffered = await call(dispatch, 'POST', `/jobs/${jobId}/reoffer`, supervisor());
  expect(reoffered.status).toBe(200);
  await probe.waitFor(of(jobId, jobOffered.type), { count: 2 });
  expect(offeredTo(jobId)).toEqual([other, other]);

  // That other provider is a mediator: the provider's board serves its role.
  const offered = await call(dispatch, 'GET', '/jobs/offered', mediatorUser(other));
  expect(offered.status).toBe(200);
  expect(offered.body.items.map((job: Json) => job.jobId)).toEqual([jobId]);
  expect(offered.body.items[0].offer).toMatchObject({ round: 2 });
  // Who was excluded is not shown to providers.
  expect(offered.body.items[0].excludedProviderIds).toBeUndefined();
  const accepted = await call(dispatch, 'POST', `/jobs/${jobId}/accept`, mediatorUser(other));
  expect(accepted.status).toBe(200);
  expect(accepted.body).toMatchObject({ status: 'accepted', providerId: other });
  expect(accepted.body.excludedProviderIds).toBeUndefined();
  const mine = await call(dispatch, 'GET', '/jobs/mine', mediatorUser(other));
  expect(mine.body.items.map((job: Json) => job.jobId)).toEqual([jobId]);
  expect((await call(dispatch, 'GET', `/providers/${other}`, mediatorUser(other))).body).toMatchObject({
    providerId: other,
    load: expect.any(Number),
  });
  await eventually('the mediator’s load counts the case', async () => {
    const provider = await call(dispatch, 'GET', `/providers/${other}`, supervisor());
    return provider.body.load === 1 ? true : undefined;
  });
  expect(offeredTo(jobId)).not.toContain(conflicted);
});

it('a decline moves on to the next candidate, never the excluded one', async () => {
  const skill = unique('excl');
  const [conflicted, first, second] = [`${skill}-a`, `${skill}-b`, `${skill}-c`];
  for (const providerId of [conflicted, first, second]) {
    await createProvider(dispatch, { providerId, skills: [skill], serviceAreas: [GULOU] });
  }
  const jobId = await requester.requestJob({ skill, excludedProviderIds: [conflicted] });
  await probe.waitFor(of(jobId, jobOffered.type), { count: 2 });
  expect(offeredTo(jobId).sort()).toEqual([first, second]);
  for (const providerId of [first, second]) {
    const declined = await call(dispatch, 'POST', `/jobs/${jobId}/decline`, providerUser(providerId), {
      reason: 'busy',
    });
    expect(declined.status).toBe(200);
  }
  await probe.waitFor(of(jobId, jobEscalated.type));
  expect(offeredTo(jobId)).not.toContain(conflicted);
});
