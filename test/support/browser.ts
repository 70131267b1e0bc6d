/**
 * Real Chromium for end-to-end tests, with fake camera and microphone. Each page records the
 * RTCPeerConnections it creates so a test can read WebRTC statistics without any hook in the
 * apps themselves.
 */
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type BrowserContext, type Page, type PuppeteerLifeCycleEvent } from 'puppeteer-core';
import { importDebug } from 'puppeteer-core/internal/common/Debug.js';
import { recordCapturedDevices } from './capturedDevices.js';
import { useToneAsMedia } from './tones.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** How tests run Chromium: headless, with a fake camera and microphone whose prompt is accepted, and autoplay allowed. */
export const CHROMIUM_FLAGS = [
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

/** Starts CHROMIUM_PATH so that it dies with the test run (see the script). */
const CHROMIUM_LAUNCHER = fileURLToPath(new URL('./chromiumWithParent.sh', import.meta.url));

/**
 * Launches Chromium with `flags`, inside `networkNamespace` if given (see BoothNetwork); the
 * caller closes it. Puppeteer talks to it over a pipe rather than a WebSocket: nothing to connect
 * to, and it works for a browser inside a network namespace.
 */
export async function launchBrowser(flags: string[] = CHROMIUM_FLAGS, networkNamespace?: string): Promise<Browser> {
  // Puppeteer imports its logger the first time it logs, typically an error after a test timed
  // out; by then jest may have torn the test file's modules down, and that late import crashes
  // the whole run. Importing it now, while the file runs, leaves nothing to import late.
  await importDebug();
  const env = { ...process.env, CHROMIUM_PATH, BILIK_NETNS: networkNamespace ?? '' };
  return puppeteer.launch({ executablePath: CHROMIUM_LAUNCHER, args: flags, pipe: true, env });
}

/** Gives the page a signed-in officer's session cookie for the server at `baseUrl`. */
export async function useSession(page: Page, baseUrl: string, token: string): Promise<void> {
  await page
    .browserContext()
    .setCookie({ name: 'bilik_session', value: token, domain: new URL(baseUrl).hostname, path: '/', httpOnly: true, sameSite: 'Strict' });
}

/** The booth page's address for an enrolled kiosk: the credential travels in the fragment. */
export function boothPageUrl(baseUrl: string, credential: string, search = ''): string {
  return `${baseUrl}/booth/${search}#credential=${credential}`;
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
    };
  });
}

export interface PageOptions {
  /** Signs the page's browser in with this officer's session token before it loads. */
  sessionToken?: string;
  /** The server the session is for; by default the one `url` is on. */
  baseUrl?: string;
  /** Replaces the camera and microphone with a sine tone of this frequency (Hz) and a drawn picture. */
  tone?: number;
  /** The browser context to open the page in; by default the browser's default context. */
  context?: BrowserContext;
  /** When loading counts as done; 'load' by default. */
  waitUntil?: PuppeteerLifeCycleEvent;
  /**
   * Opens the camera at 640 × 360 and at most 15 frames a second, whatever the app asks for, as
   * the tone picture does: for tests of many pages, where the camera's size does not matter but
   * encoding seven 720p simulcast streams would take more than a 2-core machine has.
   */
  smallCamera?: boolean;
  /** Records what the page opens with getUserMedia (see capturedDevices.ts), e.g. to end its camera. */
  recordDevices?: boolean;
  /** Sets the page up before it loads (evaluateOnNewDocument), e.g. with a movable clock (pageClock.ts). */
  prepare?: (page: Page) => Promise<void>;
}

/** Makes getUserMedia in this page open the camera small (see PageOptions.smallCamera). */
async function useSmallCamera(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = (constraints) =>
      open(
        constraints?.video
          ? { ...constraints, video: { width: { exact: 640 }, height: { exact: 360 }, frameRate: { max: 15 } } }
          : constraints,
      );
  });
}

/** Opens `url` in a new page that records its peer connections, set up as `options` say. */
export async function openPage(browser: Browser, url: string, options: PageOptions = {}): Promise<Page> {
  const page = await (options.context ?? browser).newPage();
  await recordPeerConnections(page);
  if (options.tone !== undefined) await useToneAsMedia(page, options.tone);
  if (options.smallCamera === true) await useSmallCamera(page);
  if (options.recordDevices === true) await recordCapturedDevices(page);
  await options.prepare?.(page);
  if (options.sessionToken !== undefined) await useSession(page, options.baseUrl ?? url, options.sessionToken);
  await page.goto(url, { waitUntil: options.waitUntil ?? 'load' });
  return page;
}

/**
 * Opens the officer console at `url` and starts work as its officer would: a console opened by
 * an officer coming on duty starts not ready, until they press "Siap". Resolves once the officer
 * takes booths.
 */
export async function openConsole(browser: Browser, url: string, options: PageOptions = {}): Promise<Page> {
  const page = await openPage(browser, url, options);
  await pressReady(page);
  return page;
}

/** Presses the console's "Siap" if its officer is not ready (or on a break), and waits until they take booths. */
export async function pressReady(page: Page): Promise<void> {
  const known = '[data-testid="work"]:not([hidden]) [data-testid="work-state"]:not([data-state="offline"])';
  const state = await (await page.waitForSelector(known))!.evaluate((element) => element.getAttribute('data-state'));
  if (state === 'paused') await page.click('[data-testid="work-toggle"]');
  await page.waitForSelector('[data-testid="work-state"][data-state="available"]');
}

/** One inbound RTP stream of the page, as its statistics report it. */
export interface InboundRtp {
  kind?: string;
  framesDecoded?: number;
  packetsReceived?: number;
  frameWidth?: number;
  /** Absent for mediasoup's bandwidth probation packets, which arrive as a stream of their own. */
  codecId?: string;
  ssrc?: number;
}

/** The inbound-rtp reports of all the page's open peer connections. */
export function inboundRtp(page: Page): Promise<InboundRtp[]> {
  return page.evaluate(async () => {
    const streams: InboundRtp[] = [];
    for (const connection of (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? []) {
      if (connection.connectionState === 'closed') continue;
      (await connection.getStats()).forEach((report: { type: string } & InboundRtp) => {
        if (report.type !== 'inbound-rtp') return;
        const { kind, framesDecoded, packetsReceived, frameWidth, codecId, ssrc } = report;
        streams.push({ kind, framesDecoded, packetsReceived, frameWidth, codecId, ssrc });
      });
    }
    return streams;
  });
}

export interface InboundMedia {
  videoFramesDecoded: number;
  audioPacketsReceived: number;
}

/** Sums what the page has received over all its peer connections so far. */
export async function inboundMedia(page: Page): Promise<InboundMedia> {
  const streams = await inboundRtp(page);
  const total = (kind: string, count: (stream: InboundRtp) => number | undefined) =>
    streams.filter((stream) => stream.kind === kind).reduce((sum, stream) => sum + (count(stream) ?? 0), 0);
  return {
    videoFramesDecoded: total('video', (stream) => stream.framesDecoded),
    audioPacketsReceived: total('audio', (stream) => stream.packetsReceived),
  };
}

/** Width of the largest video frame the page is decoding now, over all its inbound video. */
export async function decodedVideoWidth(page: Page): Promise<number> {
  const streams = await inboundRtp(page);
  return Math.max(0, ...streams.filter((stream) => stream.kind === 'video').map((stream) => stream.frameWidth ?? 0));
}

/** The selected ICE candidate pair of one open peer connection of a page. */
export interface SelectedPair {
  connectionState: RTCPeerConnectionState;
  /** The page's end: 'host', 'srflx' or 'relay' ('relay': its media goes through TURN). */
  localCandidateType: string;
  /** The far end, the server (or the relay's address on it): what the page sends its media to. */
  remote: { protocol: string; port: number };
}

/** The selected candidate pair of each of the page's peer connections that is not closed. */
export function selectedCandidatePairs(page: Page): Promise<SelectedPair[]> {
  return page.evaluate(async () => {
    const pairs: SelectedPair[] = [];
    for (const connection of (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? []) {
      if (connection.connectionState === 'closed') continue;
      const reports = new Map<string, Record<string, unknown>>();
      (await connection.getStats()).forEach((report: Record<string, unknown> & { id: string }) => reports.set(report.id, report));
      for (const report of reports.values()) {
        if (report.type !== 'transport' || typeof report.selectedCandidatePairId !== 'string') continue;
        const pair = reports.get(report.selectedCandidatePairId);
        const local = pair && reports.get(pair.localCandidateId as string);
        const remote = pair && reports.get(pair.remoteCandidateId as string);
        if (!local || !remote) continue;
        pairs.push({
          connectionState: connection.connectionState,
          localCandidateType: local.candidateType as string,
          remote: { protocol: remote.protocol as string, port: remote.port as number },
        });
      }
    }
    return pairs;
  });
}

/** One simulcast layer the page sends, as its outbound-rtp statistics report it. */
export interface OutboundVideoLayer {
  /** mediasoup-client names its layers r0 (quarter), r1 (half) and r2 (full resolution). */
  rid: string | null;
  /** Whether the encoding is on (RTCRtpSender.setParameters). */
  active: boolean;
  frameWidth: number | null;
  framesEncoded: number;
  /** The bitrate the encoder aims at for this layer, in bit/s. */
  targetBitrate: number;
}

/** The video layers the page sends over all its open peer connections. */
export function outboundVideoLayers(page: Page): Promise<OutboundVideoLayer[]> {
  return page.evaluate(async () => {
    const layers: OutboundVideoLayer[] = [];
    for (const connection of (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? []) {
      if (connection.connectionState === 'closed') continue;
      (await connection.getStats()).forEach(
        (report: {
          type: string;
          kind?: string;
          rid?: string;
          active?: boolean;
          frameWidth?: number;
          framesEncoded?: number;
          targetBitrate?: number;
        }) => {
          if (report.type !== 'outbound-rtp' || report.kind !== 'video') return;
          layers.push({
            rid: report.rid ?? null,
            active: report.active ?? true,
            frameWidth: report.frameWidth ?? null,
            framesEncoded: report.framesEncoded ?? 0,
            targetBitrate: report.targetBitrate ?? 0,
          });
        },
      );
    }
    return layers;
  });
}
