/**
 * A branch whose firewall lets media through its TURN relay only: with ICE_TRANSPORT_POLICY=relay
 * the booth and the officer in real Chromium reach the SFU through a real coturn, on the
 * time-limited credentials the server handed them, and see each other.
 */
import type { Browser, Page } from 'puppeteer-core';
import type { BoothFleetView } from '@bilik/shared/fleet';
import { boothPageUrl, inboundMedia, openPage, selectedCandidatePairs } from '../support/browser.js';
import { startTurnServer, type TestTurnServer } from '../support/coturn.js';
import { seedDesk, signedInCookie, TEST_BRANCH, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';

const resources = useSuiteResources();
let turn: TestTurnServer;
let server: TestServer;
let desk: SeededDesk;
let browser: Browser;

beforeAll(async () => {
  turn = await resources.own(startTurnServer(), (started) => started.stop());
  server = await resources.server({ TURN_URLS: turn.url, TURN_SECRET: turn.secret, ICE_TRANSPORT_POLICY: 'relay' });
  desk = await seedDesk(server);
  browser = await resources.browser();
}, E2E_HOOK_TIMEOUT_MS);

test('with relay only, a booth and its officer see and hear each other through coturn', async () => {
  const booth = await openPage(browser, boothPageUrl(server.url, desk.credentials['bilik-1']!));
  const officer = await openPage(browser, `${server.url}/officer/`, { sessionToken: desk.officer.token });

  const receivesVideoAndAudio = (page: Page) => async () => {
    const media = await inboundMedia(page);
    return media.videoFramesDecoded > 10 && media.audioPacketsReceived > 50;
  };
  await waitFor('the booth to decode officer video through the relay', receivesVideoAndAudio(booth), 30_000, 200);
  await waitFor('the officer to decode booth video through the relay', receivesVideoAndAudio(officer), 30_000, 200);

  // Each side's send and receive transports go through TURN.
  for (const page of [booth, officer]) {
    const types = (await selectedCandidatePairs(page)).map((pair) => pair.localCandidateType);
    expect(types.length).toBeGreaterThanOrEqual(2);
    expect(new Set(types)).toEqual(new Set(['relay']));
  }
  // coturn accepted the credentials the server made for each of them ("<expiry>:<client id>").
  expect(turn.log()).toMatch(/user <\d+:bilik-1>: incoming packet ALLOCATE processed, success/);
  expect(turn.log()).toMatch(new RegExp(`user <\\d+:${desk.officer.accountId}>: incoming packet ALLOCATE processed, success`));
  await booth.close();
  await officer.close();
});

test("with relay only, an idle kiosk's self-test finds the SFU through the relay, and branch IT sees that path", async () => {
  // A booth of its own: the seeded ones are in session, and a kiosk in session skips its self-test.
  await server.booths.createBooth({ id: 'bilik-relai', branchId: TEST_BRANCH, name: 'Bilik Relai' }, { kind: 'system' });
  const credential = await server.booths.issueCredential('bilik-relai', { kind: 'system' });
  const kiosk = await openPage(browser, boothPageUrl(server.url, credential));
  const itAdmin = (await signedInCookie(server, { username: 'admin-ti', role: 'it_admin', branchIds: [TEST_BRANCH] })).cookie;
  const selfTestOnItPage = async (): Promise<BoothFleetView['selfTest']> => {
    const response = await fetch(`${server.url}/api/branches/${TEST_BRANCH}/booths`, { headers: { origin: server.url, cookie: itAdmin } });
    const { data } = (await response.json()) as { data: BoothFleetView[] };
    return data.find((view) => view.boothId === 'bilik-relai')!.selfTest;
  };
  await waitFor('the self-test report on the IT page', async () => (await selfTestOnItPage()) !== null, 30_000, 200);
  expect((await selfTestOnItPage())!.network).toMatchObject({ ok: true, path: 'relay', detail: expect.stringContaining('TURN relay') });
  await kiosk.close();
});
