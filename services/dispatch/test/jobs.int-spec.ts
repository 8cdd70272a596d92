// Dispatch as a process against the real Kafka, MongoDB-wire server and Redis: providers, offers, the race to
// accept, the work, cancellation, bad input and who may see what. Events are read back from Kafka.
import {
  type CloudEvent,
  jobAccepted,
  jobCancelled,
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
  GULOU,
  GULOU_COMMUNITY,
  operator,
  providerUser,
  Requester,
  startDispatch,
  supervisor,
  unique,
  XUANWU,
} from './support';

let dispatch: ServiceProcess;
let probe: EventProbe;
let requester: Requester;

beforeAll(async () => {
  // Twenty at once for the race; long offers, so none lapses while a test runs.
  dispatch = await startDispatch({ OFFERS_PER_ROUND: '20', OFFER_TIMEOUT_MS: '600000' });
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

async function offeredTo(jobId: string, count: number): Promise<string[]> {
  const offers = await probe.waitFor((e) => e.subject === jobId && e.type === jobOffered.type, { count });
  return offers.map((event) => (event.data as { providerId: string }).providerId).sort();
}

/** A job requested, processed and published: a marker that the consumer got past what was sent before it. */
async function settle(): Promise<void> {
  const skill = unique('mark');
  await createProvider(dispatch, { providerId: unique('mark-'), skills: [skill] });
  const jobId = await requester.requestJob({ skill });
  await offeredTo(jobId, 1);
}

it('a requested job is offered to every matching provider, and to no other', async () => {
  const skill = unique('fix');
  const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((s) => unique(`p${s}-`));
  await createProvider(dispatch, { providerId: a, skills: [skill, 'painting'] });
  await createProvider(dispatch, { providerId: b, skills: [skill], serviceAreas: ['320106001'] });
  await createProvider(dispatch, { providerId: c, skills: ['painting'] });
  await createProvider(dispatch, { providerId: d, skills: [skill], serviceAreas: [XUANWU] });
  await createProvider(dispatch, { providerId: e, skills: [skill], available: false });

  const jobId = await requester.requestJob({ skill });
  expect(await offeredTo(jobId, 2)).toEqual([a, b].sort());
  await settle();
  expect(eventsOf(jobId, jobOffered.type)).toHaveLength(2);

  const board = await call(dispatch, 'GET', '/jobs/offered', providerUser(a));
  const mine = board.body.items.find((job: { jobId: string }) => job.jobId === jobId);
  expect(mine).toMatchObject({ status: 'offered', skill, offer: { round: 1 } });
  expect(mine.offers).toBeUndefined();
  const other = await call(dispatch, 'GET', '/jobs/offered', providerUser(c));
  expect(other.body.items.map((job: { jobId: string }) => job.jobId)).not.toContain(jobId);

  const view = await call(dispatch, 'GET', `/jobs/${jobId}`, supervisor());
  expect(view.status).toBe(200);
  expect(view.body).toMatchObject({
    status: 'offered',
    escalated: false,
    round: 1,
    jurisdiction: GULOU_COMMUNITY,
  });
  expect(view.body.communityName).toBe('仙霞路社区居委会');
  expect(view.body.offers).toHaveLength(2);
});

it('a repeated job.requested does not create a second job or second offers', async () => {
  const skill = unique('fix');
  await createProvider(dispatch, { providerId: unique('pa-'), skills: [skill] });
  const jobId = await requester.requestJob({ skill }, 'request-event-1-' + skill);
  await offeredTo(jobId, 1);
  await requester.requestJob({ skill, jobId }, 'request-event-1-' + skill); // the same event again
  await requester.requestJob({ skill, jobId }); // the same request, sent again as a new event
  await settle();
  expect(eventsOf(jobId, jobOffered.type)).toHaveLength(1);
  const list = await call(dispatch, 'GET', `/jobs?skill=${skill}`, supervisor());
  expect(list.body.total).toBe(1);
});

it('the first to accept holds the job, the other offers are withdrawn, and the work is started and completed', async () => {
  const skill = unique('fix');
  const [a, b, c] = ['a', 'b', 'c'].map((s) => unique(`p${s}-`));
  for (const providerId of [a, b, c]) await createProvider(dispatch, { providerId, skills: [skill] });
  const jobId = await requester.requestJob({ skill });
  await offeredTo(jobId, 3);

  const accepted = await call(dispatch, 'POST', `/jobs/${jobId}/accept`, providerUser(b));
  expect(accepted.status).toBe(200);
  expect(accepted.body).toMatchObject({ status: 'accepted', providerId: b, providerKind: 'company' });
  const [event] = await probe.waitFor((e) => e.subject === jobId && e.type === jobAccepted.type);
  expect(event!.data).toMatchObject({ providerId: b, providerKind: 'company', actorId: `user-${b}` });

  const late = await call(dispatch, 'POST', `/jobs/${jobId}/accept`, providerUser(a));
  expect(late.status).toBe(409);
  expect(late.body.current).toMatchObject({ status: 'accepted' });
  expect((await call(dispatch, 'GET', '/jobs/offered', providerUser(a))).body.items).toEqual([]);
  expect((await call(dispatch, 'GET', `/jobs/${jobId}`, providerUser(c))).status).toBe(404);
  const supervised = await call(dispatch, 'GET', `/jobs/${jobId}`, supervisor());
  expect(
    supervised.body.offers
      .map((o: { providerId: string; status: string }) => [o.providerId, o.status])
      .sort(),
  ).toEqual(
    [
      [a, 'withdrawn'],
      [b, 'accepted'],
      [c, 'withdrawn'],
    ].sort(),
  );
  await eventually('load 1', async () => {
    const p = await call(dispatch, 'GET', `/providers/${b}`, supervisor());
    return p.body.load === 1 ? true : undefined;
  });
  expect((await call(dispatch, 'GET', '/jobs/mine', providerUser(b))).body.items[0]).toMatchObject({ jobId });

  const completeTooSoon = await call(dispatch, 'POST', `/jobs/${jobId}/complete`, providerUser(b), {
    outcome: 'done',
  });
  expect(completeTooSoon.status).toBe(409);
  expect(completeTooSoon.body.current).toMatchObject({ status: 'accepted' });

  const started = await call(dispatch, 'POST', `/jobs/${jobId}/start`, providerUser(b), {
    location: { lat: 32.06, lng: 118.78 },
  });
  expect(started.status).toBe(200);
  expect(started.body.status).toBe('started');
  await probe.waitFor((e) => e.subject === jobId && e.type === jobStarted.type);

  const completed = await call(dispatch, 'POST', `/jobs/${jobId}/complete`, providerUser(b), {
    outcome: 'done',
    notes: '水管接头更换',
    workDone: 'replaced the joint',
  });
  expect(completed.status).toBe(200);
  expect(completed.body).toMatchObject({
    status: 'completed',
    outcome: 'done',
    workDone: 'replaced the joint',
  });
  const [done] = await probe.waitFor((e) => e.subject === jobId && e.type === jobCompleted.type);
  expect(done!.data).toMatchObject({ outcome: 'done', providerId: b });
  expect(completed.body.timeline.map((entry: { type: string }) => entry.type)).toEqual([
    'requested',
    'offered',
    'accepted',
    'started',
    'completed',
  ]);
  expect(
    (await call(dispatch, 'GET', '/jobs/mine?status=completed', providerUser(b))).body.items[0],
  ).toMatchObject({
    jobId,
  });
  await eventually('load released', async () => {
    const p = await call(dispatch, 'GET', `/providers/${b}`, supervisor());
    return p.body.load === 0 ? true : undefined;
  });
});

it('twenty providers accepting at the same instant: one 200, nineteen 409, one job.accepted', async () => {
  const skill = unique('race');
  const providers = Array.from({ length: 20 }, (_, i) => `${skill}-${String(i).padStart(2, '0')}`);
  await Promise.all(providers.map((providerId) => createProvider(dispatch, { providerId, skills: [skill] })));
  const jobId = await requester.requestJob({ skill });
  await offeredTo(jobId, 20);

  const answers = await Promise.all(
    providers.map((providerId) => call(dispatch, 'POST', `/jobs/${jobId}/accept`, providerUser(providerId))),
  );
  const winners = answers.filter((answer) => answer.status === 200);
  const losers = answers.filter((answer) => answer.status === 409);
  expect(winners).toHaveLength(1);
  expect(losers).toHaveLength(19);
  for (const loser of losers) {
    expect(loser.body.current).toMatchObject({
      jobId,
      status: 'accepted',
      providerId: winners[0]!.body.providerId,
    });
  }
  await probe.waitFor((e) => e.subject === jobId && e.type === jobAccepted.type);
  await settle();
  expect(eventsOf(jobId, jobAccepted.type)).toHaveLength(1);
});

it('job.cancellation-requested cancels the job and withdraws its offers', async () => {
  const skill = unique('fix');
  const a = unique('pa-');
  await createProvider(dispatch, { providerId: a, skills: [skill] });
  const jobId = await requester.requestJob({ skill });
  await offeredTo(jobId, 1);
  await requester.requestCancellation(jobId);
  const [cancelled] = await probe.waitFor((e) => e.subject === jobId && e.type === jobCancelled.type);
  expect(cancelled!.data).toMatchObject({ reason: 'origin-cancelled' });
  expect((await call(dispatch, 'GET', '/jobs/offered', providerUser(a))).body.items).toEqual([]);
  const view = await call(dispatch, 'GET', `/jobs/${jobId}`, supervisor());
  expect(view.body.status).toBe('cancelled');
  expect(view.body.offers[0].status).toBe('withdrawn');
  expect((await call(dispatch, 'POST', `/jobs/${jobId}/accept`, providerUser(a))).status).toBe(409);
});

it('a provider cannot see or take a job not offered to it; another district’s operator gets 404', async () => {
  const skill = unique('fix');
  const a = unique('pa-');
  const stranger = unique('pz-');
  await createProvider(dispatch, { providerId: a, skills: [skill] });
  await createProvider(dispatch, { providerId: stranger, skills: ['painting'] });
  const jobId = await requester.requestJob({ skill });
  await offeredTo(jobId, 1);

  expect((await call(dispatch, 'GET', `/jobs/${jobId}`, providerUser(stranger))).status).toBe(404);
  // 404, not 409: a 409 would carry the job as it is (`current`) to a provider it was never offered to. The data
  // layer hides the job from it (ADR 0028), as the GET does.
  expect((await call(dispatch, 'POST', `/jobs/${jobId}/accept`, providerUser(stranger))).status).toBe(404);
  expect((await call(dispatch, 'GET', `/jobs/${jobId}`, operator(XUANWU))).status).toBe(404);
  expect((await call(dispatch, 'GET', `/jobs/${jobId}`, operator(GULOU))).status).toBe(200);
  expect((await call(dispatch, 'GET', `/jobs/${jobId}`, providerUser(a))).status).toBe(200);
  expect((await call(dispatch, 'GET', `/jobs/${jobId}`, {})).status).toBe(401);
  expect((await call(dispatch, 'GET', '/jobs', providerUser(a))).status).toBe(403);
  const xuanwuList = await call(dispatch, 'GET', `/jobs?skill=${skill}`, supervisor(XUANWU));
  expect(xuanwuList.body.total).toBe(0);
});

it('bad input gets 400 naming the field, and nothing is stored', async () => {
  const providerId = unique('bad-');
  const valid = {
    providerId,
    name: 'Gulou Plumbers',
    kind: 'company',
    skills: ['plumbing'],
    serviceAreas: [GULOU],
    capacity: 2,
    available: true,
    jurisdiction: GULOU,
  };
  const cases: [Record<string, unknown>, string][] = [
    [{ ...valid, serviceAreas: ['999999'] }, 'serviceAreas'],
    [{ ...valid, kind: 'mafia' }, 'kind'],
    [{ ...valid, capacity: 0 }, 'capacity'],
    [{ ...valid, capacity: 'two' }, 'capacity'],
    [{ ...valid, skills: ['Plumbing Work'] }, 'skills'],
    [{ ...valid, providerId: 'X' }, 'providerId'],
    [{ ...valid, workingHours: [{ days: [8], from: '08:00', to: '18:00' }] }, 'workingHours.0.days'],
    [{ ...valid, location: { lat: 91, lng: 0 } }, 'location.lat'],
    [{ ...valid, $where: 'sleep(1000)' }, '$where'],
    [{ ...valid, name: undefined }, 'name'],
  ];
  for (const [body, field] of cases) {
    const response = await call(dispatch, 'POST', '/providers', supervisor(), body);
    expect({ field, status: response.status }).toEqual({ field, status: 400 });
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  }
  expect((await call(dispatch, 'GET', `/providers/${providerId}`, supervisor())).status).toBe(404);

  const skill = unique('fix');
  const a = unique('pa-');
  await createProvider(dispatch, { providerId: a, skills: [skill] });
  const jobId = await requester.requestJob({ skill });
  await offeredTo(jobId, 1);
  const decline = await call(dispatch, 'POST', `/jobs/${jobId}/decline`, providerUser(a), { reason: 'lazy' });
  expect(decline.status).toBe(400);
  expect(decline.body.errors[0].field).toBe('reason');
  expect((await call(dispatch, 'GET', `/jobs/${jobId}`, supervisor())).body.offers[0].status).toBe('open');
});

it('providers: duplicate ids conflict, lists are scoped, a provider may switch only its own availability', async () => {
  const providerId = unique('own-');
  await createProvider(dispatch, { providerId, skills: ['plumbing'] });
  const again = await call(dispatch, 'POST', '/providers', supervisor(), {
    providerId,
    name: 'again',
    kind: 'volunteer',
    skills: ['plumbing'],
    serviceAreas: [GULOU],
    capacity: 1,
    available: true,
    jurisdiction: GULOU,
  });
  expect(again.status).toBe(409);

  const off = await call(dispatch, 'PATCH', `/providers/${providerId}`, providerUser(providerId), {
    available: false,
  });
  expect(off.status).toBe(200);
  expect(off.body.available).toBe(false);
  expect(
    (await call(dispatch, 'PATCH', `/providers/${providerId}`, providerUser(providerId), { capacity: 9 }))
      .status,
  ).toBe(403);
  expect(
    (
      await call(dispatch, 'PATCH', `/providers/${providerId}`, providerUser('someone-else'), {
        available: true,
      })
    ).status,
  ).toBe(404);

  const gulou = await call(dispatch, 'GET', `/providers?skill=plumbing&available=false`, operator(GULOU));
  expect(gulou.body.items.map((p: { providerId: string }) => p.providerId)).toContain(providerId);
  const xuanwu = await call(dispatch, 'GET', '/providers?skill=plumbing', operator(XUANWU));
  expect(xuanwu.body.items.map((p: { providerId: string }) => p.providerId)).not.toContain(providerId);
  expect((await call(dispatch, 'GET', `/providers/${providerId}`, supervisor(XUANWU))).status).toBe(404);
});
