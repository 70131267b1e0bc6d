/**
 * How a booth sends its camera, in one table read by both sides: the booth's browser encodes
 * these layers, and the server's media policy weighs what each costs the branch's uplink
 * (BOOTH_UPLINK_KBPS). Apart from the zod schemas, so the browser apps bundle no zod.
 */

/** One simulcast layer: its resolution as a fraction of the camera's, and its highest bitrate. */
export interface SimulcastEncoding {
  /** The camera's resolution divided by this (4: a quarter of the width and height). */
  readonly scaleResolutionDownBy: number;
  /** Bits per second the encoder may spend on this layer at most. */
  readonly maxBitrate: number;
}

/**
 * A booth's three simulcast layers, spatial layer 0 to 2: a quarter, half and full resolution.
 * A grid tile needs the middle one; the enlarged tile, where a document is read, the full one.
 */
export const SIMULCAST_ENCODINGS: readonly SimulcastEncoding[] = Object.freeze([
  { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 600_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 2_500_000 },
]);
