/**
 * `npm start`'s supervisor (scripts/supervise.mjs) in a process of its own, watching a small
 * child that stands in for the server: a killed child is restarted with doubling delays that
 * start afresh after a stable run; SIGTERM and SIGINT stop it without a restart; a child that
 * refuses its configuration (exit code 2) is not restarted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const SUPPORT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support');

/**
 * Stands in for the server: stops cleanly on SIGTERM or SIGINT, and says it started only once it
 * does (a signal sent between the two would otherwise kill it on a loaded machine).
 */
const SERVER_STAND_IN = [
  "for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));",
  "process.stdout.write('started ' + process.pid + '\\n');",
  'setInterval(() => {}, 60_000);',
].join(' ');

interface Delays {
  firstMs: number;
  maxMs: number;
  stableMs: number;
}

/** The supervisor process, with what it and its children printed. */
class SupervisorRun {
  private readonly process: ChildProcess;
  private output = '';
  private readonly waiters = new Set<() => void>();
  /** Its exit code. */
  readonly exited: Promise<number | null>;

  constructor(childArgs: string[], delays: Delays) {
    const options = { name: 'server', command: process.execPath, args: childArgs, delays };
    this.process = spawn(process.execPath, [path.join(SUPPORT, 'superviseProcess.mjs'), JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer): void => {
      this.output += chunk.toString();
      for (const check of this.waiters) check();
    };
    this.process.stdout!.on('data', collect);
    this.process.stderr!.on('data', collect);
    this.exited = once(this.process, 'exit').then(([code]) => code as number | null);
  }

  /** Pids of the children started so far, in order. */
  get childPids(): number[] {
    return [...this.output.matchAll(/^started (\d+)$/gm)].map((match) => Number(match[1]));
  }

  /** The supervisor's log lines so far. */
  get log(): string[] {
    return [...this.output.matchAll(/^\[supervisor\] (.*)$/gm)].map((match) => match[1]!);
  }

  /** Resolves with the pid of the `count`-th child once it has started. */
  async child(count: number): Promise<number> {
    await this.until(`child ${count} to start`, () => this.childPids.length >= count);
    return this.childPids[count - 1]!;
  }

  /** Resolves with the first log line matching `pattern`. */
  async logged(pattern: RegExp): Promise<string> {
    await this.until(`a log line matching ${pattern}`, () => this.log.some((line) => pattern.test(line)));
    return this.log.find((line) => pattern.test(line))!;
  }

  signal(signal: NodeJS.Signals): void {
    this.process.kill(signal);
  }

  private until(description: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`Timed out waiting for ${description}; output so far:\n${this.output}`));
      }, timeoutMs);
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const runs: SupervisorRun[] = [];
function supervise(childArgs: string[], delays: Delays): SupervisorRun {
  const run = new SupervisorRun(childArgs, delays);
  runs.push(run);
  return run;
}

afterEach(async () => {
  for (const run of runs.splice(0)) {
    run.signal('SIGTERM');
    await run.exited;
  }
});

test('a server killed with SIGKILL is restarted after a delay that doubles while it keeps dying; each death is one log line', async () => {
  const run = supervise(['-e', SERVER_STAND_IN], { firstMs: 200, maxMs: 5000, stableMs: 60_000 });
  const first = await run.child(1);
  const killedAt = Date.now();
  process.kill(first, 'SIGKILL');
  await run.child(2);
  expect(Date.now() - killedAt).toBeGreaterThanOrEqual(200);
  expect(await run.logged(/restart 1/)).toMatch(/^server exited \(signal SIGKILL\) after \d+\.\d s; restart 1 in 0\.2 s$/);

  process.kill(run.childPids[1]!, 'SIGKILL');
  await run.child(3);
  expect(await run.logged(/restart 2/)).toMatch(/^server exited \(signal SIGKILL\) after \d+\.\d s; restart 2 in 0\.4 s$/);
  expect(run.log).toHaveLength(2);
});

test('SIGTERM to the supervisor stops the server cleanly and restarts nothing', async () => {
  const run = supervise(['-e', SERVER_STAND_IN], { firstMs: 200, maxMs: 5000, stableMs: 60_000 });
  const pid = await run.child(1);
  run.signal('SIGTERM');
  expect(await run.exited).toBe(0);
  expect(run.log).toEqual(['server stopped (exit code 0) after SIGTERM; not restarting']);
  expect(isRunning(pid)).toBe(false);
  expect(run.childPids).toEqual([pid]);
});

test('SIGINT while waiting to restart ends the wait: the supervisor exits and the server is not started again', async () => {
  const run = supervise(['-e', SERVER_STAND_IN], { firstMs: 30_000, maxMs: 30_000, stableMs: 60_000 });
  process.kill(await run.child(1), 'SIGKILL');
  await run.logged(/restart 1 in 30\.0 s/);
  run.signal('SIGINT');
  expect(await run.exited).toBe(0);
  expect(run.log.at(-1)).toBe('SIGINT received while waiting to restart the server; not restarting');
  expect(run.childPids).toHaveLength(1);
});

test('a server that ran for the stable period is restarted after the first delay again', async () => {
  const run = supervise(['-e', SERVER_STAND_IN], { firstMs: 100, maxMs: 5000, stableMs: 1000 });
  process.kill(await run.child(1), 'SIGKILL');
  process.kill(await run.child(2), 'SIGKILL');
  await run.logged(/restart 2 in 0\.2 s/);
  const third = await run.child(3);
  // The behaviour under test is about time passing: let the third run become stable.
  await sleep(1100);
  process.kill(third, 'SIGKILL');
  expect(await run.logged(/restart 3/)).toMatch(/after \d+\.\d s; restart 3 in 0\.1 s$/);
});

test('a server that refuses its configuration (exit code 2) is not restarted; the supervisor exits with 2', async () => {
  const run = supervise(['-e', 'process.exit(2)'], { firstMs: 100, maxMs: 5000, stableMs: 60_000 });
  expect(await run.exited).toBe(2);
  expect(run.log).toEqual([
    expect.stringMatching(/^server exited \(exit code 2\) after \d+\.\d s; not restarting: fix its configuration, then start again$/),
  ]);
});
