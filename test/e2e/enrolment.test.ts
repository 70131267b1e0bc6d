/**
 * Enrolling a kiosk in real Chromium, as branch IT does once per booth: a fresh kiosk shows the
 * enrolment screen, a wrong code is refused with the attempts left, the right one turns it into
 * a working booth that its officer sees, and it starts enrolled from then on.
 */
import { inboundMedia, openPage } from '../support/browser.js';
import { useServerAndBrowser } from '../support/e2eFixture.js';
import { waitFor } from '../support/testServer.js';

const e2e = useServerAndBrowser();

test('a fresh kiosk enrolled with a one-time code becomes a working booth', async () => {
  const { server, desk, browser } = e2e;
  // Booth bilik-6 is re-enrolled from scratch: its old credential is revoked, a new code issued.
  await server.booths.revoke('bilik-6', { kind: 'system' });
  const { code } = await server.enrolment.issueCode('bilik-6', { kind: 'system' });

  const officer = await openPage(browser, `${server.url}/officer/`, { sessionToken: desk.officer.token });

  const context = await browser.createBrowserContext();
  const kiosk = await openPage(browser, `${server.url}/booth/`, { context });
  await kiosk.waitForSelector('[data-testid="enrolment"]:not([hidden])');

  // One character wrong in the secret part: refused, with the attempts left.
  const wrong = code.slice(0, -1) + (code.endsWith('3') ? '4' : '3');
  await kiosk.type('[data-testid="enrolment-code"]', wrong.toLowerCase());
  await kiosk.click('[data-testid="enrolment-submit"]');
  await kiosk.waitForSelector('[data-testid="enrolment-message"][data-reason="wrong"]:not([hidden])');
  expect(await kiosk.$eval('[data-testid="enrolment-message"]', (message) => message.textContent)).toContain('4');

  await kiosk.$eval('[data-testid="enrolment-code"]', (input) => ((input as HTMLInputElement).value = ''));
  await kiosk.type('[data-testid="enrolment-code"]', code);
  await kiosk.click('[data-testid="enrolment-submit"]');
  await kiosk.waitForSelector('[data-testid="enrolment"]', { hidden: true });

  await officer.waitForSelector('[data-testid="booth-tile"][data-booth-id="bilik-6"]');
  await waitFor('the new booth to decode the officer video', async () => (await inboundMedia(kiosk)).videoFramesDecoded > 10, 20_000, 200);

  // The kiosk keeps its credential: the next start goes straight to the booth.
  await kiosk.reload();
  await kiosk.waitForSelector('[data-testid="status"]:not([data-state="starting"])');
  expect(await kiosk.$('[data-testid="enrolment"]:not([hidden])')).toBeNull();
  expect(await kiosk.evaluate(() => localStorage.getItem('bilik.deviceCredential'))).toMatch(/^bk1_/);
  await context.close();
  await officer.close();
});
