/**
 * bench:compose's handle on its Node desks (scripts/benchNodeDesks.ts): the process started inside
 * a network namespace, each command answered by the event it asks for, a failure there failing
 * the command waiting for it. Installs ffmpeg from Debian's packages first when it is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Received } from './benchDeskPage.js';
import type { NodeDesksCommand, NodeDesksEvent } from './benchNodeDesks.js';
import { processCpuSeconds } from './processCpu.js';
import { installDebianPackages, isDebianPackageInstalled } from './setup.mjs';

const CHILD_SCRIPT = fileURLToPath(new URL('./benchNodeDesks.ts', import.meta.url));
/** Seating every desk takes a few seconds each on a loaded machine; no single answer takes longer. */
const START_TIMEOUT_MS = 20 * 60_000;
const ANSWER_TIMEOUT_MS = 60_000;

/** The process's handle. Commands go one at a time: each waits for its answer before the next is sent. */
export class NodeDesks {
  /** A failure while no command waited: the next command fails with it. */
  private failure: Error | undefined;
  private waiting: { event: NodeDesksEvent['event']; resolve: (event: NodeDesksEvent) => void; reject: (error: Error) => void } | undefined;

  private constructor(
    private readonly child: ChildProcess,
    log: (message: string) => void,
  ) {
    child.on('message', (event: NodeDesksEvent) => {
      if (event.event === 'progress') log(event.message);
      else if (event.event === 'failed') this.fail(new Error(`Node desks: ${event.message}`));
      else if (event.event === this.waiting?.event) this.waiting.resolve(event);
    });
    child.on('exit', (code, signal) => this.fail(new Error(`the Node desks' process exited (${code ?? signal})`)));
  }

  /** The process, in `namespace`, not yet started on any desk. */
  static launch(namespace: string, log: (message: string) => void): NodeDesks {
    if (!isDebianPackageInstalled('ffmpeg')) installDebianPackages(['ffmpeg']);
    const child = spawn('ip', ['netns', 'exec', namespace, process.execPath, '--import', 'tsx', CHILD_SCRIPT], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new NodeDesks(child, log);
  }

  /** Seats each officer at a desk, then each claimant; resolves once all are. */
  async start(command: Omit<Extract<NodeDesksCommand, { command: 'start' }>, 'command'>): Promise<void> {
    await this.ask({ command: 'start', ...command }, 'started', START_TIMEOUT_MS);
  }

  /** What each desk's officer and claimant have received so far. */
  async received(): Promise<Array<{ officer: Received; booth: Received }>> {
    const answer = await this.ask({ command: 'received' }, 'received', ANSWER_TIMEOUT_MS);
    return answer.event === 'received' ? answer.desks : [];
  }

  /** The server ports the desks' media goes to ('udp/40002'), with how many transports use each. */
  async ports(): Promise<Array<[string, number]>> {
    const answer = await this.ask({ command: 'ports' }, 'ports', ANSWER_TIMEOUT_MS);
    return answer.event === 'ports' ? answer.ports : [];
  }

  /** CPU seconds the Node desks' process has used so far (its ffmpeg encoders not included). */
  cpuSeconds(): number {
    return processCpuSeconds(this.child.pid!);
  }

  /** Ends the process, its encoders with it. */
  close(): void {
    if (this.child.connected) this.child.disconnect();
  }

  private ask(command: NodeDesksCommand, event: NodeDesksEvent['event'], timeoutMs: number): Promise<NodeDesksEvent> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<NodeDesksEvent>((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(new Error(`the Node desks did not answer '${command.command}' within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const settle = () => {
        clearTimeout(timer);
        this.waiting = undefined;
      };
      this.waiting = {
        event,
        resolve: (answer) => {
          settle();
          resolve(answer);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      this.child.send(command);
    });
  }

  private fail(error: Error): void {
    if (this.waiting) this.waiting.reject(error);
    else this.failure ??= error;
  }
}
