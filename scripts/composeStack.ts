/**
 * docker-compose.yml brought up for real on this machine (proxy, two server nodes, Redis,
 * PostgreSQL, TURN relay), for benchmarks that drive load through the whole stack.
 *
 * Our machines reach no container registry, only the npm registry and Debian's mirror, so the
 * base images the compose file and the Dockerfile name cannot be pulled. Where a pull fails, a
 * stand-in is built under the same name from Debian packages (scripts/compose-standins/, one
 * Dockerfile each, on a Debian 12 root file system debootstrapped from deb.debian.org), so that
 * the compose file and the Dockerfile themselves run unchanged.
 *
 * Docker comes from Debian: docker.io (20.10) and docker-compose 1.29 (compose v1, Python). The
 * `docker compose` v2 plugin is used where it exists. v1 rejects the file's top-level `name:` and
 * cannot interpolate a variable inside another's default, so it is handed a copy without that
 * line and with those defaults resolved, beside the original (the file's paths are relative to
 * its directory), which lives only as long as each compose command.
 *
 * Where an egress proxy intercepts TLS, the host trusts its CA (/usr/local/share/ca-certificates);
 * the stand-ins get the same certificates, so that npm ci inside the image build reaches the npm
 * registry.
 *
 * Needs root: it installs Debian packages and may start dockerd.
 *
 * CLI, to try it by hand:
 *   POSTGRES_PASSWORD=... TURN_SECRET=<32+ characters> [BILIK_NODE_ENV=development] [BILIK_PUBLIC_IP=...] \
 *     node --import tsx scripts/composeStack.ts up
 *   node --import tsx scripts/composeStack.ts down
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { resolveNestedDefaults } from './composeInterpolation.js';
import { installDebianPackages, isDebianPackageInstalled } from './setup.mjs';

export type Log = (message: string) => void;

const SCRIPT_PATH = fileURLToPath(import.meta.url);
const REPO_ROOT = path.dirname(path.dirname(SCRIPT_PATH));
const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');
const SERVER_DOCKERFILE = path.join(REPO_ROOT, 'Dockerfile');
const STANDIN_DIR = path.join(REPO_ROOT, 'scripts', 'compose-standins');
/** Root file system, build logs, dockerd's log: outside the repo, kept between runs. */
const CACHE_DIR = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'bilik', 'compose-standins');

/** What ensureDocker() installs: the engine, compose v1, and what makes the stand-ins' base. */
const DOCKER_DEBIAN_PACKAGES = ['docker.io', 'docker-compose', 'debootstrap'];
const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
/** Certificates the host added to its trust store: an intercepting egress proxy's CA, where there is one. */
const HOST_EXTRA_CA_DIR = '/usr/local/share/ca-certificates';

/** Every stand-in image has it (LABEL in its Dockerfile), so that they can be told from the registry's. */
const STANDIN_LABEL = 'org.bilik.standin';
/** Hash of what a stand-in was built from: a stand-in whose Dockerfile has changed since is rebuilt. */
const STANDIN_INPUTS_LABEL = 'org.bilik.standin.inputs';
/** Not a registry name: the Debian 12 base every stand-in starts from. */
const DEBIAN_BASE_IMAGE = 'bilik-standin/debian:bookworm';
const DEBIAN_BASE_DOCKERFILE = 'debian-bookworm.Dockerfile';

/** A registry that cannot be reached fails within a second here, but one that accepts connections and never answers must not stall us. */
const PULL_TIMEOUT_MS = 60_000;
const DOCKERD_START_TIMEOUT_MS = 60_000;
/** The first `up --build` runs npm ci and compiles the mediasoup worker (several minutes on 2 cores); a build stalled on the network must still end. */
const COMPOSE_UP_TIMEOUT_MS = 60 * 60_000;
/** After `up`: the server nodes' health check runs every 10 s. */
const HEALTHY_TIMEOUT_MS = 3 * 60_000;

/** A base image the compose file or the Dockerfile names, and how to build its stand-in. */
interface StandIn {
  /** Exactly as the compose file or the Dockerfile spells it. */
  image: string;
  /** In scripts/compose-standins/. */
  dockerfile: string;
  /** Other files of scripts/compose-standins/ its Dockerfile copies. */
  files: string[];
  /** Whether its build context gets this host's Node.js and npm (node/). */
  hostNode: boolean;
}

const STANDINS: StandIn[] = [
  { image: 'node:20-bookworm', dockerfile: 'node-20-bookworm.Dockerfile', files: [], hostNode: true },
  { image: 'node:20-bookworm-slim', dockerfile: 'node-20-bookworm-slim.Dockerfile', files: [], hostNode: true },
  { image: 'redis:7.2-bookworm', dockerfile: 'redis-7.2-bookworm.Dockerfile', files: ['redis-entrypoint.sh'], hostNode: false },
  { image: 'postgres:16-bookworm', dockerfile: 'postgres-16-bookworm.Dockerfile', files: ['postgres-entrypoint.sh'], hostNode: false },
  { image: 'nginx:1.27-bookworm', dockerfile: 'nginx-1.27-bookworm.Dockerfile', files: [], hostNode: false },
  { image: 'coturn/coturn:4.6', dockerfile: 'coturn-4.6.Dockerfile', files: ['coturn-entrypoint.sh'], hostNode: false },
];

/** The variables the compose file reads from the environment. */
export interface StackEnv {
  POSTGRES_PASSWORD: string;
  /** At least 32 characters: the compose file's TURN relay and the server both insist. */
  TURN_SECRET: string;
  /** `development` makes the servers seed demo accounts and booths on their first start; unset, production. */
  BILIK_NODE_ENV?: string;
  /** The address announced for WebRTC media and TURN; unset, 127.0.0.1. */
  BILIK_PUBLIC_IP?: string;
}

const STACK_ENV_NAMES = ['POSTGRES_PASSWORD', 'TURN_SECRET', 'BILIK_NODE_ENV', 'BILIK_PUBLIC_IP'] as const;

/** One published port of a container, as `docker port` lists it (IPv4 and IPv6 bindings separately). */
export interface PublishedPort {
  containerPort: number;
  protocol: string;
  hostIp: string;
  hostPort: number;
}

const logToStderr: Log = (message) => process.stderr.write(`[compose] ${message}\n`);

const execFileAsync = promisify(execFile);

/** Runs a command to completion and resolves to its stdout; a failure quotes its stderr. */
async function capture(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, {
      cwd: REPO_ROOT,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 0,
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    });
    return stdout;
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string; killed?: boolean; signal?: string | null; code?: unknown };
    const how = failure.killed
      ? `timed out after ${options.timeoutMs} ms`
      : failure.signal
        ? failure.signal
        : `exit code ${String(failure.code)}`;
    const stderr = (failure.stderr ?? '').trim().slice(-4000);
    throw new Error(`${command} ${args.join(' ')} failed (${how})${stderr ? `: ${stderr}` : ''}`);
  }
}

/** Whether a command exits with 0 (within `timeoutMs`). */
async function succeeds(command: string, args: string[], timeoutMs = 20_000): Promise<boolean> {
  try {
    await capture(command, args, { timeoutMs });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a long command (debootstrap, an image build, compose up) with its whole output written to
 * `logFile` and only the lines `show` picks passed to `log`: progress stays visible without the
 * thousands of lines of a build, and a failure quotes the output's last lines.
 */
async function runLogged(
  command: string,
  args: string[],
  options: { logFile: string; log: Log; show?: (line: string) => boolean; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<void> {
  await fs.mkdir(path.dirname(options.logFile), { recursive: true });
  const file = createWriteStream(options.logFile);
  const lastLines: string[] = [];
  let partial = '';
  const onOutput = (chunk: Buffer): void => {
    file.write(chunk);
    const lines = (partial + chunk.toString('utf8')).split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const line of lines) {
      lastLines.push(line);
      if (lastLines.length > 40) lastLines.shift();
      if (options.show?.(line)) options.log(line.length > 160 ? `${line.slice(0, 157)}...` : line);
    }
  };
  const child = spawn(command, args, { cwd: REPO_ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), options.timeoutMs) : undefined;
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  }).finally(() => clearTimeout(timer));
  lastLines.push(partial);
  await new Promise<void>((resolve) => file.end(resolve));
  if (outcome.code !== 0) {
    const how = outcome.signal ? `${outcome.signal}${timer ? ', timed out?' : ''}` : `exit code ${outcome.code}`;
    throw new Error(
      `${command} ${args.join(' ')} failed (${how}); full output in ${options.logFile}, last lines:\n${lastLines.join('\n')}`,
    );
  }
}

/** The last `count` lines of a text file, or a note that there is none. */
async function tailOfFile(file: string, count: number): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

function requireRoot(): void {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'composeStack needs root: it installs Debian packages (docker.io, docker-compose, debootstrap), may start dockerd and builds images. Run it as root (e.g. `sudo -E node --import tsx scripts/composeStack.ts up`).',
    );
  }
}

/** Whether a Docker engine answers the client. */
async function dockerAnswers(): Promise<boolean> {
  return succeeds('docker', ['info', '--format', '{{.ServerVersion}}'], 10_000);
}

/** What ensureDocker() hands back. */
export interface DockerDaemon {
  /** Ends dockerd if ensureDocker() started it (its containers stop with it); otherwise does nothing. */
  stop(): Promise<void>;
}

/**
 * A Docker engine this process can use: installs the missing Debian packages (docker.io,
 * docker-compose, debootstrap) and, where no engine answers (machines without systemd running
 * docker.service), starts dockerd in the background, its log in the cache directory.
 */
export async function ensureDocker(log: Log = logToStderr): Promise<DockerDaemon> {
  requireRoot();
  const missing = DOCKER_DEBIAN_PACKAGES.filter((debianPackage) => !isDebianPackageInstalled(debianPackage));
  if (missing.length > 0) {
    log(`installing Debian packages: ${missing.join(' ')}`);
    installDebianPackages(missing);
  }
  if (await dockerAnswers()) {
    return { stop: async () => {} };
  }
  return startDockerd(log);
}

/** Starts dockerd and waits until it answers; its stop() ends that dockerd only. */
async function startDockerd(log: Log): Promise<DockerDaemon> {
  await fs.mkdir(CACHE_DIR, { recursive: true });
  const logFile = path.join(CACHE_DIR, 'dockerd.log');
  log(`no Docker engine answers: starting dockerd (log: ${logFile})`);
  const output = await fs.open(logFile, 'a');
  // Its own session, not waited for: it outlives this process, so that a stack left up keeps
  // running, and a Ctrl-C meant for a benchmark does not reach it.
  const dockerd = spawn('dockerd', [], { detached: true, stdio: ['ignore', output.fd, output.fd] });
  await output.close();
  dockerd.unref();
  let exitedAs: string | undefined;
  const exited = new Promise<void>((resolve) => {
    dockerd.once('error', (error) => {
      exitedAs = `could not start: ${error.message}`;
      resolve();
    });
    dockerd.once('exit', (code, signal) => {
      exitedAs = signal ?? `exit code ${code}`;
      resolve();
    });
  });
  const deadline = Date.now() + DOCKERD_START_TIMEOUT_MS;
  while (!(await dockerAnswers())) {
    if (exitedAs !== undefined || Date.now() > deadline) {
      if (exitedAs === undefined) dockerd.kill('SIGTERM');
      const why = exitedAs === undefined ? `did not answer within ${DOCKERD_START_TIMEOUT_MS / 1000} s` : `exited (${exitedAs})`;
      throw new Error(`dockerd ${why}; last lines of ${logFile}:\n${await tailOfFile(logFile, 20)}`);
    }
    await sleep(500);
  }
  log(`dockerd is up (pid ${dockerd.pid})`);
  return {
    stop: async () => {
      if (exitedAs !== undefined) return;
      dockerd.kill('SIGTERM');
      // dockerd stops its containers before exiting (10 s each at most, by default).
      await Promise.race([exited, sleep(90_000)]);
    },
  };
}

/** An image's labels, or undefined when there is no such image here. */
async function imageLabels(image: string): Promise<Record<string, string> | undefined> {
  try {
    const labels = JSON.parse(await capture('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', image])) as Record<
      string,
      string
    > | null;
    return labels ?? {};
  } catch {
    return undefined;
  }
}

/** The base images docker-compose.yml (`image:`) and the Dockerfile (`FROM`, not counting its own stages) name. */
async function imagesTheStackNames(): Promise<string[]> {
  const compose = await fs.readFile(COMPOSE_FILE, 'utf8');
  const dockerfile = await fs.readFile(SERVER_DOCKERFILE, 'utf8');
  const fromComposeFile = [...compose.matchAll(/^\s+image:\s*["']?([^\s"']+)/gm)].map((match) => match[1]!);
  const stages = new Set([...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((match) => match[1]!.toLowerCase()));
  const fromDockerfile = [...dockerfile.matchAll(/^FROM\s+(\S+)/gim)]
    .map((match) => match[1]!)
    .filter((name) => !stages.has(name.toLowerCase()));
  return [...new Set([...fromComposeFile, ...fromDockerfile])];
}

/** sha256 over the named files' names and contents, plus extra strings (versions). */
async function inputsHash(files: string[], extra: string[] = []): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    const content = await fs.readFile(file);
    // Name and length delimit each entry, so moving bytes between files changes the hash.
    hash.update(`${path.basename(file)}\0${content.length}\0`).update(content);
  }
  for (const value of extra) hash.update(`${value}\0`);
  return hash.digest('hex').slice(0, 16);
}

/** The certificate files the host added to its trust store, sorted. */
async function hostExtraCaFiles(): Promise<string[]> {
  const entries = await fs.readdir(HOST_EXTRA_CA_DIR, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.crt'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/**
 * The Node.js that runs this script, for the node:20 stand-ins: the server needs Node 20 (Debian
 * 12's own is 18), and the host's is the one Node 20 this machine has without a registry.
 */
function hostNode(): { prefix: string; version: string } {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) {
    throw new Error(`The node:20 stand-ins copy the Node.js running this script, which is ${process.version}: run it with Node.js 20.`);
  }
  return { prefix: path.dirname(path.dirname(process.execPath)), version: process.versions.node };
}

/** Copies this host's node, npm, corepack and Node headers into `context`/node, laid out as under /usr/local. */
async function copyHostNode(context: string): Promise<void> {
  const { prefix } = hostNode();
  const target = path.join(context, 'node');
  await fs.mkdir(path.join(target, 'bin'), { recursive: true });
  await fs.copyFile(await fs.realpath(process.execPath), path.join(target, 'bin', 'node'));
  const npm = path.join(prefix, 'lib', 'node_modules', 'npm');
  if (!(await exists(path.join(npm, 'bin', 'npm-cli.js')))) {
    throw new Error(`No npm at ${npm} beside ${process.execPath}: the node:20 stand-ins need the host's npm.`);
  }
  // corepack and the headers (for node-gyp, as in the registry image) where the host has them.
  for (const dir of [path.join('lib', 'node_modules', 'npm'), path.join('lib', 'node_modules', 'corepack'), path.join('include', 'node')]) {
    if (await exists(path.join(prefix, dir))) {
      await fs.cp(path.join(prefix, dir), path.join(target, dir), { recursive: true, verbatimSymlinks: true });
    }
  }
}

/** Copies the host's added CA certificates into `context`/extra-ca (a placeholder keeps the directory when there are none). */
async function copyHostExtraCa(context: string): Promise<void> {
  const target = path.join(context, 'extra-ca');
  await fs.mkdir(target, { recursive: true });
  await fs.writeFile(path.join(target, '.keep'), '');
  for (const file of await hostExtraCaFiles()) {
    const relative = path.relative(HOST_EXTRA_CA_DIR, file);
    await fs.mkdir(path.dirname(path.join(target, relative)), { recursive: true });
    await fs.copyFile(file, path.join(target, relative));
  }
}

/** Unmounts whatever is mounted below `dir` (debootstrap mounts /proc and /sys in its target, and an interrupted run leaves them). */
async function unmountBelow(dir: string): Promise<void> {
  const mounts = (await fs.readFile('/proc/self/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((mountPoint) => mountPoint.startsWith(`${dir}/`))
    .reverse();
  for (const mountPoint of mounts) await capture('umount', ['--lazy', mountPoint]);
}

/**
 * A tarball of a Debian 12 minbase root file system, debootstrapped from deb.debian.org once
 * (about 3 minutes) and kept in the cache directory: the one Debian this machine can get
 * without a registry.
 */
async function ensureRootfsTarball(log: Log): Promise<string> {
  const tarball = path.join(CACHE_DIR, 'debian-bookworm-minbase.tar');
  if (await exists(tarball)) return tarball;
  await fs.mkdir(CACHE_DIR, { recursive: true });
  const rootfs = await fs.mkdtemp(path.join(CACHE_DIR, 'rootfs-'));
  // mkdtemp's 0700 would become the containers' `/`, which non-root users could then not enter.
  await fs.chmod(rootfs, 0o755);
  try {
    const startedAt = Date.now();
    log('debootstrapping a Debian 12 minbase root file system from deb.debian.org (about 3 minutes, once)');
    const logFile = path.join(CACHE_DIR, 'debootstrap.log');
    await runLogged('debootstrap', ['--variant=minbase', 'bookworm', rootfs, DEBIAN_MIRROR], { logFile, log });
    // Devices, /proc and /sys are the container runtime's to provide.
    await runLogged(
      'tar',
      [
        '-C',
        rootfs,
        '--numeric-owner',
        '--xattrs',
        '--exclude=./dev/*',
        '--exclude=./proc/*',
        '--exclude=./sys/*',
        '-cf',
        `${tarball}.partial`,
        '.',
      ],
      { logFile: path.join(CACHE_DIR, 'rootfs-tar.log'), log },
    );
    await fs.rename(`${tarball}.partial`, tarball);
    log(`root file system ready in ${Math.round((Date.now() - startedAt) / 1000)} s: ${tarball}`);
    return tarball;
  } finally {
    await unmountBelow(rootfs);
    await fs.rm(rootfs, { recursive: true, force: true });
    await fs.rm(`${tarball}.partial`, { force: true });
  }
}

/**
 * Builds `image` from scripts/compose-standins/`dockerfile` in a throw-away context that
 * `populate` fills, labelled with the hash of its inputs.
 */
async function buildStandIn(
  image: string,
  dockerfile: string,
  inputs: string,
  populate: (context: string) => Promise<void>,
  log: Log,
  buildArgs: string[] = [],
): Promise<void> {
  await fs.mkdir(CACHE_DIR, { recursive: true });
  const context = await fs.mkdtemp(path.join(CACHE_DIR, 'context-'));
  const logFile = path.join(CACHE_DIR, `build-${image.replace(/[^a-z0-9.-]+/gi, '_')}.log`);
  const startedAt = Date.now();
  log(`building stand-in ${image} from ${dockerfile} (log: ${logFile})`);
  try {
    await fs.copyFile(path.join(STANDIN_DIR, dockerfile), path.join(context, 'Dockerfile'));
    await populate(context);
    // DOCKER_BUILDKIT=0: the classic builder, which Debian's engine and any client have (a newer
    // client without the buildx plugin refuses BuildKit builds).
    await runLogged('docker', ['build', '--label', `${STANDIN_INPUTS_LABEL}=${inputs}`, ...buildArgs, '--tag', image, context], {
      logFile,
      log,
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
    });
  } finally {
    await fs.rm(context, { recursive: true, force: true });
  }
  log(`built ${image} in ${Math.round((Date.now() - startedAt) / 1000)} s`);
}

/** The hash of the Debian base's inputs: its Dockerfile and the CA certificates it gets from the host. */
async function debianBaseInputs(): Promise<string> {
  return inputsHash([path.join(STANDIN_DIR, DEBIAN_BASE_DOCKERFILE), ...(await hostExtraCaFiles())]);
}

/** bilik-standin/debian:bookworm, built from the debootstrapped root file system unless it is here and current. */
async function ensureDebianBase(log: Log): Promise<void> {
  const inputs = await debianBaseInputs();
  if ((await imageLabels(DEBIAN_BASE_IMAGE))?.[STANDIN_INPUTS_LABEL] === inputs) return;
  const tarball = await ensureRootfsTarball(log);
  await buildStandIn(
    DEBIAN_BASE_IMAGE,
    DEBIAN_BASE_DOCKERFILE,
    inputs,
    async (context) => {
      // A hard link, not a 200 MB copy: the context lives in the same cache directory.
      await fs.link(tarball, path.join(context, 'rootfs.tar')).catch(() => fs.copyFile(tarball, path.join(context, 'rootfs.tar')));
      await copyHostExtraCa(context);
    },
    log,
  );
}

/** The hash of a stand-in's inputs: its Dockerfile and files, the Debian base's inputs and, for Node images, the host's Node and npm versions. */
async function standInInputs(standIn: StandIn): Promise<string> {
  const files = [standIn.dockerfile, ...standIn.files].map((file) => path.join(STANDIN_DIR, file));
  const extra = [await debianBaseInputs()];
  if (standIn.hostNode) {
    const { prefix, version } = hostNode();
    const npm = JSON.parse(await fs.readFile(path.join(prefix, 'lib', 'node_modules', 'npm', 'package.json'), 'utf8')) as {
      version: string;
    };
    extra.push(`node ${version}`, `npm ${npm.version}`);
  }
  return inputsHash(files, extra);
}

/** Whether `docker pull` got the image, within PULL_TIMEOUT_MS. */
async function pulled(image: string, log: Log): Promise<boolean> {
  try {
    await capture('docker', ['pull', '--quiet', image], { timeoutMs: PULL_TIMEOUT_MS });
    log(`pulled ${image}`);
    return true;
  } catch (error) {
    log(`cannot pull ${image}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
    return false;
  }
}

/**
 * Every base image the stack names, present locally: kept if here (the registry's, or a current
 * stand-in), else pulled, else built as a stand-in from scripts/compose-standins/.
 * @returns the names that are stand-ins
 */
export async function ensureBaseImages(log: Log = logToStderr): Promise<string[]> {
  const known = new Set(STANDINS.map((standIn) => standIn.image));
  const unknown = (await imagesTheStackNames()).filter((image) => !known.has(image));
  if (unknown.length > 0) {
    throw new Error(
      `docker-compose.yml or the Dockerfile names ${unknown.join(', ')}, which scripts/compose-standins/ has no stand-in for: add one (and list it in STANDINS in scripts/composeStack.ts).`,
    );
  }
  const standIns: string[] = [];
  for (const standIn of STANDINS) {
    const labels = await imageLabels(standIn.image);
    if (labels !== undefined && labels[STANDIN_LABEL] !== 'true') continue;
    const inputs = await standInInputs(standIn);
    const current = labels?.[STANDIN_INPUTS_LABEL] === inputs;
    if (!current && (await pulled(standIn.image, log))) continue;
    if (!current) {
      await ensureDebianBase(log);
      await buildStandIn(
        standIn.image,
        standIn.dockerfile,
        inputs,
        async (context) => {
          for (const file of standIn.files) {
            await fs.copyFile(path.join(STANDIN_DIR, file), path.join(context, file));
            // Whatever mode the checkout gave it: the image runs it.
            if (file.endsWith('.sh')) await fs.chmod(path.join(context, file), 0o755);
          }
          if (standIn.hostNode) await copyHostNode(context);
        },
        log,
        standIn.hostNode ? ['--build-arg', `NODE_VERSION=${hostNode().version}`] : [],
      );
    }
    standIns.push(standIn.image);
  }
  if (standIns.length > 0) {
    log(`stand-ins, built from Debian packages (not the registry's images): ${standIns.join(', ')}`);
  }
  return standIns;
}

/** How compose is run here: the v2 plugin, or v1 (which needs the file without `name:`). */
interface ComposeCli {
  command: string;
  args: string[];
  v1: boolean;
}

async function detectCompose(): Promise<ComposeCli> {
  if (await succeeds('docker', ['compose', 'version'])) {
    return { command: 'docker', args: ['compose'], v1: false };
  }
  const version = await capture('docker-compose', ['version', '--short']).catch(() => undefined);
  if (version === undefined) {
    throw new Error("Neither `docker compose` (v2) nor `docker-compose` runs; ensureDocker() installs Debian's docker-compose.");
  }
  // A standalone docker-compose binary may also be v2.
  return { command: 'docker-compose', args: [], v1: version.trim().startsWith('1.') };
}

/** Build and start lines of compose up, for the log: which step a build of several minutes is at. */
function isComposeProgress(line: string): boolean {
  // Not apt's "Building dependency tree...": compose v1 says "Building server-1".
  return /^Step \d+\/\d+ : |^Building \S+$|^(Creating|Recreating|Starting) |Container .* (Started|Healthy)/.test(line);
}

/** How a service's container is doing, for waiting on it and for saying what went wrong. */
interface ServiceState {
  service: string;
  /** ready: running, and healthy if it has a health check. */
  state: 'ready' | 'starting' | 'failed';
  /** Whether a container exists (after a failed build, none does). */
  created: boolean;
  detail: string;
}

/** Inspected State of a container (the fields used). */
interface ContainerState {
  Status: string;
  ExitCode: number;
  RestartCount?: number;
  Health?: { Status: string; Log?: Array<{ Output: string }> };
}

/**
 * The compose stack under one project name. up() builds and starts it and waits until every
 * service is ready; exec(), ports() and logs() reach its containers; down() removes it with its
 * volumes.
 */
export class ComposeStack {
  private env: StackEnv | undefined;
  private cli: Promise<ComposeCli> | undefined;
  private composeCalls = 0;

  constructor(
    readonly project = 'bilik-bench',
    private readonly log: Log = logToStderr,
  ) {}

  /**
   * `compose up -d --build` with `env`, then waits until every service is running and every
   * service with a health check is healthy; a service that fails or stays unhealthy is named in
   * the error, with its last log lines. Run ensureDocker() and ensureBaseImages() first.
   */
  async up(env: StackEnv, { healthyWithinMs = HEALTHY_TIMEOUT_MS } = {}): Promise<void> {
    this.env = env;
    const services = await this.services();
    const logFile = path.join(CACHE_DIR, `compose-up-${this.project}.log`);
    const startedAt = Date.now();
    this.log(`compose up -d --build, project ${this.project} (full output: ${logFile})`);
    try {
      await this.withCompose((command, args) =>
        runLogged(command, [...args, 'up', '-d', '--build'], {
          logFile,
          log: this.log,
          show: isComposeProgress,
          env: this.composeEnv(),
          timeoutMs: COMPOSE_UP_TIMEOUT_MS,
        }),
      );
    } catch (error) {
      // Compose gives up on a dependency that never gets healthy with a one-line message: name
      // the service and show its logs instead. A failed build has no containers: its own error says it.
      const culprit = (await Promise.all(services.map((service) => this.serviceState(service)))).find(
        (state) => state.created && state.state === 'failed',
      );
      if (culprit) {
        const composeError = error instanceof Error ? error.message : String(error);
        throw new Error(`${(await this.failure(culprit, 'did not come up')).message}\n\nCompose: ${composeError}`);
      }
      throw error;
    }
    this.log(`compose up done in ${Math.round((Date.now() - startedAt) / 1000)} s; waiting for every service to be ready`);
    await this.waitReady(services, healthyWithinMs);
  }

  /**
   * Runs `argv` in the service's container without a terminal, as `docker compose exec -T` does
   * (same container, working directory and user), and resolves to its stdout; fails with its
   * stderr. Through `docker exec` itself: compose v1 is a Python program that takes about a
   * second to start, on every call.
   */
  async exec(service: string, argv: string[], env: Record<string, string> = {}): Promise<string> {
    const container = await this.container(service);
    const envArgs = Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
    return capture('docker', ['exec', ...envArgs, container, ...argv]);
  }

  /** The service's published ports (IPv4 and IPv6 bindings separately), sorted by protocol and port. */
  async ports(service: string): Promise<PublishedPort[]> {
    const container = await this.container(service);
    const bindings = JSON.parse(await capture('docker', ['inspect', '--format', '{{json .NetworkSettings.Ports}}', container])) as Record<
      string,
      Array<{ HostIp: string; HostPort: string }> | null
    > | null;
    const ports: PublishedPort[] = [];
    for (const [key, hosts] of Object.entries(bindings ?? {})) {
      const [port = '', protocol = 'tcp'] = key.split('/');
      for (const host of hosts ?? []) {
        ports.push({ containerPort: Number(port), protocol, hostIp: host.HostIp, hostPort: Number(host.HostPort) });
      }
    }
    return ports.sort(
      (a, b) => a.protocol.localeCompare(b.protocol) || a.containerPort - b.containerPort || a.hostIp.localeCompare(b.hostIp),
    );
  }

  /** The service's container output (stdout and stderr interleaved), its last `tail` lines if given. */
  async logs(service: string, { tail }: { tail?: number } = {}): Promise<string> {
    const container = await this.container(service, { stopped: true });
    const tailArgs = tail === undefined ? [] : ['--tail', String(tail)];
    // Through sh for `2>&1`: one pipe keeps the two streams in the order docker wrote them.
    return capture('sh', ['-c', 'exec docker logs "$@" 2>&1', 'sh', ...tailArgs, container]);
  }

  /** `compose down -v --remove-orphans`: containers, network and volumes go (the images stay, for the next up). */
  async down(): Promise<void> {
    this.log(`compose down -v --remove-orphans, project ${this.project}`);
    await this.withCompose((command, args) =>
      runLogged(command, [...args, 'down', '-v', '--remove-orphans'], {
        logFile: path.join(CACHE_DIR, `compose-down-${this.project}.log`),
        log: this.log,
        env: this.composeEnv(),
      }),
    );
  }

  /** The compose file's services, in its order. */
  async services(): Promise<string[]> {
    const output = await this.withCompose((command, args) =>
      capture(command, [...args, 'config', '--services'], { env: this.composeEnv() }),
    );
    return output.split('\n').filter((line) => line.trim() !== '');
  }

  /**
   * The environment compose interpolates the file with. The file refuses to load without
   * POSTGRES_PASSWORD and TURN_SECRET even for `config` or `down`, which do not use them, so
   * before up() (e.g. `down` from another process) placeholders stand in.
   */
  private composeEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of STACK_ENV_NAMES) delete env[name];
    const stackEnv: StackEnv = this.env ?? { POSTGRES_PASSWORD: 'unused', TURN_SECRET: 'unused-placeholder-at-least-32-characters' };
    for (const name of STACK_ENV_NAMES) {
      const value = stackEnv[name];
      if (value !== undefined) env[name] = value;
    }
    // For v1 (ignored by v2): builds through the engine's API with the classic builder, as the
    // stand-ins are built, instead of a docker CLI that may lack the buildx plugin.
    env.DOCKER_BUILDKIT = '0';
    env.COMPOSE_DOCKER_CLI_BUILD = '0';
    return env;
  }

  /**
   * Runs `run` with the compose command line for this project. For v1, on a copy of the file
   * without its top-level `name:` (which v1 rejects) and with nested defaults resolved (see
   * resolveNestedDefaults), beside the original so that its relative paths resolve the same,
   * removed when `run` ends; .dockerignore keeps it out of the image.
   */
  private async withCompose<T>(run: (command: string, args: string[]) => Promise<T>): Promise<T> {
    const cli = await (this.cli ??= detectCompose());
    if (!cli.v1) {
      return run(cli.command, [...cli.args, '--project-name', this.project, '--file', COMPOSE_FILE]);
    }
    this.composeCalls += 1;
    const copy = path.join(REPO_ROOT, `.docker-compose.${this.project}-${process.pid}-${this.composeCalls}.yml`);
    const text = await fs.readFile(COMPOSE_FILE, 'utf8');
    await fs.writeFile(copy, resolveNestedDefaults(text.replace(/^name:.*\r?\n/m, ''), this.composeEnv()));
    try {
      return await run(cli.command, [...cli.args, '--project-name', this.project, '--file', copy]);
    } finally {
      await fs.rm(copy, { force: true });
    }
  }

  /** The service's container (the first, if scaled), found by the labels v1 and v2 both set. */
  private async container(service: string, { stopped = false } = {}): Promise<string> {
    const ids = await this.containers(service, { stopped });
    if (ids[0] === undefined) {
      throw new Error(
        `No ${stopped ? '' : 'running '}container of service ${service} in compose project ${this.project}: is the stack up?`,
      );
    }
    return ids[0];
  }

  /** The service's containers, by container number. */
  private async containers(service: string, { stopped = false } = {}): Promise<string[]> {
    const output = await capture('docker', [
      'ps',
      ...(stopped ? ['--all'] : []),
      '--filter',
      `label=com.docker.compose.project=${this.project}`,
      '--filter',
      `label=com.docker.compose.service=${service}`,
      '--filter',
      'label=com.docker.compose.oneoff=False',
      '--format',
      '{{.Label "com.docker.compose.container-number"}} {{.ID}}',
    ]);
    return output
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.split(' '))
      .sort((a, b) => Number(a[0]) - Number(b[0]))
      .map(([, id]) => id!);
  }

  /**
   * Each running container's share of one core over the next `seconds`, by container name, from
   * its cgroup's CPU time (cgroup v1, as dockerd's cgroupfs driver lays it out, or v2).
   */
  async cpuOver(seconds: number): Promise<Map<string, string>> {
    const ids = (await capture('docker', ['ps', '-q', '--no-trunc', '--filter', `label=com.docker.compose.project=${this.project}`]))
      .split('\n')
      .filter(Boolean);
    const names = await Promise.all(
      ids.map(async (id) => (await capture('docker', ['inspect', '--format', '{{.Name}}', id])).trim().replace(/^\//, '')),
    );
    const cpuSeconds = async (id: string): Promise<number> => {
      const v1 = `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`;
      if (await exists(v1)) return Number(await fs.readFile(v1, 'utf8')) / 1e9;
      const v2 = await fs.readFile(`/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, 'utf8');
      return Number(/usage_usec (\d+)/.exec(v2)![1]) / 1e6;
    };
    const before = await Promise.all(ids.map(cpuSeconds));
    const startedAt = performance.now();
    await sleep(seconds * 1000);
    const after = await Promise.all(ids.map(cpuSeconds));
    const elapsed = (performance.now() - startedAt) / 1000;
    return new Map(names.map((name, index) => [name, `${((100 * (after[index]! - before[index]!)) / elapsed).toFixed(1)} %`]));
  }

  /** How the service's container is doing. */
  private async serviceState(service: string): Promise<ServiceState> {
    const [container] = await this.containers(service, { stopped: true });
    if (container === undefined) {
      return { service, state: 'failed', created: false, detail: 'no container' };
    }
    const state = JSON.parse(await capture('docker', ['inspect', '--format', '{{json .State}}', container])) as ContainerState;
    const lastCheck = state.Health?.Log?.at(-1)?.Output.trim();
    const health = state.Health ? `, health ${state.Health.Status}${lastCheck ? ` (last check: ${lastCheck.slice(0, 300)})` : ''}` : '';
    const restarts = state.RestartCount ? `, restarted ${state.RestartCount} times` : '';
    const detail = `${state.Status}${state.Status === 'exited' ? ` with code ${state.ExitCode}` : ''}${restarts}${health}`;
    if (state.Status === 'running') {
      const healthStatus = state.Health?.Status ?? 'healthy';
      const readiness = healthStatus === 'healthy' ? 'ready' : healthStatus === 'unhealthy' ? 'failed' : 'starting';
      return { service, state: readiness, created: true, detail };
    }
    // `restart: unless-stopped` brings a crashed container back: it may still come up.
    if (state.Status === 'restarting') {
      return { service, state: 'starting', created: true, detail };
    }
    return { service, state: 'failed', created: true, detail };
  }

  /** Polls until every service is ready; fails on the first one that fails, or on the one still not ready at the deadline. */
  private async waitReady(services: string[], timeoutMs: number): Promise<void> {
    const startedAt = Date.now();
    for (;;) {
      const states = await Promise.all(services.map((service) => this.serviceState(service)));
      const failed = states.find((state) => state.state === 'failed');
      if (failed) throw await this.failure(failed, 'failed');
      const waiting = states.find((state) => state.state !== 'ready');
      if (!waiting) {
        this.log(`all ${services.length} services ready (${services.join(', ')})`);
        return;
      }
      if (Date.now() - startedAt > timeoutMs) {
        throw await this.failure(waiting, `not ready within ${Math.round(timeoutMs / 1000)} s`);
      }
      await sleep(1000);
    }
  }

  /** An error naming the service, what it is doing, and its last log lines. */
  private async failure(state: ServiceState, what: string): Promise<Error> {
    const logs = state.created ? await this.logs(state.service, { tail: 30 }).catch((error: unknown) => String(error)) : '(no container)';
    return new Error(`Service ${state.service} of compose project ${this.project}: ${what}; ${state.detail}. Its last log lines:\n${logs}`);
  }
}

/** The CLI's StackEnv: from the environment, where POSTGRES_PASSWORD and TURN_SECRET must be set. */
function stackEnvFromProcess(): StackEnv {
  const { POSTGRES_PASSWORD, TURN_SECRET, BILIK_NODE_ENV, BILIK_PUBLIC_IP } = process.env;
  if (!POSTGRES_PASSWORD || !TURN_SECRET || TURN_SECRET.length < 32) {
    throw new Error(
      'Set POSTGRES_PASSWORD and TURN_SECRET (at least 32 characters), e.g.\n' +
        '  POSTGRES_PASSWORD=$(openssl rand -hex 16) TURN_SECRET=$(openssl rand -hex 20) BILIK_NODE_ENV=development node --import tsx scripts/composeStack.ts up',
    );
  }
  return { POSTGRES_PASSWORD, TURN_SECRET, BILIK_NODE_ENV, BILIK_PUBLIC_IP };
}

/** `up`: Docker, base images, the stack, then where it listens; `down`: removes it. */
async function main(command: string | undefined): Promise<void> {
  const stack = new ComposeStack();
  if (command === 'up') {
    const env = stackEnvFromProcess();
    await ensureDocker();
    await ensureBaseImages();
    await stack.up(env);
    for (const service of ['proxy', 'server-1', 'server-2']) {
      const ports = (await stack.ports(service)).filter((port) => port.hostIp !== '::');
      logToStderr(`${service}: ${ports.map((port) => `${port.hostIp}:${port.hostPort}/${port.protocol}`).join(' ')}`);
    }
    logToStderr('up: http://127.0.0.1:8080/ (down: node --import tsx scripts/composeStack.ts down)');
  } else if (command === 'down') {
    requireRoot();
    await stack.down();
  } else {
    throw new Error('Usage: node --import tsx scripts/composeStack.ts up|down');
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === SCRIPT_PATH) {
  main(process.argv[2]).catch((error: unknown) => {
    process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
