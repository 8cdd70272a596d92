// POST requests: reads a form-encoded GeoReport submission into what a ticket needs, collecting every fault. The
// location must be one of lat & long, address_string or address_id; the ticket's place is always a community of
// the administrative tree: address_id is its code, or the `community_code` attribute names it.
import { Open311Faults } from './open311.errors';
import { single, type RawParameters } from './parameters';
import { attributeByCode, COMMUNITY_ATTRIBUTE, VULNERABLE_ATTRIBUTE } from './services.rules';

/** The specification's limit on description ("free form text limited to 4,000 characters"). */
export const SPEC_DESCRIPTION_MAX = 4000;
/** Bounds of what we keep from a client; a typed name or address beyond these is a mistake, not data. */
export const NAME_PART_MAX = 50;
export const ADDRESS_MAX = 200;
export const MEDIA_URL_MAX = 2048;
export const ACCOUNT_ID_MAX = 100;

/** The parameters the specification defines for POST requests (attribute[…] aside). */
export const SUBMISSION_PARAMETERS = [
  'api_key',
  'jurisdiction_id',
  'service_code',
  'lat',
  'long',
  'address_string',
  'address_id',
  'email',
  'device_id',
  'account_id',
  'first_name',
  'last_name',
  'phone',
  'description',
  'media_url',
] as const;

export interface Open311Submission {
  serviceCode: string;
  /** The ticket's community (its jurisdiction): address_id, else the community_code attribute. */
  communityCode: string;
  location?: { lat: number; lng: number };
  addressString?: string;
  /** Present when the client gave address_id (then equal to communityCode). */
  addressId?: string;
  description?: string;
  reporter: { name?: string; phone?: string };
  /** Keys of VULNERABLE_GROUPS chosen in the vulnerable attribute. */
  vulnerable: string[];
  accountId?: string;
  mediaUrl?: string;
}

export interface CommunityLookup {
  isCommunity(code: string): boolean;
}

const COMMUNITY_CODE = /^\d{12}$/;
/** `attribute[code]`, `attribute[code][]` (multivaluelist) and `attribute[code][0]` (indexed form encoders). */
const ATTRIBUTE_KEY = /^attribute\[([^[\]]+)\](?:\[\d*\])?$/;

export function parseSubmission(parameters: RawParameters, tree: CommunityLookup): Open311Submission {
  const faults = new Open311Faults();
  const serviceCode = single(parameters, 'service_code', faults);
  if (serviceCode === undefined) faults.add('service_code was not provided');

  const attributes = readAttributes(parameters, faults);
  const location = readCoordinates(parameters, faults);
  const addressString = bounded(parameters, 'address_string', ADDRESS_MAX, faults);
  const addressId = single(parameters, 'address_id', faults);
  if (location === undefined && addressString === undefined && addressId === undefined) {
    faults.add('a location was not provided: give lat and long, address_string or address_id');
  }
  if (addressId !== undefined && !isCommunity(addressId, tree)) {
    faults.add('address_id must be the 12-digit code of a community in the administrative tree');
  }

  const communityAttribute = firstOf(attributes.get(COMMUNITY_ATTRIBUTE));
  if (communityAttribute !== undefined && !isCommunity(communityAttribute, tree)) {
    faults.add(
      `attribute[${COMMUNITY_ATTRIBUTE}] must be the 12-digit code of a community in the administrative tree`,
    );
  } else if (
    communityAttribute !== undefined &&
    addressId !== undefined &&
    communityAttribute !== addressId
  ) {
    faults.add(`attribute[${COMMUNITY_ATTRIBUTE}] and address_id name different communities`);
  } else if (communityAttribute === undefined && addressId === undefined) {
    faults.add(`attribute[${COMMUNITY_ATTRIBUTE}] is required unless address_id is given`);
  }

  const description = bounded(parameters, 'description', SPEC_DESCRIPTION_MAX, faults);
  const mediaUrl = readMediaUrl(parameters, faults);
  const name = readName(parameters, faults);
  const phone = single(parameters, 'phone', faults);
  const accountId = bounded(parameters, 'account_id', ACCOUNT_ID_MAX, faults);
  // email and device_id are accepted and deliberately not kept (see ADR 0016): nothing here needs them, and a
  // phone is how the call-back reaches a resident.
  single(parameters, 'email', faults);
  single(parameters, 'device_id', faults);
  faults.throwIfAny();

  return {
    serviceCode: serviceCode as string,
    communityCode: (addressId ?? communityAttribute) as string,
    ...(location ? { location } : {}),
    ...(addressString !== undefined ? { addressString } : {}),
    ...(addressId !== undefined ? { addressId } : {}),
    ...(description !== undefined ? { description } : {}),
    reporter: { ...(name !== undefined ? { name } : {}), ...(phone !== undefined ? { phone } : {}) },
    vulnerable: [...new Set(attributes.get(VULNERABLE_ATTRIBUTE) ?? [])],
    ...(accountId !== undefined ? { accountId } : {}),
    ...(mediaUrl !== undefined ? { mediaUrl } : {}),
  };
}

function isCommunity(code: string, tree: CommunityLookup): boolean {
  return COMMUNITY_CODE.test(code) && tree.isCommunity(code);
}

/** attribute[code]=value pairs, checked against the service definition: unknown codes and values are faults. */
function readAttributes(parameters: RawParameters, faults: Open311Faults): Map<string, string[]> {
  const attributes = new Map<string, string[]>();
  for (const [key, raw] of Object.entries(parameters)) {
    if (!key.startsWith('attribute')) continue;
    const code = ATTRIBUTE_KEY.exec(key)?.[1];
    const definition = code === undefined ? undefined : attributeByCode(code);
    if (code === undefined || !definition) {
      faults.add(`${key} is not an attribute of this service (see its service definition)`);
      continue;
    }
    const values = (Array.isArray(raw) ? raw : [raw])
      .filter((value): value is string | number => typeof value === 'string' || typeof value === 'number')
      .map((value) => String(value).trim())
      .filter((value) => value !== '');
    if (values.length === 0) continue;
    const all = [...(attributes.get(code) ?? []), ...values];
    if (definition.datatype !== 'multivaluelist' && all.length > 1) {
      faults.add(`attribute[${code}] takes one value`);
      continue;
    }
    const unknown = definition.values ? all.filter((value) => !(value in definition.values!)) : [];
    if (unknown.length > 0) {
      faults.add(`attribute[${code}] takes only the keys listed in the service definition`);
      continue;
    }
    attributes.set(code, all);
  }
  return attributes;
}

function readCoordinates(
  parameters: RawParameters,
  faults: Open311Faults,
): { lat: number; lng: number } | undefined {
  const lat = single(parameters, 'lat', faults);
  const long = single(parameters, 'long', faults);
  if (lat === undefined && long === undefined) return undefined;
  if (lat === undefined || long === undefined) {
    faults.add(`${lat === undefined ? 'lat' : 'long'} was not provided: lat and long are sent together`);
    return undefined;
  }
  const latitude = decimal(lat);
  const longitude = decimal(long);
  if (latitude === undefined || Math.abs(latitude) > 90)
    faults.add('lat must be a WGS84 latitude from -90 to 90');
  if (longitude === undefined || Math.abs(longitude) > 180) {
    faults.add('long must be a WGS84 longitude from -180 to 180');
  }
  if (latitude === undefined || longitude === undefined) return undefined;
  return { lat: latitude, lng: longitude };
}

function decimal(text: string): number | undefined {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : undefined;
}

function bounded(
  parameters: RawParameters,
  name: string,
  max: number,
  faults: Open311Faults,
): string | undefined {
  const value = single(parameters, name, faults);
  if (value !== undefined && [...value].length > max) faults.add(`${name} is longer than ${max} characters`);
  return value;
}

function readMediaUrl(parameters: RawParameters, faults: Open311Faults): string | undefined {
  const value = single(parameters, 'media_url', faults);
  if (value === undefined) return undefined;
  let valid = value.length <= MEDIA_URL_MAX;
  try {
    valid &&= ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    valid = false;
  }
  if (!valid) faults.add(`media_url must be an http or https URL of at most ${MEDIA_URL_MAX} characters`);
  return valid ? value : undefined;
}

/**
 * first_name and last_name as one name: family name first and unspaced when either is written in Chinese
 * characters (王 + 秀英 → 王秀英), "first last" otherwise.
 */
function readName(parameters: RawParameters, faults: Open311Faults): string | undefined {
  const first = bounded(parameters, 'first_name', NAME_PART_MAX, faults);
  const last = bounded(parameters, 'last_name', NAME_PART_MAX, faults);
  if (first === undefined && last === undefined) return undefined;
  const han = /\p{Script=Han}/u.test(`${first ?? ''}${last ?? ''}`);
  return han ? `${last ?? ''}${first ?? ''}` : [first, last].filter(Boolean).join(' ');
}

function firstOf(values: readonly string[] | undefined): string | undefined {
  return values?.[0];
}
