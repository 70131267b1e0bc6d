/**
 * The embedded Redis's pid file: which redis-server serves a data directory, and which server
 * process started it. A server killed outright (SIGKILL, out of memory) cannot stop its Redis;
 * the parent-death signal normally does (see embeddedRedis.ts), and this file lets the next start
 * find and stop one that is still there, since it would hold the port and the append-only file.
 * Before signalling a pid from the file we check in /proc that it is that redis-server, on this
 * port and this data directory: pids are reused, and a restarted container starts at 1 again.
 */
import { readFile, readlink, realpath, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Logger } from '../logger.js';

const FILE_NAME = 'embedded-redis.pid.json';
/** How long a stale redis-server gets to finish its append-only file after SIGTERM, then after SIGKILL. */
const STOP_TIMEOUT_MS = { term: 10_000, kill: 2_000 };
/** A process that is not our child cannot be waited for; its /proc entry is looked at this often. */
const POLL_MS = 50;

const pidFileSchema = z.object({ redisPid: z.number().int().positive(), serverPid: z.number().int().positive() });

/** Where the embedded Redis listens and keeps its files; the identity checked before signalling. */
export interface RedisIdentity {
  serverBin: string;
  port: number;
  dataDir: string;
}

/** The data directory's Redis belongs to another server that is still running; start-up stops. */
export class EmbeddedRedisInUseError extends Error {
  override name = 'EmbeddedRedisInUseError';
}

/** Records that this server process started redis-server `redisPid` on `dataDir`. */
export async function recordRedisPid(dataDir: string, redisPid: number): Promise<void> {
  const file = path.join(dataDir, FILE_NAME);
  // Written aside, then renamed: a crash never leaves half a file.
  const draft = `${file}.${process.pid}.tmp`;
  await writeFile(draft, JSON.stringify({ redisPid, serverPid: process.pid }));
  await rename(draft, file);
}

/** Removes the pid file once its redis-server has stopped. */
export async function forgetRedisPid(dataDir: string): Promise<void> {
  await rm(path.join(dataDir, FILE_NAME), { force: true });
}

/**
 * Stops the redis-server a previous server left running on this data directory, if any, and
 * waits until it has exited. Refuses (EmbeddedRedisInUseError) when its server is still running.
 */
export async function stopLeftoverRedis(identity: RedisIdentity, logger: Logger): Promise<void> {
  const recorded = await readPidFile(identity.dataDir);
  if (recorded === null) return;
  const found = await inspect(recorded.redisPid);
  if (found === null || found.state === 'Z' || !(await isOurRedis(found, identity))) {
    await forgetRedisPid(identity.dataDir);
    return;
  }
  // A process's parent is alive by definition (orphans are handed to another process), so the
  // server that started it still runs, maybe this very process.
  if (found.parentPid === recorded.serverPid) {
    throw new EmbeddedRedisInUseError(
      `The embedded Redis in ${identity.dataDir} belongs to a Bilik server that is running (process ${recorded.serverPid}). ` +
        'Stop that server first, or give this one its own DATA_DIR and REDIS_EMBEDDED_PORT.',
    );
  }
  logger.warn({ pid: recorded.redisPid }, 'stopping the embedded redis a previous server left running');
  // SIGTERM: Redis finishes its append-only file before exiting.
  if (!(await signalAndWait(recorded.redisPid, 'SIGTERM', STOP_TIMEOUT_MS.term))) {
    logger.error({ pid: recorded.redisPid, waitedMs: STOP_TIMEOUT_MS.term }, 'leftover embedded redis ignored SIGTERM; killing it');
    if (!(await signalAndWait(recorded.redisPid, 'SIGKILL', STOP_TIMEOUT_MS.kill))) {
      throw new Error(`The embedded Redis a previous server left running (process ${recorded.redisPid}) does not exit; stop it by hand.`);
    }
  }
  await forgetRedisPid(identity.dataDir);
}

async function readPidFile(dataDir: string): Promise<z.infer<typeof pidFileSchema> | null> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, FILE_NAME), 'utf8');
  } catch {
    return null;
  }
  try {
    return pidFileSchema.parse(JSON.parse(text));
  } catch {
    // Nothing to identify a process by; whatever holds the port will show when Redis starts.
    return null;
  }
}

interface ProcessInfo {
  pid: number;
  /** The executable's name as the kernel keeps it (15 characters at most). */
  name: string;
  /** One letter: R, S, D, Z (exited, not yet reaped), ... */
  state: string;
  parentPid: number;
  /** redis-server rewrites its command line to its title, e.g. "redis-server 127.0.0.1:6390". */
  commandLine: string;
}

/** What /proc says of a process, or null when there is no such process. */
async function inspect(pid: number): Promise<ProcessInfo | null> {
  try {
    const [stat, commandLine] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/cmdline`, 'utf8')]);
    // "pid (name) state ppid ...": the name may itself contain spaces and parentheses.
    const nameEnd = stat.lastIndexOf(')');
    const [state = '', parentPid = ''] = stat.slice(nameEnd + 2).split(' ');
    return {
      pid,
      name: stat.slice(stat.indexOf('(') + 1, nameEnd),
      state,
      parentPid: Number(parentPid),
      commandLine: commandLine.replaceAll('\0', ' ').trim(),
    };
  } catch {
    return null;
  }
}

/** Whether the process is our redis-server: its executable's name, our port, and our data directory as its working directory. */
async function isOurRedis(found: ProcessInfo, identity: RedisIdentity): Promise<boolean> {
  if (found.name !== path.basename(identity.serverBin).slice(0, 15)) return false;
  // Its title once running, its arguments just after it started.
  if (!new RegExp(`(?::|--port )${identity.port}(?: |$)`).test(found.commandLine)) return false;
  try {
    // Redis runs in its --dir.
    return (await readlink(`/proc/${found.pid}/cwd`)) === (await realpath(identity.dataDir));
  } catch {
    // Not ours to look at (another user's process): not ours to signal either.
    return false;
  }
}

/** Signals `pid` and resolves true once it has exited, false if it is still there after `timeoutMs`. */
async function signalAndWait(pid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
  try {
    process.kill(pid, signal);
  } catch {
    return true;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await inspect(pid);
    if (found === null || found.state === 'Z') return true;
    await sleep(POLL_MS);
  }
  return false;
}
