/**
 * What every end-to-end test file starts from: a test server with a desk seeded,
 * and Chromium, shared by the file's tests.
 */
import type { Browser } from 'puppeteer-core';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources, type SuiteResources } from './suiteResources.js';
import { seedDesk, type SeededDesk, type TestServer } from './testServer.js';

export interface E2eFixture {
  server: TestServer;
  desk: SeededDesk;
  browser: Browser;
  /** Registers more of what the file starts, so that it too is closed after its tests. */
  resources: SuiteResources;
}

/**
 * Starts the server, seeds its desk and launches the browser before the file's tests, and closes
 * them after, even if starting them timed out. The fields are set once the file's first
 * beforeAll has run.
 */
export function useServerAndBrowser(): E2eFixture {
  const resources = useSuiteResources();
  const fixture = { resources } as E2eFixture;
  beforeAll(async () => {
    fixture.server = await resources.server();
    fixture.desk = await seedDesk(fixture.server);
    fixture.browser = await resources.browser();
  }, E2E_HOOK_TIMEOUT_MS);
  return fixture;
}
