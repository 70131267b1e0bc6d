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

const RUNS = Number(process.env.RUNS ?? 10);

/** In the page: resolves with ms since navigation start when the first video frame is decoded. */
function firstDecodedFrameMs(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const giveUp = performance.now() + 30_000;
        const poll = async (): Promise<void> => {
          const connections = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
          for (const connection of connections) {
            const stats = await connection.getStats();
            let decoded = 0;
            stats.forEach((report: { type: string; kind?: string; framesDecoded?: number }) => {
              if (report.type === 'inbound-rtp' && report.kind === 'video') decoded += report.framesDecoded ?? 0;
            });
            if (decoded > 0) return resolve(performance.now());
          }
          if (performance.now() > giveUp) return reject(new Error('no video frame decoded within 30 s'));
          setTimeout(() => void poll(), 5);
        };
        void poll();
      }),
  );
}

/**
 * Opens `url`; `sessionToken` signs the page's browser in as an officer first. Loading counts as
 * done at DOMContentLoaded, so the timing starts polling before the page has all its resources.
 */
function open(browser: Browser, url: string, sessionToken?: string): Promise<Page> {
  return openPage(browser, url, { sessionToken, waitUntil: 'domcontentloaded' });
}

async function openAndTime(browser: Browser, url: string, sessionToken?: string): Promise<{ page: Page; ms: number }> {
  const page = await open(browser, url, sessionToken);
  return { page, ms: await firstDecodedFrameMs(page) };
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
