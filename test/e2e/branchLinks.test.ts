/**
 * A booth behind the links branches really have, faults injected for real: the kiosk's Chromium
 * runs in a network namespace of its own (BoothNetwork) whose link tc shapes. With UDP blocked
 * the call goes over TCP to the worker's one port.
 */
import type { Browser, Page } from 'puppeteer-core';
import { boothPageUrl, CHROMIUM_FLAGS, openPage, selectedCandidatePairs } from '../support/browser.js';
import { BoothNetwork, boothNetworkUnavailable } from '../support/boothNetwork.js';
import { flowing, OFFICER_VIDEO, tileSelector } from '../support/deskPages.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';
import { seedDesk, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

const unavailable = boothNetworkUnavailable();
if (unavailable) console.warn(`branchLinks skipped: ${unavailable}`);
const testWithNetwork = unavailable ? test.skip : test;

const resources = useSuiteResources();
let network: BoothNetwork;
let server: TestServer;
let desk: SeededDesk;
let officerBrowser: Browser;
let kioskBrowser: Browser;
const pages: Page[] = [];

beforeAll(async () => {
  if (unavailable) return;
  network = await resources.own(BoothNetwork.create(3), (created) => created.close());
  // The server listens on the link's address, which the officer's browser on this machine reaches too.
  server = await resources.server({ HOST: network.hostAddress, RTC_LISTEN_IP: network.hostAddress });
  desk = await seedDesk(server);
  const flags = [...CHROMIUM_FLAGS, ...network.chromiumFlags(server.url)];
  officerBrowser = await resources.browser(flags);
  kioskBrowser = await resources.browser(flags, network.namespace);
}, E2E_HOOK_TIMEOUT_MS);

afterEach(async () => {
  for (const page of pages.splice(0)) await page.close();
  if (!unavailable) await network.restore();
});

/** The officer's console and booth bilik-1's kiosk, opened once the link is as the test wants it. */
async function openCall(): Promise<{ officer: Page; booth: Page }> {
  const officer = await openPage(officerBrowser, `${server.url}/officer/`, { sessionToken: desk.officer.token });
  pages.push(officer);
  const booth = await openPage(kioskBrowser, boothPageUrl(server.url, desk.credentials['bilik-1']!));
  pages.push(booth);
  return { officer, booth };
}

async function mediaBothWays(officer: Page, booth: Page): Promise<boolean> {
  const [toOfficer, toBooth] = await Promise.all([flowing(officer, `${tileSelector('bilik-1')} video`), flowing(booth, OFFICER_VIDEO)]);
  return toOfficer && toBooth;
}

testWithNetwork(
  "with UDP blocked the kiosk's call goes over TCP to the worker's port, both ways",
  async () => {
    await network.blockUdp();
    const { officer, booth } = await openCall();
    await waitFor('media both ways over TCP', () => mediaBothWays(officer, booth), 45_000, 0);
    const pairs = await selectedCandidatePairs(booth);
    // Its send and receive transports, both on the server's TCP port: the only path left.
    expect(pairs.length).toBeGreaterThanOrEqual(2);
    for (const pair of pairs) expect(pair.remote.protocol).toBe('tcp');
  },
  90_000,
);
