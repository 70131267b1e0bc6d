/**
 * Benchmark: time from a page's load to its first decoded frame of the other side's video.
 *   booth → officer video: the officer is already connected; the booth page is opened.
 *   officer → booth video: the booth is already connected; the officer page is opened.
 * Each is measured RUNS times in real headless Chromium against the real server on loopback.
 * Time origin is the page's navigation start (performance.timeOrigin); the first decoded frame
 * is detected by polling the page's own WebRTC stats every 5 ms inside the page.
 *
 * Run: npm run bench:first-frame   (prints a Markdown table for docs/benchmarks.md)
 */
import type { Browser, Page } from 'puppeteer-core';
import { boothPageUrl, launchBrowser, openPage } from '../test/support/browser.js';
import { seedDesk, startTestServer } from '../test/support/testServer.js';
import { printSummaryTable } from './benchSummary.js';
import { navigationStartedAt, nextDecodedFrameAt } from './decodedFrames.js';

const RUNS = Number(process.env.RUNS ?? 10);
/** The page has no stream yet when the watch starts, so its first frame is the first decoded. */
const WATCH = { pollMs: 5, giveUpMs: 30_000 };

/**
 * Opens `url`; `sessionToken` signs the page's browser in as an officer first. Loading counts as
 * done at DOMContentLoaded, so the timing starts polling before the page has all its resources.
 */
function open(browser: Browser, url: string, sessionToken?: string): Promise<Page> {
  return openPage(browser, url, { sessionToken, waitUntil: 'domcontentloaded' });
}

async function openAndTime(browser: Browser, url: string, sessionToken?: string): Promise<{ page: Page; ms: number }> {
  const page = await open(browser, url, sessionToken);
  const [started, decoded] = await Promise.all([navigationStartedAt(page), nextDecodedFrameAt(page, WATCH)]);
  return { page, ms: decoded - started };
}

async function main(): Promise<void> {
  const server = await startTestServer();
  const desk = await seedDesk(server);
  const browser = await launchBrowser();
  const boothUrl = boothPageUrl(server.url, desk.credentials['bilik-1']!);
  const officerUrl = `${server.url}/officer/`;
  const boothSamples: number[] = [];
  const officerSamples: number[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const officer = await open(browser, officerUrl, desk.officer.token);
      const booth = await openAndTime(browser, boothUrl);
      boothSamples.push(booth.ms);
      await officer.close();
      const officerAgain = await openAndTime(browser, officerUrl, desk.officer.token);
      officerSamples.push(officerAgain.ms);
      await Promise.all([booth.page.close(), officerAgain.page.close()]);
      process.stderr.write(`run ${run}/${RUNS}: booth ${Math.round(booth.ms)} ms, officer ${Math.round(officerAgain.ms)} ms\n`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  printSummaryTable('page load → first decoded frame of', [
    ["officer's video, on the booth page", boothSamples],
    ["booth's video, on the officer page", officerSamples],
  ]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
