// Welfare checks end to end (issue 6): elder-care registers elders in 宁海路街道 and the next street, some vulnerable
// (living alone, disabled, fully dependent), some not; a coordinator declares an incident for two communities of the
// street, enlarges it to the whole street and updates it twice more. Every vulnerable resident of the area then has
// exactly one high-priority welfare-check job in dispatch and a pending row on the coordinator's board; nobody else
// has one. A provider accepts one check and records the elder safe: the board says checked-safe. notifications
// (started without WEBHOOK_ALLOWED_PRIVATE_TARGETS) refuses webhooks to loopback and private addresses.
import { jobTopic } from '@linli/contracts';
import { EventProbe, type ServiceProcess } from '@linli/testing';
import {
  admin,
  call,
  coordinator,
  elderRegistration,
  eventually,
  GULOU,
  HUAQIAO_ROAD_COMMUNITIES,
  NINGHAI_ROAD_COMMUNITIES,
  NINGHAI_ROAD_STREET,
  operator,
  providerUser,
  readWhen,
  startServices,
  supervisor,
  uniqueId,
  type Json,
} from './support/linli';

const [XIANXIA, SUZHOU, YIHE] = NINGHAI_ROAD_COMMUNITIES;

interface Elder {
  name: string;
  community: string;
  profile: Record<string, unknown>;
  vulnerable: boolean;
  elderId?: string;
}

describe('emergency: one welfare check per vulnerable resident of the area, however the incident changes', () => {
  /** emergency with dispatch and elder-care; notifications (for the webhooks) is started by its own test below. */
  let platform: { emergency: ServiceProcess; dispatch: ServiceProcess; elderCare: ServiceProcess };
  let all: ServiceProcess[] = [];
  let jobs: EventProbe;
  let providerId: string;
  let incidentId: string;
  const elders: Elder[] = [
    // 仙霞路 and 苏州路: the incident's first two communities.
    { name: 'alone', community: XIANXIA, profile: { livingSituation: 'alone' }, vulnerable: true },
    {
      name: 'disabled, with family',
      community: XIANXIA,
      profile: { livingSituation: 'with-family', careLevel: 'self-care', hardship: ['disabled'] },
      vulnerable: true,
    },
    {
      name: 'fully dependent, with family',
      community: SUZHOU,
      profile: { livingSituation: 'with-family', careLevel: 'fully-dependent', hardship: [] },
      vulnerable: true,
    },
    {
      name: 'self-care, with family',
      community: SUZHOU,
      profile: { livingSituation: 'with-family', careLevel: 'self-care', hardship: [] },
      vulnerable: false,
    },
    // 颐和路: in the street, added when the area is enlarged.
    { name: 'alone (enlarged)', community: YIHE, profile: { livingSituation: 'alone' }, vulnerable: true },
    {
      name: 'empty nest, low income',
      community: YIHE,
      profile: { livingSituation: 'empty-nest', careLevel: 'partly-dependent', hardship: ['low-income'] },
      vulnerable: false,
    },
    // 华侨路街道: outside the area however it grows.
    {
      name: 'alone, next street',
      community: HUAQIAO_ROAD_COMMUNITIES[0],
      profile: { livingSituation: 'alone' },
      vulnerable: true,
    },
  ];
  const checkIdOf = (elder: Elder) => `${incidentId}-W-${elder.elderId}`;
  const inArea = (communities: readonly string[]) =>
    elders.filter((e) => e.vulnerable && communities.includes(e.community));

  async function boardWhen(predicate: (board: Json) => boolean, what: string): Promise<Json> {
    return readWhen(
      platform.emergency,
      `/incidents/${incidentId}/welfare-checks`,
      coordinator,
      predicate,
      `the welfare board of ${incidentId} ${what}`,
      30_000,
    );
  }
  const checkIds = (board: Json) => (board.items as Json[]).map((item) => item.checkId as string).sort();

  async function update(body: Record<string, unknown>, path = 'updates'): Promise<Json> {
    const reply = await call(
      platform.emergency,
      'POST',
      `/incidents/${incidentId}/${path}`,
      coordinator,
      body,
    );
    if (reply.status !== 200 && reply.status !== 201)
      throw new Error(`${path} refused: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  beforeAll(async () => {
    all = await startServices(['emergency', 'dispatch', 'elder-care']);
    const [emergency, dispatch, elderCare] = all as [ServiceProcess, ServiceProcess, ServiceProcess];
    platform = { emergency, dispatch, elderCare };
    jobs = await EventProbe.start({ topic: jobTopic.name });
    providerId = uniqueId('prv');
    const provider = await call(platform.dispatch, 'POST', '/providers', supervisor, {
      providerId,
      name: '宁海路街道志愿服务队',
      kind: 'volunteer',
      skills: ['welfare-check'],
      serviceAreas: [GULOU],
      capacity: 20,
      available: true,
      jurisdiction: GULOU,
    });
    expect(provider.status).toBe(201);
    // The elders first: emergency learns who is vulnerable from elder-care's events before the incident.
    for (const elder of elders) {
      const reply = await call(
        platform.elderCare,
        'POST',
        '/elders',
        operator,
        elderRegistration({ community: elder.community, ...elder.profile }),
      );
      if (reply.status !== 201)
        throw new Error(`elder ${elder.name} not registered: ${reply.status} ${JSON.stringify(reply.body)}`);
      elder.elderId = reply.body.elderId as string;
    }
  });
  afterAll(async () => {
    await jobs?.stop();
    await Promise.all(all.map((service) => service.stop()));
  });

  it('checks on every vulnerable resident once: declared for two communities, enlarged to the street, updated twice', async () => {
    const declared = await call(platform.emergency, 'POST', '/incidents', coordinator, {
      kind: 'gas-leak',
      severity: 'severe',
      title: '宁海路燃气管道泄漏',
      description: '施工挖断中压燃气管道，仙霞路、苏州路社区部分楼栋需疏散',
      areas: [XIANXIA, SUZHOU],
    });
    expect(declared.status).toBe(201);
    incidentId = declared.body.incidentId as string;
    expect(declared.body.jurisdiction).toBe(NINGHAI_ROAD_STREET);

    const firstTwo = inArea([XIANXIA, SUZHOU]).map(checkIdOf).sort();
    const first = await boardWhen(
      (b) => b.items.length >= firstTwo.length,
      `lists ${firstTwo.length} checks`,
    );
    expect(checkIds(first)).toEqual(firstTwo);

    // The area grows to the whole street: the new community's vulnerable residents too, nobody twice.
    const enlarged = await update({
      areas: [NINGHAI_ROAD_STREET],
      description: '泄漏范围扩大至宁海路街道全域',
    });
    expect(enlarged.areas).toEqual([NINGHAI_ROAD_STREET]);
    const street = inArea([...NINGHAI_ROAD_COMMUNITIES])
      .map(checkIdOf)
      .sort();
    await boardWhen((b) => b.items.length >= street.length, `lists ${street.length} checks`);

    // Two more updates: the severity, then the incident activated.
    const severer = await update({ severity: 'extreme' });
    expect(severer.severity).toBe('extreme');
    const active = await update({}, 'activate');
    expect(active.status).toBe('active');
    expect(active.history.length).toBeGreaterThanOrEqual(4);

    // Give the updates' events time to be consumed (a second sweep would show here), then count.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const board = await boardWhen(() => true, 'is read');
    expect(checkIds(board)).toEqual(street);
    expect(board.counts).toMatchObject({
      pending: street.length,
      checkedSafe: 0,
      needsHelp: 0,
      unreachable: 0,
    });
    for (const item of board.items as Json[]) {
      expect(item).toMatchObject({ status: 'pending', jobId: item.checkId });
    }

    // dispatch: one job per check, high priority, and no other welfare-check job.
    for (const checkId of street) {
      const reply = await call(platform.dispatch, 'GET', `/jobs?origin=${checkId}`, supervisor);
      expect(reply.status).toBe(200);
      expect({ checkId, jobs: reply.body.items.length }).toEqual({ checkId, jobs: 1 });
      expect(reply.body.items[0]).toMatchObject({
        jobId: checkId,
        category: 'emergency',
        skill: 'welfare-check',
        priority: 'immediate',
        origin: { service: 'emergency', aggregateId: checkId },
      });
    }
    const all = await call(platform.dispatch, 'GET', '/jobs?skill=welfare-check&pageSize=100', supervisor);
    expect(all.status).toBe(200);
    expect((all.body.items as Json[]).map((job) => job.jobId).sort()).toEqual(street);
    // On the wire: one job.requested per check, none for anyone else.
    const requested = jobs.events.filter(
      (event) =>
        event.type === 'linli.dispatch.job.requested.v1' &&
        (event.data as Json).origin?.service === 'emergency',
    );
    expect(requested.map((event) => (event.data as Json).jobId).sort()).toEqual(street);
  });

  it('shows a check the provider holding its job records safe as checked-safe', async () => {
    const [elder] = inArea([XIANXIA]);
    const checkId = checkIdOf(elder as Elder);
    const provider = providerUser(providerId);
    await eventually(`job ${checkId} offered to ${providerId}`, async () => {
      const reply = await call(platform.dispatch, 'GET', '/jobs/offered', provider);
      return reply.status === 200 && reply.body.items.some((job: Json) => job.jobId === checkId)
        ? true
        : undefined;
    });
    const accepted = await call(platform.dispatch, 'POST', `/jobs/${checkId}/accept`, provider);
    expect(accepted.status).toBe(200);
    await boardWhen(
      (b) =>
        b.items.some(
          (i: Json) => i.checkId === checkId && i.jobStatus === 'accepted' && i.providerId === providerId,
        ),
      `shows ${checkId} accepted by ${providerId}`,
    );

    const result = await call(platform.emergency, 'POST', `/welfare-checks/${checkId}/result`, provider, {
      result: 'safe',
      note: '已上门，老人安全，已关闭燃气总阀',
    });
    expect([200, 201]).toContain(result.status);
    expect(result.body).toMatchObject({ checkId, status: 'checked-safe' });

    // A check whose job nobody of theirs holds: the provider may not record it; the coordinator may.
    const [, other] = inArea([XIANXIA]);
    const otherId = checkIdOf(other as Elder);
    const refused = await call(platform.emergency, 'POST', `/welfare-checks/${otherId}/result`, provider, {
      result: 'safe',
    });
    expect([403, 404]).toContain(refused.status);
    const byCoordinator = await call(
      platform.emergency,
      'POST',
      `/welfare-checks/${otherId}/result`,
      coordinator,
      {
        result: 'needs-help',
        note: '电话无人接听后上门，老人行动不便需协助转移',
      },
    );
    expect([200, 201]).toContain(byCoordinator.status);

    const board = await boardWhen(
      (b) => b.counts.checkedSafe === 1 && b.counts.needsHelp === 1,
      'counts one safe and one needing help',
    );
    expect(board.items.find((i: Json) => i.checkId === checkId)).toMatchObject({
      status: 'checked-safe',
      result: 'safe',
      providerId,
    });
    expect(board.items.find((i: Json) => i.checkId === otherId)).toMatchObject({ status: 'needs-help' });
    expect(board.counts.pending).toBe(board.items.length - 2);
  });

  describe('notifications, started without WEBHOOK_ALLOWED_PRIVATE_TARGETS', () => {
    let notifications: ServiceProcess | undefined;
    beforeAll(async () => {
      [notifications] = await startServices(['notifications'], { WEBHOOK_ALLOWED_PRIVATE_TARGETS: '' });
    });
    afterAll(() => notifications?.stop());

    it('refuses webhooks to loopback and private addresses', async () => {
      for (const url of ['http://127.0.0.1:8080/hook', 'https://10.0.0.1/alerts']) {
        const reply = await call(notifications as ServiceProcess, 'POST', '/webhooks', admin, {
          url,
          description: '街道应急指挥平台',
        });
        expect({ url, status: reply.status }).toEqual({ url, status: 400 });
        expect(reply.headers.get('content-type')).toMatch(/application\/problem\+json/);
        expect(reply.body.errors).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ field: 'url', message: expect.stringMatching(/private|loopback/) }),
          ]),
        );
      }
    });
  });
});
