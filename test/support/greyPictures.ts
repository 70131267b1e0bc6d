/** Grey pictures made in memory for tests of the sharpness measures: blurring them, as a lens out of focus does. */

/** A box blur of `radius` pixels of a `width` × `height` grey picture, applied horizontally then vertically. */
export function boxBlur(source: Float32Array, width: number, height: number, radius: number): Float32Array {
  const pass = (input: Float32Array, dx: number, dy: number): Float32Array => {
    const output = new Float32Array(input.length);
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        let sum = 0;
        let count = 0;
        for (let offset = -radius; offset <= radius; offset += 1) {
          const sx = x + offset * dx;
          const sy = y + offset * dy;
          if (sx < 0 || sy < 0 || sx >= width || sy >= height) continue;
          sum += input[sy * width + sx]!;
          count += 1;
        }
        output[y * width + x] = sum / count;
      }
    }
    return output;
  };
  return pass(pass(source, 1, 0), 0, 1);
}
