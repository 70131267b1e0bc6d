/**
 * Closing the server does not wait on a client that went silent: a websocket whose peer vanished
 * (a kiosk's link cut, no FIN will ever come) is cut at once, instead of holding the close for
 * the 30 s close handshake a websocket otherwise waits out.
 */
import { once } from 'node:events';
import net from 'node:net';
import { startTestServer } from '../support/testServer.js';

test('the server closes at once although a websocket client never answers', async () => {
  const server = await startTestServer();
  const { hostname, port } = new URL(server.url);
  // A websocket upgrade by hand, then silence: nothing read, nothing answered, never closed.
  const silent = net.connect(Number(port), hostname);
  await once(silent, 'connect');
  silent.write(
    [
      'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1',
      `Host: ${hostname}:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n'),
  );
  const [response] = (await once(silent, 'data')) as [Buffer];
  expect(response.toString()).toMatch(/^HTTP\/1\.1 101/);
  const cut = once(silent, 'close');

  const startedAt = performance.now();
  await server.close();
  await cut;
  // A websocket's close handshake waits 30 s for its peer; a third of that tells the two apart on a loaded machine.
  expect(performance.now() - startedAt).toBeLessThan(10_000);
}, 60_000);
