/**
 * One booth and one officer in real Chromium with fake camera and microphone: each side must
 * decode the other's video and receive the other's audio, through the real server and SFU.
 */
import type { Page } from 'puppeteer-core';
import {
  boothPageUrl,
  decodedVideoWidth,
  inboundMedia,
  openPage,
  outboundVideoLayers,
  type OutboundVideoLayer,
} from '../support/browser.js';
import { useServerAndBrowser } from '../support/e2eFixture.js';
import { waitFor } from '../support/testServer.js';

const e2e = useServerAndBrowser();

/** Booth bilik-1's kiosk, enrolled with its device credential. */
function openBooth(): Promise<Page> {
  return openPage(e2e.browser, boothPageUrl(e2e.server.url, e2e.desk.credentials['bilik-1']!));
}

/** The console of the signed-in officer petugas-1. */
function openOfficer(): Promise<Page> {
  return openPage(e2e.browser, `${e2e.server.url}/officer/`, { sessionToken: e2e.desk.officer.token });
}

test('a booth and its officer see and hear each other', async () => {
  const booth = await openBooth();
  const officer = await openOfficer();

  const receivesVideoAndAudio = (page: Page) => async () => {
    const media = await inboundMedia(page);
    return media.videoFramesDecoded > 10 && media.audioPacketsReceived > 50;
  };
  await waitFor('the booth to decode officer video and receive officer audio', receivesVideoAndAudio(booth), 20_000, 200);
  await waitFor('the officer to decode booth video and receive booth audio', receivesVideoAndAudio(officer), 20_000, 200);

  // The apps show what they receive: the officer's video on the booth, the booth's tile on the console.
  await booth.waitForSelector('[data-testid="officer-video"]');
  await officer.waitForSelector('[data-testid="booth-tile"][data-booth-id="bilik-1"]');
  const boothVideoPlaying = await booth.$eval('[data-testid="officer-video"]', (video) => (video as HTMLVideoElement).videoWidth > 0);
  expect(boothVideoPlaying).toBe(true);
  // The console knows who signed in from the session alone.
  expect(await officer.$eval('[data-testid="officer-name"]', (element) => element.textContent)).toBe('Petugas Uji');
  await booth.close();
  await officer.close();
});

test("enlarging a booth's tile switches the officer from the tile layer to the booth's full resolution", async () => {
  const booth = await openBooth();
  const officer = await openOfficer();
  // Chromium's fake camera gives 1280x720, which the booth sends as 320, 640 and 1280 wide layers.
  await waitFor('the officer to decode the tile layer', async () => (await decodedVideoWidth(officer)) === 640, 20_000, 200);
  // As a grid tile the booth only idles its full-resolution layer, at a trickle: nobody receives it.
  const fullLayer = async () => (await outboundVideoLayers(booth)).find((layer) => layer.rid === 'r2');
  const idleBitrate = 60_000;
  const idles = (layer: OutboundVideoLayer | undefined) =>
    layer?.active === true && layer.targetBitrate > 0 && layer.targetBitrate <= idleBitrate;
  await waitFor('the booth to idle its full layer', async () => idles(await fullLayer()), 10_000, 200);
  await officer.bringToFront();
  await officer.click('[data-booth-id="bilik-1"] [data-testid="focus-button"]');
  await officer.waitForSelector('[data-booth-id="bilik-1"][data-focused="true"]');
  await waitFor('the officer to decode the full layer', async () => (await decodedVideoWidth(officer)) === 1280, 20_000, 200);
  // The server had the booth send its full layer in full for the enlarged tile.
  await waitFor(
    'the booth to send its full layer in full',
    async () => ((await fullLayer())?.targetBitrate ?? 0) > 2 * idleBitrate,
    10_000,
    200,
  );
  expect(await fullLayer()).toMatchObject({ active: true, frameWidth: 1280 });
  await booth.close();
  await officer.close();
});
