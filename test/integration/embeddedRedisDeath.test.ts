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
  process.kill(pid, 'SIGKILL');
  let down: { status: number; redis: boolean } | undefined;
  await waitFor(
    'readiness to report Redis down',
    async () => {
      const seen = await readiness();
      if (seen.status === 503) down = seen;
      return down !== undefined;
    },
    10_000,
    20,
  );
  expect(down).toEqual({ status: 503, redis: false });
  await waitFor('readiness to recover', async () => (await readiness()).status === 200, 30_000, 100);

  expect(await server.scheduler.visitOf('bilik-1')).toMatchObject({ visitId, state: 'waiting' });
  expect(await server.scheduler.journeyOf('bilik-1')).toMatchObject({ state: 'waiting', place: 1 });
  // The booth's socket outlived the outage and is served again.
  const cancel = (await booth.timeout(10_000).emitWithAck('journey:cancel', {})) as Ack<JourneyState>;
  expect(cancel).toEqual({ ok: true, data: { state: 'idle' } });
  booth.disconnect();
}, 60_000);
