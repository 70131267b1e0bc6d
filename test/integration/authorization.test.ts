/**
 * The permission table, cell by cell, through the real routes and socket namespaces: for every
 * action and every kind of caller, what the table says happens is what the server does. An
 * action added to the table without a probe here fails to compile.
 */
import { randomUUID } from 'node:crypto';
import { NAMESPACES } from '@bilik/shared';
import { request, SignalingError } from '@bilik/shared/client';
import { ACTIONS, PERMISSIONS, type Action, type PrincipalRole, type Reach } from '../../server/src/auth/permissions.js';
import { livenessKey } from '../../server/src/liveness/livenessChallenges.js';
import { greyJpeg } from '../support/images.js';
import { connected, handshakeOutcome, nextEvent, openSocket, type Namespace, type NamespaceSockets } from '../support/sockets.js';
import {
  seedDesk,
  signedInCookie,
  startTestServer,
  TEST_BRANCH,
  waitFor,
  type SeededDesk,
  type TestServer,
} from '../support/testServer.js';

const OTHER_BRANCH = 'other-branch';

/** Someone calling: nobody, a staff member of a branch, or a booth. */
interface Caller {
  label: string;
  role: PrincipalRole | null;
  /** The branch the caller covers; the probes always act on TEST_BRANCH (or on the caller's own desk). */
  branchId: string | null;
  cookie?: string;
  credential?: string;
}

/** A desk someone serves, whose booths the probes of desk commands act on as that someone's own. */
interface ServedDesk {
  officerId: string;
  branchId: string;
  /** The desk's booth number `n` (1 to 6), in session there from the start. */
  booth(n: number): string;
}

type Outcome = 'allowed' | 'unauthorized' | 'forbidden' | `unexpected ${string}`;

let server: TestServer;
let desk: SeededDesk;
const callers: Caller[] = [];
/** The supervisors' own desks, by caller label; everyone else's desk commands aim at the seeded officer's desk. */
const supervisorDesks = new Map<string, ServedDesk>();
let boothsMade = 0;

beforeAll(async () => {
  server = await startTestServer();
  desk = await seedDesk(server);
  await server.accounts.createBranch({ id: OTHER_BRANCH, name: 'Cabang Lain' });
  callers.push({ label: 'anonymous', role: null, branchId: null });
  callers.push({ label: 'officer', role: 'officer', branchId: TEST_BRANCH, cookie: desk.officer.cookie });
  for (const role of ['supervisor', 'it_admin'] as const) {
    for (const branchId of [TEST_BRANCH, OTHER_BRANCH]) {
      const username = `${role.replace('_', '-')}-${branchId}`;
      const label = `${role} of ${branchId}`;
      if (role === 'it_admin') {
        const { cookie } = await signedInCookie(server, { username, role, branchIds: [branchId] });
        callers.push({ label, role, branchId, cookie });
        continue;
      }
      // A supervisor serves a desk of their own, in a branch of their own, so that their desk commands have booths to act on.
      const deskBranchId = `desk-of-${username}`;
      await server.accounts.createBranch({ id: deskBranchId, name: `Meja ${username}` });
      const { account, cookie } = await signedInCookie(server, { username, role, branchIds: [branchId, deskBranchId] });
      supervisorDesks.set(label, await seedOwnDesk(account.id, deskBranchId, username));
      callers.push({ label, role, branchId, cookie });
    }
  }
  callers.push({ label: 'booth', role: 'booth', branchId: TEST_BRANCH, credential: desk.credentials['bilik-1'] });
});

afterAll(async () => {
  await server?.close();
});

/** Puts `officerId` on duty in `branchId` with six booths of that branch in session at their desk. */
async function seedOwnDesk(officerId: string, branchId: string, name: string): Promise<ServedDesk> {
  const booth = (n: number) => `${name}-bilik-${n}`;
  await server.scheduler.officerOnline(officerId, 6, [branchId], 'seed');
  for (let n = 1; n <= 6; n += 1) {
    await server.booths.createBooth({ id: booth(n), branchId, name: booth(n) }, { kind: 'system' });
    await server.scheduler.boothStart(booth(n), { queueId: branchId, service: 'jht', ticket: null, priority: false }, 'seed');
  }
  return { officerId, branchId, booth };
}

/** The desk `caller`'s desk commands act on: a supervisor's own, else the seeded officer's. */
function deskOf(caller: Caller): ServedDesk {
  return (
    supervisorDesks.get(caller.label) ?? { officerId: desk.officer.accountId, branchId: TEST_BRANCH, booth: (n: number) => `bilik-${n}` }
  );
}

/**
 * The policy as the identity issue states it, written out here rather than read from the server,
 * so that a wrong cell in the server's table fails this test too: officers their own desk only;
 * supervisors their branches' officers and capacity, and a desk of their own like an officer's
 * (to take the claimants handed to them); IT administrators their branches' fleet only, no media,
 * no records; booths their own session only.
 */
const INTENDED: Record<Action, Record<PrincipalRole, Reach>> = {
  'session.view': { officer: 'self', supervisor: 'self', it_admin: 'self', booth: 'none' },
  'desk.serve': { officer: 'self', supervisor: 'self', it_admin: 'none', booth: 'none' },
  'booth.connect': { officer: 'none', supervisor: 'none', it_admin: 'none', booth: 'self' },
  'officers.view': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  'queue.view': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  // Monitoring and barging in: the branch's supervisors, on any live visit of the branch; nobody else.
  'visit.monitor': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  'visit.barge': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  'officer.capacity.set': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  // Asking an officer back from a break: the branch's supervisors only.
  'officer.recall': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  'booths.view': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
  'booth.create': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
  'booth.enrolment.issue': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
  'booth.revoke': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
  // Document photos are records: the officer who asked and the branch's supervisors, never IT.
  'document.request': { officer: 'self', supervisor: 'self', it_admin: 'none', booth: 'none' },
  'document.upload': { officer: 'none', supervisor: 'none', it_admin: 'none', booth: 'self' },
  // Liveness challenges: whoever serves the desk (an officer, or a supervisor at their own), to its booths in session only.
  'liveness.challenge': { officer: 'self', supervisor: 'self', it_admin: 'none', booth: 'none' },
  // Live transfer: whoever serves a desk hands a claimant of that desk over; nobody else moves claimants.
  'visit.transfer': { officer: 'self', supervisor: 'self', it_admin: 'none', booth: 'none' },
  'document.view': { officer: 'self', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  'booth.reload': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
  'booth.service.set': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
  'booth.credential.rotate': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
  'booth.selftest.run': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
  // Outcomes: whoever serves a desk decides its visits; supervisors see what failed in their branches.
  'outcome.submit': { officer: 'self', supervisor: 'self', it_admin: 'none', booth: 'none' },
  'outcomes.failures.view': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  // Wrap-up codes: the branch's officers read them and file their own visits; its supervisors maintain them.
  'wrapup.codes.view': { officer: 'branch', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  'wrapup.codes.manage': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  'wrapup.file': { officer: 'self', supervisor: 'self', it_admin: 'none', booth: 'none' },
  // Help: a booth calls for it (its own), supervisors of the branch see and clear it.
  'help.request': { officer: 'none', supervisor: 'none', it_admin: 'none', booth: 'self' },
  'help.view': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  'help.clear': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  // Second-person review: the branch's supervisors list and answer the outcomes drawn for it.
  'review.view': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  'review.decide': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
};

/** What the policy says should happen when `caller` does `action` to something of TEST_BRANCH or to itself. */
function expected(caller: Caller, action: Action): Outcome {
  if (caller.role === null) return 'unauthorized';
  const reach = INTENDED[action][caller.role];
  if (reach === 'none') return 'forbidden';
  if (reach === 'self') return 'allowed';
  return caller.branchId === TEST_BRANCH ? 'allowed' : 'forbidden';
}

async function http(caller: Caller, method: string, path: string, body?: unknown): Promise<Outcome> {
  const headers: Record<string, string> = { origin: server.url };
  if (caller.cookie) headers.cookie = caller.cookie;
  if (caller.credential) headers.authorization = `Bearer ${caller.credential}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = (await response.json()) as { ok: boolean; error?: string };
  if (response.ok && answer.ok) return 'allowed';
  if (response.status === 401 && answer.error === 'UNAUTHORIZED') return 'unauthorized';
  if (response.status === 403 && answer.error === 'FORBIDDEN') return 'forbidden';
  return `unexpected ${response.status} ${JSON.stringify(answer)}`;
}

async function socket(caller: Caller, namespace: Namespace): Promise<Outcome> {
  const client = openSocket(server.url, namespace, { cookie: caller.cookie, credential: caller.credential });
  try {
    const outcome = await handshakeOutcome(client);
    if (outcome === 'connected') return 'allowed';
    const { code, message } = outcome;
    return code === 'UNAUTHORIZED' ? 'unauthorized' : code === 'FORBIDDEN' ? 'forbidden' : `unexpected ${code} ${message}`;
  } finally {
    client.disconnect();
  }
}

/** How a command ended: answered, refused as FORBIDDEN, or anything else. */
async function commandOutcome(answer: Promise<unknown>): Promise<Outcome> {
  try {
    await answer;
    return 'allowed';
  } catch (error) {
    const code = error instanceof SignalingError ? error.code : String(error);
    return code === 'FORBIDDEN' ? 'forbidden' : `unexpected ${code}`;
  }
}

/**
 * Sends a command on `namespace` as `caller`, as its app would: a caller the namespace refuses
 * cannot send it, so the handshake's refusal is the outcome then.
 */
async function commandAs<N extends Namespace>(
  caller: Caller,
  namespace: N,
  send: (socket: NamespaceSockets[N]) => Promise<Outcome>,
): Promise<Outcome> {
  const client = openSocket(server.url, namespace, { cookie: caller.cookie, credential: caller.credential });
  try {
    const handshake = await handshakeOutcome(client);
    if (handshake === 'connected') return await send(client);
    return handshake.code === 'UNAUTHORIZED'
      ? 'unauthorized'
      : handshake.code === 'FORBIDDEN'
        ? 'forbidden'
        : `unexpected ${handshake.code}`;
  } finally {
    client.disconnect();
  }
}

/** The booths of TEST_BRANCH with an open help request, as the server keeps them. */
async function boothsAskingForHelp(): Promise<string[]> {
  return (await server.redis.hkeys(`bilik:help:${TEST_BRANCH}`)).sort();
}

/** An officer command sent as `caller` (see commandAs). */
function officerCommand(caller: Caller, send: (console: NamespaceSockets['/officer']) => Promise<unknown>): Promise<Outcome> {
  return commandAs(caller, NAMESPACES.officer, (console) => commandOutcome(send(console)));
}

/** The desk's officer asks bilik-1 for a photo, as their console would; returns the request id. */
async function photoRequest(): Promise<string> {
  const console = openSocket(server.url, NAMESPACES.officer, { cookie: desk.officer.cookie });
  try {
    await connected(console);
    return (await request(console, 'document:request', { boothId: 'bilik-1' })).requestId;
  } finally {
    console.disconnect();
  }
}

/** Uploads a small JPEG for `requestId` as `caller`. */
async function uploadPhoto(caller: Caller, requestId: string): Promise<Response> {
  const headers: Record<string, string> = { origin: server.url, 'content-type': 'image/jpeg' };
  if (caller.cookie) headers.cookie = caller.cookie;
  if (caller.credential) headers.authorization = `Bearer ${caller.credential}`;
  return fetch(`${server.url}/api/documents/${requestId}`, { method: 'POST', headers, body: new Uint8Array(greyJpeg(16, 16)) });
}

async function outcomeOf(response: Response): Promise<Outcome> {
  const answer = (await response.json()) as { ok: boolean; error?: string };
  if (response.ok && answer.ok) return 'allowed';
  if (response.status === 401 && answer.error === 'UNAUTHORIZED') return 'unauthorized';
  if (response.status === 403 && answer.error === 'FORBIDDEN') return 'forbidden';
  return `unexpected ${response.status} ${JSON.stringify(answer)}`;
}

/** How many audit events of `action` the trail holds. */
async function audited(action: string): Promise<number> {
  return Number((await server.db.query<{ count: string }>('select count(*) from audit_events where action = $1', [action]))[0]!.count);
}

/** The handshake's outcome as a probe's: refused UNAUTHORIZED or FORBIDDEN, or anything unexpected. */
function refusal(handshake: { code: string | undefined }): Outcome {
  if (handshake.code === 'UNAUTHORIZED') return 'unauthorized';
  return handshake.code === 'FORBIDDEN' ? 'forbidden' : `unexpected ${handshake.code}`;
}

async function storedDocuments(): Promise<number> {
  return Number((await server.db.query<{ count: string }>('select count(*) from documents'))[0]!.count);
}

/** One photo of bilik-1, taken at the desk officer's request, for the view probes. */
let viewedDocumentId: Promise<string> | null = null;
function documentToView(): Promise<string> {
  viewedDocumentId ??= photoRequest().then(async (requestId) => {
    const booth = callers.find((caller) => caller.label === 'booth')!;
    const response = await uploadPhoto(booth, requestId);
    return ((await response.json()) as { data: { documentId: string } }).data.documentId;
  });
  return viewedDocumentId;
}

/** A second officer of the branch on duty (in the scheduler only), made once per branch to receive a transferred claimant. */
const receivers = new Map<string, Promise<string>>();
function receivingOfficer(branchId: string): Promise<string> {
  const receiver =
    receivers.get(branchId) ??
    signedInCookie(server, { username: `penerima-${branchId}`, role: 'officer', branchIds: [branchId] }).then(async ({ account }) => {
      await server.scheduler.officerOnline(account.id, 6, [branchId], 'receiver');
      return account.id;
    });
  receivers.set(branchId, receiver);
  return receiver;
}

/** A live wrap-up code of the branch, made once per branch for the wrap-up probes. */
const wrapUpCodeIds = new Map<string, Promise<string>>();
let codesMade = 0;
function wrapUpCode(branchId: string): Promise<string> {
  const codeId =
    wrapUpCodeIds.get(branchId) ??
    server.db
      .query<{ id: string }>(`insert into wrap_up_codes (branch_id, label) values ($1, 'Kode dasar') returning id::text as id`, [branchId])
      .then((rows) => rows[0]!.id);
  wrapUpCodeIds.set(branchId, codeId);
  return codeId;
}

/** An outcome of TEST_BRANCH waiting for review, recorded for one probe, since an answer is for good. */
async function pendingReview(): Promise<string> {
  const visitId = randomUUID();
  await server.db.query(
    `insert into outcomes (visit_id, submission_id, tracking_code, decision, service, checklist, officer_id, booth_id, branch_id,
       session_started_at, submitted_at, review_state)
     values ($1, $2, $3, 'escalated', 'jht', '{}'::jsonb, $4, 'bilik-1', $5, now(), now(), 'pending')`,
    [visitId, randomUUID(), visitId.replaceAll('-', '').slice(0, 10).toUpperCase(), desk.officer.accountId, TEST_BRANCH],
  );
  return visitId;
}

async function reviewStateOf(visitId: string): Promise<string> {
  const [row] = await server.db.query<{ review_state: string }>('select review_state from outcomes where visit_id = $1', [visitId]);
  return row!.review_state;
}

/** A booth of TEST_BRANCH made for one probe, since revoking it is for good. */
async function freshBooth(): Promise<{ boothId: string; credential: string }> {
  boothsMade += 1;
  const boothId = `target-${boothsMade}`;
  await server.booths.createBooth({ id: boothId, branchId: TEST_BRANCH, name: boothId }, { kind: 'system' });
  return { boothId, credential: await server.booths.issueCredential(boothId, { kind: 'system' }) };
}

/**
 * One probe per action: does it as `caller`, checks that a refusal changed nothing, and undoes
 * an allowed change so the next caller starts from the same state.
 */
const PROBES: Record<Action, (caller: Caller) => Promise<Outcome>> = {
  'session.view': (caller) => http(caller, 'GET', '/api/session'),
  'desk.serve': (caller) => socket(caller, NAMESPACES.officer),
  // A booth's two links, its visit and its desk, answer to the same cell.
  'booth.connect': async (caller) => {
    const [journey, desk] = await Promise.all([socket(caller, NAMESPACES.journey), socket(caller, NAMESPACES.booth)]);
    expect(desk).toBe(journey);
    return journey;
  },
  'officers.view': (caller) => http(caller, 'GET', `/api/branches/${TEST_BRANCH}/officers`),
  'queue.view': (caller) => http(caller, 'GET', `/api/branches/${TEST_BRANCH}/queue`),
  // Monitoring bilik-1's visit: the handshake of /monitor, recorded in the audit trail at start and at stop.
  'visit.monitor': async (caller) => {
    const [startedBefore, stoppedBefore] = [await audited('visit.monitor_started'), await audited('visit.monitor_stopped')];
    const monitor = openSocket(server.url, NAMESPACES.monitor, {
      cookie: caller.cookie,
      credential: caller.credential,
      boothId: 'bilik-1',
    });
    const handshake = await handshakeOutcome(monitor);
    monitor.disconnect();
    const outcome = handshake === 'connected' ? 'allowed' : refusal(handshake);
    expect(await audited('visit.monitor_started')).toBe(startedBefore + (outcome === 'allowed' ? 1 : 0));
    if (outcome === 'allowed')
      await waitFor('the stop audited', async () => (await audited('visit.monitor_stopped')) === stoppedBefore + 1);
    return outcome;
  },
  // A /monitor command, like document.request on /officer: barging in on bilik-1, its desk link open.
  'visit.barge': async (caller) => {
    const booth = openSocket(server.url, NAMESPACES.booth, { credential: desk.credentials['bilik-1'] });
    try {
      await connected(booth);
      const before = await audited('visit.barged_in');
      const monitor = openSocket(server.url, NAMESPACES.monitor, {
        cookie: caller.cookie,
        credential: caller.credential,
        boothId: 'bilik-1',
      });
      try {
        const handshake = await handshakeOutcome(monitor);
        if (handshake !== 'connected') return refusal(handshake);
        const outcome = await commandOutcome(request(monitor, 'monitor:barge', { barging: true }));
        expect(await audited('visit.barged_in')).toBe(before + (outcome === 'allowed' ? 1 : 0));
        if (outcome === 'allowed') await request(monitor, 'monitor:barge', { barging: false });
        return outcome;
      } finally {
        monitor.disconnect();
      }
    } finally {
      booth.disconnect();
    }
  },
  'officer.capacity.set': async (caller) => {
    const outcome = await http(caller, 'PUT', `/api/officers/${desk.officer.accountId}/capacity`, { capacity: 5 });
    const capacity = (await server.accounts.findById(desk.officer.accountId))!.capacity;
    expect(capacity).toBe(outcome === 'allowed' ? 5 : 6);
    if (outcome === 'allowed') await server.accounts.setCapacity(desk.officer.accountId, 6, { kind: 'system' });
    return outcome;
  },
  // The officer's open console shows the request, and the audit trail records it; a refused one does neither.
  'officer.recall': async (caller) => {
    const console = openSocket(server.url, NAMESPACES.officer, { cookie: desk.officer.cookie });
    try {
      await connected(console);
      const recalls: unknown[] = [];
      console.on('work:recalled', (recall) => recalls.push(recall));
      const before = await audited('officer.recalled');
      const outcome = await http(caller, 'POST', `/api/officers/${desk.officer.accountId}/recall`);
      expect(await audited('officer.recalled')).toBe(before + (outcome === 'allowed' ? 1 : 0));
      if (outcome === 'allowed') await waitFor('the console to be asked back', () => recalls.length === 1);
      return outcome;
    } finally {
      console.disconnect();
    }
  },
  'booths.view': (caller) => http(caller, 'GET', `/api/branches/${TEST_BRANCH}/booths`),
  'booth.create': async (caller) => {
    boothsMade += 1;
    const boothId = `created-${boothsMade}`;
    const outcome = await http(caller, 'POST', `/api/branches/${TEST_BRANCH}/booths`, { id: boothId, name: 'Bilik Baru' });
    expect(await server.booths.findBooth(boothId)).toEqual(
      outcome === 'allowed' ? expect.objectContaining({ branchId: TEST_BRANCH }) : null,
    );
    return outcome;
  },
  'booth.enrolment.issue': async (caller) => {
    const codes = async () =>
      (await server.db.query<{ count: string }>("select count(*) from enrolment_codes where booth_id = 'bilik-6'"))[0]!.count;
    const before = Number(await codes());
    const outcome = await http(caller, 'POST', '/api/booths/bilik-6/enrolment-code');
    expect(Number(await codes())).toBe(outcome === 'allowed' ? before + 1 : before);
    return outcome;
  },
  'booth.revoke': async (caller) => {
    const { boothId } = await freshBooth();
    const outcome = await http(caller, 'POST', `/api/booths/${boothId}/revoke`);
    expect((await server.booths.findBooth(boothId))!.enrolled).toBe(outcome !== 'allowed');
    return outcome;
  },
  // An officer command, on booth 1 of the caller's desk: whoever cannot open the officer's namespace cannot send it either.
  'document.request': (caller) =>
    officerCommand(caller, (console) => request(console, 'document:request', { boothId: deskOf(caller).booth(1) })),
  // An officer command too; allowed, it adds one challenge to the visit of booth 1 of the caller's desk.
  'liveness.challenge': async (caller) => {
    const boothId = deskOf(caller).booth(1);
    const visit = await server.scheduler.visitOf(boothId);
    const challenges = () => server.redis.llen(livenessKey(visit!.visitId));
    const before = await challenges();
    const outcome = await officerCommand(caller, (console) => request(console, 'liveness:challenge', { boothId }));
    expect(await challenges()).toBe(outcome === 'allowed' ? before + 1 : before);
    return outcome;
  },
  // Officer commands: listing whom to hand booth 3 of the caller's desk to, and handing it over, answer to the same cell;
  // allowed (once per desk: only its officer may), the claimant moves to the branch's receiving officer with the same visit.
  'visit.transfer': async (caller) => {
    const served = deskOf(caller);
    const boothId = served.booth(3);
    const receiver = await receivingOfficer(served.branchId);
    const before = (await server.scheduler.visitOf(boothId))!;
    const listed = await officerCommand(caller, async (console) => {
      const targets = await request(console, 'transfer:targets', { boothId });
      expect(targets.officers.map((officer) => officer.accountId)).toContain(receiver);
    });
    const outcome = await officerCommand(caller, (console) =>
      request(console, 'visit:transfer', { boothId, target: { kind: 'officer', officerId: receiver }, note: 'Mohon cek ulang.' }),
    );
    expect(listed).toBe(outcome);
    expect(await server.scheduler.visitOf(boothId)).toMatchObject({
      visitId: before.visitId,
      officerId: outcome === 'allowed' ? receiver : before.officerId,
    });
    return outcome;
  },
  'document.upload': async (caller) => {
    const before = await storedDocuments();
    const outcome = await outcomeOf(await uploadPhoto(caller, await photoRequest()));
    expect(await storedDocuments()).toBe(outcome === 'allowed' ? before + 1 : before);
    return outcome;
  },
  'document.view': async (caller) => {
    const documentId = await documentToView();
    const headers: Record<string, string> = {};
    if (caller.cookie) headers.cookie = caller.cookie;
    if (caller.credential) headers.authorization = `Bearer ${caller.credential}`;
    const response = await fetch(`${server.url}/api/documents/${documentId}`, { headers });
    if (response.ok)
      return response.headers.get('content-type') === 'image/jpeg' ? 'allowed' : `unexpected ${response.headers.get('content-type')}`;
    return outcomeOf(response);
  },
  'booth.reload': async (caller) => {
    const requests = async () =>
      Number(
        (await server.db.query<{ count: string }>("select count(*) from audit_events where action = 'booth.reload_requested'"))[0]!.count,
      );
    const before = await requests();
    const outcome = await http(caller, 'POST', '/api/booths/bilik-6/reload');
    expect(await requests()).toBe(outcome === 'allowed' ? before + 1 : before);
    return outcome;
  },
  'booth.service.set': async (caller) => {
    const outcome = await http(caller, 'PUT', '/api/booths/bilik-6/service', { outOfService: true });
    expect((await server.booths.findBooth('bilik-6'))!.outOfService).toBe(outcome === 'allowed');
    if (outcome === 'allowed') await server.booths.setOutOfService('bilik-6', false, { kind: 'system' });
    return outcome;
  },
  // Rotation needs a live kiosk that stores the new credential.
  'booth.credential.rotate': async (caller) => {
    const { boothId, credential } = await freshBooth();
    const kiosk = openSocket(server.url, NAMESPACES.journey, { credential });
    try {
      kiosk.on('credential:rotate', (_payload: unknown, ack: (answer: { stored: boolean }) => void) => ack({ stored: true }));
      await connected(kiosk);
      const outcome = await http(caller, 'POST', `/api/booths/${boothId}/rotate-credential`);
      expect(await server.booths.authenticate(credential)).toEqual(outcome === 'allowed' ? null : expect.objectContaining({ id: boothId }));
      return outcome;
    } finally {
      kiosk.disconnect();
    }
  },
  'booth.selftest.run': async (caller) => {
    const kiosk = openSocket(server.url, NAMESPACES.journey, { credential: desk.credentials['bilik-6'] });
    try {
      await connected(kiosk);
      const asked = nextEvent(kiosk, 'selftest:run');
      const outcome = await http(caller, 'POST', '/api/booths/bilik-6/self-test');
      if (outcome === 'allowed') await asked;
      else asked.catch(() => undefined);
      return outcome;
    } finally {
      kiosk.disconnect();
    }
  },
  // An officer command, like document.request: the decision on the current visit of booth 5 of the caller's desk.
  'outcome.submit': (caller) =>
    officerCommand(caller, async (console) => {
      const boothId = deskOf(caller).booth(5);
      const visit = await server.scheduler.visitOf(boothId);
      if (!visit) throw new Error(`${boothId} has no visit`);
      return request(console, 'outcome:submit', {
        boothId,
        visitId: visit.visitId,
        submissionId: randomUUID(),
        decision: 'escalated',
        checklist: { faceMatchesId: true, idNumberConfirmed: true, documentsPresent: ['ktp'], bankAccountConfirmed: false },
        missingDocuments: [],
        reason: 'Perlu keputusan supervisor.',
        notes: null,
        documentIds: [],
      });
    }),
  'outcomes.failures.view': (caller) => http(caller, 'GET', `/api/branches/${TEST_BRANCH}/outcome-failures`),
  'wrapup.codes.view': (caller) => http(caller, 'GET', `/api/branches/${TEST_BRANCH}/wrap-up-codes`),
  // Adding and changing a code answer to the same cell; a refusal changes nothing.
  'wrapup.codes.manage': async (caller) => {
    const codeId = await wrapUpCode(TEST_BRANCH);
    codesMade += 1;
    const label = `Kode ${codesMade}`;
    const [created, changed] = [
      await http(caller, 'POST', `/api/branches/${TEST_BRANCH}/wrap-up-codes`, { label }),
      await http(caller, 'PATCH', `/api/wrap-up-codes/${codeId}`, { label: `Kode uji ${codesMade}` }),
    ];
    expect(changed).toBe(created);
    const labels = (await server.db.query<{ label: string }>('select label from wrap_up_codes')).map((row) => row.label);
    expect(labels).toEqual(
      created === 'allowed' ? expect.arrayContaining([label, `Kode uji ${codesMade}`]) : expect.not.arrayContaining([label]),
    );
    return created;
  },
  // An officer command: a visit the caller's desk ended, waiting for its code (put where session:end puts it).
  'wrapup.file': (caller) =>
    officerCommand(caller, async (console) => {
      const served = deskOf(caller);
      const visitId = randomUUID();
      await server.redis.hset(
        `bilik:wrapup:${served.officerId}`,
        visitId,
        JSON.stringify({ visitId, boothId: served.booth(1), branchId: served.branchId }),
      );
      return request(console, 'wrapup:file', { visitId, codeId: await wrapUpCode(served.branchId) });
    }),
  // A kiosk command: whoever cannot open the journey namespace cannot send it either.
  'help.request': (caller) =>
    commandAs(caller, NAMESPACES.journey, async (kiosk) => {
      const outcome = await commandOutcome(request(kiosk, 'help:request', {}));
      expect(await boothsAskingForHelp()).toEqual(outcome === 'allowed' ? ['bilik-1'] : []);
      await server.redis.del(`bilik:help:${TEST_BRANCH}`);
      return outcome;
    }),
  'help.view': (caller) => http(caller, 'GET', `/api/branches/${TEST_BRANCH}/help-requests`),
  'help.clear': async (caller) => {
    await server.redis.hset(`bilik:help:${TEST_BRANCH}`, 'bilik-2', String(Date.now()));
    const outcome = await http(caller, 'POST', `/api/branches/${TEST_BRANCH}/help-requests/bilik-2/clear`);
    expect(await boothsAskingForHelp()).toEqual(outcome === 'allowed' ? [] : ['bilik-2']);
    await server.redis.del(`bilik:help:${TEST_BRANCH}`);
    return outcome;
  },
  'review.view': (caller) => http(caller, 'GET', `/api/branches/${TEST_BRANCH}/reviews`),
  // Confirming and reopening answer to the same cell; a refusal leaves the review pending.
  'review.decide': async (caller) => {
    const [toConfirm, toReopen] = [await pendingReview(), await pendingReview()];
    const confirmed = await http(caller, 'POST', `/api/reviews/${toConfirm}/confirm`);
    const reopened = await http(caller, 'POST', `/api/reviews/${toReopen}/reopen`, { reason: 'Perlu diperiksa ulang.' });
    expect(reopened).toBe(confirmed);
    expect([await reviewStateOf(toConfirm), await reviewStateOf(toReopen)]).toEqual(
      confirmed === 'allowed' ? ['confirmed', 'reopened'] : ['pending', 'pending'],
    );
    return confirmed;
  },
};

test("the server's table is the intended policy, and every action has a probe", () => {
  expect(PERMISSIONS).toEqual(INTENDED);
  expect(Object.keys(PROBES).sort()).toEqual([...ACTIONS].sort());
});

describe.each(ACTIONS)('%s', (action) => {
  test.each([
    'anonymous',
    'officer',
    `supervisor of ${TEST_BRANCH}`,
    `supervisor of ${OTHER_BRANCH}`,
    `it_admin of ${TEST_BRANCH}`,
    `it_admin of ${OTHER_BRANCH}`,
    'booth',
  ])('as %s: as the table says', async (label) => {
    const caller = callers.find((candidate) => candidate.label === label)!;
    expect(await PROBES[action](caller)).toBe(expected(caller, action));
  });
});

test('a route that looks its target up says NOT_FOUND only to roles that may act at all', async () => {
  const itAdmin = callers.find((caller) => caller.label === `it_admin of ${TEST_BRANCH}`)!;
  const officer = callers.find((caller) => caller.label === 'officer')!;
  const post = (caller: Caller) =>
    fetch(`${server.url}/api/booths/no-such-booth/revoke`, { method: 'POST', headers: { origin: server.url, cookie: caller.cookie! } });
  expect((await post(itAdmin)).status).toBe(404);
  expect((await post(officer)).status).toBe(403);
});
