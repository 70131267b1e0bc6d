/**
 * Behind a reverse proxy (the compose file's, before several nodes) every request comes from the
 * proxy: with TRUST_PROXY=1 the rate limits key on the client address the proxy forwards, so one
 * branch's look-ups do not use up another's; without it a forwarded address is ignored, so no
 * client can dodge a limit by sending the header itself. Shown on the claim tracking limit.
 */
import { TRACKING_RATE_RULE } from '../../server/src/http/trackingRoutes.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

/** The status of a tracking look-up (an unknown code) sent as if from `address` through a proxy. */
async function lookUpFrom(server: TestServer, address: string): Promise<number> {
  const response = await fetch(`${server.url}/api/tracking/AAAAA-AAAAA`, { headers: { 'x-forwarded-for': address } });
  await response.arrayBuffer();
  return response.status;
}

/** Uses up the tracking limit of `address`; resolves to the status of one look-up more. */
async function exhaust(server: TestServer, address: string): Promise<number> {
  for (let i = 0; i < TRACKING_RATE_RULE.limit; i++) expect(await lookUpFrom(server, address)).toBe(404);
  return lookUpFrom(server, address);
}

test('TRUST_PROXY=1: each forwarded client address has its own limit', async () => {
  const server = await startTestServer({ TRUST_PROXY: '1' });
  try {
    expect(await exhaust(server, '10.1.0.7')).toBe(429);
    expect(await lookUpFrom(server, '10.2.0.9')).toBe(404);
  } finally {
    await server.close();
  }
});

test("without TRUST_PROXY a forwarded address is ignored: the limit is the peer's", async () => {
  const server = await startTestServer();
  try {
    expect(await exhaust(server, '10.1.0.7')).toBe(429);
    expect(await lookUpFrom(server, '10.2.0.9')).toBe(429);
  } finally {
    await server.close();
  }
});
