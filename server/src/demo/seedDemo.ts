/**
 * First-run demo: one branch, six enrolled booths, two officers, a supervisor and an IT
 * administrator, so `npm start` on a fresh machine can be tried at once. Passwords and booth
 * credentials are random, written once to a file only the service's user can read, and printed
 * by the start that created them (startBanner.ts). Turned off with DEMO_SEED=off (and in production).
 */
import { randomBytes } from 'node:crypto';
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BranchExistsError, type AccountStore } from '../accounts/accountStore.js';
import type { Role } from '../auth/roles.js';
import type { BoothStore } from '../fleet/boothStore.js';
import type { Logger } from '../logger.js';

/** What the demo's people and booths sign in with. */
export interface DemoSignIn {
  accounts: { username: string; password: string; role: Role }[];
  booths: { boothId: string; credential: string }[];
}

const BRANCH = { id: 'jkt-pusat', name: 'Kantor Cabang Jakarta Pusat', region: 'DKI Jakarta' };
const PEOPLE: ReadonlyArray<{ username: string; displayName: string; role: Role }> = [
  { username: 'petugas-1', displayName: 'Petugas Satu', role: 'officer' },
  { username: 'petugas-2', displayName: 'Petugas Dua', role: 'officer' },
  { username: 'penyelia-1', displayName: 'Penyelia Satu', role: 'supervisor' },
  { username: 'admin-ti-1', displayName: 'Admin TI Satu', role: 'it_admin' },
];
const BOOTH_COUNT = 6;
const FILE_NAME = 'demo-sign-in.json';

/** The file holding the demo's passwords and booth credentials. */
export function demoSignInFile(dataDir: string): string {
  return path.join(dataDir, FILE_NAME);
}

/**
 * Seeds the demo when the database has no accounts yet; returns what was created, or null when
 * there was nothing to do (or another server process seeded it first).
 */
export async function seedDemoIfEmpty(
  stores: { accounts: AccountStore; booths: BoothStore },
  dataDir: string,
  logger: Logger,
): Promise<DemoSignIn | null> {
  if (await stores.accounts.hasAccounts()) return null;
  try {
    await stores.accounts.createBranch(BRANCH);
  } catch (error) {
    if (error instanceof BranchExistsError) return null;
    throw error;
  }
  const demo: DemoSignIn = { accounts: [], booths: [] };
  for (const person of PEOPLE) {
    const password = randomBytes(12).toString('base64url');
    await stores.accounts.createAccount({ ...person, password, branchIds: [BRANCH.id] });
    demo.accounts.push({ username: person.username, password, role: person.role });
  }
  for (let number = 1; number <= BOOTH_COUNT; number += 1) {
    const boothId = `bilik-${number}`;
    await stores.booths.createBooth({ id: boothId, branchId: BRANCH.id, name: `Bilik ${number}` }, { kind: 'system' });
    demo.booths.push({ boothId, credential: await stores.booths.issueCredential(boothId, { kind: 'system' }) });
  }
  await writeFile(demoSignInFile(dataDir), JSON.stringify(demo, null, 2), { mode: 0o600 });
  logger.child({ module: 'demo' }).info({ branchId: BRANCH.id, accounts: PEOPLE.length, booths: BOOTH_COUNT }, 'demo seeded');
  return demo;
}

/** Whether the demo's sign-in file is there (not deleted since the demo was seeded). */
export async function hasDemoSignInFile(dataDir: string): Promise<boolean> {
  return access(demoSignInFile(dataDir)).then(
    () => true,
    () => false,
  );
}
