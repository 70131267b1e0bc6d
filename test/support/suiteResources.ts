/**
 * What a test file starts (servers, browsers) and must stop, whatever happens to its hooks.
 *
 * On a loaded machine a `beforeAll` can time out while it is still starting something: jest
 * then runs `afterAll`, which sees nothing to close, and the server or Chromium that comes up a
 * moment later outlives the file, slowing every later one. Here each start is registered before
 * it is awaited, so `afterAll` closes everything that started, including what completes after
 * its hook gave up.
 */
import { jest } from '@jest/globals';
import type { Browser } from 'puppeteer-core';
import { launchBrowser } from './browser.js';
import { startTestServer, type TestServer } from './testServer.js';

/**
 * The time a set-up or tear-down hook of an end-to-end file may take. Starting a server and
 * Chromium takes a few seconds on an idle machine and far longer on a busy one; waiting for them
 * is legitimate, so hooks get far more than jest's default before they count as failed.
 */
export const E2E_HOOK_TIMEOUT_MS = 120_000;

/**
 * The time a test of a file that starts servers and browsers may take unless it names its own.
 * Such a test waits for media, pages and servers, each wait bounded by itself; on a loaded
 * 2-core machine a few of them add up past jest's 30 s default, which then fails a test that
 * was only slow.
 */
export const SUITE_TEST_TIMEOUT_MS = 90_000;

export interface SuiteResources {
  /**
   * Registers a resource being started and returns it once started; `close` stops it after the
   * file's tests, even when the start completes only after its hook timed out.
   */
  own<T>(starting: Promise<T>, close: (resource: T) => Promise<void>): Promise<T>;
  /** A test server (see startTestServer), closed after the file's tests. */
  server(overrides?: Record<string, string>): Promise<TestServer>;
  /** A Chromium (see launchBrowser), closed after the file's tests. */
  browser(flags?: string[], networkNamespace?: string): Promise<Browser>;
}

/**
 * Call at the top level of a test file; its `afterAll` closes what the file started, and its
 * tests get SUITE_TEST_TIMEOUT_MS unless they name their own bound.
 */
export function useSuiteResources(): SuiteResources {
  jest.setTimeout(SUITE_TEST_TIMEOUT_MS);
  const closings: Array<() => Promise<void>> = [];

  const own = <T>(starting: Promise<T>, close: (resource: T) => Promise<void>): Promise<T> => {
    // A start that failed left nothing to close; its error reaches the hook that awaited it.
    closings.push(() => starting.then(close, () => undefined));
    return starting;
  };

  afterAll(async () => {
    // All at once: a start that never completes must not keep the others running.
    const results = await Promise.allSettled(closings.splice(0).map((closing) => closing()));
    const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failures.length > 0)
      throw new AggregateError(
        failures.map((failure) => failure.reason as unknown),
        'could not close what the tests started',
      );
  }, E2E_HOOK_TIMEOUT_MS);

  return {
    own,
    server: (overrides) => own(startTestServer(overrides), (server) => server.close()),
    browser: (flags, networkNamespace) => own(launchBrowser(flags, networkNamespace), (browser) => browser.close()),
  };
}
