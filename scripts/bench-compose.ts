/**
 * Benchmark: docker-compose.yml itself, up on this machine, carrying DESKS desks (24 by default,
 * more than the 20 a worker core was measured to hold) through the ports it publishes.
 *   The stack is built and started as a user would (`compose up --build`: two server nodes with
 *   two mediasoup workers each, Redis, PostgreSQL, the nginx proxy, coturn), in production mode.
 *   Where no registry can be reached, the base images it names are stand-ins built from Debian's
 *   packages (scripts/compose-standins/, see composeStack.ts), and the log says so.
 *   Per desk, an officer account and an enrolled booth are provisioned in the stack's database
 *   (scripts/benchDesksProvision.ts, run in a server container).
 *   The clients are on a link of their own (a network namespace, as a branch is): they reach the
 *   stack at this machine's end of it, BILIK_PUBLIC_IP, which Docker forwards to the containers
 *   as it forwards a public address; only the proxy's port 8080 and the RTC ports are published.
 *   The desks' clients are in that namespace. BROWSER_DESKS of them (4 by default) are pages of
 *   one headless Chromium, each in a browser context of its own signed in as its officer, running
 *   the officer's media session and one claimant's (scripts/benchDeskPage.ts: the apps' own
 *   MediaSession and sockets, without their screens). The others are Node clients
 *   (scripts/benchNodeDesks.ts: mediasoup-client's Node port on werift's WebRTC stack, the same
 *   signaling, media encoded once by ffmpeg and copied to every sender, nothing decoded): a
 *   Chromium page costs about a tenth of a core per desk, so 2 cores beside the stack hold only a
 *   few desks in pages. The scheduler seats each claimant at the free
 *   officer with the fewest sessions, so every desk gets one. Cameras are small (CAMERA, 160x120
 *   at 5 frames a second): what is measured is the ports carrying every desk, not encoders.
 *   Once video flows both ways at every desk: over WINDOW_SECONDS, each desk's video frames
 *   (decoded in Chromium, received whole by Node clients), audio received and packets lost, both
 *   ways; which server port each peer connection's media goes to (its selected ICE candidate
 *   pair); each container's CPU (its cgroup), and the Node clients' process's.
 *
 * Needs root: it installs Docker from Debian's packages when missing, starts dockerd where none
 * runs, and makes the network namespace; the Node clients install ffmpeg from Debian when missing.
 * Run: npm run bench:compose   (DESKS=24, BROWSER_DESKS=4, WINDOW_SECONDS=30, CAMERA=160x120@5)
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { build as viteBuild } from 'vite';
import { SIGN_IN_RATE_RULE } from '../server/src/http/authRoutes.js';
import { CHROMIUM_FLAGS, launchBrowser, openPage, selectedCandidatePairs } from '../test/support/browser.js';
import { BoothNetwork } from '../test/support/boothNetwork.js';
import { signIn } from '../test/support/serverProcess.js';
import { waitFor } from '../test/support/testServer.js';
import { machineLine, percentile } from './benchSummary.js';
import type { BenchDesk, Camera, Received } from './benchDeskPage.js';
import { ComposeStack, ensureBaseImages, ensureDocker } from './composeStack.js';
import { NodeDesks } from './nodeDesks.js';

const DESKS = Number(process.env.DESKS ?? 24);
// Every officer signs in from the one address the benchmark has, and the server allows 30 sign-ins
// per address in 10 minutes (SIGN_IN_RATE_RULE).
if (!(DESKS >= 1 && DESKS <= SIGN_IN_RATE_RULE.limit)) {
  throw new Error(
    `DESKS is 1 to ${SIGN_IN_RATE_RULE.limit}: the server allows ${SIGN_IN_RATE_RULE.limit} sign-ins per address in 10 minutes`,
  );
}
/** How many of the desks are Chromium pages; the others are Node clients (benchNodeDesks.ts). */
const BROWSER_DESKS = Math.min(DESKS, Number(process.env.BROWSER_DESKS ?? 4));
const WINDOW_SECONDS = Number(process.env.WINDOW_SECONDS ?? 30);
const CAMERA_MATCH = /^(\d+)x(\d+)@(\d+)$/.exec(process.env.CAMERA ?? '160x120@5');
if (!CAMERA_MATCH) throw new Error('CAMERA is WIDTHxHEIGHT@FPS, e.g. 160x120@5');
const CAMERA: Camera = { width: Number(CAMERA_MATCH[1]), height: Number(CAMERA_MATCH[2]), frameRate: Number(CAMERA_MATCH[3]) };
/** The compose file's proxy port: the one address browsers open. */
const PROXY_PORT = 8080;
/** The compose project the benchmark brings up, apart from one a user may run here. */
const PROJECT = 'bilik-bench';

function log(message: string): void {
  process.stderr.write(`[bench:compose] ${message}\n`);
}

interface Provisioned {
  officers: Array<{ username: string; password: string }>;
  booths: Array<{ boothId: string; credential: string }>;
}

/** scripts/benchDeskPage.ts as one script for a page, with its dependencies (mediasoup-client, socket.io-client). */
async function deskPageScript(): Promise<string> {
  const output = await viteBuild({
    configFile: false,
    // Rollup warns of comments it moves in zod's build: noise here.
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      write: false,
      minify: false,
      lib: { entry: fileURLToPath(new URL('./benchDeskPage.ts', import.meta.url)), formats: ['iife'], name: 'benchDeskPage' },
    },
  });
  const [bundle] = Array.isArray(output) ? output : [output];
  if (!bundle || !('output' in bundle)) throw new Error('vite did not bundle scripts/benchDeskPage.ts');
  return bundle.output[0].code;
}

/**
 * A page per desk, each in a browser context of its own holding its officer's session: a page of
 * the server's origin (its readiness answer), with benchDeskPage's script, its officer at the desk.
 */
async function openDeskPages(browser: Browser, baseUrl: string, provisioned: Provisioned, script: string): Promise<Page[]> {
  const pages: Page[] = [];
  for (const { username, password } of provisioned.officers.slice(0, BROWSER_DESKS)) {
    const cookie = await signIn(baseUrl, username, password);
    const page = await openPage(browser, `${baseUrl}/readyz`, {
      context: await browser.createBrowserContext(),
      sessionToken: cookie.replace('bilik_session=', ''),
      // The server's pages allow only their own scripts; this one is the benchmark's.
      prepare: (opened) => opened.setBypassCSP(true),
    });
    await page.addScriptTag({ content: script });
    await page.evaluate((camera: Camera) => (window as unknown as { benchDesk: BenchDesk }).benchDesk.startOfficer(camera), CAMERA);
    pages.push(page);
    log(`officer ${pages.length} of ${BROWSER_DESKS} in Chromium at the desk`);
  }
  return pages;
}

/** A claimant at each booth, one per page: the scheduler seats each at the free officer with the fewest sessions, so every desk gets one. */
async function seatClaimants(pages: Page[], provisioned: Provisioned): Promise<void> {
  for (const [index, { credential }] of provisioned.booths.slice(0, BROWSER_DESKS).entries()) {
    await pages[index]!.evaluate(
      (credential: string, camera: Camera) => (window as unknown as { benchDesk: BenchDesk }).benchDesk.startBooth(credential, camera),
      credential,
      CAMERA,
    );
    log(`claimant ${index + 1} of ${BROWSER_DESKS} in Chromium seated`);
  }
}

/** The clients holding the desks: Chromium pages running the apps' MediaSession, and Node clients. */
interface Desks {
  pages: Page[];
  nodeDesks: NodeDesks | undefined;
}

type Client = 'Chromium' | 'Node';

/** What each desk's officer and claimant have received so far: the pages' desks first, then the Node ones. */
async function receivedByAll({ pages, nodeDesks }: Desks): Promise<Array<{ client: Client; officer: Received; booth: Received }>> {
  const [inPages, inNode] = await Promise.all([
    Promise.all(pages.map((page) => page.evaluate(() => (window as unknown as { benchDesk: BenchDesk }).benchDesk.received()))),
    nodeDesks?.received() ?? [],
  ]);
  return [
    ...inPages.map((desk) => ({ client: 'Chromium' as const, ...desk })),
    ...inNode.map((desk) => ({ client: 'Node' as const, ...desk })),
  ];
}

function difference(after: Received, before: Received): Received {
  return {
    videoFrames: after.videoFrames - before.videoFrames,
    audioPackets: after.audioPackets - before.audioPackets,
    packetsReceived: after.packetsReceived - before.packetsReceived,
    packetsLost: after.packetsLost - before.packetsLost,
  };
}

/** Whether every officer and every claimant gets new video frames: more after 1 s than before. */
async function videoEverywhere(desks: Desks): Promise<boolean> {
  const before = await receivedByAll(desks);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = await receivedByAll(desks);
  return after.every(
    ({ officer, booth }, index) =>
      officer.videoFrames > before[index]!.officer.videoFrames && booth.videoFrames > before[index]!.booth.videoFrames,
  );
}

/** The server ports the desks' media goes to, with how many peer connections (transports) use each (protocol/port). */
async function serverPorts({ pages, nodeDesks }: Desks): Promise<Map<string, number>> {
  const ports = new Map<string, number>();
  const count = (port: string, connections: number) => ports.set(port, (ports.get(port) ?? 0) + connections);
  for (const page of pages) {
    for (const pair of await selectedCandidatePairs(page)) count(`${pair.remote.protocol}/${pair.remote.port}`, 1);
  }
  for (const [port, connections] of (await nodeDesks?.ports()) ?? []) count(port, connections);
  return ports;
}

/** What each desk received over the window: its officer from a claimant, its claimant from an officer. */
interface DeskWindow {
  client: Client;
  toOfficer: Received;
  toClaimant: Received;
}

function printResults(
  window: DeskWindow[],
  windowSeconds: number,
  ports: Map<string, number>,
  cpu: Map<string, string>,
  upSeconds: number,
): void {
  const loss = (desks: DeskWindow[], pick: (desk: DeskWindow) => Received): number => {
    const lost = desks.reduce((sum, desk) => sum + pick(desk).packetsLost, 0);
    const all = lost + desks.reduce((sum, desk) => sum + pick(desk).packetsReceived, 0);
    return all === 0 ? 0 : (100 * lost) / all;
  };
  console.log(
    machineLine(
      `; stack up (build included) in ${upSeconds.toFixed(0)} s; camera ${CAMERA.width}x${CAMERA.height} at ${CAMERA.frameRate} fps`,
    ),
  );
  console.log(
    `${window.length} desks (one officer, one claimant each; ${BROWSER_DESKS} in Chromium pages, ${window.length - BROWSER_DESKS} Node clients), ${windowSeconds.toFixed(1)} s window.`,
  );
  console.log('Video frames: decoded in Chromium, received whole (marker bit) by the Node clients, which decode nothing.\n');
  console.log('| Direction | clients | desks with video and audio | video frames/s per desk, min / median | packets lost |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [label, pick] of [
    ['claimant → officer', (desk: DeskWindow) => desk.toOfficer],
    ['officer → claimant', (desk: DeskWindow) => desk.toClaimant],
  ] as const) {
    for (const client of ['Chromium', 'Node'] as const) {
      const desks = window.filter((desk) => desk.client === client);
      if (desks.length === 0) continue;
      const fps = desks.map((desk) => pick(desk).videoFrames / windowSeconds).sort((a, b) => a - b);
      const flowing = desks.filter((desk) => pick(desk).videoFrames > 0 && pick(desk).audioPackets > 0).length;
      console.log(
        `| ${label} | ${client} | ${flowing} of ${desks.length} | ${fps[0]!.toFixed(1)} / ${percentile(fps, 50).toFixed(1)} | ${loss(desks, pick).toFixed(2)} % |`,
      );
    }
  }
  console.log('\nPeer connections (a transport each) by the server port their media went to:\n');
  console.log('| Port | peer connections |');
  console.log('| --- | --- |');
  for (const [port, count] of [...ports].sort()) console.log(`| ${port} | ${count} |`);
  console.log('\nContainers, CPU over the window (share of one core, from their cgroups):\n');
  console.log('| Container | CPU |');
  console.log('| --- | --- |');
  for (const [name, share] of [...cpu].sort()) console.log(`| ${name} | ${share} |`);
}

async function main(): Promise<void> {
  const docker = await ensureDocker(log);
  const stack = new ComposeStack(PROJECT, log);
  let network: BoothNetwork | undefined;
  let browser: Browser | undefined;
  let nodeDesks: NodeDesks | undefined;
  try {
    await ensureBaseImages(log);
    // The browsers' own network, as a branch's: the stack is published at this machine's end of
    // the link, which Docker forwards to the containers as it forwards a public address.
    network = await BoothNetwork.create(0);
    const baseUrl = `http://${network.hostAddress}:${PROXY_PORT}`;
    // A fresh stack, its volumes too: what an earlier run left (its database's password among them) is not reused.
    await stack.down();
    const upStartedAt = performance.now();
    await stack.up({
      POSTGRES_PASSWORD: randomBytes(18).toString('base64url'),
      TURN_SECRET: randomBytes(30).toString('base64url'),
      BILIK_PUBLIC_IP: network.hostAddress,
    });
    const upSeconds = (performance.now() - upStartedAt) / 1000;
    log(`stack up in ${upSeconds.toFixed(0)} s; provisioning ${DESKS} desks`);
    const provisioned = JSON.parse(
      await stack.exec('server-1', ['node', '--import', 'tsx', 'scripts/benchDesksProvision.ts', '--desks', String(DESKS)]),
    ) as Provisioned;

    const desks: Desks = { pages: [], nodeDesks: undefined };
    if (BROWSER_DESKS > 0) {
      browser = await launchBrowser([...CHROMIUM_FLAGS, ...network.chromiumFlags(baseUrl)], network.namespace);
      desks.pages = await openDeskPages(browser, baseUrl, provisioned, await deskPageScript());
    }
    if (DESKS > BROWSER_DESKS) {
      nodeDesks = desks.nodeDesks = NodeDesks.launch(network.namespace, log);
      const officerCookies = [];
      for (const { username, password } of provisioned.officers.slice(BROWSER_DESKS))
        officerCookies.push(await signIn(baseUrl, username, password));
      await nodeDesks.start({
        baseUrl,
        officerCookies,
        boothCredentials: provisioned.booths.slice(BROWSER_DESKS).map(({ credential }) => credential),
        camera: CAMERA,
      });
    }
    await seatClaimants(desks.pages, provisioned);
    // Measured either way: the table says how many desks had media.
    await waitFor('video both ways at every desk', () => videoEverywhere(desks), 120_000, 0).then(
      () => log('video flows both ways at every desk; measuring'),
      (error: Error) => log(`${error.message}; measuring what flows`),
    );

    const before = await receivedByAll(desks);
    // The window as it was: reading the containers' CPU adds a second or so to WINDOW_SECONDS.
    const windowStartedAt = performance.now();
    const nodeCpuBefore = nodeDesks?.cpuSeconds();
    const cpu = await stack.cpuOver(WINDOW_SECONDS);
    const nodeCpuAfter = nodeDesks?.cpuSeconds();
    const after = await receivedByAll(desks);
    const windowSeconds = (performance.now() - windowStartedAt) / 1000;
    if (nodeCpuBefore !== undefined && nodeCpuAfter !== undefined) {
      const share = (100 * (nodeCpuAfter - nodeCpuBefore)) / windowSeconds;
      cpu.set(`Node desks' process (${DESKS - BROWSER_DESKS} desks, not a container)`, `${share.toFixed(1)} %`);
    }
    const window = after.map(({ client, officer, booth }, index) => ({
      client,
      toOfficer: difference(officer, before[index]!.officer),
      toClaimant: difference(booth, before[index]!.booth),
    }));
    printResults(window, windowSeconds, await serverPorts(desks), cpu, upSeconds);
  } finally {
    await browser?.close();
    nodeDesks?.close();
    await stack.down();
    await network?.close();
    await docker.stop();
  }
}

await main();
