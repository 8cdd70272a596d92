import { areaPrefixesOf, areasOverlap, jurisdictionOf, nearestCovering, prefixesOf } from './area.rules';

describe('area rules', () => {
  it('lists every administrative prefix of a code', () => {
    expect(prefixesOf('320106001003')).toEqual(['32', '3201', '320106', '320106001', '320106001003']);
    expect(prefixesOf('320106')).toEqual(['32', '3201', '320106']);
  });

  it('keeps each prefix of several areas once', () => {
    expect(areaPrefixesOf(['320106001003', '320106001004'])).toEqual([
      '32',
      '3201',
      '320106',
      '320106001',
      '320106001003',
      '320106001004',
    ]);
  });

  it.each([
    [['320106001003'], ['320106001'], true, 'a community inside a street'],
    [['320106'], ['320106001003'], true, 'a district covering a community'],
    [['320106001003'], ['320106001003'], true, 'the same community'],
    [['320106002002'], ['320106001'], false, 'a community of another street'],
    [['320102'], ['320106'], false, 'another district'],
  ])('%j and %j overlap: %s (%s)', (a, b, expected) => {
    expect(areasOverlap(a, b)).toBe(expected);
  });

  it('takes the longest common administrative code as the jurisdiction', () => {
    expect(jurisdictionOf(['320106001003', '320106001004'])).toBe('320106001');
    expect(jurisdictionOf(['320106001003', '320106002002'])).toBe('320106');
    expect(jurisdictionOf(['320106001003'])).toBe('320106001003');
    expect(jurisdictionOf(['320106', '310101'])).toBe('');
  });

  it('picks the nearest covering contacts, the level above when the nearest has none', () => {
    const street = { id: 's', areas: ['320106001'] };
    const district = { id: 'd', areas: ['320106'] };
    const other = { id: 'o', areas: ['320102'] };
    expect(nearestCovering([district, street, other], '320106001003').map((c) => c.id)).toEqual(['s']);
    expect(nearestCovering([district, other], '320106001003').map((c) => c.id)).toEqual(['d']);
    expect(nearestCovering([other], '320106001003')).toEqual([]);
  });
});
