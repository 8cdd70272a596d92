// Reporters' phone numbers: the keyed hash the duplicate lookup uses (the shapes are @linli/platform's).
import { normalisePhone } from '@linli/platform';
import { createHmac } from 'node:crypto';

/** HMAC-SHA256 of the normalised number under the configured key (hex). */
export function phoneHash(phone: string, key: string): string {
  return createHmac('sha256', key).update(normalisePhone(phone)).digest('hex');
}
