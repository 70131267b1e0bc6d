/**
 * A booth's camera ending in a call (a sleeping kiosk, a replugged USB camera), in real Chromium:
 * the test stops the camera track from the page's side, through a hook of its own, and the kiosk
 * opens the camera again and sends it on the same producer with nobody touching the page. A
 * camera that cannot be opened again shows the camera failure on the kiosk, and the booth at
 * fault with the camera named on branch IT's fleet page; so does one that keeps ending, as
 * unstable, while its call goes on.
 */
import type { Page } from 'puppeteer-core';
import { boothPageUrl, inboundMedia, openPage } from '../support/browser.js';
import { UNSTABLE_REOPENINGS } from '../../booth-client/src/deviceWatchdog.js';
import { cameraOpenings, endCamera, makeCameraGone, sendsNewestCamera } from '../support/capturedDevices.js';
import { useServerAndBrowser } from '../support/e2eFixture.js';
import { E2E_HOOK_TIMEOUT_MS } from '../support/suiteResources.js';
import { signedInCookie, TEST_BRANCH, waitFor } from '../support/testServer.js';

const e2e = useServerAndBrowser();

// Petugas-1's console stays open for the whole file (the browser's closing closes it): were it
// closed, the officer would leave after the grace period, and the booths' sessions with them.
let officer: Page;
beforeAll(async () => {
  officer = await openPage(e2e.browser, `${e2e.server.url}/officer/`, { sessionToken: e2e.desk.officer.token });
}, E2E_HOOK_TIMEOUT_MS);

/** A seeded booth's kiosk (in session with petugas-1), with its captured devices recorded. */
function openBooth(boothId: string): Promise<Page> {
  return openPage(e2e.browser, boothPageUrl(e2e.server.url, e2e.desk.credentials[boothId]!), { recordDevices: true });
}

/** Whether `selector` matches something on `page` now. */
const shows = async (page: Page, selector: string): Promise<boolean> => (await page.$(selector)) !== null;

/** Waits for the fleet page to show `boothId` at fault, and returns the device fault it shows. */
async function faultOnFleetPage(fleet: Page, boothId: string): Promise<{ hidden: boolean; kind?: string; detail: string }> {
  const row = `[data-testid="booth-row"][data-booth-id="${boothId}"]`;
  // A poll of the fleet page (every 5 s) shows the heartbeat the kiosk sent at once.
  await waitFor(
    'the fleet page to show the booth at fault',
    () => shows(fleet, `${row} [data-testid="booth-status"][data-status="fault"]`),
    15_000,
    200,
  );
  return fleet.$eval(`${row} [data-testid="booth-device-fault"]`, (element) => ({
    hidden: (element as HTMLElement).hidden,
    kind: (element as HTMLElement).dataset.kind,
    detail: (element as HTMLElement).title,
  }));
}

const officerFrames = async (officer: Page): Promise<number> => (await inboundMedia(officer)).videoFramesDecoded;

test("a booth camera stopped by the page's side is opened again and the officer keeps decoding it, with no page action", async () => {
  const booth = await openBooth('bilik-1');
  await waitFor('the officer to decode the booth', async () => (await officerFrames(officer)) > 10, 20_000, 200);
  await waitFor('the booth to send its camera', () => sendsNewestCamera(booth), 10_000, 200);
  const openedBefore = await cameraOpenings(booth);

  expect(await endCamera(booth)).toBe(1);
  await waitFor('the booth to open its camera again', async () => (await cameraOpenings(booth)) > openedBefore, 10_000, 100);
  await waitFor('the booth to send and show the new camera', () => sendsNewestCamera(booth), 10_000, 100);
  // Frames decoded from now on can only come from the new camera: the old one is stopped.
  const framesAfter = await officerFrames(officer);
  await waitFor('the officer to decode the new camera', async () => (await officerFrames(officer)) > framesAfter + 30, 15_000, 200);
  await booth.close();
});

test('a camera that cannot be opened again shows the camera failure on the kiosk and the booth at fault on the fleet page', async () => {
  const booth = await openBooth('bilik-2');
  await waitFor('the booth to send its camera', () => sendsNewestCamera(booth), 20_000, 200);
  const admin = await signedInCookie(e2e.server, { username: 'admin-ti', role: 'it_admin', branchIds: [TEST_BRANCH] });
  const fleet = await openPage(e2e.browser, `${e2e.server.url}/officer/fleet/`, { sessionToken: admin.token });
  const row = '[data-testid="booth-row"][data-booth-id="bilik-2"]';
  await waitFor(
    'the fleet page to list the booth without a fault',
    () => shows(fleet, `${row} [data-testid="booth-device-fault"][hidden]`),
    15_000,
    200,
  );

  await makeCameraGone(booth);
  expect(await endCamera(booth)).toBe(1);
  // Polled from here: the pages' own waits stall in a page the browser has in the background.
  await waitFor(
    'the kiosk to show the camera failure',
    () => shows(booth, '[data-testid="status"][data-state="camera-failed"]:not([hidden])'),
    15_000,
    200,
  );
  expect(await faultOnFleetPage(fleet, 'bilik-2')).toEqual({
    hidden: false,
    kind: 'camera',
    detail: expect.stringContaining('NotReadableError'),
  });
  await fleet.close();
  await booth.close();
});

test('a camera that keeps ending goes on sending, and the fleet page shows the booth at fault with the camera unstable', async () => {
  const booth = await openBooth('bilik-3');
  await waitFor('the booth to send its camera', () => sendsNewestCamera(booth), 20_000, 200);
  const admin = await signedInCookie(e2e.server, { username: 'admin-ti-2', role: 'it_admin', branchIds: [TEST_BRANCH] });
  const fleet = await openPage(e2e.browser, `${e2e.server.url}/officer/fleet/`, { sessionToken: admin.token });

  for (let end = 1; end <= UNSTABLE_REOPENINGS; end++) {
    const openedBefore = await cameraOpenings(booth);
    expect(await endCamera(booth)).toBe(1);
    await waitFor(`the booth to open its camera again (end ${end})`, async () => (await cameraOpenings(booth)) > openedBefore, 10_000, 100);
    await waitFor(`the booth to send the new camera (end ${end})`, () => sendsNewestCamera(booth), 10_000, 100);
  }
  expect(await faultOnFleetPage(fleet, 'bilik-3')).toEqual({ hidden: false, kind: 'camera', detail: expect.stringMatching(/^unstable: /) });
  // The claimant's call goes on: the kiosk shows no camera failure.
  expect(await shows(booth, '[data-testid="status"][data-state="camera-failed"]:not([hidden])')).toBe(false);
  await fleet.close();
  await booth.close();
});
