import { columnOfField, readHeader, rowToRegistration } from './elder-import.rules';

const ENGLISH =
  'name,gender,birthDate,identityNumber,phone,community,address,livingSituation,careLevel,hardship,' +
  'emergencyContactName,emergencyContactRelation,emergencyContactPhone,consent,lat,lng';
const CHINESE =
  '姓名,性别,出生日期,身份证号,电话,社区代码,地址,居住状况,照护等级,困难类型,紧急联系人,联系人关系,联系人电话,同意服务';

describe('elder import rules', () => {
  it('reads English and Chinese headers alike', () => {
    const english = readHeader(ENGLISH.split(','));
    const chinese = readHeader(CHINESE.split(','));
    expect(english.ok && english.columns.slice(0, 14)).toEqual(chinese.ok && chinese.columns);
  });

  it('names a missing required column, an unknown one and a repeated one', () => {
    const withoutBirthDate = ENGLISH.split(',').filter((name) => name !== 'birthDate');
    expect(readHeader(withoutBirthDate)).toMatchObject({ ok: false, field: 'birthDate' });
    expect(readHeader([...ENGLISH.split(','), 'shoeSize'])).toMatchObject({ ok: false, field: 'shoeSize' });
    expect(readHeader([...ENGLISH.split(','), '姓名'])).toMatchObject({ ok: false, field: 'name' });
  });

  it('turns the list’s words into the API’s values', () => {
    const header = readHeader(CHINESE.split(','));
    if (!header.ok) throw new Error('header');
    const body = rowToRegistration(header.columns, [
      ' 王秀英 ',
      '女',
      '1942-03-15',
      '32010619420315124X',
      '13812345678',
      '320106001003',
      '鼓楼区宁海路 12 号',
      '独居',
      '半失能',
      '低保;残疾',
      '李明',
      '儿子',
      '13912345678',
      '是',
    ]);
    expect(body).toEqual({
      name: '王秀英',
      gender: 'female',
      birthDate: '1942-03-15',
      identityNumber: '32010619420315124X',
      phone: '13812345678',
      community: '320106001003',
      address: '鼓楼区宁海路 12 号',
      livingSituation: 'alone',
      careLevel: 'partly-dependent',
      hardship: ['low-income', 'disabled'],
      emergencyContacts: [{ name: '李明', relation: '儿子', phone: '13912345678' }],
      consentToServices: true,
    });
  });

  it('leaves empty cells absent and unknown words as written, for the validation to name', () => {
    const header = readHeader(ENGLISH.split(','));
    if (!header.ok) throw new Error('header');
    const body = rowToRegistration(header.columns, [
      'A',
      'unknown',
      '',
      '',
      '',
      '',
      '',
      'alone',
      'self-care',
      '',
      '',
      '',
      '',
      'maybe',
      '32.1',
      'east',
    ]);
    expect(body).toEqual({
      name: 'A',
      gender: 'unknown',
      livingSituation: 'alone',
      careLevel: 'self-care',
      hardship: [],
      emergencyContacts: [],
      consentToServices: 'maybe',
      home: { lat: 32.1, lng: 'east' },
    });
  });

  it('reports fields by the list’s column names', () => {
    expect(columnOfField('consentToServices')).toBe('consent');
    expect(columnOfField('emergencyContacts.0.phone')).toBe('emergencyContactPhone');
    expect(columnOfField('home.lng')).toBe('lng');
    expect(columnOfField('birthDate')).toBe('birthDate');
  });
});
