/**
 * The whole server killed with SIGKILL during a desk of three booths in session, in real
 * Chromium, and started again on the same data: the real entry (server/src/index.ts) in a child
 * process with the first-run demo, its embedded Redis and PGlite in one throw-away DATA_DIR, as
 * `npm start` runs it. With nobody touching a page, every page decodes new video again (the
 * officer each booth's, each booth the officer's), the same three booths are back at the same
 * officer's desk in the same seats (tile places and talk keys), the officer talks to the same
 * booth, a booth's call still stands, the officer's break goes on, a fourth booth keeps its place
 * in the queue, and the killed server's redis-server is gone. Without media, with the outcome acknowledged before the kill:
 * test/integration/serverRestart.test.ts.
 */
import { NAMESPACES, type JourneyState } from '@bilik/shared';
import { request } from '@bilik/shared/client';
import type { KeyInput, Page } from 'puppeteer-core';
import { boothPageUrl, openConsole, openPage } from '../support/browser.js';
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

/** Each tile's booth and talk key, in the grid's order (the seats). */
function seats(officer: Page): Promise<string[]> {
  return officer.$$eval('[data-testid="booth-tile"]', (tiles) =>
    tiles.map((tile) => `${tile.getAttribute('data-booth-id')}=${tile.querySelector('[data-part="key"]')?.textContent}`),
  );
}

test(
  'after SIGKILL of the server and a fresh start on the same data, every page decodes video again by itself, the same booths are at the same desk in the same seats with the same talk, call and break, and the queue keeps its place',
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

    const officer = await openConsole(browser, `${baseUrl}/officer/`, {
      sessionToken: officerCookie.replace('bilik_session=', ''),
      smallCamera: true,
    });
    const desk: DeskPages = { officer, booths: new Map() };
    for (const boothId of BOOTH_IDS) {
      const booth = await openPage(browser, boothPageUrl(baseUrl, demoCredential(demo, boothId)), { smallCamera: true });
      await joinQueue(booth);
      desk.booths.set(boothId, booth);
    }
    for (const boothId of BOOTH_IDS) await officer.waitForSelector(tileSelector(boothId), { timeout: 30_000 });
    const seated = await seats(officer);
    expect(seated.map((seat) => seat.split('=')[0]).sort()).toEqual(BOOTH_IDS);
    await waitFor('media both ways for every booth', () => everyBoothBothWays(desk), 30_000, 0);

    // The officer talks to bilik-2 by its key; bilik-3, on hold, calls.
    await officer.bringToFront();
    await officer.keyboard.press(seated.find((seat) => seat.startsWith('bilik-2='))!.split('=')[1] as KeyInput);
    await officer.waitForSelector(`${tileSelector('bilik-2')}[data-talking="true"]`);
    const booth3 = desk.booths.get('bilik-3')!;
    await booth3.bringToFront();
    await (await booth3.waitForSelector('[data-testid="call-button"]', { visible: true }))!.click();
    // Watched in front, as the officer would: a background tab may not paint the call in time.
    await officer.bringToFront();
    await officer.waitForSelector(`${tileSelector('bilik-3')} [data-testid="attention-badge"]:not([hidden])`);

    // The officer takes a break; a fourth claimant, at a kiosk without a browser, waits.
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
    for (const boothId of BOOTH_IDS) await officer.waitForSelector(`${tileSelector(boothId)}[data-reconnecting="false"]`);
    expect(await seats(officer)).toEqual(seated);
    expect(await officer.$(`${tileSelector('bilik-2')}[data-talking="true"]`)).not.toBeNull();
    await desk.booths.get('bilik-2')!.waitForSelector('[data-testid="hold-screen"]', { hidden: true });
    expect(
      await officer.$eval(`${tileSelector('bilik-3')} [data-testid="attention-badge"]`, (badge) => (badge as HTMLElement).hidden),
    ).toBe(false);
    await officer.waitForSelector(
      '[data-testid="work"]:not([hidden]) [data-testid="work-state"][data-state="paused"][data-pause="istirahat"]',
    );
    await waitFor('the waiting kiosk to be told its state again', () => told.length > toldBeforeRestart);
    expect(told[toldBeforeRestart]).toMatchObject({ state: 'waiting', place: 1 });
  },
  SLOW_MS,
);
