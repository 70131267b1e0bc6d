/** SHA-256 in hex: how the server keys secrets and personal data it must not keep in the clear. */
import { createHash } from 'node:crypto';

/** The SHA-256 of `text` (UTF-8), as 64 hex digits. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
