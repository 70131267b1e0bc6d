/**
 * Several server nodes (MULTI_NODE=on): three real server processes on one Redis and one
 * throw-away PostgreSQL, each with its own HTTP and media ports. A desk lives on the node that
 * took its lease; a client connected to any other node is seated there, its desk commands are
 * forwarded there and answered from there, and its media goes to that node's port. When that
 * node is SIGKILLed, it leaves the node bus at once: the other nodes break its lease and tell the
 * clients forwarded to it to connect again, and they find the desk re-opened on a live node with
 * its seats. When a node holding a client's socket is SIGKILLed, the desk's node drops the
 * client's seat link at once, and the client takes its seat back through another node.
 */
import { NAMESPACES, type DeskState, type JourneyState } from '@bilik/shared';
import type { DemoSignIn } from '../../server/src/demo/seedDemo.js';
import { ask, askOk, joinDesk, type DeskClient } from '../support/deskClient.js';
import { throwAwayPostgres, type ThrowAwayPostgres } from '../support/postgres.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { demoCredential, signInDemo } from '../support/serverProcess.js';
import { scrapedSample } from '../support/prometheus.js';
import { scrapeNode, startThreeNodes, type ServerNode } from '../support/serverNodes.js';
import { serverProcessFixture } from '../support/serverProcessFixture.js';
import { connected, openSocket } from '../support/sockets.js';
import { waitFor } from '../support/testServer.js';

/** Three server starts and a PostgreSQL cluster: long on a busy machine. */
const SLOW_MS = 300_000;
/**
 * Longer than any wait below: a killed node's desks must move because the node left the node
 * bus, not because its leases ran out (that path, for a host lost outright: deskLeases.test.ts).
 */
const DESK_LEASE_SECONDS = 60;

const fixture = serverProcessFixture('bilik-nodes-');
let redis: TestRedis;
let postgres: ThrowAwayPostgres | null = null;

beforeAll(async () => {
  redis = await startTestRedis();
  postgres = await throwAwayPostgres('bilik_nodes_0');
}, 120_000);
afterAll(async () => {
  await redis.stop();
  await postgres?.stop();
});

let databases = 0;

/** Three nodes on a new database and an empty Redis. */
async function startFreshNodes(): Promise<{ nodes: [ServerNode, ServerNode, ServerNode]; demo: DemoSignIn }> {
  await redis.client.flushall();
  databases += 1;
  const databaseUrl = await postgres!.createDatabase(`bilik_nodes_${databases}`);
  const shared = { dataDir: fixture.dataDir, redisUrl: redis.url, databaseUrl, deskLeaseSeconds: DESK_LEASE_SECONDS };
  return startThreeNodes(shared, (env) => fixture.start(env));
}

function lastDesk(officer: DeskClient): DeskState | undefined {
  return officer.events.filter(({ event }) => event === 'desk:changed').at(-1)?.payload as DeskState | undefined;
}

/** A claimant's visit started through `node`'s /journey, assigned to the one officer on duty. */
async function startVisit(node: ServerNode, demo: DemoSignIn, boothId: string): Promise<void> {
  const journey = fixture.track(openSocket(node.baseUrl, NAMESPACES.journey, { credential: demoCredential(demo, boothId) }));
  await connected(journey);
  const visit = await askOk<JourneyState>(journey, 'journey:start', { service: 'jht', ticket: null, priority: false });
  expect(visit.state).toBe('assigned');
}

/**
 * Three nodes, and a booth on node 1 with its officer on node 2 at the desk on node 3: the
 * officer's console opens on node 3 first, so the desk opens there with its lease; the officer
 * then moves to node 2 (a second tab replaces the first), and the desk stays on node 3.
 */
async function meetAcrossNodes(): Promise<{
  nodes: [ServerNode, ServerNode, ServerNode];
  demo: DemoSignIn;
  cookie: string;
  officer: DeskClient;
  booth: DeskClient;
}> {
  const { nodes, demo } = await startFreshNodes();
  const [node1, node2, node3] = nodes;
  const cookie = await signInDemo(node1.baseUrl, demo, 'petugas-1');
  const first = fixture.track((await joinDesk(node3.baseUrl, NAMESPACES.officer, { cookie })).socket);
  const officer = await joinDesk(node2.baseUrl, NAMESPACES.officer, { cookie });
  fixture.track(officer.socket);
  await waitFor('the first console to be replaced', () => first.disconnected);
  await startVisit(node1, demo, 'bilik-1');
  const booth = await joinDesk(node1.baseUrl, NAMESPACES.booth, { credential: demoCredential(demo, 'bilik-1') });
  fixture.track(booth.socket);
  // The desk's events reach each client through the node holding its socket.
  await waitFor('the officer to see the booth seated', () => lastDesk(officer)?.booths.some((b) => b.boothId === 'bilik-1') === true);
  return { nodes, demo, cookie, officer, booth };
}

describe('three nodes', () => {
  test(
    'a booth on node 1 and its officer on node 2 meet at the desk on node 3, which answers their media and desk commands, and a supervisor on node 1 monitors and barges in there',
    async () => {
      const { nodes, demo, officer, booth } = await meetAcrossNodes();
      const node3 = nodes[2];
      expect(officer.recvPorts).toEqual([node3.rtcPort]);
      expect(booth.recvPorts).toEqual([node3.rtcPort]);
      await waitFor('each to receive the other', () => officer.consumers.length >= 2 && booth.consumers.length >= 1);
      // Desk commands run on node 3: talk to the booth, and the booth hears the officer.
      await askOk(officer.socket, 'talk:select', { boothId: 'bilik-1' });
      await waitFor('the officer to be talking to the booth', () => lastDesk(officer)?.talkingToBoothId === 'bilik-1');
      // Refusals come back as they would locally: another client's transport is not yours.
      const foreign = await ask(booth.socket, 'transport:connect', {
        transportId: officer.sendTransportId,
        dtlsParameters: { fingerprints: [] },
      });
      expect(foreign).toMatchObject({ ok: false });
      expect(await ask(booth.socket, 'transport:restartIce', { transportId: officer.sendTransportId })).toMatchObject({
        ok: false,
        error: 'FORBIDDEN',
      });
      expect(await ask(booth.socket, 'transport:create', { direction: 'sideways' })).toMatchObject({ ok: false, error: 'BAD_REQUEST' });

      // A supervisor on node 1 monitors the visit at the desk on node 3 (the supervisor's principal
      // crosses the bus for the audit), hears it, and barges in.
      const supervisor = await joinDesk(
        nodes[0].baseUrl,
        NAMESPACES.monitor,
        { cookie: await signInDemo(nodes[0].baseUrl, demo, 'penyelia-1'), boothId: 'bilik-1' },
        ['audio'],
      );
      fixture.track(supervisor.socket);
      await waitFor(
        "the supervisor's consumers: the booth's voice and video, the officer's voice",
        () => supervisor.consumers.length === 3,
      );
      await askOk(supervisor.socket, 'monitor:barge', { barging: true });
      await waitFor('the officer to be told of the barge-in', () => lastDesk(officer)?.bargedBoothIds.includes('bilik-1') === true);
    },
    SLOW_MS,
  );

  test(
    "SIGKILL of the desk's node: the clients forwarded to it are told to connect again, long before its lease would run out, and the desk re-opens on a live node with its seat",
    async () => {
      const { nodes, demo, cookie, officer, booth } = await meetAcrossNodes();
      const [node1, node2, node3] = nodes;

      // Nodes 1 and 2 forwarded the booth's and the officer's desk commands, all answered.
      for (const node of [node1, node2]) {
        const scraped = await scrapeNode(node);
        expect(scrapedSample(scraped, 'bilik_forwarded_desk_commands_total', { outcome: 'answered' })).toBeGreaterThan(0);
        expect(scrapedSample(scraped, 'bilik_forwarded_desk_commands_total', { outcome: 'unavailable' })).toBe(0);
      }

      node3.server.kill('SIGKILL');
      // Within an upkeep round (1 s) of the nodes holding the sockets, long before the lease would run out.
      await waitFor('both clients to be told and disconnected', () => officer.socket.disconnected && booth.socket.disconnected, 30_000);
      for (const client of [officer, booth]) expect(client.events.map(({ event }) => event)).toContain('desk:moved');
      // One of them broke the dead node's lease, once.
      const moves = await Promise.all(
        [node1, node2].map(async (node) => scrapedSample(await scrapeNode(node), 'bilik_desk_moves_total', { reason: 'node_gone' })),
      );
      expect(moves.reduce((sum, count) => sum! + count!, 0)).toBe(1);

      // Connecting again, each is seated at the desk re-opened on a live node, the booth in its seat.
      const officerAgain = await joinDesk(node2.baseUrl, NAMESPACES.officer, { cookie });
      fixture.track(officerAgain.socket);
      const boothAgain = await joinDesk(node1.baseUrl, NAMESPACES.booth, { credential: demoCredential(demo, 'bilik-1') });
      fixture.track(boothAgain.socket);
      expect(officerAgain.recvPorts).toEqual([node2.rtcPort]);
      expect(boothAgain.recvPorts).toEqual([node2.rtcPort]);
      await waitFor('the officer to see the booth seated again', () => {
        const desk = lastDesk(officerAgain);
        return desk?.booths.some((b) => b.boothId === 'bilik-1' && !b.reconnecting) === true;
      });
      await waitFor('each to receive the other again', () => officerAgain.consumers.length >= 2 && boothAgain.consumers.length >= 1);
    },
    SLOW_MS,
  );

  test(
    "a node that finds its desk's lease gone (Redis out of its reach longer than a lease) closes the desk and moves its clients, which re-open it",
    async () => {
      const { nodes, demo } = await startFreshNodes();
      const [node1, , node3] = nodes;
      const cookie = await signInDemo(node1.baseUrl, demo, 'petugas-1');
      // The officer's socket on node 3 itself: only node 3 can move it.
      const officer = await joinDesk(node3.baseUrl, NAMESPACES.officer, { cookie });
      fixture.track(officer.socket);
      const [leaseKey] = await redis.client.keys('bilik:desk-lease:*');
      expect(leaseKey).toBeDefined();

      await redis.client.del(leaseKey!);
      await waitFor('the officer to be told the desk moved, and disconnected', () => officer.socket.disconnected, 30_000);
      expect(officer.events.map(({ event }) => event)).toContain('desk:moved');
      const officerAgain = await joinDesk(node1.baseUrl, NAMESPACES.officer, { cookie });
      fixture.track(officerAgain.socket);
      expect(officerAgain.recvPorts).toEqual([node1.rtcPort]);
    },
    SLOW_MS,
  );

  test(
    "SIGKILL of the node holding a booth's socket: the booth leaves the desk (its seat kept), long before that node's liveness would run out, and takes its seat back through another node",
    async () => {
      const { nodes, demo, officer } = await meetAcrossNodes();
      const [node1, node2, node3] = nodes;
      const seat = lastDesk(officer)!.booths.find((b) => b.boothId === 'bilik-1')!.seat;

      node1.server.kill('SIGKILL');
      // Node 3 sees node 1 leave the node bus within an upkeep round: the booth is reconnecting.
      await waitFor(
        'the officer to see the booth reconnecting',
        () => {
          const desk = lastDesk(officer);
          return desk?.booths.some((b) => b.boothId === 'bilik-1' && b.reconnecting) === true;
        },
        30_000,
      );

      const boothAgain = await joinDesk(node2.baseUrl, NAMESPACES.booth, { credential: demoCredential(demo, 'bilik-1') });
      fixture.track(boothAgain.socket);
      expect(boothAgain.recvPorts).toEqual([node3.rtcPort]);
      await waitFor('the booth back in its seat', () => {
        const desk = lastDesk(officer);
        return desk?.booths.some((b) => b.boothId === 'bilik-1' && b.seat === seat && !b.reconnecting) === true;
      });
      await waitFor('the booth to receive the officer again', () => boothAgain.consumers.length >= 1);
    },
    SLOW_MS,
  );
});
