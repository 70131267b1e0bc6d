// @ts-check
/**
 * Builds mediasoup's C++ worker (node_modules/mediasoup/worker) against Debian 12
 * system libraries and caches the binary outside the repo.
 *
 * Why: mediasoup's own postinstall downloads a prebuilt worker from GitHub, or
 * builds one with meson/ninja from PyPI and wrap subprojects from GitHub and
 * wrapdb. None of those hosts is reachable from our machines, whereas Debian 12
 * ships the same versions of every library mediasoup bundles. So we copy the
 * worker sources to a temporary directory, rewire its meson files to use the
 * system libraries, and compile only the `mediasoup-worker` executable.
 *
 * Runs before npm dependencies exist (setup.mjs imports it), so it uses node
 * built-ins only.
 *
 * CLI: `node scripts/build-mediasoup-worker.mjs` prints the binary path on
 * stdout; progress goes to stderr.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT_PATH = fileURLToPath(import.meta.url);
const REPO_ROOT = path.dirname(path.dirname(SCRIPT_PATH));
const MEDIASOUP_DIR = path.join(REPO_ROOT, 'node_modules', 'mediasoup');
const WORKER_SOURCE_DIR = path.join(MEDIASOUP_DIR, 'worker');

/** What the worker build needs from the worker source tree (tests, fuzzer and wraps are left out). */
const WORKER_SOURCE_ENTRIES = ['meson.build', 'meson_options.txt', 'include', 'src', 'deps'];

/** Debian's libsrtp2-dev puts srtp.h here, while the worker includes it as <srtp.h>. */
const SRTP2_INCLUDE_DIR = '/usr/include/srtp2';

/**
 * Abseil pkg-config modules standing in for the wrap's coarse absl_*_dep
 * variables; chosen from the absl headers the worker and its libwebrtc copy include.
 */
const ABSL_DEPENDENCIES = {
  absl_container_dep: [
    'absl_flat_hash_map',
    'absl_flat_hash_set',
    'absl_btree',
    'absl_inlined_vector',
    'absl_memory',
  ],
  absl_strings_dep: ['absl_strings'],
  absl_types_dep: ['absl_optional'],
};

/**
 * One Debian package and how to tell it is installed.
 * @typedef {{ debianPackage: string, command?: string, pkgConfigModules?: string[], header?: string }} Prerequisite
 */

/** @type {Prerequisite[]} */
const PREREQUISITES = [
  { debianPackage: 'meson', command: 'meson' },
  { debianPackage: 'ninja-build', command: 'ninja' },
  { debianPackage: 'pkg-config', command: 'pkg-config' },
  { debianPackage: 'g++', command: 'g++' },
  { debianPackage: 'libssl-dev', pkgConfigModules: ['openssl'] },
  { debianPackage: 'libuv1-dev', pkgConfigModules: ['libuv'] },
  {
    debianPackage: 'libsrtp2-dev',
    pkgConfigModules: ['libsrtp2'],
    header: path.join(SRTP2_INCLUDE_DIR, 'srtp.h'),
  },
  { debianPackage: 'libabsl-dev', pkgConfigModules: Object.values(ABSL_DEPENDENCIES).flat() },
  { debianPackage: 'libusrsctp-dev', pkgConfigModules: ['usrsctp'] },
  { debianPackage: 'nlohmann-json3-dev', pkgConfigModules: ['nlohmann_json'] },
];

/** Debian packages needed to build the worker. The Dockerfile lists them too: keep both in sync. */
export const WORKER_BUILD_DEBIAN_PACKAGES = PREREQUISITES.map((p) => p.debianPackage);

/**
 * Meson code replacing mediasoup's subproject() calls. It defines variables
 * named like the ones mediasoup fetched with `<x>_proj.get_variable('<name>_dep')`,
 * so those references can simply be rewritten to the bare variable name.
 */
const SYSTEM_DEPENDENCIES_MESON = `# Rewired by bilik's scripts/build-mediasoup-worker.mjs: Debian system
# libraries instead of wrap subprojects (which would be downloaded).
openssl_dep = dependency('openssl')
nlohmann_json_dep = dependency('nlohmann_json')
libuv_dep = dependency('libuv')
libsrtp2_dep = declare_dependency(
  dependencies: dependency('libsrtp2'),
  include_directories: include_directories('${SRTP2_INCLUDE_DIR}'),
)
usrsctp_dep = dependency('usrsctp')
${Object.entries(ABSL_DEPENDENCIES)
  .map(([name, modules]) => `${name} = [${modules.map((m) => `dependency('${m}')`).join(', ')}]`)
  .join('\n')}

`;

/** Every variable SYSTEM_DEPENDENCIES_MESON defines. */
const SYSTEM_DEPENDENCY_NAMES = new Set([
  'openssl_dep',
  'nlohmann_json_dep',
  'libuv_dep',
  'libsrtp2_dep',
  'usrsctp_dep',
  ...Object.keys(ABSL_DEPENDENCIES),
]);

/** @param {string} message */
function logProgress(message) {
  process.stderr.write(`[mediasoup-worker] ${message}\n`);
}

/**
 * Version of the mediasoup package whose worker we build.
 * Before `npm ci` has run (setup.mjs needs the cache path then), the lock file
 * tells which version is about to be installed.
 * @returns {string}
 */
function mediasoupVersion() {
  const installedManifest = path.join(MEDIASOUP_DIR, 'package.json');
  if (fs.existsSync(installedManifest)) {
    return JSON.parse(fs.readFileSync(installedManifest, 'utf8')).version;
  }
  const lockFile = path.join(REPO_ROOT, 'package-lock.json');
  const locked = JSON.parse(fs.readFileSync(lockFile, 'utf8')).packages?.['node_modules/mediasoup'];
  if (!locked?.version) {
    throw new Error(`mediasoup is neither installed (${installedManifest}) nor listed in ${lockFile}`);
  }
  return locked.version;
}

/**
 * Where the worker binary is cached. The key includes this script's hash, so
 * changing how we build invalidates old binaries.
 * @returns {string}
 */
export function mediasoupWorkerCachePath() {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const scriptHash = createHash('sha256').update(fs.readFileSync(SCRIPT_PATH)).digest('hex').slice(0, 12);
  return path.join(
    cacheHome,
    'bilik',
    'mediasoup-worker',
    `${mediasoupVersion()}-${scriptHash}`,
    'mediasoup-worker',
  );
}

/**
 * @param {string} file
 * @returns {boolean}
 */
export function isExecutableFile(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * @param {string} command
 * @returns {boolean}
 */
function commandExists(command) {
  const searchPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return searchPath.some((dir) => isExecutableFile(path.join(dir, command)));
}

/**
 * Without pkg-config this reports every module missing. That is on purpose: the
 * install line then names all packages in one go, and apt-get skips installed ones.
 * @param {string[]} modules
 * @returns {boolean}
 */
function pkgConfigModulesExist(modules) {
  return spawnSync('pkg-config', ['--exists', ...modules], { stdio: 'ignore' }).status === 0;
}

/**
 * @param {Prerequisite} prerequisite
 * @returns {boolean}
 */
function isPrerequisiteMet(prerequisite) {
  const { command, pkgConfigModules, header } = prerequisite;
  return (
    (command === undefined || commandExists(command)) &&
    (pkgConfigModules === undefined || pkgConfigModulesExist(pkgConfigModules)) &&
    (header === undefined || fs.existsSync(header))
  );
}

/** Fails with one copyable install line naming only the missing Debian packages. */
function checkPrerequisites() {
  const missing = PREREQUISITES.filter((p) => !isPrerequisiteMet(p)).map((p) => p.debianPackage);
  if (missing.length > 0) {
    throw new Error(
      `Building the mediasoup worker needs Debian packages that are missing. Install them with:\n` +
        `sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
}

/**
 * Replaces the text from the first occurrence of `startMarker` up to (not
 * including) `endMarker`, or to the end of the file when `endMarker` is null.
 * @param {string} text
 * @param {string} file for error messages
 * @param {string} startMarker
 * @param {string | null} endMarker
 * @param {string} replacement
 * @returns {string}
 */
function replaceRegion(text, file, startMarker, endMarker, replacement) {
  const start = text.indexOf(startMarker);
  const end = endMarker === null ? text.length : text.indexOf(endMarker, start);
  if (start === -1 || end === -1) {
    throw new Error(
      `Unexpected mediasoup ${file}: cannot find the region from "${startMarker}" to ` +
        `"${endMarker ?? 'end of file'}". The rewiring in ${SCRIPT_PATH} needs updating for this mediasoup version.`,
    );
  }
  return text.slice(0, start) + replacement + text.slice(end);
}

/**
 * Turns `<x>_proj.get_variable('<name>_dep')` into `<name>_dep`, the variable
 * SYSTEM_DEPENDENCIES_MESON defines.
 * @param {string} text
 * @param {string} file for error messages
 * @returns {string}
 */
function useSystemDependencyVariables(text, file) {
  return text.replace(/\w+_proj\.get_variable\('(\w+)'\)/g, (reference, name) => {
    if (!SYSTEM_DEPENDENCY_NAMES.has(name)) {
      throw new Error(
        `Unexpected mediasoup ${file}: it uses "${reference}", which has no system replacement in ${SCRIPT_PATH}.`,
      );
    }
    return name;
  });
}

/**
 * Fails if a rewired meson file still refers to a subproject.
 * @param {string} text
 * @param {string} file
 */
function assertNoSubprojectsLeft(text, file) {
  const leftover = text.match(/.*(subproject\(|_proj\b).*/);
  if (leftover) {
    throw new Error(
      `Rewiring mediasoup ${file} left a subproject reference: "${leftover[0].trim()}". ` +
        `The rewiring in ${SCRIPT_PATH} needs updating for this mediasoup version.`,
    );
  }
}

/**
 * Rewires the worker's top-level meson.build: system dependencies, no test
 * or fuzzer targets, and a meson_version floor that Debian 12's meson 1.0.1 meets.
 * @param {string} text
 * @returns {string}
 */
function rewireWorkerMesonBuild(text) {
  const file = 'worker/meson.build';
  const floor = /meson_version\s*:\s*'>=\s*[\d.]+'/;
  if (!floor.test(text)) {
    throw new Error(`Unexpected mediasoup ${file}: no meson_version floor found.`);
  }
  let result = text.replace(floor, "meson_version: '>= 1.0.0'");
  // All subproject() calls, catch2 (tests only) included.
  result = replaceRegion(result, file, 'openssl_proj = subproject(', 'libwebrtc_include_directories', SYSTEM_DEPENDENCIES_MESON);
  // link_whole lists the subprojects' static libraries (for the shared-library
  // target we never build) and is followed by the Windows-only wingetopt subproject.
  result = replaceRegion(result, file, 'link_whole = [', 'libmediasoup_worker = library(', 'link_whole = [libwebrtc]\n\n');
  // Test (catch2) and fuzzer targets.
  result = replaceRegion(result, file, 'test_sources = [', null, '');
  result = useSystemDependencyVariables(result, file);
  assertNoSubprojectsLeft(result, file);
  return result;
}

/**
 * Rewires deps/libwebrtc/meson.build, which opens abseil-cpp as a subproject
 * again and uses the top-level subproject variables.
 * @param {string} text
 * @returns {string}
 */
function rewireLibwebrtcMesonBuild(text) {
  const file = 'worker/deps/libwebrtc/meson.build';
  let result = replaceRegion(text, file, 'abseil_cpp_proj = subproject(', 'local_include_directories', '');
  result = useSystemDependencyVariables(result, file);
  assertNoSubprojectsLeft(result, file);
  return result;
}

/**
 * Copies the worker sources into `sourceDir` (node_modules stays untouched)
 * and rewires the copied meson files.
 * @param {string} sourceDir
 */
function prepareWorkerSources(sourceDir) {
  for (const entry of WORKER_SOURCE_ENTRIES) {
    fs.cpSync(path.join(WORKER_SOURCE_DIR, entry), path.join(sourceDir, entry), { recursive: true });
  }
  const mesonBuild = path.join(sourceDir, 'meson.build');
  fs.writeFileSync(mesonBuild, rewireWorkerMesonBuild(fs.readFileSync(mesonBuild, 'utf8')));
  const libwebrtcMesonBuild = path.join(sourceDir, 'deps', 'libwebrtc', 'meson.build');
  fs.writeFileSync(libwebrtcMesonBuild, rewireLibwebrtcMesonBuild(fs.readFileSync(libwebrtcMesonBuild, 'utf8')));
}

/**
 * Runs a command with its output on stderr (stdout carries only our result).
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 * @returns {Promise<void>}
 */
function runToStderr(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', (error) => reject(new Error(`Cannot run ${command}: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) {
        resolve();
      } else {
        reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`})`));
      }
    });
  });
}

/**
 * Configures and compiles the rewired sources; returns the built binary.
 * @param {string} sourceDir
 * @param {string} buildDir
 * @returns {Promise<string>}
 */
async function compileWorker(sourceDir, buildDir) {
  logProgress('configuring with meson');
  // Same options as mediasoup's Makefile. nofallback: never reach for a wrap/download.
  await runToStderr(
    'meson',
    [
      'setup',
      '--buildtype=release',
      '-Db_ndebug=true',
      '-Db_pie=true',
      '-Db_staticpic=true',
      '--wrap-mode=nofallback',
      buildDir,
      sourceDir,
    ],
    sourceDir,
  );
  const jobs = os.availableParallelism();
  logProgress(`compiling with ninja -j${jobs} (takes minutes)`);
  await runToStderr('ninja', ['-C', buildDir, `-j${jobs}`, 'mediasoup-worker'], sourceDir);
  return path.join(buildDir, 'mediasoup-worker');
}

/**
 * Fails unless mediasoup itself can start `workerBin`: this catches missing
 * shared libraries and protocol mismatches, which merely executing it would not.
 * @param {string} workerBin
 */
function smokeCheckWorker(workerBin) {
  logProgress('smoke check: starting the worker through mediasoup');
  const script =
    "import('mediasoup').then(async (m) => { const w = await m.createWorker(); console.log(w.pid); w.close(); })";
  const result = spawnSync(process.execPath, ['-e', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, MEDIASOUP_WORKER_BIN: workerBin },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.status !== 0 || !/^\d+$/.test(result.stdout.trim())) {
    throw new Error(
      `The built mediasoup worker ${workerBin} does not start through mediasoup ` +
        `(${result.error?.message ?? `exit code ${result.status}`}):\n${result.stdout}${result.stderr}`,
    );
  }
}

/**
 * Puts the binary into the cache under a temporary name first, so an
 * interrupted copy never leaves a broken binary at the cached path.
 * @param {string} builtBin
 * @param {string} cachePath
 */
function installIntoCache(builtBin, cachePath) {
  fs.mkdirSync(path.dirname(cachePath), { recursive: true });
  const temporaryPath = `${cachePath}.tmp-${process.pid}`;
  fs.copyFileSync(builtBin, temporaryPath);
  fs.chmodSync(temporaryPath, 0o755);
  fs.renameSync(temporaryPath, cachePath);
}

/**
 * Returns the absolute path of a working mediasoup-worker binary, building and
 * caching it first if needed.
 * @returns {Promise<string>}
 */
export async function ensureMediasoupWorker() {
  const cachePath = mediasoupWorkerCachePath();
  if (isExecutableFile(cachePath)) {
    return cachePath;
  }
  if (!fs.existsSync(path.join(WORKER_SOURCE_DIR, 'meson.build'))) {
    throw new Error(`mediasoup worker sources not found in ${WORKER_SOURCE_DIR}; run npm ci first.`);
  }
  checkPrerequisites();

  const startedAt = Date.now();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bilik-mediasoup-worker-'));
  logProgress(`building mediasoup ${mediasoupVersion()} worker in ${workDir}`);
  try {
    const sourceDir = path.join(workDir, 'source');
    prepareWorkerSources(sourceDir);
    const builtBin = await compileWorker(sourceDir, path.join(workDir, 'build'));
    smokeCheckWorker(builtBin);
    installIntoCache(builtBin, cachePath);
  } catch (error) {
    // Keep the build directory (meson-logs, compiler output) for diagnosis.
    throw new Error(`${error instanceof Error ? error.message : error}\n(build directory kept: ${workDir})`);
  }
  fs.rmSync(workDir, { recursive: true, force: true });
  logProgress(`built in ${Math.round((Date.now() - startedAt) / 1000)} s, cached at ${cachePath}`);
  return cachePath;
}

if (process.argv[1] && path.resolve(process.argv[1]) === SCRIPT_PATH) {
  try {
    process.stdout.write(`${await ensureMediasoupWorker()}\n`);
  } catch (error) {
    process.stderr.write(`Error: ${error instanceof Error ? error.message : error}\n`);
    process.exitCode = 1;
  }
}
