/** SHA-256 in hex: how the server keys secrets and personal data it must not keep in the clear. */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The SHA-256 of `text` (UTF-8), as 64 hex digits. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Whether `secret`'s SHA-256 is `storedHash` (hex), compared in constant time. */
export function matchesSha256(secret: string, storedHash: string): boolean {
  return timingSafeEqual(Buffer.from(sha256Hex(secret), 'hex'), Buffer.from(storedHash, 'hex'));
}
