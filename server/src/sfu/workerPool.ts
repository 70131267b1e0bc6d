/**
 * mediasoup workers, one per CPU core by default. Desks (routers) are spread over them.
 * A worker that dies is not replaced here: its desks are gone, so readiness fails until the
 * process is restarted by its supervisor, which also reconnects every client cleanly.
 */
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import type { Logger } from '../logger.js';

export interface WorkerPoolOptions {
  workerCount: number;
  rtcMinPort: number;
  rtcMaxPort: number;
}

export class WorkerPool {
  private nextIndex = 0;
  private closed = false;

  private constructor(private readonly workers: ms.Worker[]) {}

  /** Starts every worker; fails if any cannot start. */
  static async create(options: WorkerPoolOptions, parentLogger: Logger): Promise<WorkerPool> {
    const logger = parentLogger.child({ module: 'worker-pool' });
    const workers: ms.Worker[] = [];
    try {
      for (let index = 0; index < options.workerCount; index++) {
        workers.push(
          await mediasoup.createWorker({
            logLevel: 'warn',
            rtcMinPort: options.rtcMinPort,
            rtcMaxPort: options.rtcMaxPort,
          }),
        );
      }
    } catch (error) {
      for (const worker of workers) worker.close();
      throw error;
    }
    const pool = new WorkerPool(workers);
    for (const worker of workers) {
      worker.on('died', (error) => {
        if (!pool.closed) logger.error({ workerPid: worker.pid, err: error.message }, 'mediasoup worker died');
      });
    }
    logger.info({ workers: workers.map((worker) => worker.pid) }, 'mediasoup workers started');
    return pool;
  }

  /** The workers' process ids, for health reports and tests. */
  get pids(): number[] {
    return this.workers.map((worker) => worker.pid);
  }

  /** True while every worker is alive. */
  get healthy(): boolean {
    return this.workers.every((worker) => !worker.died && !worker.closed);
  }

  /** A live worker for a new router, in turn. */
  pickWorker(): ms.Worker {
    for (let tried = 0; tried < this.workers.length; tried++) {
      const worker = this.workers[this.nextIndex % this.workers.length]!;
      this.nextIndex++;
      if (!worker.died && !worker.closed) return worker;
    }
    throw new Error('No mediasoup worker is alive');
  }

  /** Closes every worker. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const worker of this.workers) worker.close();
  }
}
