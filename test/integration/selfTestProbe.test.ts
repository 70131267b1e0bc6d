/**
 * The SFU probe of the kiosk self-test through the real server: a booth's /journey socket opens
 * one probe transport and gets what its browser needs to connect, cannot open a second one, and
 * leaves nothing behind when it closes the probe or goes away; payloads off the contract are
 * refused. The full WebRTC connection is exercised in Chromium by test/e2e/selfTest.test.ts.
 */
import { NAMESPACES } from '@bilik/shared';
import { request, type JourneySocket } from '@bilik/shared/client';
import type { Socket } from 'socket.io-client';
import { createLogger } from '../../server/src/logger.js';
import { SfuProbe } from '../../server/src/sfu/probe.js';
import { connected, openSocket, sendRaw } from '../support/sockets.js';
import { seedBranch, startTestServer, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

let server: TestServer;
let desk: SeededDesk;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  desk = await seedBranch(server, { booths: 2 });
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await waitFor('every probe transport to close', async () => (await server.probe.openTransportIds()).length === 0);
});

afterAll(() => server.close());

async function journeySocket(boothId: string): Promise<JourneySocket> {
  const socket = openSocket(server.url, NAMESPACES.journey, { credential: desk.credentials[boothId] });
  sockets.push(socket);
  await connected(socket);
  return socket;
}

const open = (socket: JourneySocket) => request(socket, 'selftest:probe:open', {});

const DTLS = { role: 'client' as const, fingerprints: [{ algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') }] };

test('a booth opens a probe and gets its ICE and DTLS parameters and the router capabilities; the transport is on the SFU', async () => {
  const socket = await journeySocket('bilik-1');
  const opened = await open(socket);
  expect(opened.transport.id).toEqual(expect.any(String));
  expect(opened.transport.iceParameters).toMatchObject({
    usernameFragment: expect.any(String),
    password: expect.any(String),
    iceLite: true,
  });
  expect(opened.transport.iceCandidates.length).toBeGreaterThan(0);
  expect(opened.transport.dtlsParameters).toMatchObject({
    fingerprints: expect.arrayContaining([expect.objectContaining({ algorithm: 'sha-256' })]),
  });
  expect((opened.routerRtpCapabilities.codecs as Array<{ mimeType: string }>).map((codec) => codec.mimeType)).toContain('audio/opus');
  expect(await server.probe.openTransportIds()).toEqual([opened.transport.id]);

  expect(await request(socket, 'selftest:probe:connect', { dtlsParameters: DTLS })).toBeNull();
  expect(await request(socket, 'selftest:probe:close', {})).toBeNull();
  expect(await server.probe.openTransportIds()).toEqual([]);
});

test('a second probe on the same socket is refused while the first is open; after closing it, the socket may probe again', async () => {
  const socket = await journeySocket('bilik-1');
  // Sent together: the check must hold while the first is still being created.
  const [first, second] = await Promise.allSettled([open(socket), open(socket)]);
  expect(first.status).toBe('fulfilled');
  expect(second).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_STATE' } });
  await expect(open(socket)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  expect(await server.probe.openTransportIds()).toHaveLength(1);

  // Another booth's socket has a probe of its own.
  const other = await open(await journeySocket('bilik-2'));
  expect(await server.probe.openTransportIds()).toHaveLength(2);

  await request(socket, 'selftest:probe:close', {});
  const again = await open(socket);
  expect((await server.probe.openTransportIds()).sort()).toEqual([again.transport.id, other.transport.id].sort());
});

test('a socket that goes away leaves no probe transport behind', async () => {
  const socket = await journeySocket('bilik-1');
  const opened = await open(socket);
  expect(await server.probe.openTransportIds()).toEqual([opened.transport.id]);
  socket.disconnect();
  await waitFor('the probe transport to close', async () => (await server.probe.openTransportIds()).length === 0);
});

test('a probe the kiosk never closes expires', async () => {
  // The server's probe lives 30 s; this one, on the same workers, a fraction of a second.
  const shortLived = new SfuProbe(server.workers, createLogger('silent'), 200);
  try {
    const { transport } = await shortLived.open('bilik-1');
    expect(await shortLived.openTransportIds()).toEqual([transport.id]);
    await waitFor('the probe transport to expire', () => transport.closed, 5000);
    expect(await shortLived.openTransportIds()).toEqual([]);
  } finally {
    await shortLived.close();
  }
});

test('payloads off the contract are refused, and nothing is connected without an open probe', async () => {
  const socket = await journeySocket('bilik-1');
  await expect(request(socket, 'selftest:probe:connect', { dtlsParameters: DTLS })).rejects.toMatchObject({ code: 'INVALID_STATE' });
  expect(await sendRaw(socket, 'selftest:probe:open', { transportId: 'x' })).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
  expect(await sendRaw(socket, 'selftest:probe:open')).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
  expect(await server.probe.openTransportIds()).toEqual([]);

  await open(socket);
  const invalid: unknown[] = [
    {},
    { dtlsParameters: { fingerprints: [] } },
    { dtlsParameters: { role: 'both', fingerprints: DTLS.fingerprints } },
    { dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'x'.repeat(300) }] } },
    { dtlsParameters: DTLS, transportId: 'x' },
    'connect',
  ];
  for (const payload of invalid) {
    expect(await sendRaw(socket, 'selftest:probe:connect', payload)).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
  }
  expect(await request(socket, 'selftest:probe:connect', { dtlsParameters: DTLS })).toBeNull();
  // mediasoup itself refuses a second connect of the same transport.
  await expect(request(socket, 'selftest:probe:connect', { dtlsParameters: DTLS })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  expect(await sendRaw(socket, 'selftest:probe:close', { now: true })).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
});
