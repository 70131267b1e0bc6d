/**
 * Starts the real Bilik server for a test: real mediasoup workers, its own embedded Redis on a
 * free port, and a throw-away data directory.
 */
import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { cp, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { Account } from '../../server/src/accounts/accountStore.js';
import type { Role } from '../../server/src/auth/roles.js';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/logger.js';
import { startServer, type RunningServer } from '../../server/src/server.js';

export interface TestServer extends RunningServer {
  dataDir: string;
}

/**
 * Where test services listen (HTTP servers, Redis, PostgreSQL, coturn): below Linux's ephemeral
 * ports (32768 and up). A port the kernel hands out for port 0 can be handed to an outgoing
 * connection of another test process between its release and the service binding it (seen:
 * EADDRINUSE in a parallel run); these never are. A random pick keeps parallel suites apart.
 */
const SERVICE_TEST_PORTS = { first: 10_000, last: 19_999 };

/** A port free for TCP and UDP on every address, for one test service. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = randomInt(SERVICE_TEST_PORTS.first, SERVICE_TEST_PORTS.last + 1);
    if (await portsFree(port, 1)) return port;
  }
  throw new Error(`No free UDP and TCP port between ${SERVICE_TEST_PORTS.first} and ${SERVICE_TEST_PORTS.last}`);
}

/**
 * Where test servers' mediasoup workers listen: also below the ephemeral ports, and apart from
 * SERVICE_TEST_PORTS. A random start keeps test processes running side by side (other worktrees) apart.
 */
const RTC_TEST_PORTS = { first: 20_000, last: 32_000 };

/**
 * A base port from which `count` consecutive ports are free for both UDP and TCP: RTC_PORT for
 * a test server with `count` mediasoup workers, each of which takes one port for both.
 */
export async function freeRtcPorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = randomInt(RTC_TEST_PORTS.first, RTC_TEST_PORTS.last - count + 2);
    if (await portsFree(base, count)) return base;
  }
  throw new Error(`No ${count} consecutive free UDP and TCP ports between ${RTC_TEST_PORTS.first} and ${RTC_TEST_PORTS.last}`);
}

/** Whether every port from `base` on, `count` of them, can be bound for UDP and TCP on every address. */
async function portsFree(base: number, count: number): Promise<boolean> {
  const held: Array<() => Promise<void>> = [];
  try {
    for (let port = base; port < base + count; port++) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '0.0.0.0', resolve));
      held.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const socket = dgram.createSocket('udp4');
      await new Promise<void>((resolve, reject) => socket.once('error', reject).bind(port, '0.0.0.0', resolve));
      held.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    }
    return true;
  } catch {
    return false;
  } finally {
    await Promise.all(held.map((release) => release()));
  }
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * An empty PGlite cluster (no tables), made once per machine and PGlite version and copied into
 * each test server's data directory: creating a cluster (initdb, in WebAssembly) takes about 6 s
 * and opening a copy under 1 s, and most test files start a server. The server still applies
 * every migration to it; the tests that start the real entry in a child process
 * (serverProcess.ts) still create their clusters from nothing.
 */
async function emptyPgliteCluster(): Promise<string> {
  const { version } = JSON.parse(await readFile(path.join(REPO_ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as {
    version: string;
  };
  const template = path.join(os.tmpdir(), `bilik-test-pglite-${version}`);
  if (
    await stat(template).then(
      () => true,
      () => false,
    )
  )
    return template;
  // Built aside and renamed into place, so that no reader ever copies half a cluster.
  const building = await mkdtemp(`${template}.building-`);
  const cluster = await PGlite.create(building);
  await cluster.close();
  // Another test process may have put its own in place meanwhile: either will do.
  await rename(building, template).catch(() => rm(building, { recursive: true, force: true }));
  return template;
}

/** Starts a server with test defaults, its workers on free ports; `overrides` are environment variables. */
export async function startTestServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bilik-test-'));
  // Where the server keeps PGlite (config.ts), unless the test points it at PostgreSQL.
  if (overrides.DATABASE_URL === undefined) await cp(await emptyPgliteCluster(), path.join(dataDir, 'pglite'), { recursive: true });
  const config = loadConfig({
    MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN,
    PORT: '0',
    REDIS_EMBEDDED_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    MEDIASOUP_WORKERS: '1',
    RTC_PORT: String(await freeRtcPorts(Number(overrides.MEDIASOUP_WORKERS ?? 1))),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Tests seed exactly what they need (seedDesk); the demo has its own test.
    DEMO_SEED: 'off',
    // Approvals are forwarded and tracked at once, not drawn for review one time in ten; the review test sets its own share.
    REVIEW_SHARE: '0',
    ...overrides,
  });
  const server = await startServer(config, createLogger(config.logLevel));
  return {
    ...server,
    dataDir,
    close: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The password of every account the tests create. */
export const TEST_PASSWORD = 'kata sandi uji coba';
export const TEST_BRANCH = 'test-branch';
/** An officer on duty with their booths assigned: the officer signed in, the booths enrolled. */
export interface SeededDesk {
  officer: { accountId: string; username: string; token: string; cookie: string };
  /** Each booth's device credential, by booth id. */
  credentials: Record<string, string>;
}

/**
 * Creates a staff account with TEST_PASSWORD and signs it in; `cookie` is the session as a
 * Cookie header value.
 */
export async function signedInCookie(
  server: RunningServer,
  options: { username: string; role: Role; branchIds: string[]; displayName?: string },
): Promise<{ account: Account; token: string; cookie: string }> {
  const { displayName = 'Staf Uji', ...rest } = options;
  const account = await server.accounts.createAccount({ ...rest, displayName, password: TEST_PASSWORD });
  const { token } = await server.sessions.create(account);
  return { account, token, cookie: `bilik_session=${token}` };
}

/**
 * Creates officer `petugas-1` and booths bilik-1 to bilik-N (six by default) in one branch,
 * signs the officer in and enrols the booths, as an administrator would. Nobody is on duty and
 * no booth has started a visit.
 */
export async function seedBranch(server: RunningServer, options: { capacity?: number; booths?: number } = {}): Promise<SeededDesk> {
  await server.accounts.createBranch({ id: TEST_BRANCH, name: 'Cabang Uji' });
  const { account, token, cookie } = await signedInCookie(server, {
    username: 'petugas-1',
    displayName: 'Petugas Uji',
    role: 'officer',
    branchIds: [TEST_BRANCH],
  });
  if (options.capacity !== undefined) await server.accounts.setCapacity(account.id, options.capacity, { kind: 'system' });
  const credentials: Record<string, string> = {};
  for (let number = 1; number <= (options.booths ?? 6); number += 1) {
    const boothId = `bilik-${number}`;
    await server.booths.createBooth({ id: boothId, branchId: TEST_BRANCH, name: boothId }, { kind: 'system' });
    credentials[boothId] = await server.booths.issueCredential(boothId, { kind: 'system' });
  }
  return { officer: { accountId: account.id, username: account.username, token, cookie }, credentials };
}

/**
 * seedBranch with six booths, then puts the officer on duty and starts each booth's visit
 * through the scheduler, as the console and the claimants would, so the booths (as many as the
 * capacity allows, in order) are assigned to the officer's desk.
 */
export async function seedDesk(server: RunningServer, options: { capacity?: number } = {}): Promise<SeededDesk> {
  const desk = await seedBranch(server, options);
  await server.scheduler.officerOnline(desk.officer.accountId, options.capacity ?? 6, [TEST_BRANCH], 'seed');
  for (const boothId of Object.keys(desk.credentials)) {
    await server.scheduler.boothStart(boothId, { queueId: TEST_BRANCH, service: 'jht', ticket: null, priority: false }, 'seed');
  }
  return desk;
}

/** Resolves once `condition` holds, checking every `intervalMs`; rejects after `timeoutMs`. */
export async function waitFor(
  description: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${description}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
