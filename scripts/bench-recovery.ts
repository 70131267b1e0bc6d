/**
 * Benchmark: how long a call takes to heal, from the end of a fault to media flowing again in
 * both directions (the first video frame decoded after it, on the booth page and on the officer
 * page), in real headless Chromium against the real server, with the faults injected for real:
 *
 *   path-5, path-40   the kiosk runs in a network namespace of its own (see BoothNetwork); its
 *                     media path is cut with tc for 5 or 40 s while its signaling connection
 *                     stays up. Timed from the moment the path is restored.
 *   worker-kill       the mediasoup worker holding the desk is killed with SIGKILL. Timed from
 *                     the kill.
 *   server-restart    the server (server/src/index.ts in a child process, with the first-run
 *                     demo, as `npm start` runs it) is killed with SIGKILL and started again on
 *                     the same data. Timed from the new server's readiness (/readyz answers 200).
 *
 * Each scenario runs RUNS times (10 by default) on one call; SCENARIOS picks some
 * (comma-separated). Needs root for the network namespace. Frames are detected by polling each
 * page's own WebRTC statistics every 20 ms inside the page; a new peer connection (a rebuilt
 * session) counts from zero.
 *
 * Run: npm run bench:recovery   (prints a Markdown table for docs/benchmarks.md)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { boothPageUrl, CHROMIUM_FLAGS, inboundMedia, launchBrowser, openConsole, openPage } from '../test/support/browser.js';
import { BoothNetwork, boothNetworkUnavailable } from '../test/support/boothNetwork.js';
import { joinQueue } from '../test/support/kioskJourney.js';
import { demoCredential, demoServerEnv, readDemo, ServerProcess, signInDemo } from '../test/support/serverProcess.js';
import { freePort, freeRtcPorts, seedDesk, startTestServer, type TestServer } from '../test/support/testServer.js';
import { printSummaryTable } from './benchSummary.js';
import { nextDecodedFrameAt } from './decodedFrames.js';

const RUNS = Number(process.env.RUNS ?? 10);
const SCENARIOS = (process.env.SCENARIOS ?? 'path-5,path-40,worker-kill,server-restart').split(',');
/** A run whose media is not back by then counts as failed, and is reported as such. */
const GIVE_UP_MS = 60_000;
/** Frames a page may still decode in a cut's last seconds without the cut counting as leaky. */
const STRAY_FRAMES = 3;
/** Between runs: media must flow this long before the next fault. */
const SETTLE_MS = 3_000;
/** How each page watches for its next decoded frame. */
const WATCH = { pollMs: 20, giveUpMs: GIVE_UP_MS };

interface Call {
  server: TestServer;
  officer: Page;
  booth: Page;
  /** Everything to close when the scenario ends, last first. */
  closers: Array<() => Promise<unknown>>;
}

/** Starts a server, an officer page and bilik-1's kiosk, and waits until each sees the other. */
async function startCall(options: { network?: BoothNetwork }): Promise<Call> {
  const closers: Call['closers'] = [];
  const address = options.network?.hostAddress;
  const server = await startTestServer(address ? { HOST: address, RTC_LISTEN_IP: address } : {});
  closers.push(() => server.close());
  const desk = await seedDesk(server);
  // The officer's browser reaches the server at the link's address too, which is not localhost.
  const flags = [...CHROMIUM_FLAGS, ...(options.network?.chromiumFlags(server.url) ?? [])];
  const officerBrowser = await launchBrowser(flags);
  closers.push(() => officerBrowser.close());
  let kioskBrowser: Browser = officerBrowser;
  if (options.network) {
    kioskBrowser = await launchBrowser(flags, options.network.namespace);
    closers.push(() => kioskBrowser.close());
  }
  const officer = await openPage(officerBrowser, `${server.url}/officer/`, { sessionToken: desk.officer.token });
  const booth = await openPage(kioskBrowser, boothPageUrl(server.url, desk.credentials['bilik-1']!));
  await Promise.all([nextDecodedFrameAt(officer, WATCH), nextDecodedFrameAt(booth, WATCH)]);
  return { server, officer, booth, closers };
}

async function closeCall(call: Call): Promise<void> {
  for (const close of call.closers.reverse()) await close().catch((error: unknown) => console.error('could not close', error));
}

/**
 * Runs `fault` RUNS times; each returns the wall-clock time its fault ended, from which both
 * pages' next decoded frames are timed. Returns the samples of each direction, in ms.
 */
async function measure(
  name: string,
  call: Pick<Call, 'officer' | 'booth'>,
  fault: () => Promise<number>,
): Promise<{ toBooth: number[]; toOfficer: number[]; failed: number }> {
  const toBooth: number[] = [];
  const toOfficer: number[] = [];
  let failed = 0;
  for (let run = 1; run <= RUNS; run += 1) {
    const faultEnded = await fault();
    const [booth, officer] = await Promise.allSettled([nextDecodedFrameAt(call.booth, WATCH), nextDecodedFrameAt(call.officer, WATCH)]);
    if (booth.status === 'fulfilled' && officer.status === 'fulfilled') {
      toBooth.push(Math.max(0, booth.value - faultEnded));
      toOfficer.push(Math.max(0, officer.value - faultEnded));
      process.stderr.write(
        `${name} ${run}/${RUNS}: booth ${Math.round(toBooth.at(-1)!)} ms, officer ${Math.round(toOfficer.at(-1)!)} ms\n`,
      );
    } else {
      failed += 1;
      process.stderr.write(`${name} ${run}/${RUNS}: media did not come back within ${GIVE_UP_MS} ms\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  }
  return { toBooth, toOfficer, failed };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A media path cut of `seconds`, measured from its restoration. */
async function pathCut(seconds: number): Promise<Array<[string, number[]]>> {
  const unavailable = boothNetworkUnavailable();
  if (unavailable) throw new Error(`path-${seconds} needs a network namespace: ${unavailable}`);
  const network = await BoothNetwork.create(1);
  let call: Call | undefined;
  try {
    call = await startCall({ network });
    const port = Number(new URL(call.server.url).port);
    const { officer, booth } = call;
    const result = await measure(`path-${seconds}`, call, async () => {
      await network.cutMedia(port);
      // Frames in flight when the cut began may still be decoded, and a frame held back for a
      // retransmission may complete late; flowing video would decode dozens a second.
      await sleep(2_000);
      const decodedFrames = async (): Promise<number[]> =>
        (await Promise.all([inboundMedia(officer), inboundMedia(booth)])).map((media) => media.videoFramesDecoded);
      const during = await decodedFrames();
      await sleep(seconds * 1000 - 2_000);
      const after = await decodedFrames();
      if (after.some((frames, side) => frames > during[side]! + STRAY_FRAMES)) {
        throw new Error('video kept flowing through the cut: the cut does not cut');
      }
      await network.restore();
      return Date.now();
    });
    return rows(`media path cut ${seconds} s`, result);
  } finally {
    if (call) await closeCall(call);
    await network.close();
  }
}

/** SIGKILL of the mediasoup worker holding the desk, measured from the kill. */
async function workerKill(): Promise<Array<[string, number[]]>> {
  const call = await startCall({});
  try {
    const result = await measure('worker-kill', call, () => {
      // One worker in the test server: it holds the desk.
      const [pid] = call.server.workers.pids;
      if (pid === undefined) throw new Error('the server has no mediasoup worker');
      process.kill(pid, 'SIGKILL');
      return Promise.resolve(Date.now());
    });
    return rows('mediasoup worker SIGKILL', result);
  } finally {
    await closeCall(call);
  }
}

/** SIGKILL of the whole server and a fresh start on the same data, measured from its readiness. */
async function serverRestart(): Promise<Array<[string, number[]]>> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bilik-bench-restart-'));
  const env = demoServerEnv(dataDir, { http: await freePort(), redis: await freePort(), rtc: await freeRtcPorts(1) });
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  let server = new ServerProcess(env);
  const browser = await launchBrowser();
  try {
    await server.logged('bilik server listening');
    const demo = await readDemo(dataDir);
    const cookie = await signInDemo(baseUrl, demo, 'petugas-1');
    const officer = await openConsole(browser, `${baseUrl}/officer/`, { sessionToken: cookie.replace('bilik_session=', '') });
    const booth = await openPage(browser, boothPageUrl(baseUrl, demoCredential(demo, 'bilik-1')));
    await joinQueue(booth);
    await Promise.all([nextDecodedFrameAt(officer, WATCH), nextDecodedFrameAt(booth, WATCH)]);
    const call = { officer, booth };
    const result = await measure('server-restart', call, async () => {
      server.kill('SIGKILL');
      await server.exited;
      server = new ServerProcess(env);
      return await readyAt(baseUrl, server);
    });
    return rows('server SIGKILL and restart', result);
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    await server.exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Resolves with the wall-clock time /readyz first answers 200, polled every 20 ms; rejects if the server exits first. */
async function readyAt(baseUrl: string, server: ServerProcess): Promise<number> {
  let exited = false;
  void server.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`the server exited while starting:\n${server.printed.slice(-2000)}`);
    const ready = await fetch(`${baseUrl}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return Date.now();
    await sleep(20);
  }
}

function rows(fault: string, result: { toBooth: number[]; toOfficer: number[]; failed: number }): Array<[string, number[]]> {
  const failures = result.failed > 0 ? ` (${result.failed} of ${RUNS} runs did not recover)` : '';
  return [
    [`${fault}: officer's video on the booth${failures}`, result.toBooth],
    [`${fault}: booth's video on the officer's console${failures}`, result.toOfficer],
  ];
}

async function main(): Promise<void> {
  const table: Array<[string, number[]]> = [];
  for (const scenario of SCENARIOS) {
    if (scenario === 'path-5') table.push(...(await pathCut(5)));
    else if (scenario === 'path-40') table.push(...(await pathCut(40)));
    else if (scenario === 'worker-kill') table.push(...(await workerKill()));
    else if (scenario === 'server-restart') table.push(...(await serverRestart()));
    else throw new Error(`unknown scenario ${scenario}; known: path-5, path-40, worker-kill, server-restart`);
  }
  printSummaryTable(
    'fault ended → first decoded frame',
    table.filter(([, samples]) => samples.length > 0),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
