// The demo data of `npm start`: providers of every kind in Nanjing's Gulou district (鼓楼区, 320106), caregivers
// with the home-care skills, an Open311 client with a known API key, a few hotline tickets, and elder home care in
// 仙霞路社区 (320106001003): registered elders, care plans for two of them, a one-off visit due soon (so a caregiver
// has a job at once) and the community's emergency contact list, all through the services' own APIs as their users
// would enter them. Dispute mediation (人民调解): mediators as dispatch providers of the skill mediation, one of them
// with a declared conflict of interest, a dispute ticket (its case opens by itself) and a case opened by hand.
// Idempotent: existing providers, clients and elders answer 409 and are left alone (an elder's 409 names the elder
// already registered); tickets are only created when the demo district has none yet, a care plan only when the
// elder has none, the one-off visit only for an elder who never had a visit, and the emergency contact list is
// replaced by the same list; the dispute ticket only when there is no dispute ticket, the conflict only when the
// mediator has not declared it, the hand-opened case only when there is no neighbour case.
// Emergency response and notifications: the directory of notifications (contacts of the demo providers, caregivers
// and mediators by their provider ids, a coordinator, an operator, a supervisor, community workers of 宁海路街道
// and three residents subscribed by SMS; no webhook, so the demo sends nothing outside), then a coordinator declares
// a flood (内涝) for 宁海路街道 (320106001) with its communities and issues an alert to everyone there: the
// vulnerable elders of 仙霞路社区 get welfare checks, the contacts in the street get the alert. Contacts are put
// (the same again changes nothing), a subscription of the same phone and community answers 200, the incident is
// declared only when no open one with its title exists (a closed one is declared again: the demo always has one)
// and its alert only when it has none.
// Demo users (the gateway's accounts, password DEMO_USER_PASSWORD) are created through the gateway's admin API,
// signed in as the bootstrap admin (BOOTSTRAP_ADMIN_PASSWORD, which `npm start` sets): an existing user answers 409
// and is left alone, so a second `npm start` changes nothing.
import { DEV_TOKEN_SETTINGS, signToken, type LinliClaims } from '@linli/auth';
import { administrativeTree } from '@linli/divisions';

/** A service's URL: the first of its instances when `<NAME>_URL` lists several (LINLI_SCALE). */
const serviceUrl = (variable: string, fallback: string) =>
  (process.env[variable] ?? fallback).split(',')[0]?.trim() || fallback;
const REQUESTS = serviceUrl('RESIDENT_REQUESTS_URL', 'http://127.0.0.1:3101');
const DISPATCH = serviceUrl('DISPATCH_URL', 'http://127.0.0.1:3102');
const ELDER_CARE = serviceUrl('ELDER_CARE_URL', 'http://127.0.0.1:3103');
const MEDIATION = serviceUrl('MEDIATION_URL', 'http://127.0.0.1:3104');
const EMERGENCY = serviceUrl('EMERGENCY_URL', 'http://127.0.0.1:3105');
const NOTIFICATIONS = serviceUrl('NOTIFICATIONS_URL', 'http://127.0.0.1:3106');
const GATEWAY = serviceUrl('GATEWAY_URL', 'http://127.0.0.1:3100');
/** The password of every demo user (printed in the README and by `npm start`). */
export const DEMO_USER_PASSWORD = 'linli-demo-2026!';
/** Printed in the README: an Open311 client can post requests with it. */
export const DEMO_OPEN311_API_KEY = 'linli-demo-open311-key-0123456789abcdef';

const GULOU = '320106';
/** 仙霞路社区 of 宁海路街道, Gulou: the demo community of elder home care. */
const XIANXIA_ROAD = '320106001003';
const token = (claims: LinliClaims) => signToken(claims, DEV_TOKEN_SETTINGS, 3600);
const admin = token({ sub: 'demo-admin', roles: ['admin'], jurisdiction: '32' });
const supervisor = token({ sub: 'demo-supervisor', roles: ['supervisor'], jurisdiction: GULOU });
const operator = token({ sub: 'demo-operator', roles: ['operator'], jurisdiction: GULOU });
const coordinator = token({ sub: 'demo-coordinator', roles: ['coordinator'], jurisdiction: GULOU });

async function post(url: string, bearer: string, body: unknown): Promise<number> {
  return (await send('POST', url, bearer, body)).status;
}

/** A call whose answer is read; 409 (already there) and the statuses in `alsoFine` are not failures. */
async function send(
  method: string,
  url: string,
  bearer: string,
  body?: unknown,
  alsoFine: readonly number[] = [],
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (response.status >= 400 && response.status !== 409 && !alsoFine.includes(response.status)) {
    throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  }
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const providers = [
  {
    providerId: 'gulou-community-repair',
    name: '宁海路社区维修队',
    kind: 'community',
    categories: ['repair', 'sanitation'],
    capacity: 4,
  },
  {
    providerId: 'gulou-property-co',
    name: '金陵物业服务有限公司',
    kind: 'company',
    categories: ['property', 'repair'],
    capacity: 10,
  },
  {
    providerId: 'gulou-social-org-care',
    name: '鼓楼区颐养社会组织',
    kind: 'social-organisation',
    categories: ['elder-care', 'housekeeping', 'disability-support'],
    capacity: 6,
  },
  {
    providerId: 'gulou-social-worker-li',
    name: '社工 李敏',
    kind: 'social-worker',
    categories: ['mental-health', 'childcare', 'employment'],
    capacity: 3,
  },
  {
    providerId: 'gulou-volunteers',
    name: '鼓楼志愿服务队',
    kind: 'volunteer',
    categories: ['elder-care', 'consultation', 'complaint', 'other'],
    capacity: 8,
  },
  {
    providerId: 'gulou-charity-health',
    name: '南京慈善义诊队',
    kind: 'charity',
    categories: ['health'],
    capacity: 5,
  },
];

/**
 * Caregivers for elder home care (居家养老): elder-care asks dispatch for a visit with the care service as the
 * skill, so these serve the services of the care plans (and the safety visits of 走访发现); three of them also take
 * emergency's welfare checks on the vulnerable (skill welfare-check).
 */
const caregivers = [
  {
    providerId: 'gulou-care-volunteers',
    name: '仙霞路助老志愿队',
    kind: 'volunteer',
    skills: ['meal-delivery', 'companionship', 'safety-visit', 'welfare-check'],
    capacity: 8,
  },
  {
    providerId: 'gulou-care-home-services',
    name: '鼓楼区居家养老服务中心',
    kind: 'social-organisation',
    skills: ['meal-delivery', 'bathing', 'cleaning', 'rehabilitation', 'other'],
    capacity: 10,
  },
  {
    providerId: 'gulou-care-social-worker-zhou',
    name: '社工 周晓燕',
    kind: 'social-worker',
    skills: ['companionship', 'safety-visit', 'health-check', 'welfare-check'],
    capacity: 4,
  },
  {
    providerId: 'gulou-care-ninghai-community',
    name: '宁海路街道社区卫生服务站',
    kind: 'community',
    skills: ['health-check', 'rehabilitation', 'safety-visit', 'welfare-check'],
    capacity: 6,
  },
];

/** The 17 digits' GB 11643 check character: the demo's identity numbers are valid ones (of invented people). */
function identityNumber(birthDate: string, sequence: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const first17 = `${GULOU}${birthDate.replace(/-/g, '')}${sequence}`;
  const sum = [...first17].reduce((total, digit, index) => total + Number(digit) * (weights[index] ?? 0), 0);
  return first17 + '10X98765432'[sum % 11];
}

/** The date in China (Asia/Shanghai, UTC+8 without daylight saving) `days` from today, YYYY-MM-DD. */
function chinaDate(days = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Elders of 仙霞路社区: one living alone (with a care plan), one in an empty nest with a hardship flag (with a care
 * plan), one living with family, and one living alone in special hardship without a plan, whom the weekly safety
 * visit of 走访发现 reaches anyway. The sequence's last digit is the gender in the identity number (odd: male).
 */
const elders = [
  {
    name: '周桂英',
    gender: 'female',
    birthDate: '1941-03-12',
    sequence: '042',
    phone: '13951101001',
    address: '仙霞路 18 号 2 单元 301 室',
    home: { lat: 32.0612, lng: 118.7713 },
    livingSituation: 'alone',
    careLevel: 'partly-dependent',
    hardship: [],
    emergencyContacts: [{ name: '周建华', relation: '儿子', phone: '13951102001' }],
    plan: [
      { service: 'meal-delivery', rhythm: { kind: 'daily', times: ['11:00'] } },
      { service: 'safety-visit', rhythm: { kind: 'weekly', weekdays: ['mon', 'thu'], times: ['09:00'] } },
    ],
  },
  {
    name: '吴德明',
    gender: 'male',
    birthDate: '1950-08-25',
    sequence: '131',
    phone: '13951101002',
    address: '仙霞路 26 号 1 单元 502 室',
    home: { lat: 32.0604, lng: 118.7698 },
    livingSituation: 'empty-nest',
    careLevel: 'self-care',
    hardship: ['low-income'],
    emergencyContacts: [{ name: '吴小燕', relation: '女儿', phone: '13951102002' }],
    plan: [
      { service: 'health-check', rhythm: { kind: 'interval', everyDays: 14, times: ['10:00'] } },
      { service: 'cleaning', rhythm: { kind: 'weekly', weekdays: ['fri'], times: ['15:00'] } },
    ],
  },
  {
    name: '孙秀兰',
    gender: 'female',
    birthDate: '1946-11-02',
    sequence: '208',
    phone: '13951101003',
    address: '仙霞路 9 号 3 单元 201 室',
    home: { lat: 32.0598, lng: 118.7721 },
    livingSituation: 'with-family',
    careLevel: 'fully-dependent',
    hardship: [],
    emergencyContacts: [{ name: '孙立新', relation: '儿子', phone: '13951102003' }],
    // A one-off visit due soon, so a caregiver has a job on the board right after `npm start`.
    oneOff: { service: 'bathing', inMinutes: 120 },
  },
  {
    name: '钱志强',
    gender: 'male',
    birthDate: '1938-05-20',
    sequence: '317',
    phone: '13951101004',
    address: '仙霞路 33 号 1 单元 102 室',
    home: { lat: 32.0619, lng: 118.7689 },
    livingSituation: 'alone',
    careLevel: 'self-care',
    hardship: ['special-hardship'],
    emergencyContacts: [],
  },
];

/** 仙霞路社区's emergency contact list (社区应急联络名单): whom an escalation of missed visits names. */
const communityContacts = [
  { name: '刘红梅', role: '社区书记', phone: '13951103001' },
  { name: '陈志刚', role: '网格员', phone: '13951103002' },
  { name: '宁海路街道值班室', role: '街道值班', phone: '02583301234' },
];

async function seedElderCare(): Promise<{ registered: number; plans: number; oneOffs: number }> {
  let registered = 0;
  let plans = 0;
  let oneOffs = 0;
  for (const { sequence, plan, oneOff, ...elder } of elders) {
    const reply = await send('POST', `${ELDER_CARE}/elders`, operator, {
      ...elder,
      identityNumber: identityNumber(elder.birthDate, sequence),
      community: XIANXIA_ROAD,
      consentToServices: true,
    });
    // 409 names the elder already registered with this identity number: the demo ran before.
    const elderId = reply.body['elderId'];
    if (typeof elderId !== 'string') {
      throw new Error(
        `POST /elders answered ${reply.status} without an elderId: ${JSON.stringify(reply.body)}`,
      );
    }
    if (reply.status === 201) registered += 1;
    if (oneOff) {
      // Only for an elder who never had a visit: a second run adds none.
      const visits = await send(
        'GET',
        `${ELDER_CARE}/elders/${elderId}/visits?from=2000-01-01T00:00:00.000Z&to=2100-01-01T00:00:00.000Z`,
        operator,
      );
      if (Array.isArray(visits.body['items']) && visits.body['items'].length === 0) {
        await send('POST', `${ELDER_CARE}/elders/${elderId}/visits`, operator, {
          service: oneOff.service,
          dueAt: new Date(Date.now() + oneOff.inMinutes * 60_000).toISOString(),
        });
        oneOffs += 1;
      }
    }
    if (!plan) continue;
    const current = await send(
      'GET',
      `${ELDER_CARE}/elders/${elderId}/care-plan`,
      operator,
      undefined,
      [404],
    );
    if (current.status === 404) {
      // From tomorrow, so every rhythm (an every-14-days one too) has its first visit within the horizon.
      const startsOn = chinaDate(1);
      await send('PUT', `${ELDER_CARE}/elders/${elderId}/care-plan`, operator, {
        items: plan.map((item) => ({ ...item, startsOn })),
      });
      plans += 1;
    }
  }
  await send('PUT', `${ELDER_CARE}/communities/${XIANXIA_ROAD}/emergency-contacts`, supervisor, {
    contacts: communityContacts,
  });
  return { registered, plans, oneOffs };
}

const tickets = [
  {
    category: 'repair',
    description: '厨房水龙头漏水，需要上门维修',
    community: '320106001003',
    address: '仙霞路 12 号 3 单元 502 室',
  },
  {
    category: 'sanitation',
    description: '小区垃圾桶三天没有清运，气味很大',
    community: '320106001004',
    address: '苏州路 8 号院',
  },
  {
    category: 'property',
    description: '楼道灯坏了，晚上很黑',
    community: '320106001005',
    address: '颐和路 3 号 1 单元',
  },
  {
    category: 'repair',
    description: '家里停电了，老人独居，请尽快处理',
    community: '320106001007',
    address: '北京西路 21 号 402 室',
    vulnerable: ['elderly-alone'],
  },
];

/**
 * Mediators (人民调解员): providers of dispatch with the skill mediation, which mediation asks for one per case.
 * 宁海路街道's mediation committee serves its street, the others the whole district.
 */
const mediators = [
  {
    providerId: 'gulou-mediator-wang',
    name: '人民调解员 王建平（宁海路街道调委会）',
    kind: 'community',
    serviceAreas: ['320106001'],
    capacity: 5,
  },
  {
    providerId: 'gulou-mediator-zhao',
    name: '人民调解员 赵丽（鼓楼区和谐调解社）',
    kind: 'social-organisation',
    serviceAreas: [GULOU],
    capacity: 5,
  },
  {
    providerId: 'gulou-mediation-centre',
    name: '鼓楼区矛盾纠纷调处中心',
    kind: 'community',
    serviceAreas: [GULOU],
    capacity: 10,
  },
];

/** The parties of the case opened by hand: a leak from the flat above, and who pays for the repair. */
const neighbourCase = {
  caseType: 'neighbour',
  riskLevel: 'medium',
  communityCode: XIANXIA_ROAD,
  description: '楼上卫生间漏水渗到楼下天花板，双方就维修费用分担多次协商不成，申请调解',
  parties: [
    { role: 'applicant', name: '张美华', phone: '13951104001' },
    { role: 'respondent', name: '李国强', phone: '13951104002' },
  ],
};

/** 赵丽 is the respondent's cousin: she declares it, and dispatch never offers her the case. */
const conflictOfZhao = {
  mediatorId: 'gulou-mediator-zhao',
  conflict: { name: '李国强', phone: '13951104002', note: '表兄（亲属关系）' },
};

async function seedMediation(): Promise<{ ticket: boolean; conflict: boolean; opened: boolean }> {
  for (const mediator of mediators) {
    await post(`${DISPATCH}/providers`, supervisor, {
      ...mediator,
      skills: ['mediation'],
      jurisdiction: GULOU,
      available: true,
    });
  }

  // The conflict first, so the case below is never offered to her.
  const zhao = token({
    sub: 'demo-mediator-zhao',
    roles: ['mediator'],
    jurisdiction: GULOU,
    providerId: conflictOfZhao.mediatorId,
  });
  const declared = await send('GET', `${MEDIATION}/mediators/me/conflicts`, zhao, undefined, [404]);
  const conflicts = (declared.body['items'] ?? []) as { name?: string }[];
  const conflict = !conflicts.some((item) => item.name === conflictOfZhao.conflict.name);
  if (conflict) await send('POST', `${MEDIATION}/mediators/me/conflicts`, zhao, conflictOfZhao.conflict);

  // A dispute on the hotline: routed to mediation, where a case opens by itself and dispatch finds a mediator.
  const disputes = await send('GET', `${REQUESTS}/tickets?category=dispute&pageSize=1`, operator);
  const ticket = disputes.body['total'] === 0;
  if (ticket) {
    await send('POST', `${REQUESTS}/tickets`, operator, {
      channel: 'hotline',
      category: 'dispute',
      description: '楼上邻居每天深夜噪音扰民，多次上门协商无果，双方发生争吵',
      reporter: { name: '刘芳', phone: '13951104003' },
      place: { communityCode: XIANXIA_ROAD, address: '仙霞路 18 号 1 单元 202 室' },
    });
  }

  // A case opened by hand by the operator, with both parties: dispatched to a mediator other than 赵丽.
  const neighbourCases = await send('GET', `${MEDIATION}/cases?caseType=neighbour&pageSize=1`, operator);
  const opened = neighbourCases.body['total'] === 0;
  if (opened) await send('POST', `${MEDIATION}/cases`, operator, neighbourCase);
  return { ticket, conflict, opened };
}

/** 宁海路街道 of Gulou: the street the demo flood covers, with every one of its communities. */
const NINGHAI_ROAD = '320106001';
const FLOOD_TITLE = '宁海路街道 暴雨内涝';

/**
 * Staff and community workers in notifications' directory (whom alerts and the other services' notices reach):
 * the contact id is the user id of their token (`npm run -s token -- coordinator 320106 --sub demo-coordinator`).
 * The phones are invented; with the default `record` SMS adapter nothing leaves the machine.
 */
const staffContacts = [
  {
    contactId: 'demo-coordinator',
    kind: 'coordinator',
    areas: [GULOU],
    channels: ['in-app', 'sms'],
    phone: '13951105001',
  },
  { contactId: 'demo-supervisor', kind: 'supervisor', areas: [GULOU], channels: ['in-app'] },
  { contactId: 'demo-operator', kind: 'operator', areas: [GULOU], channels: ['in-app'] },
  // The demo users who sign in at the gateway (their user id is their contact id), so their inboxes fill too.
  { contactId: 'coord-gulou', kind: 'coordinator', areas: [GULOU], channels: ['in-app'] },
  { contactId: 'sup-gulou', kind: 'supervisor', areas: [GULOU], channels: ['in-app'] },
  { contactId: 'op-gulou', kind: 'operator', areas: [GULOU], channels: ['in-app'] },
  // 网格员 / 社区工作者: one for the whole street, one for 仙霞路社区, one for 苏州路社区, one in 华侨路街道 (not told
  // of the flood: outside its area).
  {
    contactId: 'demo-cw-ninghai',
    kind: 'community-worker',
    areas: [NINGHAI_ROAD],
    channels: ['in-app', 'sms'],
    phone: '13951105011',
  },
  {
    contactId: 'demo-cw-xianxia',
    kind: 'community-worker',
    areas: [XIANXIA_ROAD],
    channels: ['in-app', 'sms'],
    phone: '13951105012',
  },
  {
    contactId: 'demo-cw-suzhou',
    kind: 'community-worker',
    areas: ['320106001004'],
    channels: ['sms', 'in-app'],
    phone: '13951105013',
  },
  { contactId: 'demo-cw-huaqiao', kind: 'community-worker', areas: ['320106002'], channels: ['in-app'] },
];

/** Residents signed up by the hotline for SMS alerts (居民短信订阅). */
const subscriptions = [
  { community: XIANXIA_ROAD, phone: '13951106001' },
  { community: XIANXIA_ROAD, phone: '13951106002', language: 'en' },
  { community: '320106001005', phone: '13951106003' },
];

async function seedNotifications(): Promise<{ contacts: number; subscribed: number }> {
  let contacts = 0;
  // Providers, caregivers and mediators by their provider ids: a provider user's recipient id is its provider id.
  const providerContacts = [
    ...providers.map((p) => ({ contactId: p.providerId, kind: 'provider', areas: [GULOU] })),
    ...caregivers.map((p) => ({ contactId: p.providerId, kind: 'provider', areas: [GULOU] })),
    ...mediators.map((m) => ({ contactId: m.providerId, kind: 'mediator', areas: m.serviceAreas })),
  ].map((contact) => ({ ...contact, channels: ['in-app'] }));
  for (const { contactId, ...contact } of [...providerContacts, ...staffContacts]) {
    const reply = await send('PUT', `${NOTIFICATIONS}/contacts/${contactId}`, supervisor, contact);
    if (reply.status === 201) contacts += 1;
  }
  let subscribed = 0;
  for (const subscription of subscriptions) {
    const reply = await send('POST', `${NOTIFICATIONS}/subscriptions`, operator, subscription);
    if (reply.status === 201) subscribed += 1;
  }
  return { contacts, subscribed };
}

async function seedEmergency(): Promise<{
  incidentId: string;
  alertId: string;
  declared: boolean;
  issued: boolean;
}> {
  const communities = administrativeTree()
    .childrenOf(NINGHAI_ROAD)
    .map((division) => division.code);
  const listed = await send('GET', `${EMERGENCY}/incidents?pageSize=100`, coordinator);
  const items = (listed.body['items'] ?? []) as { incidentId: string; title: string; status: string }[];
  let incident = items.find((item) => item.title === FLOOD_TITLE && item.status !== 'closed');
  const declared = !incident;
  if (!incident) {
    const reply = await send('POST', `${EMERGENCY}/incidents`, coordinator, {
      kind: 'flood',
      severity: 'severe',
      title: FLOOD_TITLE,
      description:
        '强降雨导致宁海路街道多处低洼路段和地下车库积水，部分老旧小区一楼进水。请居民减少外出，地下空间人员尽快撤离。',
      areas: communities,
    });
    incident = reply.body as unknown as { incidentId: string; title: string; status: string };
    await send('POST', `${EMERGENCY}/incidents/${incident.incidentId}/activate`, coordinator);
  }
  const alertId = `${incident.incidentId}-A1`;
  const existing = await send('GET', `${EMERGENCY}/alerts/${alertId}`, coordinator, undefined, [404]);
  const issued = existing.status === 404;
  if (issued) {
    await send('POST', `${EMERGENCY}/incidents/${incident.incidentId}/alerts`, coordinator, {
      audiences: ['providers', 'community-workers', 'residents'],
      headline: '暴雨内涝预警：宁海路街道低洼路段积水',
      description: '未来3小时仍有强降雨，宁海路街道低洼路段和地下车库积水加深。',
      instruction: '请勿前往地下车库和低洼路段；独居老人家中如有进水请拨打12345或联系社区。收到请确认。',
      urgency: 'immediate',
      severity: 'severe',
      certainty: 'observed',
      response: 'avoid',
      language: 'zh-CN',
    });
  }
  return { incidentId: incident.incidentId, alertId, declared, issued };
}

/** The demo's users, one per role (api.md): Gulou's staff, an operator of Xuanwu, Nanjing's auditor and admin. */
const demoUsers = [
  { username: 'op-gulou', displayName: '王芳 (鼓楼区热线)', roles: ['operator'], jurisdiction: GULOU },
  { username: 'op-xuanwu', displayName: '刘洋 (玄武区热线)', roles: ['operator'], jurisdiction: '320102' },
  { username: 'sup-gulou', displayName: '陈静 (鼓楼区督办)', roles: ['supervisor'], jurisdiction: GULOU },
  { username: 'coord-gulou', displayName: '周强 (鼓楼区应急)', roles: ['coordinator'], jurisdiction: GULOU },
  {
    username: 'med-gulou',
    displayName: '王建华 (宁海路街道人民调解员)',
    roles: ['mediator'],
    jurisdiction: GULOU,
    providerId: 'gulou-mediator-wang',
  },
  { username: 'auditor-nj', displayName: '孙丽 (南京市审计)', roles: ['auditor'], jurisdiction: '3201' },
  { username: 'admin-nj', displayName: '赵敏 (南京市管理员)', roles: ['admin'], jurisdiction: '3201' },
  {
    username: 'prov-demo',
    displayName: '宁海路社区维修队 (演示)',
    roles: ['provider'],
    jurisdiction: GULOU,
    providerId: 'gulou-community-repair',
  },
  {
    username: 'care-gulou',
    displayName: '鼓楼区居家养老服务中心 (演示)',
    roles: ['provider'],
    jurisdiction: GULOU,
    providerId: 'gulou-care-home-services',
  },
];

/**
 * The demo users, created by the bootstrap admin through the gateway. Skipped with a note (not a failure) when the
 * admin cannot sign in with BOOTSTRAP_ADMIN_PASSWORD: someone changed it, which is what an installation should do.
 */
async function seedUsers(): Promise<{ created: number } | { skipped: string }> {
  const password = process.env['BOOTSTRAP_ADMIN_PASSWORD'];
  if (!password) return { skipped: 'BOOTSTRAP_ADMIN_PASSWORD is not set' };
  const login = await fetch(`${GATEWAY}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (login.status !== 200) return { skipped: `admin could not sign in (${login.status})` };
  const { accessToken } = (await login.json()) as { accessToken: string };
  let created = 0;
  for (const user of demoUsers) {
    const status = await post(`${GATEWAY}/users`, accessToken, { ...user, password: DEMO_USER_PASSWORD });
    if (status === 201) created += 1;
  }
  await send('POST', `${GATEWAY}/auth/logout`, accessToken);
  return { created };
}

async function main(): Promise<void> {
  // Providers are described by the categories they serve; their skills are what the catalogue asks of those.
  const catalogue = (await (await fetch(`${REQUESTS}/categories`)).json()) as {
    items: { code: string; skill: string }[];
  };
  const skillOf = new Map(catalogue.items.map((category) => [category.code, category.skill]));
  for (const { categories, ...provider } of providers) {
    await post(`${DISPATCH}/providers`, supervisor, {
      ...provider,
      skills: categories.map((code) => skillOf.get(code) ?? code),
      serviceAreas: [GULOU],
      jurisdiction: GULOU,
      available: true,
    });
  }
  for (const caregiver of caregivers) {
    await post(`${DISPATCH}/providers`, supervisor, {
      ...caregiver,
      serviceAreas: [GULOU],
      jurisdiction: GULOU,
      available: true,
    });
  }
  await post(`${REQUESTS}/open311-clients`, admin, {
    name: 'demo',
    apiKey: DEMO_OPEN311_API_KEY,
    jurisdiction: '32',
  });

  const existing = await fetch(`${REQUESTS}/tickets?pageSize=1`, {
    headers: { authorization: `Bearer ${operator}` },
  });
  const { total } = (await existing.json()) as { total: number };
  if (total === 0) {
    for (const [index, ticket] of tickets.entries()) {
      await post(`${REQUESTS}/tickets`, operator, {
        channel: 'hotline',
        category: ticket.category,
        description: ticket.description,
        reporter: {
          name: ['王秀英', '李建国', '张伟', '陈桂兰'][index],
          phone: `1390000${String(1000 + index)}`,
          ...(ticket.vulnerable ? { vulnerable: ticket.vulnerable } : {}),
        },
        place: { communityCode: ticket.community, address: ticket.address },
      });
    }
  }
  const care = await seedElderCare();
  const mediation = await seedMediation();
  const notifications = await seedNotifications();
  const emergency = await seedEmergency();
  const users = await seedUsers();
  const added = (done: boolean) => (done ? 'new' : 'there already');
  process.stdout.write(
    [
      `[linli] demo data: ${providers.length} providers and ${caregivers.length} caregivers in 鼓楼区 (320106), ${tickets.length} hotline tickets, Open311 client "demo"`,
      `[linli] elder care in 仙霞路社区 (${XIANXIA_ROAD}): ${elders.length} elders (${care.registered} new), care plans for 2 (${care.plans} new), a bathing visit due soon (${care.oneOffs} new), the community's emergency contacts`,
      `[linli] Open311 GeoReport v2: ${REQUESTS}/open311/v2/discovery.json   api_key=${DEMO_OPEN311_API_KEY}`,
      `[linli] sign in at ${GATEWAY}/ or POST ${GATEWAY}/auth/login as op-gulou (operator), prov-demo (provider), sup-gulou, coord-gulou, med-gulou, care-gulou…; the APIs at ${GATEWAY}/api/<service>/`,
      `[linli] a caregiver: care-gulou (provider gulou-care-home-services)   (${GATEWAY}/api/elder-care/visits?mine=true)`,
      `[linli] mediation (${MEDIATION}): ${mediators.length} mediators, 赵丽's conflict with a party (${added(mediation.conflict)}), a dispute ticket whose case opens by itself (${added(mediation.ticket)}), a neighbour case with two parties (${added(mediation.opened)})`,
      `[linli] a mediator: med-gulou (gulou-mediator-wang)   (${GATEWAY}/api/dispatch/jobs/offered, ${GATEWAY}/api/mediation/cases?mine=true)`,
      `[linli] notifications (${NOTIFICATIONS}): ${providers.length + caregivers.length + mediators.length + staffContacts.length} contacts (${notifications.contacts} new), ${subscriptions.length} residents subscribed by SMS (${notifications.subscribed} new), no webhook   (${NOTIFICATIONS}/inbox, /inbox/stream)`,
      `[linli] emergency (${EMERGENCY}): flood ${emergency.incidentId} in 宁海路街道 (${added(emergency.declared)}), alert ${emergency.alertId} to everyone there (${added(emergency.issued)})   (${EMERGENCY}/alerts/${emergency.alertId}/board, /incidents/${emergency.incidentId}/welfare-checks)`,
      `[linli] the coordinator: coord-gulou   (${GATEWAY}/api/emergency/alerts/${emergency.alertId}/cap, ${GATEWAY}/api/notifications/inbox)`,
      'created' in users
        ? `[linli] demo users (${users.created} new), password ${DEMO_USER_PASSWORD}: ${demoUsers.map((user) => user.username).join(', ')}   (sign in at ${GATEWAY}/)`
        : `[linli] demo users skipped: ${users.skipped}`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`[linli] demo data failed: ${(error as Error).message}\n`);
  process.exit(1);
});
