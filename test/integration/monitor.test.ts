/**
 * A supervisor monitoring a visit over the real /monitor namespace: what the handshake refuses,
 * which consumers the server makes for whom before and after a barge-in, what the officer and
 * the booths are told (nothing, until a barge-in), and how a monitor ends: with the visit, or
 * with the supervisor's session. Every start, barge and stop is in the audit trail.
 */
import { NAMESPACES, PROTOCOL_VERSION, type ConsumerCreatedPayload, type DeskState } from '@bilik/shared';
import { request } from '@bilik/shared/client';
import { askOk, joinDesk, type DeskClient } from '../support/deskClient.js';
import { connected, disconnected, nextEvent, openSocket, refused } from '../support/sockets.js';
import {
  seedDesk,
  signedInCookie,
  startTestServer,
  TEST_BRANCH,
  waitFor,
  type SeededDesk,
  type TestServer,
} from '../support/testServer.js';

let server: TestServer;
let desk: SeededDesk;
let supervisorCookie: string;
let supervisorId: string;
const clients: DeskClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  desk = await seedDesk(server);
  const supervisor = await signedInCookie(server, { username: 'penyelia-1', role: 'supervisor', branchIds: [TEST_BRANCH] });
  supervisorCookie = supervisor.cookie;
  supervisorId = supervisor.account.id;
});

afterEach(() => {
  for (const client of clients.splice(0)) client.socket.disconnect();
});

afterAll(async () => {
  await server?.close();
});

async function audited(action: string, boothId: string): Promise<number> {
  const rows = await server.db.query<{ count: string }>('select count(*) from audit_events where action = $1 and subject = $2', [
    action,
    boothId,
  ]);
  return Number(rows[0]!.count);
}

async function join(...args: Parameters<typeof joinDesk>): Promise<DeskClient> {
  const client = await joinDesk(...args);
  clients.push(client);
  return client;
}

/** Who sends each consumer `client` was given, as `role:id kind`. */
const sources = (client: DeskClient): string[] =>
  client.consumers.map((consumer: ConsumerCreatedPayload) => `${consumer.source.role}:${consumer.source.id} ${consumer.kind}`).sort();

test("the handshake names a booth in a visit of the supervisor's branch", async () => {
  const refusal = async (auth: Record<string, unknown>) =>
    (
      await refused(
        openSocket(server.url, NAMESPACES.monitor, { cookie: supervisorCookie, auth: { protocolVersion: PROTOCOL_VERSION, ...auth } }),
      )
    ).data?.error;
  expect(await refusal({})).toBe('BAD_REQUEST');
  expect(await refusal({ boothId: 'no-such-booth' })).toBe('NOT_FOUND');
  await server.booths.createBooth({ id: 'bilik-idle', branchId: TEST_BRANCH, name: 'Bilik Kosong' }, { kind: 'system' });
  expect(await refusal({ boothId: 'bilik-idle' })).toBe('INVALID_STATE');
});

test("a monitor reconnecting with its visit's id never attaches to the booth's next visit", async () => {
  const open = (visitId?: string) =>
    openSocket(server.url, NAMESPACES.monitor, {
      cookie: supervisorCookie,
      auth: { protocolVersion: PROTOCOL_VERSION, boothId: 'bilik-3', ...(visitId === undefined ? {} : { visitId }) },
    });
  const first = open();
  const state = nextEvent<{ visitId: string }>(first, 'monitor:changed');
  await connected(first);
  const { visitId } = await state;
  expect(visitId).toBe((await server.scheduler.visitOf('bilik-3'))?.visitId);
  first.disconnect();
  // The same visit: allowed back. Another visit at the same booth (or one long over): refused.
  const again = open(visitId);
  await connected(again);
  again.disconnect();
  expect((await refused(open(`${visitId}-next`))).data?.error).toBe('INVALID_STATE');
});

test('the supervisor gets the watched visit only; nobody hears of the supervisor until a barge-in, then bilik-2 alone hears them and the officer is told', async () => {
  const officer = await join(server.url, NAMESPACES.officer, { cookie: desk.officer.cookie });
  const booths = new Map<string, DeskClient>();
  for (const boothId of ['bilik-1', 'bilik-2', 'bilik-3'])
    booths.set(boothId, await join(server.url, NAMESPACES.booth, { credential: desk.credentials[boothId] }));
  await askOk(officer.socket, 'talk:select', { boothId: 'bilik-2' });
  const started = await audited('visit.monitor_started', 'bilik-2');
  const supervisor = await join(server.url, NAMESPACES.monitor, { cookie: supervisorCookie, boothId: 'bilik-2' }, ['audio']);
  expect(await audited('visit.monitor_started', 'bilik-2')).toBe(started + 1);
  await waitFor("the supervisor's three consumers", () => supervisor.consumers.length === 3);
  expect(sources(supervisor)).toEqual(['booth:bilik-2 audio', 'booth:bilik-2 video', `officer:${desk.officer.accountId} audio`]);

  const mentionsMonitor = (client: DeskClient) =>
    JSON.stringify(client.events).includes('"monitor"') || JSON.stringify(client.events).includes(supervisorId);
  for (const client of [officer, ...booths.values()]) expect(mentionsMonitor(client)).toBe(false);

  const told = nextEvent<DeskState>(officer.socket, 'desk:changed', (state) => state.bargedBoothIds.includes('bilik-2'));
  await askOk(supervisor.socket, 'monitor:barge', { barging: true });
  await told;
  await waitFor('bilik-2 to receive the supervisor', () => booths.get('bilik-2')!.consumers.some((c) => c.source.role === 'monitor'));
  for (const boothId of ['bilik-1', 'bilik-3']) expect(mentionsMonitor(booths.get(boothId)!)).toBe(false);
  expect(officer.consumers.some((consumer) => consumer.source.role === 'monitor')).toBe(false);
  expect(await audited('visit.barged_in', 'bilik-2')).toBe(1);

  const closed = nextEvent(booths.get('bilik-2')!.socket, 'consumer:closed');
  await askOk(supervisor.socket, 'monitor:barge', { barging: false });
  await closed;
  expect(await audited('visit.barge_ended', 'bilik-2')).toBe(1);

  // A monitor that leaves while barging in ends its barge-in in the trail too.
  await askOk(supervisor.socket, 'monitor:barge', { barging: true });
  supervisor.socket.disconnect();
  await waitFor('the barge-in ended by leaving audited', async () => (await audited('visit.barge_ended', 'bilik-2')) === 2);
});

test("a supervisor's monitor cannot send a camera", async () => {
  await expect(join(server.url, NAMESPACES.monitor, { cookie: supervisorCookie, boothId: 'bilik-1' }, ['audio', 'video'])).rejects.toThrow(
    /BAD_REQUEST/,
  );
});

test('the visit ending closes its monitors, and the stop is audited; so does signing out', async () => {
  const officer = openSocket(server.url, NAMESPACES.officer, { cookie: desk.officer.cookie });
  await connected(officer);
  const stoppedBefore = await audited('visit.monitor_stopped', 'bilik-4');
  const supervisor = openSocket(server.url, NAMESPACES.monitor, { cookie: supervisorCookie, boothId: 'bilik-4' });
  await connected(supervisor);
  const ended = nextEvent(supervisor, 'monitor:ended');
  const cut = disconnected(supervisor);
  await request(officer, 'session:end', { boothId: 'bilik-4', noOutcomeReason: 'claimant_left' });
  expect(await ended).toEqual({ boothId: 'bilik-4' });
  await cut;
  await waitFor('the stop audited', async () => (await audited('visit.monitor_stopped', 'bilik-4')) === stoppedBefore + 1);

  const { cookie } = await signedInCookie(server, { username: 'penyelia-2', role: 'supervisor', branchIds: [TEST_BRANCH] });
  const another = openSocket(server.url, NAMESPACES.monitor, { cookie, boothId: 'bilik-5' });
  await connected(another);
  const signedOut = disconnected(another);
  await fetch(`${server.url}/auth/signout`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: server.url } });
  await signedOut;
  officer.disconnect();
});
