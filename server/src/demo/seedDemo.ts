/**
 * First-run demo: one branch, six enrolled booths, two officers, a supervisor and an IT
 * administrator, so `npm start` on a fresh machine can be tried at once. Passwords and booth
 * credentials are random, written once to a file only the service's user can read, and printed
 * at every start while that file exists. Turned off with DEMO_SEED=off (and in production).
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BranchExistsError, type AccountStore } from '../accounts/accountStore.js';
import type { Role } from '../auth/roles.js';
import type { BoothStore } from '../fleet/boothStore.js';
import type { Logger } from '../logger.js';

const demoSignInSchema = z.object({
  accounts: z.array(z.object({ username: z.string(), password: z.string(), role: z.enum(['officer', 'supervisor', 'it_admin']) })),
  booths: z.array(z.object({ boothId: z.string(), credential: z.string() })),
});
/** What the demo's people and booths sign in with. */
export type DemoSignIn = z.infer<typeof demoSignInSchema>;

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

/** The demo's sign-in file, or null when there is none (no demo, or it was deleted). */
export async function readDemoSignIn(dataDir: string): Promise<DemoSignIn | null> {
  let text: string;
  try {
    text = await readFile(demoSignInFile(dataDir), 'utf8');
  } catch {
    return null;
  }
  const parsed = demoSignInSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

/** How to try the demo, for the terminal. */
export function describeDemo(baseUrl: string, demo: DemoSignIn, file: string): string {
  const people = demo.accounts.map((account) => `    ${account.role.padEnd(10)} ${account.username.padEnd(12)} ${account.password}`);
  const booths = demo.booths.map((booth) => `    ${booth.boothId.padEnd(8)} ${baseUrl}/booth/#credential=${booth.credential}`);
  return [
    `Demo (from ${file}; delete it to stop this message, DEMO_SEED=off to seed nothing):`,
    `  sign in at ${baseUrl}/signin as`,
    ...people,
    `  booth kiosks (open each once; the kiosk keeps its credential):`,
    ...booths,
  ].join('\n');
}
