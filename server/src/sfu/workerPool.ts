/**
 * mediasoup workers, one per CPU core by default, each with its WebRtcServer on one port: the
 * worker in slot i on `rtcPort + i`, UDP and TCP. Desks (routers) go to the least-loaded live
 * worker. A worker that dies is replaced by a new one in its slot, on the same port (what the
 * firewalls let through); whoever listens (the desk registry) is told at once, so the desks it
 * held re-open on live workers. Readiness is degraded meanwhile.
 */
import type { types as ms } from 'mediasoup';
import type { Logger } from '../logger.js';
import { isLive, startMediaWorker, type MediaWorker, type RtcListenOptions } from './mediaWorker.js';

export interface WorkerPoolOptions extends RtcListenOptions {
  workerCount: number;
  /** The first worker's WebRTC port; worker i listens on `rtcPort + i`. */
  rtcPort: number;
}

/** Pauses between tries to start a replacement worker: doubling from the first, up to the last. */
const REPLACE_RETRY_MS = { first: 500, max: 30_000 };

export class WorkerPool {
  /** Routers on each live worker: its load. */
  private readonly load = new Map<MediaWorker, number>();
  /** Dead workers whose replacements are not running yet. */
  private replacing = 0;
  private readonly diedListeners = new Set<() => void>();
  /** Callers waiting for a live worker while none is. */
  private waitingForLive: Array<() => void> = [];
  private closed = false;

  private constructor(
    /** By slot: the worker in slot i listens on `options.rtcPort + i`. */
    private readonly workers: MediaWorker[],
    private readonly options: WorkerPoolOptions,
    private readonly logger: Logger,
  ) {
    for (const worker of workers) this.adopt(worker);
  }

  /** Starts every worker; fails if any cannot start. */
  static async create(options: WorkerPoolOptions, parentLogger: Logger): Promise<WorkerPool> {
    const logger = parentLogger.child({ module: 'worker-pool' });
    const workers: MediaWorker[] = [];
    try {
      for (let slot = 0; slot < options.workerCount; slot++) workers.push(await startMediaWorker(options, options.rtcPort + slot, logger));
    } catch (error) {
      for (const { worker } of workers) worker.close();
      throw error;
    }
    logger.info({ workers: workers.map(({ worker, port }) => ({ pid: worker.pid, port })) }, 'mediasoup workers started');
    return new WorkerPool(workers, options, logger);
  }

  /** The workers' process ids, for health reports and tests. */
  get pids(): number[] {
    return this.workers.map(({ worker }) => worker.pid);
  }

  /** The worker in each slot, live or dead, in slot order: a replacement takes its dead predecessor's slot. */
  get slots(): readonly ms.Worker[] {
    return this.workers.map(({ worker }) => worker);
  }

  /** True while every worker is alive and none is being replaced. */
  get healthy(): boolean {
    return this.replacing === 0 && this.workers.every(isLive);
  }

  /** Calls `listener` as soon as a worker has died (its routers are closed by then). */
  onWorkerDied(listener: () => void): void {
    this.diedListeners.add(listener);
  }

  /** The worker in each slot now (a dead one until its replacement runs), for tests and reports. */
  get mediaWorkers(): readonly MediaWorker[] {
    return [...this.workers];
  }

  /** The least-loaded live worker, for a new router. */
  pickWorker(): MediaWorker {
    const live = this.workers.filter(isLive);
    if (live.length === 0) throw new Error('No mediasoup worker is alive');
    return live.reduce((best, worker) => ((this.load.get(worker) ?? 0) < (this.load.get(best) ?? 0) ? worker : best));
  }

  /** pickWorker, once a worker is alive: at once, or when a replacement has started. */
  async liveWorker(): Promise<MediaWorker> {
    while (!this.workers.some(isLive)) {
      if (this.closed) throw new Error('The worker pool is closed');
      await new Promise<void>((resolve) => this.waitingForLive.push(resolve));
    }
    return this.pickWorker();
  }

  /** Closes every worker. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const { worker } of this.workers) worker.close();
    for (const resume of this.waitingForLive.splice(0)) resume();
  }

  private adopt(mediaWorker: MediaWorker): void {
    this.load.set(mediaWorker, 0);
    mediaWorker.worker.observer.on('newrouter', (router: ms.Router) => {
      this.load.set(mediaWorker, (this.load.get(mediaWorker) ?? 0) + 1);
      router.observer.once('close', () => this.load.set(mediaWorker, (this.load.get(mediaWorker) ?? 1) - 1));
    });
    mediaWorker.worker.once('died', (error) => this.replace(mediaWorker, error));
  }

  /**
   * Replaces a dead worker in its slot, on its port, trying again with back-off until one starts
   * or the pool closes. Each try waits a few seconds for the port (startMediaWorker): the dead
   * worker's sockets close with its process.
   */
  private replace(dead: MediaWorker, error: Error): void {
    if (this.closed) return;
    this.logger.error({ workerPid: dead.worker.pid, port: dead.port, err: error.message }, 'mediasoup worker died; replacing it');
    this.load.delete(dead);
    this.replacing++;
    for (const listener of this.diedListeners) listener();
    void (async () => {
      for (let pause = REPLACE_RETRY_MS.first; ; pause = Math.min(REPLACE_RETRY_MS.max, pause * 2)) {
        try {
          const replacement = await startMediaWorker(this.options, dead.port, this.logger);
          if (this.closed) {
            replacement.worker.close();
            return;
          }
          this.workers[this.workers.indexOf(dead)] = replacement;
          this.adopt(replacement);
          this.replacing--;
          this.logger.info(
            { workerPid: replacement.worker.pid, replacedPid: dead.worker.pid, port: replacement.port },
            'mediasoup worker replaced',
          );
          for (const resume of this.waitingForLive.splice(0)) resume();
          return;
        } catch (startError) {
          this.logger.error(
            { port: dead.port, err: (startError as Error).message, retryInMs: pause },
            'could not start a replacement mediasoup worker',
          );
          await new Promise((resolve) => setTimeout(resolve, pause));
          if (this.closed) return;
        }
      }
    })();
  }
}
