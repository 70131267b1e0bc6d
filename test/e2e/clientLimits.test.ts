/**
 * Invariant 9 in real Chromium: while another booth holding a valid credential floods the server
 * past its caps (transports, producers, sockets, self-test probes), an honest kiosk starts its
 * call and its officer's console theirs, and each decodes the other's video and receives the
 * other's audio.
 */
import { boothPageUrl, inboundMedia, openPage } from '../support/browser.js';
import { pressTalkButton } from '../support/deskPages.js';
import { useServerAndBrowser } from '../support/e2eFixture.js';
import { startFlood, type Tally } from '../support/hostileBooth.js';
import { waitFor } from '../support/testServer.js';

const e2e = useServerAndBrowser();

test('an honest kiosk and its officer see and hear each other while another booth floods the server past its caps', async () => {
  const flood = startFlood(e2e.server.url, e2e.desk.credentials['bilik-2']!);
  let tally: Tally;
  try {
    await waitFor('the flood to be under way', () => flood.rounds >= 1, 30_000);
    const booth = await openPage(e2e.browser, boothPageUrl(e2e.server.url, e2e.desk.credentials['bilik-1']!));
    const officer = await openPage(e2e.browser, `${e2e.server.url}/officer/`, { sessionToken: e2e.desk.officer.token });
    // The flooding booth sat down first, so the officer talks to it; the officer turns to the honest one.
    const honestTile = '[data-testid="booth-tile"][data-booth-id="bilik-1"]';
    await officer.waitForSelector(honestTile);
    await pressTalkButton(officer, 'bilik-1');
    await officer.waitForSelector(`${honestTile}[data-talking="true"]`);
    const roundsBefore = flood.rounds;
    for (const [who, page] of [
      ['booth', booth],
      ['officer', officer],
    ] as const) {
      await waitFor(
        `the ${who} to decode video and receive audio`,
        async () => {
          const media = await inboundMedia(page);
          return media.videoFramesDecoded > 30 && media.audioPacketsReceived > 100;
        },
        30_000,
        200,
      );
    }
    // The flood is still going: the honest call did not wait for it to end.
    await waitFor('another round of the flood', () => flood.rounds > roundsBefore, 30_000);
    await booth.close();
    await officer.close();
  } finally {
    tally = await flood.stop();
  }
  expect(tally.LIMIT_EXCEEDED).toBeGreaterThan(0);
  expect(tally.INTERNAL).toBeUndefined();
}, 120_000);
