/**
 * Document capture in real Chromium: the officer presses Ambil Foto on a booth's tile; the kiosk
 * shows its camera large in a card-shaped frame, takes the still by itself once the document is
 * sharp and held still (or when the claimant presses "Ambil foto"), at its camera's full resolution
 * (Chromium's fake camera goes up to 3840 × 2160 while the call runs at 1280 × 720), and lets the
 * claimant send it or take it again; the officer's viewer shows it at once with its resolution and
 * a sharpness score. Nothing of the photo stays on the kiosk, and its camera carries on at the
 * call's size. Kiosks whose camera plays a drawn document (fakeCamera.ts) prove when the photo is
 * taken by itself and when it is not.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, KeyInput, Page } from 'puppeteer-core';
import { MANUAL_AFTER_MS } from '../../booth-client/src/documentAim.js';
import { UNREADABLE_BELOW } from '../../officer-console/src/documents/sharpness.js';
import { boothPageUrl, inboundMedia, openPage } from '../support/browser.js';
import { useServerAndBrowser } from '../support/e2eFixture.js';
import { fakeCameraFlags, steadyDocumentVideo, unsteadyDocumentVideo } from '../support/fakeCamera.js';
import { atEachScreenSize, KIOSK_VIEWPORT, layoutFaults, saveScreenshot } from '../support/kioskLayout.js';
import { boothTakesThePhoto, kioskShows } from '../support/documentPhoto.js';
import { E2E_HOOK_TIMEOUT_MS } from '../support/suiteResources.js';
import { waitFor } from '../support/testServer.js';

const e2e = useServerAndBrowser();
/**
 * The kiosks' own Chromium: a kiosk is a machine of its own, whose camera nothing else uses. (All
 * pages of one Chromium share one source per camera, which then cannot change size.)
 */
let kiosks: Browser;
/** Kiosks whose camera sees a sharp document held still. */
let steadyKiosks: Browser;
/** Kiosks whose camera sees a document moving about, then held still out of focus. */
let unsteadyKiosks: Browser;

beforeAll(async () => {
  kiosks = await e2e.resources.browser();
  const videos = await e2e.resources.own(mkdtemp(path.join(os.tmpdir(), 'bilik-camera-')), (folder) =>
    rm(folder, { recursive: true, force: true }),
  );
  steadyKiosks = await e2e.resources.browser(fakeCameraFlags(await steadyDocumentVideo(videos)));
  unsteadyKiosks = await e2e.resources.browser(fakeCameraFlags(await unsteadyDocumentVideo(videos)));
}, E2E_HOOK_TIMEOUT_MS);

/** The kiosk of `boothId`, enrolled with its device credential, in `browser` (the full-resolution fake camera by default). */
function openKiosk(boothId: string, browser: Browser = kiosks): Promise<Page> {
  return openPage(browser, boothPageUrl(e2e.server.url, e2e.desk.credentials[boothId]!));
}

/** The officer's console, signed in, once it decodes `boothId`'s video and knows its session. */
async function openOfficer(boothId: string): Promise<Page> {
  const officer = await openPage(e2e.browser, `${e2e.server.url}/officer/`, { sessionToken: e2e.desk.officer.token });
  await waitFor('the officer to decode the booth', async () => (await inboundMedia(officer)).videoFramesDecoded > 5, 20_000, 200);
  await officer.waitForSelector(`[data-booth-id="${boothId}"] [data-testid="booth-service"]:not([hidden])`);
  return officer;
}

interface CameraSize {
  maxWidth: number;
  maxHeight: number;
  width: number;
  height: number;
}

/** What the kiosk's own camera track says of its largest and current size. */
function boothCamera(booth: Page): Promise<CameraSize> {
  return booth.$eval('[data-testid="self-view"]', (video) => {
    const track = ((video as HTMLVideoElement).srcObject as MediaStream).getVideoTracks()[0]!;
    const capabilities = track.getCapabilities();
    const settings = track.getSettings();
    return { maxWidth: capabilities.width!.max!, maxHeight: capabilities.height!.max!, width: settings.width!, height: settings.height! };
  });
}

/** What is shown in the officer's viewer. */
function viewer(
  officer: Page,
): Promise<{ resolution: string; sharpness: string; score: number; unreadable: boolean; src: string; naturalWidth: number; zoom: string }> {
  return officer.evaluate(() => {
    const byId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;
    const image = byId('document-image') as HTMLImageElement;
    return {
      resolution: byId('document-resolution').textContent ?? '',
      sharpness: byId('document-sharpness').textContent ?? '',
      score: Number(byId('document-sharpness').dataset.score),
      unreadable: !byId('document-unreadable').hidden,
      src: image.src,
      naturalWidth: image.naturalWidth,
      zoom: byId('document-zoom').dataset.zoom ?? '',
    };
  });
}

test('Ambil Foto: the booth counts down, the viewer shows the full-resolution photo with its sharpness, and the kiosk keeps nothing', async () => {
  const booth = await openKiosk('bilik-1');
  const officer = await openPage(e2e.browser, `${e2e.server.url}/officer/`, { sessionToken: e2e.desk.officer.token });
  // The booth's desk link is up once the officer decodes its video; the tile knows its session once the service shows.
  await waitFor('the officer to decode the booth', async () => (await inboundMedia(officer)).videoFramesDecoded > 5, 20_000, 200);
  await officer.waitForSelector('[data-booth-id="bilik-1"] [data-testid="booth-service"]:not([hidden])');
  const camera = await boothCamera(booth);
  expect(camera.maxWidth * camera.maxHeight).toBeGreaterThan(camera.width * camera.height);

  await officer.bringToFront();
  await officer.click('[data-booth-id="bilik-1"] [data-testid="capture-document"]');
  await officer.waitForSelector('[data-testid="document-viewer"][data-state="waiting"]');
  await boothTakesThePhoto(booth);

  await officer.bringToFront();
  await officer.waitForSelector('[data-testid="document-viewer"][data-state="shown"]', { timeout: 20_000 });
  await officer.waitForFunction(() => (document.querySelector('[data-testid="document-image"]') as HTMLImageElement).complete);
  const shown = await viewer(officer);
  expect(shown.resolution).toBe(`${camera.maxWidth} × ${camera.maxHeight}`);
  expect(shown.naturalWidth).toBe(camera.maxWidth);
  expect(shown.src).toMatch(/^blob:/);
  expect(shown.sharpness).toMatch(/^Ketajaman \d+$/);
  expect(shown.score).toBeGreaterThanOrEqual(0);
  expect(shown.unreadable).toBe(shown.score < UNREADABLE_BELOW);
  const [stored] = await e2e.server.db.query<{ width: number; height: number; mime: string; booth_id: string }>(
    'select width, height, mime, booth_id from documents',
  );
  expect(stored).toEqual({ width: camera.maxWidth, height: camera.maxHeight, mime: 'image/jpeg', booth_id: 'bilik-1' });

  // Nothing of the photo stays on the kiosk, and its camera is back at the call's size.
  const leftOnKiosk = await booth.evaluate(() => ({
    pictures: document.querySelectorAll('canvas, img').length,
    videos: document.querySelectorAll('video').length,
    prompt: document.querySelector('[data-testid="document-prompt"]')!.textContent,
    storage: Object.keys(localStorage),
    session: sessionStorage.length,
  }));
  expect(leftOnKiosk).toEqual({ pictures: 0, videos: 2, prompt: '', storage: ['bilik.deviceCredential'], session: 0 });
  expect(await boothCamera(booth)).toEqual(camera);

  // Zoom: the + button, then a click on the photo.
  await officer.click('[data-testid="document-zoom-in"]');
  expect((await viewer(officer)).zoom).toBe('1.5');
  await officer.click('[data-testid="document-image"]');
  expect((await viewer(officer)).zoom).toBe('2');

  // Ambil lagi: a new photo replaces the first, whose object URL is revoked.
  await officer.click('[data-testid="document-retake"]');
  await officer.waitForSelector('[data-testid="document-viewer"][data-state="waiting"]');
  await boothTakesThePhoto(booth);
  await officer.bringToFront();
  await officer.waitForSelector('[data-testid="document-viewer"][data-state="shown"]', { timeout: 20_000 });
  const retaken = await viewer(officer);
  expect(retaken.src).not.toBe(shown.src);
  expect(retaken.zoom).toBe('1');
  const firstStillReadable = await officer.evaluate(
    (url) =>
      fetch(url).then(
        () => true,
        () => false,
      ),
    shown.src,
  );
  expect(firstStillReadable).toBe(false);
  expect(Number((await e2e.server.db.query<{ count: string }>('select count(*) from documents'))[0]!.count)).toBe(2);

  await booth.close();
  await officer.close();
}, 120_000);

test('key A photographs the booth the officer talks to', async () => {
  const booth = await openKiosk('bilik-2');
  const officer = await openPage(e2e.browser, `${e2e.server.url}/officer/`, { sessionToken: e2e.desk.officer.token });
  await waitFor('the officer to decode the booth', async () => (await inboundMedia(officer)).videoFramesDecoded > 5, 20_000, 200);
  await officer.waitForSelector('[data-booth-id="bilik-2"] [data-testid="booth-service"]:not([hidden])');
  await officer.bringToFront();
  const key = (await officer.$eval('[data-booth-id="bilik-2"] .tile-key', (element) => element.textContent)) as KeyInput;
  await officer.keyboard.press(key);
  await officer.waitForSelector('[data-booth-id="bilik-2"][data-talking="true"]');
  await officer.keyboard.press('a');
  await officer.waitForSelector('[data-testid="document-viewer"][data-state="waiting"]');
  expect(await officer.$eval('[data-testid="document-title"]', (element) => element.textContent)).toContain('bilik-2');
  await boothTakesThePhoto(booth);
  await officer.bringToFront();
  await officer.waitForSelector('[data-testid="document-viewer"][data-state="shown"]', { timeout: 20_000 });
  await booth.close();
  await officer.close();
}, 120_000);

/** The kiosk's screen whole inside the window with nothing to scroll, at 1366 × 768 and 1920 × 1080. */
async function expectKioskFits(booth: Page, screenshot: string): Promise<void> {
  await atEachScreenSize(booth, async (size) => {
    await saveScreenshot(booth, `${screenshot}-${size.name}`);
    expect({ size: size.name, ...(await layoutFaults(booth)) }).toEqual({ size: size.name, outside: [], scrolling: [] });
  });
}

/** Where the kiosk's live picture, its card frame, its countdown and the photo are, and what it says. */
function kioskPanel(booth: Page) {
  return booth.evaluate(() => {
    const box = (testId: string) => {
      const element = document.querySelector(`[data-testid="${testId}"]`);
      if (!element) return null;
      const { left, top, right, bottom, width, height } = element.getBoundingClientRect();
      return width > 0 && height > 0 ? { left, top, right, bottom, width, height } : null;
    };
    return {
      live: box('document-live'),
      guide: box('document-guide'),
      countdown: box('document-countdown'),
      still: box('document-still'),
      prompt: document.querySelector('[data-testid="document-prompt"]')!.textContent,
      hint: document.querySelector('[data-testid="document-hint"]')!.textContent,
    };
  });
}

test('a sharp document held still is photographed by itself beside a countdown, checked by the claimant, retaken, sent, and shown large to the officer', async () => {
  const booth = await openKiosk('bilik-3', steadyKiosks);
  await booth.setViewport(KIOSK_VIEWPORT);
  const officer = await openOfficer('bilik-3');
  await officer.setViewport(KIOSK_VIEWPORT);
  await officer.bringToFront();
  await officer.click('[data-booth-id="bilik-3"] [data-testid="capture-document"]');
  await officer.waitForSelector('[data-testid="document-viewer"][data-state="waiting"]');

  // The camera large, the card frame over it, and plain words of what to do.
  await booth.bringToFront();
  await booth.waitForSelector('[data-testid="document-live"]', { visible: true, timeout: 15_000 });
  const aiming = await kioskPanel(booth);
  expect(aiming.prompt).toBe('Pegang dokumen Anda di dalam bingkai kuning, lalu diam sebentar');
  expect(aiming.live!.width).toBeGreaterThanOrEqual(KIOSK_VIEWPORT.width * 0.9);
  expect(aiming.live!.height).toBeGreaterThanOrEqual(KIOSK_VIEWPORT.height * 0.5);
  expect(aiming.guide!.width / aiming.guide!.height).toBeCloseTo(85.6 / 54, 1);
  await expectKioskFits(booth, 'kiosk-document-aim');

  // The countdown runs beside the frame, never over the document.
  await booth.waitForSelector('[data-testid="document-countdown"]', { visible: true, timeout: 15_000 });
  const counting = await kioskPanel(booth);
  expect(counting.hint).toBe('Bagus. Tahan, jangan bergerak…');
  const { countdown, guide } = { countdown: counting.countdown!, guide: counting.guide! };
  const overlaps =
    countdown.left < guide.right && countdown.right > guide.left && countdown.top < guide.bottom && countdown.bottom > guide.top;
  expect(overlaps).toBe(false);
  await saveScreenshot(booth, 'kiosk-document-countdown-1366x768');

  // Taken by itself, sooner than "Ambil foto" is offered; the claimant sees the photo before it goes.
  await booth.waitForSelector('[data-testid="document-still"]', { visible: true, timeout: MANUAL_AFTER_MS + 5_000 });
  const checking = await kioskPanel(booth);
  expect(checking.prompt).toBe('Apakah tulisan di foto terbaca jelas?');
  expect(checking.live).toBeNull();
  expect(await kioskShows(booth, 'document-send')).toBe(true);
  expect(await kioskShows(booth, 'document-again')).toBe(true);
  await expectKioskFits(booth, 'kiosk-document-check');

  // "Ulangi": the photo is dropped unsent and the camera shows again, until the next one is taken.
  const firstStill = await booth.$eval('[data-testid="document-still"]', (image) => (image as HTMLImageElement).src);
  await booth.click('[data-testid="document-again"]');
  await booth.waitForSelector('[data-testid="document-live"]', { visible: true });
  expect(await booth.$('[data-testid="document-still"]')).toBeNull();
  const dropped = await booth.evaluate(
    (url) =>
      fetch(url).then(
        () => true,
        () => false,
      ),
    firstStill,
  );
  expect(dropped).toBe(false);
  await booth.waitForSelector('[data-testid="document-still"]', { visible: true, timeout: MANUAL_AFTER_MS + 5_000 });
  await booth.click('[data-testid="document-send"]');
  await booth.waitForSelector('[data-testid="document-capture"]', { hidden: true, timeout: 30_000 });

  // Only the photo sent reaches the officer, sharp, and shown large enough to read on a 1366 × 768 laptop.
  await officer.bringToFront();
  await officer.waitForSelector('[data-testid="document-viewer"][data-state="shown"]', { timeout: 20_000 });
  await officer.waitForFunction(() => (document.querySelector('[data-testid="document-image"]') as HTMLImageElement).complete);
  const shown = await viewer(officer);
  expect(shown.score).toBeGreaterThanOrEqual(UNREADABLE_BELOW);
  expect(shown.unreadable).toBe(false);
  // As large as the viewer allows (it fills the viewer's width or height), which beside six tiles
  // and the outcome panel is still a good third of the screen; zoom does the rest.
  const fit = await officer.evaluate(() => {
    const image = document.querySelector('[data-testid="document-image"]')!.getBoundingClientRect();
    const stage = document.querySelector('[data-testid="document-stage"]')!;
    return { width: image.width, height: image.height, stageWidth: stage.clientWidth, stageHeight: stage.clientHeight };
  });
  expect(Math.max(fit.width / fit.stageWidth, fit.height / fit.stageHeight)).toBeCloseTo(1, 1);
  expect(fit.width).toBeGreaterThanOrEqual(KIOSK_VIEWPORT.width / 3);
  await saveScreenshot(officer, 'console-document-1366x768');
  const rows = await e2e.server.db.query<{ booth_id: string }>("select booth_id from documents where booth_id = 'bilik-3'");
  expect(rows).toHaveLength(1);

  const leftOnKiosk = await booth.evaluate(() => ({
    pictures: document.querySelectorAll('canvas, img').length,
    videos: document.querySelectorAll('video').length,
  }));
  expect(leftOnKiosk).toEqual({ pictures: 0, videos: 2 });
  await booth.close();
  await officer.close();
}, 120_000);

test('a document moving, or still but out of focus, is never photographed by itself; "Ambil foto" takes it after a few seconds', async () => {
  const booth = await openKiosk('bilik-4', unsteadyKiosks);
  await booth.setViewport(KIOSK_VIEWPORT);
  const officer = await openOfficer('bilik-4');
  await officer.bringToFront();
  await officer.click('[data-booth-id="bilik-4"] [data-testid="capture-document"]');

  // Everything the kiosk tells the claimant, and whether a photo ever showed, from the request on.
  await booth.bringToFront();
  await booth.evaluate(() => {
    const seen = { hints: [] as string[], stillShown: false };
    (window as unknown as { __aim: typeof seen }).__aim = seen;
    const hint = document.querySelector('[data-testid="document-hint"]')!;
    new MutationObserver(() => {
      if (hint.textContent && seen.hints.at(-1) !== hint.textContent) seen.hints.push(hint.textContent);
      if (document.querySelector('[data-testid="document-still"]')) seen.stillShown = true;
    }).observe(document.querySelector('[data-testid="document-capture"]')!, { subtree: true, childList: true, characterData: true });
  });
  const aim = () => booth.evaluate(() => (window as unknown as { __aim: { hints: string[]; stillShown: boolean } }).__aim);
  const moving = 'Tahan dokumen agar tidak bergerak. Foto diambil otomatis.';
  const blurry = 'Tulisan belum jelas. Dekatkan atau jauhkan dokumen sedikit.';
  // The camera's loop is two seconds moving, two still and blurred: both are measured, twice over.
  await waitFor(
    'the kiosk to have judged the document moving and blurred, twice each',
    async () => {
      const { hints } = await aim();
      return hints.filter((text) => text === moving).length >= 2 && hints.filter((text) => text === blurry).length >= 2;
    },
    30_000,
    200,
  );
  // "Ambil foto" shows MANUAL_AFTER_MS after the request. (A loaded machine can stall the moving
  // picture, so the hints may have changed twice each before then: wait for the button itself.)
  await waitFor('"Ambil foto"', () => kioskShows(booth, 'document-manual'), MANUAL_AFTER_MS + 10_000, 200);
  const judged = await aim();
  expect(judged.stillShown).toBe(false);
  expect(judged.hints.every((text) => text === moving || text === blurry)).toBe(true);
  expect(await kioskShows(booth, 'document-countdown')).toBe(false);

  // Pressed, "Ambil foto" takes the photo at once for the claimant to check.
  expect(await booth.$eval('[data-testid="document-manual"]', (button) => button.textContent)).toBe('Ambil foto');
  await saveScreenshot(booth, 'kiosk-document-manual-1366x768');
  await booth.click('[data-testid="document-manual"]');
  await booth.waitForSelector('[data-testid="document-still"]', { visible: true, timeout: 15_000 });
  await booth.click('[data-testid="document-send"]');
  await booth.waitForSelector('[data-testid="document-capture"]', { hidden: true, timeout: 30_000 });
  await officer.bringToFront();
  await officer.waitForSelector('[data-testid="document-viewer"][data-state="shown"]', { timeout: 20_000 });
  await booth.close();
  await officer.close();
}, 120_000);
