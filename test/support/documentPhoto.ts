/** What a claimant does at the kiosk when the officer asks for a photo of a document. */
import type { Page } from 'puppeteer-core';
import { waitFor } from './testServer.js';

/** Whether the kiosk shows `testId` now. */
export function kioskShows(booth: Page, testId: string): Promise<boolean> {
  return booth.$eval(`[data-testid="${testId}"]`, (element) => element.getBoundingClientRect().height > 0).catch(() => false);
}

/**
 * The kiosk shows its camera in the frame and takes the photo (by itself, or through "Ambil foto"
 * when Chromium's moving test pattern does not hold still), the claimant sends it, and the kiosk
 * puts its panel away again.
 */
export async function boothTakesThePhoto(booth: Page): Promise<void> {
  // The kiosk is always the page in front; so is this one while it takes the photo.
  await booth.bringToFront();
  await booth.waitForSelector('[data-testid="document-live"]', { visible: true, timeout: 15_000 });
  await waitFor(
    'the photo, or "Ambil foto"',
    async () => (await kioskShows(booth, 'document-still')) || (await kioskShows(booth, 'document-manual')),
    15_000,
  );
  if (!(await kioskShows(booth, 'document-still'))) await booth.click('[data-testid="document-manual"]');
  await booth.waitForSelector('[data-testid="document-still"]', { visible: true, timeout: 15_000 });
  await booth.click('[data-testid="document-send"]');
  await booth.waitForSelector('[data-testid="document-capture"]', { hidden: true, timeout: 30_000 });
}
