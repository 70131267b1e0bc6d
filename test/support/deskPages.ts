/**
 * A desk in Chromium for tone tests: the officer's console and three kiosks, each sending its
 * own sine tone instead of a microphone (see tones.ts), so what every page hears can be told
 * apart by frequency.
 */
import type { Page } from 'puppeteer-core';
import { inboundRtp } from './browser.js';
import { receivedToneLevels } from './tones.js';

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

/**
 * What breaks isolation on the booth pages now, one line per fault: a booth receiving another
 * booth's tone, or more than the officer's one video stream. Empty when isolation holds.
 */
export async function isolationFaults(pages: DeskPages): Promise<string[]> {
  const faults: string[] = [];
  for (const [boothId, page] of pages.booths) {
    const otherBooths = audible(await receivedToneLevels(page, ALL_TONES)).filter((tone) => tone !== OFFICER_TONE);
    if (otherBooths.length > 0) faults.push(`${boothId} hears booth tones ${otherBooths.join(', ')}`);
    // mediasoup's bandwidth probation packets show up as a codec-less stream: not media.
    const videoStreams = (await inboundRtp(page)).filter((stream) => stream.kind === 'video' && stream.codecId !== undefined).length;
    if (videoStreams !== 1) faults.push(`${boothId} receives ${videoStreams} video streams`);
  }
  return faults;
}

/** Who hears what right now: each booth whether it hears the officer, and which booth tones the officer hears. */
export async function hearing(pages: DeskPages): Promise<{ boothsHearingOfficer: string[]; officerHears: number[] }> {
  const boothsHearingOfficer: string[] = [];
  for (const [boothId, page] of pages.booths) {
    if (audible(await receivedToneLevels(page, ALL_TONES)).includes(OFFICER_TONE)) boothsHearingOfficer.push(boothId);
  }
  return { boothsHearingOfficer, officerHears: audible(await receivedToneLevels(pages.officer, ALL_TONES)) };
}

/** Whether, isolation holding, only `boothId` hears the officer and the officer hears only `boothId`. */
export async function talkingPrivately(pages: DeskPages, boothId: string): Promise<boolean> {
  const faults = await isolationFaults(pages);
  if (faults.length > 0) throw new Error(`isolation broken: ${faults.join('; ')}`);
  const now = await hearing(pages);
  return now.boothsHearingOfficer.join() === boothId && now.officerHears.join() === String(BOOTH_TONES[boothId]);
}

export interface DeskPages {
  officer: Page;
  /** By booth id, in the order of BOOTH_TONES. */
  booths: Map<string, Page>;
}

/** The officer's tile of a booth. */
export const tileSelector = (boothId: string): string => `[data-testid="booth-tile"][data-booth-id="${boothId}"]`;
/**
 * Presses `boothId`'s tile's talk button, focused, as a keyboard user does. Not a click at the
 * tile's centre, which lands on whatever the layout of the moment puts there: in clientLimits a
 * 154 x 234 px tile had its centre in the caption, 15 px above the liveness button, among
 * buttons (liveness, capture, transfer, focus, end) that stop the click and do something else.
 * clientLimits' intermittent wait for a talk that never came fits that.
 */
export async function pressTalkButton(officer: Page, boothId: string): Promise<void> {
  await officer.bringToFront();
  await officer.focus(`${tileSelector(boothId)} [data-testid="tile-select"]`);
  await officer.keyboard.press('Enter');
}
/** The officer talks to `boothId` by its tile's key (seats follow arrival: 1 for the first booth), and the tile shows it. */
export async function talkTo(officer: Page, boothId: string, key: '1' | '2' | '3'): Promise<void> {
  await officer.bringToFront();
  await officer.keyboard.press(key);
  await officer.waitForSelector(`${tileSelector(boothId)}[data-talking="true"]`);
}

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

/** How many peer connections the page has made so far: a rebuilt media session makes new ones. */
export function peerConnectionsMade(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections?.length ?? 0);
}

/**
 * Whether every page of the desk rebuilt its media session since `before` (peerConnectionsMade
 * of each, in the order officer, booths) and video flows both ways for every booth now: media
 * that still plays from before the fault does not count.
 */
export async function rebuiltAndFlowing(pages: DeskPages, before: readonly number[]): Promise<boolean> {
  const made = await Promise.all([pages.officer, ...pages.booths.values()].map(peerConnectionsMade));
  if (made.some((count, index) => count <= before[index]!)) return false;
  return (await Promise.all([...pages.booths.keys()].map((boothId) => mediaBothWays(pages, boothId)))).every(Boolean);
}

/** Whether the booth's video reaches the officer's tile and the officer's video reaches the booth, now. */
export async function mediaBothWays(pages: DeskPages, boothId: string): Promise<boolean> {
  const [toOfficer, toBooth] = await Promise.all([
    flowing(pages.officer, `${tileSelector(boothId)} video`),
    flowing(pages.booths.get(boothId)!, OFFICER_VIDEO),
  ]);
  return toOfficer && toBooth;
}
