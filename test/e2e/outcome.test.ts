/**
 * A verification outcome from end to end in real Chromium: the officer photographs a document
 * at the booth, works through the checklist with the keyboard and submits; the outcome worker
 * records it in the database; the officer ends the session; the booth shows the tracking code
 * and a QR code that a phone would scan; and the public tracking page it points to shows the
 * claim's status.
 */
import jsQRModule from 'jsqr';
import type { Browser, Page } from 'puppeteer-core';
import type { Service } from '@bilik/shared/journey';
import { boothPageUrl, openConsole, openPage } from '../support/browser.js';
import { pressTalkButton } from '../support/deskPages.js';
import { boothTakesThePhoto } from '../support/documentPhoto.js';
import { joinQueue } from '../support/kioskJourney.js';
import { E2E_HOOK_TIMEOUT_MS, useSuiteResources } from '../support/suiteResources.js';
import { seedBranch, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

// A CommonJS package: imported from an ES module, its default is the whole module.exports.
const jsQR = jsQRModule.default;

let server: TestServer;
let desk: SeededDesk;
let browser: Browser;

const resources = useSuiteResources();

beforeAll(async () => {
  server = await resources.server();
  desk = await seedBranch(server, { capacity: 4, booths: 2 });
  browser = await resources.browser();
}, E2E_HOOK_TIMEOUT_MS);

interface RecordedOutcome {
  decision: string;
  tracking_code: string;
  checklist: unknown;
  missing_documents: unknown;
  reason: string | null;
  notes: string | null;
  document_ids: string[];
}

/** What the database holds for the booth's outcomes. */
function outcomesOf(boothId: string): Promise<RecordedOutcome[]> {
  return server.db.query<RecordedOutcome>(
    'select decision, tracking_code, checklist, missing_documents, reason, notes, document_ids from outcomes where booth_id = $1',
    [boothId],
  );
}

/** Reads the QR code the page shows in `selector` as a phone camera would: from its pixels. */
async function scanQrCode(page: Page, selector: string): Promise<string | null> {
  const image = await page.$eval(selector, async (svg) => {
    const size = 400;
    const picture = new Image();
    picture.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    await picture.decode();
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext('2d')!;
    context.drawImage(picture, 0, 0, size, size);
    return { width: size, height: size, data: Array.from(context.getImageData(0, 0, size, size).data) };
  });
  return jsQR(Uint8ClampedArray.from(image.data), image.width, image.height)?.data ?? null;
}

const text = (page: Page, selector: string): Promise<string | null> => page.$eval(selector, (element) => element.textContent);

/**
 * Counts the page's print requests in `window.__printed` instead of printing: a headless browser
 * has no printer, and a kiosk's Chromium (`--kiosk-printing`) prints without a dialog anyway.
 */
async function countPrints(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const counted = window as unknown as { __printed: number };
    counted.__printed = 0;
    window.print = () => {
      counted.__printed += 1;
    };
  });
}

/**
 * Opens a kiosk and does what a claimant does: Mulai, a service, the details, the summary
 * confirmed. `search`: the kiosk's configuration in its address.
 */
async function claimantArrives(boothId: string, service: Service, search = ''): Promise<Page> {
  const booth = await openPage(browser, boothPageUrl(server.url, desk.credentials[boothId]!, search), { prepare: countPrints });
  await joinQueue(booth, { service });
  return booth;
}

/** Presses the booth's tile's talk button, and waits for the checklist panel to show its visit. */
async function talkTo(officer: Page, tile: string, boothId: string): Promise<void> {
  await pressTalkButton(officer, boothId);
  await officer.waitForSelector(`${tile}[data-talking="true"]`);
  await officer.waitForFunction(
    (expected) => document.querySelector('[data-testid="outcome-title"]')?.textContent?.includes(expected) === true,
    {},
    boothId,
  );
}

test('the officer records a decision from the checklist; the ended booth shows a tracking code the public page resolves', async () => {
  const officer = await openConsole(browser, `${server.url}/officer/`, { sessionToken: desk.officer.token });

  const booth = await claimantArrives('bilik-1', 'jht', '?printer=1');
  await claimantArrives('bilik-2', 'jkm');

  await officer.bringToFront();
  const tile = '[data-testid="booth-tile"][data-booth-id="bilik-1"]';
  const otherTile = '[data-testid="booth-tile"][data-booth-id="bilik-2"]';
  await officer.waitForSelector(otherTile, { timeout: 20_000 });
  await talkTo(officer, tile, 'bilik-1');

  // Ambil Foto: the booth photographs the document the claimant holds up; the panel counts it for the record.
  await officer.click(`${tile} [data-testid="capture-document"]`);
  await officer.waitForSelector('[data-testid="document-viewer"][data-state="waiting"]');
  await boothTakesThePhoto(booth);
  await officer.bringToFront();
  await officer.waitForSelector('[data-testid="document-viewer"][data-state="shown"]', { timeout: 20_000 });
  await officer.waitForSelector('[data-testid="outcome-photos"][data-count="1"]');

  // Old-age savings: ID card, membership card, the letter ending employment, bank book.
  for (const kind of ['ktp', 'kartu_peserta', 'paklaring', 'buku_tabungan'])
    await officer.waitForSelector(`[data-testid="check-doc-${kind}"]`);
  expect(await officer.$$('[data-testid="check-doc-surat_kematian"]')).toHaveLength(0);

  // The checklist: identity confirmed, two of the four documents shown, the bank account confirmed.
  for (const check of ['check-face', 'check-id-number', 'check-doc-ktp', 'check-doc-kartu_peserta', 'check-bank'])
    await officer.click(`[data-testid="${check}"]`);

  // The panel follows the officer to the other booth, whose claim (death benefit) needs other documents, and back.
  await talkTo(officer, otherTile, 'bilik-2');
  await officer.waitForSelector('[data-testid="check-doc-surat_kematian"]');
  expect(await officer.$eval('[data-testid="check-face"]', (box) => (box as HTMLInputElement).checked)).toBe(false);
  await talkTo(officer, tile, 'bilik-1');
  const ticked = await officer.$$eval('[data-testid^="check-"]', (boxes) =>
    boxes.filter((box) => (box as HTMLInputElement).checked).map((box) => box.getAttribute('data-testid')),
  );
  expect(ticked).toEqual(['check-face', 'check-id-number', 'check-doc-ktp', 'check-doc-kartu_peserta', 'check-bank']);
  // Submitting before deciding says what is missing and sends nothing.
  await officer.click('[data-testid="outcome-submit"]');
  await officer.waitForSelector('[data-testid="outcome-error"]', { visible: true });

  // Alt+2: documents incomplete, the documents not ticked preselected as missing.
  await officer.keyboard.down('Alt');
  await officer.keyboard.press('Digit2');
  await officer.keyboard.up('Alt');
  await officer.waitForSelector('[data-testid="decision-incomplete"]:checked');
  const missing = await officer.$$eval('[data-testid^="missing-doc-"]', (boxes) =>
    boxes.filter((box) => (box as HTMLInputElement).checked).map((box) => box.getAttribute('data-testid')),
  );
  expect(missing).toEqual(['missing-doc-paklaring', 'missing-doc-buku_tabungan']);

  // A note with the console's command keys in it (E twice ends a session; digits pick booths): it is only text.
  await officer.click('[data-testid="outcome-notes"]');
  await officer.keyboard.type('Peserta akan kembali membawa 2 dokumen');
  // Ctrl+Enter submits; the acknowledgement locks the form and shows the claimant's code.
  await officer.keyboard.down('Control');
  await officer.keyboard.press('Enter');
  await officer.keyboard.up('Control');
  const recorded = await officer.waitForSelector('[data-testid="outcome-recorded"]', { visible: true });
  const shownCode = (await recorded!.evaluate((element) => element.textContent))?.match(/([A-Z0-9]{5}-[A-Z0-9]{5})/)?.[1];
  expect(shownCode).toBeDefined();
  expect(await officer.$eval('[data-testid="outcome-notes"]', (notes) => notes.matches(':disabled'))).toBe(true);
  expect(await officer.$$(tile)).toHaveLength(1);

  // The worker records it once, as submitted.
  await waitFor('the outcome to be recorded', async () => (await outcomesOf('bilik-1')).length > 0, 20_000, 100);
  const [outcome, ...more] = await outcomesOf('bilik-1');
  expect(more).toHaveLength(0);
  expect(outcome).toMatchObject({
    decision: 'incomplete',
    tracking_code: shownCode!.replace('-', ''),
    checklist: { faceMatchesId: true, idNumberConfirmed: true, documentsPresent: ['ktp', 'kartu_peserta'], bankAccountConfirmed: true },
    missing_documents: ['paklaring', 'buku_tabungan'],
    reason: null,
    notes: 'Peserta akan kembali membawa 2 dokumen',
  });
  expect(outcome!.document_ids).toEqual([expect.any(String)]);

  // The officer ends the session: Selesai, then again to confirm.
  const endButton = `${tile} [data-testid="end-session"]`;
  await officer.click(endButton);
  await officer.waitForSelector(`${endButton}[data-armed="true"]`);
  await officer.click(endButton);
  await officer.waitForSelector(tile, { hidden: true });
  // The form left with the session.
  await officer.waitForSelector('[data-testid="outcome-submit"]', { hidden: true });

  // The booth thanks the claimant with the code, large, and its QR code.
  await booth.bringToFront();
  await booth.waitForSelector('[data-testid="tracking-code"]', { visible: true });
  expect(await text(booth, '[data-testid="tracking-code"]')).toBe(shownCode);
  const scanned = await scanQrCode(booth, '[data-testid="tracking-qr"]');
  expect(scanned).toBe(`${server.url}/lacak?kode=${shownCode!.replace('-', '')}`);

  // This kiosk has a receipt printer: the claimant takes the code on paper, once.
  await booth.click('[data-testid="print-tracking"]');
  expect(await booth.evaluate(() => (window as unknown as { __printed: number }).__printed)).toBe(1);
  expect(
    await booth.$eval('[data-testid="print-tracking"]', (button) => [button.textContent, (button as HTMLButtonElement).disabled]),
  ).toEqual(['Kode sudah dicetak', true]);
  // What the paper shows: the decision, what to bring and the code with its QR code; no video, button or countdown.
  await booth.emulateMediaType('print');
  const printed = await booth.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('[data-testid]'))
      .filter((element) => element.checkVisibility())
      .map((element) => element.dataset.testid),
  );
  await booth.emulateMediaType(undefined);
  expect(printed).toEqual(
    expect.arrayContaining(['screen-ended', 'decision', 'bring', 'missing-documents', 'tracking', 'tracking-code', 'tracking-qr']),
  );
  for (const absent of ['officer-video', 'thanks-hint', 'thanks-done', 'print-tracking', 'clears-in', 'help-button', 'status'])
    expect(printed).not.toContain(absent);

  // Scanned on a phone: the public page shows the claim's status.
  const phone = await openPage(browser, scanned!);
  expect(await phone.$eval('[data-testid="tracking-status"]', (element) => element.getAttribute('data-status'))).toBe(
    'documents_incomplete',
  );
  expect(await text(phone, '[data-testid="tracking-status"]')).toContain('Dokumen belum lengkap');
  await phone.close();

  // "Selesai" on the booth: back to the welcome, nothing of the code left on the kiosk.
  await booth.bringToFront();
  await booth.click('[data-testid="thanks-done"]');
  await booth.waitForSelector('[data-testid="screen-idle"]', { visible: true });
  const leftOnKiosk = await booth.evaluate(() => ({
    code: document.querySelector('[data-testid="tracking-code"]')?.textContent,
    qr: document.querySelector('[data-testid="tracking-qr"]')?.childElementCount,
    address: document.querySelector('[data-testid="tracking-address"]')?.textContent,
  }));
  expect(leftOnKiosk).toEqual({ code: '', qr: 0, address: '' });
}, 120_000);
