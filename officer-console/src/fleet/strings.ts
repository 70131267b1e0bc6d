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
  loadFailed: {
    id: 'Daftar bilik tidak dapat dimuat; mencoba lagi… ({detail})',
    en: 'The booth list could not be loaded; retrying… ({detail})',
  },
  createFailed: { id: 'Bilik tidak dapat ditambahkan: {detail}', en: 'The booth could not be added: {detail}' },
  codeFailed: { id: 'Kode baru untuk {booth} tidak dapat dibuat: {detail}', en: 'No new code could be made for {booth}: {detail}' },
  revokeFailed: { id: '{booth} tidak dapat dicabut: {detail}', en: '{booth} could not be revoked: {detail}' },
  reloadFailed: { id: '{booth} tidak dapat dimuat ulang: {detail}', en: '{booth} could not be reloaded: {detail}' },
  serviceFailed: {
    id: 'Status operasi {booth} tidak dapat diubah: {detail}',
    en: 'The service state of {booth} could not be changed: {detail}',
  },
  rotateFailed: { id: 'Kredensial {booth} tidak dapat diganti: {detail}', en: 'The credential of {booth} could not be rotated: {detail}' },
  rotateOffline: {
    id: 'Kredensial {booth} tidak diganti: kios harus menyala dan tersambung. Kredensial lama tetap berlaku.',
    en: 'The credential of {booth} was not rotated: its kiosk must be running and connected. The old credential still works.',
  },
  selfTestFailed: { id: 'Uji mandiri {booth} tidak dapat diminta: {detail}', en: 'No self-test could be asked of {booth}: {detail}' },
  reloadSent: { id: '{booth}: perintah muat ulang dikirim.', en: '{booth}: reload sent.' },
  serviceOffDone: {
    id: '{booth} dinonaktifkan; kios menampilkan "Bilik tidak tersedia".',
    en: '{booth} is out of service; its kiosk says it is not available.',
  },
  serviceOnDone: { id: '{booth} diaktifkan kembali.', en: '{booth} is back in service.' },
  rotated: {
    id: '{booth}: kredensial baru tersimpan di kios; kredensial lama tidak berlaku lagi.',
    en: '{booth}: the kiosk stored its new credential; the old one no longer works.',
  },
  selfTestSent: {
    id: '{booth}: uji mandiri diminta; hasilnya akan muncul di daftar.',
    en: '{booth}: self-test requested; its results will show in the list.',
  },
  boothsTitle: { id: 'Bilik', en: 'Booths' },
  boothsEmpty: { id: 'Cabang ini belum punya bilik.', en: 'This branch has no booths yet.' },
  colName: { id: 'Nama', en: 'Name' },
  colId: { id: 'ID', en: 'ID' },
  colEnrolled: { id: 'Terdaftar', en: 'Enrolled' },
  colRevoked: { id: 'Dicabut', en: 'Revoked' },
  colStatus: { id: 'Status', en: 'Status' },
  colHeartbeat: { id: 'Terakhir terdengar', en: 'Last heard' },
  colVersion: { id: 'Versi', en: 'Version' },
  colSelfTest: { id: 'Uji mandiri', en: 'Self-test' },
  colLink: { id: 'Kualitas sambungan', en: 'Link quality' },
  status_not_enrolled: { id: 'Belum terdaftar', en: 'Not enrolled' },
  status_revoked: { id: 'Dicabut', en: 'Revoked' },
  status_out_of_service: { id: 'Tidak beroperasi', en: 'Out of service' },
  status_offline: { id: 'Luring', en: 'Offline' },
  status_fault: { id: 'Gangguan', en: 'Fault' },
  status_in_session: { id: 'Sedang melayani', en: 'In session' },
  status_waiting: { id: 'Peserta menunggu', en: 'Claimant waiting' },
  status_online: { id: 'Daring', en: 'Online' },
  deviceFault_camera: { id: 'Kamera hilang saat panggilan', en: 'Camera lost during a call' },
  deviceFault_microphone: { id: 'Mikrofon hilang saat panggilan', en: 'Microphone lost during a call' },
  secondsAgo: { id: '{count} s lalu', en: '{count} s ago' },
  minutesAgo: { id: '{count} mnt lalu', en: '{count} min ago' },
  hoursAgo: { id: '{count} jam lalu', en: '{count} h ago' },
  never: { id: 'Belum pernah', en: 'Never' },
  check_camera: { id: 'Kamera', en: 'Camera' },
  check_microphone: { id: 'Mikrofon', en: 'Microphone' },
  check_speaker: { id: 'Pengeras suara', en: 'Speaker' },
  check_network: { id: 'Jaringan', en: 'Network' },
  selfTestNone: { id: 'Belum ada hasil', en: 'No results yet' },
  selfTestAt: { id: 'pukul {time}', en: 'at {time}' },
  milliseconds: { id: '{ms} ms', en: '{ms} ms' },
  path_udp: { id: 'UDP', en: 'UDP' },
  path_tcp: { id: 'TCP (UDP diblokir)', en: 'TCP (UDP blocked)' },
  path_relay: { id: 'lewat relai TURN', en: 'through the TURN relay' },
  link_good: { id: 'Baik', en: 'Good' },
  link_fair: { id: 'Cukup', en: 'Fair' },
  link_poor: { id: 'Buruk', en: 'Poor' },
  summary: {
    id: '{fault} gangguan · {offline} luring · {inSession} sedang melayani · {outOfService} tidak beroperasi · dari {total} bilik',
    en: '{fault} faulty · {offline} offline · {inSession} in session · {outOfService} out of service · of {total} booths',
  },
  linkRtt: { id: 'RTT {ms} ms', en: 'RTT {ms} ms' },
  linkLoss: { id: 'hilang {percent}%', en: 'loss {percent}%' },
  linkRates: { id: '↑ {out} ↓ {in} kbps', en: '↑ {out} ↓ {in} kbps' },
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
  reload: { id: 'Muat ulang', en: 'Reload' },
  reloadHint: {
    id: 'Muat ulang halaman kios; bila peserta sedang dilayani, setelah layanannya selesai',
    en: 'Reload the kiosk page; if a claimant is being served, once their session is over',
  },
  serviceOff: { id: 'Nonaktifkan', en: 'Take out of service' },
  serviceOffHint: {
    id: 'Kios menampilkan "Bilik tidak tersedia"; peserta yang menunggu dikeluarkan dari antrean, layanan yang berjalan diselesaikan',
    en: 'The kiosk shows "not available"; a waiting claimant leaves the queue, a session under way finishes',
  },
  serviceOn: { id: 'Aktifkan', en: 'Put back in service' },
  serviceOnHint: { id: 'Kios kembali menyambut peserta', en: 'The kiosk welcomes claimants again' },
  rotate: { id: 'Ganti kredensial', en: 'Rotate credential' },
  rotateHint: {
    id: 'Beri kios kredensial baru; yang lama berhenti berlaku setelah kios menyimpannya. Kios harus menyala.',
    en: 'Give the kiosk a new credential; the old one stops working once the kiosk stored it. The kiosk must be running.',
  },
  runSelfTest: { id: 'Uji mandiri', en: 'Self-test' },
  runSelfTestHint: {
    id: 'Kios memeriksa kamera, mikrofon, pengeras suara, dan jaringan saat tidak ada peserta',
    en: 'The kiosk checks its camera, microphone, speaker and network when no claimant is there',
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

/** A measurement in the page's language, to at most one decimal. */
export function formatNumber(value: number): string {
  return value.toLocaleString(LOCALE, { maximumFractionDigits: 1 });
}

/** A date and time in the page's language, for moments that may be days ago. */
export function formatDateTime(date: Date): string {
  return date.toLocaleString(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
}
