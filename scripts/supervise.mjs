// @ts-check
/**
 * Keeps a child process running, as `npm start` does for the server: when it dies it is started
 * again after a delay that doubles while it keeps dying quickly and starts afresh after a stable
 * run. SIGINT/SIGTERM sent to us are passed on to the child, and then nothing is restarted.
 * Each death, restart and stop is one line on stderr. Node built-ins only.
 */
import { spawn } from 'node:child_process';

/** Exit code with which the server refuses its configuration: restarting cannot help. */
export const CONFIG_ERROR_EXIT_CODE = 2;

/**
 * @typedef {object} RestartDelays
 * @property {number} firstMs  delay before the first restart after a stable run
 * @property {number} maxMs    the doubling stops here
 * @property {number} stableMs a run at least this long resets the delay to `firstMs`
 */

/** @type {RestartDelays} */
export const DEFAULT_RESTART_DELAYS = { firstMs: 500, maxMs: 30_000, stableMs: 60_000 };

/**
 * @typedef {object} SuperviseOptions
 * @property {string} name     what the log lines call the child, e.g. 'server'
 * @property {string} command
 * @property {string[]} args
 * @property {string} cwd
 * @property {RestartDelays} [delays]
 * @property {(line: string) => void} [log]
 */

/**
 * Runs the child until we are asked to stop or it exits in a way restarting cannot mend: with
 * code 0 (it was stopped on purpose) or CONFIG_ERROR_EXIT_CODE.
 * @param {SuperviseOptions} options
 * @returns {Promise<number>} the exit code for our own process: the last child's, 1 if a signal ended it
 */
export function supervise(options) {
  const { name, command, args, cwd, delays = DEFAULT_RESTART_DELAYS } = options;
  const log = options.log ?? ((line) => process.stderr.write(`[supervisor] ${line}\n`));
  return new Promise((resolve) => {
    /** @type {import('node:child_process').ChildProcess | null} */
    let child = null;
    /** @type {NodeJS.Timeout | null} */
    let restartTimer = null;
    /** @type {NodeJS.Signals | null} */
    let stopSignal = null;
    let restarts = 0;
    let nextDelayMs = delays.firstMs;

    /** @param {number} code */
    const finish = (code) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(code);
    };

    /** @param {NodeJS.Signals} signal */
    function onSignal(signal) {
      stopSignal = signal;
      if (child !== null) {
        // Passed on every time: a second Ctrl-C reaches the child too.
        child.kill(signal);
      } else if (restartTimer !== null) {
        clearTimeout(restartTimer);
        log(`${signal} received while waiting to restart the ${name}; not restarting`);
        finish(0);
      }
    }

    function run() {
      restartTimer = null;
      const startedAt = Date.now();
      const running = spawn(command, args, { cwd, stdio: 'inherit' });
      child = running;
      running.on('error', (error) => {
        if (running.pid !== undefined) return;
        // It never started, and will not on a second try either.
        log(`cannot run the ${name}: ${error.message}`);
        child = null;
        finish(1);
      });
      running.on('exit', (code, signal) => {
        child = null;
        const ranMs = Date.now() - startedAt;
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        if (stopSignal !== null) {
          log(`${name} stopped (${how}) after ${stopSignal}; not restarting`);
          finish(code ?? 1);
          return;
        }
        if (code === 0 || code === CONFIG_ERROR_EXIT_CODE) {
          const why = code === 0 ? 'it was stopped on purpose' : 'fix its configuration, then start again';
          log(`${name} exited (${how}) after ${seconds(ranMs)}; not restarting: ${why}`);
          finish(code);
          return;
        }
        if (ranMs >= delays.stableMs) nextDelayMs = delays.firstMs;
        const delayMs = nextDelayMs;
        nextDelayMs = Math.min(nextDelayMs * 2, delays.maxMs);
        restarts += 1;
        log(`${name} exited (${how}) after ${seconds(ranMs)}; restart ${restarts} in ${seconds(delayMs)}`);
        restartTimer = setTimeout(run, delayMs);
      });
    }

    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    run();
  });
}

/** @param {number} ms */
function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
