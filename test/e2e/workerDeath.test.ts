/**
 * A mediasoup worker SIGKILLed under a desk of three booths, in real Chromium: the pool starts
 * a new worker on the same port, the desk re-opens on it with everyone still seated, and every
 * client rebuilds its media session by itself, so media flows again in every direction with
 * nobody touching a page, the officer still talking to the same booth.
 */
import type { Page } from 'puppeteer-core';
import { selectedCandidatePairs } from '../support/browser.js';
import { ALL_TONES, audible, BOOTH_TONES, mediaBothWays, OFFICER_TONE, pressTalkButton, tileSelector } from '../support/deskPages.js';
import { useTonePages } from '../support/tonePages.js';
import { useServerAndBrowser } from '../support/e2eFixture.js';
import { receivedToneLevels } from '../support/tones.js';
import { waitFor } from '../support/testServer.js';

const BOOTH_IDS = Object.keys(BOOTH_TONES);
/** The kill, the replacement worker, the rebuilt sessions and their ICE and DTLS take a few seconds. */
const HEAL_MS = 30_000;

const e2e = useServerAndBrowser();
const desk = useTonePages(e2e);

/** Whether every booth has video both ways, the officer hears `talkingTo` only, and only `talkingTo` hears the officer. */
async function everyDirection(talkingTo: string): Promise<boolean> {
  for (const boothId of BOOTH_IDS) if (!(await mediaBothWays(desk, boothId))) return false;
  const boothsHearingOfficer: string[] = [];
  for (const [boothId, page] of desk.booths)
    if (audible(await receivedToneLevels(page, ALL_TONES)).includes(OFFICER_TONE)) boothsHearingOfficer.push(boothId);
  const officerHears = audible(await receivedToneLevels(desk.officer, ALL_TONES));
  return boothsHearingOfficer.join() === talkingTo && officerHears.join() === String(BOOTH_TONES[talkingTo]);
}

/** Whether every page's media goes to `port` over UDP: the worker's one port, whatever the transport. */
async function allMediaOnPort(pages: Page[], port: number): Promise<boolean> {
  for (const page of pages) {
    const connected = (await selectedCandidatePairs(page)).filter((pair) => pair.connectionState === 'connected');
    // A page sends and receives on two transports.
    if (connected.length < 2 || connected.some(({ remote }) => remote.protocol !== 'udp' || remote.port !== port)) return false;
  }
  return true;
}

test('after SIGKILL of the worker holding the desk, media flows again in every direction by itself', async () => {
  const talkingTo = 'bilik-2';
  await desk.officer.waitForSelector(tileSelector('bilik-3'), { timeout: 30_000 });
  await desk.officer.bringToFront();
  await pressTalkButton(desk.officer, talkingTo);
  await desk.officer.waitForSelector(`${tileSelector(talkingTo)}[data-talking="true"]`);
  await waitFor('media in every direction', () => everyDirection(talkingTo), HEAL_MS, 0);

  const { workers } = e2e.server;
  const pages = [desk.officer, ...desk.booths.values()];
  // The test server runs one worker: it holds the desk, and every transport is on its one port.
  const { worker, port } = workers.mediaWorkers[0]!;
  expect(await allMediaOnPort(pages, port)).toBe(true);
  process.kill(worker.pid, 'SIGKILL');
  await waitFor('a new worker', () => workers.pids[0] !== worker.pid);
  expect(workers.mediaWorkers[0]!.port).toBe(port);

  // Nobody touches a page from here on.
  await waitFor('media in every direction again', () => everyDirection(talkingTo), HEAL_MS, 0);
  await waitFor('every page on the same port again', () => allMediaOnPort(pages, port));
  expect(await desk.officer.$eval(`${tileSelector(talkingTo)}`, (tile) => tile.getAttribute('data-talking'))).toBe('true');
  for (const boothId of BOOTH_IDS) await desk.officer.waitForSelector(`${tileSelector(boothId)}[data-reconnecting="false"]`);
  expect(workers.healthy).toBe(true);
}, 120_000);
