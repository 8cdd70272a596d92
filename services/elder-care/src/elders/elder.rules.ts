// The elder registry's pure rules: the minimum age and what a registration's shape checks cannot see. (Identity
// numbers, phone shapes, masks, keyed hashes and the date in China are @linli/platform's, shared by the services.)
import { identityNumberProblem } from '@linli/platform';

export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];

// ---- dates ----

/** Full years between a birth date and a day (both YYYY-MM-DD): the age on that day. */
export function ageOn(birthDate: string, day: string): number {
  const [birthYear, birthMonth, birthDay] = birthDate.split('-').map(Number);
  const [year, month, dayOfMonth] = day.split('-').map(Number);
  const hadBirthday = month > birthMonth || (month === birthMonth && dayOfMonth >= birthDay);
  return year - birthYear - (hadBirthday ? 0 : 1);
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
