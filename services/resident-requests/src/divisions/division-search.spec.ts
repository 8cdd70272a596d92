import { AdministrativeTree, loadAdministrativeTree, type Division } from '@linli/divisions';
import { DivisionIndex, matchRank, normaliseQuery } from './division-search';

const division = (code: string, name: string): Division => {
  const levels = { 2: 'province', 4: 'city', 6: 'district', 9: 'street', 12: 'community' } as const;
  const parents = { 2: undefined, 4: 2, 6: 4, 9: 6, 12: 9 } as const;
  const length = code.length as keyof typeof levels;
  const parent = parents[length];
  return { code, name, level: levels[length], ...(parent ? { parentCode: code.slice(0, parent) } : {}) };
};

const tree = new AdministrativeTree([
  division('32', '江苏省'),
  division('3201', '南京市'),
  division('320106', '鼓楼区'),
  division('320102', '玄武区'),
  division('320106001', '宁海路街道'),
  division('320106002', '华侨路街道'),
  division('320106001003', '仙霞路社区居委会'),
  division('320106001004', '苏州路社区居委会'),
  division('320106002001', '宁海社区居委会'),
  division('320106002002', '新宁海路社区居委会'),
  division('320102002001', '梅园新村社区居委会'),
  division('320102002002', '宁海路社区居委会'),
  division('320102002', '梅园新村街道'),
]);
const index = new DivisionIndex(tree);
const search = (
  text: string,
  options: { under?: string; level?: 'community' | 'street'; limit?: number } = {},
) => index.search({ text, under: options.under ?? '', level: options.level, limit: options.limit ?? 20 });

describe('division search', () => {
  it('ranks an exact name before a name that starts with the text, before one that contains it', () => {
    expect(matchRank({ code: '1', name: '宁海路街道' }, '宁海路街道')).toBe('exact');
    expect(matchRank({ code: '1', name: '宁海路社区居委会' }, '宁海路社区')).toBe('exact');
    expect(matchRank({ code: '1', name: '宁海路街道' }, '宁海')).toBe('prefix');
    expect(matchRank({ code: '1', name: '新宁海路社区居委会' }, '宁海')).toBe('contains');
    expect(matchRank({ code: '1', name: '苏州路社区居委会' }, '宁海')).toBeUndefined();

    expect(search('宁海路社区', { level: 'community' }).map((hit) => hit.name)).toEqual([
      '宁海路社区居委会',
      '新宁海路社区居委会',
    ]);
    expect(search('宁海').map((hit) => hit.code)).toEqual([
      // prefix: the street before the communities (shallower), then the shorter name
      '320106001',
      '320106002001',
      '320102002002',
      // contains
      '320106002002',
    ]);
  });

  it('searches by the start of a code, the exact code first', () => {
    expect(search('320106001').map((hit) => hit.code)).toEqual(['320106001', '320106001003', '320106001004']);
    expect(search('３２０１０２００２').map((hit) => hit.code)).toEqual([
      '320102002',
      '320102002001',
      '320102002002',
    ]);
  });

  it('stays within `under` and the level asked for, and stops at the limit', () => {
    expect(search('宁海', { under: '320106' }).map((hit) => hit.code)).toEqual([
      '320106001',
      '320106002001',
      '320106002002',
    ]);
    expect(search('', { under: '320106001', level: 'community' }).map((hit) => hit.code)).toEqual([
      '320106001003',
      '320106001004',
    ]);
    expect(search('社区', { limit: 2 })).toHaveLength(2);
    expect(search('宁海', { under: '3205' })).toEqual([]);
  });

  it('answers the path above a division, without the province', () => {
    expect(search('仙霞')).toEqual([
      {
        code: '320106001003',
        name: '仙霞路社区居委会',
        level: 'community',
        path: '南京市 鼓楼区 宁海路街道',
      },
    ]);
    expect(search('南京')[0]).toEqual({ code: '3201', name: '南京市', level: 'city', path: '' });
  });

  it('normalises what was typed: full-width characters, spaces, case', () => {
    expect(normaliseQuery(' 仙霞 路 ')).toBe('仙霞路');
    expect(normaliseQuery('３２０１')).toBe('3201');
  });

  it('searches the real Jiangsu tree within a few milliseconds a query', () => {
    const jiangsu = new DivisionIndex(loadAdministrativeTree(['32']));
    expect(jiangsu.size).toBeGreaterThan(20_000);
    const hits = jiangsu.search({ text: '仙霞路', under: '320106', level: 'community', limit: 20 });
    expect(hits[0]).toMatchObject({ code: '320106001003', path: '南京市 鼓楼区 宁海路街道' });
    // Not a timed assertion (machines vary): a number for the report.
    const started = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) jiangsu.search({ text: '路社区', under: '', limit: 20 });
    const perQueryMs = Number(process.hrtime.bigint() - started) / 1e6 / 100;
    process.stdout.write(
      `division search, Jiangsu (${jiangsu.size} divisions): ${perQueryMs.toFixed(2)} ms\n`,
    );
  });
});
