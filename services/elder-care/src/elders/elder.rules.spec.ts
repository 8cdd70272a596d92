import { isPhone, normalisePhone, chinaDate } from '@linli/platform';
import {
  ageOn,
  genderOfIdentity,
  identityCheckCharacter,
  identityHash,
  identityNumberProblem,
  isRealDate,
  maskAddress,
  maskIdentityNumber,
  maskPhone,
  phoneHash,
} from './elder.rules';

/** A valid number for a birth date and a 3-digit sequence (odd: male). */
function identity(birthDate: string, sequence: string, region = '320106'): string {
  const first17 = `${region}${birthDate.replace(/-/g, '')}${sequence}`;
  return first17 + identityCheckCharacter(first17);
}

describe('elder rules', () => {
  describe('identity number (GB 11643)', () => {
    it('computes the check character of the standard example', () => {
      // The example of GB 11643-1999: 11010519491231002X.
      expect(identityCheckCharacter('11010519491231002')).toBe('X');
      expect(identityNumberProblem('11010519491231002X', { birthDate: '1949-12-31', gender: 'female' })).toBe(
        undefined,
      );
    });

    it('accepts a lower-case x', () => {
      expect(identityNumberProblem('11010519491231002x', { birthDate: '1949-12-31' })).toBeUndefined();
    });

    it('refuses a wrong check digit', () => {
      const valid = identity('1942-03-15', '124');
      const wrong = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
      expect(identityNumberProblem(wrong, {})).toBe('invalid check digit');
    });

    it('refuses the wrong length or characters', () => {
      expect(identityNumberProblem('32010619420315124', {})).toMatch(/18 characters/);
      expect(identityNumberProblem('3201061942031512A4', {})).toMatch(/18 characters/);
    });

    it('refuses a birth date that does not exist', () => {
      const first17 = '32010619420230124';
      expect(identityNumberProblem(first17 + identityCheckCharacter(first17), {})).toMatch(/real date/);
    });

    it('must agree with the birth date and gender given', () => {
      const man = identity('1942-03-15', '123');
      expect(genderOfIdentity(man)).toBe('male');
      expect(identityNumberProblem(man, { birthDate: '1942-03-15', gender: 'male' })).toBeUndefined();
      expect(identityNumberProblem(man, { birthDate: '1942-03-16', gender: 'male' })).toMatch(/birth date/);
      expect(identityNumberProblem(man, { birthDate: '1942-03-15', gender: 'female' })).toMatch(/gender/);
      expect(genderOfIdentity(identity('1942-03-15', '124'))).toBe('female');
    });
  });

  describe('dates and age', () => {
    it('knows real dates', () => {
      expect(isRealDate('2024-02-29')).toBe(true);
      expect(isRealDate('2023-02-29')).toBe(false);
      expect(isRealDate('1950-13-01')).toBe(false);
      expect(isRealDate('1950-1-1')).toBe(false);
    });

    it('counts full years, the birthday itself included', () => {
      expect(ageOn('1964-06-15', '2024-06-14')).toBe(59);
      expect(ageOn('1964-06-15', '2024-06-15')).toBe(60);
      expect(ageOn('1964-02-29', '2024-02-28')).toBe(59);
      expect(ageOn('1964-02-29', '2024-02-29')).toBe(60);
    });

    it('takes the day in Asia/Shanghai', () => {
      expect(chinaDate(new Date('2024-06-14T15:59:59Z'))).toBe('2024-06-14');
      expect(chinaDate(new Date('2024-06-14T16:00:00Z'))).toBe('2024-06-15');
    });
  });

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

  describe('masks', () => {
    it('masks phones', () => {
      expect(maskPhone('13812345678')).toBe('138****5678');
      expect(maskPhone('025-83591234')).toBe('025****1234');
    });

    it('masks identity numbers', () => {
      expect(maskIdentityNumber('32010619420315123X')).toBe('320106********123X');
    });

    it('cuts addresses after the road or street', () => {
      expect(maskAddress('鼓楼区宁海路 12 号 3 单元 502')).toBe('鼓楼区宁海路…');
      expect(maskAddress('玄武区北京东路 41 号')).toBe('玄武区北京东路…');
      expect(maskAddress('汉中门大街 1 号')).toBe('汉中门大街…');
      expect(maskAddress('梅园新村 7 栋 201')).toBe('梅园新村 7…');
      expect(maskAddress('宁海路')).toBe('宁海路');
    });
  });

  describe('keyed hashes', () => {
    it('are stable, keyed and insensitive to how the value was written', () => {
      const key = 'a-key-of-sixteen-chars';
      expect(identityHash('11010519491231002x', key)).toBe(identityHash('11010519491231002X', key));
      expect(identityHash('11010519491231002X', key)).not.toBe(identityHash('11010519491231002X', `${key}!`));
      expect(phoneHash('138-1234-5678', key)).toBe(phoneHash('13812345678', key));
      expect(phoneHash('13812345678', key)).toMatch(/^[0-9a-f]{64}$/);
    });
  });
});
