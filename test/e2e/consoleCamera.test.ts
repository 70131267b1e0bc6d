/**
 * The officer's console does not wait for its own camera: a laptop's camera takes a second or so
 * to open, and the booths show meanwhile. The console's getUserMedia is held by the test until it
 * says whether the camera opens or fails; a camera that fails ends the link until "Coba lagi".
 */
import type { Page } from 'puppeteer-core';
import { boothPageUrl, inboundMedia, openPage } from '../support/browser.js';
import { useServerAndBrowser } from '../support/e2eFixture.js';
import { waitFor } from '../support/testServer.js';

const e2e = useServerAndBrowser();

type CameraOutcome = 'open' | 'fail';
type HeldCameraWindow = { __cameraAsked?: (outcome: CameraOutcome) => void };

/** Before the page loads: every getUserMedia waits until the test answers it (see answerCamera). */
async function holdCamera(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const held = window as unknown as HeldCameraWindow;
    const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const outcome = await new Promise<CameraOutcome>((answer) => (held.__cameraAsked = answer));
      held.__cameraAsked = undefined;
      if (outcome === 'fail') throw new DOMException('Could not start video source', 'NotReadableError');
      return open(constraints);
    };
  });
}

/** Answers the page's pending getUserMedia, once it has asked. */
async function answerCamera(page: Page, outcome: CameraOutcome): Promise<void> {
  await waitFor('the console to ask for its camera', () => page.evaluate(() => (window as HeldCameraWindow).__cameraAsked !== undefined));
  await page.evaluate((answer) => (window as HeldCameraWindow).__cameraAsked!(answer), outcome);
}

/** The officer's work button ("Siap" / "Istirahat"), once the console shows it. */
const SHOWN_WORK_TOGGLE = '[data-testid="work"]:not([hidden]) [data-testid="work-toggle"]';

/** Where the officer's work button is drawn on the page. */
function workToggleBox(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  return page.$eval(SHOWN_WORK_TOGGLE, (button) => {
    const { x, y, width, height } = button.getBoundingClientRect();
    return { x, y, width, height };
  });
}

const decodesVideo = (page: Page) => async () => (await inboundMedia(page)).videoFramesDecoded > 0;

function openBooth(): Promise<Page> {
  return openPage(e2e.browser, boothPageUrl(e2e.server.url, e2e.desk.credentials['bilik-1']!), { smallCamera: true });
}

function openOfficer(): Promise<Page> {
  return openPage(e2e.browser, `${e2e.server.url}/officer/`, { sessionToken: e2e.desk.officer.token, prepare: holdCamera });
}

test('the console shows its booths while its own camera is still opening, and sends the officer once it is open', async () => {
  const booth = await openBooth();
  const officer = await openOfficer();

  await waitFor("the console to decode the booth's video, its own camera not open yet", decodesVideo(officer), 20_000, 200);
  expect(await officer.evaluate(() => (window as HeldCameraWindow).__cameraAsked !== undefined)).toBe(true);
  expect(await decodesVideo(booth)()).toBe(false);
  await officer.waitForSelector(SHOWN_WORK_TOGGLE);
  const toggleBeforeCamera = await workToggleBox(officer);

  await answerCamera(officer, 'open');
  await waitFor("the booth to decode the officer's video once the camera opened", decodesVideo(booth), 20_000, 200);
  // The officer's own picture, now showing, took a place kept for it: the header's buttons did not
  // move under the officer's pointer (an officer pressing "Siap" as the camera opened missed it).
  await officer.waitForFunction(() => document.querySelector<HTMLVideoElement>('[data-testid="self-view"]')!.videoWidth > 0);
  expect(await workToggleBox(officer)).toEqual(toggleBeforeCamera);
  await booth.close();
  await officer.close();
});

test('a camera that cannot be opened ends the link and says so; "Coba lagi" opens it and connects again', async () => {
  const booth = await openBooth();
  const officer = await openOfficer();
  await waitFor("the console to decode the booth's video", decodesVideo(officer), 20_000, 200);

  await answerCamera(officer, 'fail');
  await officer.bringToFront();
  await officer.waitForSelector('[data-testid="status"][data-state="camera-failed"]', { visible: true });
  // The link ended with it: the console shows no booth, and the booth is sent nothing.
  expect(await officer.$$('[data-testid="booth-tile"]')).toHaveLength(0);
  expect(await decodesVideo(booth)()).toBe(false);

  await officer.click('[data-testid="status-action"]');
  await answerCamera(officer, 'open');
  await officer.waitForSelector('[data-testid="booth-tile"][data-booth-id="bilik-1"]', { timeout: 20_000 });
  await waitFor("the booth to decode the officer's video after the retry", decodesVideo(booth), 20_000, 200);
  await booth.close();
  await officer.close();
});
