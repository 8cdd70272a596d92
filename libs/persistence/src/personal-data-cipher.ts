// The cipher of personal data at rest (个人信息加密存储): AES-256-GCM with a random 96-bit IV per value and the field's
// path as additional authenticated data, so a value copied into another field, or altered by a byte, fails to open.
// Each value names the key that sealed it, so keys rotate without a flag day: new writes use the active key, old
// values open with theirs until the rotate command re-seals them (ADR 0026).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigValidationError } from '@linli/platform';
import { Type, type Static } from '@sinclair/typebox';
import { PersistenceError } from './persistence.errors';

/** Prefix (and format version) of a sealed value: `pd1:<keyId>:<iv b64url>:<ciphertext+tag b64url>`. */
export const SEALED_PREFIX = 'pd1:';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_PATTERN = '[A-Za-z0-9_-]{1,32}';
// 32 bytes in standard base64 are 43 characters and one `=`; url-safe alphabet tolerated, padding optional.
const KEY_PATTERN = '[A-Za-z0-9+/_-]{43}=?';

/**
 * Development key ring: known to everyone, so never for real data. A deployment sets both variables (the Helm chart
 * and compose files read them from a secret).
 */
export const PERSONAL_DATA_DEV_KEY_ID = 'dev1';
export const PERSONAL_DATA_DEFAULTS = {
  PERSONAL_DATA_KEYS: `${PERSONAL_DATA_DEV_KEY_ID}:bGlubGktZGV2LXBlcnNvbmFsLWRhdGEta2V5LTMyYiE=`,
  PERSONAL_DATA_KEY_ID: PERSONAL_DATA_DEV_KEY_ID,
} as const;

/**
 * The two variables every service that stores personal data reads; services compose it into their config schema so a
 * malformed key list fails at start-up naming the variable. That the active id is in the list is checked by
 * `personalDataCipherFromEnv` (a schema cannot relate two variables).
 */
export const PersonalDataConfigSchema = Type.Object({
  /** `id:base64key,id:base64key`: every key that may have sealed a stored value (old ones kept until rotated). */
  PERSONAL_DATA_KEYS: Type.String({
    pattern: `^${KEY_ID_PATTERN}:${KEY_PATTERN}(,${KEY_ID_PATTERN}:${KEY_PATTERN})*$`,
    default: PERSONAL_DATA_DEFAULTS.PERSONAL_DATA_KEYS,
  }),
  /** The id of the key new writes use. */
  PERSONAL_DATA_KEY_ID: Type.String({
    pattern: `^${KEY_ID_PATTERN}$`,
    default: PERSONAL_DATA_DEFAULTS.PERSONAL_DATA_KEY_ID,
  }),
  /** With NODE_ENV=production the development key stops start-up unless this is true (a laptop's compose). */
  PERSONAL_DATA_ALLOW_DEV_KEY: Type.Boolean({ default: false }),
});
export type PersonalDataConfig = Static<typeof PersonalDataConfigSchema>;

/** A stored value that cannot be opened: tampered with, moved to another field, or sealed by a key not in the ring. */
export class PersonalDataDecryptionError extends PersistenceError {}

export class PersonalDataCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(
    keys: ReadonlyMap<string, Buffer>,
    readonly activeKeyId: string,
  ) {
    for (const [id, key] of keys) {
      if (key.length !== KEY_BYTES) {
        throw new ConfigValidationError([
          `PERSONAL_DATA_KEYS key ${id} is ${key.length} bytes, not ${KEY_BYTES}`,
        ]);
      }
    }
    if (!keys.has(activeKeyId)) {
      throw new ConfigValidationError([
        `PERSONAL_DATA_KEY_ID ${activeKeyId} names no key of PERSONAL_DATA_KEYS`,
      ]);
    }
    this.keys = new Map(keys);
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** Seals `plain` under the active key, bound to `path` (the field's schema path, array positions left out). */
  seal(plain: string, path: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key(this.activeKeyId), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(path, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${SEALED_PREFIX}${this.activeKeyId}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
  }

  /** Opens a value sealed for `path`; throws PersonalDataDecryptionError rather than return anything unverified. */
  open(value: string, path: string): string {
    const parts = value.split(':');
    if (parts.length !== 4 || `${parts[0]}:` !== SEALED_PREFIX) {
      throw new PersonalDataDecryptionError(`personal data at ${path} is not a ${SEALED_PREFIX} value`);
    }
    const [, keyId, ivText, sealedText] = parts;
    const key = this.keys.get(keyId);
    if (!key) {
      throw new PersonalDataDecryptionError(
        `personal data at ${path} was sealed with key ${keyId}, which is not in PERSONAL_DATA_KEYS (${this.keyIds.join(', ')})`,
      );
    }
    const iv = Buffer.from(ivText, 'base64url');
    const sealed = Buffer.from(sealedText, 'base64url');
    if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) {
      throw new PersonalDataDecryptionError(`personal data at ${path} is truncated`);
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(path, 'utf8'));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      // GCM says only "unable to authenticate": the value was altered, or it belongs to another field.
      throw new PersonalDataDecryptionError(
        `personal data at ${path} failed authentication (altered, or sealed for another field)`,
      );
    }
  }

  /** The key id a sealed value names, or undefined for anything else (clear text from before encryption). */
  static keyIdOf(value: string): string | undefined {
    if (!isSealed(value)) return undefined;
    return value.slice(SEALED_PREFIX.length, value.indexOf(':', SEALED_PREFIX.length));
  }

  private key(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key) throw new PersonalDataDecryptionError(`no key ${id} in PERSONAL_DATA_KEYS`);
    return key;
  }
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

/** Parses `id:base64key,...`; errors name the variable, never echo a key. */
export function parsePersonalDataKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const entry of spec.split(',').map((part) => part.trim())) {
    const separator = entry.indexOf(':');
    const id = separator > 0 ? entry.slice(0, separator) : '';
    if (!new RegExp(`^${KEY_ID_PATTERN}$`).test(id)) {
      throw new ConfigValidationError([
        `PERSONAL_DATA_KEYS entries are id:base64key (an entry has no valid id)`,
      ]);
    }
    if (keys.has(id)) throw new ConfigValidationError([`PERSONAL_DATA_KEYS lists key ${id} twice`]);
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (key.length !== KEY_BYTES) {
      throw new ConfigValidationError([
        `PERSONAL_DATA_KEYS key ${id} is ${key.length} bytes, not ${KEY_BYTES}`,
      ]);
    }
    keys.set(id, key);
  }
  return keys;
}

/** The cipher from the environment (dev defaults when unset), validated: a bad key ring stops the start-up. */
export function personalDataCipherFromEnv(env: NodeJS.ProcessEnv = process.env): PersonalDataCipher {
  const spec = env.PERSONAL_DATA_KEYS || PERSONAL_DATA_DEFAULTS.PERSONAL_DATA_KEYS;
  const activeKeyId = env.PERSONAL_DATA_KEY_ID || PERSONAL_DATA_DEFAULTS.PERSONAL_DATA_KEY_ID;
  const keys = parsePersonalDataKeys(spec);
  const developmentKey = parsePersonalDataKeys(PERSONAL_DATA_DEFAULTS.PERSONAL_DATA_KEYS).get(
    PERSONAL_DATA_DEV_KEY_ID,
  );
  // In production (the services' image) residents' data sealed under a key everyone knows would be as good as
  // clear: refuse it unless explicitly allowed (a laptop's `docker compose up`).
  if (
    env.NODE_ENV === 'production' &&
    env.PERSONAL_DATA_ALLOW_DEV_KEY !== 'true' &&
    developmentKey !== undefined &&
    keys.get(activeKeyId)?.equals(developmentKey)
  ) {
    throw new ConfigValidationError([
      'PERSONAL_DATA_KEYS / PERSONAL_DATA_KEY_ID: the public development key in production; set a key of your own',
    ]);
  }
  return new PersonalDataCipher(keys, activeKeyId);
}
