import fc from 'fast-check';
import { meanAbsoluteDifference } from '@bilik/shared/image';
import { countdownOf, measure, nextRun, SAMPLE_MS, SHARP_ENOUGH, STEADY_BELOW, STEADY_SAMPLES, verdictOf } from './documentAim.js';

const WIDTH = 64;
const HEIGHT = 40;

/** A document-like picture: dark strokes 2 px wide every 6 px on white, in rows like lines of text, shifted by `shift` px. */
function text(shift = 0): Float32Array {
  const grey = new Float32Array(WIDTH * HEIGHT).fill(235);
  for (let y = 0; y < HEIGHT; y += 1) {
    if (y % 12 >= 6) continue;
    for (let x = 2; x < WIDTH - 2; x += 1) if ((x + shift) % 6 < 2) grey[y * WIDTH + x] = 30;
  }
  return grey;
}

/** The same picture with each pixel averaged with its neighbours `times` times over: out of focus. */
function blurred(source: Float32Array, times: number): Float32Array {
  let grey = source;
  for (let pass = 0; pass < times; pass += 1) {
    const next = new Float32Array(grey.length);
    for (let y = 0; y < HEIGHT; y += 1) {
      for (let x = 0; x < WIDTH; x += 1) {
        let sum = 0;
        let count = 0;
        for (const [dx, dy] of [
          [0, 0],
          [1, 0],
          [-1, 0],
          [0, 1],
          [0, -1],
        ] as const) {
          const sx = x + dx;
          const sy = y + dy;
          if (sx < 0 || sy < 0 || sx >= WIDTH || sy >= HEIGHT) continue;
          sum += grey[sy * WIDTH + sx]!;
          count += 1;
        }
        next[y * WIDTH + x] = sum / count;
      }
    }
    grey = next;
  }
  return grey;
}

const sample = fc.record({
  sharpness: fc.double({ min: 0, max: 1e5, noNaN: true }),
  change: fc.option(fc.double({ min: 0, max: 255, noNaN: true })),
});

test('a sharp document held still is ready; the same document out of focus is blurry, and moved, moving', () => {
  expect(verdictOf(measure(text(), text(), WIDTH, HEIGHT))).toBe('ready');
  expect(verdictOf(measure(blurred(text(), 20), blurred(text(), 20), WIDTH, HEIGHT))).toBe('blurry');
  expect(verdictOf(measure(text(3), text(), WIDTH, HEIGHT))).toBe('moving');
  // The first frame has nothing to be still against.
  expect(verdictOf(measure(text(), null, WIDTH, HEIGHT))).toBe('moving');
});

test('the picture changes by exactly the brightness added to it, and not at all against itself', () => {
  fc.assert(
    fc.property(fc.integer({ min: -20, max: 20 }), (added) => {
      const picture = text();
      const brighter = picture.map((value) => value + added);
      expect(meanAbsoluteDifference(picture, picture)).toBe(0);
      expect(meanAbsoluteDifference(picture, brighter)).toBeCloseTo(Math.abs(added), 5);
      expect(meanAbsoluteDifference(brighter, picture)).toBe(meanAbsoluteDifference(picture, brighter));
    }),
  );
  expect(() => meanAbsoluteDifference(new Float32Array(4), new Float32Array(5))).toThrow(RangeError);
});

test('lighting does not change sharpness, contrast scales it by its square, and blurring never raises it', () => {
  const sharpness = (grey: Float32Array) => measure(grey, null, WIDTH, HEIGHT).sharpness;
  fc.assert(
    fc.property(
      fc.integer({ min: -100, max: 100 }),
      fc.double({ min: 0.1, max: 2, noNaN: true }),
      fc.integer({ min: 0, max: 5 }),
      (offset, contrast, times) => {
        const picture = text();
        expect(sharpness(picture.map((value) => value + offset))).toBeCloseTo(sharpness(picture), 2);
        expect(sharpness(picture.map((value) => value * contrast)) / sharpness(picture)).toBeCloseTo(contrast * contrast, 3);
        expect(sharpness(blurred(picture, times + 1))).toBeLessThanOrEqual(sharpness(blurred(picture, times)) + 1e-6);
      },
    ),
    { numRuns: 30 },
  );
});

test('the photo needs STEADY_SAMPLES good samples in a row: any blurry or moving one starts again', () => {
  fc.assert(
    fc.property(fc.array(sample, { maxLength: 40 }), (samples) => {
      let run = 0;
      let expected = 0;
      for (const next of samples) {
        run = nextRun(run, next);
        const good = next.change !== null && next.change < STEADY_BELOW && next.sharpness >= SHARP_ENOUGH;
        expected = good ? expected + 1 : 0;
        expect(run).toBe(expected);
      }
    }),
  );
});

test('the countdown shows whole seconds left while a run grows, never zero, and nothing before or at the photo', () => {
  expect(countdownOf(0)).toBeNull();
  expect(countdownOf(STEADY_SAMPLES)).toBeNull();
  expect(countdownOf(1)).toBe(Math.ceil(((STEADY_SAMPLES - 1) * SAMPLE_MS) / 1000));
  fc.assert(
    fc.property(fc.integer({ min: 1, max: STEADY_SAMPLES - 2 }), (run) => {
      const now = countdownOf(run)!;
      const next = countdownOf(run + 1)!;
      expect(next).toBeGreaterThanOrEqual(1);
      expect(next).toBeLessThanOrEqual(now);
    }),
  );
});
