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

  test('is degraded while a killed mediasoup worker is replaced, then ready again on a new one', async () => {
    const [pid] = server.workers.pids;
    // What readiness reports, read the moment the pool has seen the death.
    const healthyAtDeath = new Promise<boolean>((resolve) => server.workers.onWorkerDied(() => resolve(server.workers.healthy)));
    process.kill(pid!, 'SIGKILL');
    expect(await healthyAtDeath).toBe(false);
    await waitFor('a new worker to replace the dead one', () => server.workers.pids[0] !== pid);
    expect(await readiness(server)).toEqual({ status: 200, body: { ok: true, checks: { redis: true, database: true, mediasoup: true } } });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  test('turns false when Redis stops', async () => {
    await server.embeddedRedis!.stop();
    await waitFor('readiness to report Redis down', async () => (await readiness(server)).status === 503);
    expect((await readiness(server)).body.checks).toEqual({ redis: false, database: true, mediasoup: true });
  });
});
