// Cases against the real Kafka, MongoDB-wire server and Redis: opened by hand (a mediator holds their own case at
// once, anyone else's goes to dispatch), opened by a dispute ticket (once, however often the ticket is redelivered),
// taken through dispatch, assigned by hand, changed, withdrawn; personal data masked for those who do not run the
// case; bad input refused with the field named; other districts see nothing.
import { caseTopic, jobRequested, type CloudEvent } from '@linli/contracts';
import { EventProbe, type FakeDispatch } from '@linli/testing';
import {
  admin,
  call,
  caseBody,
  eventually,
  GULOU_COMMUNITY,
  GULOU_STREET,
  mediatorUser,
  operator,
  postOversized,
  startDispatch,
  startMediation,
  supervisor,
  TicketEvents,
  ticketId,
  unique,
  XUANWU,
  XUANWU_COMMUNITY,
  type Json,
  type ServiceProcess,
} from './support';

const CASE_TYPE = (name: string) => `linli.mediation.${name}.v1`;
const JOB_TYPE = (name: string) => `linli.dispatch.${name}.v1`;

describe('mediation cases', () => {
  let mediation: ServiceProcess;
  let dispatch: FakeDispatch;
  let tickets: TicketEvents;
  let caseEvents: EventProbe;

  beforeAll(async () => {
    // The service creates its topics; the probes subscribe after.
    mediation = await startMediation();
    [dispatch, tickets, caseEvents] = await Promise.all([
      startDispatch(),
      TicketEvents.start(),
      EventProbe.start({ topic: caseTopic.name }),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled([mediation?.stop(), dispatch?.stop(), tickets?.stop(), caseEvents?.stop()]);
  });

  const eventsOf = (caseId: string, type?: string): CloudEvent<Json>[] =>
    caseEvents.events.filter(
      (event) => event.subject === caseId && (type === undefined || event.type === CASE_TYPE(type)),
    ) as CloudEvent<Json>[];

  it('opens an operator’s case and asks dispatch for a mediator of the community, skill mediation', async () => {
    const created = await call(mediation, 'POST', '/cases', operator(), caseBody({ riskLevel: 'high' }));
    expect(created.status).toBe(201);
    const view = created.body;
    expect(view.caseId).toMatch(/^C\d{8}-\d{6}$/);
    expect(view).toMatchObject({
      version: 0,
      status: 'open',
      caseType: 'neighbour',
      riskLevel: 'high',
      source: 'operator',
      communityCode: GULOU_COMMUNITY,
      withinTimeLimit: true,
      timeLimitBasis: 'case-type-at-opening',
      request: { jobId: `${view.caseId}-M1`, attempt: 1, status: 'requested' },
    });
    expect(typeof view.communityName).toBe('string');
    expect(view.parties.map((party: Json) => party.partyId)).toEqual(['P1', 'P2']);

    const request = await dispatch.requested(view.caseId);
    expect(request.subject).toBe(`${view.caseId}-M1`);
    expect(request.data).toMatchObject({
      jobId: `${view.caseId}-M1`,
      jurisdiction: GULOU_COMMUNITY,
      origin: { service: 'mediation', aggregateId: view.caseId },
      category: 'dispute',
      skill: 'mediation',
      priority: 'immediate',
      excludedProviderIds: [],
    });
    // Ids only on Kafka: no name, phone or identity number of a party, nor the description.
    const [party] = caseBody().parties;
    const opened = await caseEvents.waitFor(
      (event) => event.subject === view.caseId && event.type === CASE_TYPE('case.opened'),
    );
    expect(opened[0].data).toMatchObject({ source: 'operator', partyCount: 2, riskLevel: 'high' });
    await caseEvents.waitFor(
      (event) => event.subject === view.caseId && event.type === CASE_TYPE('case.high-risk'),
    );
    expect(JSON.stringify(eventsOf(view.caseId))).not.toContain(party.name);
  });

  it('gives a mediator’s own case to them at once, with nothing asked of dispatch', async () => {
    const providerId = unique('med-');
    const created = await call(mediation, 'POST', '/cases', mediatorUser(providerId), caseBody());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      source: 'mediator',
      status: 'assigned',
      mediator: { mediatorId: providerId, via: 'manual' },
      personalData: 'whole',
    });
    expect(created.body.request).toBeUndefined();
    const [assigned] = await caseEvents.waitFor(
      (event) => event.subject === created.body.caseId && event.type === CASE_TYPE('case.assigned'),
    );
    expect(assigned.data).toMatchObject({ mediatorId: providerId, via: 'manual', version: 0 });
  });

  it('opens one case per dispute ticket however often the ticket is redelivered, and dispatch’s acceptance assigns it', async () => {
    const ticket = ticketId();
    const caseId = `C-${ticket}`;
    const events = await tickets.disputeRouted(ticket, GULOU_COMMUNITY, 'danger');
    const request = await dispatch.requested(caseId);
    expect(request.data).toMatchObject({
      skill: 'mediation',
      jurisdiction: GULOU_COMMUNITY,
      priority: 'immediate',
    });
    await tickets.send(events);
    await tickets.send(events);

    const view = await eventually('the ticket’s case', async () => {
      const response = await call(mediation, 'GET', `/cases/${caseId}`, supervisor());
      expect(response.status).toBe(200);
      return response.body;
    });
    expect(view).toMatchObject({
      source: 'ticket',
      ticketId: ticket,
      caseType: 'other',
      riskLevel: 'high',
      parties: [],
      description: `由工单 ${ticket} 转入 / From ticket ${ticket}`,
    });

    const providerId = unique('med-');
    await dispatch.accept(`${caseId}-M1`, GULOU_COMMUNITY, providerId);
    const assigned = await eventually('the case assigned', async () => {
      const response = await call(mediation, 'GET', `/cases/${caseId}`, supervisor());
      expect(response.body.status).toBe('assigned');
      return response.body;
    });
    expect(assigned).toMatchObject({
      mediator: { mediatorId: providerId, via: 'dispatch', jobId: `${caseId}-M1` },
      request: { status: 'accepted' },
    });
    // The redeliveries opened nothing more: one case.opened, one request.
    await caseEvents.waitFor(
      (event) => event.subject === caseId && event.type === CASE_TYPE('case.assigned'),
    );
    expect(eventsOf(caseId, 'case.opened')).toHaveLength(1);
    expect(
      dispatch.jobs.events.filter(
        (event) => event.type === jobRequested.type && event.subject?.startsWith(caseId),
      ),
    ).toHaveLength(1);
    const listed = await call(mediation, 'GET', `/cases?ticketId=${ticket}`, operator());
    expect(listed.body.total).toBe(1);
  });

  it('assigns by hand, withdrawing the open dispatch job, and reassigns with the first mediator released', async () => {
    const { body: opened } = await call(mediation, 'POST', '/cases', operator(), caseBody());
    await dispatch.requested(opened.caseId);
    const first = unique('med-');
    const assigned = await call(mediation, 'POST', `/cases/${opened.caseId}/assign`, supervisor(), {
      mediatorId: first,
      note: '熟悉该小区 / knows the estate',
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({
      status: 'assigned',
      mediator: { mediatorId: first, via: 'manual' },
    });
    const [withdrawn] = await dispatch.waitFor(JOB_TYPE('job.cancellation-requested'), `${opened.caseId}-M1`);
    expect(withdrawn.data).toMatchObject({
      reason: 'manual',
      origin: { service: 'mediation', aggregateId: opened.caseId },
    });

    const again = await call(mediation, 'POST', `/cases/${opened.caseId}/assign`, supervisor(), {
      mediatorId: first,
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ current: { status: 'assigned' } });

    const second = unique('med-');
    const reassigned = await call(mediation, 'POST', `/cases/${opened.caseId}/assign`, admin(), {
      mediatorId: second,
    });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body.mediator.mediatorId).toBe(second);
    expect(reassigned.body.released).toEqual([
      expect.objectContaining({ mediatorId: first, reason: 'reassigned' }),
    ]);
    await caseEvents.waitFor(
      (event) => event.subject === opened.caseId && event.type === CASE_TYPE('case.mediator-released'),
    );

    // Only supervisors and admins assign.
    const byOperator = await call(mediation, 'POST', `/cases/${opened.caseId}/assign`, operator(), {
      mediatorId: first,
    });
    expect(byOperator.status).toBe(403);
  });

  it('shows parties whole to the mediator holding the case, names and texts to supervisors, masked to operators and other mediators', async () => {
    const holder = unique('med-');
    const body = caseBody();
    const { body: opened } = await call(mediation, 'POST', '/cases', mediatorUser(holder), body);
    const [applicant] = body.parties;

    const whole = await call(mediation, 'GET', `/cases/${opened.caseId}`, mediatorUser(holder));
    expect(whole.body.parties[0]).toMatchObject({
      name: applicant.name,
      phone: applicant.phone,
      identityNumber: applicant.identityNumber,
    });
    expect(whole.body.description).toBe(body.description);

    // The supervisor oversees the case (names, texts) but does not call its parties.
    const overseen = await call(mediation, 'GET', `/cases/${opened.caseId}`, supervisor());
    expect(overseen.body.parties[0]).toMatchObject({
      name: applicant.name,
      phone: `${applicant.phone.slice(0, 3)}****${applicant.phone.slice(-4)}`,
    });
    expect(overseen.body.parties[0].identityNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(overseen.body.description).toBe(body.description);

    for (const reader of [operator(), mediatorUser(unique('med-'))]) {
      const masked = await call(mediation, 'GET', `/cases/${opened.caseId}`, reader);
      expect(masked.status).toBe(200);
      expect(masked.body.personalData).toBe('masked');
      expect(masked.body.parties[0].name).toBe('张**');
      expect(masked.body.parties[0].phone).toBe(
        `${applicant.phone.slice(0, 3)}****${applicant.phone.slice(-4)}`,
      );
      expect(masked.body.parties[0].identityNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      expect(masked.body.description).not.toContain('漏水');
    }

    // A list counts the parties and names nobody.
    const list = await call(mediation, 'GET', `/cases?mine=true`, mediatorUser(holder));
    expect(list.body).toMatchObject({ total: 1, page: 1 });
    expect(list.body.items[0]).toMatchObject({ caseId: opened.caseId, partyCount: 2, mediatorId: holder });
    expect(JSON.stringify(list.body)).not.toContain(applicant.name);

    // Another mediator reads but may not change it.
    const otherChange = await call(
      mediation,
      'PATCH',
      `/cases/${opened.caseId}`,
      mediatorUser(unique('med-')),
      {
        riskLevel: 'high',
      },
    );
    expect(otherChange.status).toBe(403);
  });

  it('changes type, risk and description with case.updated, and tells the supervisors once when it becomes high risk', async () => {
    const { body: opened } = await call(
      mediation,
      'POST',
      '/cases',
      operator(),
      caseBody({ riskLevel: 'low' }),
    );
    const changed = await call(mediation, 'PATCH', `/cases/${opened.caseId}`, operator(), {
      caseType: 'family',
      riskLevel: 'high',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ caseType: 'family', riskLevel: 'high', version: 1 });
    expect(changed.body.timeLimitAt).toBe(opened.timeLimitAt);
    const again = await call(mediation, 'PATCH', `/cases/${opened.caseId}`, operator(), {
      riskLevel: 'high',
      description: '双方争执升级 / the quarrel grew',
    });
    expect(again.body.version).toBe(2);
    const updates = await caseEvents.waitFor(
      (event) => event.subject === opened.caseId && event.type === CASE_TYPE('case.updated'),
      { count: 2 },
    );
    expect(updates.map((event) => (event.data as Json).changed)).toEqual([
      ['caseType', 'riskLevel'],
      ['description'],
    ]);
    await caseEvents.waitFor(
      (event) => event.subject === opened.caseId && event.type === CASE_TYPE('case.high-risk'),
    );
    expect(eventsOf(opened.caseId, 'case.high-risk')).toHaveLength(1);
  });

  it('withdraws a case: closed, its dispatch job withdrawn, nothing more accepted', async () => {
    const { body: opened } = await call(mediation, 'POST', '/cases', operator(), caseBody());
    await dispatch.requested(opened.caseId);
    const withdrawn = await call(mediation, 'POST', `/cases/${opened.caseId}/withdraw`, operator(), {
      reason: '双方已自行和解 / settled between themselves',
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'closed', closed: { reason: 'withdrawn' } });
    const [cancellation] = await dispatch.waitFor(
      JOB_TYPE('job.cancellation-requested'),
      `${opened.caseId}-M1`,
    );
    expect(cancellation.data.reason).toBe('origin-cancelled');
    await caseEvents.waitFor(
      (event) => event.subject === opened.caseId && event.type === CASE_TYPE('case.closed'),
    );

    const twice = await call(mediation, 'POST', `/cases/${opened.caseId}/withdraw`, operator(), {
      reason: 'again',
    });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ current: { status: 'closed' } });
    expect(twice.body.detail).toMatch(/closed/);
  });

  describe('bad input', () => {
    it('names a wrong identity number check digit', async () => {
      const body = caseBody();
      const valid: string = body.parties[1].identityNumber;
      body.parties[1].identityNumber = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
      const response = await call(mediation, 'POST', '/cases', operator(), body);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors).toEqual([
        expect.objectContaining({
          field: 'parties.1.identityNumber',
          message: expect.stringMatching(/check digit/),
        }),
      ]);
    });

    it('names a community outside the caller’s jurisdiction, and one that is not a community', async () => {
      const outside = await call(
        mediation,
        'POST',
        '/cases',
        operator(),
        caseBody({ communityCode: XUANWU_COMMUNITY }),
      );
      expect(outside.status).toBe(400);
      expect(outside.body.errors).toEqual([expect.objectContaining({ field: 'communityCode' })]);
      const street = await call(
        mediation,
        'POST',
        '/cases',
        operator(),
        caseBody({ communityCode: GULOU_STREET }),
      );
      expect(street.status).toBe(400);
      expect(street.body.errors).toEqual([expect.objectContaining({ field: 'communityCode' })]);
    });

    it('refuses a 10 MB description, an unknown field and a bad phone', async () => {
      const huge = await postOversized(
        mediation,
        '/cases',
        operator(),
        JSON.stringify(caseBody({ description: 'x'.repeat(10 * 1024 * 1024) })),
      );
      expect(huge.status).toBe(413);
      expect(huge.headers.get('content-type')).toContain('application/problem+json');
      const long = await call(
        mediation,
        'POST',
        '/cases',
        operator(),
        caseBody({ description: '长'.repeat(5001) }),
      );
      expect(long.status).toBe(400);
      expect(long.body.errors).toEqual([expect.objectContaining({ field: 'description' })]);
      const unknown = await call(mediation, 'POST', '/cases', operator(), caseBody({ secret: 1 }));
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'secret' })]);
      const body = caseBody();
      body.parties[0].phone = '12345';
      const phone = await call(mediation, 'POST', '/cases', operator(), body);
      expect(phone.status).toBe(400);
      expect(phone.body.errors).toEqual([expect.objectContaining({ field: 'parties.0.phone' })]);
    });

    it('hides a case from another district’s operator (404) and lists nothing to them', async () => {
      const { body: opened } = await call(mediation, 'POST', '/cases', operator(), caseBody());
      const elsewhere = await call(mediation, 'GET', `/cases/${opened.caseId}`, operator(XUANWU));
      expect(elsewhere.status).toBe(404);
      const change = await call(mediation, 'PATCH', `/cases/${opened.caseId}`, operator(XUANWU), {
        riskLevel: 'low',
      });
      expect(change.status).toBe(404);
      const list = await call(mediation, 'GET', '/cases', operator(XUANWU));
      expect(list.body.total).toBe(0);
    });
  });

  describe('Idempotency-Key (ADR 0035)', () => {
    const withKey = (key: string) => ({ ...operator(), 'Idempotency-Key': key });
    const opened = () => caseEvents.events.filter((event) => event.type === CASE_TYPE('case.opened'));

    it('repeated and concurrent opens with one key open one case and publish one case.opened', async () => {
      const before = opened().length;
      const body = caseBody({ description: unique('idem case ') });
      const key = unique('idem-');
      const replies = await Promise.all(
        [1, 2, 3, 4, 5].map(() => call(mediation, 'POST', '/cases', withKey(key), body)),
      );
      const again = await call(mediation, 'POST', '/cases', withKey(key), body);
      expect([...replies, again].map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
      const caseId = again.body.caseId;
      expect(replies.every((r) => r.body.caseId === caseId)).toBe(true);
      await caseEvents.waitFor(
        (event) => event.subject === caseId && event.type === CASE_TYPE('case.opened'),
      );
      // Time for a second case.opened to show, had a repeat queued one (the relay publishes within a poll).
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(opened().length - before).toBe(1);
      expect(eventsOf(caseId, 'case.opened')).toHaveLength(1);
    });

    it('the same key with another body is a 422 naming Idempotency-Key', async () => {
      const key = unique('idem-');
      const first = await call(mediation, 'POST', '/cases', withKey(key), caseBody());
      expect(first.status).toBe(201);
      const changed = await call(mediation, 'POST', '/cases', withKey(key), caseBody({ riskLevel: 'low' }));
      expect(changed.status).toBe(422);
      expect(changed.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
    });
  });
});
