// @ts-check
/**
 * Idempotent set-up shared by `npm start` and `npm test` on a fresh Debian 12
 * clone: Debian packages, npm dependencies, the mediasoup worker, client builds.
 * Each step does nothing (and prints nothing) when it is already done, so a
 * second run takes about a second.
 *
 * Runs before npm dependencies exist, so it uses node built-ins only.
 *
 * CLI: `node scripts/setup.mjs [--for-tests]`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  WORKER_BUILD_DEBIAN_PACKAGES,
  ensureMediasoupWorker,
  isExecutableFile,
  mediasoupWorkerCachePath,
} from './build-mediasoup-worker.mjs';

const SCRIPT_PATH = fileURLToPath(import.meta.url);
const REPO_ROOT = path.dirname(path.dirname(SCRIPT_PATH));
const NODE_MODULES = path.join(REPO_ROOT, 'node_modules');
const LOCK_FILE = path.join(REPO_ROOT, 'package-lock.json');
// Stamps live in node_modules so that `npm ci` (which deletes it) resets them.
const LOCK_HASH_STAMP = path.join(NODE_MODULES, '.bilik-setup-lock-hash');
const CLIENTS_HASH_STAMP = path.join(NODE_MODULES, '.bilik-setup-clients-hash');

/** Inputs of `npm run build:clients`, relative to the repo root. */
const CLIENT_SOURCE_DIRS = ['booth-client', 'officer-console', path.join('shared', 'src')];
/** Build output and installed packages are not sources. */
const CLIENT_SOURCE_IGNORED_NAMES = new Set(['dist', 'node_modules']);

/** @param {string} message */
function logStep(message) {
  process.stderr.write(`[setup] ${message}\n`);
}

/**
 * Runs a command with inherited output and fails if it fails.
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} [env]
 */
function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error) {
    throw new Error(`Cannot run ${command}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.signal ?? `exit code ${result.status}`})`);
  }
}

/**
 * The worker binary the user supplies through MEDIASOUP_WORKER_BIN, if usable.
 * @returns {string | undefined}
 */
function userSuppliedWorker() {
  const workerBin = process.env.MEDIASOUP_WORKER_BIN;
  if (!workerBin) {
    return undefined;
  }
  if (!isExecutableFile(workerBin)) {
    logStep(`MEDIASOUP_WORKER_BIN=${workerBin} is not an executable file; using a locally built worker instead`);
    return undefined;
  }
  return workerBin;
}

/**
 * @param {{ forTests: boolean, workerSupplied: boolean }} options
 * @returns {string[]}
 */
function requiredDebianPackages({ forTests, workerSupplied }) {
  const packages = new Set(['g++']);
  if (!workerSupplied) {
    WORKER_BUILD_DEBIAN_PACKAGES.forEach((p) => packages.add(p));
  }
  // The server embeds its own redis-server unless pointed at an external one.
  if (!process.env.REDIS_URL) {
    packages.add('redis-server');
  }
  // Only the tests drive chromium, start coturn as the TURN relay a firewalled branch uses,
  // run the Grafana dashboard's queries on a real Prometheus scraping the server, start a
  // throw-away PostgreSQL for the nodes of a multi-node deployment to share, and put the compose
  // file's nginx configuration in front of a server.
  if (forTests) {
    packages.add('chromium');
    packages.add('coturn');
    packages.add('prometheus');
    packages.add('postgresql-15');
    packages.add('nginx');
  }
  return [...packages];
}

/**
 * @param {string} debianPackage
 * @returns {boolean}
 */
export function isDebianPackageInstalled(debianPackage) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', debianPackage], { encoding: 'utf8' });
  if (result.error) {
    throw new Error(`Cannot run dpkg-query (${result.error.message}); automatic set-up supports Debian 12 only.`);
  }
  return result.stdout === 'install ok installed';
}

/**
 * The command that runs apt-get as root: directly when we are root, else
 * through passwordless sudo; undefined when neither is possible.
 * @returns {{ command: string, args: string[] } | undefined}
 */
function aptGetAsRoot() {
  if (process.getuid?.() === 0) {
    return { command: 'apt-get', args: [] };
  }
  if (spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) {
    // sudo resets the environment, so the variable goes on its command line.
    return { command: 'sudo', args: ['-n', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'] };
  }
  return undefined;
}

/**
 * Installs packages, or stops with the line a person should run. Also used by composeStack.ts.
 * @param {string[]} missing
 */
export function installDebianPackages(missing) {
  const aptGet = aptGetAsRoot();
  if (aptGet === undefined) {
    throw new Error(
      `Missing Debian packages, and no root or passwordless sudo to install them. Run:\n` + `sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  logStep(`installing Debian packages: ${missing.join(' ')}`);
  const { command, args } = aptGet;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run(command, [...args, 'update'], env);
  run(command, [...args, 'install', '-y', '--no-install-recommends', ...missing], env);
}

/** @param {{ forTests: boolean, workerSupplied: boolean }} options @returns {boolean} whether anything was done */
function ensureDebianPackages(options) {
  const missing = requiredDebianPackages(options).filter((p) => !isDebianPackageInstalled(p));
  if (missing.length === 0) {
    return false;
  }
  installDebianPackages(missing);
  return true;
}

/**
 * @param {string} file
 * @returns {string | undefined}
 */
function readStamp(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * @param {string} workerBin where mediasoup's postinstall should believe the worker is
 * @returns {boolean} whether anything was done
 */
function ensureNpmDependencies(workerBin) {
  const lockHash = createHash('sha256').update(fs.readFileSync(LOCK_FILE)).digest('hex');
  if (fs.existsSync(NODE_MODULES) && readStamp(LOCK_HASH_STAMP) === lockHash) {
    return false;
  }
  logStep('installing npm dependencies (npm ci)');
  // With MEDIASOUP_WORKER_BIN set, mediasoup's postinstall skips downloading
  // or building a worker, which cannot work offline; we build it next.
  run('npm', ['ci', '--no-audit', '--no-fund'], { ...process.env, MEDIASOUP_WORKER_BIN: workerBin });
  fs.writeFileSync(LOCK_HASH_STAMP, lockHash);
  return true;
}

/**
 * Paths (relative to the repo root, sorted) of the client build's source files.
 * @param {string} relativeDir
 * @returns {string[]}
 */
function listSourceFiles(relativeDir) {
  const dir = path.join(REPO_ROOT, relativeDir);
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !CLIENT_SOURCE_IGNORED_NAMES.has(entry.name))
    .flatMap((entry) => {
      const relativePath = path.join(relativeDir, entry.name);
      if (entry.isDirectory()) {
        return listSourceFiles(relativePath);
      }
      return entry.isFile() ? [relativePath] : [];
    })
    .sort();
}

/** @returns {string} hash over the client sources' names and contents, plus the lock file */
function clientSourcesHash() {
  const hash = createHash('sha256');
  for (const file of [...CLIENT_SOURCE_DIRS.flatMap(listSourceFiles), 'package-lock.json']) {
    const content = fs.readFileSync(path.join(REPO_ROOT, file));
    // Name and length delimit each entry, so moving bytes between files changes the hash.
    hash.update(`${file}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex');
}

/** @returns {boolean} whether anything was done */
function ensureClientsBuilt() {
  const sourcesHash = clientSourcesHash();
  if (readStamp(CLIENTS_HASH_STAMP) === sourcesHash) {
    return false;
  }
  logStep('building booth-client and officer-console (npm run build:clients)');
  run('npm', ['run', 'build:clients']);
  fs.writeFileSync(CLIENTS_HASH_STAMP, sourcesHash);
  return true;
}

/**
 * Brings the checkout to a runnable state.
 * @param {{ forTests?: boolean }} [options] forTests: also install what the tests need (chromium)
 * @returns {Promise<{ mediasoupWorkerBin: string }>}
 */
export async function setup({ forTests = false } = {}) {
  const startedAt = Date.now();
  const suppliedWorker = userSuppliedWorker();

  let didWork = ensureDebianPackages({ forTests, workerSupplied: suppliedWorker !== undefined });
  didWork = ensureNpmDependencies(suppliedWorker ?? mediasoupWorkerCachePath()) || didWork;

  let mediasoupWorkerBin = suppliedWorker;
  if (mediasoupWorkerBin === undefined) {
    const alreadyBuilt = isExecutableFile(mediasoupWorkerCachePath());
    if (!alreadyBuilt) {
      logStep('building the mediasoup worker (a few minutes, once per mediasoup version)');
    }
    mediasoupWorkerBin = await ensureMediasoupWorker();
    didWork = !alreadyBuilt || didWork;
  }

  didWork = ensureClientsBuilt() || didWork;

  if (didWork) {
    logStep(`done in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  }
  return { mediasoupWorkerBin };
}

/**
 * The set-up of command-line tools such as `npm run fleet`: npm dependencies only, as they need
 * neither the media worker, Redis nor a browser.
 */
export function setupForTools() {
  ensureNpmDependencies(userSuppliedWorker() ?? mediasoupWorkerCachePath());
}

if (process.argv[1] && path.resolve(process.argv[1]) === SCRIPT_PATH) {
  try {
    await setup({ forTests: process.argv.includes('--for-tests') });
  } catch (error) {
    process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
