/**
 * `npm run fleet`, end to end: the real script in a child process, on a throw-away database.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AccountStore } from '../../server/src/accounts/accountStore.js';
import { verifyPassword } from '../../server/src/accounts/passwords.js';
import { ENROLMENT_ALPHABET, EnrolmentRefusedError, EnrolmentService } from '../../server/src/fleet/enrolment.js';
import { describeEachDatabase, testLogger, type FreshDatabase } from './databaseTargets.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * A test runs the script two or three times, and each run compiles it (tsx) and opens the
 * database (an embedded one is created on the first): seconds each when idle, far longer on a
 * busy machine, where 30 s did not always do.
 */
const CLI_TEST_MS = 120_000;
const PASSWORD = 'kata sandi admin pertama';
const GROUP = `[${ENROLMENT_ALPHABET}]{4}`;
const CODE = new RegExp(`Enrolment code: (${GROUP}-${GROUP}-${GROUP})\n`);

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

  test(
    'create-branch then create-admin make an IT administrator whose password verifies; the password is never printed',
    async () => {
      const branch = await fleet(['create-branch', '--id', 'jkt-01', '--name', 'Jakarta Pusat', '--region', 'DKI Jakarta'], fresh.env);
      expect(branch).toMatchObject({ code: 0, stderr: '' });
      expect(branch.stdout).toContain(
        'Migrations applied: 001_accounts, 002_booths_capacity_audit, 003_enrolment_codes, 004_outcomes, 005_server_secrets, 006_documents, 007_pending_credential, 008_sign_in_lockouts, 009_wrap_up_codes, 010_liveness_challenges, 011_outcome_reviews, 012_queue_days.',
      );
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
    },
    CLI_TEST_MS,
  );

  test(
    'a taken username or an unknown branch fails with one line and exit code 1',
    async () => {
      const env = { ...fresh.env, BILIK_ADMIN_PASSWORD: PASSWORD };
      const taken = await fleet(['create-admin', '--username', 'ADMIN.IT', '--name', 'Someone Else'], env);
      expect(taken).toMatchObject({ code: 1, stderr: 'fleet: that username is already taken\n' });
      const unknown = await fleet(['create-admin', '--username', 'admin.two', '--name', 'X', '--branch', 'sby-09'], env);
      expect(unknown).toMatchObject({ code: 1, stderr: 'fleet: unknown branch: sby-09\n' });
    },
    CLI_TEST_MS,
  );

  /** The code a create-booth or enrolment-code run printed (it must have succeeded). */
  function printedCode(run: Run): string {
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^It expires at \d{4}-\d\d-\d\d \d\d:\d\d .+ \(\d{4}-\d\d-\d\dT[\d:.]+Z\) and works once\.$/m);
    expect(run.stdout).toContain("Type it on the booth's enrolment screen at <server>/booth/ within the hour; at most 5 wrong attempts.");
    return CODE.exec(run.stdout)![1]!;
  }

  /** Opens the database the CLI wrote (it has exited, so PGlite is free), runs `work`, closes it. */
  async function withEnrolment<T>(work: (enrolment: EnrolmentService) => Promise<T>): Promise<T> {
    const db = await fresh.open();
    try {
      return await work(new EnrolmentService(db, testLogger()));
    } finally {
      await db.close();
    }
  }

  test(
    'create-booth prints the real one-time enrolment code; enrolment-code issues a new one and voids the earlier',
    async () => {
      const created = await fleet(['create-booth', '--id', 'jkt-01-b1', '--branch', 'jkt-01', '--name', 'Bilik 1'], fresh.env);
      expect(created.stdout).toContain('Created booth jkt-01-b1 (Bilik 1) in branch jkt-01, not enrolled yet.');
      const first = printedCode(created);
      await withEnrolment(async (enrolment) => {
        await expect(enrolment.enrol(first)).resolves.toMatchObject({ boothId: 'jkt-01-b1', branchId: 'jkt-01', name: 'Bilik 1' });
        await expect(enrolment.enrol(first)).rejects.toMatchObject({ reason: 'used' });
      });

      // Re-enrolling a wiped kiosk: two codes in a row, only the newer one works.
      const older = printedCode(await fleet(['enrolment-code', '--id', 'jkt-01-b1'], fresh.env));
      const newer = printedCode(await fleet(['enrolment-code', '--id', 'jkt-01-b1'], fresh.env));
      await withEnrolment(async (enrolment) => {
        const refused = await enrolment.enrol(older).catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(EnrolmentRefusedError);
        expect(refused).toMatchObject({ reason: 'void' });
        await expect(enrolment.enrol(newer)).resolves.toMatchObject({ boothId: 'jkt-01-b1' });
      });
    },
    CLI_TEST_MS,
  );

  test(
    'create-booth with an unknown branch or a taken id fails with one line and exit code 1',
    async () => {
      const unknown = await fleet(['create-booth', '--id', 'sby-09-b1', '--branch', 'sby-09', '--name', 'Bilik 1'], fresh.env);
      expect(unknown).toMatchObject({ code: 1, stderr: 'fleet: unknown branch sby-09\n' });
      expect(unknown.stdout).not.toMatch(CODE);
      const taken = await fleet(['create-booth', '--id', 'jkt-01-b1', '--branch', 'jkt-01', '--name', 'Bilik Lain'], fresh.env);
      expect(taken).toMatchObject({ code: 1, stderr: 'fleet: booth jkt-01-b1 already exists\n' });
      expect(taken.stdout).not.toMatch(CODE);
    },
    CLI_TEST_MS,
  );

  test(
    'list-booths shows an enrolled booth, then revoked after revoke-booth; revoking an unknown booth fails with exit code 1',
    async () => {
      const before = await fleet(['list-booths'], fresh.env);
      expect(before).toMatchObject({ code: 0, stderr: '' });
      expect(before.stdout).toMatch(/^ID +BRANCH +NAME +STATE +OUT OF SERVICE\njkt-01-b1 +jkt-01 +Bilik 1 +enrolled +no\n$/m);

      const revoked = await fleet(['revoke-booth', '--id', 'jkt-01-b1'], fresh.env);
      expect(revoked).toMatchObject({ code: 0, stderr: '' });
      expect(revoked.stdout).toContain('Revoked booth jkt-01-b1: its device credential is void and it can no longer connect.');
      expect(revoked.stdout).toContain('only when it is revoked through the IT API');

      const after = await fleet(['list-booths', '--branch', 'jkt-01'], fresh.env);
      expect(after).toMatchObject({ code: 0, stderr: '' });
      expect(after.stdout).toMatch(/^jkt-01-b1 +jkt-01 +Bilik 1 +revoked +no$/m);

      const unknown = await fleet(['revoke-booth', '--id', 'jkt-01-b9'], fresh.env);
      expect(unknown).toMatchObject({ code: 1, stderr: 'fleet: no booth jkt-01-b9 (npm run fleet -- list-booths lists them)\n' });
    },
    CLI_TEST_MS,
  );

  // PostgreSQL serves many processes; PGlite must not be opened by two at once.
  (target.name === 'PGlite' ? test : test.skip)(
    'while the embedded database is open in another process it refuses with exit code 1, naming that process',
    async () => {
      const db = await fresh.open();
      try {
        const run = await fleet(['create-branch', '--id', 'x', '--name', 'y'], fresh.env);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(new RegExp(`^fleet: the embedded database in .* is already open in process ${process.pid}\\. `));
      } finally {
        await db.close();
      }
    },
  );
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
    [['create-booth', '--id', 'b1', '--name', 'Bilik 1'], '--branch is required'],
    [
      ['create-admin', '--username', 'ab', '--name', 'X', '--branch', 'a b'],
      "fleet: --username must be 3 to 64 characters: lower-case letters, digits, '.', '_' or '-'; --branch must be",
    ],
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

  test.concurrent(
    'without BILIK_ADMIN_PASSWORD and no terminal to ask on, create-admin refuses rather than invent a password',
    async () => {
      const run = await fleet(['create-admin', '--username', 'admin.it', '--name', 'X'], nowhere);
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(run.stderr).toBe(
        'fleet: no password: set BILIK_ADMIN_PASSWORD, or run this in a terminal to type it (it is never generated)\n',
      );
    },
  );

  test.concurrent('a password shorter than 12 characters is refused before the database is opened', async () => {
    const run = await fleet(['create-admin', '--username', 'admin.it', '--name', 'X'], { ...nowhere, BILIK_ADMIN_PASSWORD: 'hunter2' });
    expect(run).toMatchObject({ code: 1, stdout: '', stderr: 'fleet: the password must be at least 12 characters long (it has 7)\n' });
  });

  test.concurrent('a DATABASE_URL that is not PostgreSQL is a configuration error naming the variable', async () => {
    const run = await fleet(['create-branch', '--id', 'x', '--name', 'y'], { DATABASE_URL: 'mysql://db/bilik' });
    expect(run).toMatchObject({
      code: 1,
      stderr: 'fleet: Invalid configuration: DATABASE_URL must be a postgres:// or postgresql:// URL\n',
    });
  });
});
