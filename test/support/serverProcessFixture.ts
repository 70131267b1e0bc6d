/** A jest fixture around ServerProcess: a fresh DATA_DIR per test, and nothing left running after it. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { ServerProcess } from './serverProcess.js';

/** The server processes, sockets and data directory of the running test. */
export interface ServerProcessFixture {
  /** The test's throw-away DATA_DIR. */
  readonly dataDir: string;
  /** Starts a server process, stopped with SIGTERM after the test unless it has exited. */
  start(env: Record<string, string>, options?: { detached?: boolean }): ServerProcess;
  /** Disconnects `socket` after the test. */
  track<S extends Socket>(socket: S): S;
}

/** Registers each test's set-up (a fresh DATA_DIR named `prefix`…) and clean-up (its sockets, server processes and directory). */
export function serverProcessFixture(prefix: string): ServerProcessFixture {
  let dataDir: string | undefined;
  const servers: ServerProcess[] = [];
  const sockets: Socket[] = [];
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    for (const server of servers.splice(0)) {
      server.kill('SIGTERM');
      await server.exited;
    }
    await rm(dataDir!, { recursive: true, force: true });
  });
  return {
    get dataDir() {
      return dataDir!;
    },
    start(env, options) {
      const server = new ServerProcess(env, options);
      servers.push(server);
      return server;
    },
    track(socket) {
      sockets.push(socket);
      return socket;
    },
  };
}
