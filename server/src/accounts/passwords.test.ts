import { ValidationError } from '../errors.js';
import { checkPasswordPolicy, hashPassword, MIN_PASSWORD_LENGTH, needsRehash, PasswordPolicyError, verifyPassword } from './passwords.js';

const PASSWORD = 'correct horse battery';

describe('passwords', () => {
  let stored: string;
  beforeAll(async () => {
    stored = await hashPassword(PASSWORD);
  });

  test('a hash names scrypt, its parameters N=2^15 r=8 p=1, a 16-byte salt and a 32-byte key', () => {
    const [scheme, N, r, p, salt, hash] = stored.split('$');
    expect([scheme, N, r, p]).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(hash!, 'base64')).toHaveLength(32);
    expect(stored).not.toContain(PASSWORD);
  });

  test('the right password verifies and a wrong one does not', async () => {
    await expect(verifyPassword(PASSWORD, stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery ', stored)).resolves.toBe(false);
    await expect(verifyPassword('Correct horse battery', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  test('the same password hashes differently each time (random salt), and both verify', async () => {
    const again = await hashPassword(PASSWORD);
    expect(again).not.toBe(stored);
    await expect(verifyPassword(PASSWORD, again)).resolves.toBe(true);
  });

  test('a password shorter than 12 characters is refused with a message that says so', async () => {
    await expect(hashPassword('short')).rejects.toThrow(PasswordPolicyError);
    await expect(hashPassword('elevenchars')).rejects.toThrow(`at least ${MIN_PASSWORD_LENGTH} characters long (it has 11)`);
    expect(() => checkPasswordPolicy('twelve chars')).not.toThrow();
    expect(new PasswordPolicyError('x')).toBeInstanceOf(ValidationError);
  });

  test('length counts characters, not UTF-16 units: eleven emoji are too short', () => {
    expect(() => checkPasswordPolicy('🔒'.repeat(11))).toThrow(/it has 11/);
    expect(() => checkPasswordPolicy('🔒'.repeat(12))).not.toThrow();
  });

  test('a password typed composed or decomposed verifies the same', async () => {
    const composed = 'kata sandi rahasia \u00e9';
    const decomposed = 'kata sandi rahasia e\u0301';
    await expect(verifyPassword(decomposed, await hashPassword(composed))).resolves.toBe(true);
  });

  test('a hash with other (older) parameters still verifies, and is due for a rehash', async () => {
    const { scryptSync, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const weak = ['scrypt', 2 ** 14, 8, 1, salt.toString('base64'), scryptSync(PASSWORD, salt, 32, { N: 2 ** 14 }).toString('base64')].join(
      '$',
    );
    await expect(verifyPassword(PASSWORD, weak)).resolves.toBe(true);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(stored)).toBe(false);
  });

  test('a stored value that is not an scrypt hash, or asks for absurd cost, is an error, not a mismatch', async () => {
    await expect(verifyPassword(PASSWORD, 'plain-text-password')).rejects.toThrow(/not in the scrypt\$N\$r\$p\$salt\$hash format/);
    const [, , , , salt, hash] = stored.split('$');
    await expect(verifyPassword(PASSWORD, `scrypt$${2 ** 24}$8$1$${salt}$${hash}`)).rejects.toThrow(/format/);
    await expect(verifyPassword(PASSWORD, `scrypt$1000$8$1$${salt}$${hash}`)).rejects.toThrow(/format/);
  });
});
