/**
 * A private redis-server child process, used when no REDIS_URL is configured, so `npm start`
 * needs nothing else running. Append-only persistence and noeviction, because Redis holds the
 * live queue and losing or evicting it would lose claimants' places.
 *
 * It lives exactly as long as its server:
 * - It is started through `setpriv --pdeathsig TERM` (util-linux, essential on Debian), so the
 *   kernel sends it SIGTERM when the server dies, even of SIGKILL; SIGTERM rather than SIGKILL so
 *   it still finishes its append-only file. Its pid file lets the next start stop one that
 *   survived anyway (redisPidFile.ts).
 * - If it dies while the server runs, it is started again at once on the same port and data,
 *   then after doubling delays while it keeps dying. The server's Redis clients reconnect by
 *   themselves; meanwhile Redis commands fail and readiness says not ready, but calls in session
 *   go on, since their media never touches Redis. Restarting the whole server instead would cut
 *   every call for no gain.
 *
 * Nothing acknowledged is lost when redis-server is killed: Redis writes each command to its
 * append-only file before it replies ("we are required to write the AOF before replying to the
 * client", flushAppendOnlyFile in Redis's aof.c; redis.conf: with the default fsync policy Redis
 * "can lose just one second of writes in a dramatic event like a server power outage, or a single
 * write if something wrong with the Redis process itself happens, but the operating system is
 * still running correctly", that single write being the one not yet acknowledged; see
 * https://redis.io/docs/latest/operate/oss_and_stack/management/persistence/). The written file is
 * in the kernel's page cache, which outlives the process. The exceptions are a machine crash or
 * power cut (up to the last second, appendfsync everysec) and a disk so slow that a background
 * fsync is still running, when Redis may postpone the write for up to 2 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import { forgetRedisPid, recordRedisPid, stopLeftoverRedis } from './redisPidFile.js';

export interface EmbeddedRedisOptions {
  serverBin: string;
  port: number;
  dataDir: string;
}

const READY_LINE = /Ready to accept connections/;
const START_TIMEOUT_MS = 15_000;
/** setpriv's exit code when it cannot run the program it was given. */
const EXEC_FAILED = 127;
/**
 * Delays before restarting a redis-server that died: none the first time, then doubling from
 * `first` up to `max` while it keeps dying; a run of `stableMs` starts the count afresh.
 */
const RESTART_DELAYS = { first: 250, max: 10_000, stableMs: 60_000 };

/** How a redis-server process ended. */
interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One redis-server process that has become ready. */
interface RedisProcess {
  pid: number;
  readyAt: number;
  exited: Promise<Exit>;
}

export class EmbeddedRedis {
  readonly url: string;
  private readonly lifetime = new AbortController();
  private supervision: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | null = null;

  private constructor(
    private readonly options: EmbeddedRedisOptions,
    private readonly logger: Logger,
  ) {
    this.url = `redis://127.0.0.1:${options.port}`;
  }

  /** Stops a redis-server a crashed server left on this data, starts ours, and resolves once it accepts connections. */
  static async start(options: EmbeddedRedisOptions, parentLogger: Logger): Promise<EmbeddedRedis> {
    const logger = parentLogger.child({ module: 'embedded-redis', port: options.port });
    await mkdir(options.dataDir, { recursive: true });
    await stopLeftoverRedis(options, logger);
    const redis = new EmbeddedRedis(options, logger);
    const first = await launch(options, redis.lifetime.signal);
    redis.supervision = redis.keepRunning(first);
    try {
      await recordRedisPid(options.dataDir, first.pid);
    } catch (error) {
      await redis.stop();
      throw error;
    }
    logger.info({ pid: first.pid, dataDir: options.dataDir }, 'embedded redis started');
    return redis;
  }

  /** Stops redis-server (SIGTERM: it finishes its append-only file first) and restarts no more. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  private async terminate(): Promise<void> {
    // Every redis-server we spawn is bound to this signal, which SIGTERMs it.
    this.lifetime.abort();
    await this.supervision;
    await forgetRedisPid(this.options.dataDir);
    this.logger.info('embedded redis stopped');
  }

  /** Restarts redis-server each time it dies, until stopped. */
  private async keepRunning(first: RedisProcess): Promise<void> {
    let current = first;
    let quickDeaths = 0;
    const nextDelayMs = (): number => {
      const delayMs = quickDeaths === 0 ? 0 : Math.min(RESTART_DELAYS.first * 2 ** (quickDeaths - 1), RESTART_DELAYS.max);
      quickDeaths += 1;
      return delayMs;
    };
    for (;;) {
      const exit = await current.exited;
      if (this.lifetime.signal.aborted) return;
      const diedAt = Date.now();
      if (diedAt - current.readyAt >= RESTART_DELAYS.stableMs) quickDeaths = 0;
      let delayMs = nextDelayMs();
      this.logger.error(
        { pid: current.pid, code: exit.code, signal: exit.signal, restartInMs: delayMs },
        'embedded redis exited unexpectedly; restarting it',
      );
      for (;;) {
        if (!(await pause(delayMs, this.lifetime.signal))) return;
        try {
          current = await launch(this.options, this.lifetime.signal);
          break;
        } catch (error) {
          if (this.lifetime.signal.aborted) return;
          delayMs = nextDelayMs();
          this.logger.error({ err: (error as Error).message, restartInMs: delayMs }, 'embedded redis could not restart');
        }
      }
      // Only the next start after a crash reads it; Redis itself runs without it.
      await recordRedisPid(this.options.dataDir, current.pid).catch((error: unknown) => {
        this.logger.warn({ err: (error as Error).message }, 'could not record the embedded redis pid');
      });
      this.logger.info({ pid: current.pid, downMs: Date.now() - diedAt }, 'embedded redis restarted');
    }
  }
}

/** Starts one redis-server, bound to `lifetime`, and resolves once it accepts connections. */
async function launch(options: EmbeddedRedisOptions, lifetime: AbortSignal): Promise<RedisProcess> {
  const child = spawn(
    'setpriv',
    [
      '--pdeathsig',
      'TERM',
      '--',
      options.serverBin,
      '--bind',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--dir',
      options.dataDir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
    ],
    // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and Redis
    // must not stop (and be restarted) while the server is still closing on it.
    { stdio: ['ignore', 'pipe', 'pipe'], signal: lifetime, killSignal: 'SIGTERM', detached: true },
  );
  const exited = exitOf(child);
  try {
    await ready(child, options);
  } catch (error) {
    // Never leave it running behind us. Stopped while starting, it has had SIGTERM already, which
    // lets it finish what it writes; otherwise it failed or hangs, and may be killed outright.
    if (child.pid !== undefined) {
      if (!lifetime.aborted) child.kill('SIGKILL');
      await exited;
    }
    throw error;
  }
  // Keep draining its output so the pipe never fills and blocks redis.
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  child.stderr.resume();
  return { pid: child.pid!, readyAt: Date.now(), exited };
}

/** Resolves when the process has ended (or never started); also absorbs the 'error' a stop raises. */
function exitOf(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    child.on('error', () => {
      if (child.pid === undefined) resolve({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

function ready(child: ChildProcess, options: EmbeddedRedisOptions): Promise<void> {
  const output: string[] = [];
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      if (READY_LINE.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(
        child.pid === undefined
          ? new Error(`Could not run setpriv: ${error.message}. It comes with util-linux: sudo apt-get install -y util-linux`)
          : error,
      );
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === EXEC_FAILED) {
        reject(new Error(`Could not run ${options.serverBin}. Install it: sudo apt-get install -y redis-server`));
      } else {
        reject(new Error(`redis-server exited (${describeExit({ code, signal })}) while starting:\n${output.join('').slice(-2000)}`));
      }
    });
  });
}

function describeExit(exit: Exit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

/** Waits `ms`; resolves false instead if `signal` aborts first. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms === 0) return true;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
