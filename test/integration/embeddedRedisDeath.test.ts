/**
 * The embedded Redis killed under a running server: the server starts it again in place, says
 * it is not ready meanwhile and ready again after, and a booth queued before the kill is still
 * queued with the same visit, its socket still served.
 */
import { NAMESPACES, type Ack, type JourneyState } from '@bilik/shared';
import { connected, nextEvent, openSocket } from '../support/sockets.js';
import { seedBranch, startTestServer, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

let server: TestServer;
let desk: SeededDesk;

beforeAll(async () => {
  server = await startTestServer();
  desk = await seedBranch(server, { booths: 1 });
}, 120_000);

afterAll(() => server.close());

async function readiness(): Promise<{ status: number; redis: boolean }> {
  const response = await fetch(`${server.url}/readyz`);
  return { status: response.status, redis: ((await response.json()) as { checks: { redis: boolean } }).checks.redis };
}

test('killed, the embedded Redis comes back on its own: readiness 503 then 200, and a queued booth is still queued', async () => {
  const booth = openSocket(server.url, NAMESPACES.journey, { credential: desk.credentials['bilik-1'] });
  const first = nextEvent<JourneyState>(booth, 'journey:changed');
  await connected(booth);
  await first;
  const start = (await booth
    .timeout(10_000)
    .emitWithAck('journey:start', { service: 'jht', ticket: null, priority: false })) as Ack<JourneyState>;
  expect(start).toMatchObject({ ok: true, data: { state: 'waiting', place: 1 } });
  const visitId = (await server.scheduler.visitOf('bilik-1'))?.visitId;

  const pid = Number(/process_id:(\d+)/.exec(await server.redis.info('server'))![1]);
  // Asked the moment the server's Redis connection closes: the embedded Redis restarts within
  // a fraction of a second, which polling from a loaded machine can miss entirely.
  const down = new Promise<{ status: number; redis: boolean }>((resolve, reject) => {
    server.redis.once('close', () => {
      readiness().then(resolve, reject);
    });
  });
  process.kill(pid, 'SIGKILL');
  expect(await down).toEqual({ status: 503, redis: false });
  await waitFor('readiness to recover', async () => (await readiness()).status === 200, 30_000, 100);

  expect(await server.scheduler.visitOf('bilik-1')).toMatchObject({ visitId, state: 'waiting' });
  expect(await server.scheduler.journeyOf('bilik-1')).toMatchObject({ state: 'waiting', place: 1 });
  // The booth's socket outlived the outage and is served again.
  const cancel = (await booth.timeout(10_000).emitWithAck('journey:cancel', {})) as Ack<JourneyState>;
  expect(cancel).toEqual({ ok: true, data: { state: 'idle' } });
  booth.disconnect();
}, 60_000);
