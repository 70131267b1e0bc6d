/**
 * The kiosk self-test in real Chromium with fake camera and microphone, against the real server:
 * at start the kiosk checks camera, microphone, speaker and the SFU one by one, reports them to
 * branch IT and welcomes claimants; a kiosk without a camera shows a plain fault message instead;
 * and a self-test branch IT asks for during a visit waits until the visit is over.
 */
import type { BoothFleetView } from '@bilik/shared';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { boothPageUrl, CHROMIUM_FLAGS } from '../support/browser.js';
import { joinQueue } from '../support/kioskJourney.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';
import { seedBranch, signedInCookie, TEST_BRANCH, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

let server: TestServer;
let desk: SeededDesk;
let browser: Browser;
// The same fake devices, but nothing accepts their prompt: a page's permissions decide what it may open.
let strictBrowser: Browser;
let itAdmin: string;
const contexts: BrowserContext[] = [];

const resources = useSuiteResources();

beforeAll(async () => {
  server = await resources.server();
  // Booths of a branch with nobody on duty: each kiosk starts idle, as at the start of a day.
  desk = await seedBranch(server, { booths: 3 });
  itAdmin = (await signedInCookie(server, { username: 'admin-ti', role: 'it_admin', branchIds: [TEST_BRANCH] })).cookie;
  browser = await resources.browser();
  strictBrowser = await resources.browser(CHROMIUM_FLAGS.filter((flag) => flag !== '--use-fake-ui-for-media-stream'));
}, E2E_HOOK_TIMEOUT_MS);

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

/** The screens a claimant can see, one at a time. */
const SCREENS = ['screen-self-test', 'screen-fault', 'screen-idle', 'screen-service', 'screen-details', 'screen-confirm', 'screen-waiting'];

/**
 * Opens a booth's kiosk in a context of its own; without `camera` it may use the microphone only.
 * The page records in `__steps` what the self-test shows as it changes: each check's state, the
 * prompt to speak coming and going, and which screens are visible (`screens:a+b`, `screens:` for
 * none); and in `__streams` every camera or microphone stream it opens.
 */
async function openKiosk(boothId: string, options: { camera: boolean } = { camera: true }): Promise<Page> {
  const context = await (options.camera ? browser : strictBrowser).createBrowserContext();
  contexts.push(context);
  if (!options.camera) await context.overridePermissions(server.url, ['microphone']);
  const page = await context.newPage();
  await page.evaluateOnNewDocument((screens: string[]) => {
    const scope = window as unknown as { __steps: string[]; __streams: MediaStream[] };
    scope.__steps = [];
    scope.__streams = [];
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints);
      scope.__streams.push(stream);
      return stream;
    };
    const last = new Map<unknown, string>();
    const record = (key: unknown, step: string): void => {
      if (last.get(key) === step) return;
      last.set(key, step);
      scope.__steps.push(step);
    };
    new MutationObserver((records) => {
      for (const { target } of records) {
        const element = target as HTMLElement;
        if (element.dataset?.testid === 'self-test-check')
          record(element, `${element.dataset.check}:${element.hasAttribute('aria-current') ? 'running' : element.dataset.state}`);
        if (element.dataset?.testid === 'self-test-prompt') record(element, `self-test-prompt:${element.hidden ? 'hidden' : 'shown'}`);
      }
      // Once per batch of changes: what a person would see after them.
      const visible = screens.filter((testId) => {
        const screen = document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
        return screen !== null && screen.offsetParent !== null;
      });
      record('screens', `screens:${visible.join('+')}`);
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state', 'aria-current', 'hidden'] });
  }, SCREENS);
  await page.goto(boothPageUrl(server.url, desk.credentials[boothId]!));
  return page;
}

const steps = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { __steps: string[] }).__steps);

/** The screens that were on view, in turn, leaving out the moments with none (the kiosk connecting). */
const screensSeen = (shown: string[]): string[] =>
  shown.filter((step) => step.startsWith('screens:') && step !== 'screens:').map((step) => step.slice('screens:'.length));

/** Whether every track the page's self-test opened has been stopped. */
const allTracksStopped = (page: Page): Promise<boolean> =>
  page.evaluate(() =>
    (window as unknown as { __streams: MediaStream[] }).__streams.every((stream) =>
      stream.getTracks().every((track) => track.readyState === 'ended'),
    ),
  );

/** Expects `expected` to appear in `actual` in this order (other steps may come between). */
function expectInOrder(actual: string[], expected: string[]): void {
  let from = 0;
  for (const step of expected) {
    const at = actual.indexOf(step, from);
    if (at < 0) throw new Error(`'${step}' not found after step ${from} in: ${actual.join(', ')}`);
    from = at + 1;
  }
}

async function api(method: string, path: string): Promise<{ status: number; data: unknown }> {
  const response = await fetch(`${server.url}${path}`, { method, headers: { origin: server.url, cookie: itAdmin } });
  const body = (await response.json()) as { data?: unknown };
  return { status: response.status, data: body.data };
}

/** The booth as the IT page shows it. */
async function fleetView(boothId: string): Promise<BoothFleetView> {
  const { status, data } = await api('GET', `/api/branches/${TEST_BRANCH}/booths`);
  expect(status).toBe(200);
  return (data as BoothFleetView[]).find((booth) => booth.boothId === boothId)!;
}

test('a kiosk checks camera, microphone, speaker and the SFU at start, reports to branch IT, then welcomes claimants', async () => {
  const kiosk = await openKiosk('bilik-1');
  await kiosk.waitForSelector('[data-testid="screen-idle"]', { visible: true, timeout: 30_000 });

  const shown = await steps(kiosk);
  // The welcome screen only once the self-test was over, and nothing else but the two.
  expect(screensSeen(shown)).toEqual(['screen-self-test', 'screen-idle']);
  expectInOrder(shown, [
    'screens:screen-self-test',
    'camera:ok',
    'microphone:running',
    // Asked in writing (and aloud, where the kiosk has a voice) to say something; the fake microphone beeps.
    'self-test-prompt:shown',
    'microphone:ok',
    'self-test-prompt:hidden',
    'speaker:running',
    'speaker:ok',
    'network:running',
    'network:ok',
    'screens:screen-idle',
  ]);
  expect(shown).toContain('camera:running');
  expect(await allTracksStopped(kiosk)).toBe(true);

  await waitFor('the report to reach the IT page', async () => (await fleetView('bilik-1')).selfTest !== null);
  const { selfTest } = await fleetView('bilik-1');
  expect(selfTest).toMatchObject({
    camera: { ok: true, detail: expect.stringMatching(/^\d+×\d+/) },
    microphone: { ok: true },
    speaker: { ok: true, detail: expect.stringContaining('cannot be checked automatically') },
    // On loopback nothing blocks UDP.
    network: { ok: true, rttMs: expect.any(Number), path: 'udp', detail: expect.stringContaining('WebRTC connected (UDP)') },
  });
  expect(selfTest!.network.rttMs).toBeGreaterThanOrEqual(0);
  // The kiosk closed its probe: nothing of it stays on the SFU.
  await waitFor('the probe transport to close', async () => (await server.probe.openTransportIds()).length === 0);
}, 60_000);

test('a kiosk without a camera shows a plain fault message, and branch IT sees which check failed', async () => {
  const kiosk = await openKiosk('bilik-2', { camera: false });
  await kiosk.waitForSelector('[data-testid="screen-fault"]', { visible: true, timeout: 30_000 });
  expect(await kiosk.$eval('[data-testid="screen-fault"]', (screen) => (screen as HTMLElement).innerText.trim())).toBe(
    'Bilik sedang bermasalah. Petugas sudah diberi tahu.',
  );
  expect(screensSeen(await steps(kiosk))).toEqual(['screen-self-test', 'screen-fault']);
  expect(await kiosk.$eval('[data-testid="self-test-check"][data-check="camera"]', (check) => (check as HTMLElement).dataset.state)).toBe(
    'failed',
  );

  await waitFor('the report to reach the IT page', async () => (await fleetView('bilik-2')).selfTest !== null);
  const booth = await fleetView('bilik-2');
  expect(booth.selfTest).toMatchObject({
    camera: { ok: false, detail: expect.stringContaining('NotAllowedError') },
    microphone: { ok: true },
    speaker: { ok: true },
    network: { ok: true },
  });
  // Running (its heartbeats arrive) but at fault.
  await waitFor('the IT page to show the booth at fault', async () => (await fleetView('bilik-2')).status === 'fault');
  expect(await allTracksStopped(kiosk)).toBe(true);
}, 60_000);

test('a self-test branch IT asks for while a claimant waits runs once the claimant has left, then welcomes the next', async () => {
  const kiosk = await openKiosk('bilik-3');
  await joinQueue(kiosk, {}, 30_000);
  await kiosk.waitForSelector('[data-testid="screen-waiting"]', { visible: true });
  await waitFor('the start-up report', async () => (await fleetView('bilik-3')).selfTest !== null);
  const firstReportAt = (await fleetView('bilik-3')).selfTest!.at;

  // The request reaches the kiosk over its journey socket.
  const cdp = await kiosk.createCDPSession();
  await cdp.send('Network.enable');
  let heard = false;
  cdp.on('Network.webSocketFrameReceived', ({ response }) => {
    if (response.payloadData.includes('"selftest:run"')) heard = true;
  });
  expect((await api('POST', '/api/booths/bilik-3/self-test')).status).toBe(200);
  await waitFor('the kiosk to hear the request', () => heard);

  await (await kiosk.waitForSelector('[data-testid="cancel"]', { visible: true }))!.click();
  await kiosk.waitForSelector('[data-testid="screen-self-test"]', { visible: true });
  await kiosk.waitForSelector('[data-testid="screen-idle"]', { visible: true, timeout: 30_000 });
  // Not while the claimant waited: only once the waiting screen was gone.
  expect(screensSeen(await steps(kiosk))).toEqual([
    'screen-self-test',
    'screen-idle',
    'screen-service',
    'screen-details',
    'screen-confirm',
    'screen-waiting',
    'screen-self-test',
    'screen-idle',
  ]);

  await waitFor('the second report', async () => (await fleetView('bilik-3')).selfTest!.at !== firstReportAt);
  expect(await allTracksStopped(kiosk)).toBe(true);
}, 60_000);
