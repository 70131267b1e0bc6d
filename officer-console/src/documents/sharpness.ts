/**
 * A simple sharpness score for document photos: the variance of the Laplacian of a grey copy
 * scaled down to SHARPNESS_SIDE on its long side. Scaling first makes the score depend on the
 * document's detail relative to the picture, not on the camera's resolution, and averages away
 * most sensor noise (which would otherwise pass for detail).
 */
import { greyOf, laplacianVariance, SHARPNESS_SIDE } from '@bilik/shared/image';

/**
 * Below this score the text of a document is likely unreadable. Calibrated with
 * scripts/calibrate-sharpness.ts: an ID card drawn at 1920 × 1080 (22 px text, the card filling
 * 60% of the frame, and the same card at 60% of that size) with mild sensor noise, blurred step by
 * step and read by eye. Still readable scored 135 and more, barely or no longer readable 89 and
 * less; a frame with nothing sharp in it scores about 65.
 */
export const UNREADABLE_BELOW = 120;

/** The sharpness score of `image`, drawn scaled down in a canvas that is never shown. */
export function sharpnessOf(image: ImageBitmap, doc: Document = document): number {
  const scale = Math.min(1, SHARPNESS_SIDE / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const canvas = doc.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  try {
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('no 2D canvas');
    context.drawImage(image, 0, 0, width, height);
    return laplacianVariance(greyOf(context.getImageData(0, 0, width, height).data, width, height), width, height);
  } finally {
    canvas.width = 0;
    canvas.height = 0;
  }
}
