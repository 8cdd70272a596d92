// Personal data (个人信息) as every service handles it: the keyed hashes people are looked up by (lookups that
// survive encryption at rest) and the masks responses apply to phones, identity numbers and addresses.
import { createHmac } from 'node:crypto';
import { normaliseIdentityNumber } from './identity';
import { normalisePhone } from './phone';

// ---- keyed hashes ----

/** HMAC-SHA256 (hex) of an identity number (normalised) under the service's hash key. */
export function identityHash(identityNumber: string, key: string): string {
  return createHmac('sha256', key)
    .update(`identity:${normaliseIdentityNumber(identityNumber)}`)
    .digest('hex');
}

/** HMAC-SHA256 (hex) of a phone number (normalised) under the service's hash key. */
export function phoneHash(phone: string, key: string): string {
  return createHmac('sha256', key)
    .update(`phone:${normalisePhone(phone)}`)
    .digest('hex');
}

// ---- masks ----

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
