/**
 * One booth and one officer in real Chromium with fake camera and microphone: each side must
 * decode the other's video and receive the other's audio, through the real server and SFU.
 */
import type { Browser, Page } from 'puppeteer-core';
import { boothPageUrl, decodedVideoWidth, inboundMedia, launchBrowser, recordPeerConnections, useSession } from '../support/browser.js';
import { seedDevDesk, startTestServer, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

let server: TestServer;
let desk: SeededDesk;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  desk = await seedDevDesk(server);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens `url`; `sessionToken` signs the page's browser in as an officer first. */
async function openPage(url: string, sessionToken?: string): Promise<Page> {
  const page = await browser.newPage();
  await recordPeerConnections(page);
  if (sessionToken !== undefined) await useSession(page, server.url, sessionToken);
  await page.goto(url);
  return page;
}

/** Booth bilik-1's kiosk, enrolled with its device credential. */
function openBooth(): Promise<Page> {
  return openPage(boothPageUrl(server.url, desk.credentials['bilik-1']!));
}

/** The console of the signed-in officer petugas-1. */
function openOfficer(): Promise<Page> {
  return openPage(`${server.url}/officer/`, desk.officer.token);
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
  await officer.bringToFront();
  await officer.click('[data-booth-id="bilik-1"] [data-testid="focus-button"]');
  await officer.waitForSelector('[data-booth-id="bilik-1"][data-focused="true"]');
  await waitFor('the officer to decode the full layer', async () => (await decodedVideoWidth(officer)) === 1280, 20_000, 200);
  await booth.close();
  await officer.close();
});
