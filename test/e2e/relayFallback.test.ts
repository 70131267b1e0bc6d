/**
 * A branch whose middlebox passes ICE's small connectivity checks to the SFU's media port but
 * drops anything larger (DTLS, media) and all TCP to it: direct ICE connects and then nothing
 * flows, so the browser never turns to the TURN relay by itself. The kiosk (in its own network
 * namespace, BoothNetwork) gives up on the direct path and rebuilds its session through the relay
 * alone, with nobody touching it.
 */
import type { Browser } from 'puppeteer-core';
import { boothPageUrl, CHROMIUM_FLAGS, openPage, selectedCandidatePairs } from '../support/browser.js';
import { BoothNetwork, boothNetworkUnavailable } from '../support/boothNetwork.js';
import { startTurnServer, type TestTurnServer } from '../support/coturn.js';
import { flowing, OFFICER_VIDEO, tileSelector } from '../support/deskPages.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';
import { freeRtcPorts, seedDesk, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

const unavailable = boothNetworkUnavailable();
if (unavailable) console.warn(`relayFallback skipped: ${unavailable}`);
const testWithNetwork = unavailable ? test.skip : test;

const resources = useSuiteResources();
let network: BoothNetwork;
let turn: TestTurnServer;
let rtcPort: number;
let server: TestServer;
let desk: SeededDesk;
let officerBrowser: Browser;
let kioskBrowser: Browser;

beforeAll(async () => {
  if (unavailable) return;
  network = await resources.own(BoothNetwork.create(4), (created) => created.close());
  turn = await resources.own(startTurnServer(network.hostAddress), (started) => started.stop());
  rtcPort = await freeRtcPorts(1);
  // ICE_TRANSPORT_POLICY stays `all`: clients try the direct path first, as they would at a branch.
  server = await resources.server({
    HOST: network.hostAddress,
    RTC_LISTEN_IP: network.hostAddress,
    RTC_PORT: String(rtcPort),
    TURN_URLS: turn.url,
    TURN_SECRET: turn.secret,
  });
  desk = await seedDesk(server);
  const flags = [...CHROMIUM_FLAGS, ...network.chromiumFlags(server.url)];
  officerBrowser = await resources.browser(flags);
  kioskBrowser = await resources.browser(flags, network.namespace);
}, E2E_HOOK_TIMEOUT_MS);

testWithNetwork(
  'where only ICE checks reach the media port, the kiosk rebuilds its session through the TURN relay by itself and media flows both ways',
  async () => {
    await network.passOnlyIceChecksTo(rtcPort);
    const officer = await openPage(officerBrowser, `${server.url}/officer/`, { sessionToken: desk.officer.token });
    const booth = await openPage(kioskBrowser, boothPageUrl(server.url, desk.credentials['bilik-1']!));
    const mediaBothWays = async (): Promise<boolean> => {
      const [toOfficer, toBooth] = await Promise.all([flowing(officer, `${tileSelector('bilik-1')} video`), flowing(booth, OFFICER_VIDEO)]);
      return toOfficer && toBooth;
    };
    await waitFor('media both ways through the relay', mediaBothWays, 60_000, 0);
    // Both of the kiosk's transports go through coturn, on the credentials the server made for it.
    const types = (await selectedCandidatePairs(booth)).map((pair) => pair.localCandidateType);
    expect(types.length).toBeGreaterThanOrEqual(2);
    expect(new Set(types)).toEqual(new Set(['relay']));
    expect(turn.log()).toMatch(/user <\d+:bilik-1>: incoming packet ALLOCATE processed, success/);
  },
  120_000,
);
