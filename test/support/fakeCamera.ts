/**
 * Pictures for Chromium's fake camera: a y4m video that Chromium plays in a loop as the camera
 * (--use-file-for-fake-video-capture), drawn here so a test decides exactly what the kiosk sees:
 * an ID-card-like document held still and in focus, or one moving and then out of focus.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CHROMIUM_FLAGS } from './browser.js';
import { boxBlur } from './greyPictures.js';

const WIDTH = 640;
const HEIGHT = 360;
const FPS = 10;
const BACKGROUND = 90;
const CARD = 230;
const INK = 25;

/** Where the card is in the picture and how blurred it is. */
interface CardPose {
  offsetX: number;
  offsetY: number;
  /** Box blur radius in pixels; 0 for a sharp picture. */
  blur: number;
}

/** The luma of a grey background with a light card on it, covered in rows of dark strokes like lines of print. */
function cardPicture({ offsetX, offsetY, blur }: CardPose): Float32Array {
  const luma = new Float32Array(WIDTH * HEIGHT).fill(BACKGROUND);
  const cardWidth = 380;
  const cardHeight = 240;
  const left = (WIDTH - cardWidth) / 2 + offsetX;
  const top = (HEIGHT - cardHeight) / 2 + offsetY;
  for (let y = 0; y < cardHeight; y += 1) {
    for (let x = 0; x < cardWidth; x += 1) {
      const line = Math.floor(y / 16);
      // Strokes 2 px wide in words of varying length, on every other 8 px band, inside a margin.
      const inText = y >= 16 && y < cardHeight - 16 && x >= 20 && x < cardWidth - 20 && y % 16 < 8;
      const stroke = inText && x % 5 < 2 && (x + line * 13) % 47 < 38;
      const px = left + x;
      const py = top + y;
      if (px >= 0 && py >= 0 && px < WIDTH && py < HEIGHT) luma[py * WIDTH + px] = stroke ? INK : CARD;
    }
  }
  return blur > 0 ? boxBlur(luma, WIDTH, HEIGHT, blur) : luma;
}

/** Writes `frames` (luma only; the colour planes are neutral) as a 4:2:0 y4m file. */
async function writeY4m(file: string, frames: Float32Array[]): Promise<string> {
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F${FPS}:1 Ip A1:1 C420jpeg\n`);
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const parts: Buffer[] = [header];
  for (const luma of frames) {
    parts.push(Buffer.from('FRAME\n'), Buffer.from(Uint8Array.from(luma, (value) => Math.round(value))), chroma);
  }
  await writeFile(file, Buffer.concat(parts));
  return file;
}

/** The same sharp card in every frame: a document held still and in focus. */
export function steadyDocumentVideo(folder: string): Promise<string> {
  const frame = cardPicture({ offsetX: 0, offsetY: 0, blur: 0 });
  return writeY4m(path.join(folder, 'steady-document.y4m'), [frame, frame]);
}

/**
 * Two seconds of a sharp card moving about, then two seconds of it held still but out of focus:
 * at no moment is it both still and sharp.
 */
export function unsteadyDocumentVideo(folder: string): Promise<string> {
  const moving = Array.from({ length: 2 * FPS }, (_, index) =>
    cardPicture({ offsetX: ((index * 23) % 90) - 45, offsetY: ((index * 11) % 40) - 20, blur: 0 }),
  );
  const blurred = cardPicture({ offsetX: 0, offsetY: 0, blur: 6 });
  return writeY4m(path.join(folder, 'unsteady-document.y4m'), [...moving, ...Array.from({ length: 2 * FPS }, () => blurred)]);
}

/** Chromium's test flags with `video` as its camera. */
export function fakeCameraFlags(video: string): string[] {
  return [...CHROMIUM_FLAGS, `--use-file-for-fake-video-capture=${video}`];
}
