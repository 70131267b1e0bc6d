/**
 * Provisions the desks of a benchmark on the server's own database: one branch and, per desk,
 * one officer account and one enrolled booth. Prints what they sign in with as JSON on stdout:
 *   { "branchId": ..., "officers": [{ "username", "password" }], "booths": [{ "boothId", "credential" }] }
 * Run where the server runs, with its environment (DATABASE_URL or DATA_DIR): bench:compose runs
 * it inside a server container of the compose stack, whose database is not reachable from outside.
 *
 * Run: node --import tsx scripts/benchDesksProvision.ts --desks 24
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { destination } from 'pino';
import { AccountStore } from '../server/src/accounts/accountStore.js';
import { loadFleetConfig } from '../server/src/config.js';
import { migrate } from '../server/src/db/migrate.js';
import { openDatabase } from '../server/src/db/openDatabase.js';
import { BoothStore } from '../server/src/fleet/boothStore.js';
import { createLogger } from '../server/src/logger.js';

const SYSTEM = { kind: 'system' } as const;
const MAX_DESKS = 200;

const { values } = parseArgs({ options: { desks: { type: 'string' }, branch: { type: 'string', default: 'bench' } } });
const desks = Number(values.desks);
if (!Number.isInteger(desks) || desks < 1 || desks > MAX_DESKS) {
  process.stderr.write(`--desks must be a whole number from 1 to ${MAX_DESKS}\n`);
  process.exit(2);
}
const branchId = values.branch;

const config = loadFleetConfig(process.env);
// stdout carries the JSON alone: logs go to stderr.
const logger = createLogger(config.logLevel, { service: 'bilik-bench-provision', destination: destination(2) });
const database = await openDatabase(config.database, logger);
try {
  await migrate(database, { logger });
  const accounts = new AccountStore(database, logger);
  const booths = new BoothStore(database, logger);
  await accounts.createBranch({ id: branchId, name: `Benchmark ${branchId}`, region: 'Benchmark' });
  const provisioned = {
    branchId,
    officers: [] as Array<{ username: string; password: string }>,
    booths: [] as Array<{ boothId: string; credential: string }>,
  };
  for (let number = 1; number <= desks; number += 1) {
    const username = `${branchId}-petugas-${number}`;
    const password = randomBytes(12).toString('base64url');
    await accounts.createAccount({ username, displayName: `Petugas ${number}`, role: 'officer', password, branchIds: [branchId] });
    provisioned.officers.push({ username, password });
    const boothId = `${branchId}-bilik-${number}`;
    await booths.createBooth({ id: boothId, branchId, name: `Bilik ${number}` }, SYSTEM);
    provisioned.booths.push({ boothId, credential: await booths.issueCredential(boothId, SYSTEM) });
  }
  process.stdout.write(`${JSON.stringify(provisioned)}\n`);
} finally {
  await database.close();
}
