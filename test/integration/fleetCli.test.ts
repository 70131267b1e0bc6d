/**
 * `npm run fleet`, end to end: the real script in a child process, on a throw-away database.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AccountStore } from '../../server/src/accounts/accountStore.js';
import { verifyPassword } from '../../server/src/accounts/passwords.js';
import { describeEachDatabase, testLogger, type FreshDatabase } from './databaseTargets.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PASSWORD = 'kata sandi admin pertama';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs scripts/fleet.ts with only the given database and password settings from the environment. */
function fleet(args: string[], env: Record<string, string>): Promise<Run> {
  const base = { ...process.env };
  for (const name of ['DATABASE_URL', 'DATA_DIR', 'BILIK_ADMIN_PASSWORD', 'LOG_LEVEL', 'MEDIASOUP_WORKER_BIN']) delete base[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/fleet.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describeEachDatabase('npm run fleet', (target) => {
  let fresh: FreshDatabase;

  beforeAll(async () => {
    fresh = await target.fresh();
  });

  afterAll(async () => {
    await fresh?.dispose();
  });

  test('create-branch then create-admin make an IT administrator whose password verifies; the password is never printed', async () => {
    const branch = await fleet(['create-branch', '--id', 'jkt-01', '--name', 'Jakarta Pusat', '--region', 'DKI Jakarta'], fresh.env);
    expect(branch).toMatchObject({ code: 0, stderr: '' });
    expect(branch.stdout).toContain('Migrations applied: 001_accounts, 002_booths_capacity_audit.');
    expect(branch.stdout).toContain('Created branch jkt-01 (Jakarta Pusat, region DKI Jakarta).');

    const admin = await fleet(['create-admin', '--username', 'admin.it', '--name', 'Dewi Lestari', '--branch', 'jkt-01'], {
      ...fresh.env,
      BILIK_ADMIN_PASSWORD: PASSWORD,
    });
    expect(admin).toMatchObject({ code: 0, stderr: '' });
    expect(admin.stdout).toContain('Schema up to date.');
    expect(admin.stdout).toMatch(/Created IT administrator admin\.it \(id [0-9a-f-]{36}; branches: jkt-01\)\./);
    expect(admin.stdout + admin.stderr).not.toContain(PASSWORD);
    expect(admin.stdout).not.toContain('Dewi');

    const db = await fresh.open();
    try {
      const record = await new AccountStore(db, testLogger()).findSignInRecord('admin.it');
      expect(record?.account).toMatchObject({ role: 'it_admin', displayName: 'Dewi Lestari', branchIds: ['jkt-01'] });
      await expect(verifyPassword(PASSWORD, record!.passwordHash)).resolves.toBe(true);
    } finally {
      await db.close();
    }
  });

  test('a taken username or an unknown branch fails with one line and exit code 1', async () => {
    const env = { ...fresh.env, BILIK_ADMIN_PASSWORD: PASSWORD };
    const taken = await fleet(['create-admin', '--username', 'ADMIN.IT', '--name', 'Someone Else'], env);
    expect(taken).toMatchObject({ code: 1, stderr: 'fleet: that username is already taken\n' });
    const unknown = await fleet(['create-admin', '--username', 'admin.two', '--name', 'X', '--branch', 'sby-09'], env);
    expect(unknown).toMatchObject({ code: 1, stderr: 'fleet: unknown branch: sby-09\n' });
  });

  // PostgreSQL serves many processes; PGlite must not be opened by two at once.
  (target.name === 'PGlite' ? test : test.skip)('while the embedded database is open in another process it refuses with exit code 1, naming that process', async () => {
    const db = await fresh.open();
    try {
      const run = await fleet(['create-branch', '--id', 'x', '--name', 'y'], fresh.env);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^fleet: the embedded database in .* is already open in process ${process.pid}\\. `));
    } finally {
      await db.close();
    }
  });
});

describe('npm run fleet, before touching any database', () => {
  const nowhere = { DATA_DIR: '/nonexistent/bilik-fleet-test' };

  // Each run is a short-lived child process; they run side by side.
  test.concurrent.each([
    [[], 'no command given'],
    [['make-coffee'], 'unknown command: make-coffee'],
    [['create-admin', '--name', 'No Username'], '--username is required'],
    [['create-branch', '--id', 'x', '--name', 'y', '--colour', 'red'], "Unknown option '--colour'"],
    [['create-branch', '--id', 'x', '--name', 'y', 'extra'], "Unexpected argument 'extra'"],
    [['create-branch', '--id', 'has space', '--name', 'y'], 'fleet: --id must be 1 to 64 letters, digits, - or _'],
    [['create-admin', '--username', 'ab', '--name', 'X', '--branch', 'a b'], "fleet: --username must be 3 to 64 characters: lower-case letters, digits, '.', '_' or '-'; --branch must be"],
  ])('bad arguments %j exit 2 with the usage text', async (args, reason) => {
    const run = await fleet(args, nowhere);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(reason);
    expect(run.stderr).toContain('Usage: npm run fleet -- <command> [options]');
    expect(run.stdout).toBe('');
  });

  test.concurrent('--help prints the usage and exits 0', async () => {
    const run = await fleet(['--help'], nowhere);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('create-admin --username USERNAME --name "DISPLAY NAME" [--branch ID ...]');
  });

  test.concurrent('without BILIK_ADMIN_PASSWORD and no terminal to ask on, create-admin refuses rather than invent a password', async () => {
    const run = await fleet(['create-admin', '--username', 'admin.it', '--name', 'X'], nowhere);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe('fleet: no password: set BILIK_ADMIN_PASSWORD, or run this in a terminal to type it (it is never generated)\n');
  });

  test.concurrent('a password shorter than 12 characters is refused before the database is opened', async () => {
    const run = await fleet(['create-admin', '--username', 'admin.it', '--name', 'X'], { ...nowhere, BILIK_ADMIN_PASSWORD: 'hunter2' });
    expect(run).toMatchObject({ code: 1, stdout: '', stderr: 'fleet: the password must be at least 12 characters long (it has 7)\n' });
  });

  test.concurrent('a DATABASE_URL that is not PostgreSQL is a configuration error naming the variable', async () => {
    const run = await fleet(['create-branch', '--id', 'x', '--name', 'y'], { DATABASE_URL: 'mysql://db/bilik' });
    expect(run).toMatchObject({ code: 1, stderr: 'fleet: Invalid configuration: DATABASE_URL must be a postgres:// or postgresql:// URL\n' });
  });
});
