/**
 * Password hashing with node's crypto.scrypt. A stored hash names its parameters,
 * `scrypt$N$r$p$saltBase64$hashBase64`, so they can be raised later while old hashes still verify.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ValidationError } from '../errors.js';

/** Fewer characters than this is refused when a password is set. */
export const MIN_PASSWORD_LENGTH = 12;
/** More than this is refused too: nobody types it, it bounds the work per attempt, and the sign-in form takes no more. */
export const MAX_PASSWORD_LENGTH = 256;

/** Cost of new hashes: 2^15 iterations of 128 * r bytes, 32 MiB of memory per hash. */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Stored parameters beyond these are refused rather than run: a tampered row must not hang the server. */
const LIMITS = { maxN: 2 ** 20, maxR: 32, maxP: 16, minKeyBytes: 16, maxKeyBytes: 128 } as const;

/** A password that does not meet the policy; the message says what is wrong. */
export class PasswordPolicyError extends ValidationError {}

/** Throws a PasswordPolicyError unless `plain` is acceptable as a new password. */
export function checkPasswordPolicy(plain: string): void {
  const length = [...normalise(plain)].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new PasswordPolicyError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters long (it has ${length})`);
  }
  if (length > MAX_PASSWORD_LENGTH) throw new PasswordPolicyError(`the password must be at most ${MAX_PASSWORD_LENGTH} characters long`);
}

/** Hashes a new password with a fresh random salt, after checking the length policy. */
export async function hashPassword(plain: string): Promise<string> {
  checkPasswordPolicy(plain);
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(normalise(plain), salt, KEY_BYTES, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/**
 * Whether `plain` is the password `stored` was made from, compared in constant time. Throws if
 * `stored` is not a hash this module wrote (a corrupt row is a fault, not a wrong password).
 */
export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
  const { N, r, p, salt, hash } = parseStored(stored);
  const normalised = normalise(plain);
  // No password that long was ever accepted; refusing it early bounds the work per attempt.
  if ([...normalised].length > MAX_PASSWORD_LENGTH) return false;
  const candidate = await derive(normalised, salt, hash.length, { N, r, p });
  return timingSafeEqual(candidate, hash);
}

/** Whether a stored hash was made with weaker parameters than new hashes get (rehash at sign-in). */
export function needsRehash(stored: string): boolean {
  const { N, r, p, hash } = parseStored(stored);
  return N < COST.N || r < COST.r || p < COST.p || hash.length < KEY_BYTES;
}

// The same characters typed on different systems can arrive composed or decomposed.
function normalise(plain: string): string {
  return plain.normalize('NFC');
}

function parseStored(stored: string): { N: number; r: number; p: number; salt: Buffer; hash: Buffer } {
  const invalid = (): Error => new Error('stored password hash is not in the scrypt$N$r$p$salt$hash format');
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') throw invalid();
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^\d{1,9}$/.test(part) ? Number(part) : NaN)) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const hash = Buffer.from(parts[5]!, 'base64');
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > LIMITS.maxN || !(r >= 1 && r <= LIMITS.maxR) || !(p >= 1 && p <= LIMITS.maxP)) throw invalid();
  if (salt.length < 8 || hash.length < LIMITS.minKeyBytes || hash.length > LIMITS.maxKeyBytes) throw invalid();
  return { N, r, p, salt, hash };
}

function derive(plain: string, salt: Buffer, keyBytes: number, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; node's default limit (32 MiB) is exactly that at N=2^15, r=8.
  const options: ScryptOptions = { ...cost, maxmem: 2 * 128 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(plain, salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
