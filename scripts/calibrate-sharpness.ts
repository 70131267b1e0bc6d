/**
 * Calibration of the console's "Kemungkinan tidak terbaca" threshold (UNREADABLE_BELOW in
 * officer-console/src/documents/sharpness.ts). Chromium draws an ID card with 22 px text at
 * 1920 × 1080 (the card filling 60% of the frame, then the same card at 60% of that size), blurs
 * it step by step and adds mild sensor noise; the console's own score is computed on each, and
 * a crop of each is written as PNG so a person can judge which are still readable.
 *
 * Run: node scripts/run.mjs tool scripts/calibrate-sharpness.ts   (OUT_DIR: where the crops go)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UNREADABLE_BELOW } from '../officer-console/src/documents/sharpness.js';
import { greyOf, laplacianVariance, SHARPNESS_SIDE } from '../shared/src/image.js';
import { launchBrowser } from '../test/support/browser.js';

const OUT_DIR = process.env.OUT_DIR ?? '/tmp/bilik-sharpness';
const CARD_SCALES = [1, 0.6];
const BLUR_PX = [0, 1, 2, 3, 4, 6];

interface Rendered {
  /** The frame scaled to SHARPNESS_SIDE, as the console scales it: RGBA, base64. */
  scaled: string;
  width: number;
  height: number;
  /** A crop of the card's text at full resolution, PNG, base64. */
  crop: string;
}

const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  // tsx gives every function esbuild's `__name` helper, which the page must have too.
  await page.evaluate('globalThis.__name = (target) => target;');
  await mkdir(OUT_DIR, { recursive: true });
  const rows: string[] = ['| card scale | blur (px) | score | warned |', '|---|---|---|---|'];
  for (const scale of CARD_SCALES) {
    for (const blur of BLUR_PX) {
      const rendered = await page.evaluate(renderCard, { scale, blur, side: SHARPNESS_SIDE });
      const rgba = new Uint8ClampedArray(Buffer.from(rendered.scaled, 'base64'));
      const score = laplacianVariance(greyOf(rgba, rendered.width, rendered.height), rendered.width, rendered.height);
      const file = path.join(OUT_DIR, `card-${scale}-blur-${blur}.png`);
      await writeFile(file, Buffer.from(rendered.crop, 'base64'));
      rows.push(`| ${scale} | ${blur} | ${Math.round(score)} | ${score < UNREADABLE_BELOW ? 'yes' : 'no'} |`);
    }
  }
  console.log(`Threshold: ${UNREADABLE_BELOW}; crops in ${OUT_DIR}\n\n${rows.join('\n')}`);
} finally {
  await browser.close();
}

/** In the page: draws the card, blurs it, adds noise, and returns the scaled frame and a full-size crop. */
async function renderCard({ scale, blur, side }: { scale: number; blur: number; side: number }): Promise<Rendered> {
  const width = 1920;
  const height = 1080;
  const card = new OffscreenCanvas(width, height);
  const draw = card.getContext('2d')!;
  draw.fillStyle = '#6b5a48';
  draw.fillRect(0, 0, width, height);
  const cardWidth = 1100 * scale;
  const cardHeight = 700 * scale;
  const left = (width - cardWidth) / 2;
  const top = (height - cardHeight) / 2;
  draw.fillStyle = '#e8eef5';
  draw.fillRect(left, top, cardWidth, cardHeight);
  draw.fillStyle = '#1a3c6e';
  draw.font = `bold ${30 * scale}px sans-serif`;
  draw.fillText('PROVINSI DKI JAKARTA', left + 300 * scale, top + 50 * scale);
  draw.fillStyle = '#111111';
  draw.font = `${22 * scale}px sans-serif`;
  const lines = [
    'NIK : 3171234567890001',
    'Nama : SITI RAHAYU',
    'Tempat/Tgl Lahir : JAKARTA, 17-08-1960',
    'Alamat : JL. MERDEKA NO. 45',
    'Pekerjaan : PENSIUNAN',
  ];
  lines.forEach((line, index) => draw.fillText(line, left + 40 * scale, top + (110 + index * 52) * scale));
  draw.fillStyle = '#8899aa';
  draw.fillRect(left + cardWidth - 280 * scale, top + 120 * scale, 220 * scale, 280 * scale);

  const frame = new OffscreenCanvas(width, height);
  const context = frame.getContext('2d')!;
  context.filter = `blur(${blur}px)`;
  context.drawImage(card, 0, 0);
  context.filter = 'none';
  // Sensor noise of ±3 levels, the same on every run.
  const pixels = context.getImageData(0, 0, width, height);
  let seed = 1;
  for (let at = 0; at < pixels.data.length; at += 4) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const noise = (seed / 2147483648 - 0.5) * 6;
    for (let channel = 0; channel < 3; channel += 1) pixels.data[at + channel] = pixels.data[at + channel]! + noise;
  }
  context.putImageData(pixels, 0, 0);

  const factor = side / Math.max(width, height);
  const scaled = new OffscreenCanvas(Math.round(width * factor), Math.round(height * factor));
  const scaledContext = scaled.getContext('2d')!;
  scaledContext.drawImage(frame, 0, 0, scaled.width, scaled.height);
  const crop = new OffscreenCanvas(700, 420);
  crop.getContext('2d')!.drawImage(frame, left, top, 700, 420, 0, 0, 700, 420);
  const base64 = (bytes: Uint8Array | Uint8ClampedArray): string => {
    let text = '';
    for (let index = 0; index < bytes.length; index += 0x8000) text += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
    return btoa(text);
  };
  return {
    scaled: base64(scaledContext.getImageData(0, 0, scaled.width, scaled.height).data),
    width: scaled.width,
    height: scaled.height,
    crop: base64(new Uint8Array(await (await crop.convertToBlob({ type: 'image/png' })).arrayBuffer())),
  };
}
