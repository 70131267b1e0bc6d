/**
 * The sign-in page shared by officers, supervisors and IT admins, rendered on the server so it
 * works without JavaScript. Under the strict content security policy it has no script and no
 * inline style: its look comes from one same-origin stylesheet served at
 * SIGN_IN_STYLESHEET_PATH. Text is Bahasa Indonesia first, English second.
 */
import { MAX_PASSWORD_LENGTH } from '../accounts/passwords.js';
import { MAX_USERNAME_LENGTH } from '../identifiers.js';
import { assetReadOnce, bilingualHtml, escapeHtml, waitText, type Bilingual } from './serverPages.js';

/** What the page says above the form. */
export type SignInNotice =
  | { kind: 'invalid' } // wrong username or password (never say which)
  | { kind: 'locked'; minutes: number } // too many failures: locked for N more minutes
  | { kind: 'rate-limited'; seconds: number } // too many attempts from this address
  | { kind: 'signed-out' } // info: you have signed out
  | { kind: 'expired' } // info: your session ended, sign in again
  | { kind: 'missing' }; // username and password are both required

export interface SignInPageOptions {
  /** Where to go after signing in; re-validated here, anything unsafe becomes '/'. */
  next: string;
  /** The username typed last time, to fill in again (never the password). */
  username?: string;
  notice?: SignInNotice;
}

/** The stylesheet the page links, served by the server at SIGN_IN_STYLESHEET_PATH. */
export const SIGN_IN_STYLESHEET_PATH = '/auth/signin.css';

/** Longest `next` path accepted; longer ones are not links anyone follows by hand. */
export const MAX_NEXT_PATH_LENGTH = 512;

/** Every fixed text of the page, Bahasa Indonesia first and English second. */
const TEXT = {
  title: { id: 'Masuk — Bilik', en: 'Sign in — Bilik' },
  appName: { id: 'Bilik', en: 'Bilik' },
  tagline: { id: 'Layanan video bilik', en: 'Video booth service' },
  heading: { id: 'Masuk', en: 'Sign in' },
  username: { id: 'Nama pengguna', en: 'Username' },
  password: { id: 'Kata sandi', en: 'Password' },
  submit: { id: 'Masuk', en: 'Sign in' },
  invalid: { id: 'Nama pengguna atau kata sandi salah.', en: 'Wrong username or password.' },
  missing: { id: 'Nama pengguna dan kata sandi wajib diisi.', en: 'Both the username and the password are required.' },
  signedOut: { id: 'Anda telah keluar.', en: 'You have signed out.' },
  expired: { id: 'Sesi Anda telah berakhir. Silakan masuk lagi.', en: 'Your session has ended. Please sign in again.' },
} as const satisfies Record<string, Bilingual>;

// C0 and C1 controls: browsers drop tabs and newlines from URLs, so "/\t/evil" would become "//evil".
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
const PARSE_BASE = 'http://bilik.invalid';

/**
 * `value` if it is a path on this site, else '/': a string of at most 512 characters starting
 * with exactly one '/' (browsers read "//host" and "/\host" as another host), with no control
 * characters, and that a URL parser also resolves to this origin.
 */
export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string') return '/';
  if (value.length === 0 || value.length > MAX_NEXT_PATH_LENGTH) return '/';
  if (!value.startsWith('/') || value[1] === '/' || value[1] === '\\') return '/';
  if (CONTROL_CHARACTERS.test(value)) return '/';
  try {
    if (new URL(value, PARSE_BASE).origin !== PARSE_BASE) return '/';
  } catch {
    return '/';
  }
  return value;
}

/** The full HTML document of the sign-in page. */
export function renderSignInPage(options: SignInPageOptions): string {
  const next = safeNextPath(options.next);
  const username = Array.from(typeof options.username === 'string' ? options.username : '')
    .slice(0, MAX_USERNAME_LENGTH)
    .join('');
  const notice = options.notice === undefined ? '' : renderNotice(options.notice);
  // An error is read out with each field, so a screen reader hears why the form came back.
  const describedBy = options.notice !== undefined && isError(options.notice) ? ' aria-describedby="signin-notice"' : '';
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="dark">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(TEXT.title.id)}</title>
<link rel="stylesheet" href="${escapeHtml(SIGN_IN_STYLESHEET_PATH)}">
</head>
<body>
<main class="signin">
<header class="signin-brand">
<p class="brand">${escapeHtml(TEXT.appName.id)} <span class="brand-sub">${escapeHtml(TEXT.tagline.id)}</span></p>
</header>
<h1 class="signin-title">${bilingualHtml(TEXT.heading)}</h1>
${notice}<form class="signin-form" method="post" action="/auth/signin" data-testid="signin-form">
<div class="field">
<label class="field-label" for="signin-username">${bilingual(TEXT.username)}</label>
<input class="field-input" id="signin-username" name="username" type="text" value="${escapeHtml(username)}" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="${MAX_USERNAME_LENGTH}" required autofocus${describedBy}>
</div>
<div class="field">
<label class="field-label" for="signin-password">${bilingual(TEXT.password)}</label>
<input class="field-input" id="signin-password" name="password" type="password" autocomplete="current-password" maxlength="${MAX_PASSWORD_LENGTH}" required${describedBy}>
</div>
<input type="hidden" name="next" value="${escapeHtml(next)}">
<button class="signin-submit" type="submit">${bilingualHtml(TEXT.submit)}</button>
</form>
</main>
</body>
</html>
`;
}

/** The bilingual label text: Indonesian, then English in smaller secondary type. */
function bilingual(text: Bilingual): string {
  return `<span class="label-id">${escapeHtml(text.id)}</span> <span class="en" lang="en">${escapeHtml(text.en)}</span>`;
}

/** Errors are announced at once (role="alert"); the others are information (role="status"). */
function isError(notice: SignInNotice): boolean {
  return notice.kind === 'invalid' || notice.kind === 'locked' || notice.kind === 'rate-limited' || notice.kind === 'missing';
}

function renderNotice(notice: SignInNotice): string {
  const text = noticeText(notice);
  const error = isError(notice);
  return `<div class="notice ${error ? 'notice-error' : 'notice-info'}" id="signin-notice" role="${error ? 'alert' : 'status'}" data-testid="signin-notice" data-kind="${escapeHtml(notice.kind)}">
<p class="notice-id">${escapeHtml(text.id)}</p>
<p class="notice-en" lang="en">${escapeHtml(text.en)}</p>
</div>
`;
}

function noticeText(notice: SignInNotice): Bilingual {
  switch (notice.kind) {
    case 'invalid':
      return TEXT.invalid;
    case 'missing':
      return TEXT.missing;
    case 'signed-out':
      return TEXT.signedOut;
    case 'expired':
      return TEXT.expired;
    case 'locked': {
      const minutes = wholeCount(notice.minutes);
      const failed = { id: 'Terlalu banyak percobaan yang gagal.', en: 'Too many failed attempts.' };
      if (minutes === undefined)
        return { id: `${failed.id} Akun dikunci untuk sementara.`, en: `${failed.en} The account is locked for now.` };
      return {
        id: `${failed.id} Akun dikunci selama ${minutes} menit lagi.`,
        en: `${failed.en} The account is locked for ${minutes} more ${minutes === 1 ? 'minute' : 'minutes'}.`,
      };
    }
    case 'rate-limited': {
      const seconds = wholeCount(notice.seconds);
      const tooMany = { id: 'Terlalu banyak percobaan dari alamat ini.', en: 'Too many attempts from this address.' };
      if (seconds === undefined) return { id: `${tooMany.id} Coba lagi nanti.`, en: `${tooMany.en} Try again later.` };
      const wait = waitText(seconds);
      return { id: `${tooMany.id} Coba lagi dalam ${wait.id}.`, en: `${tooMany.en} Try again in ${wait.en}.` };
    }
  }
}

/** A positive count rounded up (a lock with 10 s left still says 1 minute); undefined if not a usable number. */
function wholeCount(value: number): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
  return Math.ceil(value);
}

/** The page's stylesheet, assets/signin.css beside this module. */
export const signInStylesheet = assetReadOnce(new URL('./assets/signin.css', import.meta.url));
