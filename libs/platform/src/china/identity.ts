// The resident identity number (公民身份号码, GB 11643-1999) as every service checks it: its check character, the
// birth date and gender it encodes, and why a given number cannot be a given person's.

export type IdentityGender = 'male' | 'female';

const IDENTITY_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const IDENTITY_CHECK_CHARACTERS = '10X98765432';

/** A YYYY-MM-DD string naming a day that exists (no 1950-02-30). */
export function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The check character (0-9 or X) of the first 17 digits. */
export function identityCheckCharacter(first17: string): string {
  const sum = first17
    .split('')
    .reduce((total, digit, index) => total + Number(digit) * IDENTITY_WEIGHTS[index], 0);
  return IDENTITY_CHECK_CHARACTERS[sum % 11];
}

/** Upper-case X, no surrounding spaces: the form stored and hashed. */
export function normaliseIdentityNumber(value: string): string {
  return value.trim().toUpperCase();
}

/** The birth date (YYYY-MM-DD) the number encodes (digits 7-14). */
export function birthDateOfIdentity(identityNumber: string): string {
  const digits = identityNumber.slice(6, 14);
  return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
}

/** The 17th digit: odd for men, even for women. */
export function genderOfIdentity(identityNumber: string): IdentityGender {
  return Number(identityNumber[16]) % 2 === 1 ? 'male' : 'female';
}

/**
 * Why an identity number cannot be this person's, or undefined when it can: 18 characters, a real birth date, the
 * check character right, and the birth date and gender it encodes equal to those given (when given).
 */
export function identityNumberProblem(
  value: string,
  person: { birthDate?: string; gender?: string } = {},
): string | undefined {
  const identityNumber = normaliseIdentityNumber(value);
  if (!/^\d{17}[\dX]$/.test(identityNumber)) return 'must be 18 characters: 17 digits and a digit or X';
  const encodedBirthDate = birthDateOfIdentity(identityNumber);
  if (!isRealDate(encodedBirthDate)) return 'the birth date it encodes is not a real date';
  if (identityCheckCharacter(identityNumber.slice(0, 17)) !== identityNumber[17]) {
    return 'invalid check digit';
  }
  if (person.birthDate !== undefined && person.birthDate !== encodedBirthDate) {
    return 'the birth date it encodes differs from birthDate';
  }
  if (person.gender !== undefined && person.gender !== genderOfIdentity(identityNumber)) {
    return 'the gender it encodes differs from gender';
  }
  return undefined;
}
