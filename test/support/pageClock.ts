/**
 * A page clock a test can move forward: `performance.now()` in the page runs `offset` ahead of
 * the real one, so what the page times with it (the console's hold timers) can be taken past a
 * threshold at once instead of waiting minutes. Timers (setInterval) run as usual, so the page
 * redraws at its next tick.
 */
import type { Page } from 'puppeteer-core';

/** Installs the movable clock; call before the page loads. */
export async function useMovableClock(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const realNow = performance.now.bind(performance);
    const moved = window as unknown as { __clockOffsetMs: number };
    moved.__clockOffsetMs = 0;
    performance.now = () => realNow() + moved.__clockOffsetMs;
  });
}

/** Moves the page's clock `ms` forward. */
export async function moveClock(page: Page, ms: number): Promise<void> {
  await page.evaluate((ms: number) => {
    (window as unknown as { __clockOffsetMs: number }).__clockOffsetMs += ms;
  }, ms);
}
