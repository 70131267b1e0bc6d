/**
 * Signing in and out, lock-out, rate limits, and the end of what authenticated a live socket:
 * a signed-out or expired session, a revoked booth.
 */
import { NAMESPACES } from '@bilik/shared';
import type { Socket } from 'socket.io-client';
import { seedDesk, signedInCookie, startTestServer, TEST_PASSWORD, type SeededDesk, type TestServer } from '../support/testServer.js';
import { deleteKeys } from '../support/redis.js';
import { connected, disconnected, openSocket, refused } from '../support/sockets.js';

function signIn(server: TestServer, fields: Record<string, string>, origin = server.url): Promise<Response> {
  return fetch(`${server.url}/auth/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}

/** The session cookie a sign-in response set, as a Cookie header value. */
function sessionCookie(response: Response): string {
  const setCookie = response.headers.get('set-cookie') ?? '';
  const match = /bilik_session=([^;]+)/.exec(setCookie);
  if (!match) throw new Error(`no session cookie in: ${setCookie}`);
  return `bilik_session=${match[1]}`;
}

function noticeOf(html: string): string | undefined {
  return /data-testid="signin-notice"[^>]*data-kind="([a-z-]+)"|data-kind="([a-z-]+)"[^>]*data-testid="signin-notice"/
    .exec(html)
    ?.slice(1)
    .find(Boolean);
}

async function whoAmI(server: TestServer, cookie: string): Promise<number> {
  return (await fetch(`${server.url}/api/session`, { headers: { cookie } })).status;
}

/** How long `work` takes (ms). */
async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('with the default session lifetime', () => {
  let server: TestServer;
  let desk: SeededDesk;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = await startTestServer({ SIGNIN_MAX_FAILURES: '3' });
    desk = await seedDesk(server);
    await server.accounts.createAccount({
      username: 'penyelia',
      displayName: 'Penyelia Uji',
      role: 'supervisor',
      password: TEST_PASSWORD,
      branchIds: [],
    });
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  afterAll(async () => {
    await server?.close();
  });

  test('signing in sets an httpOnly, same-site session cookie and goes where the page asked', async () => {
    const response = await signIn(server, { username: 'petugas-1', password: TEST_PASSWORD, next: '/officer/' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/officer/');
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);
    const session = await fetch(`${server.url}/api/session`, { headers: { cookie: sessionCookie(response) } });
    expect(await session.json()).toMatchObject({ ok: true, data: { username: 'petugas-1', role: 'officer', displayName: 'Petugas Uji' } });
  });

  test('without a page to return to, each role lands on its own page; usernames are not case-sensitive', async () => {
    const response = await signIn(server, { username: 'Petugas-1', password: TEST_PASSWORD });
    expect(response.headers.get('location')).toBe('/officer/');
  });

  test('a wrong password and an unknown user get the same answer', async () => {
    const wrong = await signIn(server, { username: 'penyelia', password: 'not the password' });
    const unknown = await signIn(server, { username: 'nobody-here', password: 'not the password' });
    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(noticeOf(await response.text())).toBe('invalid');
    }
  });

  test('an empty form and a foreign page are refused with clear answers', async () => {
    const empty = await signIn(server, { username: 'penyelia' });
    expect(empty.status).toBe(400);
    expect(noticeOf(await empty.text())).toBe('missing');
    const forged = await signIn(server, { username: 'penyelia', password: TEST_PASSWORD }, 'https://evil.example');
    expect(forged.status).toBe(403);
    expect(forged.headers.get('set-cookie')).toBeNull();
  });

  test('repeated wrong passwords lock the account, even against the right one, and are audited', async () => {
    await server.accounts.createAccount({
      username: 'terkunci',
      displayName: 'Akun Uji',
      role: 'officer',
      password: TEST_PASSWORD,
      branchIds: [],
    });
    const answers: Array<string | undefined> = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      answers.push(noticeOf(await (await signIn(server, { username: 'terkunci', password: `wrong ${attempt}` })).text()));
    }
    expect(answers).toEqual(['invalid', 'invalid', 'locked']);
    const right = await signIn(server, { username: 'terkunci', password: TEST_PASSWORD });
    expect(right.status).toBe(403);
    expect(right.headers.get('set-cookie')).toBeNull();
    expect(noticeOf(await right.text())).toBe('locked');
    const account = (await server.accounts.findByUsername('terkunci'))!;
    const audit = await server.db.query<{ action: string }>('select action from audit_events where subject = $1 order by id', [account.id]);
    expect(audit.map((row) => row.action)).toEqual([
      'session.sign_in_failed',
      'session.sign_in_failed',
      'account.locked',
      'session.sign_in_refused',
    ]);
  });

  test('a username nobody has is locked like an account, and answers exactly alike at every attempt, the right password included', async () => {
    // These tests sign in more often than one address may in a window.
    await deleteKeys(server.redis, 'bilik:ratelimit:signin-ip:*');
    await server.accounts.createAccount({
      username: 'akun-ada',
      displayName: 'Akun Uji',
      role: 'officer',
      password: TEST_PASSWORD,
      branchIds: [],
    });
    async function attempts(username: string): Promise<Array<[number, string]>> {
      const answers: Array<[number, string]> = [];
      for (const password of ['salah satu', 'salah dua', 'salah tiga', TEST_PASSWORD]) {
        const response = await signIn(server, { username, password });
        // The page repeats the name typed; the rest must not differ.
        answers.push([response.status, (await response.text()).replaceAll(username, 'NAMA')]);
      }
      return answers;
    }
    const existing = await attempts('akun-ada');
    const nobody = await attempts('akun-nol');
    expect(existing.map(([status, html]) => [status, noticeOf(html)])).toEqual([
      [401, 'invalid'],
      [401, 'invalid'],
      [403, 'locked'],
      [403, 'locked'],
    ]);
    expect(nobody).toEqual(existing);
    const audit = await server.db.query<{ action: string; detail: { reason: string } }>(
      "select action, detail from audit_events where action like 'session.sign_in_%' and subject is null order by id desc limit 4",
    );
    expect(audit.reverse()).toEqual([
      { action: 'session.sign_in_failed', detail: { reason: 'unknown_user' } },
      { action: 'session.sign_in_failed', detail: { reason: 'unknown_user' } },
      { action: 'session.sign_in_failed', detail: { reason: 'unknown_user' } },
      { action: 'session.sign_in_refused', detail: { reason: 'locked' } },
    ]);
  });

  test('a wrong password takes about as long for a username nobody has as for an account', async () => {
    await deleteKeys(server.redis, 'bilik:ratelimit:signin-ip:*');
    const usernames = ['waktu-1', 'waktu-2', 'waktu-3', 'waktu-4', 'waktu-5'];
    for (const username of usernames) {
      await server.accounts.createAccount({ username, displayName: 'Akun Uji', role: 'officer', password: TEST_PASSWORD, branchIds: [] });
    }
    const existing: number[] = [];
    const nobody: number[] = [];
    // Interleaved, so both kinds meet the same load; the password check alone takes tens of ms.
    for (const username of usernames) {
      existing.push(await timed(() => signIn(server, { username, password: 'salah' })));
      nobody.push(await timed(() => signIn(server, { username: `tiada-${username}`, password: 'salah' })));
    }
    const ratio = median(nobody) / median(existing);
    expect(ratio).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
  });

  test("signing out ends the session and closes the console's live socket", async () => {
    const cookie = sessionCookie(await signIn(server, { username: 'petugas-1', password: TEST_PASSWORD }));
    const console = openSocket(server.url, NAMESPACES.officer, { cookie });
    sockets.push(console);
    await connected(console);
    const closed = disconnected(console);
    const out = await fetch(`${server.url}/auth/signout`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: server.url } });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/signin?notice=signed-out');
    expect(await closed).toBe('io server disconnect');
    expect(await whoAmI(server, cookie)).toBe(401);
    const again = openSocket(server.url, NAMESPACES.officer, { cookie });
    sockets.push(again);
    expect((await refused(again)).data?.error).toBe('UNAUTHORIZED');
  });

  test('another site cannot sign a user out (or post anything with their cookie)', async () => {
    const cookie = sessionCookie(await signIn(server, { username: 'petugas-1', password: TEST_PASSWORD }));
    const forged = await fetch(`${server.url}/auth/signout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(forged.status).toBe(403);
    const withoutOrigin = await fetch(`${server.url}/auth/signout`, { method: 'POST', redirect: 'manual', headers: { cookie } });
    expect(withoutOrigin.status).toBe(403);
    expect(await whoAmI(server, cookie)).toBe(200);
  });

  test('a revoked booth is disconnected at once and cannot connect again', async () => {
    const { cookie: adminCookie } = await signedInCookie(server, {
      username: 'admin-ti',
      displayName: 'Admin Uji',
      role: 'it_admin',
      branchIds: ['test-branch'],
    });
    const booth = openSocket(server.url, NAMESPACES.booth, { credential: desk.credentials['bilik-3'] });
    sockets.push(booth);
    await connected(booth);
    const closed = disconnected(booth);
    const revoke = await fetch(`${server.url}/api/booths/bilik-3/revoke`, {
      method: 'POST',
      headers: { cookie: adminCookie, origin: server.url },
    });
    expect(revoke.status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    const again = openSocket(server.url, NAMESPACES.booth, { credential: desk.credentials['bilik-3'] });
    sockets.push(again);
    expect((await refused(again)).data?.error).toBe('UNAUTHORIZED');
  });

  test('sign-in attempts from one address are rate-limited across accounts', async () => {
    // Earlier tests' attempts count too; start from a clean window.
    const keys = await server.redis.keys('bilik:ratelimit:signin-ip:*');
    if (keys.length > 0) await server.redis.del(...keys);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 31; attempt += 1) {
      statuses.push((await signIn(server, { username: `user-${attempt}`, password: '' })).status);
    }
    expect(statuses.slice(0, 30).every((status) => status === 400)).toBe(true);
    const limited = await signIn(server, { username: 'petugas-1', password: TEST_PASSWORD });
    expect(statuses[30]).toBe(429);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(noticeOf(await limited.text())).toBe('rate-limited');
  });
});

describe('with a session that lasts two seconds', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ SESSION_MAX_HOURS: String(2 / 3600) });
    await seedDesk(server);
  });

  afterAll(async () => {
    await server?.close();
  });

  test("an expiring session closes the console's live socket, and the cookie stops working", async () => {
    const cookie = sessionCookie(await signIn(server, { username: 'petugas-1', password: TEST_PASSWORD }));
    const console = openSocket(server.url, NAMESPACES.officer, { cookie });
    try {
      await connected(console);
      expect(await disconnected(console)).toBe('io server disconnect');
      expect(await whoAmI(server, cookie)).toBe(401);
    } finally {
      console.disconnect();
    }
  });
});
