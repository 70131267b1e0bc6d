/**
 * What a claimant does at a kiosk to join the queue, for every test and benchmark that drives the
 * real booth page: Mulai, a service, the details (ticket, priority), then the summary confirmed.
 * One place, so a change of the journey's screens changes every test that goes through it.
 */
import type { Service } from '@bilik/shared/journey';
import type { Page } from 'puppeteer-core';

/** What the claimant picks and types; no ticket and no priority unless given. */
export interface KioskChoice {
  service?: Service;
  ticket?: string;
  priority?: boolean;
}

/** Clicks the element with `testId` once it is visible; `timeout` for a screen that may take long to come. */
export async function press(page: Page, testId: string, timeout?: number): Promise<void> {
  const element = await page.waitForSelector(`[data-testid="${testId}"]`, { visible: true, timeout });
  await element!.click();
}

/**
 * Goes from the welcome screen through the summary and confirms it; resolves once the confirm
 * is pressed (the server's answer shows as the waiting screen or the call). `welcomeTimeout`
 * for a kiosk still running its self-test.
 */
export async function joinQueue(booth: Page, choice: KioskChoice = {}, welcomeTimeout?: number): Promise<void> {
  await reachSummary(booth, choice, welcomeTimeout);
  await press(booth, 'confirm');
}

/** Goes from the welcome screen to the summary, which it leaves unconfirmed (see joinQueue). */
export async function reachSummary(booth: Page, choice: KioskChoice = {}, welcomeTimeout?: number): Promise<void> {
  await press(booth, 'start', welcomeTimeout);
  await press(booth, `service-${choice.service ?? 'jht'}`);
  await booth.waitForSelector('[data-testid="screen-details"]', { visible: true });
  if (choice.ticket !== undefined) await booth.type('[data-testid="ticket"]', choice.ticket);
  if (choice.priority === true) {
    await press(booth, 'priority');
    await booth.waitForSelector('[data-testid="priority"][aria-pressed="true"]');
  }
  await press(booth, 'details-next');
  await booth.waitForSelector('[data-testid="screen-confirm"]', { visible: true });
}
