/**
 * What every end-to-end test file starts from: a test server with a desk seeded,
 * and Chromium, shared by the file's tests.
 */
import type { Browser } from 'puppeteer-core';
import { launchBrowser } from './browser.js';
import { seedDesk, startTestServer, type SeededDesk, type TestServer } from './testServer.js';

export interface E2eFixture {
  server: TestServer;
  desk: SeededDesk;
  browser: Browser;
}

/**
 * Starts the server, seeds its desk and launches the browser before the file's tests, and closes
 * them after. The fields are set once the file's first beforeAll has run.
 */
export function useServerAndBrowser(): E2eFixture {
  const fixture = {} as E2eFixture;
  beforeAll(async () => {
    fixture.server = await startTestServer();
    fixture.desk = await seedDesk(fixture.server);
    fixture.browser = await launchBrowser();
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.close();
  });
  return fixture;
}
