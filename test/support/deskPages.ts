/**
 * A desk in Chromium for tone tests: the officer's console and three kiosks, each sending its
 * own sine tone instead of a microphone (see tones.ts), so what every page hears can be told
 * apart by frequency.
 */
import type { Page } from 'puppeteer-core';
import { boothPageUrl, openPage } from './browser.js';
import type { E2eFixture } from './e2eFixture.js';
import { E2E_HOOK_TIMEOUT_MS } from './suiteResources.js';

export const OFFICER_TONE = 500;
export const BOOTH_TONES: Record<string, number> = { 'bilik-1': 700, 'bilik-2': 1000, 'bilik-3': 1300 };
export const ALL_TONES = [OFFICER_TONE, ...Object.values(BOOTH_TONES)];
/**
 * A received tone reads about -14 dB; the Opus coding noise of other audio reaches about -74 dB
 * at a tone's frequency, and a paused consumer is digital silence. -40 dB splits them widely.
 */
export const AUDIBLE_DB = -40;

/** The tones among ALL_TONES that `levels` (from receivedToneLevels) says are heard. */
export function audible(levels: Record<number, number>): number[] {
  return ALL_TONES.filter((tone) => levels[tone]! > AUDIBLE_DB);
}

export interface DeskPages {
  officer: Page;
  /** By booth id, in the order of BOOTH_TONES. */
  booths: Map<string, Page>;
}

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

/** The officer's tile of a booth. */
export const tileSelector = (boothId: string): string => `[data-testid="booth-tile"][data-booth-id="${boothId}"]`;
/** The officer's video on a kiosk. */
export const OFFICER_VIDEO = '[data-testid="officer-video"]';

/** Frames decoded so far of the video track `selector`'s element shows (by its inbound-rtp statistics); 0 without one. */
export function framesShown(page: Page, selector: string): Promise<number> {
  return page.evaluate(async (selector: string) => {
    const element = document.querySelector<HTMLVideoElement>(selector);
    const track = element?.srcObject instanceof MediaStream ? element.srcObject.getVideoTracks()[0] : undefined;
    if (!track) return 0;
    let frames = 0;
    for (const connection of (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? []) {
      if (connection.connectionState === 'closed') continue;
      (await connection.getStats()).forEach((report: { type: string; trackIdentifier?: string; framesDecoded?: number }) => {
        if (report.type === 'inbound-rtp' && report.trackIdentifier === track.id) frames = report.framesDecoded ?? 0;
      });
    }
    return frames;
  }, selector);
}

/** Whether the video `selector` shows is decoding new frames: more of them after 700 ms than before. */
export async function flowing(page: Page, selector: string): Promise<boolean> {
  const before = await framesShown(page, selector);
  await new Promise((resolve) => setTimeout(resolve, 700));
  const after = await framesShown(page, selector);
  return before > 0 && after > before;
}

/** Whether the booth's video reaches the officer's tile and the officer's video reaches the booth, now. */
export async function mediaBothWays(pages: DeskPages, boothId: string): Promise<boolean> {
  const [toOfficer, toBooth] = await Promise.all([
    flowing(pages.officer, `${tileSelector(boothId)} video`),
    flowing(pages.booths.get(boothId)!, OFFICER_VIDEO),
  ]);
  return toOfficer && toBooth;
}
