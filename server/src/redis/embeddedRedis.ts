/**
 * A private redis-server child process, used when no REDIS_URL is configured, so `npm start`
 * needs nothing else running. Append-only persistence and noeviction, because Redis holds the
 * live queue and losing or evicting it would lose claimants' places.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import type { Logger } from '../logger.js';

export interface EmbeddedRedisOptions {
  serverBin: string;
  port: number;
  dataDir: string;
}

const READY_LINE = /Ready to accept connections/;
const START_TIMEOUT_MS = 15_000;

export class EmbeddedRedis {
  private stopping: Promise<void> | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly logger: Logger,
  ) {}

  /** Starts redis-server and resolves once it accepts connections. */
  static async start(options: EmbeddedRedisOptions, parentLogger: Logger): Promise<EmbeddedRedis> {
    const logger = parentLogger.child({ module: 'embedded-redis', port: options.port });
    await mkdir(options.dataDir, { recursive: true });
    const child = spawn(
      options.serverBin,
      [
        '--bind', '127.0.0.1',
        '--port', String(options.port),
        '--dir', options.dataDir,
        '--appendonly', 'yes',
        '--appendfsync', 'everysec',
        '--maxmemory-policy', 'noeviction',
        '--save', '',
        '--daemonize', 'no',
        '--protected-mode', 'yes',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output: string[] = [];
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      const onData = (chunk: Buffer): void => {
        const text = chunk.toString();
        output.push(text);
        if (READY_LINE.test(text)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`Could not run ${options.serverBin}: ${error.message}. Install it: sudo apt-get install -y redis-server`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with code ${code} while starting:\n${output.join('').slice(-2000)}`));
      });
    });
    try {
      await ready;
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    // Keep draining its output so the pipe never fills and blocks redis.
    child.stdout.removeAllListeners('data');
    child.stdout.resume();
    child.stderr.resume();
    const redis = new EmbeddedRedis(child, `redis://127.0.0.1:${options.port}`, logger);
    child.once('exit', (code, signal) => {
      if (!redis.stopping) logger.error({ code, signal }, 'embedded redis exited unexpectedly');
    });
    logger.info({ pid: child.pid, dataDir: options.dataDir }, 'embedded redis started');
    return redis;
  }

  /** Stops redis-server; SIGTERM makes it flush the append-only file first. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  private async terminate(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
    this.logger.info('embedded redis stopped');
  }
}
