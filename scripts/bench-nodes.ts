/**
 * Benchmark: several server nodes (MULTI_NODE=on) on this machine, one Redis, one throw-away
 * PostgreSQL, each node a real server process with one mediasoup worker.
 *   forwarded request: a headless console at its desk on node 3, asking `capabilities:get`
 *     (answered from the desk's router, nothing else) REQUESTS times one after another, first on
 *     node 3 itself, then from node 2, which forwards each request to node 3 over Redis.
 *   failover: RUNS times each, three fresh nodes; three kiosks on node 1 and the console on node 2
 *     in real Chromium, at the desk on node 3, with media both ways. Node 3 is SIGKILLed (then, in
 *     as many runs, SIGTERMed: it drains its desk to another node before exiting); from the
 *     signal to every page having rebuilt its media session and video decoding both ways for
 *     every booth, nobody touching a page (checked every 0.7 s: frames decoded 0.7 s apart).
 *     After a SIGKILL that takes the other nodes' upkeep noticing that node 3 left the node bus
 *     (at most 1 s); after a SIGTERM, node 3 disconnecting the desk's clients. Then the clients'
 *     reconnection, and the rebuilt sessions' ICE and DTLS.
 *
 * Run: npm run bench:nodes   (RUNS=10, REQUESTS=500, DESK_LEASE_SECONDS=5 by default)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { NAMESPACES } from '@bilik/shared';
import type { Browser, Page } from 'puppeteer-core';
import { boothPageUrl, launchBrowser, openConsole, openPage } from '../test/support/browser.js';
import { askOk, joinDesk } from '../test/support/deskClient.js';
import { mediaBothWays, peerConnectionsMade, rebuiltAndFlowing, tileSelector, type DeskPages } from '../test/support/deskPages.js';
import { joinQueue } from '../test/support/kioskJourney.js';
import { throwAwayPostgres, type ThrowAwayPostgres } from '../test/support/postgres.js';
import { startTestRedis, type TestRedis } from '../test/support/redis.js';
import { startThreeNodes, type ServerNode } from '../test/support/serverNodes.js';
import { demoCredential, ServerProcess, signInDemo } from '../test/support/serverProcess.js';
import { waitFor } from '../test/support/testServer.js';
import { machineLine, percentile, printSummaryTable } from './benchSummary.js';

const RUNS = Number(process.env.RUNS ?? 10);
const REQUESTS = Number(process.env.REQUESTS ?? 500);
const DESK_LEASE_SECONDS = Number(process.env.DESK_LEASE_SECONDS ?? 5);
const BOOTH_IDS = ['bilik-1', 'bilik-2', 'bilik-3'];

let databases = 0;

/** Three fresh nodes (an empty Redis, a new database); `stop` ends them and removes their files. */
async function freshNodes(redis: TestRedis, postgres: ThrowAwayPostgres) {
  await redis.client.flushall();
  databases += 1;
  const databaseUrl = await postgres.createDatabase(`bilik_bench_nodes_${databases}`);
  const dataDir = await mkdtemp(`${os.tmpdir()}/bilik-bench-nodes-`);
  const processes: ServerProcess[] = [];
  const start = (env: Record<string, string>): ServerProcess => {
    const server = new ServerProcess(env);
    processes.push(server);
    return server;
  };
  const stop = async (): Promise<void> => {
    for (const server of processes) server.kill('SIGTERM');
    await Promise.all(processes.map((server) => server.exited));
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    return { ...(await startThreeNodes({ dataDir, redisUrl: redis.url, databaseUrl, deskLeaseSeconds: DESK_LEASE_SECONDS }, start)), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** REQUESTS round trips of `capabilities:get` by a console connected to `node`. */
async function requestTimes(node: ServerNode, cookie: string): Promise<number[]> {
  const officer = await joinDesk(node.baseUrl, NAMESPACES.officer, { cookie });
  try {
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const startedAt = performance.now();
      await askOk(officer.socket, 'capabilities:get', {});
      times.push(performance.now() - startedAt);
    }
    return times;
  } finally {
    officer.socket.disconnect();
  }
}

async function forwardedRequests(redis: TestRedis, postgres: ThrowAwayPostgres): Promise<void> {
  const { nodes, demo, stop } = await freshNodes(redis, postgres);
  try {
    const [, node2, node3] = nodes;
    const cookie = await signInDemo(node3.baseUrl, demo, 'petugas-1');
    // Alone at the desk on node 3: the desk opens there, and closes when the console leaves.
    const local = await requestTimes(node3, cookie);
    // Opened on node 3 again; the console measured on node 2 then takes the officer's seat there, and the desk stays.
    const holder = await joinDesk(node3.baseUrl, NAMESPACES.officer, { cookie });
    const forwarded = await requestTimes(node2, cookie);
    holder.socket.disconnect();
    printLatencyTable([
      ['local (desk on the node holding the socket)', local],
      ['forwarded (desk on another node, over Redis)', forwarded],
    ]);
  } finally {
    await stop();
  }
}

function printLatencyTable(rows: Array<[string, number[]]>): void {
  console.log(machineLine());
  console.log('| capabilities:get round trip | requests | p50 | p99 |');
  console.log('| --- | --- | --- | --- |');
  for (const [label, samples] of rows) {
    const sorted = [...samples].sort((a, b) => a - b);
    console.log(`| ${label} | ${samples.length} | ${percentile(sorted, 50).toFixed(2)} ms | ${percentile(sorted, 99).toFixed(2)} ms |`);
  }
  console.log();
}

/** One failover: from node 3's `signal` to every page's rebuilt session with video both ways for every booth. */
async function failoverOnce(
  browser: Browser,
  redis: TestRedis,
  postgres: ThrowAwayPostgres,
  signal: 'SIGKILL' | 'SIGTERM',
): Promise<number> {
  const { nodes, demo, stop } = await freshNodes(redis, postgres);
  const pages: Page[] = [];
  try {
    const [node1, node2, node3] = nodes;
    const cookie = await signInDemo(node1.baseUrl, demo, 'petugas-1');
    const headless = await joinDesk(node3.baseUrl, NAMESPACES.officer, { cookie });
    const officer = await openConsole(browser, `${node2.baseUrl}/officer/`, {
      sessionToken: cookie.replace('bilik_session=', ''),
      smallCamera: true,
    });
    pages.push(officer);
    await waitFor('the headless console to be replaced', () => headless.socket.disconnected);
    const seated: DeskPages = { officer, booths: new Map() };
    for (const boothId of BOOTH_IDS) {
      const booth = await openPage(browser, boothPageUrl(node1.baseUrl, demoCredential(demo, boothId)), { smallCamera: true });
      pages.push(booth);
      await joinQueue(booth);
      seated.booths.set(boothId, booth);
    }
    for (const boothId of BOOTH_IDS) await officer.waitForSelector(tileSelector(boothId), { timeout: 30_000 });
    const everyBoothBothWays = async () => (await Promise.all(BOOTH_IDS.map((boothId) => mediaBothWays(seated, boothId)))).every(Boolean);
    await waitFor('media both ways for every booth', everyBoothBothWays, 30_000, 0);
    const connectionsBefore = await Promise.all(pages.map(peerConnectionsMade));
    const killedAt = performance.now();
    node3.server.kill(signal);
    await waitFor(
      'every page to rebuild its session, with media both ways',
      () => rebuiltAndFlowing(seated, connectionsBefore),
      120_000,
      0,
    );
    return performance.now() - killedAt;
  } finally {
    await Promise.all(pages.map((page) => page.close()));
    await stop();
  }
}

async function main(): Promise<void> {
  const redis = await startTestRedis();
  const postgres = await throwAwayPostgres('bilik_bench_nodes_0');
  try {
    await forwardedRequests(redis, postgres);
    const browser = await launchBrowser();
    try {
      const rows: Array<[string, number[]]> = [];
      for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
        const times: number[] = [];
        for (let run = 1; run <= RUNS; run++) {
          times.push(await failoverOnce(browser, redis, postgres, signal));
          console.error(`${signal} run ${run}/${RUNS}: ${Math.round(times.at(-1)!)} ms`);
        }
        rows.push([`${signal} → every page rebuilt, video both ways, 3 booths`, times]);
      }
      printSummaryTable(`Desk's node stopped (DESK_LEASE_SECONDS=${DESK_LEASE_SECONDS})`, rows);
    } finally {
      await browser.close();
    }
  } finally {
    await redis.stop();
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
