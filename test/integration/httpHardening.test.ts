import { NAMESPACES } from '@bilik/shared';
import { handshakeOutcome, openSocket } from '../support/sockets.js';
import { seedDesk, startTestServer, type SeededDesk, type TestServer } from '../support/testServer.js';

let server: TestServer;
let desk: SeededDesk;

beforeAll(async () => {
  server = await startTestServer({ ALLOWED_ORIGINS: 'https://kiosk.example' });
  desk = await seedDesk(server);
});

afterAll(async () => {
  await server.close();
});

test('pages carry a content security policy that keeps scripts, media and sockets to this server', async () => {
  const response = await fetch(`${server.url}/booth/`);
  const policy = response.headers.get('content-security-policy') ?? '';
  expect(policy).toContain("script-src 'self'");
  expect(policy).toContain("connect-src 'self'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('x-powered-by')).toBeNull();
});

/** 'connected', or the message the handshake was refused with. */
async function handshakeFrom(origin: string): Promise<string> {
  // A signed-in officer, so only the origin decides whether the socket is accepted.
  const socket = openSocket(server.url, NAMESPACES.officer, { cookie: desk.officer.cookie, headers: { origin } });
  try {
    const outcome = await handshakeOutcome(socket);
    return outcome === 'connected' ? outcome : outcome.message;
  } finally {
    socket.disconnect();
  }
}

test("sockets are refused to other sites' pages, accepted from this server's and configured origins", async () => {
  expect(await handshakeFrom('https://evil.example')).not.toBe('connected');
  expect(await handshakeFrom(server.url)).toBe('connected');
  expect(await handshakeFrom('https://kiosk.example')).toBe('connected');
});
