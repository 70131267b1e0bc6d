import { createHmac } from 'node:crypto';
import { IceServers, turnPassword } from './iceServers.js';

const secret = 'k'.repeat(32);
const now = () => Date.UTC(2026, 11, 2, 8, 0, 0);

test('without TURN URLs a client gets no ICE servers', () => {
  const servers = new IceServers({ urls: [], secret: null, credentialTtlSeconds: 600, transportPolicy: 'all' }, now);
  expect(servers.for('bilik-1')).toEqual([]);
  expect(servers.transportPolicy).toBe('all');
});

test("a client gets coturn's time-limited credentials: '<expiry>:<client id>' and its HMAC-SHA1 under the secret", () => {
  const urls = ['turn:turn.example.id:3478?transport=udp', 'turns:turn.example.id:443?transport=tcp'];
  const servers = new IceServers({ urls, secret, credentialTtlSeconds: 600, transportPolicy: 'relay' }, now);
  const expiry = now() / 1000 + 600;
  const [server] = servers.for('bilik-1');
  expect(server).toEqual({ urls, username: `${expiry}:bilik-1`, credential: turnPassword(secret, `${expiry}:bilik-1`) });
  // coturn's scheme (turnserver.conf, use-auth-secret): base64 of the HMAC-SHA1 digest.
  expect(server!.credential).toBe(createHmac('sha1', secret).update(`${expiry}:bilik-1`).digest('base64'));
  expect(servers.for('petugas-1')[0]!.username).toBe(`${expiry}:petugas-1`);
  expect(servers.transportPolicy).toBe('relay');
});

test('credentials are made afresh at each call, so a restarted transport gets ones that are still valid', () => {
  let clock = now();
  const servers = new IceServers({ urls: ['turn:t.example.id'], secret, credentialTtlSeconds: 600, transportPolicy: 'all' }, () => clock);
  const first = servers.for('bilik-1')[0]!;
  clock += 900_000;
  const later = servers.for('bilik-1')[0]!;
  expect(later.username).toBe(`${clock / 1000 + 600}:bilik-1`);
  expect(later.credential).not.toBe(first.credential);
});

test('a STUN-only configuration carries no credentials', () => {
  const servers = new IceServers(
    { urls: ['stun:stun.example.id:3478'], secret: null, credentialTtlSeconds: 600, transportPolicy: 'all' },
    now,
  );
  expect(servers.for('bilik-1')).toEqual([{ urls: ['stun:stun.example.id:3478'] }]);
});
