/**
 * Every text the officer console shows, Bahasa Indonesia first and English second; `?lang=en`
 * in the address switches to English.
 */
import { languageFromUrl, translator, type Language, type TextTable, type Translate } from '@bilik/shared/client';

const TEXT = {
  title: { id: 'Konsol Petugas · Bilik', en: 'Officer console · Bilik' },
  appName: { id: 'Bilik', en: 'Bilik' },
  consoleName: { id: 'Konsol Petugas', en: 'Officer console' },
  officer: { id: 'Petugas', en: 'Officer' },
  you: { id: 'Anda', en: 'You' },
  capturing: { id: 'Menyiapkan kamera…', en: 'Starting camera…' },
  connecting: { id: 'Menghubungkan…', en: 'Connecting…' },
  unreachable: { id: 'Server tidak terjangkau, mencoba lagi…', en: 'Server unreachable, retrying…' },
  refused: { id: 'Ditolak server, mencoba lagi…', en: 'Refused by the server, retrying…' },
  joining: { id: 'Menyiapkan media…', en: 'Setting up media…' },
  live: { id: 'Tersambung', en: 'Connected' },
  failed: { id: 'Media gagal dimulai, mencoba lagi…', en: 'Media failed to start, retrying…' },
  reconnecting: { id: 'Terputus, menghubungkan kembali…', en: 'Disconnected, reconnecting…' },
  cameraFailed: { id: 'Kamera atau mikrofon tidak dapat digunakan.', en: 'The camera or microphone cannot be used.' },
  signOut: { id: 'Keluar', en: 'Sign out' },
  retry: { id: 'Coba lagi', en: 'Try again' },
  enableSound: { id: 'Klik untuk mengaktifkan suara', en: 'Click to turn on sound' },
  noBooths: { id: 'Belum ada bilik yang ditugaskan kepada Anda.', en: 'No booths are assigned to you yet.' },
  boothCount: { id: '{count}/{capacity} bilik', en: '{count}/{capacity} booths' },
  boothLabel: { id: 'Bilik {id}', en: 'Booth {id}' },
  keysLabel: { id: 'Tombol', en: 'Keys' },
  keyTalk: { id: 'bicara', en: 'talk' },
  keyMute: { id: 'diam', en: 'silence' },
  keyFocus: { id: 'perbesar', en: 'enlarge' },
  keyUnfocus: { id: 'kecilkan', en: 'shrink' },
  talkHint: { id: 'Klik atau tekan {key} untuk berbicara dengan bilik ini', en: 'Click or press {key} to talk to this booth' },
  talking: { id: 'Sedang berbicara', en: 'Talking' },
  noVideo: { id: 'Menunggu video bilik…', en: 'Waiting for the booth’s video…' },
  attention: { id: 'Panggil #{place}', en: 'Call #{place}' },
  attentionHint: { id: 'Peserta menekan "Panggil Petugas"; urutan ke-{place}', en: 'The claimant pressed "Call the officer"; number {place} in line' },
  speaking: { id: 'Peserta sedang berbicara', en: 'The claimant is speaking' },
  silent: { id: 'Peserta diam', en: 'The claimant is silent' },
  elapsedHint: { id: 'Lama sesi', en: 'Time in session' },
  focus: { id: 'Perbesar', en: 'Enlarge' },
  unfocus: { id: 'Kecilkan', en: 'Shrink' },
  talkFailed: { id: 'Gagal memilih bilik.', en: 'Could not select the booth.' },
  focusFailed: { id: 'Gagal mengubah ukuran tampilan.', en: 'Could not change the tile size.' },
} as const satisfies TextTable<string>;

/** The key of one text of the console. */
export type TextKey = keyof typeof TEXT;

/** The language the console speaks, as an HTML `lang` value. */
export const LANGUAGE: Language = languageFromUrl(location.search);

/** The text for `key` in the console's language, with each `{name}` replaced from `values`. */
export const t: Translate<TextKey> = translator(TEXT, LANGUAGE);
