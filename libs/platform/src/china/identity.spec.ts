import {
  genderOfIdentity,
  identityCheckCharacter,
  identityNumberProblem,
  isRealDate,
  normaliseIdentityNumber,
  birthDateOfIdentity,
} from './identity';

/** A valid number for a birth date and a 3-digit sequence (odd: male). */
function identity(birthDate: string, sequence: string, region = '320106'): string {
  const first17 = `${region}${birthDate.replace(/-/g, '')}${sequence}`;
  return first17 + identityCheckCharacter(first17);
}

describe('the resident identity number (GB 11643)', () => {
  it('computes the check character of the standard example', () => {
    // The example of GB 11643-1999: 11010519491231002X.
    expect(identityCheckCharacter('11010519491231002')).toBe('X');
    expect(identityNumberProblem('11010519491231002X', { birthDate: '1949-12-31', gender: 'female' })).toBe(
      undefined,
    );
  });

  it('accepts a lower-case x', () => {
    expect(identityNumberProblem('11010519491231002x', { birthDate: '1949-12-31' })).toBeUndefined();
    expect(normaliseIdentityNumber(' 11010519491231002x ')).toBe('11010519491231002X');
  });

  it('needs no person to check the number alone', () => {
    expect(identityNumberProblem(identity('1942-03-15', '124'))).toBeUndefined();
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
    expect(birthDateOfIdentity(man)).toBe('1942-03-15');
    expect(genderOfIdentity(man)).toBe('male');
    expect(identityNumberProblem(man, { birthDate: '1942-03-15', gender: 'male' })).toBeUndefined();
    expect(identityNumberProblem(man, { birthDate: '1942-03-16', gender: 'male' })).toMatch(/birth date/);
    expect(identityNumberProblem(man, { birthDate: '1942-03-15', gender: 'female' })).toMatch(/gender/);
    expect(genderOfIdentity(identity('1942-03-15', '124'))).toBe('female');
  });

  it('knows real dates', () => {
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2023-02-29')).toBe(false);
    expect(isRealDate('1950-13-01')).toBe(false);
    expect(isRealDate('1950-1-1')).toBe(false);
  });
});
