/**
 * Wrap-up codes through the real server: a branch's supervisors maintain the list (add, rename,
 * retire, choose the default) over the API; its officers read it and file each visit they ended
 * under a live code with `wrapup:file`; when the wrap-up timer runs out, visits left unfiled get
 * the branch's default code. Each visit is filed once, in the database.
 */
import type { WrapUpCodeView } from '@bilik/shared';
import { request } from '@bilik/shared/client';
import type { Socket } from 'socket.io-client';
import { deleteKeys } from '../support/redis.js';
import { serveBooth } from '../support/servedBooth.js';
import { sendRaw, type NamespaceSockets } from '../support/sockets.js';
import {
  seedBranch,
  signedInCookie,
  startTestServer,
  TEST_BRANCH,
  waitFor,
  type SeededDesk,
  type TestServer,
} from '../support/testServer.js';

const OTHER_BRANCH = 'cabang-lain';

let server: TestServer;
let desk: SeededDesk;
let supervisorCookie: string;
let otherSupervisorCookie: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  // A one-second wrap-up, so the timer runs out within the test.
  server = await startTestServer({ WRAP_UP_SECONDS: '1' });
  desk = await seedBranch(server, { capacity: 4, booths: 3 });
  await server.accounts.createBranch({ id: OTHER_BRANCH, name: 'Cabang Lain' });
  supervisorCookie = (await signedInCookie(server, { username: 'penyelia-kode', role: 'supervisor', branchIds: [TEST_BRANCH] })).cookie;
  otherSupervisorCookie = (await signedInCookie(server, { username: 'penyelia-lain', role: 'supervisor', branchIds: [OTHER_BRANCH] }))
    .cookie;
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await deleteKeys(server.redis, 'bilik:sch:*');
});

afterAll(() => server.close());

async function api<T>(
  method: string,
  path: string,
  cookie: string,
  body?: unknown,
): Promise<{ status: number; answer: { ok: boolean; data?: T; error?: string } }> {
  const headers: Record<string, string> = { origin: server.url, cookie };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, answer: (await response.json()) as { ok: boolean; data?: T; error?: string } };
}

async function addCode(label: string, isDefault = false, branchId = TEST_BRANCH, cookie = supervisorCookie): Promise<WrapUpCodeView> {
  const { status, answer } = await api<WrapUpCodeView>('POST', `/api/branches/${branchId}/wrap-up-codes`, cookie, { label, isDefault });
  if (status !== 201 || !answer.data) throw new Error(`not created: ${status} ${JSON.stringify(answer)}`);
  return answer.data;
}

const listCodes = async (cookie = supervisorCookie): Promise<WrapUpCodeView[]> =>
  (await api<WrapUpCodeView[]>('GET', `/api/branches/${TEST_BRANCH}/wrap-up-codes`, cookie)).answer.data!;

/** Serves booth `boothId` and ends its session with a "no outcome" reason: the officer's socket and the ended visit's id. */
async function serveAndEnd(boothId: string): Promise<{ officer: NamespaceSockets['/officer']; visitId: string }> {
  const { officer, visit } = await serveBooth(server, desk, boothId, sockets);
  await request(officer, 'session:end', { boothId, noOutcomeReason: 'claimant_left' });
  return { officer, visitId: visit.visitId };
}

async function filed(visitId: string): Promise<Array<{ code_id: string; applied_by: string; officer_id: string }>> {
  return server.db.query('select code_id::text as code_id, applied_by, officer_id from visit_wrap_ups where visit_id = $1', [visitId]);
}

test("supervisors add, rename, retire and choose the default of their branch's codes; officers read them; other branches cannot touch them", async () => {
  const callback = await addCode('Peserta akan kembali', true);
  const followUp = await addCode('Tindak lanjut dokumen');
  expect(callback).toMatchObject({ branchId: TEST_BRANCH, label: 'Peserta akan kembali', isDefault: true, retired: false });

  // A second default takes over; a live label is unique in the branch (whatever its case).
  const renamed = await api<WrapUpCodeView>('PATCH', `/api/wrap-up-codes/${followUp.id}`, supervisorCookie, {
    label: 'Tindak lanjut berkas',
    isDefault: true,
  });
  expect(renamed.answer.data).toMatchObject({ label: 'Tindak lanjut berkas', isDefault: true });
  expect((await listCodes()).find((code) => code.id === callback.id)?.isDefault).toBe(false);
  expect(
    (await api('POST', `/api/branches/${TEST_BRANCH}/wrap-up-codes`, supervisorCookie, { label: 'tindak lanjut BERKAS' })).status,
  ).toBe(409);

  // The default cannot be retired (the timer would have nothing to file); once another is the default, it can.
  const refused = await api('PATCH', `/api/wrap-up-codes/${followUp.id}`, supervisorCookie, { retired: true });
  expect(refused).toMatchObject({ status: 409, answer: { ok: false, error: 'INVALID_STATE' } });
  expect((await listCodes()).find((code) => code.id === followUp.id)).toMatchObject({ isDefault: true, retired: false });
  await api('PATCH', `/api/wrap-up-codes/${callback.id}`, supervisorCookie, { isDefault: true });
  // Retired, the code stays listed.
  const retired = await api<WrapUpCodeView>('PATCH', `/api/wrap-up-codes/${followUp.id}`, supervisorCookie, { retired: true });
  expect(retired.answer.data).toMatchObject({ isDefault: false, retired: true });
  expect(await listCodes(desk.officer.cookie)).toEqual([
    expect.objectContaining({ id: callback.id, isDefault: true, retired: false }),
    expect.objectContaining({ id: followUp.id, retired: true }),
  ]);
  // Back to live and default again, for the timer test below.
  await api('PATCH', `/api/wrap-up-codes/${followUp.id}`, supervisorCookie, { retired: false, isDefault: true });

  // Another branch's supervisor: refused, and nothing changed.
  expect((await api('PATCH', `/api/wrap-up-codes/${callback.id}`, otherSupervisorCookie, { label: 'Diubah' })).status).toBe(403);
  expect((await api('POST', `/api/branches/${TEST_BRANCH}/wrap-up-codes`, otherSupervisorCookie, { label: 'Baru' })).status).toBe(403);
  expect((await api('POST', `/api/branches/${TEST_BRANCH}/wrap-up-codes`, supervisorCookie, { label: '' })).status).toBe(400);
  expect((await listCodes()).map((code) => code.label)).toEqual(['Peserta akan kembali', 'Tindak lanjut berkas']);
  const audit = await server.db.query<{ count: string }>("select count(*) from audit_events where action like 'wrap_up_code.%'");
  expect(Number(audit[0]!.count)).toBe(6);
});

test('the officer files a visit they ended under a live code of its branch, once; retired and foreign codes are refused', async () => {
  const live = await addCode('Salah layanan');
  const retired = await addCode('Kode lama');
  await api('PATCH', `/api/wrap-up-codes/${retired.id}`, supervisorCookie, { retired: true });
  const foreign = await addCode('Kode cabang lain', false, OTHER_BRANCH, otherSupervisorCookie);
  const { officer, visitId } = await serveAndEnd('bilik-1');

  // NOT_FOUND, as a code that is not there: the visit still waits for a live one.
  expect(await sendRaw(officer, 'wrapup:file', { visitId, codeId: retired.id })).toMatchObject({ ok: false, error: 'NOT_FOUND' });
  expect(await sendRaw(officer, 'wrapup:file', { visitId, codeId: foreign.id })).toMatchObject({ ok: false, error: 'NOT_FOUND' });
  expect(await sendRaw(officer, 'wrapup:file', { visitId, codeId: 'bukan-uuid' })).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
  await request(officer, 'wrapup:file', { visitId, codeId: live.id });
  expect(await filed(visitId)).toEqual([{ code_id: live.id, applied_by: 'officer', officer_id: desk.officer.accountId }]);
  // Filed once: it no longer waits for a code, and the record keeps the first.
  expect(await sendRaw(officer, 'wrapup:file', { visitId, codeId: live.id })).toMatchObject({ ok: false, error: 'INVALID_STATE' });
  // A visit that is not the officer's own is refused too.
  expect(await sendRaw(officer, 'wrapup:file', { visitId: 'kunjungan-lain', codeId: live.id })).toMatchObject({
    ok: false,
    error: 'INVALID_STATE',
  });
});

test("an officer serving two branches is shown the branch of each visit and may file it only under that branch's codes", async () => {
  const here = await addCode('Kode cabang uji');
  const there = await addCode('Peserta akan kembali', false, OTHER_BRANCH, otherSupervisorCookie);
  await server.booths.createBooth({ id: 'bilik-lain', branchId: OTHER_BRANCH, name: 'Bilik Lain' }, { kind: 'system' });
  const credential = await server.booths.issueCredential('bilik-lain', { kind: 'system' });
  const both = await signedInCookie(server, { username: 'petugas-dua-cabang', role: 'officer', branchIds: [TEST_BRANCH, OTHER_BRANCH] });
  const officerOfBoth: SeededDesk = {
    officer: { accountId: both.account.id, username: both.account.username, token: both.token, cookie: both.cookie },
    credentials: { 'bilik-lain': credential },
  };
  const { officer, visit } = await serveBooth(server, officerOfBoth, 'bilik-lain', sockets);

  // The console learns the visit's branch with the session, and loads that branch's codes.
  const work = await server.scheduler.workOf(both.account.id);
  expect(work?.sessions).toEqual([expect.objectContaining({ boothId: 'bilik-lain', visitId: visit.visitId, branchId: OTHER_BRANCH })]);
  await request(officer, 'session:end', { boothId: 'bilik-lain', noOutcomeReason: 'claimant_left' });
  // The officer may read both branches' codes, yet a code of the other branch is not one of this visit's.
  expect((await api('GET', `/api/branches/${TEST_BRANCH}/wrap-up-codes`, both.cookie)).status).toBe(200);
  expect(await sendRaw(officer, 'wrapup:file', { visitId: visit.visitId, codeId: here.id })).toMatchObject({
    ok: false,
    error: 'NOT_FOUND',
  });
  await request(officer, 'wrapup:file', { visitId: visit.visitId, codeId: there.id });
  expect(await filed(visit.visitId)).toEqual([{ code_id: there.id, applied_by: 'officer', officer_id: both.account.id }]);
});

test("when the wrap-up timer runs out, a visit left unfiled gets the branch's default code", async () => {
  const defaultCode = (await listCodes()).find((code) => code.isDefault)!;
  const { officer, visitId } = await serveAndEnd('bilik-2');
  await waitFor('the timer files the default code', async () => (await filed(visitId)).length > 0, 10_000);
  expect(await filed(visitId)).toEqual([{ code_id: defaultCode.id, applied_by: 'timer', officer_id: desk.officer.accountId }]);
  expect(await sendRaw(officer, 'wrapup:file', { visitId, codeId: defaultCode.id })).toMatchObject({ ok: false, error: 'INVALID_STATE' });
});
