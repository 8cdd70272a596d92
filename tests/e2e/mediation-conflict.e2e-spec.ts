// A mediator who declared a conflict of interest with a party (a relative, a neighbour they quarrel with) is never
// offered that party's case, even as the only mediator nearby: dispatch has nobody to offer it to, the case escalates
// for want of a mediator, and a supervisor assigns another by hand; the conflicted one cannot be assigned.
import {
  call,
  caseWhen,
  disputeParties,
  jobWhen,
  mediatorUser,
  NINGHAI_ROAD_STREET,
  openCase,
  operator,
  registerMediator,
  startPlatform,
  supervisor,
  type Caller,
  type Json,
  type MediationPlatform,
} from './support/linli';

describe('a mediator with a conflict of interest', () => {
  let platform: MediationPlatform;
  let conflictedId: string;
  let conflicted: Caller;

  beforeAll(async () => {
    platform = await startPlatform({ OFFERS_PER_ROUND: '3' }, { mediation: true });
    // The only mediator of Gulou: any dispute there would be theirs.
    ({ providerId: conflictedId } = await registerMediator(platform));
    conflicted = mediatorUser(conflictedId);
  });
  afterAll(() => platform?.stop());

  async function offeredTo(caller: Caller, jobId: string): Promise<boolean> {
    const reply = await call(platform.dispatch, 'GET', '/jobs/offered', caller);
    expect(reply.status).toBe(200);
    return reply.body.items.some((job: Json) => job.jobId === jobId);
  }

  it('is never offered the case, which escalates for want of a mediator; a supervisor assigns another by hand', async () => {
    const parties = disputeParties();
    const respondent = parties[1] as { name: string; phone: string };
    const declared = await call(platform.mediation, 'POST', '/mediators/me/conflicts', conflicted, {
      name: respondent.name,
      phone: respondent.phone,
      note: '被申请人是本人表兄',
    });
    expect(declared.status).toBe(201);
    expect(declared.body.phone).not.toBe(respondent.phone);

    const opened = await openCase(platform, operator, { parties });
    const caseId: string = opened.caseId;
    const withRequest = await caseWhen(
      platform,
      caseId,
      (c) => Boolean(c.request),
      'has its mediator requested',
    );
    const jobId: string = withRequest.request.jobId;
    expect(jobId).toBe(`${caseId}-M1`);

    // Dispatch knows whom to leave out, finds nobody else with the skill in the area, and escalates the job.
    const escalatedJob = await jobWhen(platform, jobId, (j) => j.status === 'escalated', 'is escalated');
    expect(escalatedJob.excludedProviderIds).toEqual([conflictedId]);
    expect(escalatedJob.offers ?? []).toEqual([]);
    expect(await offeredTo(conflicted, jobId)).toBe(false);

    const escalated = await caseWhen(
      platform,
      caseId,
      (c) => c.escalations.length >= 1,
      'is escalated for want of a mediator',
    );
    expect(escalated.status).toBe('open');
    expect(escalated.escalations[0]).toMatchObject({
      reason: 'no-mediator',
      escalatedTo: NINGHAI_ROAD_STREET,
      level: 1,
    });
    expect(escalated.request).toMatchObject({ jobId, status: 'escalated' });

    // A supervisor's second round in dispatch still has nobody to offer it to: the conflicted mediator stays out.
    const reoffer = await call(platform.dispatch, 'POST', `/jobs/${jobId}/reoffer`, supervisor);
    expect(reoffer.status).toBe(409);
    expect(await offeredTo(conflicted, jobId)).toBe(false);

    // By hand: the conflicted mediator is refused, with the conflict named; another one is assigned.
    const refused = await call(platform.mediation, 'POST', `/cases/${caseId}/assign`, supervisor, {
      mediatorId: conflictedId,
    });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.detail).toMatch(/conflict/i);
    expect(refused.body.current).toMatchObject({ status: 'open', version: expect.any(Number) });

    const { providerId: otherId } = await registerMediator(platform, { name: '鼓楼区矛盾纠纷调处中心' });
    const assigned = await call(platform.mediation, 'POST', `/cases/${caseId}/assign`, supervisor, {
      mediatorId: otherId,
      note: '区调处中心派员接手',
    });
    expect(assigned.status).toBe(200);
    const held = await caseWhen(platform, caseId, (c) => c.status === 'assigned', 'is assigned');
    expect(held.mediator).toMatchObject({ mediatorId: otherId, via: 'manual' });
    // The dispatch job is withdrawn: nobody is offered a case that has its mediator.
    await jobWhen(platform, jobId, (j) => j.status === 'cancelled', 'is withdrawn');

    // Reassigning to the conflicted mediator is refused just the same.
    const stillRefused = await call(platform.mediation, 'POST', `/cases/${caseId}/assign`, supervisor, {
      mediatorId: conflictedId,
    });
    expect(stillRefused.status).toBe(409);
    expect(stillRefused.body.current).toMatchObject({ status: 'assigned' });
    const after = await call(platform.mediation, 'GET', `/cases/${caseId}`, supervisor);
    expect(after.body.mediator).toMatchObject({ mediatorId: otherId });
    const withdrawn = (await call(platform.dispatch, 'GET', `/jobs/${jobId}`, supervisor)).body;
    expect(withdrawn.offers ?? []).toEqual([]);
    expect(await offeredTo(conflicted, jobId)).toBe(false);
  });

  it('is offered a case whose parties they have no conflict with', async () => {
    // The same mediator is eligible as ever for other cases: the exclusion is per case, not a ban.
    const opened = await openCase(platform, operator);
    const withRequest = await caseWhen(
      platform,
      opened.caseId,
      (c) => Boolean(c.request),
      'has its mediator requested',
    );
    const offered = await jobWhen(
      platform,
      withRequest.request.jobId,
      (j) => j.offers?.some((o: Json) => o.providerId === conflictedId),
      'is offered to the mediator',
    );
    expect(offered.excludedProviderIds ?? []).not.toContain(conflictedId);
  });
});
