// Reporters' phone numbers: which shapes we accept, and the keyed hash the duplicate lookup uses.
import { createHmac } from 'node:crypto';

/** Spaces, dashes and brackets are how people write numbers, not part of them. */
export function normalisePhone(phone: string): string {
  return phone.replace(/[\s\-()]/g, '').replace(/^\+?86(?=1[3-9]\d{9}$)/, '');
}

/** A mainland mobile (1[3-9] + 9 digits, optionally +86) or a landline with its area code (0 + 9 to 11 digits). */
export function isPhone(phone: string): boolean {
  const normalised = normalisePhone(phone);
  return /^1[3-9]\d{9}$/.test(normalised) || /^0\d{2,3}\d{7,8}$/.test(normalised);
}

/** HMAC-SHA256 of the normalised number under the configured key (hex). */
export function phoneHash(phone: string, key: string): string {
  return createHmac('sha256', key).update(normalisePhone(phone)).digest('hex');
}
