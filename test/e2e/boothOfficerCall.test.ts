/**
 * One booth and one officer in real Chromium with fake camera and microphone: each side must
 * decode the other's video and receive the other's audio, through the real server and SFU.
 */
import type { Browser, Page } from 'puppeteer-core';
import { decodedVideoWidth, inboundMedia, launchBrowser, recordPeerConnections } from '../support/browser.js';
import { startTestServer, waitFor, type TestServer } from '../support/testServer.js';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(path: string): Promise<Page> {
  const page = await browser.newPage();
  await recordPeerConnections(page);
  await page.goto(`${server.url}${path}`);
  return page;
}

test('a booth and its officer see and hear each other', async () => {
  const booth = await openPage('/booth/?boothId=bilik-1');
  const officer = await openPage('/officer/?officerId=petugas-1');

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
  await booth.close();
  await officer.close();
});

test("enlarging a booth's tile switches the officer from the tile layer to the booth's full resolution", async () => {
  const booth = await openPage('/booth/?boothId=bilik-1');
  const officer = await openPage('/officer/?officerId=petugas-1');
  // Chromium's fake camera gives 1280x720, which the booth sends as 320, 640 and 1280 wide layers.
  await waitFor('the officer to decode the tile layer', async () => (await decodedVideoWidth(officer)) === 640, 20_000, 200);
  await officer.bringToFront();
  await officer.click('[data-booth-id="bilik-1"] [data-testid="focus-button"]');
  await officer.waitForSelector('[data-booth-id="bilik-1"][data-focused="true"]');
  await waitFor('the officer to decode the full layer', async () => (await decodedVideoWidth(officer)) === 1280, 20_000, 200);
  await booth.close();
  await officer.close();
});
