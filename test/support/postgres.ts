/**
 * A PostgreSQL of its own for a test or a benchmark: a new cluster from Debian's PostgreSQL
 * binaries on a free loopback port, removed when stopped. As root it runs as the postgres user,
 * which PostgreSQL requires.
 */
import { spawnSync } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './testServer.js';

/** Where Debian 12's postgresql-15 package puts the server's programs (the set-up installs it for the tests). */
export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

export interface ThrowAwayPostgres {
  /** The database's URL, for DATABASE_URL. */
  url: string;
  /** Creates another empty database in the cluster; resolves to its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the cluster and deletes its files. */
  stop(): Promise<void>;
}

/** A throw-away PostgreSQL cluster on a free loopback port with one empty `database`; `stop` removes it. */
export async function throwAwayPostgres(database: string): Promise<ThrowAwayPostgres> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bilik-pg-'));
  // PostgreSQL refuses to run as root: then it runs as the postgres user, in a directory it owns.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    await chown(dir, id('-u'), id('-g'));
  }
  const run = (command: string, args: string[]): void => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout || result.error?.message}`);
  };
  const port = await freePort();
  const data = path.join(dir, 'data');
  run(path.join(POSTGRES_BIN, 'initdb'), ['-D', data, '-U', 'bilik', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  run(path.join(POSTGRES_BIN, 'pg_ctl'), [
    '-D',
    data,
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    'start',
  ]);
  const createDatabase = async (name: string): Promise<string> => {
    const admin = new pg.Client({ connectionString: `postgresql://bilik@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    return `postgresql://bilik@127.0.0.1:${port}/${name}`;
  };
  return {
    url: await createDatabase(database),
    createDatabase,
    stop: async () => {
      run(path.join(POSTGRES_BIN, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
