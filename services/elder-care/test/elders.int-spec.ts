// The elder registry against the real Kafka, MongoDB-wire server and Redis: register, read (masked), list,
// change, deactivate and reactivate, who sees what (another district: 404), bad input naming each field, the
// second registration of one person, the community's emergency contact list, and elder.* events read from Kafka.
import { elderTopic, type CloudEvent } from '@linli/contracts';
import { authHeader, EventProbe, type ServiceProcess } from '@linli/testing';
import {
  admin,
  call,
  elderBody,
  GULOU,
  GULOU_COMMUNITY,
  operator,
  startElderCare,
  supervisor,
  uniqueIdentityNumber,
  XUANWU_COMMUNITY,
  type Json,
} from './support';

const TYPE = (name: string) => `linli.elder-care.${name}.v1`;
const XUANWU = '320102';

describe('elder-care: the elder registry', () => {
  let service: ServiceProcess;
  let events: EventProbe;

  beforeAll(async () => {
    // The service creates its topics at start; the probe reads the elder stream from its beginning after.
    service = await startElderCare();
    events = await EventProbe.start({ topic: elderTopic.name });
  });
  afterAll(async () => {
    await events?.stop();
    const code = await service?.stop();
    if (code !== 0 && code !== null && service) process.stderr.write(service.output());
  });

  const eventOf = (elderId: string, type: string) => (event: CloudEvent) =>
    event.type === TYPE(type) && event.subject === elderId;

  async function register(overrides: Json = {}, as = operator()): Promise<Json> {
    const response = await call(service, 'POST', '/elders', as, elderBody(overrides));
    expect(response.status).toBe(201);
    return response.body;
  }

  it('registers an elder, shows personal data masked, and tells the elder stream (no personal data)', async () => {
    const body = elderBody({ hardship: ['low-income', 'disabled'], livingSituation: 'alone' });
    const response = await call(service, 'POST', '/elders', operator(), body);
    expect(response.status).toBe(201);
    const elder = response.body;
    expect(elder.elderId).toMatch(/^E\d{7}$/);
    expect(elder).toMatchObject({
      version: 0,
      name: '王秀英',
      gender: 'female',
      birthDate: '1942-03-15',
      phone: '138****5678',
      community: GULOU_COMMUNITY,
      address: '鼓楼区宁海路…',
      home: { lat: 32.0565, lng: 118.7694 },
      livingSituation: 'alone',
      careLevel: 'partly-dependent',
      hardship: ['low-income', 'disabled'],
      emergencyContacts: [{ name: '李明', relation: 'son', phone: '139****5678' }],
      consentToServices: true,
      status: 'active',
      missedInARow: 0,
      source: 'form',
    });
    const identity = body.identityNumber as string;
    expect(elder.identityNumber).toBe(`${identity.slice(0, 6)}********${identity.slice(-4)}`);

    const read = await call(service, 'GET', `/elders/${elder.elderId}`, supervisor());
    expect(read.status).toBe(200);
    expect(read.body).toEqual(elder);

    const [event] = await events.waitFor(eventOf(elder.elderId, 'elder.registered'));
    expect(event.jurisdiction).toBe(GULOU_COMMUNITY);
    expect(event.data).toEqual({
      elderId: elder.elderId,
      version: 0,
      jurisdiction: GULOU_COMMUNITY,
      status: 'active',
      livingSituation: 'alone',
      careLevel: 'partly-dependent',
      hardship: ['low-income', 'disabled'],
      consentToServices: true,
      source: 'form',
      actorId: 'op-1',
    });
    const wire = JSON.stringify(event);
    for (const secret of [identity, '13812345678', '13912345678', '王秀英', '李明', '宁海路', '1942-03-15']) {
      expect(wire).not.toContain(secret);
    }
  });

  it('gives ids in sequence and refuses the same person twice (409 naming the field and the elder)', async () => {
    const first = await register();
    const second = await register();
    expect(Number(second.elderId.slice(1))).toBeGreaterThan(Number(first.elderId.slice(1)));

    const body = elderBody();
    const registered = await call(service, 'POST', '/elders', operator(), body);
    expect(registered.status).toBe(201);
    const again = await call(service, 'POST', '/elders', supervisor(), {
      ...body,
      identityNumber: (body.identityNumber as string).replace(/X$/, 'x'),
      phone: '13900000000',
    });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.body).toMatchObject({
      status: 409,
      field: 'identityNumber',
      elderId: registered.body.elderId,
    });
  });

  it('names each bad field (400 problem+json)', async () => {
    const cases: [Json, string][] = [
      [{ name: '' }, 'name'],
      [{ gender: 'other' }, 'gender'],
      [{ birthDate: '1942-02-30' }, 'birthDate'],
      [{ identityNumber: '32010619420315' }, 'identityNumber'],
      [{ phone: '12345' }, 'phone'],
      [{ community: '320106001' }, 'community'],
      [{ community: '320106999999' }, 'community'],
      [{ address: '' }, 'address'],
      [{ home: { lat: 95, lng: 118 } }, 'home.lat'],
      [{ livingSituation: 'together' }, 'livingSituation'],
      [{ careLevel: 'fine' }, 'careLevel'],
      [{ hardship: ['poor'] }, 'hardship'],
      [
        { emergencyContacts: [{ name: '李明', relation: 'son', phone: 'none' }] },
        'emergencyContacts.0.phone',
      ],
      [
        {
          emergencyContacts: Array.from({ length: 6 }, () => ({
            name: 'a',
            relation: 'b',
            phone: '13912345678',
          })),
        },
        'emergencyContacts',
      ],
      [{ consentToServices: 'yes' }, 'consentToServices'],
      [{ nickname: 'x' }, 'nickname'],
    ];
    for (const [overrides, field] of cases) {
      const response = await call(service, 'POST', '/elders', operator(), elderBody(overrides));
      expect({ field, status: response.status }).toEqual({ field, status: 400 });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const fields = (response.body.errors as { field: string }[]).map((error) => error.field);
      expect({ field, fields }).toEqual({ field, fields: expect.arrayContaining([field]) });
    }
    const missing = elderBody();
    delete missing.birthDate;
    const withoutBirthDate = await call(service, 'POST', '/elders', operator(), missing);
    expect(withoutBirthDate.status).toBe(400);
    expect(withoutBirthDate.body.errors.map((error: Json) => error.field)).toContain('birthDate');
  });

  it('checks the identity number against the birth date and gender, and the age (400 naming the field)', async () => {
    const body = elderBody();
    const identity = body.identityNumber as string;
    const wrongCheck = identity.slice(0, 17) + (identity[17] === '1' ? '2' : '1');
    const cases: [Json, string, RegExp][] = [
      [{ identityNumber: wrongCheck }, 'identityNumber', /check digit/],
      [{ identityNumber: identity, birthDate: '1942-03-16' }, 'identityNumber', /birth date/],
      [{ identityNumber: identity, gender: 'male' }, 'identityNumber', /gender/],
      [
        { birthDate: '1990-05-05', identityNumber: uniqueIdentityNumber('1990-05-05', 'female') },
        'birthDate',
        /60 or older/,
      ],
    ];
    for (const [overrides, field, message] of cases) {
      const response = await call(service, 'POST', '/elders', operator(), { ...body, ...overrides });
      expect({ field, status: response.status }).toEqual({ field, status: 400 });
      const error = (response.body.errors as { field: string; message: string }[]).find(
        (e) => e.field === field,
      );
      expect(error?.message).toMatch(message);
    }
  });

  it('keeps each district to its own elders: another district gets 404 and an empty list', async () => {
    const elder = await register();
    const xuanwu = operator(XUANWU);
    expect((await call(service, 'GET', `/elders/${elder.elderId}`, xuanwu)).status).toBe(404);
    expect(
      (await call(service, 'PATCH', `/elders/${elder.elderId}`, xuanwu, { careLevel: 'self-care' })).status,
    ).toBe(404);
    expect(
      (await call(service, 'POST', `/elders/${elder.elderId}/deactivate`, xuanwu, { reason: 'moved' }))
        .status,
    ).toBe(404);
    const list = await call(service, 'GET', `/elders?pageSize=100`, xuanwu);
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: Json) => item.elderId)).not.toContain(elder.elderId);

    // Registering into another district's community: 400 naming the field.
    const outside = await call(
      service,
      'POST',
      '/elders',
      operator(),
      elderBody({ community: XUANWU_COMMUNITY }),
    );
    expect(outside.status).toBe(400);
    expect(outside.body.errors).toEqual([
      { field: 'community', message: expect.stringMatching(/jurisdiction/) },
    ]);
    // The province's admin sees it; a provider does not read the registry.
    expect((await call(service, 'GET', `/elders/${elder.elderId}`, admin())).status).toBe(200);
    const provider = authHeader('provider', GULOU, { sub: 'p-user', providerId: 'P1' });
    expect((await call(service, 'GET', `/elders/${elder.elderId}`, provider)).status).toBe(403);
    // A coordinator reads elders but does not register them.
    const coordinator = authHeader('coordinator', GULOU, { sub: 'coord-1' });
    expect((await call(service, 'GET', `/elders/${elder.elderId}`, coordinator)).status).toBe(200);
    expect((await call(service, 'POST', '/elders', coordinator, elderBody())).status).toBe(403);
  });

  it('lists by community prefix, living situation, care level, hardship and status, a page at a time', async () => {
    const marker = 'special-hardship';
    const a = await register({
      hardship: [marker],
      careLevel: 'fully-dependent',
      livingSituation: 'empty-nest',
    });
    const b = await register({
      hardship: [marker],
      careLevel: 'fully-dependent',
      livingSituation: 'empty-nest',
    });
    await register({ hardship: [marker], careLevel: 'self-care', livingSituation: 'empty-nest' });
    const query = `community=${GULOU_COMMUNITY}&hardship=${marker}&careLevel=fully-dependent&livingSituation=empty-nest`;
    const page1 = await call(service, 'GET', `/elders?${query}&page=1&pageSize=1`, operator());
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ page: 1, pageSize: 1 });
    expect(page1.body.total).toBeGreaterThanOrEqual(2);
    const all = await call(service, 'GET', `/elders?${query}&pageSize=100`, operator());
    const ids = all.body.items.map((item: Json) => item.elderId);
    expect(ids).toEqual(expect.arrayContaining([a.elderId, b.elderId]));
    for (const item of all.body.items) {
      expect(item).toMatchObject({ careLevel: 'fully-dependent', livingSituation: 'empty-nest' });
      expect(item.phone).toMatch(/\*{4}/);
    }
    // Beyond MAX_PAGE_SIZE a page is cut to it; beyond the platform's ceiling it is refused.
    const big = await call(service, 'GET', `/elders?pageSize=1000`, operator());
    expect(big.status).toBe(200);
    expect(big.body.pageSize).toBe(100);
    const huge = await call(service, 'GET', `/elders?pageSize=100000`, operator());
    expect(huge.status).toBe(400);
    expect(huge.body.errors).toEqual([expect.objectContaining({ field: 'pageSize' })]);
    expect((await call(service, 'GET', `/elders?status=asleep`, operator())).status).toBe(400);
    const inactive = await call(service, 'GET', `/elders?status=inactive&community=${XUANWU}`, operator());
    expect(inactive.body.items).toEqual([]);
  });

  it('changes the profile with elder.updated (full profile), honours expectedVersion, refuses fixed fields', async () => {
    const elder = await register({ livingSituation: 'with-family' });
    const patched = await call(service, 'PATCH', `/elders/${elder.elderId}`, operator(), {
      livingSituation: 'alone',
      hardship: ['low-income'],
      phone: '025-8359 1234',
      address: '鼓楼区中山路 1 号',
      expectedVersion: 0,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      version: 1,
      livingSituation: 'alone',
      hardship: ['low-income'],
      phone: '025****1234',
      address: '鼓楼区中山路…',
    });
    const [updated] = await events.waitFor(eventOf(elder.elderId, 'elder.updated'));
    expect(updated.data).toEqual({
      elderId: elder.elderId,
      version: 1,
      jurisdiction: GULOU_COMMUNITY,
      status: 'active',
      livingSituation: 'alone',
      careLevel: 'partly-dependent',
      hardship: ['low-income'],
      consentToServices: true,
      actorId: 'op-1',
    });

    const stale = await call(service, 'PATCH', `/elders/${elder.elderId}`, operator(), {
      careLevel: 'self-care',
      expectedVersion: 0,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toEqual({ status: 'active', version: 1 });

    for (const field of ['identityNumber', 'name', 'birthDate', 'gender']) {
      const response = await call(service, 'PATCH', `/elders/${elder.elderId}`, operator(), { [field]: 'x' });
      expect({ field, status: response.status }).toEqual({ field, status: 400 });
      expect(response.body.errors.map((error: Json) => error.field)).toContain(field);
    }
    const moved = await call(service, 'PATCH', `/elders/${elder.elderId}`, operator(), {
      community: XUANWU_COMMUNITY,
    });
    expect(moved.status).toBe(400);
    expect(moved.body.errors[0].field).toBe('community');

    // Consent withdrawn: the profile says so (the planner stops visits on it).
    const withdrawn = await call(service, 'PATCH', `/elders/${elder.elderId}`, supervisor(), {
      consentToServices: false,
    });
    expect(withdrawn.body).toMatchObject({ version: 2, consentToServices: false });
    await events.waitFor((e) => eventOf(elder.elderId, 'elder.updated')(e) && (e.data as Json).version === 2);
    // Nothing changed: no write, no event.
    const same = await call(service, 'PATCH', `/elders/${elder.elderId}`, supervisor(), {
      consentToServices: false,
    });
    expect(same.body.version).toBe(2);
  });

  it('deactivates with a reason and reactivates (409 with the state when already so)', async () => {
    const elder = await register();
    const deactivated = await call(service, 'POST', `/elders/${elder.elderId}/deactivate`, operator(), {
      reason: 'care-home',
    });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body).toMatchObject({ status: 'inactive', inactiveReason: 'care-home', version: 1 });
    const [event] = await events.waitFor(
      (e) => eventOf(elder.elderId, 'elder.updated')(e) && (e.data as Json).status === 'inactive',
    );
    expect(event.data).toMatchObject({ inactiveReason: 'care-home', version: 1 });

    const twice = await call(service, 'POST', `/elders/${elder.elderId}/deactivate`, operator(), {
      reason: 'moved',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.current).toEqual({ status: 'inactive', version: 1 });
    const badReason = await call(service, 'POST', `/elders/${elder.elderId}/deactivate`, operator(), {
      reason: 'bored',
    });
    expect(badReason.status).toBe(400);
    expect(badReason.body.errors[0].field).toBe('reason');

    const inactiveList = await call(service, 'GET', `/elders?status=inactive&pageSize=100`, operator());
    expect(inactiveList.body.items.map((item: Json) => item.elderId)).toContain(elder.elderId);

    const reactivated = await call(service, 'POST', `/elders/${elder.elderId}/reactivate`, operator());
    expect(reactivated.status).toBe(200);
    expect(reactivated.body).toMatchObject({ status: 'active', version: 2 });
    expect(reactivated.body.inactiveReason).toBeUndefined();
    await events.waitFor((e) => eventOf(elder.elderId, 'elder.updated')(e) && (e.data as Json).version === 2);
    expect((await call(service, 'POST', `/elders/${elder.elderId}/reactivate`, operator())).status).toBe(409);
    expect((await call(service, 'GET', '/elders/E9999999', operator())).status).toBe(404);
  });

  it("keeps a community's emergency contact list (supervisors write it, staff read it, full phones)", async () => {
    const path = `/communities/${GULOU_COMMUNITY}/emergency-contacts`;
    const empty = await call(service, 'GET', `/communities/320106001001/emergency-contacts`, operator());
    expect([200, 404]).toContain(empty.status);

    const contacts = [
      { name: '张主任', role: '社区主任', phone: '13800001111' },
      { name: '网格员小刘', role: '网格员', phone: '025-83590000' },
    ];
    const saved = await call(service, 'PUT', path, supervisor(), { contacts });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      community: GULOU_COMMUNITY,
      contacts: [contacts[0], { ...contacts[1], phone: '02583590000' }],
    });
    expect(typeof saved.body.updatedAt).toBe('string');
    const read = await call(service, 'GET', path, operator());
    expect(read.body).toEqual(saved.body);

    expect((await call(service, 'PUT', path, operator(), { contacts })).status).toBe(403);
    expect((await call(service, 'PUT', path, supervisor(XUANWU), { contacts })).status).toBe(404);
    expect((await call(service, 'GET', path, operator(XUANWU))).status).toBe(404);
    const none = await call(service, 'PUT', path, supervisor(), { contacts: [] });
    expect(none.status).toBe(400);
    expect(none.body.errors[0].field).toBe('contacts');
    const badPhone = await call(service, 'PUT', path, supervisor(), {
      contacts: [{ name: '张', role: '主任', phone: 'x' }],
    });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.errors[0].field).toBe('contacts.0.phone');
    expect(
      (await call(service, 'PUT', `/communities/320106/emergency-contacts`, admin(), { contacts })).status,
    ).toBe(404);
  });
});
