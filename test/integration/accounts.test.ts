/**
 * Accounts and branches in the records database, on both engines.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import {
  AccountStore,
  BranchExistsError,
  UnknownBranchError,
  UsernameTakenError,
  type NewAccount,
} from '../../server/src/accounts/accountStore.js';
import { PasswordPolicyError, verifyPassword } from '../../server/src/accounts/passwords.js';
import type { Database } from '../../server/src/db/database.js';
import { migrate } from '../../server/src/db/migrate.js';
import { ValidationError } from '../../server/src/errors.js';
import { describeEachDatabase, type FreshDatabase } from './databaseTargets.js';

const PASSWORD = 'sebelas dua belas';

describeEachDatabase('accounts', (target) => {
  let fresh: FreshDatabase;
  let db: Database;
  let store: AccountStore;
  const logLines: string[] = [];

  beforeAll(async () => {
    fresh = await target.fresh();
    db = await fresh.open();
    await migrate(db);
    // Everything the store logs, at every level, to check that no personal data is in it.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    store = new AccountStore(db, pino({ level: 'trace' }, sink));
    await store.createBranch({ id: 'jkt-01', name: 'Jakarta Pusat', region: 'DKI Jakarta' });
    await store.createBranch({ id: 'bdg-01', name: 'Bandung' });
  });

  afterAll(async () => {
    await db?.close();
    await fresh?.dispose();
  });

  function officer(overrides: Partial<NewAccount> = {}): NewAccount {
    return {
      username: 'siti.rahma',
      displayName: 'Siti Rahmawati',
      role: 'officer',
      password: PASSWORD,
      branchIds: ['jkt-01'],
      ...overrides,
    };
  }

  test('a branch is created with its region; a branch without one has null; a taken id is refused', async () => {
    await expect(store.listBranches()).resolves.toEqual([
      { id: 'bdg-01', name: 'Bandung', region: null },
      { id: 'jkt-01', name: 'Jakarta Pusat', region: 'DKI Jakarta' },
    ]);
    await expect(store.createBranch({ id: 'jkt-01', name: 'Again' })).rejects.toThrow(BranchExistsError);
    await expect(store.createBranch({ id: 'no spaces', name: 'X' })).rejects.toThrow(/^id must be 1 to 64 letters/);
  });

  test('a created account comes back with its branches and without any password hash', async () => {
    const account = await store.createAccount(
      officer({ username: 'Ani.Wijaya', displayName: 'Ani Wijaya', branchIds: ['jkt-01', 'bdg-01', 'jkt-01'] }),
    );
    expect(account).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      username: 'ani.wijaya',
      displayName: 'Ani Wijaya',
      role: 'officer',
      branchIds: ['bdg-01', 'jkt-01'],
      capacity: 6,
      createdAt: expect.any(Date),
    });
    await expect(store.findByUsername('ANI.wijaya')).resolves.toEqual(account);
    await expect(store.findByUsername('nobody.here')).resolves.toBeNull();
    await expect(store.findByUsername('not a username!')).resolves.toBeNull();
  });

  test('no way of reading accounts returns the password or its hash, except the sign-in record', async () => {
    const created = await store.createAccount(officer({ username: 'hash.check', displayName: 'Hash Check' }));
    const everything = JSON.stringify([created, await store.findByUsername('hash.check'), await store.listAccounts()]);
    expect(everything).not.toMatch(/scrypt|password|sebelas/i);
    const record = await store.findSignInRecord('Hash.Check');
    expect(record?.account).toEqual(created);
    await expect(verifyPassword(PASSWORD, record!.passwordHash)).resolves.toBe(true);
    await expect(verifyPassword('sebelas dua belas tiga', record!.passwordHash)).resolves.toBe(false);
    await expect(store.findSignInRecord('nobody.here')).resolves.toBeNull();
  });

  test('a username that is taken, in any case, is refused and no second account exists', async () => {
    await store.createAccount(officer({ username: 'budi.s', displayName: 'Budi Santoso' }));
    await expect(store.createAccount(officer({ username: 'BUDI.S', displayName: 'Another Budi' }))).rejects.toThrow(UsernameTakenError);
    await expect(store.createAccount(officer({ username: 'budi.s' }))).rejects.toThrow('that username is already taken');
    await expect(db.query(`select count(*) as n from accounts where username = 'budi.s'`)).resolves.toEqual([{ n: '1' }]);
  });

  test('two creations of the same username at once: exactly one succeeds', async () => {
    const results = await Promise.allSettled([
      store.createAccount(officer({ username: 'race.same' })),
      store.createAccount(officer({ username: 'race.same' })),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: expect.any(UsernameTakenError) });
  });

  test('an unknown branch is refused by name, and nothing of the account is left behind', async () => {
    await expect(store.createAccount(officer({ username: 'lost.branch', branchIds: ['jkt-01', 'sby-09'] }))).rejects.toThrow(
      new UnknownBranchError('unknown branch: sby-09'),
    );
    await expect(store.findByUsername('lost.branch')).resolves.toBeNull();
  });

  test('a bad role, username, empty name or short password is refused with a message naming the field', async () => {
    const attempt = (overrides: Record<string, unknown>) => store.createAccount(officer(overrides));
    await expect(attempt({ role: 'superuser' })).rejects.toThrow('role must be one of officer, supervisor, it_admin');
    await expect(attempt({ username: 'ab' })).rejects.toThrow(/^username must be 3 to 64 characters/);
    await expect(attempt({ username: 'budi santoso' })).rejects.toThrow(/^username must be/);
    await expect(attempt({ displayName: '   ' })).rejects.toThrow('displayName must not be empty');
    await expect(attempt({ username: 'short.pw', password: 'too short' })).rejects.toThrow(PasswordPolicyError);
    await expect(attempt({ username: 'bad.branch', branchIds: ['has space'] })).rejects.toThrow(/^branchIds\.0 must be/);
    await expect(attempt({ role: 'superuser' })).rejects.toThrow(ValidationError);
    await expect(store.findByUsername('short.pw')).resolves.toBeNull();
  });

  test('the schema itself refuses an upper-case username and an unknown role', async () => {
    const insert = (username: string, role: string) =>
      db.query(`insert into accounts (username, display_name, role, password_hash) values ($1, 'x', $2, 'x')`, [username, role]);
    await expect(insert('Upper.Case', 'officer')).rejects.toMatchObject({ code: '23514' });
    await expect(insert('fine.name', 'root')).rejects.toMatchObject({ code: '23514' });
  });

  test('accounts are listed by username, all or those covering one branch', async () => {
    await store.createAccount(officer({ username: 'zz.bandung', role: 'supervisor', branchIds: ['bdg-01'] }));
    const all = await store.listAccounts();
    expect(all.map((account) => account.username)).toEqual([...all.map((account) => account.username)].sort());
    const bandung = await store.listAccounts({ branchId: 'bdg-01' });
    expect(bandung.map((account) => account.username)).toEqual(['ani.wijaya', 'zz.bandung']);
    // Each listed account still shows all its branches, not only the one filtered on.
    expect(bandung[0]!.branchIds).toEqual(['bdg-01', 'jkt-01']);
  });

  test('deleting a branch removes it from the accounts that covered it', async () => {
    await store.createBranch({ id: 'tmp-01', name: 'Temporary' });
    await store.createAccount(officer({ username: 'tmp.officer', branchIds: ['tmp-01', 'jkt-01'] }));
    await db.query(`delete from branches where id = 'tmp-01'`);
    await expect(store.findByUsername('tmp.officer')).resolves.toMatchObject({ branchIds: ['jkt-01'] });
  });

  test('the logs name accounts by id only: no display names, usernames or passwords', () => {
    const logs = logLines.join('');
    expect(logs).toContain('account created');
    for (const personal of ['Siti', 'Rahmawati', 'Ani Wijaya', 'Budi', 'siti.rahma', 'ani.wijaya', 'budi.s', 'sebelas', 'scrypt']) {
      expect(logs).not.toContain(personal);
    }
  });
});
