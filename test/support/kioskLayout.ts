/**
 * The kiosk's screen checked the way a claimant meets it: at the size of the screen it runs on,
 * every visible element whole inside the window, and nothing to scroll (a claimant who never
 * used a touch screen does not know to scroll, and does not see what is below the fold).
 */
import path from 'node:path';
import type { Page } from 'puppeteer-core';

/** A common kiosk screen (and the smallest laptop screen in use at branches). */
export const KIOSK_VIEWPORT = { width: 1366, height: 768 } as const;
/** The other common size of kiosk and office screens: full HD. */
export const FULL_HD_VIEWPORT = { width: 1920, height: 1080 } as const;

/** A screen size checked, named `1366x768` and the like. */
export interface ScreenSize {
  width: number;
  height: number;
  name: string;
}

/** The sizes every screen is checked at: the smallest in use, and full HD. */
export const SCREEN_SIZES: readonly ScreenSize[] = [KIOSK_VIEWPORT, FULL_HD_VIEWPORT].map(({ width, height }) => ({
  width,
  height,
  name: `${width}x${height}`,
}));

/** Runs `check` with the page at each of SCREEN_SIZES in turn, then gives the page back its size. */
export async function atEachScreenSize(page: Page, check: (size: ScreenSize) => Promise<void>): Promise<void> {
  const before = page.viewport();
  try {
    for (const size of SCREEN_SIZES) {
      await page.setViewport({ width: size.width, height: size.height });
      await check(size);
    }
  } finally {
    if (before) await page.setViewport(before);
  }
}

/** What sticks out: each visible element outside the window, and each box that scrolls. */
export interface LayoutFaults {
  /** `testid or tag: its box` of each visible element not wholly inside the window. */
  outside: string[];
  /** `testid, class or tag` of each element (the document included) whose content is taller or wider than its box and may scroll. */
  scrolling: string[];
}

/** The layout faults of what the page shows now. */
export function layoutFaults(page: Page): Promise<LayoutFaults> {
  return page.evaluate(() => {
    const name = (element: Element): string =>
      element.getAttribute('data-testid') ?? (element.classList[0] ? `.${element.classList[0]}` : element.tagName.toLowerCase());
    const width = window.innerWidth;
    const height = window.innerHeight;
    const outside: string[] = [];
    const scrolling: string[] = [];
    for (const element of Array.from(document.body.querySelectorAll('*'))) {
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      // Not drawn: hidden, or with no box at all (script, a hidden section's children).
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
      if (box.left < -0.5 || box.top < -0.5 || box.right > width + 0.5 || box.bottom > height + 0.5) {
        outside.push(
          `${name(element)}: ${Math.round(box.left)},${Math.round(box.top)} to ${Math.round(box.right)},${Math.round(box.bottom)}`,
        );
      }
      const scrolls = ['auto', 'scroll'].includes(style.overflowY) || ['auto', 'scroll'].includes(style.overflowX);
      if (scrolls && (element.scrollHeight > element.clientHeight + 1 || element.scrollWidth > element.clientWidth + 1)) {
        scrolling.push(name(element));
      }
    }
    const root = document.scrollingElement ?? document.documentElement;
    if (root.scrollHeight > window.innerHeight + 1 || root.scrollWidth > window.innerWidth + 1) scrolling.push('document');
    return { outside, scrolling };
  });
}

/**
 * Saves what the page shows as `<name>.png` in the folder BILIK_SCREENSHOT_DIR names, for a
 * person to look at; does nothing when it is unset.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.BILIK_SCREENSHOT_DIR;
  if (folder) await page.screenshot({ path: path.join(folder, `${name}.png`) });
}
