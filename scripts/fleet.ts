/**
 * Administration from the command line, on the same database the server uses.
 *
 * Run: npm run fleet -- <command> [options]   (see USAGE below)
 * Exit codes: 0 done, 1 failed (one line on stderr says why), 2 bad arguments (usage printed).
 */
import { parseArgs } from 'node:util';
import { destination } from 'pino';
import { AccountStore, parseNewAccount, parseNewBranch } from '../server/src/accounts/accountStore.js';
import { checkPasswordPolicy } from '../server/src/accounts/passwords.js';
import { ConfigError, describeDatabaseConfig, loadFleetConfig, type FleetConfig } from '../server/src/config.js';
import { openDatabase } from '../server/src/db/openDatabase.js';
import { migrate } from '../server/src/db/migrate.js';
import { NotFoundError, ValidationError } from '../server/src/errors.js';
import { BoothStore, type Booth } from '../server/src/fleet/boothStore.js';
import { DEFAULT_ENROLMENT_POLICY, EnrolmentService } from '../server/src/fleet/enrolment.js';
import { createLogger, type Logger } from '../server/src/logger.js';

const USAGE = `Usage: npm run fleet -- <command> [options]

Commands:
  create-branch --id ID --name NAME [--region REGION]
      Adds a branch office.

  create-admin --username USERNAME --name "DISPLAY NAME" [--branch ID ...]
      Creates an IT administrator (role it_admin): the first real administrator, who will
      create the other accounts once the IT pages exist. --branch may be repeated.
      The password is read from BILIK_ADMIN_PASSWORD when set (scripted provisioning),
      otherwise asked for on the terminal, twice, without echo. At least 12 characters.

  create-booth --id ID --branch BRANCH_ID --name "NAME"
      Adds a booth kiosk to a branch and prints its one-time enrolment code, to type on the
      kiosk's enrolment screen (<server>/booth/) within the hour.

  enrolment-code --id BOOTH_ID
      Prints a new one-time enrolment code for a booth, voiding its earlier codes: to enrol it
      again after its browser profile was wiped or its credential revoked.

  list-booths [--branch BRANCH_ID]
      Lists the booths of one branch, or of every branch: enrolled, revoked or not enrolled,
      and whether each is out of service.

  revoke-booth --id BOOTH_ID
      Voids a booth's device credential: it can no longer connect until enrolled again.
      A running server disconnects it at once only when revoked through the IT API.

The database is the server's: PostgreSQL when DATABASE_URL is set, otherwise the embedded
database in DATA_DIR (default ./data), which must not be open in a running server at the
same time. Migrations are applied first.
`;

/** Wrong arguments: exit 2 with the usage text. */
class UsageError extends Error {}

type Command = (args: string[], config: Readonly<FleetConfig>, logger: Logger) => Promise<void>;

const commands: Record<string, Command> = {
  'create-branch': createBranch,
  'create-admin': createAdmin,
  'create-booth': createBooth,
  'enrolment-code': enrolmentCode,
  'list-booths': listBooths,
  'revoke-booth': revokeBooth,
};

/** What a command works with, on the opened and migrated database. */
interface Stores {
  accounts: AccountStore;
  booths: BoothStore;
  enrolment: EnrolmentService;
}

/** The CLI acts as nobody in particular: the audit log records it as the system. */
const SYSTEM = { kind: 'system' } as const;

async function createBranch(args: string[], config: Readonly<FleetConfig>, logger: Logger): Promise<void> {
  const { values } = parse(args, {
    id: { type: 'string' },
    name: { type: 'string' },
    region: { type: 'string' },
  });
  const branch = asUsage(() =>
    parseNewBranch({ id: required(values.id, '--id'), name: required(values.name, '--name'), region: values.region }),
  );
  await withDatabase(config, logger, async ({ accounts }) => {
    await accounts.createBranch(branch);
    console.log(`Created branch ${branch.id} (${branch.name}${branch.region ? `, region ${branch.region}` : ''}).`);
  });
}

async function createAdmin(args: string[], config: Readonly<FleetConfig>, logger: Logger): Promise<void> {
  const { values } = parse(args, {
    username: { type: 'string' },
    name: { type: 'string' },
    branch: { type: 'string', multiple: true },
  });
  // Checked before asking for a password, so a typo does not cost two password entries.
  const fields = asUsage(() =>
    parseNewAccount({
      username: required(values.username, '--username'),
      displayName: required(values.name, '--name'),
      role: 'it_admin',
      password: '',
      branchIds: values.branch ?? [],
    }),
  );
  const password = config.adminPassword ?? (await askNewPassword());
  checkPasswordPolicy(password);
  await withDatabase(config, logger, async ({ accounts }) => {
    const account = await accounts.createAccount({ ...fields, password });
    const branches = account.branchIds.length > 0 ? account.branchIds.join(', ') : 'none';
    console.log(`Created IT administrator ${account.username} (id ${account.id}; branches: ${branches}).`);
    console.log('They can sign in at <server>/signin with this username and the password given.');
  });
}

async function createBooth(args: string[], config: Readonly<FleetConfig>, logger: Logger): Promise<void> {
  const { values } = parse(args, {
    id: { type: 'string' },
    branch: { type: 'string' },
    name: { type: 'string' },
  });
  const fields = { id: required(values.id, '--id'), branchId: required(values.branch, '--branch'), name: required(values.name, '--name') };
  await withDatabase(config, logger, async ({ booths, enrolment }) => {
    const booth = await naming(() => booths.createBooth(fields, SYSTEM));
    console.log(`Created booth ${booth.id} (${booth.name}) in branch ${booth.branchId}, not enrolled yet.`);
    printEnrolmentCode(await enrolment.issueCode(booth.id, SYSTEM));
  });
}

async function enrolmentCode(args: string[], config: Readonly<FleetConfig>, logger: Logger): Promise<void> {
  const { values } = parse(args, { id: { type: 'string' } });
  const id = required(values.id, '--id');
  await withDatabase(config, logger, async ({ enrolment }) => {
    const issued = await unknownBooth(id, () => enrolment.issueCode(id, SYSTEM));
    console.log(`New enrolment code for booth ${id}; its earlier codes no longer work.`);
    printEnrolmentCode(issued);
  });
}

async function listBooths(args: string[], config: Readonly<FleetConfig>, logger: Logger): Promise<void> {
  const { values } = parse(args, { branch: { type: 'string' } });
  const only = values.branch === undefined ? undefined : required(values.branch, '--branch');
  await withDatabase(config, logger, async ({ accounts, booths }) => {
    if (only !== undefined && !(await accounts.listBranches()).some((branch) => branch.id === only))
      throw new Error(`unknown branch: ${only}`);
    const listed = await booths.listBooths(only);
    if (listed.length === 0) {
      console.log('No booths.');
      return;
    }
    printTable(
      ['ID', 'BRANCH', 'NAME', 'STATE', 'OUT OF SERVICE'],
      listed.map((booth) => [booth.id, booth.branchId, booth.name, boothState(booth), booth.outOfService ? 'yes' : 'no']),
    );
  });
}

async function revokeBooth(args: string[], config: Readonly<FleetConfig>, logger: Logger): Promise<void> {
  const { values } = parse(args, { id: { type: 'string' } });
  const id = required(values.id, '--id');
  await withDatabase(config, logger, async ({ booths }) => {
    await unknownBooth(id, () => booths.revoke(id, SYSTEM));
    console.log(`Revoked booth ${id}: its device credential is void and it can no longer connect.`);
    console.log(`To use it again, enrol it with a new code: npm run fleet -- enrolment-code --id ${id}`);
    console.log(
      'A running server disconnects a booth at once only when it is revoked through the IT API ' +
        `(POST /api/booths/${id}/revoke): this command cannot reach a running server's connections ` +
        '(with the embedded database the server is not running anyway), so one still connected stays so until it reconnects.',
    );
  });
}

function boothState(booth: Booth): string {
  if (booth.enrolled) return 'enrolled';
  return booth.revokedAt !== null ? 'revoked' : 'not enrolled';
}

function printEnrolmentCode({ code, expiresAt }: { code: string; expiresAt: Date }): void {
  const { validityMs, maxWrongAttempts } = DEFAULT_ENROLMENT_POLICY;
  const within = validityMs === 60 * 60_000 ? 'within the hour' : `within ${Math.round(validityMs / 60_000)} minutes`;
  console.log(`Enrolment code: ${code}`);
  console.log(`It expires at ${localTime(expiresAt)} (${expiresAt.toISOString()}) and works once.`);
  console.log(`Type it on the booth's enrolment screen at <server>/booth/ ${within}; at most ${maxWrongAttempts} wrong attempts.`);
}

/** 2025-01-31 14:05 Asia/Jakarta: the same on every machine, whatever its locale. */
function localTime(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())} ${zone}`;
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  for (const row of [header, ...rows])
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    );
}

/** "no booth x" from a store, with where to look. */
async function unknownBooth<T>(id: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof NotFoundError) throw new Error(`no booth ${id} (npm run fleet -- list-booths lists them)`);
    throw error;
  }
}

/** Opens the server's database, applies migrations, runs `work`, and always closes it. */
async function withDatabase(config: Readonly<FleetConfig>, logger: Logger, work: (stores: Stores) => Promise<void>): Promise<void> {
  const database = await openDatabase(config.database, logger);
  try {
    const shown = describeDatabaseConfig(config.database);
    const where = 'url' in shown ? `PostgreSQL at ${shown.url}` : `embedded database in ${shown.embedded.dataDir}`;
    console.log(`Database: ${where}.`);
    const applied = await migrate(database, { logger });
    console.log(
      applied.length > 0
        ? `Migrations applied: ${applied.map((m) => `${String(m.version).padStart(3, '0')}_${m.name}`).join(', ')}.`
        : 'Schema up to date.',
    );
    await work({
      accounts: new AccountStore(database, logger),
      booths: new BoothStore(database, logger),
      enrolment: new EnrolmentService(database, logger),
    });
  } finally {
    await database.close();
  }
}

function parse<O extends Record<string, { type: 'string'; multiple?: boolean }>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const OPTION_OF_FIELD: Record<string, string> = {
  id: '--id',
  name: '--name',
  region: '--region',
  username: '--username',
  displayName: '--name',
  branchIds: '--branch',
  branchId: '--branch',
};

/** Runs a field check; a bad field is a usage error that names the option it came from. */
function asUsage<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new UsageError(optionNames(error.message));
  }
}

/** Runs a store call; a bad field it reports (exit 1, the store checks it) names the option it came from. */
async function naming<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Only a plain ValidationError lists fields; its subclasses (BoothExistsError, ...) say what happened.
    if (error instanceof ValidationError && error.constructor === ValidationError) throw new ValidationError(optionNames(error.message));
    throw error;
  }
}

/** "branchIds.0 must be ..." -> "--branch must be ..." */
function optionNames(message: string): string {
  return message.replace(/(^|; )(\w+)(\.\d+)?/g, (_, start: string, field: string) => start + (OPTION_OF_FIELD[field] ?? field));
}

function required(value: string | undefined, option: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${option} is required`);
  return value;
}

/** Asks twice without echo; refuses to run unattended without BILIK_ADMIN_PASSWORD. */
async function askNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new Error('no password: set BILIK_ADMIN_PASSWORD, or run this in a terminal to type it (it is never generated)');
  }
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const password = await askHidden('Password for the new administrator (at least 12 characters): ');
    try {
      checkPasswordPolicy(password);
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      continue;
    }
    if ((await askHidden('The same password again: ')) === password) return password;
    process.stderr.write('The two passwords differ.\n');
  }
  throw new Error('no password set after three attempts');
}

/** Reads one line from the terminal in raw mode, echoing nothing. */
function askHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  // Raw mode before the prompt: whatever is typed once the prompt shows is never echoed.
  input.setRawMode(true);
  process.stderr.write(prompt);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (char === '\u0003' || char === '\u0004') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char === '\u001b')
          return; // an arrow or function key: drop the rest of its sequence
        else if (char >= ' ') value += char;
      }
    };
    input.on('data', onData);
  });
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return 0;
  }
  const command = name === undefined ? undefined : commands[name];
  try {
    if (!command) throw new UsageError(name === undefined ? 'no command given' : `unknown command: ${name}`);
    const config = loadFleetConfig(process.env);
    // Logs (problems only, by default) go to stderr; stdout is the summary of what was done.
    const logger = createLogger(config.logLevel, { service: 'bilik-fleet', destination: destination(2) });
    await command(args, config, logger);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`fleet: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    const message =
      error instanceof ConfigError
        ? error.message.replace(/:?\n\s+/g, '; ').replace('configuration; ', 'configuration: ')
        : (error as Error).message;
    process.stderr.write(`fleet: ${message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
