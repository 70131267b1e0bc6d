/**
 * Administration from the command line, on the same database the server uses.
 *
 * Run: npm run fleet -- <command> [options]   (see USAGE below)
 * Exit codes: 0 done, 1 failed (one line on stderr says why), 2 bad arguments (usage printed).
 */
import { parseArgs } from 'node:util';
import { destination, pino } from 'pino';
import { AccountStore, parseNewAccount, parseNewBranch } from '../server/src/accounts/accountStore.js';
import { checkPasswordPolicy } from '../server/src/accounts/passwords.js';
import { ConfigError, describeDatabaseConfig, loadFleetConfig, type FleetConfig } from '../server/src/config.js';
import { Database } from '../server/src/db/database.js';
import { migrate } from '../server/src/db/migrate.js';
import { ValidationError } from '../server/src/errors.js';
import type { Logger } from '../server/src/logger.js';

const USAGE = `Usage: npm run fleet -- <command> [options]

Commands:
  create-branch --id ID --name NAME [--region REGION]
      Adds a branch office.

  create-admin --username USERNAME --name "DISPLAY NAME" [--branch ID ...]
      Creates an IT administrator (role it_admin): the first real administrator, who will
      create the other accounts once the IT pages exist. --branch may be repeated.
      The password is read from BILIK_ADMIN_PASSWORD when set (scripted provisioning),
      otherwise asked for on the terminal, twice, without echo. At least 12 characters.

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
};

async function createBranch(args: string[], config: Readonly<FleetConfig>, logger: Logger): Promise<void> {
  const { values } = parse(args, {
    id: { type: 'string' },
    name: { type: 'string' },
    region: { type: 'string' },
  });
  const branch = asUsage(() => parseNewBranch({ id: required(values.id, '--id'), name: required(values.name, '--name'), region: values.region }));
  await withDatabase(config, logger, async (store) => {
    await store.createBranch(branch);
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
  await withDatabase(config, logger, async (store) => {
    const account = await store.createAccount({ ...fields, password });
    const branches = account.branchIds.length > 0 ? account.branchIds.join(', ') : 'none';
    console.log(`Created IT administrator ${account.username} (id ${account.id}; branches: ${branches}).`);
    console.log('They can sign in with this username and the password given once the sign-in page exists.');
  });
}

/** Opens the server's database, applies migrations, runs `work`, and always closes it. */
async function withDatabase(config: Readonly<FleetConfig>, logger: Logger, work: (store: AccountStore) => Promise<void>): Promise<void> {
  const database = await Database.open(config.database, logger);
  try {
    const shown = describeDatabaseConfig(config.database);
    const where = 'url' in shown ? `PostgreSQL at ${shown.url}` : `embedded database in ${shown.embedded.dataDir}`;
    console.log(`Database: ${where}.`);
    const applied = await migrate(database, { logger });
    console.log(applied.length > 0 ? `Migrations applied: ${applied.map((m) => `${String(m.version).padStart(3, '0')}_${m.name}`).join(', ')}.` : 'Schema up to date.');
    await work(new AccountStore(database, logger));
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

const OPTION_OF_FIELD: Record<string, string> = { id: '--id', name: '--name', region: '--region', username: '--username', displayName: '--name', branchIds: '--branch' };

/** Runs a field check; a bad field is a usage error that names the option it came from. */
function asUsage<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // "branchIds.0 must be ..." -> "--branch must be ..."
    throw new UsageError(error.message.replace(/(^|; )(\w+)(\.\d+)?/g, (_, start: string, field: string) => start + (OPTION_OF_FIELD[field] ?? field)));
  }
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
        else if (char === '\u001b') return; // an arrow or function key: drop the rest of its sequence
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
    const logger: Logger = pino({ level: config.logLevel, base: { service: 'bilik-fleet' } }, destination(2));
    await command(args, config, logger);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`fleet: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    const message = error instanceof ConfigError ? error.message.replace(/:?\n\s+/g, '; ').replace('configuration; ', 'configuration: ') : (error as Error).message;
    process.stderr.write(`fleet: ${message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
