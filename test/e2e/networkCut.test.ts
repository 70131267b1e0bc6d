/**
 * A booth behind a link that really breaks: the kiosk's Chromium runs in a network namespace of
 * its own (BoothNetwork), and the test cuts its media path with tc for 15 s while its signaling
 * connection stays up, the case where, before calls healed themselves, media never came back
 * until someone reloaded the kiosk. The kiosk says "Menyambung ulang…" and the officer's tile
 * marks the booth as reconnecting while the path is down; once the path returns, media flows
 * both ways again with nobody touching a page.
 */
import type { Page } from 'puppeteer-core';
import { boothPageUrl, CHROMIUM_FLAGS, openPage } from '../support/browser.js';
import { BoothNetwork, boothNetworkUnavailable } from '../support/boothNetwork.js';
import { flowing, OFFICER_VIDEO, tileSelector } from '../support/deskPages.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';
import { seedDesk, waitFor, type TestServer } from '../support/testServer.js';

const unavailable = boothNetworkUnavailable();
if (unavailable) console.warn(`networkCut skipped: ${unavailable}`);
const testWithNetwork = unavailable ? test.skip : test;

/** Longer than the browser takes to call the path disconnected (about 5 s) plus the 2 s grace. */
const CUT_MS = 15_000;
/** After the path returns: a pending ICE restart or rebuild completes, then a key frame. */
const BACK_MS = 20_000;

const resources = useSuiteResources();
let network: BoothNetwork;
let server: TestServer;
let officer: Page;
let booth: Page;

beforeAll(async () => {
  if (unavailable) return;
  network = await resources.own(BoothNetwork.create(2), (created) => created.close());
  // The server listens on the link's address, which the officer's browser on this machine reaches too.
  server = await resources.server({ HOST: network.hostAddress, RTC_LISTEN_IP: network.hostAddress });
  const desk = await seedDesk(server);
  const flags = [...CHROMIUM_FLAGS, ...network.chromiumFlags(server.url)];
  const officerBrowser = await resources.browser(flags);
  const kioskBrowser = await resources.browser(flags, network.namespace);
  officer = await openPage(officerBrowser, `${server.url}/officer/`, { sessionToken: desk.officer.token });
  booth = await openPage(kioskBrowser, boothPageUrl(server.url, desk.credentials['bilik-1']!));
}, E2E_HOOK_TIMEOUT_MS);

/** Whether the booth's video reaches the officer's tile and the officer's video reaches the booth, now. */
async function mediaBothWays(): Promise<boolean> {
  const [toOfficer, toBooth] = await Promise.all([flowing(officer, `${tileSelector('bilik-1')} video`), flowing(booth, OFFICER_VIDEO)]);
  return toOfficer && toBooth;
}

testWithNetwork(
  "a booth's media path cut for 15 s while signaling stays up comes back by itself once the path returns",
  async () => {
    await waitFor('media both ways', mediaBothWays, 30_000, 0);

    await network.cutMedia(Number(new URL(server.url).port));
    const cutEnds = Date.now() + CUT_MS;
    try {
      // The cut is real: the booth's video stops at the officer, and both screens say why.
      await waitFor(
        'the booth video to stop at the officer',
        async () => !(await flowing(officer, `${tileSelector('bilik-1')} video`)),
        10_000,
        0,
      );
      await booth.waitForSelector('[data-testid="status"][data-state="recovering"]:not([hidden])', { timeout: CUT_MS });
      await officer.waitForSelector(`${tileSelector('bilik-1')}[data-reconnecting="true"]`, { timeout: CUT_MS });
      // The path stays down for the rest of the cut, whatever the client tries meanwhile.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, cutEnds - Date.now())));
      expect(await flowing(officer, `${tileSelector('bilik-1')} video`)).toBe(false);
    } finally {
      await network.restore();
    }

    // Nobody touches a page from here on.
    await waitFor('media both ways again', mediaBothWays, BACK_MS, 0);
    await booth.waitForSelector('[data-testid="status"][data-state="recovering"]', { hidden: true, timeout: 10_000 });
    await officer.waitForSelector(`${tileSelector('bilik-1')}[data-reconnecting="false"]`, { timeout: 10_000 });
  },
  120_000,
);
