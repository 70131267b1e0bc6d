import { SignalingError } from './request.js';

/** A short technical name for a failure, for branch staff and the console rather than the claimant. */
export function describeError(error: unknown): string {
  if (error instanceof SignalingError) return `${error.code}: ${error.message}`;
  // getUserMedia rejects with a DOMException whose name (NotAllowedError, NotFoundError...) says most.
  if (error instanceof DOMException) return `${error.name}: ${error.message}`;
  // navigator.mediaDevices is undefined outside a secure context, which surfaces as a TypeError.
  return error instanceof Error ? error.message : String(error);
}
