// Importing a community's elder list from CSV against the real stack: good rows imported (each a complete elder
// with its elder.registered), bad rows reported one entry per problem (check digit, unknown community, missing
// birth date…), nothing imported twice, a dry run writing nothing, and the refusals of the body (415, 413, 400).
import { elderTopic } from '@linli/contracts';
import { EventProbe, type ServiceProcess } from '@linli/testing';
import {
  call,
  GULOU_COMMUNITY,
  operator,
  startElderCare,
  supervisor,
  uniqueIdentityNumber,
  XUANWU_COMMUNITY,
  type Json,
} from './support';

const MAX_ROWS = 40;
const MAX_BYTES = 16 * 1024;
const REGISTERED = 'linli.elder-care.elder.registered.v1';

const HEADER =
  'name,gender,birthDate,identityNumber,phone,community,address,livingSituation,careLevel,hardship,' +
  'emergencyContactName,emergencyContactRelation,emergencyContactPhone,consent,lat,lng';

interface Row {
  name?: string;
  gender?: string;
  birthDate?: string;
  identityNumber?: string;
  phone?: string;
  community?: string;
  address?: string;
  livingSituation?: string;
  careLevel?: string;
  hardship?: string;
  contactName?: string;
  contactRelation?: string;
  contactPhone?: string;
  consent?: string;
  lat?: string;
  lng?: string;
}

/** A good row of a woman born in 1945, with a fresh identity number. */
function row(overrides: Row = {}): Row {
  const birthDate = overrides.birthDate ?? '1945-07-01';
  const gender = overrides.gender === 'male' || overrides.gender === '男' ? 'male' : 'female';
  return {
    name: '陈桂兰',
    gender: '女',
    birthDate,
    identityNumber: uniqueIdentityNumber(birthDate, gender),
    phone: '13812340000',
    community: GULOU_COMMUNITY,
    address: '鼓楼区宁海路 20 号, 1 单元',
    livingSituation: '独居',
    careLevel: '自理',
    hardship: '低保;残疾',
    contactName: '陈强',
    contactRelation: '儿子',
    contactPhone: '13912340000',
    consent: '是',
    lat: '32.0565',
    lng: '118.7694',
    ...overrides,
  };
}

const FIELDS: (keyof Row)[] = [
  'name',
  'gender',
  'birthDate',
  'identityNumber',
  'phone',
  'community',
  'address',
  'livingSituation',
  'careLevel',
  'hardship',
  'contactName',
  'contactRelation',
  'contactPhone',
  'consent',
  'lat',
  'lng',
];

const cell = (value: string | undefined) =>
  value === undefined ? '' : /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

function csv(rows: Row[], header = HEADER): string {
  return [header, ...rows.map((r) => FIELDS.map((field) => cell(r[field])).join(','))].join('\r\n') + '\r\n';
}

/** The identity number with its check character changed: still 18 characters, wrong check digit. */
function wrongCheckDigit(identityNumber: string): string {
  return identityNumber.slice(0, 17) + (identityNumber[17] === '1' ? '2' : '1');
}

describe('elder-care: importing a community’s elder list', () => {
  let service: ServiceProcess;
  let events: EventProbe;

  beforeAll(async () => {
    service = await startElderCare({
      IMPORT_MAX_ROWS: String(MAX_ROWS),
      IMPORT_MAX_BYTES: String(MAX_BYTES),
    });
    events = await EventProbe.start({ topic: elderTopic.name });
  });
  afterAll(async () => {
    await events?.stop();
    const code = await service?.stop();
    if (code !== 0 && code !== null && service) process.stderr.write(service.output());
  });

  const post = (
    body: string,
    query = 'dryRun=false',
    headers = operator(),
    type = 'text/csv; charset=utf-8',
  ) => call(service, 'POST', `/elders/import?${query}`, headers, body, type);

  it('imports the good rows and reports each bad one with its reason; a second post imports nothing', async () => {
    const good = [
      row(),
      row({ gender: '男', name: '赵建国', livingSituation: 'empty-nest', careLevel: '失能' }),
      row(),
    ];
    good[1].identityNumber = uniqueIdentityNumber('1945-07-01', 'male');
    const badCheck = row();
    badCheck.identityNumber = wrongCheckDigit(badCheck.identityNumber as string);
    const unknownCommunity = row({ community: '320106999999' });
    const noBirthDate = row();
    delete noBirthDate.birthDate;
    const file = csv([good[0], badCheck, good[1], unknownCommunity, noBirthDate, good[2]]);

    const response = await post('\uFEFF' + file);
    expect(response.status).toBe(200);
    const report = response.body;
    expect(report).toMatchObject({ dryRun: false, rows: 6, imported: 3 });
    expect(report.importId).toEqual(expect.any(String));
    expect(report.elderIds).toHaveLength(3);
    expect(report.rejected).toEqual([
      { row: 2, field: 'identityNumber', reason: 'invalid check digit' },
      { row: 4, field: 'community', reason: expect.stringMatching(/community/) },
      { row: 5, field: 'birthDate', reason: 'birthDate is required' },
    ]);

    // Each imported elder is one complete document, with its elder.registered (source import).
    for (const elderId of report.elderIds as string[]) {
      const elder = await call(service, 'GET', `/elders/${elderId}`, supervisor());
      expect(elder.status).toBe(200);
      expect(elder.body).toMatchObject({
        source: 'import',
        status: 'active',
        community: GULOU_COMMUNITY,
        hardship: ['low-income', 'disabled'],
        consentToServices: true,
        emergencyContacts: [{ name: '陈强', relation: '儿子', phone: '139****0000' }],
        home: { lat: 32.0565, lng: 118.7694 },
      });
    }
    const second = await call(service, 'GET', `/elders/${report.elderIds[1]}`, supervisor());
    expect(second.body).toMatchObject({ name: '赵建国', gender: 'male', livingSituation: 'empty-nest' });
    expect(second.body.careLevel).toBe('fully-dependent');
    const registered = await events.waitFor(
      (event) => event.type === REGISTERED && report.elderIds.includes(event.subject),
      { count: 3 },
    );
    expect(registered.map((event) => (event.data as Json).source)).toEqual(['import', 'import', 'import']);

    // The stored report, for later.
    const stored = await call(service, 'GET', `/elder-imports/${report.importId}`, supervisor());
    expect(stored.status).toBe(200);
    expect(stored.body).toEqual(report);
    expect((await call(service, 'GET', `/elder-imports/${report.importId}`, operator('320102'))).status).toBe(
      404,
    );

    // The same file again: nothing imported twice.
    const again = await post(file);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ rows: 6, imported: 0, elderIds: [] });
    expect(again.body.rejected).toEqual([
      { row: 1, field: 'identityNumber', reason: 'already registered' },
      { row: 2, field: 'identityNumber', reason: 'invalid check digit' },
      { row: 3, field: 'identityNumber', reason: 'already registered' },
      { row: 4, field: 'community', reason: expect.any(String) },
      { row: 5, field: 'birthDate', reason: 'birthDate is required' },
      { row: 6, field: 'identityNumber', reason: 'already registered' },
    ]);
  });

  it('reports every problem of a row, repeats within the file, and communities outside the jurisdiction', async () => {
    const first = row();
    const repeat = { ...row(), identityNumber: first.identityNumber };
    const many = row({ phone: '123', livingSituation: '群居', consent: 'maybe', contactPhone: 'x' });
    const young = row({ birthDate: '1990-01-01' });
    const mismatch = row({ gender: '男' });
    mismatch.identityNumber = uniqueIdentityNumber('1945-07-01', 'female');
    const outside = row({ community: XUANWU_COMMUNITY });
    const response = await post(csv([first, repeat, many, young, mismatch, outside]));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ rows: 6, imported: 1 });
    const rejected = response.body.rejected as Json[];
    expect(rejected.filter((entry) => entry.row === 2)).toEqual([
      { row: 2, field: 'identityNumber', reason: 'duplicate in file' },
    ]);
    expect(rejected.filter((entry) => entry.row === 3).map((entry) => entry.field)).toEqual(
      expect.arrayContaining(['phone', 'livingSituation', 'consent', 'emergencyContactPhone']),
    );
    expect(rejected.filter((entry) => entry.row === 4)).toEqual([
      { row: 4, field: 'birthDate', reason: expect.stringMatching(/60 or older/) },
    ]);
    expect(rejected.filter((entry) => entry.row === 5)).toEqual([
      { row: 5, field: 'identityNumber', reason: expect.stringMatching(/gender/) },
    ]);
    expect(rejected.filter((entry) => entry.row === 6)).toEqual([
      { row: 6, field: 'community', reason: expect.stringMatching(/jurisdiction/) },
    ]);
  });

  it('two imports of one list at once: each elder registered once, the loser reports them registered', async () => {
    const file = csv(Array.from({ length: 12 }, () => row()));
    const [a, b] = await Promise.all([post(file), post(file, 'dryRun=false', supervisor())]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.imported + b.body.imported).toBe(12);
    const reasons = [...a.body.rejected, ...b.body.rejected].map((entry: Json) => entry.reason);
    expect(reasons).toHaveLength(12);
    expect(new Set(reasons)).toEqual(new Set(['already registered']));
    const ids = [...a.body.elderIds, ...b.body.elderIds];
    expect(new Set(ids).size).toBe(12);
  });

  it('reads Chinese headers', async () => {
    const header =
      '姓名,性别,出生日期,身份证号,电话,社区代码,地址,居住状况,照护等级,困难类型,紧急联系人,联系人关系,联系人电话,同意服务,lat,lng';
    const response = await post(csv([row({ consent: '否', hardship: '' })], header));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ rows: 1, imported: 1, rejected: [] });
    const elder = await call(service, 'GET', `/elders/${response.body.elderIds[0]}`, operator());
    expect(elder.body).toMatchObject({ consentToServices: false, hardship: [], livingSituation: 'alone' });
  });

  it('writes nothing on a dry run', async () => {
    const rows = [row(), row()];
    const before = await call(service, 'GET', '/elders?pageSize=1', operator());
    const dry = await post(csv(rows), 'dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({
      importId: null,
      dryRun: true,
      rows: 2,
      imported: 2,
      rejected: [],
      elderIds: [],
    });
    const after = await call(service, 'GET', '/elders?pageSize=1', operator());
    expect(after.body.total).toBe(before.body.total);
    // The same rows for real: imported now (the dry run registered nothing).
    const real = await post(csv(rows));
    expect(real.body).toMatchObject({ imported: 2, rejected: [] });
    expect((await call(service, 'GET', '/elders?pageSize=1', operator())).body.total).toBe(
      before.body.total + 2,
    );
  });

  it('refuses what is not an elder list: 415, 413, a missing column, too many rows', async () => {
    const json = await call(service, 'POST', '/elders/import', operator(), { rows: [] });
    expect(json.status).toBe(415);
    expect(json.headers.get('content-type')).toContain('application/problem+json');
    expect((await post(csv([row()]), '', operator(), 'text/plain')).status).toBe(415);

    const big = csv(Array.from({ length: 200 }, () => row()));
    expect(Buffer.byteLength(big)).toBeGreaterThan(MAX_BYTES);
    const tooBig = await post(big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers.get('content-type')).toContain('application/problem+json');

    const withoutBirthDate = HEADER.replace('birthDate,', '');
    const missing = await post(`${withoutBirthDate}\r\n`);
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([
      { field: 'birthDate', message: expect.stringMatching(/missing column/) },
    ]);

    const tooMany = await post(
      csv(Array.from({ length: MAX_ROWS + 1 }, () => row({ hardship: '', address: 'x路' }))),
    );
    expect(tooMany.status).toBe(413);

    expect((await post(csv([row()]), 'dryRun=perhaps')).status).toBe(400);
    expect((await post('name,"unclosed\r\n')).status).toBe(400);
    const provider = await call(
      service,
      'POST',
      '/elders/import',
      { ...operator(), authorization: '' },
      csv([row()]),
      'text/csv',
    );
    expect(provider.status).toBe(401);
  });
});
