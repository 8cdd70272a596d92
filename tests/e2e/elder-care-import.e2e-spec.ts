// A community's elder list imported from CSV over HTTP, as the operator uploads it: the good rows are imported whole,
// each bad row is reported with the field and the reason, and posting the same file again imports nothing twice.
import {
  call,
  identityNumberFor,
  operator,
  startServices,
  supervisor,
  uniqueIdentityNumber,
  upload,
  XIANXIA_ROAD,
  type Json,
} from './support/linli';
import type { ServiceProcess } from '@linli/testing';

const HEADER =
  'name,gender,birthDate,identityNumber,phone,community,address,livingSituation,careLevel,hardship,' +
  'emergencyContactName,emergencyContactRelation,emergencyContactPhone,consent';

function row(fields: {
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  identityNumber: string;
  community?: string;
  livingSituation?: string;
  hardship?: string;
}): string {
  return [
    fields.name,
    fields.gender,
    fields.birthDate,
    fields.identityNumber,
    '13812345678',
    fields.community ?? XIANXIA_ROAD,
    '鼓楼区宁海路 12 号 3 单元 502',
    fields.livingSituation ?? 'alone',
    'self-care',
    fields.hardship ?? '',
    '李明',
    'son',
    '13912345678',
    'yes',
  ].join(',');
}

/** The check digit of a valid identity number changed to another one. */
function withWrongCheckDigit(identityNumber: string): string {
  const last = identityNumber.slice(-1);
  return identityNumber.slice(0, -1) + (last === '1' ? '2' : '1');
}

describe('elder-care: importing a community’s elder list from CSV', () => {
  let elderCare: ServiceProcess;

  beforeAll(async () => {
    [elderCare] = await startServices(['elder-care']);
  });
  afterAll(() => elderCare?.stop());

  it('imports the good rows and reports each bad one with its reason; the same file again imports nothing', async () => {
    const good1 = uniqueIdentityNumber('1940-05-01', 'male');
    const good2 = uniqueIdentityNumber('1950-12-31', 'female');
    const csv = [
      HEADER,
      row({ name: '张德福', gender: 'male', birthDate: '1940-05-01', identityNumber: good1 }),
      row({
        name: '赵桂兰',
        gender: 'female',
        birthDate: '1948-02-02',
        identityNumber: withWrongCheckDigit(uniqueIdentityNumber('1948-02-02', 'female')),
      }),
      row({
        name: '钱永福',
        gender: 'male',
        birthDate: '1945-07-07',
        identityNumber: uniqueIdentityNumber('1945-07-07', 'male'),
        community: '320106999999',
      }),
      row({
        name: '孙秀珍',
        gender: 'female',
        birthDate: '',
        identityNumber: uniqueIdentityNumber('1944-04-04', 'female'),
      }),
      row({
        name: '李淑英',
        gender: 'female',
        birthDate: '1950-12-31',
        identityNumber: good2,
        livingSituation: 'empty-nest',
        hardship: 'low-income;disabled',
      }),
    ].join('\n');

    // A dry run reports what would be imported and stores nothing.
    const dry = await upload(elderCare, '/elders/import?dryRun=true', operator, csv, 'text/csv');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, rows: 5, imported: 2, elderIds: [] });
    expect(dry.body.rejected.map((r: Json) => r.row).sort()).toEqual([2, 3, 4]);
    const before = await call(elderCare, 'GET', `/elders?community=${XIANXIA_ROAD}`, supervisor);
    expect(before.body.total).toBe(0);

    const reply = await upload(elderCare, '/elders/import?dryRun=false', operator, csv, 'text/csv');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ dryRun: false, rows: 5, imported: 2 });
    expect(reply.body.elderIds).toHaveLength(2);
    const rejected: Json[] = reply.body.rejected;
    const byRow = (n: number) => rejected.filter((r) => r.row === n);
    expect(new Set(rejected.map((r) => r.row))).toEqual(new Set([2, 3, 4]));
    expect(byRow(2)).toEqual([
      expect.objectContaining({ field: 'identityNumber', reason: expect.stringMatching(/check digit/i) }),
    ]);
    expect(byRow(3)).toEqual([expect.objectContaining({ field: 'community', reason: expect.any(String) })]);
    expect(byRow(4).map((r) => r.field)).toContain('birthDate');
    for (const entry of rejected) expect(entry.reason.length).toBeGreaterThan(0);
    // No personal data in the report: the reason names the problem, not the value.
    expect(JSON.stringify(rejected)).not.toContain('13812345678');

    // The stored report is the same.
    const stored = await call(elderCare, 'GET', `/elder-imports/${reply.body.importId}`, operator);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ importId: reply.body.importId, imported: 2, rows: 5 });

    // Each good row is one whole elder (masked in the view), marked as imported.
    const elders = await Promise.all(
      (reply.body.elderIds as string[]).map(
        async (id) => (await call(elderCare, 'GET', `/elders/${id}`, supervisor)).body,
      ),
    );
    const zhang = elders.find((e) => e.name === '张德福');
    const li = elders.find((e) => e.name === '李淑英');
    expect(zhang).toMatchObject({
      gender: 'male',
      birthDate: '1940-05-01',
      community: XIANXIA_ROAD,
      livingSituation: 'alone',
      careLevel: 'self-care',
      consentToServices: true,
      status: 'active',
      source: 'import',
      identityNumber: `${good1.slice(0, 6)}********${good1.slice(-4)}`,
      phone: '138****5678',
    });
    expect(zhang.emergencyContacts).toEqual([expect.objectContaining({ name: '李明', relation: 'son' })]);
    expect(li).toMatchObject({
      livingSituation: 'empty-nest',
      hardship: ['low-income', 'disabled'],
      source: 'import',
    });
    const listed = await call(elderCare, 'GET', `/elders?community=${XIANXIA_ROAD}`, supervisor);
    expect(listed.body.total).toBe(2);

    // The same file again: nothing imported twice, the good rows now reported as already registered.
    const repeat = await upload(elderCare, '/elders/import?dryRun=false', operator, csv, 'text/csv');
    expect(repeat.status).toBe(200);
    expect(repeat.body.imported).toBe(0);
    expect(repeat.body.rejected).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 1, reason: 'already registered' }),
        expect.objectContaining({ row: 5, reason: 'already registered' }),
      ]),
    );
    expect((await call(elderCare, 'GET', `/elders?community=${XIANXIA_ROAD}`, supervisor)).body.total).toBe(
      2,
    );
  });

  it('reads Chinese headers and values with a BOM, and reports a row repeated in the file', async () => {
    const id = identityNumberFor('1939-09-09', 11, '320102');
    const header =
      '姓名,性别,出生日期,身份证号,电话,社区代码,地址,居住状况,照护等级,困难类型,紧急联系人,联系人关系,联系人电话,同意服务';
    const line = `周福生,男,1939-09-09,${id},025-83201234,${XIANXIA_ROAD},鼓楼区宁海路 8 号,独居,半失能,特困,周强,儿子,13900001111,是`;
    const csv = `\uFEFF${header}\n${line}\n${line}\n`;
    const reply = await upload(elderCare, '/elders/import', operator, csv, 'text/csv');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ rows: 2, imported: 1 });
    expect(reply.body.rejected).toEqual([expect.objectContaining({ row: 2, reason: 'duplicate in file' })]);
    const elder = (await call(elderCare, 'GET', `/elders/${reply.body.elderIds[0]}`, supervisor)).body;
    expect(elder).toMatchObject({
      name: '周福生',
      gender: 'male',
      livingSituation: 'alone',
      careLevel: 'partly-dependent',
      hardship: ['special-hardship'],
      consentToServices: true,
    });
  });

  it('refuses a file without a required column (400 naming it) and a body that is not CSV (415)', async () => {
    const noBirthDate = `name,gender,identityNumber,phone,community,address,livingSituation,careLevel,consent\n`;
    const missing = await upload(elderCare, '/elders/import', operator, noBirthDate, 'text/csv');
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(missing.body)).toContain('birthDate');

    const json = await call(elderCare, 'POST', '/elders/import', operator, { rows: [] });
    expect(json.status).toBe(415);
  });
});
