import { Open311Error } from './open311.errors';
import { parseSubmission } from './create-request.rules';

const tree = { isCommunity: (code: string) => ['320106001003', '320102002001'].includes(code) };
const base = { service_code: 'repair', description: '水管漏水' };

function faultsOf(parameters: Record<string, unknown>): string {
  try {
    parseSubmission(parameters, tree);
  } catch (error) {
    expect(error).toBeInstanceOf(Open311Error);
    expect((error as Open311Error).status).toBe(400);
    return (error as Open311Error).errors.map((e) => e.description).join('\n');
  }
  throw new Error('expected a 400');
}

describe('POST requests parameters', () => {
  it('reads coordinates with the community attribute', () => {
    expect(
      parseSubmission(
        { ...base, lat: '32.06', long: '118.78', 'attribute[community_code]': '320106001003' },
        tree,
      ),
    ).toEqual({
      serviceCode: 'repair',
      communityCode: '320106001003',
      location: { lat: 32.06, lng: 118.78 },
      description: '水管漏水',
      reporter: {},
      vulnerable: [],
    });
  });

  it('takes address_id as the community code', () => {
    expect(parseSubmission({ ...base, address_id: '320106001003' }, tree)).toMatchObject({
      communityCode: '320106001003',
      addressId: '320106001003',
    });
  });

  it('reads address_string with the attribute, the reporter and the extras of the specification', () => {
    const submission = parseSubmission(
      {
        ...base,
        address_string: '仙霞路 12 号',
        'attribute[community_code]': '320106001003',
        'attribute[vulnerable][]': ['elderly-alone', 'disabled'],
        first_name: '秀英',
        last_name: '王',
        phone: '13900001000',
        email: 'someone@example.org',
        device_id: 'tt222111',
        account_id: 'acc-1',
        media_url: 'https://example.org/photo.jpg',
        api_key: 'k',
        jurisdiction_id: 'js.linli.gov.cn',
      },
      tree,
    );
    expect(submission).toEqual({
      serviceCode: 'repair',
      communityCode: '320106001003',
      addressString: '仙霞路 12 号',
      description: '水管漏水',
      reporter: { name: '王秀英', phone: '13900001000' },
      vulnerable: ['elderly-alone', 'disabled'],
      accountId: 'acc-1',
      mediaUrl: 'https://example.org/photo.jpg',
    });
  });

  it.each([
    [{ first_name: 'John', last_name: 'Smith' }, 'John Smith'],
    [{ first_name: 'John' }, 'John'],
    [{ last_name: '张' }, '张'],
  ])('names %j as %s', (names, name) => {
    const submission = parseSubmission({ ...base, address_id: '320106001003', ...names }, tree);
    expect(submission.reporter.name).toBe(name);
  });

  it('accepts a single multivaluelist value and the indexed form', () => {
    expect(
      parseSubmission({ ...base, address_id: '320106001003', 'attribute[vulnerable]': 'child' }, tree)
        .vulnerable,
    ).toEqual(['child']);
    expect(
      parseSubmission(
        {
          ...base,
          address_id: '320106001003',
          'attribute[vulnerable][0]': 'child',
          'attribute[vulnerable][1]': 'pregnant',
        },
        tree,
      ).vulnerable,
    ).toEqual(['child', 'pregnant']);
  });

  it.each([
    [{ description: 'x' }, 'service_code was not provided'],
    [{ ...base }, 'a location was not provided'],
    [
      { ...base, lat: '32.06', long: '118.78' },
      'attribute[community_code] is required unless address_id is given',
    ],
    [
      { ...base, address_string: '仙霞路' },
      'attribute[community_code] is required unless address_id is given',
    ],
    [{ ...base, lat: '32.06', 'attribute[community_code]': '320106001003' }, 'long was not provided'],
    [
      { ...base, lat: '95', long: '118', 'attribute[community_code]': '320106001003' },
      'lat must be a WGS84 latitude',
    ],
    [
      { ...base, lat: '32', long: 'east', 'attribute[community_code]': '320106001003' },
      'long must be a WGS84 longitude',
    ],
    [{ ...base, address_id: '320106001001' }, 'address_id must be the 12-digit code of a community'],
    [{ ...base, address_id: '320106' }, 'address_id must be the 12-digit code of a community'],
    [
      { ...base, address_string: 'x', 'attribute[community_code]': '999' },
      'attribute[community_code] must be the 12-digit code',
    ],
    [
      { ...base, address_id: '320106001003', 'attribute[community_code]': '320102002001' },
      'name different communities',
    ],
    [
      { ...base, address_id: '320106001003', 'attribute[colour]': 'red' },
      'attribute[colour] is not an attribute',
    ],
    [
      { ...base, address_id: '320106001003', 'attribute[vulnerable][]': ['rich'] },
      'takes only the keys listed',
    ],
    [
      {
        ...base,
        address_id: '320106001003',
        'attribute[community_code][]': ['320106001003', '320102002001'],
      },
      'attribute[community_code] takes one value',
    ],
    [
      { ...base, address_id: '320106001003', description: 'x'.repeat(4001) },
      'description is longer than 4000',
    ],
    [
      { ...base, address_id: '320106001003', media_url: 'javascript:alert(1)' },
      'media_url must be an http or https URL',
    ],
    [{ ...base, address_id: '320106001003', first_name: 'x'.repeat(51) }, 'first_name is longer than 50'],
    [{ ...base, address_id: ['320106001003', '320102002001'] }, 'address_id must be given once'],
  ])('%j is a 400 naming the parameter', (parameters, message) => {
    expect(faultsOf(parameters)).toContain(message);
  });

  it('treats empty values as not given', () => {
    expect(faultsOf({ ...base, lat: '', long: '', address_string: '', address_id: '' })).toContain(
      'a location was not provided',
    );
  });
});
