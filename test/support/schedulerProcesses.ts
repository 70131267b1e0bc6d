/** Starts and drives schedulerProcess.ts children: separate processes sharing one Redis. */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { SchedulerEvent } from '../../server/src/scheduler/scheduler.js';
import type { SchedulerCall, SchedulerMethod } from './schedulerProcess.js';

export type CallResult = { events: SchedulerEvent[]; ms: number } | { error: string };

const entry = fileURLToPath(new URL('./schedulerProcess.ts', import.meta.url));

export class SchedulerProcess {
  private nextId = 0;
  private readonly pending = new Map<number, (result: CallResult) => void>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: { id?: number } & CallResult) => {
      if (message.id === undefined) return;
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
  }

  /** Forks a process running a Scheduler on `redisUrl`; resolves once it is ready. */
  static async start(redisUrl: string): Promise<SchedulerProcess> {
    const child = fork(entry, [redisUrl], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [message] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => [null])])) as [unknown];
    if (message === null) throw new Error('The scheduler process exited while starting');
    return new SchedulerProcess(child);
  }

  /** Calls a Scheduler method in the child. */
  call(method: SchedulerMethod, ...args: unknown[]): Promise<CallResult> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ id, method, args } satisfies SchedulerCall);
    });
  }

  async stop(): Promise<void> {
    const exited = once(this.child, 'exit');
    this.child.disconnect();
    this.child.kill('SIGTERM');
    await exited;
  }
}
