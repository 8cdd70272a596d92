// The elder registry's pure rules: the resident identity number (GB 11643), phone numbers, the minimum age, the
// masks every response applies to personal data, and the keyed hashes the registry looks people up by.
// (Phone shapes and the date in China are @linli/platform's, shared with resident-requests.)
import { normalisePhone } from '@linli/platform';
import { createHmac } from 'node:crypto';

export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];

const IDENTITY_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const IDENTITY_CHECK_CHARACTERS = '10X98765432';

// ---- dates ----

/** A YYYY-MM-DD string naming a day that exists (no 1950-02-30). */
export function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Full years between a birth date and a day (both YYYY-MM-DD): the age on that day. */
export function ageOn(birthDate: string, day: string): number {
  const [birthYear, birthMonth, birthDay] = birthDate.split('-').map(Number);
  const [year, month, dayOfMonth] = day.split('-').map(Number);
  const hadBirthday = month > birthMonth || (month === birthMonth && dayOfMonth >= birthDay);
  return year - birthYear - (hadBirthday ? 0 : 1);
}

// ---- the resident identity number (公民身份号码, GB 11643-1999) ----

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
export function genderOfIdentity(identityNumber: string): Gender {
  return Number(identityNumber[16]) % 2 === 1 ? 'male' : 'female';
}

/**
 * Why an identity number cannot be this person's, or undefined when it can: 18 characters, a real birth date, the
 * check character right, and the birth date and gender it encodes equal to those given.
 */
export function identityNumberProblem(
  value: string,
  person: { birthDate?: string; gender?: string },
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

// ---- keyed hashes (lookups that survive encryption at rest) ----

/** HMAC-SHA256 (hex) of an identity number under PERSONAL_HASH_KEY. */
export function identityHash(identityNumber: string, key: string): string {
  return createHmac('sha256', key)
    .update(`identity:${normaliseIdentityNumber(identityNumber)}`)
    .digest('hex');
}

/** HMAC-SHA256 (hex) of a phone number (normalised) under PERSONAL_HASH_KEY. */
export function phoneHash(phone: string, key: string): string {
  return createHmac('sha256', key)
    .update(`phone:${normalisePhone(phone)}`)
    .digest('hex');
}

// ---- masks (every response, every role, until issue 7 says who may see the whole value) ----

/** `13812345678` → `138****5678`; a landline keeps its first 3 and last 4 the same way. */
export function maskPhone(phone: string): string {
  const normalised = normalisePhone(phone);
  if (normalised.length <= 7) return '*'.repeat(normalised.length);
  return `${normalised.slice(0, 3)}${'*'.repeat(normalised.length - 7)}${normalised.slice(-4)}`;
}

/** `32010619420315123X` → `320106********123X` (the region and the last four). */
export function maskIdentityNumber(identityNumber: string): string {
  if (identityNumber.length <= 10) return '*'.repeat(identityNumber.length);
  return `${identityNumber.slice(0, 6)}${'*'.repeat(identityNumber.length - 10)}${identityNumber.slice(-4)}`;
}

const ROAD_WORDS = /[路街巷道]/;
const ADDRESS_KEEP = 6;

/**
 * Up to and including the first road or street word (路/街/巷/道), then `…`: `鼓楼区宁海路 12 号` → `鼓楼区宁海路…`;
 * with no such word, the first 6 characters and `…`.
 */
export function maskAddress(address: string): string {
  const characters = Array.from(address);
  const road = characters.findIndex((character) => ROAD_WORDS.test(character));
  const keep = road >= 0 ? road + 1 : Math.min(ADDRESS_KEEP, characters.length);
  if (keep >= characters.length) return address;
  return `${characters.slice(0, keep).join('')}…`;
}

// ---- registration (a form or a CSV row: the same rules) ----

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * What the shape checks of a registration cannot see: the identity number against the birth date and gender,
 * the minimum age on `today` (Asia/Shanghai), and the community within the caller's jurisdiction. A field left
 * undefined (absent, or already refused by the shape checks) is not checked again.
 */
export function registrationProblems(
  person: { identityNumber?: string; birthDate?: string; gender?: string; community?: string },
  context: { today: string; minAge: number; covers: (code: string) => boolean },
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (person.identityNumber !== undefined) {
    const identity = identityNumberProblem(person.identityNumber, person);
    if (identity) problems.push({ field: 'identityNumber', message: identity });
  }
  if (person.birthDate !== undefined && ageOn(person.birthDate, context.today) < context.minAge) {
    problems.push({
      field: 'birthDate',
      message: `an elder is ${context.minAge} or older on the day of registration`,
    });
  }
  if (person.community !== undefined && !context.covers(person.community)) {
    problems.push({ field: 'community', message: 'community is outside your jurisdiction' });
  }
  return problems;
}
