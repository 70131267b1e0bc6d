/**
 * Benchmark: what a booth's camera costs its branch's uplink, now that it sends only the
 * simulcast layers the officer's view uses, and how long enlarging a tile takes to reach full
 * resolution. Real headless Chromium (fake 1280x720 camera) against the real server:
 *
 *   uplink        the booth's outbound bitrate (video and audio, RTP payload and headers as
 *                 outbound-rtp counts them) over WINDOW_MS, as a grid tile, enlarged, and
 *                 unwatched (the officer's console closed)
 *   downlink      the officer's inbound bitrate with 1, 3 and 6 booths at the desk, as tiles
 *   enlarge       from the click on a tile's enlarge button to the officer decoding a full-width
 *                 (1280) frame of it, RUNS times (the booth turns its full layer on meanwhile)
 *
 * Run: npm run bench:uplink   (prints Markdown tables for docs/benchmarks.md)
 */
import type { Page } from 'puppeteer-core';
import { boothPageUrl, decodedVideoWidth, inboundMedia, launchBrowser, openPage } from '../test/support/browser.js';
import { seedDesk, startTestServer, waitFor } from '../test/support/testServer.js';
import { machineLine, printSummaryTable } from './benchSummary.js';

const RUNS = Number(process.env.RUNS ?? 10);
/** How long each bitrate is averaged over, after SETTLE_MS for the encoder to adapt. */
const WINDOW_MS = Number(process.env.WINDOW_MS ?? 10_000);
const SETTLE_MS = 5_000;
const ENLARGE_BUTTON = '[data-testid="booth-tile"][data-booth-id="bilik-1"] [data-testid="focus-button"]';

/** Bytes the page sent or received over all its peer connections so far. */
function bytes(page: Page, direction: 'outbound-rtp' | 'inbound-rtp'): Promise<number> {
  return page.evaluate(async (type: string) => {
    let total = 0;
    for (const connection of (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? []) {
      if (connection.connectionState === 'closed') continue;
      (await connection.getStats()).forEach(
        (report: { type: string; bytesSent?: number; bytesReceived?: number; headerBytesSent?: number; headerBytesReceived?: number }) => {
          if (report.type !== type) return;
          total +=
            (report.bytesSent ?? 0) + (report.headerBytesSent ?? 0) + (report.bytesReceived ?? 0) + (report.headerBytesReceived ?? 0);
        },
      );
    }
    return total;
  }, direction);
}

/** The page's average bitrate in kbit/s over WINDOW_MS, after SETTLE_MS. */
async function kbps(page: Page, direction: 'outbound-rtp' | 'inbound-rtp'): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const before = await bytes(page, direction);
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const after = await bytes(page, direction);
  return Math.round(((after - before) * 8) / (performance.now() - start));
}

async function main(): Promise<void> {
  const server = await startTestServer();
  const browser = await launchBrowser();
  try {
    const desk = await seedDesk(server);
    const openBooth = (boothId: string) => openPage(browser, boothPageUrl(server.url, desk.credentials[boothId]!));
    const openOfficer = () => openPage(browser, `${server.url}/officer/`, { sessionToken: desk.officer.token });
    const booths = [await openBooth('bilik-1')];
    let officer = await openOfficer();
    await waitFor('the tile to flow', async () => (await inboundMedia(officer)).videoFramesDecoded > 30, 30_000, 200);

    const uplink: Array<[string, number]> = [];
    const downlink: Array<[string, number]> = [];
    uplink.push(['grid tile', await kbps(booths[0]!, 'outbound-rtp')]);
    downlink.push(['1 booth', await kbps(officer, 'inbound-rtp')]);

    await officer.click(ENLARGE_BUTTON);
    await waitFor('full resolution', async () => (await decodedVideoWidth(officer)) === 1280, 20_000, 50);
    uplink.push(['enlarged', await kbps(booths[0]!, 'outbound-rtp')]);

    const enlargeMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await officer.click(ENLARGE_BUTTON);
      await waitFor('tile resolution', async () => (await decodedVideoWidth(officer)) === 640, 20_000, 50);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const clicked = performance.now();
      await officer.click(ENLARGE_BUTTON);
      await waitFor('full resolution', async () => (await decodedVideoWidth(officer)) === 1280, 20_000, 20);
      enlargeMs.push(performance.now() - clicked);
    }
    await officer.click(ENLARGE_BUTTON);

    await officer.close();
    uplink.push(['unwatched (console closed)', await kbps(booths[0]!, 'outbound-rtp')]);

    officer = await openOfficer();
    for (const boothId of ['bilik-2', 'bilik-3']) booths.push(await openBooth(boothId));
    downlink.push(['3 booths', await kbps(officer, 'inbound-rtp')]);
    for (const boothId of ['bilik-4', 'bilik-5', 'bilik-6']) booths.push(await openBooth(boothId));
    downlink.push(['6 booths', await kbps(officer, 'inbound-rtp')]);

    console.log(machineLine(`; averaged over ${WINDOW_MS / 1000} s after ${SETTLE_MS / 1000} s`));
    console.log('| booth uplink | kbit/s |\n| --- | --- |');
    for (const [label, value] of uplink) console.log(`| ${label} | ${value} |`);
    console.log('\n| officer downlink (tiles) | kbit/s |\n| --- | --- |');
    for (const [label, value] of downlink) console.log(`| ${label} | ${value} |`);
    console.log('');
    printSummaryTable('enlarge to a full-width frame', [['click to 1280-wide frame decoded', enlargeMs]]);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
