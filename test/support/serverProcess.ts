/** The real server entry (server/src/index.ts) run as a child process, for tests that kill or signal it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_VERSION } from '@bilik/shared';
import { io } from 'socket.io-client';
import type { DemoSignIn } from '../../server/src/demo/seedDemo.js';
import type { Namespace, NamespaceSockets } from './sockets.js';
import { waitFor } from './testServer.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** How long a start may take: opening or creating an embedded database is long on a busy machine. */
export const START_TIMEOUT_MS = 120_000;

/** `server/src/index.ts` as a child process, as `npm start` runs it. */
export class ServerProcess {
  private readonly child: ChildProcess;
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** `detached`: in a process group of its own, as a terminal runs a command. */
  constructor(env: Record<string, string>, options: { detached?: boolean } = {}) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'server/src/index.ts'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.detached ?? false,
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
  }

  /** Resolves once the server has logged `message`; rejects if it exits first. */
  async logged(message: string): Promise<void> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    await waitFor(
      `the server to log '${message}'`,
      () => {
        if (exited) throw new Error(`the server exited before logging '${message}':\n${this.output.slice(-3000)}`);
        return this.output.includes(`"msg":"${message}"`);
      },
      START_TIMEOUT_MS,
      50,
    );
  }

  /** Resolves once the server answers HTTP; rejects if it exits first. */
  listening(): Promise<void> {
    return this.logged('bilik server listening');
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Signals its whole process group, as Ctrl-C in a terminal does. */
  killGroup(signal: NodeJS.Signals): void {
    process.kill(-this.pid, signal);
  }

  /** What it printed (pino lines, and plain text on stderr). */
  get printed(): string {
    return this.output;
  }
}

/** The environment of a served demo: the throw-away DATA_DIR, its ports, one mediasoup worker (on port `ports.rtc`), `overrides` last. */
export function demoServerEnv(
  dataDir: string,
  ports: { http: number; redis: number; rtc: number },
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN ?? '',
    DATA_DIR: dataDir,
    PORT: String(ports.http),
    REDIS_EMBEDDED_PORT: String(ports.redis),
    MEDIASOUP_WORKERS: '1',
    RTC_PORT: String(ports.rtc),
    LOG_LEVEL: 'info',
    DEMO_SEED: 'on',
    ...overrides,
  };
}

/** What the first start seeded in `dataDir`: the demo's accounts and booth credentials. */
export async function readDemo(dataDir: string): Promise<DemoSignIn> {
  return JSON.parse(await readFile(path.join(dataDir, 'demo-sign-in.json'), 'utf8')) as DemoSignIn;
}

/** Signs a demo staff member in through the sign-in form; resolves to their session as a Cookie header value. */
export async function signInDemo(baseUrl: string, demo: DemoSignIn, username: string): Promise<string> {
  return signIn(baseUrl, username, demo.accounts.find((account) => account.username === username)!.password);
}

/** Signs `username` in at the server at `baseUrl` as the sign-in form does; resolves with the session cookie (`bilik_session=...`). */
export async function signIn(baseUrl: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/auth/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }),
  });
  const cookie = /bilik_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0];
  if (cookie === undefined) throw new Error(`${username} could not sign in at ${baseUrl}: HTTP ${response.status}`);
  return cookie;
}

/** A demo booth's device credential. */
export function demoCredential(demo: DemoSignIn, boothId: string): string {
  return demo.booths.find((booth) => booth.boothId === boothId)!.credential;
}

/** A socket that reconnects by itself, quickly, as the kiosk and console do. */
export function reconnectingSocket<N extends Namespace>(
  baseUrl: string,
  namespace: N,
  identity: { credential?: string; cookie?: string },
): NamespaceSockets[N] {
  return io(`${baseUrl}${namespace}`, {
    auth: { protocolVersion: PROTOCOL_VERSION, ...(identity.credential ? { credential: identity.credential } : {}) },
    extraHeaders: identity.cookie ? { cookie: identity.cookie } : {},
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
  });
}

/** Whether anything accepts connections on `port` of `host` (loopback by default). */
export function accepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
