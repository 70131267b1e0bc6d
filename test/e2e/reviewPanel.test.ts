/**
 * A supervisor in real Chromium answers the outcomes drawn for review (REVIEW_SHARE=1) in the
 * "Tinjauan" panel: opens a document photo through the document route, confirms one outcome
 * (it reaches the back office) and reopens another with a reason (it never does).
 */
import { NAMESPACES, type Ack, type OutcomeAccepted } from '@bilik/shared';
import type { Browser } from 'puppeteer-core';
import type { Socket } from 'socket.io-client';
import { BackOffice } from '../support/backOffice.js';
import { openPage } from '../support/browser.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';
import { connected, openSocket } from '../support/sockets.js';
import { seedDesk, signedInCookie, TEST_BRANCH, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';
import { approval, FAST_OUTCOME_ENV } from '../support/outcomeFixtures.js';

/** A poll every 5 s, plus room for a slow machine. */
const POLL_WAIT = { timeout: 15_000 };

let server: TestServer;
let desk: SeededDesk;
let browser: Browser;
let officer: Socket;
let backOffice: BackOffice;

const resources = useSuiteResources();

beforeAll(async () => {
  backOffice = await BackOffice.start({ accepting: true });
  server = await resources.server({
    ...FAST_OUTCOME_ENV,
    REVIEW_SHARE: '1',
    OUTCOME_FORWARD_URL: backOffice.url,
    OUTCOME_FORWARD_SECRET: 'rahasia-bersama-kantor-klaim-0123456789',
  });
  desk = await seedDesk(server);
  browser = await resources.browser();
  officer = openSocket(server.url, NAMESPACES.officer, { cookie: desk.officer.cookie });
  await connected(officer);
}, E2E_HOOK_TIMEOUT_MS);

afterAll(async () => {
  officer?.disconnect();
  await backOffice?.close();
});

/** The officer approves the visit at `boothId` with `documentIds`; resolves once it is recorded, waiting for review. */
async function approve(boothId: string, documentIds: string[] = []): Promise<string> {
  const visit = (await server.scheduler.visitOf(boothId))!;
  const ack = (await officer.timeout(5000).emitWithAck('outcome:submit', approval(visit, { documentIds }))) as Ack<OutcomeAccepted>;
  if (!ack.ok) throw new Error(`outcome:submit refused: ${ack.message}`);
  await waitFor('the outcome is recorded', async () => (await reviewState(visit.visitId)) !== null);
  return visit.visitId;
}

async function reviewState(visitId: string): Promise<{ review_state: string; review_reason: string | null } | null> {
  const [row] = await server.db.query<{ review_state: string; review_reason: string | null }>(
    'select review_state, review_reason from outcomes where visit_id = $1',
    [visitId],
  );
  return row ?? null;
}

test('the supervisor confirms one outcome and reopens another with a reason, seeing its document photo', async () => {
  const photoVisit = (await server.scheduler.visitOf('bilik-1'))!;
  const [photo] = await server.db.query<{ id: string }>(
    `insert into documents (visit_id, booth_id, officer_id, branch_id, mime, width, height, bytes, data)
     values ($1, 'bilik-1', $2, $3, 'image/jpeg', 1920, 1080, 3, $4) returning id::text as id`,
    [photoVisit.visitId, desk.officer.accountId, TEST_BRANCH, Buffer.from([0xff, 0xd8, 0xff])],
  );
  const toConfirm = await approve('bilik-1', [photo!.id]);
  const toReopen = await approve('bilik-2');

  const supervisor = await signedInCookie(server, { username: 'penyelia-tinjau', role: 'supervisor', branchIds: [TEST_BRANCH] });
  const page = await openPage(browser, `${server.url}/officer/supervisor/`, { sessionToken: supervisor.token });
  const confirmRow = `[data-testid="review-row"][data-visit-id="${toConfirm}"]`;
  const reopenRow = `[data-testid="review-row"][data-visit-id="${toReopen}"]`;
  await page.waitForSelector(reopenRow, POLL_WAIT);
  expect(await page.$eval(`${confirmRow} [data-testid="review-summary"]`, (summary) => summary.textContent)).toMatch(
    /^Disetujui untuk diproses · bilik-1 · Petugas Uji · Jaminan Hari Tua · /,
  );
  // The photo opens through the document route, with the supervisor's session.
  const photoAnswer = await page.$eval(`${confirmRow} [data-testid="review-document"]`, async (link) => {
    const response = await fetch((link as HTMLAnchorElement).href);
    return { status: response.status, type: response.headers.get('content-type') };
  });
  expect(photoAnswer).toEqual({ status: 200, type: 'image/jpeg' });

  await page.click(`${confirmRow} [data-testid="review-confirm"]`);
  await page.waitForSelector(confirmRow, { ...POLL_WAIT, hidden: true });
  expect((await reviewState(toConfirm))!.review_state).toBe('confirmed');
  await waitFor('the confirmed outcome reaches the back office', () => backOffice.deliveriesOf(toConfirm) === 1);

  await page.click(`${reopenRow} [data-testid="review-reopen"]`);
  await page.type(`${reopenRow} [data-testid="review-reason-input"]`, 'Rekening atas nama orang lain.');
  await page.click(`${reopenRow} [data-testid="review-reopen-send"]`);
  await page.waitForSelector(reopenRow, { ...POLL_WAIT, hidden: true });
  expect(await reviewState(toReopen)).toEqual({ review_state: 'reopened', review_reason: 'Rekening atas nama orang lain.' });
  expect(backOffice.deliveriesOf(toReopen)).toBe(0);
  await page.waitForSelector('[data-testid="reviews-empty"]:not([hidden])', POLL_WAIT);
});
