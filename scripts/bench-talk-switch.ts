/**
 * Benchmark: talk switch latency, from the officer's click on a booth's tile to that booth
 * receiving the officer's voice.
 *
 * Real headless Chromium, real server, loopback. The officer's microphone is a 500 Hz tone and
 * each of the booths' a tone of its own. Each run clicks the tile of the booth not currently
 * talked to (alternating between booths 1 and 2) and times, on the one browser clock
 * (performance.timeOrigin + performance.now() in both pages), from the click to the first
 * moment the booth's received audio carries the tone, watched every 2 ms by an AnalyserNode
 * (1024-sample window). The time includes the server's consumer resume, RTP forwarding, the
 * booth's jitter buffer and playout.
 *
 * Run: npm run bench:talk-switch   (RUNS=30 by default)
 */
import type { Page } from 'puppeteer-core';
import { boothPageUrl, launchBrowser, openPage } from '../test/support/browser.js';
import { seedDesk, startTestServer, waitFor } from '../test/support/testServer.js';
import { printSummaryTable } from './benchSummary.js';

const RUNS = Number(process.env.RUNS ?? 30);
/** RMS level above which the officer's tone counts as arrived; paused audio is digital silence. */
const ARRIVED_RMS = 0.01;

/** In the booth page: resolves with the clock time the received audio first carries sound. */
function whenOfficerHeard(page: Page): Promise<number> {
  return page.evaluate(
    (threshold: number) =>
      new Promise<number>((resolve, reject) => {
        const context = new AudioContext();
        const analyser = Object.assign(context.createAnalyser(), { fftSize: 1024 });
        const listening = new Set<string>();
        // Receivers can appear after this starts (the booth may still be setting up its consumers).
        const listenToNewReceivers = (): void => {
          for (const connection of (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections) {
            for (const { track } of connection.getReceivers()) {
              if (track.kind !== 'audio' || listening.has(track.id)) continue;
              listening.add(track.id);
              context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
            }
          }
        };
        const samples = new Float32Array(analyser.fftSize);
        const giveUp = performance.now() + 10_000;
        const timer = setInterval(() => {
          listenToNewReceivers();
          analyser.getFloatTimeDomainData(samples);
          const rms = Math.sqrt(samples.reduce((sum, value) => sum + value * value, 0) / samples.length);
          if (rms > threshold) {
            clearInterval(timer);
            void context.close();
            resolve(performance.timeOrigin + performance.now());
          } else if (performance.now() > giveUp) {
            clearInterval(timer);
            reject(new Error('the officer was not heard within 10 s'));
          }
        }, 2);
        void context.resume();
      }),
    ARRIVED_RMS,
  );
}

/** In the officer page: clicks the booth's tile and returns the clock time of the click. */
function clickTile(page: Page, boothId: string): Promise<number> {
  return page.evaluate((id: string) => {
    const tile = document.querySelector<HTMLElement>(`[data-testid="booth-tile"][data-booth-id="${id}"]`);
    if (!tile) throw new Error(`no tile for ${id}`);
    const clickedAt = performance.timeOrigin + performance.now();
    tile.click();
    return clickedAt;
  }, boothId);
}

async function main(): Promise<void> {
  const server = await startTestServer();
  const desk = await seedDesk(server);
  const browser = await launchBrowser();
  const samples: number[] = [];
  try {
    const officer = await openPage(browser, `${server.url}/officer/`, { tone: 500, sessionToken: desk.officer.token });
    // Each booth page takes its own credential from its address when it loads.
    const booths = {
      'bilik-1': await openPage(browser, boothPageUrl(server.url, desk.credentials['bilik-1']!), { tone: 700 }),
      'bilik-2': await openPage(browser, boothPageUrl(server.url, desk.credentials['bilik-2']!), { tone: 1000 }),
    };
    await officer.waitForSelector('[data-testid="booth-tile"][data-booth-id="bilik-2"]');
    // The first booth is talked to at once; wait until its audio flows so runs start settled.
    await waitFor(
      'the officer to talk to bilik-1',
      () => officer.$('[data-booth-id="bilik-1"][data-talking="true"]').then(Boolean),
      20_000,
    );
    await whenOfficerHeard(booths['bilik-1']);
    for (let run = 1; run <= RUNS; run++) {
      const target = run % 2 === 1 ? 'bilik-2' : 'bilik-1';
      const heard = whenOfficerHeard(booths[target]);
      const clickedAt = await clickTile(officer, target);
      const latency = (await heard) - clickedAt;
      samples.push(latency);
      process.stderr.write(`run ${run}/${RUNS}: ${target} heard the officer ${Math.round(latency)} ms after the click\n`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  printSummaryTable('click on a tile → that booth hears the officer', [['talk switch', samples]]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
