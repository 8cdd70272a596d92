// The Open311 GeoReport v2 conformance suite: every endpoint in JSON and XML, against resident-requests running as
// a process on the real stack, read the way a client written against the specification reads it (XML parsed
// element by element, JSON checked against schemas written from the specification's field tables).
import { namespaced } from '@linli/platform';
import { authHeader, startService, type ServiceProcess } from '@linli/testing';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import mongoose from 'mongoose';
import { randomBytes, randomUUID } from 'node:crypto';

/** Parsed GeoReport documents, read as loosely as a client reads them; their shape is what the tests check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const API_KEY = `test-open311-key-${randomBytes(16).toString('hex')}`;
const JURISDICTION_ID = 'js.linli.gov.cn';
const XIANXIA = '320106001003'; // 仙霞路社区, 宁海路街道, 鼓楼区
const XUANWU_COMMUNITY = '320102002001';
const V2 = '/open311/v2';

let service: ServiceProcess;

beforeAll(async () => {
  service = await startService({
    name: 'resident-requests',
    env: { OPEN311_DEMO_API_KEY: API_KEY, OPEN311_ENDPOINT_TYPE: 'test' },
    readyTimeoutMs: 90_000,
  });
}, 120_000);

afterAll(async () => {
  await service?.stop();
});

// ---------------------------------------------------------------------------------------------------------------
// How a client talks to it

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
}

async function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(service.url + path, { headers });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

async function post(
  path: string,
  parameters: Record<string, string | string[]>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
  }
  const response = await fetch(service.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    body: form.toString(),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

function json(answer: Answer): Json {
  expect(answer.contentType).toBe('application/json; charset=utf-8');
  return JSON.parse(answer.text);
}

/** Elements that are lists in the specification's XML, so a single item still parses as an array. */
const LIST_ITEMS = new Set(['service', 'request', 'error', 'attribute', 'value', 'endpoint', 'format']);
const parser = new XMLParser({
  ignoreDeclaration: false,
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) => LIST_ITEMS.has(name),
});

function xml(answer: Answer): Json {
  expect(answer.contentType).toBe('text/xml; charset=utf-8');
  expect(answer.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  const document = parser.parse(answer.text);
  const roots = Object.keys(document).filter((key) => key !== '?xml');
  expect(roots).toHaveLength(1);
  return document;
}

const operator = (jurisdiction = '320106') => authHeader('operator', jurisdiction, { sub: 'op-open311' });

async function core(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const response = await fetch(service.url + path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas from the specification's field tables (what a validator checks)

const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({
  anyOf: [{ type, ...extra }, { type: 'null' }],
});
const schemas = {
  service: ajv.compile({
    type: 'object',
    required: ['service_code', 'service_name', 'metadata', 'type'],
    additionalProperties: false,
    properties: {
      service_code: { type: 'string' },
      service_name: { type: 'string', minLength: 1 },
      description: nullable('string'),
      metadata: { type: 'boolean' },
      type: { enum: ['realtime', 'batch', 'blackbox'] },
      keywords: nullable('string'),
      group: nullable('string'),
    },
  }),
  definition: ajv.compile({
    type: 'object',
    required: ['service_code', 'attributes'],
    additionalProperties: false,
    properties: {
      service_code: { type: 'string' },
      attributes: {
        type: 'array',
        items: {
          type: 'object',
          required: ['variable', 'code', 'datatype', 'required', 'order', 'description'],
          additionalProperties: false,
          properties: {
            variable: { type: 'boolean' },
            code: { type: 'string' },
            datatype: { enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] },
            required: { type: 'boolean' },
            datatype_description: nullable('string'),
            order: { type: 'integer', minimum: 1 },
            description: { type: 'string' },
            values: {
              type: 'array',
              items: {
                type: 'object',
                required: ['key', 'name'],
                additionalProperties: false,
                properties: { key: { type: 'string' }, name: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  }),
  request: ajv.compile({
    type: 'object',
    required: ['service_request_id', 'status', 'service_code', 'requested_datetime'],
    additionalProperties: false,
    properties: {
      service_request_id: { type: 'string' },
      status: { enum: ['open', 'closed'] },
      status_notes: nullable('string'),
      service_name: nullable('string'),
      service_code: { type: 'string' },
      description: nullable('string', { maxLength: 4000 }),
      agency_responsible: nullable('string'),
      service_notice: nullable('string'),
      requested_datetime: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$' },
      updated_datetime: nullable('string', { format: 'date-time' }),
      expected_datetime: nullable('string', { format: 'date-time' }),
      address: nullable('string'),
      address_id: nullable('string'),
      zipcode: nullable('string'),
      lat: nullable('number'),
      long: nullable('number'),
      media_url: nullable('string', { format: 'uri' }),
    },
  }),
  created: ajv.compile({
    type: 'object',
    required: ['service_request_id'],
    additionalProperties: false,
    properties: {
      service_request_id: { type: 'string' },
      service_notice: nullable('string'),
      account_id: nullable('string'),
    },
  }),
  error: ajv.compile({
    type: 'object',
    required: ['code', 'description'],
    additionalProperties: false,
    properties: { code: { type: 'integer' }, description: { type: 'string', minLength: 1 } },
  }),
};

function conforms(validate: ValidateFunction, value: unknown): void {
  if (!validate(value)) throw new Error(`${JSON.stringify(value)}\n${ajv.errorsText(validate.errors)}`);
}

function errorsOf(answer: Answer, status: number, format: 'json' | 'xml'): string[] {
  expect(answer.status).toBe(status);
  if (format === 'json') {
    const errors = json(answer) as unknown[];
    expect(Array.isArray(errors)).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
    errors.forEach((error) => conforms(schemas.error, error));
    return errors.map((error) => (error as { description: string }).description);
  }
  const errors = xml(answer).errors.error as { code: string; description: string }[];
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) expect(error.code).toBe(String(status));
  return errors.map((error) => error.description);
}

/** A request created through Open311 (by coordinates and the community attribute unless told otherwise). */
async function createRequest(parameters: Record<string, string | string[]> = {}): Promise<string> {
  const answer = await post(`${V2}/requests.json`, {
    api_key: API_KEY,
    service_code: 'repair',
    lat: '32.0603',
    long: '118.7781',
    'attribute[community_code]': XIANXIA,
    description: '路灯不亮，晚上很黑',
    ...parameters,
  });
  expect(answer.status).toBe(200);
  const [created] = json(answer);
  conforms(schemas.created, created);
  return created.service_request_id as string;
}

async function requestJson(id: string, headers: Record<string, string> = {}): Promise<Json> {
  const answer = await get(`${V2}/requests/${id}.json`, headers);
  expect(answer.status).toBe(200);
  const [request] = json(answer);
  conforms(schemas.request, request);
  return request;
}

// ---------------------------------------------------------------------------------------------------------------

describe('service discovery', () => {
  it.each(['/open311/discovery', `${V2}/discovery`])(
    '%s.json lists the GeoReport v2 endpoint',
    async (path) => {
      const discovery = json(await get(`${path}.json`));
      expect(discovery).toEqual({
        changeset: expect.any(String),
        contact: expect.any(String),
        key_service: expect.any(String),
        endpoints: [
          {
            specification: 'http://wiki.open311.org/GeoReport_v2',
            url: `${service.url}${V2}`,
            changeset: expect.any(String),
            type: 'test',
            formats: ['text/xml', 'application/json'],
          },
        ],
      });
    },
  );

  it('discovery.xml has the same document as elements', async () => {
    const { discovery } = xml(await get('/open311/discovery.xml'));
    expect(Object.keys(discovery)).toEqual(['changeset', 'contact', 'key_service', 'endpoints']);
    const [endpoint] = discovery.endpoints.endpoint;
    expect(endpoint.specification).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(endpoint.url).toBe(`${service.url}${V2}`);
    expect(endpoint.formats.format).toEqual(['text/xml', 'application/json']);
  });
});

describe('GET service list', () => {
  it('services.json lists every category as a service with its group', async () => {
    const services = json(await get(`${V2}/services.json`)) as Record<string, unknown>[];
    expect(services).toHaveLength(16);
    services.forEach((item) => conforms(schemas.service, item));
    expect(services.find((item) => item.service_code === 'repair')).toMatchObject({
      service_name: '维修服务',
      metadata: true,
      type: 'realtime',
      group: '便民服务',
    });
    expect(new Set(services.map((item) => item.group))).toEqual(
      new Set(['为民服务', '便民服务', '安民服务', '综合']),
    );
  });

  it('names services in English when the client prefers it', async () => {
    const services = json(await get(`${V2}/services.json`, { 'accept-language': 'en-GB,en;q=0.9' }));
    expect(services.find((item: Json) => item.service_code === 'repair').group).toBe('convenience services');
  });

  it('services.xml is <services><service>… with the same fields', async () => {
    const { services } = xml(await get(`${V2}/services.xml`));
    expect(services.service).toHaveLength(16);
    for (const item of services.service) {
      expect(Object.keys(item)).toEqual([
        'service_code',
        'service_name',
        'description',
        'metadata',
        'type',
        'keywords',
        'group',
      ]);
      expect(item.metadata).toBe('true');
      expect(item.type).toBe('realtime');
    }
  });

  it('accepts our jurisdiction_id and an empty one, and 404s another (both formats)', async () => {
    expect((await get(`${V2}/services.json?jurisdiction_id=${JURISDICTION_ID}`)).status).toBe(200);
    expect((await get(`${V2}/services.xml?jurisdiction_id=`)).status).toBe(200);
    expect(errorsOf(await get(`${V2}/services.json?jurisdiction_id=sfgov.org`), 404, 'json')[0]).toContain(
      'jurisdiction_id',
    );
    expect(errorsOf(await get(`${V2}/services.xml?jurisdiction_id=sfgov.org`), 404, 'xml')[0]).toContain(
      'jurisdiction_id',
    );
  });

  it('answers a format it does not serve with 400 in XML, and a resource it does not have with 404', async () => {
    expect(errorsOf(await get(`${V2}/services.html`), 400, 'xml')[0]).toContain('html');
    expect(errorsOf(await get(`${V2}/services`), 400, 'xml')[0]).toContain('.xml or .json');
    expect(errorsOf(await get(`${V2}/potholes.json`), 404, 'json')[0]).toContain('potholes');
  });
});

describe('errors raised before routing', () => {
  it('a body of a media type the specification does not send is a 400 error array (xml)', async () => {
    const response = await fetch(`${service.url}${V2}/requests.xml`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<request/>',
    });
    const answer = {
      status: response.status,
      contentType: response.headers.get('content-type'),
      text: await response.text(),
    };
    expect(errorsOf(answer, 400, 'xml')).toHaveLength(1);
  });

  it('a path under the endpoint that names nothing is a 404 error array (json)', async () => {
    expect(errorsOf(await get(`${V2}/services/repair/extra.json`), 404, 'json')[0]).toContain('Open311');
  });
});

describe('GET service definition', () => {
  it('services/repair.json has the community attribute and the vulnerable groups', async () => {
    const definition = json(await get(`${V2}/services/repair.json`, { 'accept-language': 'en' }));
    conforms(schemas.definition, definition);
    expect(definition.service_code).toBe('repair');
    expect(definition.attributes.map((a: Json) => [a.code, a.datatype, a.required, a.order])).toEqual([
      ['community_code', 'string', true, 1],
      ['vulnerable', 'multivaluelist', false, 2],
    ]);
  });

  it('services/repair.xml is <service_definition><attributes><attribute><values><value>', async () => {
    const { service_definition: definition } = xml(await get(`${V2}/services/repair.xml`));
    expect(definition.service_code).toBe('repair');
    const [community, vulnerable] = definition.attributes.attribute;
    expect(community).toMatchObject({
      variable: 'true',
      code: 'community_code',
      required: 'true',
      order: '1',
    });
    expect(community.values).toBeUndefined();
    expect(vulnerable.values.value.map((value: Json) => value.key)).toContain('elderly-alone');
  });

  it('404s a service code it does not have, in both formats', async () => {
    expect(errorsOf(await get(`${V2}/services/potholes.json`), 404, 'json')[0]).toContain('service_code');
    expect(errorsOf(await get(`${V2}/services/potholes.xml`), 404, 'xml')[0]).toContain('service_code');
  });
});

describe('POST service request', () => {
  it('a retry with the same Idempotency-Key answers the same request; another body with it is a 400 naming it', async () => {
    const parameters = {
      api_key: API_KEY,
      service_code: 'repair',
      lat: '32.0603',
      long: '118.7781',
      'attribute[community_code]': XIANXIA,
      description: `路灯不亮 ${randomUUID()}`,
    };
    const key = { 'Idempotency-Key': randomUUID() };
    const [first, again] = [
      await post(`${V2}/requests.json`, parameters, key),
      await post(`${V2}/requests.json`, parameters, key),
    ];
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(json(again)[0].service_request_id).toBe(json(first)[0].service_request_id);
    const changed = await post(`${V2}/requests.json`, { ...parameters, description: '另一件事' }, key);
    expect(changed.status).toBe(400);
    expect(changed.text).toContain('Idempotency-Key');
  });

  it('creates a ticket from coordinates and the community attribute; it reads back as an open request', async () => {
    const id = await createRequest({ media_url: 'https://example.org/lamp.jpg', account_id: 'acc-42' });
    const request = await requestJson(id);
    expect(request).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'repair',
      description: '路灯不亮，晚上很黑',
      address_id: XIANXIA,
      lat: 32.0603,
      long: 118.7781,
      media_url: 'https://example.org/lamp.jpg',
      zipcode: null,
    });
    expect(request.status_notes).toEqual(expect.any(String));
    expect(Date.parse(request.expected_datetime)).toBeGreaterThan(Date.parse(request.requested_datetime));
  });

  it('answers in XML: <service_requests><request><service_request_id>', async () => {
    const answer = await post(`${V2}/requests.xml`, {
      api_key: API_KEY,
      service_code: 'sanitation',
      address_id: XIANXIA,
      description: '垃圾桶满了',
      account_id: 'acc-7',
    });
    expect(answer.status).toBe(200);
    const [created] = xml(answer).service_requests.request;
    expect(created.service_request_id).toMatch(/\S/);
    expect(created.account_id).toBe('acc-7');
    expect(created.token).toBeUndefined();
  });

  it('takes address_id alone as the place (the README example)', async () => {
    const id = await createRequest({
      lat: '',
      long: '',
      'attribute[community_code]': '',
      address_id: XIANXIA,
    });
    expect((await requestJson(id)).address_id).toBe(XIANXIA);
  });

  it('takes address_string with the community attribute, and keeps the reporter on the ticket only', async () => {
    const id = await createRequest({
      lat: '',
      long: '',
      address_string: '仙霞路 12 号 3 单元',
      first_name: '秀英',
      last_name: '王',
      phone: '13900001234',
      email: 'wang@example.org',
      device_id: 'device-1',
      'attribute[vulnerable][]': ['elderly-alone'],
    });
    const request = await get(`${V2}/requests/${id}.json`);
    expect(request.text).not.toMatch(/王秀英|13900001234|wang@example.org/);
    expect(json(request)[0].address).toBe('仙霞路 12 号 3 单元');

    const ticket = await core('GET', `/tickets/${id}`, operator());
    expect(ticket.status).toBe(200);
    expect(ticket.body).toMatchObject({
      channel: 'open311',
      reporter: { name: '王秀英', phone: '13900001234' },
      place: { communityCode: XIANXIA, address: '仙霞路 12 号 3 单元' },
    });
  });

  it.each(['json', 'xml'] as const)('without a location is a 400 naming it (%s)', async (format) => {
    const answer = await post(`${V2}/requests.${format}`, { api_key: API_KEY, service_code: 'repair' });
    expect(errorsOf(answer, 400, format).join('\n')).toContain('location');
  });

  it('with coordinates but no community is a 400 naming attribute[community_code]; every fault at once', async () => {
    const answer = await post(`${V2}/requests.json`, {
      api_key: API_KEY,
      service_code: 'repair',
      lat: '32.06',
      long: '118.78',
      media_url: 'not a url',
    });
    const faults = errorsOf(answer, 400, 'json');
    expect(faults).toHaveLength(2);
    expect(faults.join('\n')).toMatch(
      /attribute\[community_code\][\s\S]*media_url|media_url[\s\S]*community_code/,
    );
  });

  it('with a community that is not in the tree, or a bad phone, is a 400 naming the parameter', async () => {
    const notInTree = await post(`${V2}/requests.json`, {
      api_key: API_KEY,
      service_code: 'repair',
      address_id: '320106001001',
    });
    expect(errorsOf(notInTree, 400, 'json')[0]).toContain('address_id');
    const badPhone = await post(`${V2}/requests.json`, {
      api_key: API_KEY,
      service_code: 'repair',
      address_id: XIANXIA,
      phone: 'call me',
    });
    expect(errorsOf(badPhone, 400, 'json').join('\n')).toContain('phone');
  });

  it.each(['json', 'xml'] as const)(
    'without an api_key, or with a wrong one, is a 403 (%s)',
    async (format) => {
      const parameters = { service_code: 'repair', address_id: XIANXIA };
      expect(errorsOf(await post(`${V2}/requests.${format}`, parameters), 403, format)[0]).toContain(
        'api_key',
      );
      const wrong = await post(`${V2}/requests.${format}`, { ...parameters, api_key: 'x'.repeat(40) });
      expect(errorsOf(wrong, 403, format)[0]).toContain('api_key');
    },
  );

  it.each(['json', 'xml'] as const)('for a service code it does not have is a 404 (%s)', async (format) => {
    const answer = await post(`${V2}/requests.${format}`, {
      api_key: API_KEY,
      service_code: 'potholes',
      address_id: XIANXIA,
    });
    expect(errorsOf(answer, 404, format)[0]).toContain('service_code');
  });

  it('for another jurisdiction_id is a 404', async () => {
    const answer = await post(`${V2}/requests.json`, {
      api_key: API_KEY,
      jurisdiction_id: 'sfgov.org',
      service_code: 'repair',
      address_id: XIANXIA,
    });
    expect(errorsOf(answer, 404, 'json')[0]).toContain('jurisdiction_id');
  });
});

describe('Open311 clients', () => {
  const admin = () => authHeader('admin', '32', { sub: 'admin-1' });

  it('an admin registers a client; its key is shown once and works; a second of the same name is a 409', async () => {
    const name = `portal-${randomBytes(3).toString('hex')}`;
    const created = await core('POST', '/open311-clients', admin(), { name, jurisdiction: '320102' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, jurisdiction: '320102', active: true });
    expect(created.body.apiKey.length).toBeGreaterThanOrEqual(32);
    expect((await core('POST', '/open311-clients', admin(), { name })).status).toBe(409);

    // Its jurisdiction is Xuanwu: a request there is taken, one in Gulou is not its to report.
    const answer = await post(`${V2}/requests.json`, {
      api_key: created.body.apiKey,
      service_code: 'property',
      address_id: XUANWU_COMMUNITY,
    });
    expect(answer.status).toBe(200);
    const outside = await post(`${V2}/requests.json`, {
      api_key: created.body.apiKey,
      service_code: 'property',
      address_id: XIANXIA,
    });
    expect(errorsOf(outside, 403, 'json')[0]).toContain(XIANXIA);
  });

  it('registers a client with a known key for the whole province, as the demo data does', async () => {
    const apiKey = `known-${randomBytes(16).toString('hex')}`;
    const name = `seeded-${randomBytes(3).toString('hex')}`;
    const created = await core('POST', '/open311-clients', admin(), { name, apiKey, jurisdiction: '32' });
    expect(created.status).toBe(201);
    expect(created.body.apiKey).toBe(apiKey);
    const answer = await post(`${V2}/requests.json`, {
      api_key: apiKey,
      service_code: 'repair',
      address_id: XIANXIA,
    });
    expect(answer.status).toBe(200);
  });

  it('only admins register clients (problem+json like every other Linli route)', async () => {
    const answer = await core('POST', '/open311-clients', operator(), { name: 'sneaky' });
    expect(answer.status).toBe(403);
    const bad = await core('POST', '/open311-clients', admin(), { name: 'x', apiKey: 'short', extra: 1 });
    expect(bad.status).toBe(400);
  });
});

describe('GET service request', () => {
  it('requests/{id}.xml is <service_requests><request> with every field of the specification', async () => {
    const id = await createRequest();
    const [request] = xml(await get(`${V2}/requests/${id}.xml`)).service_requests.request;
    expect(Object.keys(request)).toEqual([
      'service_request_id',
      'status',
      'status_notes',
      'service_name',
      'service_code',
      'description',
      'agency_responsible',
      'service_notice',
      'requested_datetime',
      'updated_datetime',
      'expected_datetime',
      'address',
      'address_id',
      'zipcode',
      'lat',
      'long',
      'media_url',
    ]);
    expect(request).toMatchObject({ service_request_id: id, status: 'open', lat: '32.0603', zipcode: '' });
  });

  it.each(['json', 'xml'] as const)('404s a request that does not exist (%s)', async (format) => {
    expect(errorsOf(await get(`${V2}/requests/T19990101-999999.${format}`), 404, format)[0]).toContain(
      'service_request_id',
    );
  });

  it('shows a hotline ticket without its description, exact address or reporter', async () => {
    const created = await core('POST', '/tickets', operator(), {
      channel: 'hotline',
      category: 'repair',
      description: '张大爷家厨房水管爆了',
      reporter: { name: '张建国', phone: '13900005678' },
      place: { communityCode: XIANXIA, address: '仙霞路 8 号 101 室' },
    });
    expect(created.status).toBe(201);
    const answer = await get(`${V2}/requests/${created.body.ticketId}.json`);
    expect(answer.text).not.toMatch(/张|13900005678|仙霞路 8 号/);
    expect(json(answer)[0]).toMatchObject({ description: null, address_id: XIANXIA, lat: null, long: null });
  });
});

describe('status mapping', () => {
  it('a cancelled ticket is closed, with the reason in status_notes', async () => {
    const id = await createRequest();
    const cancelled = await core('POST', `/tickets/${id}/cancel`, operator(), { reason: 'duplicate' });
    expect(cancelled.status).toBe(200);
    const request = await requestJson(id, { 'accept-language': 'en' });
    expect(request.status).toBe('closed');
    expect(request.status_notes).toBe('cancelled (duplicate request)');
    const [asXml] = xml(await get(`${V2}/requests/${id}.xml`)).service_requests.request;
    expect(asXml.status).toBe('closed');
  });

  it('a routed ticket resolved by hand is closed; the call-back still to come shows in status_notes', async () => {
    const id = await createRequest({ service_code: 'dispute', description: '邻居装修噪音纠纷' });
    expect((await requestJson(id)).status).toBe('open');
    const resolved = await core('POST', `/tickets/${id}/resolve`, operator(), { resolution: 'done' });
    expect(resolved.status).toBe(200);
    const request = await requestJson(id, { 'accept-language': 'en' });
    expect(request).toMatchObject({ status: 'closed', agency_responsible: 'people’s mediation committee' });
    expect(request.status_notes).toContain('call-back');

    const feedback = await core('POST', `/tickets/${id}/callback`, operator(), {
      answered: true,
      satisfaction: 5,
    });
    expect(feedback.status).toBe(200);
    const closed = await requestJson(id, { 'accept-language': 'en' });
    expect(closed).toMatchObject({
      status: 'closed',
      status_notes: 'closed (the resident’s feedback was recorded)',
    });
  });
});

describe('GET service requests', () => {
  const ids: string[] = [];

  beforeAll(async () => {
    ids.push(await createRequest({ service_code: 'property', description: '楼道灯坏了' }));
    ids.push(await createRequest({ service_code: 'property', description: '电梯异响' }));
    ids.push(await createRequest({ service_code: 'health', description: '需要上门测血压' }));
    const cancelled = await core('POST', `/tickets/${ids[2]}/cancel`, operator(), { reason: 'withdrawn' });
    expect(cancelled.status).toBe(200);
  });

  it('requests.json defaults to the most recent 90 days, newest first', async () => {
    const requests = json(await get(`${V2}/requests.json`)) as Json[];
    requests.forEach((request) => conforms(schemas.request, request));
    const found = requests.map((request) => request.service_request_id);
    for (const id of ids) expect(found).toContain(id);
    const times = requests.map((request) => Date.parse(request.requested_datetime));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('requests.xml is <service_requests><request>…', async () => {
    const { service_requests: list } = xml(await get(`${V2}/requests.xml`));
    expect(list.request.map((request: Json) => request.service_request_id)).toEqual(
      expect.arrayContaining(ids),
    );
  });

  it('service_request_id (comma delimited) overrides every other argument', async () => {
    const answer = await get(
      `${V2}/requests.json?service_request_id=${ids[0]},${ids[2]}&status=open&service_code=repair`,
    );
    expect((json(answer) as Json[]).map((request) => request.service_request_id).sort()).toEqual(
      [ids[0], ids[2]].sort(),
    );
  });

  it('filters by service_code and by status', async () => {
    const property = json(await get(`${V2}/requests.json?service_code=property`)) as Json[];
    expect(property.every((request) => request.service_code === 'property')).toBe(true);
    expect(property.map((request) => request.service_request_id)).toEqual(
      expect.arrayContaining([ids[0], ids[1]]),
    );

    const healthClosed = json(
      await get(`${V2}/requests.json?service_code=health,property&status=closed`),
    ) as Json[];
    expect(healthClosed.map((request) => request.service_request_id)).toContain(ids[2]);
    expect(healthClosed.every((request) => request.status === 'closed')).toBe(true);

    const open = json(await get(`${V2}/requests.json?status=open&service_code=health`)) as Json[];
    expect(open.map((request) => request.service_request_id)).not.toContain(ids[2]);

    expect(json(await get(`${V2}/requests.json?service_code=potholes`))).toEqual([]);
  });

  it('filters by start_date and end_date', async () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const around = json(
      await get(`${V2}/requests.json?start_date=${iso(now - 3_600_000)}&end_date=${iso(now + 60_000)}`),
    );
    expect(around.map((request: Json) => request.service_request_id)).toEqual(expect.arrayContaining(ids));
    const before = json(await get(`${V2}/requests.json?end_date=${iso(now - 86_400_000)}`));
    expect(before.map((request: Json) => request.service_request_id)).not.toContain(ids[0]);
  });

  it('applies the request limit (page_size, at most 1000)', async () => {
    expect(json(await get(`${V2}/requests.json?page_size=2`))).toHaveLength(2);
    expect(errorsOf(await get(`${V2}/requests.json?page_size=1001`), 400, 'json')[0]).toContain('page_size');
  });

  it.each(['json', 'xml'] as const)(
    'refuses a range over 90 days and a date without a time zone (%s)',
    async (format) => {
      const long = await get(
        `${V2}/requests.${format}?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z`,
      );
      expect(errorsOf(long, 400, format)[0]).toContain('90 days');
      const naive = await get(`${V2}/requests.${format}?start_date=2026-01-01T00:00:00`);
      expect(errorsOf(naive, 400, format)[0]).toContain('start_date');
    },
  );
});

describe('GET service_request_id from a token', () => {
  it.each(['json', 'xml'] as const)('the request id is its own token (%s)', async (format) => {
    const id = await createRequest();
    const answer = await get(`${V2}/tokens/${id}.${format}`);
    expect(answer.status).toBe(200);
    const [item] = format === 'json' ? json(answer) : xml(answer).service_requests.request;
    expect(item).toEqual({ service_request_id: id, token: id });
  });

  it.each(['json', 'xml'] as const)('404s a token it never gave (%s)', async (format) => {
    expect(errorsOf(await get(`${V2}/tokens/nope.${format}`), 404, format)[0]).toContain('token');
  });
});

describe('the defaults over a stored history (90 days, first 1000)', () => {
  const DAY = 24 * 60 * 60 * 1000;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let connection: mongoose.Connection;
  let oldId: string;

  // Tickets cannot be back-dated through any API, so history is written beside the service: copies of a ticket it
  // created, with other ids and creation times and no pending events.
  beforeAll(async () => {
    const templateId = await createRequest({ service_code: 'sanitation', description: '历史诉求' });
    connection = await mongoose
      .createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', {
        dbName: namespaced('linli-resident-requests', '-'),
      })
      .asPromise();
    const tickets = connection.collection<Record<string, unknown>>('tickets');
    const template = await tickets.findOne({ _id: templateId } as never);
    expect(template).not.toBeNull();
    const copy = (id: string, createdAt: Date) => {
      const { outboxLease: _lease, ...rest } = template as Record<string, unknown>;
      return { ...rest, _id: id, createdAt, updatedAt: createdAt, outbox: [] };
    };
    const tag = randomBytes(3).toString('hex');
    const tenDaysAgo = Date.now() - 10 * DAY;
    await tickets.insertMany(
      Array.from({ length: 1001 }, (_, i) =>
        copy(`H${tag}-${i}`, new Date(tenDaysAgo - i * 1000)),
      ) as never[],
    );
    oldId = `O${tag}`;
    await tickets.insertOne(copy(oldId, new Date(Date.now() - 91 * DAY)) as never);
  }, 120_000);

  afterAll(async () => {
    await connection?.close();
  });

  it('answers the first 1000 requests, newest first, and pages on with page and page_size', async () => {
    const first = json(await get(`${V2}/requests.json`)) as Json[];
    expect(first).toHaveLength(1000);
    const rest = json(await get(`${V2}/requests.json?page=2&page_size=1000`)) as Json[];
    expect(rest.length).toBeGreaterThan(0);
    const ids = new Set([...first, ...rest].map((request) => request.service_request_id));
    expect(ids.size).toBe(first.length + rest.length);
    expect(ids.has(oldId)).toBe(false);
  });

  it('leaves out requests older than 90 days unless a range or an id asks for them', async () => {
    const [old] = json(await get(`${V2}/requests.json?service_request_id=${oldId}`));
    expect(old.service_request_id).toBe(oldId);
    const requestedAt = Date.parse(old.requested_datetime);
    const range = json(
      await get(`${V2}/requests.json?start_date=${iso(requestedAt - DAY)}&end_date=${iso(requestedAt)}`),
    );
    expect(range.map((request: Json) => request.service_request_id)).toEqual([oldId]);
  });
});
