// Welfare checks against the real Kafka, MongoDB-wire server and Redis, with elder-care's elders and emergency's
// incidents produced onto Kafka as those would publish them and dispatch played by FakeDispatch: one check and one
// job.requested per vulnerable resident of the area however the area grows and whatever is redelivered, none for
// the others; dispatch's answers on the board; results by the provider holding the job or a coordinator; the open
// checks withdrawn when the incident closes.
import {
  elderRegistered,
  elderTopic,
  elderUpdated,
  incidentClosed,
  incidentDeclared,
  incidentTopic,
  incidentUpdated,
  jobCancellationRequested,
  jobProgressReported,
  jobRequested,
  type CloudEvent,
} from '@linli/contracts';
import { FakeDispatch } from '@linli/testing';
import { randomUUID } from 'node:crypto';
import {
  call,
  coordinator,
  eventually,
  EventSender,
  GULOU,
  GULOU_COMMUNITY,
  GULOU_COMMUNITY_2,
  GULOU_STREET,
  operator,
  providerUser,
  startEmergency,
  unique,
  XUANWU,
  XUANWU_COMMUNITY,
  type Json,
  type ServiceProcess,
} from './support';

/** A community of another street of Gulou (湖南路街道). */
const OTHER_STREET_COMMUNITY = '320106002001';

type Profile = {
  status?: 'active' | 'inactive';
  livingSituation?: 'alone' | 'empty-nest' | 'with-family';
  careLevel?: 'self-care' | 'partly-dependent' | 'fully-dependent';
  hardship?: string[];
};

describe('emergency welfare checks', () => {
  let emergency: ServiceProcess;
  let sender: EventSender;
  let dispatch: FakeDispatch;

  beforeAll(async () => {
    // One partition per topic: events sent after others on the same topic are handled after them, so a marker
    // event tells when a redelivery has been handled.
    emergency = await startEmergency({ KAFKA_TOPIC_PARTITIONS: '1', WELFARE_CHECK_WITHIN_MS: '600000' });
    [sender, dispatch] = await Promise.all([
      EventSender.start('emergency-welfare-test'),
      FakeDispatch.start({ clientId: 'emergency-welfare-test-dispatch', jobLetter: 'W' }),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled([emergency?.stop(), sender?.stop(), dispatch?.stop()]);
  });

  const elderEvent = (
    type: 'registered' | 'updated',
    elderId: string,
    version: number,
    community: string,
    profile: Profile,
  ): CloudEvent =>
    sender.event(
      '/linli/elder-care',
      type === 'registered' ? elderRegistered.type : elderUpdated.type,
      elderId,
      community,
      {
        elderId,
        version,
        jurisdiction: community,
        status: profile.status ?? 'active',
        livingSituation: profile.livingSituation ?? 'with-family',
        careLevel: profile.careLevel ?? 'self-care',
        hardship: profile.hardship ?? [],
        consentToServices: true,
        ...(type === 'registered' ? { source: 'form' } : {}),
      },
    );

  const incidentId = () => `I20261129-${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`;

  const declared = (id: string, areas: string[], jurisdiction = GULOU): CloudEvent =>
    sender.event('/linli/emergency', incidentDeclared.type, id, jurisdiction, {
      incidentId: id,
      version: 0,
      jurisdiction,
      kind: 'flood',
      severity: 'severe',
      areas,
      hasPolygon: false,
      source: 'coordinator',
      actorId: 'coord-1',
    });

  const updated = (
    id: string,
    version: number,
    areas: string[],
    addedAreas: string[],
    status = 'active',
    jurisdiction = GULOU,
  ): CloudEvent =>
    sender.event('/linli/emergency', incidentUpdated.type, id, jurisdiction, {
      incidentId: id,
      version,
      jurisdiction,
      status,
      severity: 'extreme',
      areas,
      addedAreas,
      actorId: 'coord-1',
    });

  const closed = (id: string, version: number, jurisdiction = GULOU): CloudEvent =>
    sender.event('/linli/emergency', incidentClosed.type, id, jurisdiction, {
      incidentId: id,
      version,
      jurisdiction,
      reason: 'all-clear',
      actorId: 'coord-1',
    });

  /** The same event again with a new id: what a producer that sent it twice would publish. */
  const resent = (event: CloudEvent): CloudEvent => ({ ...event, id: randomUUID() });

  /** Every job of the incident was requested once. */
  const expectOneRequestPerJob = (incident: string) => {
    const jobIds = requestsOf(incident).map((event) => String(event.data.jobId));
    expect(new Set(jobIds).size).toBe(jobIds.length);
  };

  const requestsOf = (incident: string): CloudEvent<Json>[] =>
    dispatch.jobs.events.filter(
      (event) =>
        event.type === jobRequested.type && String((event.data as Json).jobId).startsWith(`${incident}-W-`),
    ) as CloudEvent<Json>[];

  const requestedElders = (incident: string): string[] =>
    requestsOf(incident)
      .map((event) => String(event.data.jobId).slice(`${incident}-W-`.length))
      .sort();

  const board = async (incident: string, query = '', headers = coordinator()) =>
    call(emergency, 'GET', `/incidents/${incident}/welfare-checks${query}`, headers);

  const waitForRequests = (incident: string, elders: string[]) =>
    eventually(
      `job.requested for ${elders.join(', ')}`,
      async () => {
        const seen = requestedElders(incident);
        return elders.every((elder) => seen.includes(elder)) ? seen : undefined;
      },
      { timeoutMs: 20_000 },
    );

  /** Elders of one test: vulnerable and not, inside the street, in another street, in another district. */
  async function registerElders() {
    const e = {
      alone: unique('E'),
      disabled: unique('E'),
      dependentOtherStreet: unique('E'),
      notVulnerable: unique('E'),
      inactiveAlone: unique('E'),
      aloneInXuanwu: unique('E'),
    };
    const events = [
      elderEvent('registered', e.alone, 0, GULOU_COMMUNITY, { livingSituation: 'alone' }),
      elderEvent('registered', e.disabled, 0, GULOU_COMMUNITY_2, { hardship: ['disabled'] }),
      elderEvent('registered', e.dependentOtherStreet, 0, OTHER_STREET_COMMUNITY, {
        careLevel: 'fully-dependent',
      }),
      elderEvent('registered', e.notVulnerable, 0, GULOU_COMMUNITY, {
        livingSituation: 'empty-nest',
        careLevel: 'partly-dependent',
        hardship: ['low-income'],
      }),
      elderEvent('registered', e.inactiveAlone, 0, GULOU_COMMUNITY, {
        status: 'inactive',
        livingSituation: 'alone',
      }),
      elderEvent('registered', e.aloneInXuanwu, 0, XUANWU_COMMUNITY, { livingSituation: 'alone' }),
    ];
    await sender.send(elderTopic.name, events);
    return { e, events };
  }

  it('gives each vulnerable resident of a growing area exactly one check and one job, nobody else any', async () => {
    const { e, events: elderEvents } = await registerElders();
    // The last elder's registration handled means all before it are (one partition).
    const id = incidentId();
    const incidentEvents = [declared(id, [GULOU_COMMUNITY])];
    await sender.send(incidentTopic.name, incidentEvents);
    await waitForRequests(id, [e.alone]);

    const request = requestsOf(id)[0];
    expect(request.subject).toBe(`${id}-W-${e.alone}`);
    expect(request.data).toMatchObject({
      jobId: `${id}-W-${e.alone}`,
      jurisdiction: GULOU_COMMUNITY,
      origin: { service: 'emergency', aggregateId: `${id}-W-${e.alone}` },
      category: 'emergency',
      skill: 'welfare-check',
      priority: 'immediate',
    });
    const dueIn = Date.parse(request.data.dueBy) - Date.parse(request.time);
    expect(dueIn).toBeGreaterThan(590_000);
    expect(dueIn).toBeLessThanOrEqual(600_000);

    // The street, then the district: only the newly covered get checks.
    incidentEvents.push(updated(id, 1, [GULOU_STREET], [GULOU_STREET]));
    await sender.send(incidentTopic.name, incidentEvents.slice(-1));
    await waitForRequests(id, [e.alone, e.disabled]);
    // addedAreas is a hint: an update that says it added nothing still covers its whole area.
    incidentEvents.push(updated(id, 2, [GULOU], []));
    await sender.send(incidentTopic.name, incidentEvents.slice(-1));
    await waitForRequests(id, [e.alone, e.disabled, e.dependentOtherStreet]);

    // Everything again, as redelivered (same event ids) and as sent twice by a producer (new ids); an elder
    // becoming vulnerable during the incident gets a check.
    await sender.send(elderTopic.name, [...elderEvents, ...elderEvents.map(resent)]);
    await sender.send(incidentTopic.name, [...incidentEvents, ...incidentEvents.map(resent)]);
    await sender.send(elderTopic.name, [
      elderEvent('updated', e.notVulnerable, 1, GULOU_COMMUNITY, { livingSituation: 'alone' }),
    ]);
    await waitForRequests(id, [e.alone, e.disabled, e.dependentOtherStreet, e.notVulnerable]);
    // Older facts arriving after newer ones change nothing (the elder stays vulnerable). Markers on each topic (one
    // partition: handled after everything sent before them): an elder registered late, another incident declared.
    const late = unique('E');
    await sender.send(elderTopic.name, [
      resent(elderEvents[3]),
      elderEvent('registered', late, 0, GULOU_COMMUNITY, { livingSituation: 'alone' }),
    ]);
    await waitForRequests(id, [late]);
    const marker = incidentId();
    await sender.send(incidentTopic.name, [declared(marker, [GULOU_COMMUNITY])]);
    await waitForRequests(marker, [e.alone, e.notVulnerable, late]);
    expect(requestedElders(marker)).not.toContain(e.inactiveAlone);

    expectOneRequestPerJob(id);
    expect(requestedElders(id)).toEqual(
      [e.alone, e.disabled, e.dependentOtherStreet, e.notVulnerable, late].sort(),
    );
    const listed = await board(id);
    expect(listed.status).toBe(200);
    expect(listed.body.counts).toEqual({ pending: 5, checkedSafe: 0, needsHelp: 0, unreachable: 0 });
    expect(listed.body.items.map((item: Json) => item.elderId).sort()).toEqual(requestedElders(id));
    expect(listed.body.items.find((item: Json) => item.elderId === e.alone)).toMatchObject({
      checkId: `${id}-W-${e.alone}`,
      jobId: `${id}-W-${e.alone}`,
      community: GULOU_COMMUNITY,
      status: 'pending',
      jobStatus: 'requested',
    });
  });

  it('shows dispatch’s answers on the board and takes results from the holder or a coordinator only', async () => {
    const { e } = await registerElders();
    const id = incidentId();
    await sender.send(incidentTopic.name, [declared(id, [GULOU_STREET], GULOU_STREET)]);
    await waitForRequests(id, [e.alone, e.disabled]);
    const aloneCheck = `${id}-W-${e.alone}`;
    const disabledCheck = `${id}-W-${e.disabled}`;

    await dispatch.accept(aloneCheck, GULOU_COMMUNITY, 'P-holder');
    await dispatch.escalate(disabledCheck, GULOU_COMMUNITY_2);
    const before = (await board(id)).body.counts;
    const answered = await eventually('the board showing dispatch’s answers', async () => {
      const response = await board(id);
      const byElder = new Map<string, Json>(response.body.items.map((item: Json) => [item.elderId, item]));
      return byElder.get(e.alone)?.jobStatus === 'accepted' &&
        byElder.get(e.disabled)?.jobStatus === 'escalated'
        ? byElder
        : undefined;
    });
    expect(answered.get(e.alone)).toMatchObject({ providerId: 'P-holder', status: 'pending' });

    // Another provider of the district may not; one elsewhere does not even see it; an operator may not either.
    const other = await call(
      emergency,
      'POST',
      `/welfare-checks/${aloneCheck}/result`,
      providerUser('P-other'),
      {
        result: 'safe',
      },
    );
    expect(other.status).toBe(403);
    const elsewhere = await call(
      emergency,
      'POST',
      `/welfare-checks/${aloneCheck}/result`,
      providerUser('P-xuanwu', XUANWU),
      { result: 'safe' },
    );
    expect(elsewhere.status).toBe(404);
    const byOperator = await call(emergency, 'POST', `/welfare-checks/${aloneCheck}/result`, operator(), {
      result: 'safe',
    });
    expect(byOperator.status).toBe(403);
    const unknownField = await call(
      emergency,
      'POST',
      `/welfare-checks/${aloneCheck}/result`,
      coordinator(),
      {
        result: 'safe',
        extra: 1,
      },
    );
    expect(unknownField.status).toBe(400);
    const badResult = await call(emergency, 'POST', `/welfare-checks/${aloneCheck}/result`, coordinator(), {
      result: 'fine',
    });
    expect(badResult.status).toBe(400);
    expect(JSON.stringify(badResult.body)).toContain('result');

    // The holder records safe: dispatch hears the job done through emergency.
    const safe = await call(
      emergency,
      'POST',
      `/welfare-checks/${aloneCheck}/result`,
      providerUser('P-holder'),
      {
        result: 'safe',
        note: '已电话确认，人在家中 / reached at home',
      },
    );
    expect(safe.status).toBe(200);
    expect(safe.body).toMatchObject({ checkId: aloneCheck, status: 'checked-safe', result: 'safe' });
    const [reported] = await dispatch.waitFor(jobProgressReported.type, aloneCheck);
    expect(reported.data).toMatchObject({
      providerId: 'P-holder',
      step: 'completed',
      outcome: 'done',
      origin: { service: 'emergency', aggregateId: aloneCheck },
    });
    // The same answer again changes nothing; another one is not the provider's to give.
    const again = await call(
      emergency,
      'POST',
      `/welfare-checks/${aloneCheck}/result`,
      providerUser('P-holder'),
      {
        result: 'safe',
      },
    );
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(safe.body.version);
    const changed = await call(
      emergency,
      'POST',
      `/welfare-checks/${aloneCheck}/result`,
      providerUser('P-holder'),
      { result: 'needs-help' },
    );
    expect(changed.status).toBe(409);

    // A coordinator records for the escalated one (nobody holds it).
    const needsHelp = await call(
      emergency,
      'POST',
      `/welfare-checks/${disabledCheck}/result`,
      coordinator(),
      {
        result: 'needs-help',
      },
    );
    expect(needsHelp.status).toBe(200);

    const after = await board(id);
    expect(after.body.counts).toEqual({
      pending: before.pending - 2,
      checkedSafe: 1,
      needsHelp: 1,
      unreachable: 0,
    });
    const onlySafe = await board(id, '?status=checked-safe');
    expect(onlySafe.body.items.map((item: Json) => item.checkId)).toEqual([aloneCheck]);
    expect(onlySafe.body.total).toBe(1);
    // Another district's coordinator does not see the incident.
    expect((await board(id, '', coordinator(XUANWU))).status).toBe(404);
    expect((await board(id, '?status=done')).status).toBe(400);
  });

  it('withdraws a job when staff find the person safe, and those nobody reported on when the incident closes, once', async () => {
    const { e } = await registerElders();
    const id = incidentId();
    await sender.send(incidentTopic.name, [declared(id, [GULOU_STREET], GULOU_STREET)]);
    await waitForRequests(id, [e.alone, e.disabled]);
    const aloneCheck = `${id}-W-${e.alone}`;
    const disabledCheck = `${id}-W-${e.disabled}`;
    const recorded = await call(emergency, 'POST', `/welfare-checks/${aloneCheck}/result`, coordinator(), {
      result: 'unreachable',
    });
    expect(recorded.status).toBe(200);
    // Found safe by a coordinator's call: nobody needs to go, the job is withdrawn at once.
    const byPhone = unique('E');
    await sender.send(elderTopic.name, [
      elderEvent('registered', byPhone, 0, GULOU_COMMUNITY, { livingSituation: 'alone' }),
    ]);
    await waitForRequests(id, [byPhone]);
    const byPhoneCheck = `${id}-W-${byPhone}`;
    const safe = await call(emergency, 'POST', `/welfare-checks/${byPhoneCheck}/result`, coordinator(), {
      result: 'safe',
    });
    expect(safe.status).toBe(200);
    await dispatch.waitFor(jobCancellationRequested.type, byPhoneCheck);
    expect(dispatch.seen(jobCancellationRequested.type, aloneCheck)).toHaveLength(0);

    const close = closed(id, 1, GULOU_STREET);
    await sender.send(incidentTopic.name, [close]);
    const [withdrawal] = await dispatch.waitFor(jobCancellationRequested.type, disabledCheck);
    expect(withdrawal.data).toMatchObject({
      origin: { service: 'emergency', aggregateId: disabledCheck },
      reason: 'origin-resolved',
    });

    const requestsBefore = requestsOf(id).length;
    // Redelivered close and declaration: no second withdrawal, no new check; a marker after them on the topic.
    await sender.send(incidentTopic.name, [close, declared(id, [GULOU], GULOU)]);
    const marker = incidentId();
    await sender.send(incidentTopic.name, [declared(marker, [GULOU_COMMUNITY])]);
    await waitForRequests(marker, [e.alone]);
    expect(dispatch.seen(jobCancellationRequested.type, aloneCheck)).toHaveLength(0);
    expect(dispatch.seen(jobCancellationRequested.type, byPhoneCheck)).toHaveLength(1);
    expectOneRequestPerJob(id);
    expect(requestsOf(id)).toHaveLength(requestsBefore);
    // Every check still pending had its job withdrawn, once; the statuses stay as recorded.
    const after = await board(id, '', coordinator(GULOU_STREET));
    expect(after.body.counts).toMatchObject({ checkedSafe: 1, needsHelp: 0, unreachable: 1 });
    const pending = after.body.items.filter((item: Json) => item.status === 'pending');
    expect(pending).toHaveLength(after.body.counts.pending);
    await eventually('a withdrawal of every pending check', async () =>
      pending.every((item: Json) => dispatch.seen(jobCancellationRequested.type, item.checkId).length > 0)
        ? true
        : undefined,
    );
    for (const item of pending) {
      expect(dispatch.seen(jobCancellationRequested.type, item.checkId)).toHaveLength(1);
    }
  });
});
