/**
 * Three server nodes (MULTI_NODE=on) in real Chromium: three kiosks served by node 1 and the
 * officer's console by node 2, at the officer's desk on node 3 (a headless console opened it
 * there first), each page sending its own tone. Media flows both ways between the browsers and
 * node 3 while every command goes through the other nodes; by the tones each page hears, a booth
 * hears the officer only while talked to, across talk switches. Then node 3 gets SIGKILL (or, in
 * the second test, SIGTERM, as a rolling deploy stops a node: it drains its desks to the others)
 * with the three booths in session. With nobody touching a page, the desk re-opens on a live
 * node, every page rebuilds its media session and decodes video again, the officer still talks
 * to the same booth, and isolation holds through a switch on the new node.
 */
import { NAMESPACES } from '@bilik/shared';
import { boothPageUrl, openConsole, openPage } from '../support/browser.js';
import { joinDesk } from '../support/deskClient.js';
import {
  BOOTH_TONES,
  mediaBothWays,
  OFFICER_TONE,
  peerConnectionsMade,
  rebuiltAndFlowing,
  talkingPrivately,
  talkTo,
  tileSelector,
  type DeskPages,
} from '../support/deskPages.js';
import { joinQueue } from '../support/kioskJourney.js';
import { throwAwayPostgres, type ThrowAwayPostgres } from '../support/postgres.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { demoCredential, signInDemo } from '../support/serverProcess.js';
import { startThreeNodes } from '../support/serverNodes.js';
import { serverProcessFixture } from '../support/serverProcessFixture.js';
import { useSuiteResources } from '../support/suiteResources.js';
import { waitFor } from '../support/testServer.js';

const BOOTH_IDS = ['bilik-1', 'bilik-2', 'bilik-3'];
const DESK_LEASE_SECONDS = 2;
/** The other nodes noticing, the sockets reconnecting, the rebuilt sessions and their ICE and DTLS: seconds on an idle machine (docs/benchmarks.md). */
const HEAL_MS = 60_000;
/** Three server starts, Chromium and four pages: long on a busy machine. */
const SLOW_MS = 300_000;

const resources = useSuiteResources();
const fixture = serverProcessFixture('bilik-nodes-media-');
let redis: TestRedis;
let postgres: ThrowAwayPostgres;

beforeAll(async () => {
  redis = await startTestRedis();
  postgres = await throwAwayPostgres('bilik_nodes_media');
}, 120_000);
afterAll(async () => {
  await redis.stop();
  await postgres.stop();
});

async function everyBoothBothWays(desk: DeskPages): Promise<boolean> {
  return (await Promise.all(BOOTH_IDS.map((boothId) => mediaBothWays(desk, boothId)))).every(Boolean);
}

let databases = 0;

test.each(['SIGKILL', 'SIGTERM'] as const)(
  'kiosks on node 1 and the console on node 2 see and hear each other through the desk on node 3, and again by themselves after node 3 gets %s',
  async (signal) => {
    await redis.client.flushall();
    databases += 1;
    const databaseUrl = await postgres.createDatabase(`bilik_nodes_media_${databases}`);
    const shared = { dataDir: fixture.dataDir, redisUrl: redis.url, databaseUrl, deskLeaseSeconds: DESK_LEASE_SECONDS };
    const [{ nodes, demo }, browser] = await Promise.all([startThreeNodes(shared, (env) => fixture.start(env)), resources.browser()]);
    const [node1, node2, node3] = nodes;
    const cookie = await signInDemo(node1.baseUrl, demo, 'petugas-1');

    // The desk opens on node 3; the console on node 2 then takes the officer's seat there.
    const headless = fixture.track((await joinDesk(node3.baseUrl, NAMESPACES.officer, { cookie })).socket);
    const officer = await openConsole(browser, `${node2.baseUrl}/officer/`, {
      sessionToken: cookie.replace('bilik_session=', ''),
      tone: OFFICER_TONE,
    });
    const desk: DeskPages = { officer, booths: new Map() };
    try {
      await waitFor('the headless console to be replaced', () => headless.disconnected);
      for (const boothId of BOOTH_IDS) {
        const booth = await openPage(browser, boothPageUrl(node1.baseUrl, demoCredential(demo, boothId)), { tone: BOOTH_TONES[boothId]! });
        desk.booths.set(boothId, booth);
        await joinQueue(booth);
      }
      for (const boothId of BOOTH_IDS) await officer.waitForSelector(tileSelector(boothId), { timeout: 30_000 });
      await waitFor('media both ways for every booth', () => everyBoothBothWays(desk), 30_000, 0);
      // Talk switches, made on node 2, applied on node 3: each booth hears the officer only when talked to.
      for (const [boothId, key] of [
        ['bilik-2', '2'],
        ['bilik-3', '3'],
        ['bilik-1', '1'],
      ] as const) {
        await talkTo(officer, boothId, key);
        await waitFor(`${boothId} alone to talk with the officer`, () => talkingPrivately(desk, boothId), 15_000, 250);
      }

      // Nobody touches a page from here on. SIGKILL: the node is gone at once; SIGTERM: it
      // drains, moving its desk to another node before it exits.
      const connectionsBefore = await Promise.all([officer, ...desk.booths.values()].map(peerConnectionsMade));
      node3.server.kill(signal);
      expect(await node3.server.exited).toEqual(signal === 'SIGKILL' ? { code: null, signal } : { code: 0, signal: null });
      await waitFor(
        'every page to rebuild its session, with media both ways',
        () => rebuiltAndFlowing(desk, connectionsBefore),
        HEAL_MS,
        0,
      );
      for (const boothId of BOOTH_IDS) await officer.waitForSelector(`${tileSelector(boothId)}[data-reconnecting="false"]`);
      // The desk re-opened elsewhere with its talk, and isolation holds through a switch there.
      await waitFor('bilik-1 alone to talk with the officer again', () => talkingPrivately(desk, 'bilik-1'), 15_000, 250);
      await talkTo(officer, 'bilik-3', '3');
      await waitFor('bilik-3 alone to talk with the officer', () => talkingPrivately(desk, 'bilik-3'), 15_000, 250);
    } finally {
      // Pages left open would keep calling the stopped nodes during the next test.
      await Promise.all([officer, ...desk.booths.values()].map((page) => page.close()));
    }
  },
  SLOW_MS,
);
