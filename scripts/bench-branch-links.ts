/**
 * Benchmark: a booth behind the links branches really have. The kiosk's headless Chromium runs
 * in a network namespace of its own (BoothNetwork: a veth link that tc shapes), the officer's
 * console in a Chromium on this machine, both against the real server listening on the link's
 * address:
 *
 *   first-frame   RUNS times per link (after one warm-up run): from opening the kiosk page, the
 *                 officer's console already connected, to the kiosk's first decoded frame of the
 *                 officer's video, and to the console's first decoded frame of the booth's video.
 *                 Links: open; UDP blocked (the call must go over TCP); relay only (a second
 *                 server with ICE_TRANSPORT_POLICY=relay and a real coturn on the link's host
 *                 address). Each run checks that the selected candidate pairs are that link's,
 *                 and aborts if not.
 *   loss          one call, established first; then WINDOW_MS with the link as it is (the
 *                 baseline), then WINDOW_MS with LOSS_PERCENT of the packets dropped each way at
 *                 random. On each side: the inbound video's freezes (Chromium's freezeCount and
 *                 totalFreezesDuration), the longest gap between decoded frames (framesDecoded
 *                 sampled every 100 ms in the page), the inbound audio's concealed share
 *                 (concealedSamples / totalSamplesReceived) and the NACKs sent.
 *
 * Needs root for the network namespace; without it it prints why and exits 0. PARTS picks
 * some (comma-separated: open, udp-blocked, loss, relay; all by default).
 *
 * Run: npm run bench:branch-links   (prints Markdown tables for docs/benchmarks.md)
 */
import os from 'node:os';
import type { Browser, Page } from 'puppeteer-core';
import {
  boothPageUrl,
  CHROMIUM_FLAGS,
  inboundMedia,
  launchBrowser,
  openPage,
  selectedCandidatePairs,
  type SelectedPair,
} from '../test/support/browser.js';
import { BoothNetwork, boothNetworkUnavailable } from '../test/support/boothNetwork.js';
import { startTurnServer } from '../test/support/coturn.js';
import { seedDesk, startTestServer, waitFor, type SeededDesk, type TestServer } from '../test/support/testServer.js';
import { machineLine, printSummaryTable } from './benchSummary.js';
import { navigationStartedAt, nextDecodedFrameAt } from './decodedFrames.js';

const RUNS = Number(process.env.RUNS ?? 10);
const PARTS = (process.env.PARTS ?? 'open,udp-blocked,loss,relay').split(',');
/** Each window of the loss part: the baseline, then the loss. */
const WINDOW_MS = Number(process.env.WINDOW_MS ?? 60_000);
const LOSS_PERCENT = Number(process.env.LOSS_PERCENT ?? 3);
/** A call over TCP takes seconds longer to start than over UDP (the UDP checks fail first). */
const WATCH = { pollMs: 5, giveUpMs: 60_000 };
/** Between runs: the closed kiosk's last frames reach the console before the next run's baseline. */
const SETTLE_MS = 2_000;
/** The targets for a lossy link. */
const LONGEST_FREEZE_TARGET_MS = 1_000;
const CONCEALED_TARGET = 0.05;

/** A server on the link's host address, the officer's browser on this machine and the kiosk's in the booth's network. */
interface Link {
  server: TestServer;
  desk: SeededDesk;
  officerBrowser: Browser;
  kioskBrowser: Browser;
  /** Everything to close, last first. */
  closers: Array<() => Promise<unknown>>;
}

async function startLink(network: BoothNetwork, env: Record<string, string> = {}): Promise<Link> {
  const closers: Link['closers'] = [];
  try {
    const server = await startTestServer({ HOST: network.hostAddress, RTC_LISTEN_IP: network.hostAddress, ...env });
    closers.push(() => server.close());
    const desk = await seedDesk(server);
    // The server's address is not localhost for either browser: allow camera and microphone on it.
    const flags = [...CHROMIUM_FLAGS, ...network.chromiumFlags(server.url)];
    const officerBrowser = await launchBrowser(flags);
    closers.push(() => officerBrowser.close());
    const kioskBrowser = await launchBrowser(flags, network.namespace);
    closers.push(() => kioskBrowser.close());
    return { server, desk, officerBrowser, kioskBrowser, closers };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

async function closeAll(closers: Link['closers']): Promise<void> {
  for (const close of closers.reverse()) await close().catch((error: unknown) => console.error('could not close', error));
}

const openOfficer = (link: Link): Promise<Page> =>
  openPage(link.officerBrowser, `${link.server.url}/officer/`, { sessionToken: link.desk.officer.token });
/** Loading counts as done at DOMContentLoaded, so the watch starts before the page connects. */
const openKiosk = (link: Link): Promise<Page> =>
  openPage(link.kioskBrowser, boothPageUrl(link.server.url, link.desk.credentials['bilik-1']!), { waitUntil: 'domcontentloaded' });

/** One link of the first-frame part: how to make it, and what its selected candidate pairs must be. */
interface LinkCase {
  name: string;
  /** Throws unless `pairs` (the kiosk's, then the console's) are this link's. */
  check(kiosk: SelectedPair[], officer: SelectedPair[]): void;
}

const describePairs = (pairs: SelectedPair[]): string =>
  [...new Set(pairs.map((pair) => `${pair.localCandidateType} → ${pair.remote.protocol}`))].join(', ');

function expectPairs(what: string, pairs: SelectedPair[], holds: (pair: SelectedPair) => boolean, wanted: string): void {
  // A kiosk and a console each have a send and a receive transport.
  if (pairs.length < 2 || !pairs.every(holds)) {
    throw new Error(
      `${what}: selected pairs are ${describePairs(pairs) || 'none'}, not ${wanted}: the case does not measure what it claims`,
    );
  }
}

const OPEN: LinkCase = {
  name: 'link open',
  check: (kiosk) =>
    expectPairs('link open', kiosk, (pair) => pair.localCandidateType === 'host' && pair.remote.protocol === 'udp', 'host → udp'),
};
const UDP_BLOCKED: LinkCase = {
  name: 'UDP blocked',
  check: (kiosk) => expectPairs('UDP blocked', kiosk, (pair) => pair.remote.protocol === 'tcp', '→ tcp'),
};
const RELAY_ONLY: LinkCase = {
  name: 'relay only (TURN)',
  check: (kiosk, officer) => {
    expectPairs('relay only, kiosk', kiosk, (pair) => pair.localCandidateType === 'relay', 'relay');
    expectPairs('relay only, console', officer, (pair) => pair.localCandidateType === 'relay', 'relay');
  },
};

/**
 * Times the kiosk's first frames RUNS times (after a warm-up run that also connects the console)
 * on `link` as it is now. Returns the summary rows, the path named in their labels.
 */
async function timeFirstFrames(link: Link, linkCase: LinkCase): Promise<Array<[string, number[]]>> {
  const officer = await openOfficer(link);
  const toBooth: number[] = [];
  const toOfficer: number[] = [];
  let path = '';
  try {
    for (let run = 0; run <= RUNS; run += 1) {
      // The console's watch starts first: its next frame can only be of the kiosk about to open.
      const officerFrame = nextDecodedFrameAt(officer, WATCH);
      const kiosk = await openKiosk(link);
      const [opened, boothFrame] = await Promise.all([navigationStartedAt(kiosk), nextDecodedFrameAt(kiosk, WATCH)]);
      const officerFrameAt = await officerFrame;
      const kioskPairs = await selectedCandidatePairs(kiosk);
      linkCase.check(kioskPairs, await selectedCandidatePairs(officer));
      path = describePairs(kioskPairs);
      await kiosk.close();
      if (run > 0) {
        toBooth.push(boothFrame - opened);
        toOfficer.push(officerFrameAt - opened);
        process.stderr.write(
          `${linkCase.name} ${run}/${RUNS} (${path}): booth ${Math.round(toBooth.at(-1)!)} ms, officer ${Math.round(toOfficer.at(-1)!)} ms\n`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    }
  } finally {
    await officer.close();
  }
  return [
    [`${linkCase.name} (kiosk's path: ${path}): officer's video on the booth`, toBooth],
    [`${linkCase.name} (kiosk's path: ${path}): booth's video on the officer's console`, toOfficer],
  ];
}

/** What one page received over a window, from its inbound-rtp statistics (see watchReception). */
interface Reception {
  framesDecoded: number;
  freezeCount: number;
  totalFreezesMs: number;
  /** The longest time between two samples (every 100 ms) that saw new frames decoded. */
  longestGapMs: number;
  /** Gaps between decoded frames over LONGEST_FREEZE_TARGET_MS. */
  gapsOverTarget: number;
  nacksSent: number;
  videoPacketsLost: number;
  videoPacketsReceived: number;
  concealedSamples: number;
  audioSamplesReceived: number;
}

/**
 * In the page: starts sampling its inbound media every 100 ms; the returned function stops and
 * resolves with what was received since. Counters are taken per stream, so a stream that
 * appears meanwhile (an ICE restart's rebuild) counts from zero. Mediasoup's probation stream
 * (no codec) is left out.
 */
async function watchReception(page: Page): Promise<() => Promise<Reception>> {
  await page.evaluate((gapTargetMs: number) => {
    type Totals = Omit<Reception, 'longestGapMs' | 'gapsOverTarget'>;
    const read = async (): Promise<Map<string, Totals>> => {
      const streams = new Map<string, Totals>();
      const connections = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
      for (const [index, connection] of connections.entries()) {
        if (connection.connectionState === 'closed') continue;
        (await connection.getStats()).forEach((report: Record<string, number | string | undefined> & { id: string; type: string }) => {
          if (report.type !== 'inbound-rtp' || report.codecId === undefined) return;
          const count = (name: string): number => Number(report[name] ?? 0);
          const video = report.kind === 'video';
          streams.set(`${index}/${report.id}`, {
            framesDecoded: count('framesDecoded'),
            freezeCount: count('freezeCount'),
            totalFreezesMs: count('totalFreezesDuration') * 1000,
            nacksSent: count('nackCount'),
            videoPacketsLost: video ? count('packetsLost') : 0,
            videoPacketsReceived: video ? count('packetsReceived') : 0,
            concealedSamples: count('concealedSamples'),
            audioSamplesReceived: count('totalSamplesReceived'),
          });
        });
      }
      return streams;
    };
    /** What each counter gained from `start` to `now`, over every stream. */
    const since = (start: Map<string, Totals>, now: Map<string, Totals>): Totals => {
      const sum: Totals = {
        framesDecoded: 0,
        freezeCount: 0,
        totalFreezesMs: 0,
        nacksSent: 0,
        videoPacketsLost: 0,
        videoPacketsReceived: 0,
        concealedSamples: 0,
        audioSamplesReceived: 0,
      };
      for (const [key, totals] of now) {
        for (const name of Object.keys(sum) as Array<keyof Totals>) sum[name] += totals[name] - (start.get(key)?.[name] ?? 0);
      }
      return sum;
    };
    let stopped = false;
    let longestGapMs = 0;
    let gapsOverTarget = 0;
    let lastFrameAt = performance.now();
    const gapEnds = (at: number): void => {
      const gap = at - lastFrameAt;
      longestGapMs = Math.max(longestGapMs, gap);
      if (gap > gapTargetMs) gapsOverTarget += 1;
      lastFrameAt = at;
    };
    const sample = async (previous: Map<string, Totals>): Promise<void> => {
      if (stopped) return;
      const now = await read();
      if (since(previous, now).framesDecoded > 0) gapEnds(performance.now());
      setTimeout(() => void sample(now), 100);
    };
    const started = read();
    void started.then(sample);
    // Kept on the page for the evaluation that ends the window.
    (window as unknown as { __endReception: () => Promise<Reception> }).__endReception = async () => {
      stopped = true;
      const totals = since(await started, await read());
      // A freeze still going on at the end counts too.
      const openGap = performance.now() - lastFrameAt;
      return {
        ...totals,
        longestGapMs: Math.max(longestGapMs, openGap),
        gapsOverTarget: gapsOverTarget + (openGap > gapTargetMs ? 1 : 0),
      };
    };
  }, LONGEST_FREEZE_TARGET_MS);
  return () => page.evaluate(() => (window as unknown as { __endReception: () => Promise<Reception> }).__endReception());
}

/** What the console and the kiosk received over one window of the loss part. */
interface LossWindow {
  name: string;
  officer: Reception;
  booth: Reception;
}

/** Watches both pages for WINDOW_MS, with the link as it is. */
async function receptionWindow(name: string, officer: Page, booth: Page): Promise<LossWindow> {
  const [endOfficer, endBooth] = await Promise.all([watchReception(officer), watchReception(booth)]);
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const [officerReceived, boothReceived] = await Promise.all([endOfficer(), endBooth()]);
  process.stderr.write(`${name}: officer ${JSON.stringify(officerReceived)}\n${name}: booth ${JSON.stringify(boothReceived)}\n`);
  return { name, officer: officerReceived, booth: boothReceived };
}

/** One call on the open link: the baseline window, then the lossy one. */
async function measureLoss(link: Link, network: BoothNetwork): Promise<LossWindow[]> {
  const officer = await openOfficer(link);
  const booth = await openKiosk(link);
  try {
    // A second of video each way, on the kiosk's only booth tile and its officer video.
    const bothWays = async (): Promise<boolean> =>
      (await Promise.all([inboundMedia(officer), inboundMedia(booth)])).every((media) => media.videoFramesDecoded > 30);
    await waitFor('media both ways', bothWays, 60_000, 200);
    const baseline = await receptionWindow('no loss', officer, booth);
    await network.loseRandomly(LOSS_PERCENT);
    const lossy = await receptionWindow(`${LOSS_PERCENT} % loss`, officer, booth);
    await network.restore();
    // Without NACKs the link lost nothing: the window would not measure what it claims.
    if (lossy.officer.nacksSent === 0 || lossy.booth.nacksSent === 0) throw new Error('no NACK sent under loss: the loss was not applied');
    return [baseline, lossy];
  } finally {
    await Promise.all([officer.close(), booth.close()]);
  }
}

function printLossTable(windows: LossWindow[]): void {
  const percent = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(2)} %` : 'n/a');
  console.log(machineLine(`, ${WINDOW_MS / 1000} s per window`));
  console.log(
    '| link | video received by | frames decoded | freezes | total frozen | longest gap | gaps > 1 s | video packets lost | NACKs sent | audio concealed |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const window of windows) {
    for (const [side, received] of [
      ["officer's console (booth's video)", window.officer],
      ["booth (officer's video)", window.booth],
    ] as const) {
      console.log(
        `| ${window.name} | ${side} | ${received.framesDecoded} | ${received.freezeCount} | ${Math.round(received.totalFreezesMs)} ms | ${Math.round(received.longestGapMs)} ms | ${received.gapsOverTarget} | ${percent(received.videoPacketsLost, received.videoPacketsLost + received.videoPacketsReceived)} | ${received.nacksSent} | ${percent(received.concealedSamples, received.audioSamplesReceived)} |`,
      );
    }
  }
  const lossy = windows.at(-1)!;
  for (const [side, received] of [
    ["officer's console", lossy.officer],
    ['booth', lossy.booth],
  ] as const) {
    const freezeMet = received.longestGapMs <= LONGEST_FREEZE_TARGET_MS;
    const concealed = received.audioSamplesReceived > 0 ? received.concealedSamples / received.audioSamplesReceived : Number.NaN;
    console.log(
      `- ${side} at ${LOSS_PERCENT} % loss: no freeze over 1 s ${freezeMet ? 'met' : 'missed'} (longest gap ${Math.round(received.longestGapMs)} ms); audio concealment under 5 % ${concealed < CONCEALED_TARGET ? 'met' : 'missed'} (${percent(received.concealedSamples, received.audioSamplesReceived)})`,
    );
  }
}

/** The relay-only case, on a server of its own that hands out coturn on the link's host address. */
async function timeRelayFirstFrames(network: BoothNetwork): Promise<Array<[string, number[]]>> {
  // On the link's host address, where the kiosk in the booth's network reaches it.
  const turn = await startTurnServer(network.hostAddress);
  try {
    const link = await startLink(network, { TURN_URLS: turn.url, TURN_SECRET: turn.secret, ICE_TRANSPORT_POLICY: 'relay' });
    try {
      return await timeFirstFrames(link, RELAY_ONLY);
    } finally {
      await closeAll(link.closers);
    }
  } catch (error) {
    process.stderr.write(`coturn's log, its end:\n${turn.log().slice(-4000)}\n`);
    throw error;
  } finally {
    await turn.stop();
  }
}

async function main(): Promise<void> {
  const unavailable = boothNetworkUnavailable();
  if (unavailable) {
    console.log(`bench:branch-links skipped: ${unavailable}`);
    return;
  }
  // Other work on the machine slows the browsers down: the figures say how busy it was.
  const loadAtStart = os.loadavg()[0]!;
  const network = await BoothNetwork.create(1);
  const firstFrames: Array<[string, number[]]> = [];
  let lossWindows: LossWindow[] = [];
  try {
    if (PARTS.some((part) => ['open', 'udp-blocked', 'loss'].includes(part))) {
      const link = await startLink(network);
      try {
        if (PARTS.includes('open')) firstFrames.push(...(await timeFirstFrames(link, OPEN)));
        if (PARTS.includes('udp-blocked')) {
          await network.blockUdp();
          firstFrames.push(...(await timeFirstFrames(link, UDP_BLOCKED)));
          await network.restore();
        }
        if (PARTS.includes('loss')) lossWindows = await measureLoss(link, network);
      } finally {
        await closeAll(link.closers);
      }
    }
    if (PARTS.includes('relay')) firstFrames.push(...(await timeRelayFirstFrames(network)));
  } finally {
    await network.close();
  }
  if (firstFrames.length > 0) printSummaryTable('kiosk page opened → first decoded frame of', firstFrames);
  if (lossWindows.length > 0) {
    console.log('');
    printLossTable(lossWindows);
  }
  console.log(`\nLoad average (1 min): ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
