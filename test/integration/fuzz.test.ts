/**
 * Ten thousand malformed messages, from signed-in clients and from strangers: socket events of
 * unknown names, wrong shapes, hostile keys and no acknowledgement; handshakes with garbage; HTTP
 * bodies of every wrong kind. The server must answer each with a known error code (never
 * INTERNAL), stay up, and change nothing. The generator is seeded; a failure prints its seed.
 */
import { ERROR_CODES, NAMESPACES, PROTOCOL_VERSION, type DeskState } from '@bilik/shared';
import type { Socket } from 'socket.io-client';
import {
  seedDesk,
  signedInCookie,
  startTestServer,
  TEST_BRANCH,
  waitFor,
  type SeededDesk,
  type TestServer,
} from '../support/testServer.js';
import { connected, handshakeOutcome, openSocket, type Namespace } from '../support/sockets.js';
import { randomSource } from '../support/random.js';

const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const OFFICER_EVENTS = 2000 * SCALE;
const EVENTS_PER_BOOTH = 1000 * SCALE;
const HANDSHAKES = 500 * SCALE;
const HTTP_REQUESTS = 1500 * SCALE;
const CONCURRENCY = 50;

const BOOTH_EVENTS = [
  'capabilities:get',
  'transport:create',
  'transport:connect',
  'transport:restartIce',
  'producer:create',
  'consumer:ready',
  'session:join',
  'attention:call',
  'hearing:report',
  'recovery:report',
];
const BOOTH_ONLY_EVENTS = ['attention:call', 'hearing:report'];
const OFFICER_EVENTS_KNOWN = [
  ...BOOTH_EVENTS.filter((event) => !BOOTH_ONLY_EVENTS.includes(event)),
  'talk:select',
  'tile:focus',
  'hearing:dismiss',
];
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', '$ne', 'boothId ', ''];

const random = randomSource(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (probability: number): boolean => random() < probability;

const ALPHABET = 'abcXYZ019-_:/\\.<>"\'{}$ \u0000\u202e\ud83d\ude00';
/** A long run of the alphabet to cut random strings from: building each one char by char is too slow. */
const ALPHABET_RUN = Array.from({ length: 20_000 }, (_, index) => ALPHABET[(index * 7919) % ALPHABET.length]).join('');

function randomString(): string {
  const length = pick([0, 1, 8, 64, 1000, 20_000]);
  const start = Math.floor(random() * (ALPHABET_RUN.length - length + 1));
  return ALPHABET_RUN.slice(start, start + length);
}

/** encodeURIComponent without its URIError: random slices can split a surrogate pair. */
function encodeUri(text: string): string {
  return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '?'));
}

/** Header values must be Latin-1 and free of control characters. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, 'x');
}

/** Any JSON-able value, nested a little, including keys that attack prototypes. */
function randomValue(depth = 0): unknown {
  switch (Math.floor(random() * (depth > 2 ? 6 : 8))) {
    case 0:
      return null;
    case 1:
      return chance(0.5);
    case 2:
      return pick([0, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2]);
    case 3:
      return randomString();
    case 4:
      return pick(['bilik-1', 'bilik-99', 'petugas-1', 'send', 'recv', 'audio']);
    case 5:
      return [];
    case 6:
      return Array.from({ length: 1 + Math.floor(random() * 4) }, () => randomValue(depth + 1));
    default:
      return randomObject(depth + 1);
  }
}

function randomObject(depth = 0): Record<string, unknown> {
  const entries: Array<[string, unknown]> = [];
  for (let count = Math.floor(random() * 4); count > 0; count -= 1) {
    entries.push([chance(0.4) ? pick(HOSTILE_KEYS) : randomString().slice(0, 16), randomValue(depth)]);
  }
  if (chance(0.3)) entries.push(['__proto__', { polluted: true }]);
  // Object.fromEntries defines each key, so a '__proto__' key is an own property, as it is after the wire.
  return Object.fromEntries(entries);
}

/**
 * A payload no schema accepts: not an object, or an object with a key no schema has. Kept under
 * the 64 KB message limit, past which the server closes the connection (tested elsewhere).
 */
function invalidPayload(): unknown {
  for (;;) {
    const payload = chance(0.4)
      ? pick([null, 0, 'text', [], [{}], true, randomString()])
      : { ...randomObject(), [pick(HOSTILE_KEYS.filter((key) => key !== '__proto__').concat(['extra']))]: randomValue() };
    if (JSON.stringify(payload).length < 48_000) return payload;
  }
}

function randomEventName(known: readonly string[]): string {
  if (chance(0.5)) return pick(known);
  return pick([
    'consumer:resume',
    'talk:select',
    'attention:call',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    'desk:changed',
    'message',
    randomString().slice(0, 80) || 'x',
  ]);
}

let server: TestServer;
let desk: SeededDesk;
const sockets: Socket[] = [];
const problems: string[] = [];

function note(problem: string): void {
  if (problems.length < 20) problems.push(problem);
}

function isCleanError(answer: unknown): boolean {
  const { ok, error, message } = (answer ?? {}) as { ok?: unknown; error?: unknown; message?: unknown };
  return (
    ok === false &&
    typeof error === 'string' &&
    error !== 'INTERNAL' &&
    (ERROR_CODES as readonly string[]).includes(error) &&
    typeof message === 'string'
  );
}

function open(namespace: Namespace, auth: Record<string, unknown>, cookie?: string): Socket {
  const socket = openSocket(server.url, namespace, { auth, cookie });
  sockets.push(socket);
  return socket;
}

async function inBatches(count: number, send: (index: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < count; start += CONCURRENCY) {
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count - start) }, (_, offset) => send(start + offset)));
  }
}

/** Sends `count` malformed events on one socket; each must come back as a clean error. */
async function fuzzSocket(socket: Socket, known: readonly string[], count: number): Promise<void> {
  let withoutAck = 0;
  let protocolErrors = 0;
  socket.on('protocol:error', (answer: unknown) => {
    protocolErrors += 1;
    if (!isCleanError({ ok: false, ...(answer as object) })) note(`protocol:error not clean: ${JSON.stringify(answer).slice(0, 200)}`);
  });
  await inBatches(count, async () => {
    if (!socket.connected) {
      note(`a ${known.includes('talk:select') ? 'officer' : 'booth'} socket was disconnected`);
      return;
    }
    const event = randomEventName(known);
    const payload = invalidPayload();
    if (chance(0.1)) {
      withoutAck += 1;
      socket.emit(event, payload);
      return;
    }
    const answer = await socket
      .timeout(10_000)
      .emitWithAck(event, payload)
      .catch((error: Error) => ({ timeout: error.message }));
    if (!isCleanError(answer)) note(`${event} ${JSON.stringify(payload).slice(0, 120)} → ${JSON.stringify(answer).slice(0, 200)}`);
  });
  // The server handles commands concurrently (some wait for Redis before they answer), so the
  // answers may come in any order: wait for the missing ones, for a bounded time; a shortfall is noted below.
  await waitFor('a protocol:error for every event sent without acknowledgement', () => protocolErrors >= withoutAck, 10_000).catch(
    () => undefined,
  );
  if (protocolErrors !== withoutAck) note(`${withoutAck} events without acknowledgement, ${protocolErrors} protocol:error answers`);
}

async function fuzzHandshake(): Promise<void> {
  const namespace = pick([NAMESPACES.booth, NAMESPACES.officer]);
  const auth = chance(0.5)
    ? invalidPayload()
    : { protocolVersion: chance(0.5) ? PROTOCOL_VERSION : randomValue(), credential: randomValue(), ...randomObject() };
  if (JSON.stringify(auth).length > 48_000) return fuzzHandshake();
  const socket = open(
    namespace,
    auth as Record<string, unknown>,
    chance(0.3) ? `bilik_session=${headerSafe(randomString().slice(0, 60))}` : undefined,
  );
  // socket.io's own parser refuses a handshake whose auth is not an object by closing the connection.
  const expectClose = auth === null || typeof auth !== 'object' || Array.isArray(auth);
  const outcome = await Promise.race([
    new Promise<string>((resolve) => {
      if (expectClose) socket.io.once('close', () => resolve('BAD_REQUEST'));
      setTimeout(() => resolve('no answer within 30 s'), 30_000);
    }),
    handshakeOutcome(socket).then((answer) => (answer === 'connected' ? answer : String(answer.code))),
  ]);
  socket.disconnect();
  if (outcome === 'connected' || outcome === 'INTERNAL' || !(ERROR_CODES as readonly string[]).includes(outcome))
    note(`handshake ${JSON.stringify(auth).slice(0, 120)} → ${outcome}`);
}

async function fuzzHttp(supervisorCookie: string): Promise<void> {
  const authenticated = chance(0.5);
  const headers: Record<string, string> = { origin: server.url };
  if (authenticated) headers.cookie = supervisorCookie;
  const route = pick(['capacity', 'revoke', 'signin', 'booths', 'session'] as const);
  let response: Response;
  const jsonBody = (): string =>
    chance(0.2)
      ? randomString()
      : JSON.stringify(chance(0.5) ? invalidPayload() : { capacity: pick(['5', 5.5, 7, 3, -1, null, [5], { value: 5 }]) });
  switch (route) {
    case 'capacity':
      headers['content-type'] = pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded']);
      response = await fetch(
        `${server.url}/api/officers/${pick([desk.officer.accountId, 'nobody', randomString().slice(0, 40) || 'x'])}/capacity`,
        { method: 'PUT', headers, body: jsonBody() },
      );
      break;
    case 'revoke':
      response = await fetch(
        `${server.url}/api/booths/${encodeUri(pick(['bilik-99', '__proto__', randomString().slice(0, 70) || 'x']))}/revoke`,
        { method: 'POST', headers, body: jsonBody() },
      );
      break;
    case 'signin':
      headers['content-type'] = pick(['application/x-www-form-urlencoded', 'application/json']);
      response = await fetch(`${server.url}/auth/signin`, {
        method: 'POST',
        headers,
        redirect: 'manual',
        body: chance(0.5) ? jsonBody() : `username=${encodeUri(randomString().slice(0, 200))}&password[]=1&__proto__[x]=1`,
      });
      break;
    case 'booths':
      response = await fetch(`${server.url}/api/branches/${encodeUri(randomString().slice(0, 100) || 'x')}/booths`, { headers });
      break;
    case 'session':
      response = await fetch(`${server.url}/api/session`, {
        headers: { cookie: `bilik_session=${headerSafe(randomString().slice(0, 100))}` },
      });
      break;
  }
  const text = await response.text();
  if (response.status < 400 || response.status >= 500) {
    note(`${route} (${authenticated ? 'signed in' : 'anonymous'}) → ${response.status} ${text.slice(0, 160)}`);
    return;
  }
  if (route !== 'signin') {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    if (!isCleanError(body)) note(`${route} → ${response.status} ${text.slice(0, 160)}`);
  }
}

/** What of a desk a command could change (its durations change by themselves). */
function deskOutline(state: DeskState): unknown {
  return {
    talkingToBoothId: state.talkingToBoothId,
    focusedBoothId: state.focusedBoothId,
    booths: state.booths.map((booth) => ({ boothId: booth.boothId, attentionPlace: booth.attentionPlace })),
  };
}

async function snapshot(): Promise<unknown> {
  return {
    accounts: await server.db.query('select id, username, role, capacity from accounts order by id'),
    booths: await server.db.query('select id, credential_hash, revoked_at, out_of_service from booths order by id'),
  };
}

beforeAll(async () => {
  server = await startTestServer();
  desk = await seedDesk(server);
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.close();
});

test(`10,000 malformed messages each get a clean error, and change nothing (seed ${SEED})`, async () => {
  const { cookie: supervisorCookie } = await signedInCookie(server, {
    username: 'penyelia',
    displayName: 'Penyelia',
    role: 'supervisor',
    branchIds: [TEST_BRANCH],
  });
  const officer = open(NAMESPACES.officer, { protocolVersion: PROTOCOL_VERSION }, desk.officer.cookie);
  const deskStates: DeskState[] = [];
  officer.on('desk:changed', (state: DeskState) => deskStates.push(state));
  await connected(officer);
  const booths = Object.values(desk.credentials).map((credential) =>
    open(NAMESPACES.booth, { protocolVersion: PROTOCOL_VERSION, credential }),
  );
  await Promise.all(booths.map(connected));
  while (deskStates.at(-1)?.booths.length !== booths.length) await new Promise((resolve) => officer.once('desk:changed', resolve));
  const deskBefore = deskOutline(deskStates.at(-1)!);
  const before = await snapshot();

  await Promise.all([
    fuzzSocket(officer, OFFICER_EVENTS_KNOWN, OFFICER_EVENTS),
    ...booths.map((booth) => fuzzSocket(booth, BOOTH_EVENTS, EVENTS_PER_BOOTH)),
    inBatches(HANDSHAKES, fuzzHandshake),
    inBatches(HTTP_REQUESTS, () => fuzzHttp(supervisorCookie)),
  ]);

  expect(problems).toEqual([]);
  expect(await snapshot()).toEqual(before);
  // The desk is as the booths' arrival left it: no other booth selected or enlarged, nobody called.
  expect(deskOutline(deskStates.at(-1)!)).toEqual(deskBefore);
  expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
  expect(officer.connected && booths.every((booth) => booth.connected)).toBe(true);
}, 240_000);
