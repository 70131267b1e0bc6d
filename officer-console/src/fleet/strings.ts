/**
 * Every text the IT fleet page shows, Bahasa Indonesia first and English second; `?lang=en` in
 * the address switches to English.
 */
import { languageFromUrl, translator, type Language, type TextTable, type Translate } from '@bilik/shared/client';

const TEXT = {
  title: { id: 'Pengelolaan bilik · Bilik', en: 'Booth management · Bilik' },
  appName: { id: 'Bilik', en: 'Bilik' },
  pageName: { id: 'Pengelolaan bilik', en: 'Booth management' },
  admin: { id: 'Admin TI', en: 'IT admin' },
  signOut: { id: 'Keluar', en: 'Sign out' },
  branch: { id: 'Cabang', en: 'Branch' },
  loading: { id: 'Memuat…', en: 'Loading…' },
  updatedAt: { id: 'Diperbarui {time}', en: 'Updated {time}' },
  notLoaded: { id: 'Belum dimuat', en: 'Not loaded' },
  unreachable: { id: 'Server tidak terjangkau.', en: 'The server cannot be reached.' },
  notItAdmin: { id: 'Halaman ini hanya untuk admin TI cabang.', en: 'This page is for branch IT administrators only.' },
  noBranch: { id: 'Akun Anda tidak terdaftar di cabang mana pun.', en: 'Your account belongs to no branch.' },
  forbidden: { id: 'Anda tidak mengurus bilik cabang {branch}.', en: 'You do not look after the booths of branch {branch}.' },
  loadFailed: { id: 'Daftar bilik tidak dapat dimuat; mencoba lagi… ({detail})', en: 'The booth list could not be loaded; retrying… ({detail})' },
  createFailed: { id: 'Bilik tidak dapat ditambahkan: {detail}', en: 'The booth could not be added: {detail}' },
  codeFailed: { id: 'Kode baru untuk {booth} tidak dapat dibuat: {detail}', en: 'No new code could be made for {booth}: {detail}' },
  revokeFailed: { id: '{booth} tidak dapat dicabut: {detail}', en: '{booth} could not be revoked: {detail}' },
  boothsTitle: { id: 'Bilik', en: 'Booths' },
  boothsEmpty: { id: 'Cabang ini belum punya bilik.', en: 'This branch has no booths yet.' },
  colName: { id: 'Nama', en: 'Name' },
  colId: { id: 'ID', en: 'ID' },
  colEnrolled: { id: 'Terdaftar', en: 'Enrolled' },
  colRevoked: { id: 'Dicabut', en: 'Revoked' },
  colOutOfService: { id: 'Tidak beroperasi', en: 'Out of service' },
  colActions: { id: 'Tindakan', en: 'Actions' },
  yes: { id: 'Ya', en: 'Yes' },
  no: { id: 'Tidak', en: 'No' },
  none: { id: '—', en: '—' },
  issueCode: { id: 'Kode baru', en: 'New code' },
  issueCodeHint: {
    id: 'Buat kode pendaftaran baru untuk bilik ini; kode lama tidak berlaku lagi',
    en: 'Make a new enrolment code for this booth; earlier codes stop working',
  },
  revoke: { id: 'Cabut', en: 'Revoke' },
  revokeConfirm: { id: 'Yakin? Tekan lagi', en: 'Sure? Press again' },
  revokeHint: {
    id: 'Putuskan bilik ini sekarang; kios harus didaftarkan lagi dengan kode baru',
    en: 'Disconnect this booth now; the kiosk must be enrolled again with a new code',
  },
  newBoothTitle: { id: 'Tambah bilik', en: 'Add a booth' },
  newBoothId: { id: 'ID bilik', en: 'Booth ID' },
  newBoothIdHint: { id: 'Huruf, angka, - atau _, paling banyak 64', en: 'Letters, digits, - or _, at most 64' },
  newBoothName: { id: 'Nama', en: 'Name' },
  newBoothSubmit: { id: 'Tambah bilik', en: 'Add booth' },
  codeTitle: { id: 'Kode pendaftaran untuk {name} ({booth})', en: 'Enrolment code for {name} ({booth})' },
  codeExpiry: { id: 'Berlaku sampai pukul {time}, hanya untuk satu kali pakai.', en: 'Valid until {time}, for one use only.' },
  codeHint: {
    id: 'Ketik kode ini di layar pendaftaran kios bilik, lalu tekan Daftarkan.',
    en: 'Type this code on the booth kiosk’s enrolment screen, then press Enrol.',
  },
  codeClose: { id: 'Tutup', en: 'Close' },
} as const satisfies TextTable<string>;

/** The key of one text of the fleet page. */
export type TextKey = keyof typeof TEXT;

/** The language the page speaks, as an HTML `lang` value. */
export const LANGUAGE: Language = languageFromUrl(location.search);
const LOCALE = LANGUAGE === 'id' ? 'id-ID' : 'en-GB';

/** The text for `key` in the page's language, with each `{name}` replaced from `values`. */
export const t: Translate<TextKey> = translator(TEXT, LANGUAGE);

/** A time of day in the page's language, to the minute or, with `seconds`, to the second. */
export function formatTime(date: Date, seconds = false): string {
  return date.toLocaleTimeString(LOCALE, { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) });
}

/** A date and time in the page's language, for moments that may be days ago. */
export function formatDateTime(date: Date): string {
  return date.toLocaleString(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
}
