import type { CategoryDefinition } from './catalogue.types';
import { CATEGORY_DATA } from './categories.data';
import { suggestCategories } from './category-suggestions';

const codes = (text: string) => suggestCategories(text, CATEGORY_DATA).map((suggestion) => suggestion.code);

describe('category suggestions', () => {
  it('suggests repair first for a leaking kitchen pipe, with the keyword it found', () => {
    const [first] = suggestCategories('厨房水管漏水', CATEGORY_DATA);
    expect(first).toEqual({
      code: 'repair',
      name: { zh: '维修服务', en: 'Repairs' },
      score: 1,
      matched: ['漏水'],
    });
  });

  it('finds the category from what residents say, in Chinese and in English', () => {
    expect(codes('楼上邻居半夜噪音太大，想找人调解')[0]).toBe('dispute');
    expect(codes('小区电梯又坏了')[0]).toBe('property');
    expect(codes('家里老人需要助餐')[0]).toBe('elder-care');
    expect(codes('The kitchen tap is leaking')[0]).toBe('repair');
    expect(codes('Strong smell of GAS LEAK in the stairwell')[0]).toBe('emergency');
  });

  it('ranks the category with more keywords matched first, then the longer keyword', () => {
    const catalogue = [
      { code: 'a', name: { zh: 'A', en: 'A' }, keywords: { zh: ['水'], en: [] } },
      { code: 'b', name: { zh: 'B', en: 'B' }, keywords: { zh: ['漏水'], en: [] } },
      { code: 'c', name: { zh: 'C', en: 'C' }, keywords: { zh: ['水', '厨房'], en: [] } },
    ] as unknown as CategoryDefinition[];
    expect(suggestCategories('厨房漏水', catalogue).map((s) => [s.code, s.score])).toEqual([
      ['c', 2],
      ['b', 1],
      ['a', 1],
    ]);
  });

  it('matches English keywords as whole words only, plurals included', () => {
    expect(codes('a block of flats')).not.toContain('repair');
    expect(codes('two broken taps')[0]).toBe('repair');
  });

  it('suggests nothing when no keyword occurs, and at most the limit', () => {
    expect(suggestCategories('你好', CATEGORY_DATA)).toEqual([]);
    expect(suggestCategories('老人 儿童 残疾 就业 健康 心理', CATEGORY_DATA, 3)).toHaveLength(3);
  });
});
