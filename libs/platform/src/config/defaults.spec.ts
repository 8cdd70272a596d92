import { withDefaults } from './defaults';

describe('withDefaults', () => {
  it('keeps a default when the option is undefined and takes a given value otherwise', () => {
    expect(withDefaults({ a: 1, b: 2 }, { a: undefined, b: 3, c: 'x' })).toEqual({ a: 1, b: 3, c: 'x' });
  });
});
