/**
 * Document capture in real Chromium: the officer presses Ambil Foto on a booth's tile, the kiosk
 * tells the claimant and counts down, takes a still at its camera's full resolution (Chromium's
 * fake camera goes up to 3840 × 2160 while the call runs at 1280 × 720), and the officer's viewer
 * shows it at once with its resolution and a sharpness score. Nothing of the photo stays on the
 * kiosk, and its camera carries on at the call's size.
 */
import type { Browser, KeyInput, Page } from 'puppeteer-core';
import { UNREADABLE_BELOW } from '../../officer-console/src/documents/sharpness.js';
import { boothPageUrl, inboundMedia, openPage } from '../support/browser.js';
import { useServerAndBrowser } from '../support/e2eFixture.js';
import { E2E_HOOK_TIMEOUT_MS } from '../support/suiteResources.js';
import { waitFor } from '../support/testServer.js';

const e2e = useServerAndBrowser();
/**
 * The kiosks' own Chromium: a kiosk is a machine of its own, whose camera nothing else uses. (All
 * pages of one Chromium share one source per camera, which then cannot change size.)
 */
let kiosks: Browser;

beforeAll(async () => {
  kiosks = await e2e.resources.browser();
}, E2E_HOOK_TIMEOUT_MS);

/** The kiosk of `boothId`, enrolled with its device credential. */
function openKiosk(boothId: string): Promise<Page> {
  return openPage(kiosks, boothPageUrl(e2e.server.url, e2e.desk.credentials[boothId]!));
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

/** The kiosk counts down, takes the photo, and puts its prompt away again. */
async function boothTakesThePhoto(booth: Page): Promise<void> {
  // The kiosk is always the page in front; so is this one while it takes the photo.
  await booth.bringToFront();
  await booth.waitForSelector('[data-testid="document-countdown"]:not([hidden])', { timeout: 15_000 });
  expect(await booth.$eval('[data-testid="document-countdown"]', (element) => element.textContent)).toMatch(/^[123]$/);
  await booth.waitForSelector('[data-testid="document-capture"]', { hidden: true, timeout: 30_000 });
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
