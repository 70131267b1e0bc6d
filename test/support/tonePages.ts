/** The desk of the tone tests in Chromium, opened once per test file (see deskPages.ts for the tones and checks). */
import type { Page } from 'puppeteer-core';
import { boothPageUrl, openPage } from './browser.js';
import { BOOTH_TONES, OFFICER_TONE, type DeskPages } from './deskPages.js';
import type { E2eFixture } from './e2eFixture.js';
import { E2E_HOOK_TIMEOUT_MS } from './suiteResources.js';

/**
 * Opens the officer's console, then each booth's kiosk, before the file's tests (after the
 * fixture's set-up); the fields are set once that has run.
 */
export function useTonePages(e2e: E2eFixture): DeskPages {
  const pages = { booths: new Map<string, Page>() } as DeskPages;
  beforeAll(async () => {
    const { server, desk, browser } = e2e;
    pages.officer = await openPage(browser, `${server.url}/officer/`, { tone: OFFICER_TONE, sessionToken: desk.officer.token });
    // Each booth page takes its own credential from its address when it loads.
    for (const [boothId, tone] of Object.entries(BOOTH_TONES))
      pages.booths.set(boothId, await openPage(browser, boothPageUrl(server.url, desk.credentials[boothId]!), { tone }));
  }, E2E_HOOK_TIMEOUT_MS);
  return pages;
}
