/**
 * The whole server killed with SIGKILL during a desk of three booths in session, in real
 * Chromium, and started again on the same data: the real entry (server/src/index.ts) in a child
 * process with the first-run demo, its embedded Redis and PGlite in one throw-away DATA_DIR, as
 * `npm start` runs it. With nobody touching a page, every page decodes new video again (the
 * officer each booth's, each booth the officer's), the same three booths are back at the same
 * officer's desk, a fourth booth keeps its place in the queue, and the killed server's
 * redis-server is gone. Without media, with the outcome acknowledged before the kill:
 * test/integration/serverRestart.test.ts.
 */
import { NAMESPACES, type JourneyState } from '@bilik/shared';
import { request } from '@bilik/shared/client';
import type { Page } from 'puppeteer-core';
import { boothPageUrl, openPage } from '../support/browser.js';
import { mediaBothWays, tileSelector, type DeskPages } from '../support/deskPages.js';
import { joinQueue } from '../support/kioskJourney.js';
import { accepts, demoCredential, demoServerEnv, readDemo, reconnectingSocket, signInDemo } from '../support/serverProcess.js';
import { serverProcessFixture } from '../support/serverProcessFixture.js';
import { useSuiteResources } from '../support/suiteResources.js';
import { freePort, freeRtcPorts, waitFor } from '../support/testServer.js';

const BOOTH_IDS = ['bilik-1', 'bilik-2', 'bilik-3'];
/** The restarted server's readiness, the rebuilt sessions and their ICE and DTLS: seconds on an idle machine (docs/benchmarks.md). */
const HEAL_MS = 60_000;
/** Two server starts (one creating the embedded database), Chromium and four pages: long on a busy machine. */
const SLOW_MS = 300_000;

const resources = useSuiteResources();
const fixture = serverProcessFixture('bilik-restart-media-');

/** Whether every booth's video flows to the officer's tile and the officer's video to the booth, now. */
async function everyBoothBothWays(desk: DeskPages): Promise<boolean> {
  return (await Promise.all(BOOTH_IDS.map((boothId) => mediaBothWays(desk, boothId)))).every(Boolean);
}

/**
 * The booths the console shows, sorted: the tiles follow the order the booths joined the desk,
 * which after a restart is the order their kiosks came back in.
 */
async function boothsShown(officer: Page): Promise<string[]> {
  const shown = await officer.$$eval('[data-testid="booth-tile"]', (tiles) =>
    tiles.map((tile) => tile.getAttribute('data-booth-id') ?? ''),
  );
  return shown.sort();
}

test(
  'after SIGKILL of the server and a fresh start on the same data, every page decodes video again by itself, the same booths are at the same desk and the queue keeps its place',
  async () => {
    const [httpPort, redisPort] = [await freePort(), await freePort()];
    const baseUrl = `http://127.0.0.1:${httpPort}`;
    // The restart reuses it, RTC port included: the killed server's worker must let go of it.
    const env = demoServerEnv(
      fixture.dataDir,
      { http: httpPort, redis: redisPort, rtc: await freeRtcPorts(1) },
      // Longer than the restart even on a loaded machine, as when `npm start` restarts the server
      // at once: the clients find their places unreaped. A lease that runs out: presenceLease.test.ts.
      { PRESENCE_LEASE_SECONDS: '300' },
    );
    let server = fixture.start(env);
    const [browser] = await Promise.all([resources.browser(), server.listening()]);
    const demo = await readDemo(fixture.dataDir);
    const officerCookie = await signInDemo(baseUrl, demo, 'petugas-1');

    const officer = await openPage(browser, `${baseUrl}/officer/`, {
      sessionToken: officerCookie.replace('bilik_session=', ''),
      smallCamera: true,
    });
    await officer.waitForSelector('[data-testid="work-state"][data-state="available"]');
    const desk: DeskPages = { officer, booths: new Map() };
    for (const boothId of BOOTH_IDS) {
      const booth = await openPage(browser, boothPageUrl(baseUrl, demoCredential(demo, boothId)), { smallCamera: true });
      await joinQueue(booth);
      desk.booths.set(boothId, booth);
    }
    for (const boothId of BOOTH_IDS) await officer.waitForSelector(tileSelector(boothId), { timeout: 30_000 });
    expect(await boothsShown(officer)).toEqual(BOOTH_IDS);
    await waitFor('media both ways for every booth', () => everyBoothBothWays(desk), 30_000, 0);

    // The officer takes a break; a fourth claimant, at a kiosk without a browser, waits.
    await officer.bringToFront();
    await officer.click('[data-testid="work-toggle"]');
    await officer.waitForSelector('[data-testid="work-state"][data-state="paused"]');
    const waiting = fixture.track(reconnectingSocket(baseUrl, NAMESPACES.journey, { credential: demoCredential(demo, 'bilik-4') }));
    // Every state the kiosk is told, kept rather than awaited across the restart: a failure before
    // the end then leaves no wait running.
    const told: JourneyState[] = [];
    waiting.on('journey:changed', (state) => told.push(state));
    await waitFor('the waiting kiosk to be told its state', () => told.length > 0);
    expect(await request(waiting, 'journey:start', { service: 'jht', ticket: null, priority: false })).toMatchObject({
      state: 'waiting',
      place: 1,
    });

    // Nobody touches a page from here on.
    server.kill('SIGKILL');
    expect((await server.exited).signal).toBe('SIGKILL');
    // Its embedded Redis dies with it rather than being left orphaned, holding the port.
    await waitFor("the killed server's redis-server to let go of its port", async () => !(await accepts(redisPort)), 15_000, 50);
    const toldBeforeRestart = told.length;

    server = fixture.start(env);
    await server.listening();
    // The new server's worker holds the killed worker's port, so video that flows now is the rebuilt sessions'.
    await waitFor('media both ways for every booth again', () => everyBoothBothWays(desk), HEAL_MS, 0);
    expect(await boothsShown(officer)).toEqual(BOOTH_IDS);
    for (const boothId of BOOTH_IDS) await officer.waitForSelector(`${tileSelector(boothId)}[data-reconnecting="false"]`);
    await officer.waitForSelector('[data-testid="work"]:not([hidden]) [data-testid="work-state"][data-state="paused"]');
    await waitFor('the waiting kiosk to be told its state again', () => told.length > toldBeforeRestart);
    expect(told[toldBeforeRestart]).toMatchObject({ state: 'waiting', place: 1 });
  },
  SLOW_MS,
);
