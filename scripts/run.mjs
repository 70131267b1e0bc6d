// @ts-check
/**
 * Entry point of `npm start` and `npm test`: runs the set-up, then the real
 * command with MEDIASOUP_WORKER_BIN pointing at the worker binary.
 *
 * Usage:
 *   node scripts/run.mjs start
 *   node scripts/run.mjs worker                       (the outcome worker alone: npm dependencies only)
 *   node scripts/run.mjs test [extra jest args...]
 *   node scripts/run.mjs script <file.ts> [args...]   (benchmarks: full set-up, as for the tests)
 *   node scripts/run.mjs tool <file.ts> [args...]     (command-line tools: npm dependencies only)
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { setup, setupForTools } from './setup.mjs';
import { supervise } from './supervise.mjs';

const REPO_ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const USAGE =
  'Usage: node scripts/run.mjs start | worker | test [extra jest args...] | script <file.ts> [args...] | tool <file.ts> [args...]';

/**
 * Runs a command with inherited stdio, passing on SIGINT/SIGTERM sent to us
 * (e.g. by a process manager, which signals only this process).
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<number>} the child's exit code, or 1 if a signal ended it
 */
function runChild(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
    /** @param {NodeJS.Signals} signal */
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const stopForwarding = () => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
    };
    child.on('error', (error) => {
      stopForwarding();
      reject(new Error(`Cannot run ${command}: ${error.message}`));
    });
    child.on('exit', (code) => {
      stopForwarding();
      resolve(code ?? 1);
    });
  });
}

/**
 * Runs the server and restarts it when it dies (see supervise.mjs). Through `setpriv
 * --pdeathsig TERM` (util-linux), so that if this process is killed outright the server still
 * gets SIGTERM and stops cleanly instead of running on unsupervised.
 * @returns {Promise<number>}
 */
function start() {
  return supervise({
    name: 'server',
    command: 'setpriv',
    args: ['--pdeathsig', 'TERM', '--', process.execPath, '--import', 'tsx', 'server/src/index.ts'],
    cwd: REPO_ROOT,
  });
}

/**
 * The checks of the whole workspace `npm test` runs before jest, in order (jest only compiles what
 * the tests import, and checks neither lint nor formatting).
 */
const CHECKS = [
  { script: 'typecheck', name: 'Typecheck', hint: '' },
  { script: 'lint', name: 'Lint', hint: '' },
  { script: 'format:check', name: 'Formatting check', hint: ' `npm run format` rewrites the files it lists.' },
];

/**
 * The two jest runs of `npm test`. Suites that start browsers are heavy enough on a 2-core machine
 * that two at once time out, so they run one at a time; the rest (unit and integration suites,
 * which spend much of their time waiting on leases, timers and child processes) run two at a time:
 * 344 s instead of 536 s on the 2-core CI machine. A failure in the first run does not skip the
 * second: CI then reports every failing suite at once.
 */
const JEST_RUNS = [
  { name: 'unit and integration suites', args: ['--maxWorkers=2', '--testPathIgnorePatterns', '/test/e2e/'] },
  {
    name: 'end-to-end (browser) suites',
    args: ['--runInBand', '--testPathIgnorePatterns', '/src/', '/test/(integration|unit)/'],
  },
];

/**
 * Runs the checks, stopping at the first that fails, then both jest runs. Extra jest arguments
 * (e.g. a path pattern) apply to both; a run the pattern leaves empty passes.
 * @param {string[]} jestArgs
 * @returns {Promise<number>}
 */
async function test(jestArgs) {
  for (const { script, name, hint } of CHECKS) {
    const code = await runChild('npm', ['run', '--silent', script]);
    if (code !== 0) {
      process.stderr.write(`${name} (npm run ${script}) failed; not running the tests.${hint}\n`);
      return code;
    }
  }
  let failed = 0;
  for (const run of JEST_RUNS) {
    process.stderr.write(`\nJest: ${run.name}\n`);
    const jest = path.join('node_modules', 'jest', 'bin', 'jest.js');
    const code = await runChild(process.execPath, ['--experimental-vm-modules', jest, '--passWithNoTests', ...run.args, ...jestArgs]);
    if (code !== 0) failed = code;
  }
  return failed;
}

/** @returns {Promise<number>} */
async function main() {
  const [mode, ...extraArgs] = process.argv.slice(2);
  if (mode !== 'start' && mode !== 'worker' && mode !== 'test' && mode !== 'script' && mode !== 'tool') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if ((mode === 'start' || mode === 'worker') && extraArgs.length > 0) {
    process.stderr.write(`${mode} takes no arguments.\n${USAGE}\n`);
    return 2;
  }
  if ((mode === 'script' || mode === 'tool') && extraArgs.length === 0) {
    process.stderr.write(`${mode} needs a file.\n${USAGE}\n`);
    return 2;
  }
  if (mode === 'tool') {
    setupForTools();
    return runChild(process.execPath, ['--import', 'tsx', ...extraArgs]);
  }
  if (mode === 'worker') {
    // No media and no browser apps: the worker needs the npm dependencies only.
    setupForTools();
    return runChild(process.execPath, ['--import', 'tsx', 'server/src/worker.ts']);
  }
  const { mediasoupWorkerBin } = await setup({ forTests: mode !== 'start' });
  // Children inherit it: the server and the tests' servers start workers from it.
  process.env.MEDIASOUP_WORKER_BIN = mediasoupWorkerBin;
  if (mode === 'start') return start();
  if (mode === 'test') return test(extraArgs);
  return runChild(process.execPath, ['--import', 'tsx', ...extraArgs]);
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
