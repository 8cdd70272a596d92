// The demo data of `npm start`: providers of every kind in Nanjing's Gulou district (鼓楼区, 320106), an Open311
// client with a known API key, and a few hotline tickets, all through the services' own APIs as their users
// would enter them. Idempotent: existing providers and clients answer 409 and are left alone; tickets are only
// created when the demo district has none yet.
import { DEV_TOKEN_SETTINGS, signToken, type LinliClaims } from '@linli/auth';

const REQUESTS = process.env['RESIDENT_REQUESTS_URL'] ?? 'http://127.0.0.1:3101';
const DISPATCH = process.env['DISPATCH_URL'] ?? 'http://127.0.0.1:3102';
/** Printed in the README: an Open311 client can post requests with it. */
export const DEMO_OPEN311_API_KEY = 'linli-demo-open311-key-0123456789abcdef';

const GULOU = '320106';
const token = (claims: LinliClaims) => signToken(claims, DEV_TOKEN_SETTINGS, 3600);
const admin = token({ sub: 'demo-admin', roles: ['admin'], jurisdiction: '32' });
const supervisor = token({ sub: 'demo-supervisor', roles: ['supervisor'], jurisdiction: GULOU });
const operator = token({ sub: 'demo-operator', roles: ['operator'], jurisdiction: GULOU });

async function post(url: string, bearer: string, body: unknown): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status >= 400 && response.status !== 409) {
    throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  }
  return response.status;
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
  process.stdout.write(
    [
      `[linli] demo data: ${providers.length} providers in 鼓楼区 (320106), ${tickets.length} hotline tickets, Open311 client "demo"`,
      `[linli] Open311 GeoReport v2: ${REQUESTS}/open311/v2/discovery.json   api_key=${DEMO_OPEN311_API_KEY}`,
      `[linli] tokens for trying the APIs: npm run -s token -- operator 320106   |   npm run -s token -- provider 320106 --provider gulou-community-repair`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`[linli] demo data failed: ${(error as Error).message}\n`);
  process.exit(1);
});
