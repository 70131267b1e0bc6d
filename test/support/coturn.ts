/**
 * A real coturn (Debian's `turnserver`) on loopback or another local address, with time-limited credentials under a shared
 * secret (`use-auth-secret`), as a firewalled branch's TURN relay. It dies with the test process
 * (setpriv --pdeathsig), even when that is killed outright.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { accepts } from './serverProcess.js';
import { freePort, waitFor } from './testServer.js';

export interface TestTurnServer {
  /** The URL a client is handed, e.g. turn:127.0.0.1:34567?transport=udp. */
  url: string;
  secret: string;
  /** What coturn has logged so far. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts coturn on a free port of `address` (loopback by default; a BoothNetwork's host address
 * for a kiosk in that network to reach it), relaying from that address; resolves once it
 * accepts connections.
 */
export async function startTurnServer(address = '127.0.0.1'): Promise<TestTurnServer> {
  const port = await freePort();
  const relayPort = await freePort();
  const secret = 'test-turn-secret-0123456789abcdefghij';
  // Its pid file and (unused) user database, away from the system's.
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'bilik-coturn-'));
  const child = spawn(
    'setpriv',
    [
      '--pdeathsig',
      'KILL',
      '--',
      'turnserver',
      `--listening-ip=${address}`,
      `--listening-port=${port}`,
      `--relay-ip=${address}`,
      // Each transport of each client takes an allocation of its own, and a closed page's
      // allocations last until they expire: room for a benchmark's hundreds of pages.
      `--min-port=${relayPort}`,
      `--max-port=${relayPort + 200}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=bilik.test',
      '--fingerprint',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      // The SFU is on loopback here; a real relay never needs this.
      '--allow-loopback-peers',
      '--log-file=stdout',
      '--simple-log',
      // Logs each allocation with its user.
      '--verbose',
      // Not the system's configuration file.
      '-c',
      '/dev/null',
      `--pidfile=${path.join(stateDir, 'turnserver.pid')}`,
      `--userdb=${path.join(stateDir, 'turndb')}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  try {
    // It listens on TCP and UDP alike; the TCP listener shows it is up.
    await waitFor(
      'coturn to accept connections',
      () => {
        if (child.exitCode !== null) throw new Error(`coturn exited with code ${child.exitCode}`);
        return accepts(port, address);
      },
      10_000,
      100,
    );
  } catch (error) {
    await stopProcess(child, exited);
    await rm(stateDir, { recursive: true, force: true });
    throw new Error(`coturn did not start: ${(error as Error).message}\n${output}`);
  }
  return {
    url: `turn:${address}:${port}?transport=udp`,
    secret,
    log: () => output,
    stop: async () => {
      await stopProcess(child, exited);
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

async function stopProcess(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await exited;
}
