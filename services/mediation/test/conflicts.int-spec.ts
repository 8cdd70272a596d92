// Conflicts of interest against the real stack: a mediator's declaration keeps them off every case with that
// person among its parties (excluded from the dispatch request, refused by hand, released when the parties change
// under them), and a case nobody else can take escalates, once, to the street.
import { caseTopic, type CloudEvent } from '@linli/contracts';
import { EventProbe, type FakeDispatch } from '@linli/testing';
import {
  call,
  caseBody,
  eventually,
  GULOU_COMMUNITY,
  GULOU_STREET,
  mediatorUser,
  operator,
  startDispatch,
  startMediation,
  supervisor,
  twoParties,
  unique,
  uniqueIdentityNumber,
  uniquePhone,
  XUANWU,
  type Json,
  type ServiceProcess,
} from './support';

const CASE_TYPE = (name: string) => `linli.mediation.${name}.v1`;
const JOB_TYPE = (name: string) => `linli.dispatch.${name}.v1`;

describe('mediators’ conflicts of interest', () => {
  let mediation: ServiceProcess;
  let dispatch: FakeDispatch;
  let caseEvents: EventProbe;

  beforeAll(async () => {
    mediation = await startMediation();
    [dispatch, caseEvents] = await Promise.all([
      startDispatch(),
      EventProbe.start({ topic: caseTopic.name }),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled([mediation?.stop(), dispatch?.stop(), caseEvents?.stop()]);
  });

  const eventsOf = (caseId: string, type: string): CloudEvent<Json>[] =>
    caseEvents.events.filter(
      (event) => event.subject === caseId && event.type === CASE_TYPE(type),
    ) as CloudEvent<Json>[];

  /** A mediator who declared a conflict with a person of this phone: their provider id. */
  async function conflictedMediator(person: { name?: string; phone?: string; identityNumber?: string }) {
    const mediatorId = unique('med-');
    const declared = await call(mediation, 'POST', '/mediators/me/conflicts', mediatorUser(mediatorId), {
      name: person.name ?? '张建国',
      ...person,
    });
    expect(declared.status).toBe(201);
    return mediatorId;
  }

  /** The case as a supervisor reads it, once `check` holds. */
  function caseWhen(caseId: string, what: string, check: (view: Json) => boolean): Promise<Json> {
    return eventually(what, async () => {
      const response = await call(mediation, 'GET', `/cases/${caseId}`, supervisor());
      return response.status === 200 && check(response.body) ? response.body : undefined;
    });
  }

  it('keeps declarations per mediator, masked, and withdraws them', async () => {
    const mediatorId = unique('med-');
    const as = mediatorUser(mediatorId);
    const phone = uniquePhone();
    const identityNumber = uniqueIdentityNumber('1980-01-15');
    const declared = await call(mediation, 'POST', '/mediators/me/conflicts', as, {
      name: '王小明',
      phone,
      identityNumber,
      note: '表弟 / a cousin',
    });
    expect(declared.status).toBe(201);
    expect(declared.body).toMatchObject({
      conflictId: 'K1',
      name: '王小明',
      phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      identityNumber: `${identityNumber.slice(0, 6)}********${identityNumber.slice(-4)}`,
      note: '表弟 / a cousin',
    });

    const nameOnly = await call(mediation, 'POST', '/mediators/me/conflicts', as, { name: '王小明' });
    expect(nameOnly.status).toBe(400);
    expect(nameOnly.body.errors).toEqual([
      expect.objectContaining({ field: 'phone', message: expect.stringMatching(/phone or identityNumber/) }),
    ]);
    const badNumber = await call(mediation, 'POST', '/mediators/me/conflicts', as, {
      name: '王小明',
      identityNumber: identityNumber.slice(0, 17) + (identityNumber[17] === '0' ? '1' : '0'),
    });
    expect(badNumber.status).toBe(400);
    expect(badNumber.body.errors).toEqual([expect.objectContaining({ field: 'identityNumber' })]);

    const mine = await call(mediation, 'GET', '/mediators/me/conflicts', as);
    expect(mine.body).toMatchObject({ mediatorId, items: [{ conflictId: 'K1' }] });
    const bySupervisor = await call(mediation, 'GET', `/mediators/${mediatorId}/conflicts`, supervisor());
    expect(bySupervisor.body.items[0].phone).toBe(declared.body.phone);
    expect(JSON.stringify(bySupervisor.body)).not.toContain(phone);
    expect(
      (await call(mediation, 'GET', `/mediators/${mediatorId}/conflicts`, supervisor(XUANWU))).status,
    ).toBe(404);
    expect((await call(mediation, 'GET', `/mediators/${mediatorId}/conflicts`, operator())).status).toBe(403);

    expect((await call(mediation, 'DELETE', '/mediators/me/conflicts/K1', as)).status).toBe(204);
    expect((await call(mediation, 'DELETE', '/mediators/me/conflicts/K1', as)).status).toBe(404);
    expect((await call(mediation, 'GET', '/mediators/me/conflicts', as)).body.items).toEqual([]);
  });

  it('never offers the case to a conflicted mediator; with nobody else it escalates to the street, once', async () => {
    const parties = twoParties();
    const conflicted = await conflictedMediator({ phone: parties[1].phone });
    const { body: opened } = await call(mediation, 'POST', '/cases', operator(), caseBody({ parties }));
    const request = await dispatch.requested(opened.caseId);
    expect(request.data.excludedProviderIds).toEqual([conflicted]);

    const jobId = `${opened.caseId}-M1`;
    await dispatch.escalate(jobId, GULOU_COMMUNITY, 'no-provider', 1);
    await dispatch.escalate(jobId, GULOU_COMMUNITY, 'deadline-missed', 2);
    // A later event of the same job, on the same partition: once it shows, both escalations were read.
    await dispatch.cancel(jobId, GULOU_COMMUNITY);
    const view = await caseWhen(
      opened.caseId,
      'the request cancelled',
      (body) => body.request.status === 'cancelled',
    );
    expect(view.escalations).toEqual([
      expect.objectContaining({ reason: 'no-mediator', escalatedTo: GULOU_STREET, level: 1 }),
    ]);
    const [escalated] = await caseEvents.waitFor(
      (event) => event.subject === opened.caseId && event.type === CASE_TYPE('case.escalated'),
    );
    expect(escalated.data).toMatchObject({ reason: 'no-mediator', escalatedTo: GULOU_STREET, level: 1 });
    expect(eventsOf(opened.caseId, 'case.escalated')).toHaveLength(1);
    const listed = await call(mediation, 'GET', '/cases?escalated=true', supervisor());
    expect(listed.body.items.map((item: Json) => item.caseId)).toContain(opened.caseId);
  });

  it('refuses to assign a conflicted mediator by hand (409) and assigns another, withdrawing the job', async () => {
    const parties = twoParties();
    const conflicted = await conflictedMediator({ identityNumber: parties[0].identityNumber });
    const { body: opened } = await call(mediation, 'POST', '/cases', operator(), caseBody({ parties }));
    await dispatch.requested(opened.caseId);

    const refused = await call(mediation, 'POST', `/cases/${opened.caseId}/assign`, supervisor(), {
      mediatorId: conflicted,
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ current: { status: 'open', version: 0 } });
    expect(refused.body.detail).toMatch(/conflict of interest/);

    const other = unique('med-');
    const assigned = await call(mediation, 'POST', `/cases/${opened.caseId}/assign`, supervisor(), {
      mediatorId: other,
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({
      status: 'assigned',
      mediator: { mediatorId: other, via: 'manual' },
    });
    await dispatch.waitFor(JOB_TYPE('job.cancellation-requested'), `${opened.caseId}-M1`);
  });

  it('refuses a mediator’s own case with a party they declared a conflict with, writing nothing', async () => {
    const parties = twoParties();
    const self = await conflictedMediator({ phone: parties[0].phone });
    const refused = await call(mediation, 'POST', '/cases', mediatorUser(self), caseBody({ parties }));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ partyIds: ['P1'] });
    expect(refused.body.detail).toMatch(/conflict of interest with P1/);
    const cases = await call(mediation, 'GET', '/cases?mine=true', mediatorUser(self));
    expect(cases.body.total).toBe(0);
  });

  it('releases the mediator holding the case when the parties change to someone they declared, and asks again without them', async () => {
    const holder = unique('med-');
    const { body: opened } = await call(mediation, 'POST', '/cases', operator(), caseBody());
    await dispatch.requested(opened.caseId);
    await dispatch.accept(`${opened.caseId}-M1`, GULOU_COMMUNITY, holder);
    await caseWhen(opened.caseId, 'the case assigned', (body) => body.status === 'assigned');

    const cousin = { role: 'other', name: '刘表', phone: uniquePhone() };
    await call(mediation, 'POST', '/mediators/me/conflicts', mediatorUser(holder), {
      name: '刘表',
      phone: cousin.phone,
    });
    // Parties' phones are whole only to the mediator holding the case (ADR 0027): they re-send them as they are.
    const whole = (await call(mediation, 'GET', `/cases/${opened.caseId}`, mediatorUser(holder))).body;
    const changed = await call(mediation, 'PUT', `/cases/${opened.caseId}/parties`, mediatorUser(holder), {
      parties: [...whole.parties.map(({ partyId: _id, ...party }: Json) => party), cousin],
    });
    expect(changed.status).toBe(200);
    expect(changed.body.parties.map((party: Json) => party.partyId)).toEqual(['P1', 'P2', 'P3']);
    const view = (await call(mediation, 'GET', `/cases/${opened.caseId}`, supervisor())).body;
    expect(view).toMatchObject({
      status: 'open',
      released: [expect.objectContaining({ mediatorId: holder, reason: 'conflict-of-interest' })],
      request: { jobId: `${opened.caseId}-M2`, attempt: 2, status: 'requested' },
    });
    expect(view.mediator).toBeUndefined();
    expect(view.request.excluded).toEqual([holder]);

    const again = await dispatch.requested(opened.caseId, 2);
    expect(again.data.excludedProviderIds).toEqual([holder]);
    // The job they held is withdrawn in dispatch.
    await dispatch.waitFor(JOB_TYPE('job.cancellation-requested'), `${opened.caseId}-M1`);
    await caseEvents.waitFor(
      (event) => event.subject === opened.caseId && event.type === CASE_TYPE('case.mediator-released'),
    );
    // No longer theirs: they may not change it.
    const after = await call(mediation, 'PATCH', `/cases/${opened.caseId}`, mediatorUser(holder), {
      riskLevel: 'high',
    });
    expect(after.status).toBe(403);
  });

  it('withdraws an open request and asks again when a party now matches a mediator not yet excluded', async () => {
    const body = caseBody();
    const { body: opened } = await call(mediation, 'POST', '/cases', operator(), body);
    const first = await dispatch.requested(opened.caseId);
    expect(first.data.excludedProviderIds).toEqual([]);
    const neighbour = { role: 'other', name: '陈六', phone: uniquePhone() };
    const conflicted = await conflictedMediator({ name: '陈六', phone: neighbour.phone });
    // The operator re-sends the parties as they took them down (nobody but the holding mediator reads them whole).
    const changed = await call(mediation, 'PUT', `/cases/${opened.caseId}/parties`, operator(), {
      parties: [...(body.parties as Json[]), neighbour],
    });
    expect(changed.status).toBe(200);
    const [withdrawn] = await dispatch.waitFor(JOB_TYPE('job.cancellation-requested'), `${opened.caseId}-M1`);
    expect(withdrawn.data.reason).toBe('manual');
    const second = await dispatch.requested(opened.caseId, 2);
    expect(second.data.excludedProviderIds).toEqual([conflicted]);

    // An answer about the withdrawn job changes nothing.
    await dispatch.accept(`${opened.caseId}-M1`, GULOU_COMMUNITY, unique('med-'));
    await dispatch.accept(`${opened.caseId}-M2`, GULOU_COMMUNITY, 'med-taker');
    const view = await caseWhen(opened.caseId, 'the case assigned', (body) => body.status === 'assigned');
    expect(view.mediator).toMatchObject({ mediatorId: 'med-taker', jobId: `${opened.caseId}-M2` });
  });

  it('lets the mediator holding a case recuse: released, another asked for without them', async () => {
    const holder = unique('med-');
    const { body: opened } = await call(mediation, 'POST', '/cases', mediatorUser(holder), caseBody());
    expect(opened.status).toBe('assigned');
    const byOther = await call(
      mediation,
      'POST',
      `/cases/${opened.caseId}/recuse`,
      mediatorUser(unique('med-')),
      {
        reason: '不是我的案件',
      },
    );
    expect(byOther.status).toBe(403);
    const recused = await call(mediation, 'POST', `/cases/${opened.caseId}/recuse`, mediatorUser(holder), {
      reason: '申请人是我的邻居 / the applicant is my neighbour',
    });
    expect(recused.status).toBe(200);
    const request = await dispatch.requested(opened.caseId);
    expect(request.data.excludedProviderIds).toEqual([holder]);
    const view = (await call(mediation, 'GET', `/cases/${opened.caseId}`, supervisor())).body;
    expect(view).toMatchObject({
      status: 'open',
      released: [expect.objectContaining({ mediatorId: holder })],
    });
    // Recused for a conflict: never theirs again, by hand either.
    const back = await call(mediation, 'POST', `/cases/${opened.caseId}/assign`, supervisor(), {
      mediatorId: holder,
    });
    expect(back.status).toBe(409);
    expect(back.body.detail).toMatch(/released .* for a conflict of interest/);
  });
});
