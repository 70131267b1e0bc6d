/**
 * BOOTH_UPLINK_KBPS: the uplink one booth may use, as the highest simulcast layer of its camera
 * the media policy lets it send. A branch's line carries every booth of the branch, so capping each
 * booth keeps them from starving each other and the branch's other traffic.
 */
import { SIMULCAST_ENCODINGS } from '@bilik/shared/media';
import { SPATIAL_LAYER_FULL } from './mediaPolicy.js';

/**
 * What the booth's microphone takes of the uplink besides the camera: Opus voice (about 32 kbit/s
 * in Chromium) plus its RTP, SRTP, UDP and IP headers at 50 packets a second (about 25 kbit/s),
 * rounded up, so that a layer said to fit leaves room for the voice too.
 */
export const BOOTH_AUDIO_KBPS = 64;

export interface BoothLayerCap {
  /** The highest simulcast layer a booth may send. */
  maxSpatialLayer: number;
  /**
   * Whether that layer, with every layer below it and the audio, fits the uplink. False only when
   * not even layer 0 does: it is allowed anyway, since a booth must always be seen.
   */
  fits: boolean;
}

/**
 * The highest layer whose maxBitrate, added to those of the layers below it (a booth sends
 * every layer up to the highest) and to BOOTH_AUDIO_KBPS, fits in `uplinkKbps`; null: no cap.
 */
export function boothLayerCap(uplinkKbps: number | null): BoothLayerCap {
  if (uplinkKbps === null) return { maxSpatialLayer: SPATIAL_LAYER_FULL, fits: true };
  let kbps = BOOTH_AUDIO_KBPS;
  let highest: number | null = null;
  for (const [layer, encoding] of SIMULCAST_ENCODINGS.entries()) {
    kbps += encoding.maxBitrate / 1000;
    if (kbps > uplinkKbps) break;
    highest = layer;
  }
  return highest === null ? { maxSpatialLayer: 0, fits: false } : { maxSpatialLayer: highest, fits: true };
}
