// Phone numbers as residents and staff write them in mainland China: which shapes are numbers, and one form to
// store, compare and hash them in (the keyed hash is personal-data.ts's phoneHash).

/** Spaces, dashes and brackets are how people write numbers, not part of them; +86 before a mobile goes too. */
export function normalisePhone(phone: string): string {
  return phone.replace(/[\s\-()]/g, '').replace(/^\+?86(?=1[3-9]\d{9}$)/, '');
}

/** A mainland mobile (1[3-9] + 9 digits, optionally +86) or a landline with its area code (0 + 9 to 11 digits). */
export function isPhone(phone: string): boolean {
  const normalised = normalisePhone(phone);
  return /^1[3-9]\d{9}$/.test(normalised) || /^0\d{2,3}\d{7,8}$/.test(normalised);
}
