/**
 * A desk's seats when another server process ends a session: two real server processes
 * (server/src/index.ts in child processes) on one Redis, the officer's desk on the first, the
 * kiosk's /journey socket on the second. The kiosk's media link drops (its seat is kept), then
 * its journey, whose grace period the second process expires (the first is stopped meanwhile, so
 * that which process expires it is not left to chance) before it is SIGKILLed: no link is left to
 * close at the desk, and the desk's process frees the seat all the same.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { NAMESPACES, type DeskState, type JourneyState } from '@bilik/shared';
import type { DemoSignIn } from '../../server/src/demo/seedDemo.js';
import { schedulerKeys } from '../../server/src/scheduler/scripts.js';
import { askOk, joinDesk, type DeskClient } from '../support/deskClient.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { demoCredential, demoServerEnv, readDemo, signInDemo, type ServerProcess } from '../support/serverProcess.js';
import { serverProcessFixture } from '../support/serverProcessFixture.js';
import { connected, openSocket } from '../support/sockets.js';
import { freePort, freeRtcPorts, waitFor } from '../support/testServer.js';

/** Two server starts, each creating an embedded database: long on a busy machine. */
const SLOW_MS = 300_000;

const fixture = serverProcessFixture('bilik-seats-');
let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis();
}, 60_000);
afterAll(() => redis.stop());

interface Started {
  server: ServerProcess;
  baseUrl: string;
  /** Its own demo: the same branch and booth ids as the other's, with its own accounts and credentials. */
  demo: DemoSignIn;
}

/** A demo server process named `name`, its own data directory, on the shared Redis. */
async function startProcess(name: string): Promise<Started> {
  const dataDir = path.join(fixture.dataDir, name);
  await mkdir(dataDir);
  const ports = { http: await freePort(), redis: await freePort(), rtc: await freeRtcPorts(1) };
  const server = fixture.start(demoServerEnv(dataDir, ports, { REDIS_URL: redis.url, GRACE_SECONDS: '1' }));
  await server.listening();
  return { server, baseUrl: `http://127.0.0.1:${ports.http}`, demo: await readDemo(dataDir) };
}

/** The officer's desk as its console was last told. */
function lastDesk(officer: DeskClient): DeskState | undefined {
  return officer.events.filter(({ event }) => event === 'desk:changed').at(-1)?.payload as DeskState | undefined;
}

/** The booths seated at the officer's desk, as its console was last told. */
function seatedAt(officer: DeskClient): string[] {
  return lastDesk(officer)?.booths.map((booth) => booth.boothId) ?? [];
}

test(
  "a booth's session ended by another process, which is then SIGKILLed, frees its seat at the desk",
  async () => {
    const deskHost = await startProcess('desk-host');
    const other = await startProcess('other');

    const officer = await joinDesk(deskHost.baseUrl, NAMESPACES.officer, {
      cookie: await signInDemo(deskHost.baseUrl, deskHost.demo, 'petugas-1'),
    });
    fixture.track(officer.socket);
    // The kiosk's journey goes through the other process; its media to the desk's.
    const journey = fixture.track(openSocket(other.baseUrl, NAMESPACES.journey, { credential: demoCredential(other.demo, 'bilik-1') }));
    await connected(journey);
    const visit = await askOk<JourneyState>(journey, 'journey:start', { service: 'jht', ticket: null, priority: false });
    expect(visit.state).toBe('assigned');
    const media = await joinDesk(deskHost.baseUrl, NAMESPACES.booth, { credential: demoCredential(deskHost.demo, 'bilik-1') });
    fixture.track(media.socket);
    await waitFor('the booth to be seated at the desk', () => seatedAt(officer).includes('bilik-1'));

    // The kiosk loses its network: its media link drops first, and the desk keeps its seat for
    // the session, which goes on through its grace period.
    media.socket.disconnect();
    await waitFor(
      'the desk to show the booth reconnecting',
      () => lastDesk(officer)?.booths.find((booth) => booth.boothId === 'bilik-1')?.reconnecting === true,
    );
    deskHost.server.kill('SIGSTOP');
    try {
      // Its journey drops too: the grace period starts and ends in the other process, the only one running.
      journey.disconnect();
      await waitFor('the other process to end the visit', async () => (await redis.client.exists(schedulerKeys.visit('bilik-1'))) === 0);
      other.server.kill('SIGKILL');
      expect((await other.server.exited).signal).toBe('SIGKILL');
    } finally {
      deskHost.server.kill('SIGCONT');
    }
    await waitFor('the seat to be freed at the desk', () => !seatedAt(officer).includes('bilik-1'), 15_000);
    // Freed by the desk's own process comparing its seats with the assignment.
    await deskHost.server.logged('freed the seats of sessions ended elsewhere');
  },
  SLOW_MS,
);
