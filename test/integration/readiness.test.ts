import { startTestServer, waitFor, type TestServer } from '../support/testServer.js';

async function readiness(server: TestServer): Promise<{ status: number; body: { ok: boolean; checks: Record<string, boolean> } }> {
  const response = await fetch(`${server.url}/readyz`);
  return { status: response.status, body: (await response.json()) as { ok: boolean; checks: Record<string, boolean> } };
}

describe('readiness', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    await server.close();
  });

  test('is ready with Redis, the database and a live mediasoup worker, and liveness answers', async () => {
    expect(await readiness(server)).toEqual({ status: 200, body: { ok: true, checks: { redis: true, database: true, mediasoup: true } } });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  test('turns false when a mediasoup worker is killed', async () => {
    const [pid] = server.workers.pids;
    process.kill(pid!, 'SIGKILL');
    await waitFor('readiness to report the dead worker', async () => (await readiness(server)).status === 503);
    expect((await readiness(server)).body.checks).toEqual({ redis: true, database: true, mediasoup: false });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  test('turns false when Redis stops', async () => {
    await server.embeddedRedis!.stop();
    await waitFor('readiness to report Redis down', async () => (await readiness(server)).status === 503);
    expect((await readiness(server)).body.checks).toEqual({ redis: false, database: true, mediasoup: true });
  });
});
