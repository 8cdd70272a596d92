import { hashPassword, needsRehash, SCRYPT_PARAMETERS, verifyPassword } from './password';

// Cheap parameters where the cost is not what is tested; the real ones once.
const FAST = { logN: 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('hashes with scrypt at N=2^15, r=8, p=1, a 16-byte salt and a 32-byte key, and verifies the password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(SCRYPT_PARAMETERS).toEqual({ logN: 15, r: 8, p: 1 });
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
  });

  it('refuses another password, and a malformed hash matches nothing', async () => {
    const hash = await hashPassword('correct horse battery', FAST);
    await expect(verifyPassword('correct horse batterY', hash)).resolves.toBe(false);
    await expect(verifyPassword('correct horse battery', 'correct horse battery')).resolves.toBe(false);
    await expect(verifyPassword('x', hash.replace('ln=10', 'ln=40'))).resolves.toBe(false);
  });

  it('salts every hash: the same password twice gives two hashes, both verifying', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same password', FAST),
      hashPassword('same password', FAST),
    ]);
    expect(a).not.toBe(b);
    await expect(verifyPassword('same password', a)).resolves.toBe(true);
    await expect(verifyPassword('same password', b)).resolves.toBe(true);
  });

  it('verifies with the parameters written in the hash, and asks for a re-hash when they are not today’s', async () => {
    const old = await hashPassword('an older password', FAST);
    await expect(verifyPassword('an older password', old)).resolves.toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(old, FAST)).toBe(false);
  });

  it('treats the same password in two Unicode forms as one', async () => {
    const hash = await hashPassword('caf\u00e9 au lait!', FAST);
    await expect(verifyPassword('cafe\u0301 au lait!', hash)).resolves.toBe(true);
  });
});
