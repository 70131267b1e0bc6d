/**
 * Kiosks' help requests through the real /journey command and the supervisors' HTTP routes, on
 * real Redis and the real audit trail: a request lasts until a supervisor clears it (audited with
 * who and when) or until HELP_REQUEST_MINUTES after the kiosk last asked (audited as expired, once).
 */
import { NAMESPACES, type HelpRequestView } from '@bilik/shared';
import { request } from '@bilik/shared/client';
import { helpKey } from '../../server/src/help/helpRequests.js';
import { connected, openSocket, type NamespaceSockets } from '../support/sockets.js';
import { useSuiteResources } from '../support/suiteResources.js';
import { seedBranch, signedInCookie, TEST_BRANCH, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

/** Six seconds: room enough to clear a request before it expires, short enough to watch one expire. */
const LIFETIME_MS = 6_000;

const resources = useSuiteResources();
let server: TestServer;
let desk: SeededDesk;
let supervisor: { accountId: string; cookie: string };
const kiosks: Array<NamespaceSockets['/journey']> = [];

beforeAll(async () => {
  server = await resources.server({ HELP_REQUEST_MINUTES: String(LIFETIME_MS / 60_000) });
  desk = await seedBranch(server, { booths: 4 });
  const { account, cookie } = await signedInCookie(server, { username: 'penyelia-1', role: 'supervisor', branchIds: [TEST_BRANCH] });
  supervisor = { accountId: account.id, cookie };
}, 60_000);

afterEach(async () => {
  for (const kiosk of kiosks.splice(0)) kiosk.disconnect();
  await server.redis.del(helpKey(TEST_BRANCH));
});

/** Presses Bantuan on `boothId`'s kiosk. */
async function askForHelp(boothId: string): Promise<void> {
  const kiosk = openSocket(server.url, NAMESPACES.journey, { credential: desk.credentials[boothId] });
  kiosks.push(kiosk);
  await connected(kiosk);
  await request(kiosk, 'help:request', {});
  kiosk.disconnect();
}

/** The supervisor page's list, as the route answers it. */
async function openRequests(): Promise<HelpRequestView[]> {
  const response = await fetch(`${server.url}/api/branches/${TEST_BRANCH}/help-requests`, { headers: { cookie: supervisor.cookie } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: HelpRequestView[] }).data;
}

/** The supervisor presses "clear" on `boothId`; the HTTP status. */
async function clear(boothId: string): Promise<number> {
  const response = await fetch(`${server.url}/api/branches/${TEST_BRANCH}/help-requests/${boothId}/clear`, {
    method: 'POST',
    headers: { cookie: supervisor.cookie, origin: server.url },
  });
  return response.status;
}

interface AuditRow {
  at: Date;
  actor_kind: string;
  actor_id: string | null;
  detail: { branchId: string; requestedAt: string };
}

async function auditOf(action: string, boothId: string): Promise<AuditRow[]> {
  return server.db.query<AuditRow>(
    'select at, actor_kind, actor_id, detail from audit_events where action = $1 and subject = $2 order by id',
    [action, boothId],
  );
}

test('a supervisor clearing a help request takes it off the list and the audit names who cleared it and when, once', async () => {
  await askForHelp('bilik-1');
  const [asked] = await openRequests();
  expect(asked).toEqual({ boothId: 'bilik-1', requestedAt: expect.any(String) });

  const before = Date.now();
  expect(await clear('bilik-1')).toBe(200);
  const after = Date.now();
  expect(await openRequests()).toEqual([]);
  const rows = await auditOf('help.cleared', 'bilik-1');
  expect(rows).toEqual([
    {
      at: expect.any(Date),
      actor_kind: 'account',
      actor_id: supervisor.accountId,
      detail: { branchId: TEST_BRANCH, requestedAt: asked!.requestedAt },
    },
  ]);
  // The database's clock and the test's are the same machine's.
  expect(rows[0]!.at.getTime()).toBeGreaterThanOrEqual(before - 1000);
  expect(rows[0]!.at.getTime()).toBeLessThanOrEqual(after + 1000);

  expect(await clear('bilik-1')).toBe(404);
  expect(await auditOf('help.cleared', 'bilik-1')).toHaveLength(1);
  expect(await auditOf('help.expired', 'bilik-1')).toEqual([]);
});

test('a help request nobody clears disappears on its own after its lifetime and is audited as expired once, however many read', async () => {
  await askForHelp('bilik-2');
  const [asked] = await openRequests();
  // The branch's key itself has a Redis TTL, so nothing outlives a branch nobody reads.
  expect(await server.redis.pttl(helpKey(TEST_BRANCH))).toBeGreaterThan(0);

  await waitFor(
    'the request expires',
    async () => (await Promise.all([openRequests(), openRequests()])).every((open) => open.length === 0),
    3 * LIFETIME_MS,
  );
  expect(Date.now() - Date.parse(asked!.requestedAt)).toBeGreaterThanOrEqual(LIFETIME_MS - 100);
  await openRequests();
  expect(await auditOf('help.expired', 'bilik-2')).toEqual([
    { at: expect.any(Date), actor_kind: 'system', actor_id: null, detail: { branchId: TEST_BRANCH, requestedAt: asked!.requestedAt } },
  ]);
  expect(await clear('bilik-2')).toBe(404);
  expect(await auditOf('help.cleared', 'bilik-2')).toEqual([]);
});

test('asking again keeps the first time shown and starts the lifetime afresh from the last ask', async () => {
  const now = Number((await server.redis.time())[0]) * 1000;
  const longAgo = now - 10 * LIFETIME_MS;
  // bilik-3 first asked long ago and again just now; bilik-4 asked long ago only.
  await server.redis.hset(helpKey(TEST_BRANCH), 'bilik-3', `${longAgo}:${now}`, 'bilik-4', `${longAgo}:${longAgo}`);
  expect(await openRequests()).toEqual([{ boothId: 'bilik-3', requestedAt: new Date(longAgo).toISOString() }]);
  expect(await auditOf('help.expired', 'bilik-4')).toHaveLength(1);

  await askForHelp('bilik-3');
  expect(await openRequests()).toEqual([{ boothId: 'bilik-3', requestedAt: new Date(longAgo).toISOString() }]);
  // An expired request asked for again is a new one, with its own time.
  await askForHelp('bilik-4');
  const open = await openRequests();
  expect(open.map(({ boothId }) => boothId)).toEqual(['bilik-3', 'bilik-4']);
  expect(Date.parse(open[1]!.requestedAt)).toBeGreaterThanOrEqual(now);
});

test('a request stored by an earlier version (its first time alone) is read, and expires by that time', async () => {
  const now = Number((await server.redis.time())[0]) * 1000;
  const expiredBefore = (await auditOf('help.expired', 'bilik-2')).length;
  await server.redis.hset(helpKey(TEST_BRANCH), 'bilik-1', String(now), 'bilik-2', String(now - 10 * LIFETIME_MS));
  expect(await openRequests()).toEqual([{ boothId: 'bilik-1', requestedAt: new Date(now).toISOString() }]);
  expect(await auditOf('help.expired', 'bilik-2')).toHaveLength(expiredBefore + 1);
});
