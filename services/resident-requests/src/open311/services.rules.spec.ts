import { localeOf, toServiceDefinition, toServiceList, type ServiceEntry } from './services.rules';

const repair: ServiceEntry = {
  code: 'repair',
  name: { zh: '维修', en: 'Repair' },
  serviceClass: 'convenience',
  keywords: { zh: ['漏水', '水管'], en: ['leak', 'pipe'] },
};

describe('GeoReport services from the catalogue', () => {
  it('lists a category as a realtime service with metadata, keywords and its service class as group', () => {
    expect(toServiceList([repair], 'zh')).toEqual([
      {
        service_code: 'repair',
        service_name: '维修',
        description: '维修（Repair），便民服务',
        metadata: true,
        type: 'realtime',
        keywords: '漏水, 水管',
        group: '便民服务',
      },
    ]);
    expect(toServiceList([repair], 'en')[0]).toMatchObject({
      service_name: 'Repair',
      group: 'convenience services',
    });
  });

  it('defines the community attribute first and the vulnerable groups as a multivaluelist', () => {
    const definition = toServiceDefinition(repair, 'en') as {
      service_code: string;
      attributes: Record<string, unknown>[];
    };
    expect(definition.service_code).toBe('repair');
    expect(definition.attributes.map((a) => [a.code, a.datatype, a.required, a.order, a.variable])).toEqual([
      ['community_code', 'string', true, 1, true],
      ['vulnerable', 'multivaluelist', false, 2, true],
    ]);
    expect(definition.attributes[1]!.values).toContainEqual({
      key: 'elderly-alone',
      name: 'elder living alone',
    });
    expect(definition.attributes[0]).not.toHaveProperty('values');
  });

  it.each([
    [undefined, 'zh'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['fr-FR, en;q=0.5', 'en'],
    ['en;q=0.3, zh;q=0.7', 'zh'],
    ['de', 'zh'],
  ])('Accept-Language %s → %s', (header, locale) => {
    expect(localeOf(header)).toBe(locale);
  });
});
