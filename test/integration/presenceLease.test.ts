/**
 * Presence that outlives a crash: the real server (server/src/index.ts) in a child process,
 * killed with SIGKILL while an officer is on duty with booths in session, so that no socket is
 * ever seen to close, then started again on the same data. Once the dead process's presence
 * lease runs out, the restarted process reaps it: its clients go through the normal grace
 * periods: who does not come back in time loses their duty or visit, who does keeps it. Desk
 * clients without a browser (deskClient.ts) show the same booths back at the same desk. A short
 * lease and grace keep the test short.
 */
import { NAMESPACES, type BranchQueueView, type JourneyState, type WorkView } from '@bilik/shared';
import { request, type JourneySocket } from '@bilik/shared/client';
import { Redis } from 'ioredis';
import type { DemoSignIn } from '../../server/src/demo/seedDemo.js';
import { schedulerKeys } from '../../server/src/scheduler/scripts.js';
import { askOk, joinDesk, type DeskClient } from '../support/deskClient.js';
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
import { nextEvent, openSocket } from '../support/sockets.js';
import { freePort, freeRtcPorts, waitFor } from '../support/testServer.js';

/** Two server starts, each opening or creating an embedded database: long on a busy machine. */
const SLOW_MS = 300_000;
/** Short, for a quick test, but not so short that a busy machine's stalls let it lapse while the process lives. */
const LEASE_SECONDS = 5;
/** Longer than a console takes to reconnect once the restarted server listens. */
const GRACE_SECONDS = 8;
const BRANCH = 'jkt-pusat';

const fixture = serverProcessFixture('bilik-presence-');
let server: ServerProcess;

/** A demo server on fresh ports; `restart` kills it with SIGKILL and starts it again on the same data. */
async function startDemo(): Promise<{ baseUrl: string; redisPort: number; demo: DemoSignIn; restartAfterKill: () => Promise<void> }> {
  const ports = { http: await freePort(), redis: await freePort(), rtc: await freeRtcPorts(1) };
  const env = demoServerEnv(fixture.dataDir, ports, {
    PRESENCE_LEASE_SECONDS: String(LEASE_SECONDS),
    GRACE_SECONDS: String(GRACE_SECONDS),
  });
  server = fixture.start(env);
  await server.listening();
  return {
    baseUrl: `http://127.0.0.1:${ports.http}`,
    redisPort: ports.redis,
    demo: await readDemo(fixture.dataDir),
    restartAfterKill: async () => {
      // No clean-up runs in the server: its sockets are never seen to close.
      server.kill('SIGKILL');
      expect((await server.exited).signal).toBe('SIGKILL');
      await waitFor("the killed server's redis-server to let go of its port", async () => !(await accepts(ports.redis)), 15_000, 50);
      server = fixture.start(env);
      await server.listening();
    },
  };
}

/** The branch's queue as the supervisor sees it. */
async function queueView(baseUrl: string, supervisorCookie: string): Promise<BranchQueueView> {
  const response = await fetch(`${baseUrl}/api/branches/${BRANCH}/queue`, { headers: { cookie: supervisorCookie } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: BranchQueueView }).data;
}

/** Opens a booth's /journey socket and starts a visit; resolves to what the booth shows then. */
async function startVisit(socket: JourneySocket): Promise<JourneyState> {
  await nextEvent<JourneyState>(socket, 'journey:changed');
  return request(socket, 'journey:start', { service: 'jht', ticket: null, priority: false });
}

test(
  'an officer and a booth whose server was SIGKILLed and who never come back go through the grace: the officer goes off duty and gets no new claimant, the visit ends',
  async () => {
    const { baseUrl, demo, restartAfterKill } = await startDemo();
    const officerCookie = await signInDemo(baseUrl, demo, 'petugas-1');
    const supervisorCookie = await signInDemo(baseUrl, demo, 'penyelia-1');
    // Neither reconnects: the console was closed and the kiosk switched off with the server.
    const officer = fixture.track(openSocket(baseUrl, NAMESPACES.officer, { cookie: officerCookie }));
    await nextEvent<WorkView>(officer, 'work:changed');
    const booth = fixture.track(openSocket(baseUrl, NAMESPACES.journey, { credential: demoCredential(demo, 'bilik-1') }));
    expect((await startVisit(booth)).state).toBe('assigned');

    await restartAfterKill();
    await server.logged('reaped the presence of a server process');
    // A claimant arriving after the restart must not be given to the officer whose console is gone.
    const newcomer = fixture.track(openSocket(baseUrl, NAMESPACES.journey, { credential: demoCredential(demo, 'bilik-2') }));
    expect(await startVisit(newcomer)).toMatchObject({ state: 'waiting', place: 1 });

    await waitFor(
      'the gone officer to be off duty and the gone booth no longer served nor waiting',
      async () => {
        const view = await queueView(baseUrl, supervisorCookie);
        const load = view.officers.find((candidate) => candidate.displayName === 'Petugas Satu')!;
        return load.state === 'offline' && load.activeSessions === 0 && view.waiting.every((visit) => visit.boothId === 'bilik-2');
      },
      (LEASE_SECONDS + GRACE_SECONDS) * 1000 + 30_000,
      200,
    );
    expect(server.printed).toMatch(/"connections":2,"msg":"reaped the presence of a server process"/);
    expect((await queueView(baseUrl, supervisorCookie)).waiting.map((visit) => visit.boothId)).toEqual(['bilik-2']);
    // The gone booth's visit ended: switched on again, it starts afresh.
    const returning = fixture.track(openSocket(baseUrl, NAMESPACES.journey, { credential: demoCredential(demo, 'bilik-1') }));
    expect(await nextEvent<JourneyState>(returning, 'journey:changed')).toEqual({ state: 'idle' });
    // The newcomer was never assigned meanwhile, and is still waiting.
    expect(await request(newcomer, 'journey:start', { service: 'jht', ticket: null, priority: false })).toMatchObject({
      state: 'waiting',
      place: 1,
    });
  },
  SLOW_MS,
);

test(
  'an officer who reconnects to the restarted server within the grace keeps the desk and the session of the booth that came back; the booth that did not loses its session',
  async () => {
    const { baseUrl, demo, restartAfterKill } = await startDemo();
    const officerCookie = await signInDemo(baseUrl, demo, 'petugas-1');
    const officer = fixture.track(reconnectingSocket(baseUrl, NAMESPACES.officer, { cookie: officerCookie }));
    await nextEvent<WorkView>(officer, 'work:changed');
    const staying = fixture.track(reconnectingSocket(baseUrl, NAMESPACES.journey, { credential: demoCredential(demo, 'bilik-1') }));
    expect((await startVisit(staying)).state).toBe('assigned');
    const leaving = fixture.track(openSocket(baseUrl, NAMESPACES.journey, { credential: demoCredential(demo, 'bilik-2') }));
    expect((await startVisit(leaving)).state).toBe('assigned');
    const before = await request(officer, 'work:set', { state: 'available' });
    expect(before.sessions.map((session) => session.boothId)).toEqual(['bilik-1', 'bilik-2']);

    // The officer's view once the booth that did not come back has lost its session.
    const afterGrace = nextEvent<WorkView>(
      officer,
      'work:changed',
      (view) => view.sessions.length === 1,
      START_TIMEOUT_MS + (LEASE_SECONDS + GRACE_SECONDS) * 1000,
    );
    await restartAfterKill();
    const after = await afterGrace;
    expect(after.state).toBe('available');
    expect(after.sessions.map(({ boothId, visitId }) => ({ boothId, visitId }))).toEqual(
      before.sessions.filter((session) => session.boothId === 'bilik-1').map(({ boothId, visitId }) => ({ boothId, visitId })),
    );
    expect(server.printed).toContain('"msg":"reaped the presence of a server process"');

    // Still on duty with a desk: the next claimant is theirs.
    const next = fixture.track(openSocket(baseUrl, NAMESPACES.journey, { credential: demoCredential(demo, 'bilik-3') }));
    expect((await startVisit(next)).state).toBe('assigned');
    const work = await request(officer, 'work:set', { state: 'available' });
    expect(work.sessions.map((session) => session.boothId)).toEqual(['bilik-1', 'bilik-3']);
  },
  SLOW_MS,
);

test(
  'SIGKILL with three booths in session and two waiting, then a fresh start on the same data: once the lease and the graces have run their course, the same booths are back at the same desk and no queue place is lost',
  async () => {
    const { baseUrl, redisPort, demo, restartAfterKill } = await startDemo();
    const officerCookie = await signInDemo(baseUrl, demo, 'petugas-1');
    const booth = (boothId: string): { credential: string } => ({ credential: demoCredential(demo, boothId) });
    const inSession = ['bilik-1', 'bilik-2', 'bilik-3'];
    const waiting = ['bilik-4', 'bilik-5'];
    // Kiosks keep their /journey sockets, which reconnect by themselves; the desk's media
    // sessions are joined again after the restart, as the apps rebuild theirs.
    const journeys = new Map<string, JourneySocket>();
    const arrive = (boothId: string): Promise<JourneyState> => {
      const journey = fixture.track(reconnectingSocket(baseUrl, NAMESPACES.journey, booth(boothId)));
      journeys.set(boothId, journey);
      return startVisit(journey);
    };
    const journeyOf = (boothId: string): JourneySocket => journeys.get(boothId)!;
    const officerJoins = async (): Promise<DeskClient> => {
      const officer = await joinDesk(baseUrl, NAMESPACES.officer, { cookie: officerCookie });
      fixture.track(officer.socket);
      return officer;
    };
    /** The booths in session join the desk; resolves once the officer receives each of them. */
    const boothsJoin = async (officer: DeskClient): Promise<void> => {
      for (const boothId of inSession) fixture.track((await joinDesk(baseUrl, NAMESPACES.booth, booth(boothId))).socket);
      await waitFor('the officer to receive every booth in session', () => {
        const sources = new Set(
          officer.consumers.filter((consumer) => consumer.source.role === 'booth').map((consumer) => consumer.source.id),
        );
        return [...sources].sort().join() === inSession.join();
      });
    };

    const officer = await officerJoins();
    for (const boothId of inSession) expect((await arrive(boothId)).state).toBe('assigned');
    await askOk(officer.socket, 'work:set', { state: 'paused' });
    for (const [index, boothId] of waiting.entries()) {
      expect(await arrive(boothId)).toMatchObject({ state: 'waiting', place: index + 1 });
    }
    await boothsJoin(officer);
    const before = await askOk<WorkView>(officer.socket, 'work:set', { state: 'paused' });

    await restartAfterKill();
    const officerBack = await officerJoins();
    await boothsJoin(officerBack);
    // The dead process is reaped, and no grace it began is still running: everyone came back.
    await server.logged('reaped the presence of a server process');
    const redis = new Redis(`redis://127.0.0.1:${redisPort}`);
    try {
      await waitFor('every grace period to be over', async () => (await redis.zcard(schedulerKeys.deadlines)) === 0, 30_000, 100);
    } finally {
      redis.disconnect();
    }

    const after = await askOk<WorkView>(officerBack.socket, 'work:set', { state: 'paused' });
    const sessions = (view: WorkView): Array<{ boothId: string; visitId: string }> =>
      view.sessions.map(({ boothId, visitId }) => ({ boothId, visitId }));
    expect(sessions(after)).toEqual(sessions(before));
    for (const boothId of inSession) {
      expect(await request(journeyOf(boothId), 'journey:start', { service: 'jht', ticket: null, priority: false })).toEqual({
        state: 'assigned',
        service: 'jht',
        officerAway: false,
      });
    }
    for (const [index, boothId] of waiting.entries()) {
      expect(await request(journeyOf(boothId), 'journey:start', { service: 'jht', ticket: null, priority: false })).toMatchObject({
        state: 'waiting',
        place: index + 1,
      });
    }
  },
  SLOW_MS,
);
