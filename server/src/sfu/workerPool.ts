/**
 * mediasoup workers, one per CPU core by default. Desks (routers) go to the least-loaded live
 * worker. A worker that dies is replaced by a new one; whoever listens (the desk registry) is
 * told at once, so the desks it held re-open on live workers. Readiness is degraded meanwhile.
 */
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import type { Logger } from '../logger.js';

export interface WorkerPoolOptions {
  workerCount: number;
  rtcMinPort: number;
  rtcMaxPort: number;
}

/** Pauses between tries to start a replacement worker: doubling from the first, up to the last. */
const REPLACE_RETRY_MS = { first: 500, max: 30_000 };

export class WorkerPool {
  /** Routers on each live worker: its load. */
  private readonly load = new Map<ms.Worker, number>();
  /** Dead workers whose replacements are not running yet. */
  private replacing = 0;
  private readonly diedListeners = new Set<() => void>();
  /** Callers waiting for a live worker while none is. */
  private waitingForLive: Array<() => void> = [];
  private closed = false;

  private constructor(
    private readonly workers: ms.Worker[],
    private readonly options: WorkerPoolOptions,
    private readonly logger: Logger,
  ) {
    for (const worker of workers) this.adopt(worker);
  }

  /** Starts every worker; fails if any cannot start. */
  static async create(options: WorkerPoolOptions, parentLogger: Logger): Promise<WorkerPool> {
    const logger = parentLogger.child({ module: 'worker-pool' });
    const workers: ms.Worker[] = [];
    try {
      for (let index = 0; index < options.workerCount; index++) workers.push(await startWorker(options));
    } catch (error) {
      for (const worker of workers) worker.close();
      throw error;
    }
    logger.info({ workers: workers.map((worker) => worker.pid) }, 'mediasoup workers started');
    return new WorkerPool(workers, options, logger);
  }

  /** The workers' process ids, for health reports and tests. */
  get pids(): number[] {
    return this.workers.map((worker) => worker.pid);
  }

  /** True while every worker is alive and none is being replaced. */
  get healthy(): boolean {
    return this.replacing === 0 && this.workers.every(isLive);
  }

  /** Calls `listener` as soon as a worker has died (its routers are closed by then). */
  onWorkerDied(listener: () => void): void {
    this.diedListeners.add(listener);
  }

  /** The least-loaded live worker, for a new router. */
  pickWorker(): ms.Worker {
    const live = this.workers.filter(isLive);
    if (live.length === 0) throw new Error('No mediasoup worker is alive');
    return live.reduce((best, worker) => ((this.load.get(worker) ?? 0) < (this.load.get(best) ?? 0) ? worker : best));
  }

  /** pickWorker, once a worker is alive: at once, or when a replacement has started. */
  async liveWorker(): Promise<ms.Worker> {
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
    for (const worker of this.workers) worker.close();
    for (const resume of this.waitingForLive.splice(0)) resume();
  }

  private adopt(worker: ms.Worker): void {
    this.load.set(worker, 0);
    worker.observer.on('newrouter', (router) => {
      this.load.set(worker, (this.load.get(worker) ?? 0) + 1);
      router.observer.once('close', () => this.load.set(worker, (this.load.get(worker) ?? 1) - 1));
    });
    worker.once('died', (error) => this.replace(worker, error));
  }

  /** Replaces a dead worker in its slot, trying again with back-off until one starts or the pool closes. */
  private replace(dead: ms.Worker, error: Error): void {
    if (this.closed) return;
    this.logger.error({ workerPid: dead.pid, err: error.message }, 'mediasoup worker died; replacing it');
    this.load.delete(dead);
    this.replacing++;
    for (const listener of this.diedListeners) listener();
    void (async () => {
      for (let pause = REPLACE_RETRY_MS.first; ; pause = Math.min(REPLACE_RETRY_MS.max, pause * 2)) {
        try {
          const worker = await startWorker(this.options);
          if (this.closed) {
            worker.close();
            return;
          }
          this.workers[this.workers.indexOf(dead)] = worker;
          this.adopt(worker);
          this.replacing--;
          this.logger.info({ workerPid: worker.pid, replacedPid: dead.pid }, 'mediasoup worker replaced');
          for (const resume of this.waitingForLive.splice(0)) resume();
          return;
        } catch (startError) {
          this.logger.error({ err: (startError as Error).message, retryInMs: pause }, 'could not start a replacement mediasoup worker');
          await new Promise((resolve) => setTimeout(resolve, pause));
          if (this.closed) return;
        }
      }
    })();
  }
}

function startWorker(options: WorkerPoolOptions): Promise<ms.Worker> {
  return mediasoup.createWorker({ logLevel: 'warn', rtcMinPort: options.rtcMinPort, rtcMaxPort: options.rtcMaxPort });
}

function isLive(worker: ms.Worker): boolean {
  return !worker.died && !worker.closed;
}
