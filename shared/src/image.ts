/**
 * Pure measures of grey pictures, shared by the kiosk (which decides when a document held to its
 * camera is steady and sharp enough to photograph) and the console (which scores the photo it
 * receives), so both judge sharpness the same way.
 */

/** Long side (pixels) of the grey copy sharpness is computed on (see laplacianVariance). */
export const SHARPNESS_SIDE = 640;

/** Luma (Rec. 601) of RGBA pixels, one value per pixel. */
export function greyOf(rgba: Uint8ClampedArray, width: number, height: number): Float32Array {
  const grey = new Float32Array(width * height);
  for (let pixel = 0; pixel < grey.length; pixel += 1) {
    const at = pixel * 4;
    grey[pixel] = 0.299 * rgba[at]! + 0.587 * rgba[at + 1]! + 0.114 * rgba[at + 2]!;
  }
  return grey;
}

/**
 * Variance of the 4-neighbour Laplacian over the interior pixels; 0 for images too small to have
 * any. Fine detail (the strokes of text) scores high; blur, which removes it, lowers the score.
 */
export function laplacianVariance(grey: Float32Array, width: number, height: number): number {
  let sum = 0;
  let sumOfSquares = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const at = y * width + x;
      const laplacian = grey[at - 1]! + grey[at + 1]! + grey[at - width]! + grey[at + width]! - 4 * grey[at]!;
      sum += laplacian;
      sumOfSquares += laplacian * laplacian;
      count += 1;
    }
  }
  if (count === 0) return 0;
  const mean = sum / count;
  return sumOfSquares / count - mean * mean;
}

/**
 * Mean absolute difference (grey levels) between two pictures of the same size: how much changed
 * from one camera frame to the next. A held document changes little; one moving changes a lot.
 */
export function meanAbsoluteDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`pictures of different sizes (${a.length} and ${b.length} pixels)`);
  if (a.length === 0) return 0;
  let sum = 0;
  for (let pixel = 0; pixel < a.length; pixel += 1) sum += Math.abs(a[pixel]! - b[pixel]!);
  return sum / a.length;
}
