/**
 * A supervisor in real Chromium sees, without reloading, an officer's decision that could not be
 * recorded: the supervisor page's polling brings it into the failures panel.
 */
import { NAMESPACES, type Ack, type OutcomeAccepted } from '@bilik/shared';
import type { Browser } from 'puppeteer-core';
import type { Socket } from 'socket.io-client';
import { openPage } from '../support/browser.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';
import { connected, openSocket } from '../support/sockets.js';
import { seedDesk, signedInCookie, TEST_BRANCH, type SeededDesk, type TestServer } from '../support/testServer.js';
import { approval, FAST_OUTCOME_ENV } from '../support/outcomeFixtures.js';

/** A poll every 2 s, plus room for a slow machine. */
const POLL_WAIT = { timeout: 12_000 };

let server: TestServer;
let desk: SeededDesk;
let browser: Browser;
let officer: Socket;

const resources = useSuiteResources();

beforeAll(async () => {
  server = await resources.server(FAST_OUTCOME_ENV);
  desk = await seedDesk(server);
  browser = await resources.browser();
  officer = openSocket(server.url, NAMESPACES.officer, { cookie: desk.officer.cookie });
  await connected(officer);
}, E2E_HOOK_TIMEOUT_MS);

afterAll(async () => {
  officer?.disconnect();
});

async function submit(payload: unknown): Promise<OutcomeAccepted> {
  const ack = (await officer.timeout(5000).emitWithAck('outcome:submit', payload)) as Ack<OutcomeAccepted>;
  if (!ack.ok) throw new Error(`outcome:submit refused: ${ack.message}`);
  return ack.data;
}

test('a decision that cannot be recorded appears on the open supervisor page as a failure that needs action', async () => {
  const supervisor = await signedInCookie(server, {
    username: 'penyelia-1',
    displayName: 'Penyelia Uji',
    role: 'supervisor',
    branchIds: [TEST_BRANCH],
  });
  const page = await openPage(browser, `${server.url}/officer/supervisor/`, { sessionToken: supervisor.token });
  await page.waitForSelector('[data-testid="outcome-failures-empty"]:not([hidden])', POLL_WAIT);
  expect(await page.$$('[data-testid="outcome-failure-row"]')).toHaveLength(0);

  // A second decision for a visit is refused at once now (test/integration/outcomes.test.ts); one
  // naming another visit's document photo is accepted and can never be recorded.
  const visit = (await server.scheduler.visitOf('bilik-2'))!;
  const [otherPhoto] = await server.db.query<{ id: string }>(
    `insert into documents (visit_id, booth_id, officer_id, branch_id, mime, width, height, bytes, data)
     values ($1, 'bilik-3', $2, $3, 'image/jpeg', 1920, 1080, 3, $4) returning id::text as id`,
    [(await server.scheduler.visitOf('bilik-3'))!.visitId, desk.officer.accountId, TEST_BRANCH, Buffer.from([0xff, 0xd8, 0xff])],
  );
  const conflicting = await submit(
    approval(visit, { decision: 'rejected', reason: 'Tanda tangan tidak cocok.', documentIds: [otherPhoto!.id] }),
  );

  await page.bringToFront();
  const row = `[data-testid="outcome-failure-row"][data-job-id="${conflicting.jobId}"]`;
  await page.waitForSelector(`${row}[data-state="failed"][data-kind="record"]`, POLL_WAIT);
  const cells = await page.$$eval(`${row} td`, (tds) => tds.map((td) => td.textContent ?? ''));
  expect(cells).toEqual([
    'Gagal, perlu tindakan',
    'Pencatatan',
    expect.stringMatching(/\d{2}\.\d{2}\.\d{2}/),
    'bilik-2',
    'Petugas Uji',
    'Ditolak',
    visit.visitId.slice(0, 8),
    '1 dari 3',
    expect.stringContaining('names documents that are not photos of this visit'),
  ]);
  expect(await page.$eval('[data-testid="outcome-failures-alert"]', (alert) => (alert as HTMLElement).hidden)).toBe(false);
  expect(await page.$eval('[data-testid="outcome-failures-alert"]', (alert) => alert.textContent)).toContain('1 hasil verifikasi gagal');
  expect(await page.$eval('[data-testid="outcome-failures-empty"]', (empty) => (empty as HTMLElement).hidden)).toBe(true);
});
