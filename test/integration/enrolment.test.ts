/**
 * Enrolment codes over HTTP, as a kiosk sends them: one use each, an hour at most, five wrong
 * attempts at most, void once a newer code exists, and a limit per address on top. Each refusal
 * says why, in a way the kiosk can put into words.
 */
import { NAMESPACES } from '@bilik/shared';
import { ENROLMENT_ALPHABET } from '../../server/src/fleet/enrolment.js';
import { connected, openSocket } from '../support/sockets.js';
import { seedDesk, startTestServer, type TestServer } from '../support/testServer.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await seedDesk(server);
});

beforeEach(async () => {
  // Each test starts with a fresh allowance for this address.
  const keys = await server.redis.keys('bilik:ratelimit:enrol-ip:*');
  if (keys.length > 0) await server.redis.del(...keys);
});

afterAll(async () => {
  await server?.close();
});

async function enrol(code: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.url}/api/enrol`, {
    method: 'POST',
    headers: { origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function newCode(boothId = 'bilik-5'): Promise<string> {
  return (await server.enrolment.issueCode(boothId, { kind: 'system' })).code;
}

/** The same code with its last character changed: right lookup, wrong secret. */
function wrongSecret(code: string): string {
  const last = code.at(-1)!;
  return code.slice(0, -1) + ENROLMENT_ALPHABET[(ENROLMENT_ALPHABET.indexOf(last) + 1) % ENROLMENT_ALPHABET.length];
}

test('a code has twelve characters from an alphabet without look-alikes, shown in three groups', async () => {
  const code = await newCode();
  expect(code).toMatch(new RegExp(`^[${ENROLMENT_ALPHABET}]{4}-[${ENROLMENT_ALPHABET}]{4}-[${ENROLMENT_ALPHABET}]{4}$`));
  expect(ENROLMENT_ALPHABET).not.toMatch(/[0O1IL2Z5S8B]/);
});

test('a valid code enrols the booth once, typed in any case and spacing, and the credential connects', async () => {
  const code = await newCode();
  const first = await enrol(` ${code.toLowerCase().replaceAll('-', ' ')} `);
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ ok: true, data: { boothId: 'bilik-5', credential: expect.stringMatching(/^bk1_/) } });
  const booth = openSocket(server.url, NAMESPACES.booth, { credential: (first.body.data as { credential: string }).credential });
  try {
    await connected(booth);
  } finally {
    booth.disconnect();
  }
  expect(await enrol(code)).toMatchObject({ status: 403, body: { ok: false, error: 'FORBIDDEN', reason: 'used' } });
});

test('an expired code is refused', async () => {
  const code = await newCode();
  // An hour passes.
  await server.db.query(
    "update enrolment_codes set expires_at = now() - interval '1 second' where booth_id = 'bilik-5' and used_at is null",
  );
  expect(await enrol(code)).toMatchObject({ status: 403, body: { reason: 'expired' } });
});

test('five wrong attempts void the code, even for the right one afterwards', async () => {
  const code = await newCode();
  const left: unknown[] = [];
  for (let attempt = 0; attempt < 5; attempt += 1) left.push((await enrol(wrongSecret(code))).body.attemptsLeft);
  expect(left).toEqual([4, 3, 2, 1, 0]);
  expect(await enrol(code)).toMatchObject({ status: 403, body: { reason: 'void' } });
  const audit = await server.db.query<{ count: string }>(
    "select count(*) from audit_events where action = 'booth.enrolment_failed' and subject = 'bilik-5'",
  );
  expect(Number(audit[0]!.count)).toBeGreaterThanOrEqual(5);
});

test('a newer code voids the older one', async () => {
  const older = await newCode();
  const newer = await newCode();
  expect(await enrol(older)).toMatchObject({ status: 403, body: { reason: 'void' } });
  expect((await enrol(newer)).status).toBe(200);
});

test('revoking a booth voids its codes not yet used, so an old code cannot undo the revocation', async () => {
  const code = await newCode('bilik-4');
  await server.booths.revoke('bilik-4', { kind: 'system' });
  expect(await enrol(code)).toMatchObject({ status: 403, body: { reason: 'void' } });
  expect((await server.booths.findBooth('bilik-4'))!.enrolled).toBe(false);
});

test('malformed and unknown codes are refused with their own reasons', async () => {
  expect(await enrol('short')).toMatchObject({ status: 403, body: { reason: 'malformed' } });
  expect(await enrol('0O1I-L2Z5-S8B0')).toMatchObject({ status: 403, body: { reason: 'malformed' } });
  expect(await enrol(12345)).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST' } });
  expect(await enrol('3333-3333-3333')).toMatchObject({ status: 403, body: { reason: 'unknown' } });
});

test('one address may try twenty codes in ten minutes', async () => {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 21; attempt += 1) statuses.push((await enrol('3333-3333-3333')).status);
  expect(statuses.slice(0, 20).every((status) => status === 403)).toBe(true);
  expect(statuses[20]).toBe(429);
});
