import { randomBytes } from 'node:crypto';
import { ConfigValidationError, defineConfig } from '@linli/platform';
import {
  PERSONAL_DATA_DEFAULTS,
  PersonalDataCipher,
  PersonalDataConfigSchema,
  PersonalDataDecryptionError,
  isSealed,
  parsePersonalDataKeys,
  personalDataCipherFromEnv,
} from './personal-data-cipher';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const ring = (
  active: string,
  keys: [string, Buffer][] = [
    ['k1', k1],
    ['k2', k2],
  ],
) => new PersonalDataCipher(new Map(keys), active);

describe('PersonalDataCipher', () => {
  it('round-trips a value in the pd1 format, with a fresh IV each time', () => {
    const cipher = ring('k1');
    const first = cipher.seal('13812345678', 'phone');
    const second = cipher.seal('13812345678', 'phone');
    expect(first).toMatch(/^pd1:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    expect(first).not.toEqual(second);
    expect(first).not.toContain('13812345678');
    expect(isSealed(first)).toBe(true);
    expect(PersonalDataCipher.keyIdOf(first)).toBe('k1');
    expect(cipher.open(first, 'phone')).toBe('13812345678');
    expect(cipher.open(cipher.seal('', 'phone'), 'phone')).toBe('');
    expect(cipher.open(cipher.seal('南京市鼓楼区中山路1号', 'address'), 'address')).toBe(
      '南京市鼓楼区中山路1号',
    );
  });

  it('refuses a tampered value', () => {
    const cipher = ring('k1');
    const sealed = cipher.seal('320106194001011234', 'identityNumber');
    const [prefix, id, iv, body] = sealed.split(':');
    const bytes = Buffer.from(body, 'base64url');
    bytes[0] ^= 1;
    const tampered = [prefix, id, iv, bytes.toString('base64url')].join(':');
    expect(() => cipher.open(tampered, 'identityNumber')).toThrow(PersonalDataDecryptionError);
    expect(() => cipher.open(sealed.slice(0, -4), 'identityNumber')).toThrow(PersonalDataDecryptionError);
  });

  it('refuses a value moved to another field (the path is authenticated)', () => {
    const cipher = ring('k1');
    const sealed = cipher.seal('13812345678', 'parties.phone');
    expect(() => cipher.open(sealed, 'mediators.phone')).toThrow(/failed authentication/);
  });

  it('names an unknown key instead of returning garbage', () => {
    const sealed = ring('k2').seal('13812345678', 'phone');
    const withoutK2 = ring('k1', [['k1', k1]]);
    expect(() => withoutK2.open(sealed, 'phone')).toThrow(/key k2, which is not in PERSONAL_DATA_KEYS/);
  });

  it('rotates: old values open with their key while new ones use the active key', () => {
    const old = ring('k1').seal('13812345678', 'phone');
    const rotated = ring('k2');
    expect(rotated.open(old, 'phone')).toBe('13812345678');
    expect(PersonalDataCipher.keyIdOf(rotated.seal('13812345678', 'phone'))).toBe('k2');
  });
});

describe('key ring configuration', () => {
  const keys = `k1:${k1.toString('base64')},k2:${k2.toString('base64')}`;

  it('parses id:base64key lists', () => {
    expect([...parsePersonalDataKeys(keys).keys()]).toEqual(['k1', 'k2']);
    expect(
      personalDataCipherFromEnv({ PERSONAL_DATA_KEYS: keys, PERSONAL_DATA_KEY_ID: 'k2' }).activeKeyId,
    ).toBe('k2');
  });

  it('refuses the development key in production unless allowed', () => {
    expect(() => personalDataCipherFromEnv({ NODE_ENV: 'production' })).toThrow(/development key/);
    expect(
      personalDataCipherFromEnv({ NODE_ENV: 'production', PERSONAL_DATA_ALLOW_DEV_KEY: 'true' }).activeKeyId,
    ).toBe('dev1');
    const own = `k9:${randomBytes(32).toString('base64')}`;
    expect(
      personalDataCipherFromEnv({
        NODE_ENV: 'production',
        PERSONAL_DATA_KEYS: own,
        PERSONAL_DATA_KEY_ID: 'k9',
      }).activeKeyId,
    ).toBe('k9');
  });

  it('has a working development default', () => {
    const cipher = personalDataCipherFromEnv({});
    expect(cipher.activeKeyId).toBe(PERSONAL_DATA_DEFAULTS.PERSONAL_DATA_KEY_ID);
    expect(defineConfig(PersonalDataConfigSchema, {})).toEqual({
      ...PERSONAL_DATA_DEFAULTS,
      PERSONAL_DATA_ALLOW_DEV_KEY: false,
    });
  });

  it('refuses a missing active key, a wrong length and a malformed list, naming the variable', () => {
    expect(() => personalDataCipherFromEnv({ PERSONAL_DATA_KEYS: keys, PERSONAL_DATA_KEY_ID: 'k3' })).toThrow(
      /PERSONAL_DATA_KEY_ID k3 names no key of PERSONAL_DATA_KEYS/,
    );
    const short = `k1:${randomBytes(16).toString('base64')}`;
    expect(() =>
      personalDataCipherFromEnv({ PERSONAL_DATA_KEYS: short, PERSONAL_DATA_KEY_ID: 'k1' }),
    ).toThrow(ConfigValidationError);
    expect(() => parsePersonalDataKeys(short)).toThrow(/PERSONAL_DATA_KEYS key k1 is 16 bytes, not 32/);
    expect(() => parsePersonalDataKeys(`${keys},k1:${k1.toString('base64')}`)).toThrow(/twice/);
    expect(() => defineConfig(PersonalDataConfigSchema, { PERSONAL_DATA_KEYS: short })).toThrow(
      /PERSONAL_DATA_KEYS/,
    );
    expect(() => defineConfig(PersonalDataConfigSchema, { PERSONAL_DATA_KEYS: 'no-key-here' })).toThrow(
      /PERSONAL_DATA_KEYS/,
    );
  });
});
