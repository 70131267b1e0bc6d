/**
 * When the kiosk takes a document photo by itself: the camera's frames are sampled every
 * SAMPLE_MS as grey copies SHARPNESS_SIDE long (the console's sharpness scale), and the photo is
 * taken once the picture has been both sharp (Laplacian variance) and still (little change from
 * the sample before) for STEADY_SAMPLES samples in a row. Pure, so the rules are tested without a
 * camera; documentCapture.ts feeds it the frames.
 */
import { laplacianVariance, meanAbsoluteDifference } from '@bilik/shared/image';

/** How often a frame is measured while the claimant aims. */
export const SAMPLE_MS = 250;
/**
 * The sharpness (Laplacian variance at SHARPNESS_SIDE) a frame needs. Above the console's
 * "likely unreadable" threshold (120, calibrated on rendered ID cards: readable text scored 135
 * and more), so a photo the kiosk takes by itself is not one the officer is warned about.
 */
export const SHARP_ENOUGH = 150;
/**
 * The most a frame may differ from the one before (mean absolute grey difference) and still count
 * as held still. Sensor noise, averaged by the scaling, stays under 2; a card moved by a hand
 * changes 10 and more.
 */
export const STEADY_BELOW = 4;
/** Samples in a row that must be sharp and still: two seconds, shown as a countdown. */
export const STEADY_SAMPLES = 8;
/** After this long aiming without the photo taken, the claimant is offered "Ambil foto" to take it themselves. */
export const MANUAL_AFTER_MS = 5_000;

/** What one sample says of the picture. */
export interface AimSample {
  sharpness: number;
  /** Mean absolute difference from the sample before; null for the first. */
  change: number | null;
}

/** Why a sample does not count toward the photo, or 'ready' when it does. */
export type AimVerdict = 'ready' | 'blurry' | 'moving';

/** Measures one grey frame against the one before it (null for the first); both `width` × `height`. */
export function measure(grey: Float32Array, previous: Float32Array | null, width: number, height: number): AimSample {
  return {
    sharpness: laplacianVariance(grey, width, height),
    change: previous === null ? null : meanAbsoluteDifference(grey, previous),
  };
}

/** Whether a sample counts toward the photo; the first sample, with nothing to compare, is not yet still. */
export function verdictOf(sample: AimSample): AimVerdict {
  if (sample.change === null || sample.change >= STEADY_BELOW) return 'moving';
  return sample.sharpness >= SHARP_ENOUGH ? 'ready' : 'blurry';
}

/** The number of good samples in a row after `sample`, given `run` before it: any bad sample starts again. */
export function nextRun(run: number, sample: AimSample): number {
  return verdictOf(sample) === 'ready' ? run + 1 : 0;
}

/** The countdown shown while the picture is held (whole seconds left, at least 1), or null when nothing is counting. */
export function countdownOf(run: number): number | null {
  if (run <= 0 || run >= STEADY_SAMPLES) return null;
  return Math.ceil(((STEADY_SAMPLES - run) * SAMPLE_MS) / 1000);
}
