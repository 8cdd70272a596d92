// Password hashing with node's scrypt: a random salt per password, the parameters written into the hash so they can
// be raised later (a hash made with weaker ones is re-made at the next sign-in), constant-time comparison.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParameters {
  /** log2 of N, the CPU/memory cost. */
  logN: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

/** N = 2^15, r = 8, p = 1: 32 MiB and some 50–100 ms per hash on a server core (OWASP's scrypt minimum is 2^17 / 8 / 1 at 128 MiB; see ADR 0023). */
export const SCRYPT_PARAMETERS: ScryptParameters = { logN: 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Hashes from elsewhere may carry any parameters; past these, verification would be a denial of service. */
const MAX_LOG_N = 20;
const MAX_R = 32;
const MAX_P = 16;

const ENCODED =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,})\$([A-Za-z0-9+/]{43,})$/;

function derive(password: string, salt: Buffer, parameters: ScryptParameters, keyBytes: number) {
  const N = 2 ** parameters.logN;
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(
      // One Unicode form, so the same password typed on two keyboards is the same password.
      password.normalize('NFC'),
      salt,
      keyBytes,
      // scrypt needs 128·N·r bytes (plus a little); node's default cap (32 MiB) is exactly that at 2^15 / 8.
      { N, r: parameters.r, p: parameters.p, maxmem: 2 * 128 * N * parameters.r * parameters.p },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

/** `$scrypt$ln=15,r=8,p=1$<salt>$<key>` (the PHC string format, base64 without padding). */
export async function hashPassword(
  password: string,
  parameters: ScryptParameters = SCRYPT_PARAMETERS,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, parameters, KEY_BYTES);
  return `$scrypt$ln=${parameters.logN},r=${parameters.r},p=${parameters.p}$${b64(salt)}$${b64(key)}`;
}

interface Decoded {
  parameters: ScryptParameters;
  salt: Buffer;
  key: Buffer;
}

function decode(encoded: string): Decoded | undefined {
  const match = ENCODED.exec(encoded);
  if (!match) return undefined;
  const [, logN, r, p, salt, key] = match;
  const parameters = { logN: Number(logN), r: Number(r), p: Number(p) };
  if (parameters.logN < 1 || parameters.logN > MAX_LOG_N || parameters.r < 1 || parameters.r > MAX_R)
    return undefined;
  if (parameters.p < 1 || parameters.p > MAX_P) return undefined;
  return {
    parameters,
    salt: Buffer.from(salt as string, 'base64'),
    key: Buffer.from(key as string, 'base64'),
  };
}

/** Whether `password` is the one `encoded` was made from. A malformed hash matches nothing. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const decoded = decode(encoded);
  if (!decoded) return false;
  const key = await derive(password, decoded.salt, decoded.parameters, decoded.key.length);
  return timingSafeEqual(key, decoded.key);
}

/** Whether a hash was made with other parameters than today's (it is re-made at the next successful sign-in). */
export function needsRehash(encoded: string, parameters: ScryptParameters = SCRYPT_PARAMETERS): boolean {
  const decoded = decode(encoded);
  return (
    !decoded ||
    decoded.parameters.logN !== parameters.logN ||
    decoded.parameters.r !== parameters.r ||
    decoded.parameters.p !== parameters.p ||
    decoded.key.length < KEY_BYTES
  );
}

let decoy: Promise<string> | undefined;

/** Makes the decoy hash ahead of the first unknown username (whose answer would otherwise take two hashes). */
export function prepareDecoy(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

/**
 * Spends what checking a real password costs, for a username that does not exist: the answer then takes as long as
 * for a wrong password, so its time does not tell which usernames exist.
 */
export async function spendPasswordCheck(password: string): Promise<void> {
  await verifyPassword(password, await prepareDecoy());
}
