/**
 * The embedded Redis's life next to its server: restarted in place when it dies, a leftover from
 * a crashed server stopped at the next start (its data kept), and never taken from a server that
 * is still running. Real redis-server processes on throw-away data directories.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { createLogger } from '../../server/src/logger.js';
import { connectRedis } from '../../server/src/redis/connectRedis.js';
import { EmbeddedRedis, type EmbeddedRedisOptions } from '../../server/src/redis/embeddedRedis.js';
import { EmbeddedRedisInUseError, recordRedisPid } from '../../server/src/redis/redisPidFile.js';
import { freePort, waitFor } from '../support/testServer.js';

const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
let options: EmbeddedRedisOptions;
const cleanups: Array<() => Promise<void> | void> = [];

beforeEach(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bilik-embedded-redis-'));
  options = { serverBin: 'redis-server', port: await freePort(), dataDir };
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(): Promise<EmbeddedRedis> {
  const redis = await EmbeddedRedis.start(options, logger);
  cleanups.push(() => redis.stop());
  return redis;
}

async function client(url: string): Promise<Redis> {
  const connection = await connectRedis(url, logger);
  cleanups.push(() => connection.disconnect());
  return connection;
}

async function serverPid(redis: Redis): Promise<number> {
  return Number(/process_id:(\d+)/.exec(await redis.info('server'))![1]);
}

/** Whether the process has exited: gone, or a zombie its new parent has not reaped yet. */
async function hasExited(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

test('a redis-server killed while it runs is started again on the same port, with every acknowledged write, and clients reconnect', async () => {
  const embedded = await started();
  const redis = await client(embedded.url);
  await redis.set('bilik:test:kept', 'antrian');
  const killed = await serverPid(redis);
  process.kill(killed, 'SIGKILL');
  await waitFor('the client to reach a new redis-server', async () => (await serverPid(redis).catch(() => killed)) !== killed);
  expect(await redis.get('bilik:test:kept')).toBe('antrian');
});

test('a redis-server a crashed server left running on the data directory is stopped at start, and its data is kept', async () => {
  // A redis-server whose server is gone, as one started without the parent-death signal would be.
  const daemonPidFile = path.join(options.dataDir, 'daemon.pid');
  const launcher = spawn(options.serverBin, [
    '--bind',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--dir',
    options.dataDir,
    '--appendonly',
    'yes',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'yes',
    '--pidfile',
    daemonPidFile,
  ]);
  await once(launcher, 'exit');
  // The launcher exits once it has forked; the daemon writes its pid file after it has bound its port.
  await waitFor('the leftover redis-server to listen', () => existsSync(daemonPidFile));
  const leftover = await client(`redis://127.0.0.1:${options.port}`);
  const leftoverPid = await serverPid(leftover);
  cleanups.push(async () => {
    if (!(await hasExited(leftoverPid))) process.kill(leftoverPid, 'SIGKILL');
  });
  await leftover.set('bilik:test:kept', 'antrian');
  leftover.disconnect();
  await recordRedisPid(options.dataDir, leftoverPid);

  const embedded = await started();
  expect(await hasExited(leftoverPid)).toBe(true);
  const redis = await client(embedded.url);
  expect(await serverPid(redis)).not.toBe(leftoverPid);
  expect(await redis.get('bilik:test:kept')).toBe('antrian');
});

test('a second start on a data directory whose Redis belongs to a running server is refused, and that Redis is untouched', async () => {
  const running = await started();
  const redis = await client(running.url);
  const pid = await serverPid(redis);
  await expect(EmbeddedRedis.start(options, logger)).rejects.toThrow(EmbeddedRedisInUseError);
  await expect(EmbeddedRedis.start(options, logger)).rejects.toThrow(`belongs to a Bilik server that is running (process ${process.pid})`);
  expect(await serverPid(redis)).toBe(pid);
});
