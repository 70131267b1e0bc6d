/**
 * `npm run worker` (server/src/worker.ts) as an operator meets it: it refuses the embedded database
 * a running server holds, and Redis that is not there, each with a message saying what to do; a
 * bad setting stops it with the variable's name; SIGTERM stops it cleanly.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestRedis } from '../support/redis.js';
import { freePort, startTestServer } from '../support/testServer.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** A worker process opens (or creates) an embedded database: seconds, more on a busy machine. */
const SLOW_MS = 90_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the worker entry with only `env` (and PATH); `untilLogged` sends SIGTERM once that message is logged. */
function worker(env: Record<string, string>, untilLogged?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/worker.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (untilLogged !== undefined && stdout.includes(`"msg":"${untilLogged}"`)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test(
  'with the embedded database a running server holds, the worker refuses and says the server records outcomes itself',
  async () => {
    const server = await startTestServer();
    try {
      const run = await worker({ DATA_DIR: server.dataDir, REDIS_URL: server.embeddedRedis!.url });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('The Bilik outcome worker could not start');
      expect(run.stderr).toContain(`already open in process ${process.pid}`);
      expect(run.stderr).toContain('npm start runs a worker');
      expect(run.stderr).toContain('DATABASE_URL');
      // The server's database is untouched and still answers.
      expect(await server.db.ping()).toBe(true);
    } finally {
      await server.close();
    }
  },
  SLOW_MS,
);

test(
  'without REDIS_URL and with no server running, the worker says where it looked for Redis and what to do',
  async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bilik-worker-entry-'));
    try {
      const port = await freePort();
      const run = await worker({ DATA_DIR: dataDir, REDIS_EMBEDDED_PORT: String(port), LOG_LEVEL: 'silent' });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`no Redis answers at redis://127.0.0.1:${port}`);
      expect(run.stderr).toContain('start the server, or set REDIS_URL');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  },
  SLOW_MS,
);

test('a bad setting stops the worker with exit code 2, naming the variable', async () => {
  const run = await worker({ OUTCOME_FORWARD_URL: 'https://klaim.example.go.id/hasil', OUTCOME_WORKER_CONCURRENCY: '0' });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('OUTCOME_WORKER_CONCURRENCY');
  expect(run.stderr).toContain('OUTCOME_FORWARD_URL and OUTCOME_FORWARD_SECRET must be set together');
});

test(
  'SIGTERM stops a running worker cleanly (exit code 0), closing its database',
  async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bilik-worker-entry-'));
    const redis = await startTestRedis();
    try {
      const run = await worker({ DATA_DIR: dataDir, REDIS_URL: redis.url, LOG_LEVEL: 'info' }, 'outcome worker started');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('"msg":"database closed"');
    } finally {
      await redis.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
  SLOW_MS,
);
