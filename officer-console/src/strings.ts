/**
 * Every text the officer console shows, Bahasa Indonesia first and English second; `?lang=en`
 * in the address switches to English.
 */
import { languageFromUrl, translator, type Language, type TextTable, type Translate } from '@bilik/shared/client';
import type { Service } from '@bilik/shared/journey';

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
  noBoothsPaused: { id: 'Anda sedang istirahat; bilik baru tidak ditugaskan.', en: 'You are on a break; no new booths are assigned.' },
  boothCount: { id: '{count}/{capacity} bilik · {free} kosong', en: '{count}/{capacity} booths · {free} free' },
  boothLabel: { id: 'Bilik {id}', en: 'Booth {id}' },
  keysLabel: { id: 'Tombol', en: 'Keys' },
  keyTalk: { id: 'bicara', en: 'talk' },
  keyMute: { id: 'diam', en: 'silence' },
  keyFocus: { id: 'perbesar', en: 'enlarge' },
  keyUnfocus: { id: 'kecilkan', en: 'shrink' },
  keyEnd: { id: 'selesai', en: 'end' },
  keyWork: { id: 'istirahat', en: 'break' },
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
  workFailed: { id: 'Gagal mengubah status kerja.', en: 'Could not change your work state.' },
  endFailed: { id: 'Gagal mengakhiri sesi.', en: 'Could not end the session.' },
  workAvailable: { id: 'Menerima bilik', en: 'Taking booths' },
  workPaused: { id: 'Istirahat', en: 'On a break' },
  workWrapUp: { id: 'Penyelesaian', en: 'Wrap-up' },
  workWrapUpLeft: { id: 'Penyelesaian · {seconds} dtk', en: 'Wrap-up · {seconds} s' },
  workOffline: { id: 'Tidak aktif', en: 'Offline' },
  pause: { id: 'Istirahat', en: 'Take a break' },
  resume: { id: 'Siap menerima', en: 'Ready for booths' },
  workToggleHint: { id: 'Tekan P', en: 'Press P' },
  serviceJht: { id: 'Jaminan Hari Tua', en: 'Old-age security (JHT)' },
  serviceJkk: { id: 'Jaminan Kecelakaan Kerja', en: 'Work accident security (JKK)' },
  serviceJkm: { id: 'Jaminan Kematian', en: 'Death security (JKM)' },
  serviceJp: { id: 'Jaminan Pensiun', en: 'Pension security (JP)' },
  ticketHint: { id: 'Nomor antrean', en: 'Queue ticket' },
  priority: { id: 'Prioritas', en: 'Priority' },
  priorityHint: { id: 'Lansia, penyandang disabilitas atau ibu hamil', en: 'Elderly, disabled or pregnant' },
  boothConnecting: { id: 'Menghubungkan…', en: 'Connecting…' },
  boothAway: { id: 'Koneksi bilik terputus, menunggu…', en: 'Booth connection lost, waiting…' },
  endSession: { id: 'Selesai', en: 'End' },
  endSessionConfirm: { id: 'Yakin? Tekan lagi', en: 'Sure? Press again' },
  endSessionHint: { id: 'Akhiri sesi bilik ini (E dua kali untuk bilik yang diajak bicara)', en: 'End this booth’s session (E twice for the booth you talk to)' },
} as const satisfies TextTable<string>;

/** The key of one text of the console. */
export type TextKey = keyof typeof TEXT;

/** The language the console speaks, as an HTML `lang` value. */
export const LANGUAGE: Language = languageFromUrl(location.search);

/** The text for `key` in the console's language, with each `{name}` replaced from `values`. */
export const t: Translate<TextKey> = translator(TEXT, LANGUAGE);

const SERVICE_TEXT = { jht: 'serviceJht', jkk: 'serviceJkk', jkm: 'serviceJkm', jp: 'serviceJp' } as const satisfies Record<Service, TextKey>;

/** The programme's full name, as claimants know it. */
export function serviceName(service: Service): string {
  return t(SERVICE_TEXT[service]);
}
