/**
 * The public claim tracking page (/lacak), rendered on the server so it works on any phone
 * without JavaScript: a form for the code and, for `?kode=`, the claim's status and its date.
 * Claimants are often elderly: Bahasa Indonesia first with English below, large type, one
 * question per page. It shows nothing but what ClaimStatusView holds. Under the strict content
 * security policy it has no script and no inline style; its look comes from one stylesheet.
 */
import { formatTrackingCode, type ClaimStatus } from '@bilik/shared';
import { assetReadOnce, bilingualHtml, escapeHtml, waitText, type Bilingual } from '../http/serverPages.js';
import type { ClaimStatusView } from './claimStatus.js';

/** Where the page is served; the booth's QR code points here unless PUBLIC_TRACKING_URL says otherwise. */
export const TRACKING_PAGE_PATH = '/lacak';
/** The page's stylesheet. */
export const TRACKING_STYLESHEET_PATH = '/lacak/lacak.css';
/** Longest text accepted as a typed code; anything longer is not a code someone typed by hand. */
export const MAX_TYPED_CODE_LENGTH = 32;

/** The link to the tracking page for `code`: on `publicUrl` when configured, else a path on this server. */
export function trackingPageLink(publicUrl: string | null, code: string): string {
  if (publicUrl === null) return `${TRACKING_PAGE_PATH}?kode=${code}`;
  const url = new URL(publicUrl);
  url.searchParams.set('kode', code);
  return url.href;
}

/** What the page answers below its form; null for the bare form. */
export type TrackingPageResult =
  | { kind: 'status'; code: string; view: ClaimStatusView }
  /** No recorded outcome under the code, or no such code: the page cannot tell them apart. */
  | { kind: 'not-found'; code: string }
  | { kind: 'malformed'; typed: string }
  | { kind: 'rate-limited'; seconds: number };

/**
 * The one answer for an unknown code and for a visit whose outcome is not recorded yet, so that
 * the answer reveals nothing else.
 */
export const CODE_NOT_FOUND: Bilingual = {
  id: 'Kode tidak ditemukan. Jika Anda baru saja dilayani, keputusan petugas mungkin belum tercatat; coba lagi nanti.',
  en: 'Code not found. If you were served just now, the officer’s decision may not be recorded yet; please try again later.',
};

/** The page's fixed texts, Bahasa Indonesia first and English second. */
const TEXT = {
  title: { id: 'Lacak Klaim — Bilik', en: 'Track a claim — Bilik' },
  heading: { id: 'Lacak klaim', en: 'Track your claim' },
  intro: {
    id: 'Masukkan kode pelacakan yang ditampilkan layar bilik setelah Anda dilayani.',
    en: 'Enter the tracking code the booth showed after you were served.',
  },
  codeLabel: { id: 'Kode pelacakan', en: 'Tracking code' },
  submit: { id: 'Lacak', en: 'Track' },
  statusLabel: { id: 'Status klaim', en: 'Claim status' },
  since: { id: 'Sejak', en: 'Since' },
  malformed: {
    id: 'Kode pelacakan terdiri dari 10 huruf dan angka, misalnya 3CKA7-MPQXT. Periksa kembali.',
    en: 'A tracking code has 10 letters and digits, e.g. 3CKA7-MPQXT. Please check it.',
  },
  privacy: {
    id: 'Halaman ini hanya menampilkan status klaim dan tanggalnya, tanpa data pribadi.',
    en: 'This page shows only the claim’s status and its date, no personal data.',
  },
} as const satisfies Record<string, Bilingual>;

/** Each status: its name, and what the claimant should do next. */
const STATUS_TEXT: Record<ClaimStatus, { name: Bilingual; next: Bilingual }> = {
  in_review: {
    name: { id: 'Sedang ditinjau, sedang diproses', en: 'In review, being processed' },
    next: {
      id: 'Klaim Anda sedang diproses dan ditinjau oleh kantor cabang. Anda tidak perlu melakukan apa pun; periksa lagi nanti.',
      en: 'Your claim is being processed and reviewed by the branch office. You need not do anything; check again later.',
    },
  },
  processing: {
    name: { id: 'Disetujui, sedang diproses', en: 'Approved, being processed' },
    next: {
      id: 'Klaim Anda disetujui dan sedang diproses. Anda tidak perlu melakukan apa pun.',
      en: 'Your claim was approved and is being processed. You need not do anything.',
    },
  },
  documents_incomplete: {
    name: { id: 'Dokumen belum lengkap', en: 'Documents incomplete' },
    next: {
      id: 'Silakan datang kembali ke bilik atau kantor cabang dengan dokumen yang kurang.',
      en: 'Please come back to a booth or a branch office with the missing documents.',
    },
  },
  rejected: {
    name: { id: 'Ditolak', en: 'Rejected' },
    next: { id: 'Petugas kantor cabang dapat menjelaskan alasannya.', en: 'The branch office staff can explain why.' },
  },
  escalated: {
    name: { id: 'Diteruskan ke supervisor', en: 'Referred to a supervisor' },
    next: { id: 'Supervisor sedang meninjau klaim Anda.', en: 'A supervisor is reviewing your claim.' },
  },
  reopened: {
    name: { id: 'Diperiksa ulang oleh kantor cabang', en: 'Being re-examined by the branch office' },
    next: {
      id: 'Keputusan atas klaim Anda perlu diperiksa ulang. Petugas kantor cabang akan menghubungi Anda; Anda juga dapat datang ke kantor cabang dengan membawa dokumen Anda.',
      en: 'The decision on your claim needs to be re-examined. The branch office staff will contact you; you may also come to the branch office with your documents.',
    },
  },
  ended_without_decision: {
    name: { id: 'Selesai tanpa keputusan', en: 'Ended without a decision' },
    next: {
      id: 'Kunjungan Anda berakhir sebelum petugas memberi keputusan, jadi klaim Anda belum diproses. Silakan datang lagi ke bilik atau kantor cabang dengan membawa dokumen Anda.',
      en: 'Your visit ended before the officer decided your claim, so it is not being processed yet. Please come back to a booth or a branch office with your documents.',
    },
  },
};

/** The full HTML document of the tracking page. */
export function renderTrackingPage(result: TrackingPageResult | null): string {
  const typed =
    result === null || result.kind === 'rate-limited' ? '' : result.kind === 'malformed' ? result.typed : formatTrackingCode(result.code);
  const answer = result === null ? '' : renderResult(result);
  // A refused code is read out with the field, so a screen reader hears why.
  const describedBy = result?.kind === 'malformed' || result?.kind === 'not-found' ? ' aria-describedby="tracking-notice"' : '';
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(TEXT.title.id)}</title>
<link rel="stylesheet" href="${escapeHtml(TRACKING_STYLESHEET_PATH)}">
</head>
<body>
<main class="tracking">
<h1 class="tracking-title">${bilingualHtml(TEXT.heading)}</h1>
<p class="intro">${bilingualHtml(TEXT.intro)}</p>
<form class="tracking-form" method="get" action="${TRACKING_PAGE_PATH}" data-testid="tracking-form">
<label class="field-label" for="tracking-code">${bilingualHtml(TEXT.codeLabel)}</label>
<input class="code-input" id="tracking-code" name="kode" type="text" value="${escapeHtml(typed)}" inputmode="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="${MAX_TYPED_CODE_LENGTH}" placeholder="XXXXX-XXXXX" required${describedBy}>
<button class="submit" type="submit">${bilingualHtml(TEXT.submit)}</button>
</form>
${answer}<p class="privacy">${bilingualHtml(TEXT.privacy)}</p>
</main>
</body>
</html>
`;
}

function renderResult(result: TrackingPageResult): string {
  switch (result.kind) {
    case 'status': {
      const text = STATUS_TEXT[result.view.status];
      const since = longDates(result.view.since);
      return `<section class="result" role="status" data-testid="tracking-result">
<p class="result-label">${escapeHtml(TEXT.statusLabel.id)} · <span lang="en">${escapeHtml(TEXT.statusLabel.en)}</span> · <span class="result-code">${escapeHtml(formatTrackingCode(result.code))}</span></p>
<p class="status-name" data-testid="tracking-status" data-status="${escapeHtml(result.view.status)}">${bilingualHtml(text.name)}</p>
<p class="status-since"><time datetime="${escapeHtml(result.view.since)}" data-testid="tracking-since">${escapeHtml(TEXT.since.id)} ${escapeHtml(since.id)}</time> <span class="en" lang="en">${escapeHtml(TEXT.since.en)} ${escapeHtml(since.en)}</span></p>
<p class="status-next">${bilingualHtml(text.next)}</p>
</section>
`;
    }
    case 'not-found':
      return notice(CODE_NOT_FOUND, result.kind);
    case 'malformed':
      return notice(TEXT.malformed, result.kind);
    case 'rate-limited': {
      const wait = waitText(result.seconds);
      return notice(
        {
          id: `Terlalu banyak pencarian dari alamat ini. Coba lagi dalam ${wait.id}.`,
          en: `Too many look-ups from this address. Please try again in ${wait.en}.`,
        },
        result.kind,
      );
    }
  }
}

function notice(text: Bilingual, kind: string): string {
  return `<div class="notice" id="tracking-notice" role="alert" data-testid="tracking-notice" data-kind="${escapeHtml(kind)}">
<p class="notice-id">${escapeHtml(text.id)}</p>
<p class="notice-en" lang="en">${escapeHtml(text.en)}</p>
</div>
`;
}

/** A YYYY-MM-DD day as people write it: "12 Maret 2025", "12 March 2025". */
function longDates(day: string): Bilingual {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const when = Date.UTC(year, month - 1, date);
  const format = (locale: string): string => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(when);
  return { id: format('id-ID'), en: format('en-GB') };
}

/** The page's stylesheet, assets/lacak.css beside this module. */
export const trackingStylesheet = assetReadOnce(new URL('./assets/lacak.css', import.meta.url));
