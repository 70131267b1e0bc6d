/**
 * The service killed with SIGKILL, as a crash or the kernel's out-of-memory killer would do it,
 * and started again on the same data: the real entry (server/src/index.ts) in a child process,
 * with its embedded Redis and PGlite in one throw-away DATA_DIR and the first-run demo's booths
 * and officer. The killed server leaves no redis-server behind; the next start finds every booth
 * where it was (queue places, sessions, visits), the console and kiosks reconnect by themselves
 * and re-open the desk, and an outcome acknowledged just before the kill is recorded. The same
 * kill with media in real Chromium (every page decoding video again, the booths back at the
 * officer's desk): test/e2e/serverRestartMedia.test.ts.
 */
import { readFile } from 'node:fs/promises';
import { NAMESPACES, type JourneyState, type WorkView } from '@bilik/shared';
import { request, type JourneySocket } from '@bilik/shared/client';
import { Redis } from 'ioredis';
import { approval, FAST_OUTCOME_ENV } from '../support/outcomeFixtures.js';
import {
  accepts,
  demoCredential,
  demoServerEnv,
  readDemo,
  reconnectingSocket,
  ServerProcess,
  signInDemo,
  START_TIMEOUT_MS,
} from '../support/serverProcess.js';
import { serverProcessFixture } from '../support/serverProcessFixture.js';
import { connected, nextEvent, type Namespace, type NamespaceSockets } from '../support/sockets.js';
import { freePort, freeRtcPorts, waitFor } from '../support/testServer.js';

/** Two server starts, each opening or creating an embedded database: long on a busy machine. */
const SLOW_MS = 300_000;

/** The process group a process is in, from /proc. */
async function processGroupOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // "pid (name) state ppid pgrp ...": the name may contain spaces.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

async function readiness(baseUrl: string): Promise<number> {
  return (await fetch(`${baseUrl}/readyz`)).status;
}

const fixture = serverProcessFixture('bilik-restart-');
let server: ServerProcess;

/** The server's environment: the throw-away DATA_DIR, its ports (its worker's on a free one), the demo, fast outcome retries. */
async function serverEnv(httpPort: number, redisPort: number): Promise<Record<string, string>> {
  return demoServerEnv(
    fixture.dataDir,
    { http: httpPort, redis: redisPort, rtc: await freeRtcPorts(1) },
    {
      // Longer than the restart: the first word each client gets back is then about its own
      // state, whichever reconnects first. Presence after a kill: presenceLease.test.ts.
      PRESENCE_LEASE_SECONDS: '300',
      ...FAST_OUTCOME_ENV,
    },
  );
}

test(
  'a server killed with SIGKILL leaves no redis-server behind; restarted, every booth keeps its place or session, clients reconnect, and the acknowledged outcome is recorded',
  async () => {
    const [httpPort, redisPort] = [await freePort(), await freePort()];
    const baseUrl = `http://127.0.0.1:${httpPort}`;
    // The restart reuses it, RTC port included: the killed server's worker must let go of it.
    const env = await serverEnv(httpPort, redisPort);
    server = fixture.start(env);
    await server.listening();
    const demo = await readDemo(fixture.dataDir);
    const open = <N extends Namespace>(namespace: N, identity: { credential?: string; cookie?: string }): NamespaceSockets[N] => {
      return fixture.track(reconnectingSocket(baseUrl, namespace, identity));
    };
    const credentialOf = (boothId: string): string => demoCredential(demo, boothId);
    const officerCookie = await signInDemo(baseUrl, demo, 'petugas-1');

    // The officer comes on duty and takes two booths, then pauses; two more booths wait.
    const officer = open(NAMESPACES.officer, { cookie: officerCookie });
    await nextEvent<WorkView>(officer, 'work:changed');
    const journeys = new Map<string, JourneySocket>();
    const start = async (boothId: string): Promise<JourneyState> => {
      const socket = open(NAMESPACES.journey, { credential: credentialOf(boothId) });
      journeys.set(boothId, socket);
      await nextEvent<JourneyState>(socket, 'journey:changed');
      return request(socket, 'journey:start', { service: 'jht', ticket: null, priority: false });
    };
    expect((await start('bilik-1')).state).toBe('assigned');
    expect((await start('bilik-2')).state).toBe('assigned');
    await request(officer, 'work:set', { state: 'paused' });
    expect(await start('bilik-3')).toMatchObject({ state: 'waiting', place: 1 });
    expect(await start('bilik-4')).toMatchObject({ state: 'waiting', place: 2 });
    const link = open(NAMESPACES.booth, { credential: credentialOf('bilik-1') });
    await connected(link);
    const before = await request(officer, 'work:set', { state: 'paused' });
    expect(before.sessions.map((session) => session.boothId).sort()).toEqual(['bilik-1', 'bilik-2']);
    const firstVisit = before.sessions.find((session) => session.boothId === 'bilik-1')!;
    const accepted = await request(officer, 'outcome:submit', approval({ boothId: 'bilik-1', visitId: firstVisit.visitId }));

    // Killed right after acknowledging: no clean-up runs in the server.
    server.kill('SIGKILL');
    expect((await server.exited).signal).toBe('SIGKILL');
    await waitFor("the killed server's redis-server to let go of its port", async () => !(await accepts(redisPort)), 15_000, 50);

    // What each client sees first once it is back.
    const journeysBack = new Map(
      [...journeys].map(([boothId, socket]) => [boothId, nextEvent<JourneyState>(socket, 'journey:changed', () => true, START_TIMEOUT_MS)]),
    );
    const workBack = nextEvent<WorkView>(officer, 'work:changed', () => true, START_TIMEOUT_MS);
    const linkBack = new Promise<void>((resolve) => link.once('connect', () => resolve()));

    server = fixture.start(env);
    await server.listening();
    await waitFor('the restarted server to be ready', async () => (await readiness(baseUrl)) === 200, 30_000, 100);

    expect(await journeysBack.get('bilik-1')).toEqual({ state: 'assigned', service: 'jht', officerAway: false });
    expect(await journeysBack.get('bilik-2')).toEqual({ state: 'assigned', service: 'jht', officerAway: false });
    expect(await journeysBack.get('bilik-3')).toMatchObject({ state: 'waiting', place: 1 });
    expect(await journeysBack.get('bilik-4')).toMatchObject({ state: 'waiting', place: 2 });
    const after = await workBack;
    expect(after.state).toBe('paused');
    expect(after.sessions.map(({ boothId, visitId }) => ({ boothId, visitId }))).toEqual(
      before.sessions.map(({ boothId, visitId }) => ({ boothId, visitId })),
    );
    // The booth's desk link is accepted again: the desk re-opened on the new server.
    await linkBack;
    expect(link.connected).toBe(true);

    await waitFor(
      'the acknowledged outcome to be recorded',
      async () => (await fetch(`${baseUrl}/api/tracking/${accepted.trackingCode}`)).status === 200,
      30_000,
      200,
    );

    // The queue moves on as before: the officer (capacity 6) takes the two waiting booths in turn.
    const waitingAssigned = ['bilik-3', 'bilik-4'].map((boothId) =>
      nextEvent<JourneyState>(journeys.get(boothId)!, 'journey:changed', (state) => state.state === 'assigned'),
    );
    const available = await request(officer, 'work:set', { state: 'available' });
    await Promise.all(waitingAssigned);
    expect(available.sessions.map((session) => session.boothId)).toEqual(['bilik-1', 'bilik-2', 'bilik-3', 'bilik-4']);
  },
  SLOW_MS,
);

test(
  'Ctrl-C in a terminal (SIGINT to the whole process group) stops the server cleanly; its Redis is stopped by the server, last, never restarted',
  async () => {
    const redisPort = await freePort();
    server = fixture.start(await serverEnv(await freePort(), redisPort), { detached: true });
    await server.listening();
    // The terminal's SIGINT reaches the whole foreground process group; Redis must be outside it.
    const redis = new Redis(`redis://127.0.0.1:${redisPort}`);
    const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))![1]);
    redis.disconnect();
    expect(await processGroupOf(redisPid)).not.toBe(await processGroupOf(server.pid));
    server.killGroup('SIGINT');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.printed).toContain('"msg":"embedded redis stopped"');
    expect(server.printed).not.toContain('embedded redis exited unexpectedly');
    expect(await accepts(redisPort)).toBe(false);
  },
  SLOW_MS,
);

test(
  'SIGTERM while the server is still starting stops it once it is up, cleanly: exit code 0, its Redis stopped',
  async () => {
    const redisPort = await freePort();
    server = fixture.start(await serverEnv(await freePort(), redisPort));
    await server.logged('embedded redis started');
    server.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.printed).toContain('"msg":"stopping bilik"');
    expect(server.printed).toContain('"msg":"embedded redis stopped"');
    expect(await accepts(redisPort)).toBe(false);
  },
  SLOW_MS,
);
