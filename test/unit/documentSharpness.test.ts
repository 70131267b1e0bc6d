/**
 * The console's sharpness score, on pictures made in memory: flat is 0, fine detail scores high,
 * and blurring it lowers the score until it falls below the warning threshold. (The threshold
 * itself was calibrated on rendered text; see UNREADABLE_BELOW.)
 */
import { greyOf, laplacianVariance, SHARPNESS_SIDE } from '../../shared/src/image.js';
import { UNREADABLE_BELOW } from '../../officer-console/src/documents/sharpness.js';
import { boxBlur } from '../support/greyPictures.js';

const SIDE = SHARPNESS_SIDE;
const HEIGHT = 360;

/** Dark strokes 2 px wide every 6 px on white, in rows like lines of text: what a document looks like once scaled down. */
function textLike(): Float32Array {
  const grey = new Float32Array(SIDE * HEIGHT).fill(235);
  for (let y = 0; y < HEIGHT; y += 1) {
    if (y % 24 >= 10) continue;
    for (let x = 20; x < SIDE - 20; x += 1) if (x % 6 < 2) grey[y * SIDE + x] = 30;
  }
  return grey;
}

test('a flat picture scores 0, and a picture too small to have an interior too', () => {
  expect(laplacianVariance(new Float32Array(SIDE * HEIGHT).fill(128), SIDE, HEIGHT)).toBe(0);
  expect(laplacianVariance(new Float32Array([1, 2, 3, 4]), 2, 2)).toBe(0);
});

test('text-like detail scores far above the threshold, and lower with every step of blur until it falls under it', () => {
  const scores = [0, 1, 2, 4, 8].map((radius) =>
    laplacianVariance(radius === 0 ? textLike() : boxBlur(textLike(), SIDE, HEIGHT, radius), SIDE, HEIGHT),
  );
  expect(scores[0]).toBeGreaterThan(10 * UNREADABLE_BELOW);
  for (let step = 1; step < scores.length; step += 1) expect(scores[step]).toBeLessThan(scores[step - 1]!);
  expect(scores.at(-1)).toBeLessThan(UNREADABLE_BELOW);
});

test('grey is the Rec. 601 luma of each pixel', () => {
  const rgba = new Uint8ClampedArray([255, 255, 255, 255, 255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255]);
  const grey = greyOf(rgba, 2, 2);
  expect(Array.from(grey).map((value) => Math.round(value * 10) / 10)).toEqual([255, 76.2, 149.7, 29.1]);
});
