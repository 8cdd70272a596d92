import { isPhone, normalisePhone } from './phone';

describe('phones', () => {
  it('accepts mobiles and landlines as people write them', () => {
    expect(isPhone('13812345678')).toBe(true);
    expect(isPhone('+86 138-1234-5678')).toBe(true);
    expect(isPhone('025-8359 1234')).toBe(true);
    expect(normalisePhone('(025) 83591234')).toBe('02583591234');
  });

  it('refuses what is not a number', () => {
    expect(isPhone('12812345678')).toBe(false);
    expect(isPhone('1381234567')).toBe(false);
    expect(isPhone('call me')).toBe(false);
  });
});
