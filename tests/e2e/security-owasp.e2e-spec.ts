// What must hold against the OWASP API Security Top 10 (2023), on every service running as a process: object-level
// authorisation (API1), authentication (API2), property-level authorisation, mass assignment and masking (API3),
// resource consumption (API4), injection of MongoDB operators (API8, with API10's unsafe consumption of input in
// mind) and server-side request forgery (API7). One platform start for all of them.
//
// The gateway runs in front of them, for what only it can do (a refresh token used twice).
//
// Elsewhere: function-level authorisation, the route-by-role matrix (API5), is tests/e2e/security-route-matrix;
// floods from one user (API4) are the gateway's edge tests (services/gateway/test/edge.int-spec.ts); lockout and
// the rest of sign-in are the identity tests' (services/gateway/test/identity.int-spec.ts).
import { DEV_TOKEN_SETTINGS } from '@linli/auth';
import { authHeader, postOversized, type ServiceProcess } from '@linli/testing';
import jwt from 'jsonwebtoken';
import {
  admin,
  call,
  coordinator,
  callWithToken,
  elderRegistration,
  eventually,
  GATEWAY_ADMIN_PASSWORD,
  GULOU,
  hotlineTicket,
  mediatorUser,
  MEIYUAN,
  NINGHAI_ROAD_STREET,
  operator,
  signIn,
  startGatewayPlatform,
  supervisor,
  uniqueId,
  uniquePhone,
  XIANXIA_ROAD,
  type Caller,
  type GatewayPlatform,
  type Json,
  type Reply,
} from './support/linli';

const XUANWU = '320102';
const PROBLEM = 'application/problem+json';

/** The same roles in Xuanwu, a district that is not Gulou's. */
const elsewhere = {
  operator: { role: 'operator', jurisdiction: XUANWU, sub: 'op-xuanwu-1' },
  supervisor: { role: 'supervisor', jurisdiction: XUANWU, sub: 'sup-xuanwu-1' },
  coordinator: { role: 'coordinator', jurisdiction: XUANWU, sub: 'coord-xuanwu-1' },
} satisfies Record<string, Caller>;
const home: Record<keyof typeof elsewhere, Caller> = { operator, supervisor, coordinator };

/** Staff of 仙霞路社区 itself: the elder's own community. */
const communityOperator: Caller = { role: 'operator', jurisdiction: XIANXIA_ROAD, sub: 'op-xianxia-1' };
const auditor: Caller = { role: 'auditor', jurisdiction: '3201', sub: 'auditor-nj' };

const NAMES = [
  'resident-requests',
  'dispatch',
  'elder-care',
  'mediation',
  'emergency',
  'notifications',
] as const;
type Name = (typeof NAMES)[number];

/** A list route of each service that needs a verified caller (supervisors may read it). */
const PROTECTED: Record<Name, string> = {
  'resident-requests': '/tickets',
  dispatch: '/jobs',
  'elder-care': '/elders',
  mediation: '/cases',
  emergency: '/incidents',
  notifications: '/contacts',
};

/** Members of a problem document (RFC 9457 and Linli's extensions), which a 404 may share with an object. */
const PROBLEM_KEYS = new Set([
  'type',
  'title',
  'status',
  'detail',
  'instance',
  'correlationId',
  'resource',
  'id',
]);

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

function expectProblem(reply: Reply, status: number): void {
  expect({ status: reply.status, type: reply.headers.get('content-type') }).toEqual({
    status,
    type: expect.stringContaining(PROBLEM),
  });
}

function fieldsOf(reply: Reply): string[] {
  return ((reply.body?.errors ?? []) as Json[]).map((error) => error.field as string);
}

describe('OWASP API Security Top 10: what must hold on every service', () => {
  let platform: GatewayPlatform;
  let service: Record<Name, ServiceProcess>;
  const the: Record<string, { name: Name; path: string; secret: string }> = {};
  let ticket: Json;
  let elder: Json;
  let caseView: Json;
  let holder: Caller;
  let applicantPhone: string;
  let subscription: Json;
  let subscriberPhone: string;

  beforeAll(async () => {
    platform = await startGatewayPlatform(NAMES);
    service = platform.services as Record<Name, ServiceProcess>;

    // One object of each kind in Gulou, each carrying a text only its own readers should ever see.
    const created = await call(service['resident-requests'], 'POST', '/tickets', operator, hotlineTicket());
    expect(created.status).toBe(201);
    ticket = created.body;
    the['ticket'] = {
      name: 'resident-requests',
      path: `/tickets/${ticket.ticketId}`,
      secret: ticket.description,
    };

    const registration = elderRegistration({
      phone: uniquePhone(),
      address: '鼓楼区宁海路 12 号 3 单元 502',
    });
    const registered = await call(service['elder-care'], 'POST', '/elders', operator, registration);
    expect(registered.status).toBe(201);
    elder = { ...registered.body, registration };
    the['elder'] = { name: 'elder-care', path: `/elders/${elder.elderId}`, secret: '鼓楼区宁海路' };

    const dueAt = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString();
    const visit = await call(service['elder-care'], 'POST', `/elders/${elder.elderId}/visits`, operator, {
      service: 'companionship',
      dueAt,
    });
    expect(visit.status).toBe(201);
    the['visit'] = { name: 'elder-care', path: `/visits/${visit.body.visitId}`, secret: XIANXIA_ROAD };

    holder = mediatorUser(uniqueId('med'));
    const parties = [
      { role: 'applicant', name: '王秀英', phone: uniquePhone() },
      { role: 'respondent', name: '李建国', phone: uniquePhone() },
    ];
    applicantPhone = parties[0]!.phone;
    const opened = await call(service.mediation, 'POST', '/cases', holder, {
      caseType: 'neighbour',
      communityCode: XIANXIA_ROAD,
      description: '楼上邻居装修噪音扰民，双方多次争吵',
      parties,
    });
    expect(opened.status).toBe(201);
    caseView = opened.body;
    the['case'] = { name: 'mediation', path: `/cases/${caseView.caseId}`, secret: '李建国' };

    const declared = await call(service.emergency, 'POST', '/incidents', coordinator, {
      kind: 'flood',
      severity: 'severe',
      title: '宁海路街道内涝（安全测试）',
      description: '强降雨导致多处积水',
      areas: [NINGHAI_ROAD_STREET],
    });
    expect(declared.status).toBe(201);
    const incidentId = declared.body.incidentId as string;
    the['incident'] = { name: 'emergency', path: `/incidents/${incidentId}`, secret: '安全测试' };
    const issued = await call(service.emergency, 'POST', `/incidents/${incidentId}/alerts`, coordinator, {
      audiences: ['providers'],
      headline: '宁海路街道内涝预警（安全测试）',
      description: '预计未来3小时仍有强降雨。',
      instruction: '请远离低洼地带。',
      urgency: 'immediate',
      severity: 'severe',
      certainty: 'observed',
      response: 'evacuate',
    });
    expect(issued.status).toBe(201);
    the['alert'] = { name: 'emergency', path: `/alerts/${issued.body.alertId}`, secret: '安全测试' };

    subscriberPhone = uniquePhone();
    const subscribed = await call(service.notifications, 'POST', '/subscriptions', operator, {
      community: XIANXIA_ROAD,
      phone: subscriberPhone,
    });
    expect(subscribed.status).toBe(201);
    subscription = subscribed.body;
    the['contact'] = {
      name: 'notifications',
      path: `/contacts/${subscription.subscriptionId}`,
      secret: subscription.phone,
    };

    the['ticket contact'] = { ...the['ticket']!, path: `${the['ticket']!.path}/contact` };
    the['elder’s visits list'] = { ...the['elder']!, path: `${the['elder']!.path}/visits` };
    const providerId = uniqueId('prv');
    const provider = await call(service.dispatch, 'POST', '/providers', supervisor, {
      providerId,
      name: '鼓楼维修服务队（安全测试）',
      kind: 'community',
      skills: ['repair'],
      serviceAreas: [GULOU],
      capacity: 1,
      available: true,
      jurisdiction: GULOU,
    });
    expect({ status: provider.status, body: provider.body }).toMatchObject({ status: 201 });
    the['provider'] = { name: 'dispatch', path: `/providers/${providerId}`, secret: '安全测试' };

    // The ticket's job, once dispatch has taken its job.requested.
    const jobId = ticket.jobId as string;
    await eventually(`job ${jobId} in dispatch`, async () => {
      const reply = await call(service.dispatch, 'GET', `/jobs/${jobId}`, supervisor);
      return reply.status === 200 ? reply.body : undefined;
    });
    the['job'] = { name: 'dispatch', path: `/jobs/${jobId}`, secret: 'resident-requests' };
  });

  afterAll(async () => {
    await platform?.stop();
  });

  describe('API1 broken object-level authorisation', () => {
    it.each([
      'ticket',
      'ticket contact',
      'job',
      'provider',
      'elder',
      'elder’s visits list',
      'visit',
      'case',
      'incident',
      'alert',
      'contact',
    ])(
      'Gulou’s %s asked by id from Xuanwu is 404 (never 403 for existence, never the object)',
      async (kind) => {
        const { name, path, secret } = the[kind]!;
        let seen = 0;
        for (const role of Object.keys(elsewhere) as (keyof typeof elsewhere)[]) {
          const mine = await call(service[name], 'GET', path, home[role]);
          const theirs = await call(service[name], 'GET', path, elsewhere[role]);
          expect(JSON.stringify(theirs.body ?? '')).not.toContain(secret);
          if (mine.status === 200) {
            seen += 1;
            expect({ role, status: theirs.status }).toEqual({ role, status: 404 });
            // A problem document and nothing of the object beyond the id that was asked for.
            const leaked = Object.keys(mine.body).filter(
              (key) => key in theirs.body && !PROBLEM_KEYS.has(key),
            );
            expect({ role, leaked }).toEqual({ role, leaked: [] });
          } else {
            // The role may not read this at all: the same refusal in both districts, which tells nothing.
            expect({ role, status: theirs.status }).toEqual({ role, status: mine.status });
          }
        }
        expect(seen).toBeGreaterThan(0);
      },
    );

    it('commands on another district’s objects are 404 and change nothing', async () => {
      const commands: [Name, string, Caller, unknown][] = [
        [
          'resident-requests',
          `/tickets/${ticket.ticketId}/cancel`,
          elsewhere.operator,
          { reason: 'invalid' },
        ],
        ['elder-care', `/elders/${elder.elderId}`, elsewhere.operator, { livingSituation: 'with-family' }],
        ['mediation', `/cases/${caseView.caseId}/assign`, elsewhere.supervisor, { mediatorId: 'med-x' }],
        ['emergency', `${the['incident']!.path}/close`, elsewhere.coordinator, { reason: 'false-alarm' }],
      ];
      for (const [name, path, caller, body] of commands) {
        const method = path.startsWith('/elders/') ? 'PATCH' : 'POST';
        const reply = await call(service[name], method, path, caller, body);
        expect({ path, status: reply.status }).toEqual({ path, status: 404 });
      }
      const after = await call(service['resident-requests'], 'GET', the['ticket']!.path, operator);
      expect(after.body.status).toBe(ticket.status);
      const elderAfter = await call(service['elder-care'], 'GET', the['elder']!.path, supervisor);
      expect(elderAfter.body).toMatchObject({ version: elder.version, livingSituation: 'alone' });
      const incidentAfter = await call(service.emergency, 'GET', the['incident']!.path, coordinator);
      expect(incidentAfter.body.status).not.toBe('closed');
    });
  });

  describe('API2 broken authentication', () => {
    const claims = { roles: ['supervisor'], jurisdiction: GULOU };
    const now = Math.floor(Date.now() / 1000);
    const settings = DEV_TOKEN_SETTINGS;
    const unsigned = (payload: object) =>
      [{ alg: 'none', typ: 'JWT' }, payload]
        .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
        .join('.') + '.';
    const tokens: [string, string | undefined][] = [
      ['no token', undefined],
      [
        'an expired token',
        jwt.sign({ ...claims, iat: now - 3600, exp: now - 60 }, settings.secret, {
          algorithm: 'HS256',
          issuer: settings.issuer,
          subject: 'sup-gulou-1',
        }),
      ],
      [
        'a token signed with another key',
        jwt.sign(claims, 'not-the-platform-secret-but-long-enough-0123456789', {
          algorithm: 'HS256',
          issuer: settings.issuer,
          subject: 'sup-gulou-1',
          expiresIn: 600,
        }),
      ],
      [
        'an alg:none token',
        unsigned({ ...claims, sub: 'sup-gulou-1', iss: settings.issuer, iat: now, exp: now + 600 }),
      ],
      [
        'a token of another issuer',
        jwt.sign(claims, settings.secret, {
          algorithm: 'HS256',
          issuer: 'https://issuer.example.com',
          subject: 'sup-gulou-1',
          expiresIn: 600,
        }),
      ],
    ];

    it.each(tokens)('%s is refused with 401 by every service', async (_, token) => {
      for (const name of NAMES) {
        const response = await fetch(service[name].url + PROTECTED[name], {
          headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        });
        expect({ name, status: response.status }).toEqual({ name, status: 401 });
        expect(response.headers.get('content-type')).toContain(PROBLEM);
        expect(JSON.stringify(await response.json())).not.toMatch(/items/);
      }
    });

    it('a refresh token used twice is refused and ends the session, at the gateway', async () => {
      const { gateway } = platform;
      const first = await signIn(gateway, 'admin', GATEWAY_ADMIN_PASSWORD);
      const tickets = '/api/resident-requests/tickets';
      expect((await callWithToken(gateway, 'GET', tickets, first.accessToken)).status).toBe(200);
      const refresh = (refreshToken: string) =>
        callWithToken(gateway, 'POST', '/auth/refresh', undefined, { refreshToken });
      const second = await refresh(first.refreshToken);
      expect(second.status).toBe(200);
      expectProblem(await refresh(first.refreshToken), 401);
      // The reuse revoked the whole session: the newer refresh token and the access tokens go with it.
      expectProblem(await refresh(second.body.refreshToken), 401);
      expectProblem(await callWithToken(gateway, 'GET', tickets, second.body.accessToken), 401);
      expectProblem(await callWithToken(gateway, 'GET', tickets, 'not-a-token'), 401);
    });

    it('while a valid token of the same claims is served', async () => {
      for (const name of NAMES) {
        const reply = await call(service[name], 'GET', PROTECTED[name], supervisor);
        expect({ name, status: reply.status }).toEqual({ name, status: 200 });
      }
    });
  });

  describe('API3 broken object property-level authorisation', () => {
    const bodies = (): [Name, string, Caller, Record<string, unknown>, string][] => [
      ['resident-requests', '/tickets', operator, hotlineTicket(), '/tickets'],
      ['elder-care', '/elders', operator, elderRegistration(), '/elders'],
      [
        'mediation',
        '/cases',
        operator,
        {
          caseType: 'neighbour',
          communityCode: XIANXIA_ROAD,
          description: '邻里纠纷',
          parties: [{ role: 'applicant', name: '王秀英', phone: uniquePhone() }],
        },
        '/cases',
      ],
      [
        'emergency',
        '/incidents',
        coordinator,
        { kind: 'flood', severity: 'minor', title: '积水', description: '积水', areas: [XIANXIA_ROAD] },
        '/incidents',
      ],
    ];
    const assigned: [string, unknown][] = [
      ['status', 'closed'],
      ['jurisdiction', '32'],
      ['createdBy', 'someone-else'],
    ];

    it('mass assignment of status, jurisdiction or createdBy on create is 400 naming the field, nothing created', async () => {
      for (const [name, path, caller, body, list] of bodies()) {
        const before = await call(service[name], 'GET', list, supervisor);
        expect(before.status).toBe(200);
        for (const [field, value] of assigned) {
          const reply = await call(service[name], 'POST', path, caller, { ...body, [field]: value });
          expectProblem(reply, 400);
          expect({ name, field, fields: fieldsOf(reply) }).toEqual({
            name,
            field,
            fields: expect.arrayContaining([field]),
          });
        }
        const after = await call(service[name], 'GET', list, supervisor);
        expect({ name, total: after.body.total }).toEqual({ name, total: before.body.total });
      }
    });

    it('a ticket’s contact is whole to the handling operator, masked to supervisors, admins and every list', async () => {
      const phone = ticket.reporter.phone as string;
      const requests = service['resident-requests'];
      const byOperator = await call(requests, 'GET', the['ticket']!.path, operator);
      expect(byOperator.body.reporter.phone).toBe(phone);
      expect(byOperator.body.place.address).toBe('仙霞路 12 号 3 单元 502 室');
      for (const overseer of [supervisor, admin]) {
        const view = await call(requests, 'GET', the['ticket']!.path, overseer);
        expect(view.body.reporter.phone).toBe(masked(phone));
        expect(view.body.place.address).toBe('仙霞路…');
        const contact = await call(requests, 'GET', `${the['ticket']!.path}/contact`, overseer);
        expect(contact.body).toMatchObject({ phone: masked(phone), address: '仙霞路…' });
      }
      const contact = await call(requests, 'GET', `${the['ticket']!.path}/contact`, operator);
      expect(contact.body.phone).toBe(phone);
      const list = await call(requests, 'GET', '/tickets', operator);
      const listed = (list.body.items as Json[]).find((item) => item.ticketId === ticket.ticketId);
      expect(listed.place.address).toBe('仙霞路…');
      expect(JSON.stringify(list.body)).not.toContain(phone);
      expect((await call(requests, 'GET', the['ticket']!.path, auditor)).status).toBe(403);
    });

    it('an elder is whole to the staff of its own community only', async () => {
      const { registration } = elder as { registration: Record<string, string> };
      const whole = await call(service['elder-care'], 'GET', the['elder']!.path, communityOperator);
      expect(whole.status).toBe(200);
      expect(whole.body).toMatchObject({
        phone: registration['phone'],
        identityNumber: registration['identityNumber'],
        address: registration['address'],
      });
      for (const reader of [operator, supervisor, coordinator, admin]) {
        const view = await call(service['elder-care'], 'GET', the['elder']!.path, reader);
        expect(view.body).toMatchObject({ phone: masked(registration['phone']!), address: '鼓楼区宁海路…' });
        expect(view.body.identityNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      }
      const list = await call(service['elder-care'], 'GET', '/elders', communityOperator);
      expect(JSON.stringify(list.body)).not.toContain(registration['phone']);
    });

    it('a case’s parties are whole to the mediator holding it; supervisors see names, not phones', async () => {
      const mine = await call(service.mediation, 'GET', the['case']!.path, holder);
      expect(mine.body.parties[0]).toMatchObject({ name: '王秀英', phone: applicantPhone });
      const overseen = await call(service.mediation, 'GET', the['case']!.path, supervisor);
      expect(overseen.body.parties[0]).toMatchObject({ name: '王秀英', phone: masked(applicantPhone) });
      const byOperator = await call(service.mediation, 'GET', the['case']!.path, operator);
      expect(byOperator.body.parties[0]).toMatchObject({ name: '王**', phone: masked(applicantPhone) });
    });

    it('notifications, dispatch and emergency answer no whole phone to anyone', async () => {
      expect(subscription.phone).toBe(masked(subscriberPhone));
      for (const reader of [coordinator, supervisor, admin]) {
        const reply = await call(service.notifications, 'GET', the['contact']!.path, reader);
        expect(reply.status).toBe(200);
        expect(JSON.stringify(reply.body)).not.toContain(subscriberPhone);
      }
      const job = await call(service.dispatch, 'GET', the['job']!.path, supervisor);
      expect(JSON.stringify(job.body)).not.toContain(ticket.reporter.phone);
      const incident = await call(service.emergency, 'GET', the['incident']!.path, coordinator);
      expect(JSON.stringify(incident.body)).not.toMatch(/1[3-9]\d{9}/);
    });
  });

  describe('API4 unrestricted resource consumption', () => {
    it('an oversized body is 413 problem+json on every service', async () => {
      const body = JSON.stringify({ description: 'a'.repeat(10 * 1_000_000) });
      for (const name of NAMES) {
        const reply = await postOversized(
          service[name],
          PROTECTED[name],
          authHeader('admin', '32', { sub: 'admin-1' }),
          body,
        );
        expect({ name, status: reply.status }).toEqual({ name, status: 413 });
        expect(reply.headers.get('content-type')).toContain(PROBLEM);
      }
    });

    it('pageSize=100000 is 400 naming pageSize on every list', async () => {
      for (const name of NAMES) {
        const reply = await call(service[name], 'GET', `${PROTECTED[name]}?pageSize=100000`, supervisor);
        expectProblem(reply, 400);
        expect({ name, fields: fieldsOf(reply) }).toEqual({ name, fields: ['pageSize'] });
      }
    });
  });

  describe('API8 injection: MongoDB operators never reach a query', () => {
    it('an operator in a JSON body is 400 naming the field, on every service', async () => {
      const posts: [Name, string, Caller, Record<string, unknown>, string][] = [
        [
          'resident-requests',
          '/tickets',
          operator,
          hotlineTicket({ reporter: { phone: { $gt: '' } } }),
          'reporter.phone',
        ],
        ['elder-care', '/elders', operator, elderRegistration({ phone: { $gt: '' } }), 'phone'],
        [
          'notifications',
          '/subscriptions',
          operator,
          { community: XIANXIA_ROAD, phone: { $gt: '' } },
          'phone',
        ],
        ['dispatch', '/providers', supervisor, { providerId: { $ne: null } }, 'providerId'],
        ['mediation', '/cases', operator, { caseType: 'neighbour', $where: 'sleep(100)' }, '$where'],
        ['emergency', '/incidents', coordinator, { title: { $regex: '.*' } }, 'title'],
      ];
      for (const [name, path, caller, body, field] of posts) {
        const reply = await call(service[name], 'POST', path, caller, body);
        expectProblem(reply, 400);
        expect({ name, fields: fieldsOf(reply) }).toEqual({
          name,
          fields: [expect.stringMatching(new RegExp(`^${field.replace(/\$/g, '\\$')}(\\.\\$|$)`))],
        });
      }
    });

    it('phone[$ne]= and status[$ne]=x in query strings are 400 and match nothing, on every service', async () => {
      for (const name of NAMES) {
        for (const query of ['phone[$ne]=', 'status[$ne]=x', 'status%5B%24ne%5D=x', '$where=1']) {
          const reply = await call(service[name], 'GET', `${PROTECTED[name]}?${query}`, supervisor);
          expectProblem(reply, 400);
          expect(reply.body.items).toBeUndefined();
          expect({ name, query, fields: fieldsOf(reply) }).toEqual({
            name,
            query,
            fields: [decodeURIComponent(query.split('=')[0]!)],
          });
        }
      }
    });
  });

  it('and through the gateway alike', async () => {
    const { accessToken } = await signIn(platform.gateway, 'admin', GATEWAY_ADMIN_PASSWORD);
    for (const path of [
      '/api/resident-requests/tickets?status[$ne]=x',
      '/api/elder-care/elders?phone[$ne]=',
    ]) {
      const reply = await callWithToken(platform.gateway, 'GET', path, accessToken);
      expectProblem(reply, 400);
      expect(reply.body.items).toBeUndefined();
    }
    const posted = await callWithToken(platform.gateway, 'POST', '/api/elder-care/elders', accessToken, {
      ...elderRegistration(),
      phone: { $gt: '' },
    });
    expectProblem(posted, 400);
    expect(fieldsOf(posted)).toEqual(['phone.$gt']);
  });

  describe('API7 server-side request forgery', () => {
    it.each([
      'http://127.0.0.1/hook',
      'http://10.0.0.1/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
    ])('a webhook to %s is refused with 400 naming url', async (url) => {
      const reply = await call(service.notifications, 'POST', '/webhooks', coordinator, { url });
      expectProblem(reply, 400);
      expect(fieldsOf(reply)).toEqual(['url']);
    });
  });

  it('another district’s objects stay out of lists too', async () => {
    const theirs = await call(service['resident-requests'], 'GET', `/tickets?community=${MEIYUAN}`, operator);
    expect(theirs.status === 200 ? theirs.body.items : []).toEqual([]);
    const xuanwuList = await call(service['elder-care'], 'GET', '/elders', elsewhere.operator);
    expect(JSON.stringify(xuanwuList.body)).not.toContain(elder.elderId);
  });
});
