/**
 * Real Chromium for end-to-end tests, with fake camera and microphone. Each page records the
 * RTCPeerConnections it creates so a test can read WebRTC statistics without any hook in the
 * apps themselves.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

/** Launches Chromium; the caller closes it. */
export function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
}

/** Gives the page a signed-in officer's session cookie for the server at `baseUrl`. */
export async function useSession(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.browserContext().setCookie({ name: 'bilik_session', value: token, domain: new URL(baseUrl).hostname, path: '/', httpOnly: true, sameSite: 'Strict' });
}

/** The booth page's address for an enrolled kiosk: the credential travels in the fragment. */
export function boothPageUrl(baseUrl: string, credential: string): string {
  return `${baseUrl}/booth/#credential=${credential}`;
}

/** Makes every RTCPeerConnection the page creates reachable as `window.__peerConnections`. */
export async function recordPeerConnections(page: Page): Promise<void> {
  // Scripts run through tsx (the benchmarks) have esbuild's `__name` helper in every function
  // they pass to the page; define it there as the identity so those functions run.
  await page.evaluateOnNewDocument('globalThis.__name = (target) => target;');
  await page.evaluateOnNewDocument(() => {
    const recorded: RTCPeerConnection[] = [];
    (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections = recorded;
    const Original = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Original {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        recorded.push(this);
      }
    } as typeof RTCPeerConnection;
  });
}

export interface InboundMedia {
  videoFramesDecoded: number;
  audioPacketsReceived: number;
}

/** Sums what the page has received over all its peer connections so far. */
export function inboundMedia(page: Page): Promise<InboundMedia> {
  return page.evaluate(async () => {
    const result = { videoFramesDecoded: 0, audioPacketsReceived: 0 };
    const connections = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
    for (const connection of connections) {
      if (connection.connectionState === 'closed') continue;
      const stats = await connection.getStats();
      stats.forEach((report: { type: string; kind?: string; framesDecoded?: number; packetsReceived?: number }) => {
        if (report.type !== 'inbound-rtp') return;
        if (report.kind === 'video') result.videoFramesDecoded += report.framesDecoded ?? 0;
        if (report.kind === 'audio') result.audioPacketsReceived += report.packetsReceived ?? 0;
      });
    }
    return result;
  });
}

/** Width of the largest video frame the page is decoding now, over all its inbound video. */
export function decodedVideoWidth(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let width = 0;
    for (const connection of (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? []) {
      if (connection.connectionState === 'closed') continue;
      (await connection.getStats()).forEach((report: { type: string; kind?: string; frameWidth?: number }) => {
        if (report.type === 'inbound-rtp' && report.kind === 'video') width = Math.max(width, report.frameWidth ?? 0);
      });
    }
    return width;
  });
}
