/**
 * Every text the supervisor page shows, Bahasa Indonesia first and English second; `?lang=en`
 * in the address switches to English.
 */
import { languageFromUrl, translator, type Language, type TextTable, type Translate } from '@bilik/shared/client';
import type { Service, WorkState } from '@bilik/shared/journey';
import type { Decision } from '@bilik/shared/outcome';

const TEXT = {
  title: { id: 'Supervisor · Bilik', en: 'Supervisor · Bilik' },
  appName: { id: 'Bilik', en: 'Bilik' },
  pageName: { id: 'Supervisor', en: 'Supervisor' },
  supervisor: { id: 'Supervisor', en: 'Supervisor' },
  signOut: { id: 'Keluar', en: 'Sign out' },
  openConsole: { id: 'Layani bilik', en: 'Serve booths' },
  openConsoleHint: {
    id: 'Buka konsol layanan di tab baru, untuk menerima klaimen yang diteruskan petugas kepada Anda',
    en: 'Open the service console in a new tab, to take the claimants officers hand over to you',
  },
  branch: { id: 'Cabang', en: 'Branch' },
  loading: { id: 'Memuat…', en: 'Loading…' },
  updatedAt: { id: 'Diperbarui {time}', en: 'Updated {time}' },
  staleSince: {
    id: 'Data tidak diperbarui sejak {time}; mencoba lagi…',
    en: 'The data has not been updated since {time}; retrying…',
  },
  staleNever: { id: 'Data belum dapat dimuat; mencoba lagi…', en: 'The data could not be loaded yet; retrying…' },
  unreachable: { id: 'Server tidak terjangkau.', en: 'The server cannot be reached.' },
  notSupervisor: { id: 'Halaman ini hanya untuk supervisor.', en: 'This page is for supervisors only.' },
  noBranch: { id: 'Akun Anda tidak terdaftar di cabang mana pun.', en: 'Your account belongs to no branch.' },
  waitAlert: {
    id: '{count} bilik menunggu lebih dari {minutes} menit.',
    en: '{count} booths have waited longer than {minutes} minutes.',
  },
  staffingAlert: {
    id: '{waiting} peserta menunggu, tetapi tidak ada petugas yang siap melayani ({paused} istirahat atau belum siap, {offline} tidak aktif).',
    en: '{waiting} claimants wait, but no officer is ready to serve them ({paused} on a break or not ready, {offline} offline).',
  },
  queueTitle: { id: 'Antrean', en: 'Queue' },
  monitorTitle: { id: 'Pantau sesi', en: 'Monitor a session' },
  liveVisitsEmpty: { id: 'Tidak ada sesi yang berlangsung.', en: 'No session is under way.' },
  monitorVisit: { id: 'Pantau {booth} ({officer})', en: 'Monitor {booth} ({officer})' },
  monitorStop: { id: 'Berhenti memantau', en: 'Stop monitoring' },
  bargeIn: { id: 'Masuk percakapan', en: 'Barge in' },
  bargeOut: { id: 'Kembali diam', en: 'Listen silently again' },
  monitorConnecting: { id: 'Menyambungkan…', en: 'Connecting…' },
  monitorListening: { id: 'Memantau {booth} tanpa diketahui.', en: 'Monitoring {booth} unseen.' },
  monitorOfficerTalking: { id: 'Petugas sedang berbicara dengan bilik ini.', en: 'The officer is talking to this booth.' },
  monitorBarging: { id: 'Bilik {booth} mendengar Anda; petugas diberi tahu.', en: '{booth} hears you; the officer has been told.' },
  monitorBoothGone: { id: 'Bilik sedang tersambung ulang…', en: 'The booth is reconnecting…' },
  monitorEnded: { id: 'Sesi {booth} telah selesai.', en: "{booth}'s session has ended." },
  monitorFailed: { id: 'Tidak dapat memantau: {detail}', en: 'Cannot monitor: {detail}' },
  queueEmpty: { id: 'Tidak ada bilik yang menunggu.', en: 'No booth is waiting.' },
  colPlace: { id: 'No.', en: 'No.' },
  colBooth: { id: 'Bilik', en: 'Booth' },
  colService: { id: 'Layanan', en: 'Service' },
  colTicket: { id: 'Tiket', en: 'Ticket' },
  colPriority: { id: 'Prioritas', en: 'Priority' },
  colWaited: { id: 'Menunggu', en: 'Waited' },
  colConnection: { id: 'Koneksi', en: 'Connection' },
  away: { id: 'terputus', en: 'disconnected' },
  awayHint: {
    id: 'Koneksi bilik terputus; tempatnya disimpan sementara',
    en: 'The booth lost its connection; its place is kept for a while',
  },
  overMaxWaitHint: { id: 'Menunggu lebih lama dari batas', en: 'Waited longer than the limit' },
  priority: { id: 'Prioritas', en: 'Priority' },
  priorityHint: { id: 'Lansia, penyandang disabilitas atau ibu hamil', en: 'Elderly, disabled or pregnant' },
  officersTitle: { id: 'Petugas', en: 'Officers' },
  officersEmpty: { id: 'Tidak ada petugas di cabang ini.', en: 'This branch has no officers.' },
  colName: { id: 'Nama', en: 'Name' },
  colState: { id: 'Status', en: 'State' },
  colLoad: { id: 'Beban', en: 'Load' },
  colCapacity: { id: 'Kapasitas', en: 'Capacity' },
  capacityLabel: { id: 'Kapasitas {name}', en: 'Capacity of {name}' },
  supervisorServing: { id: '{name} (supervisor)', en: '{name} (supervisor)' },
  colAction: { id: 'Tindakan', en: 'Action' },
  recall: { id: 'Minta kembali', en: 'Ask back' },
  recallHint: {
    id: 'Tampilkan di konsol petugas: "Penyelia meminta Anda kembali bertugas"',
    en: 'Show on the officer\'s console: "Your supervisor asks you to come back on duty"',
  },
  recallSent: { id: 'Terkirim {time}', en: 'Sent {time}' },
  recallFailed: { id: 'Gagal mengirim: {detail}', en: 'Could not send: {detail}' },
  holdFor: { id: 'menunggu {time}', en: 'waiting {time}' },
  holdTalking: { id: 'sedang bicara', en: 'talking' },
  capacityFailed: { id: 'Gagal mengubah kapasitas: {detail}', en: 'Could not change the capacity: {detail}' },
  workAvailable: { id: 'Menerima bilik', en: 'Taking booths' },
  workPaused: { id: 'Istirahat', en: 'On a break' },
  workWrapUp: { id: 'Penyelesaian', en: 'Wrap-up' },
  workOffline: { id: 'Tidak aktif', en: 'Offline' },
  todayTitle: { id: 'Hari ini', en: 'Today' },
  trendTitle: { id: '14 hari terakhir', en: 'The last 14 days' },
  trendDay: { id: 'Tanggal', en: 'Date' },
  trendEmpty: { id: 'Belum ada angka hari-hari sebelumnya.', en: 'No figures of earlier days yet.' },
  served: { id: 'Dilayani', en: 'Served' },
  waitMedian: { id: 'Tunggu biasa (median)', en: 'Typical wait (median)' },
  waitP90: { id: '9 dari 10 menunggu paling lama', en: '9 in 10 waited at most' },
  sessionMedian: { id: 'Lama sesi biasa (median)', en: 'Typical session (median)' },
  waitMax: { id: 'Tunggu terlama', en: 'Longest wait' },
  none: { id: '—', en: '—' },
  seconds: { id: '{s} dtk', en: '{s} s' },
  minutes: { id: '{m} mnt {s} dtk', en: '{m} min {s} s' },
  hours: { id: '{h} jam {m} mnt', en: '{h} h {m} min' },
  histogramTitle: { id: 'Lama tunggu hari ini', en: 'Waits today' },
  bucket: { id: '{from}–{to} menit', en: '{from}–{to} minutes' },
  bucketLast: { id: '>{from} menit', en: '>{from} minutes' },
  serviceJht: { id: 'Jaminan Hari Tua', en: 'Old-age security (JHT)' },
  serviceJkk: { id: 'Jaminan Kecelakaan Kerja', en: 'Work accident security (JKK)' },
  serviceJkm: { id: 'Jaminan Kematian', en: 'Death security (JKM)' },
  serviceJp: { id: 'Jaminan Pensiun', en: 'Pension security (JP)' },
  helpTitle: { id: 'Bilik meminta bantuan', en: 'Booths asking for help' },
  helpSince: { id: 'sejak {time}', en: 'since {time}' },
  helpClear: { id: 'Sudah ditangani', en: 'Handled' },
  helpClearFailed: { id: 'Gagal; coba lagi', en: 'Failed; try again' },
  failuresTitle: { id: 'Hasil verifikasi bermasalah', en: 'Verification outcomes with problems' },
  failuresEmpty: { id: 'Semua hasil verifikasi tercatat.', en: 'Every verification outcome is recorded.' },
  failuresAlert: {
    id: '{count} hasil verifikasi gagal dicatat atau dikirim dan perlu ditindaklanjuti.',
    en: '{count} verification outcomes could not be recorded or forwarded and need action.',
  },
  colFailureState: { id: 'Status', en: 'State' },
  colFailureKind: { id: 'Tahap', en: 'Step' },
  colFailedAt: { id: 'Waktu', en: 'Time' },
  colOfficer: { id: 'Petugas', en: 'Officer' },
  colDecision: { id: 'Keputusan', en: 'Decision' },
  colVisit: { id: 'Kunjungan', en: 'Visit' },
  colAttempts: { id: 'Percobaan', en: 'Attempts' },
  colLastError: { id: 'Galat terakhir', en: 'Last error' },
  failureFailed: { id: 'Gagal, perlu tindakan', en: 'Failed, needs action' },
  failureRetrying: { id: 'Dicoba lagi', en: 'Retrying' },
  failureRecord: { id: 'Pencatatan', en: 'Recording' },
  failureForward: { id: 'Pengiriman ke kantor klaim', en: 'Forwarding to the claims office' },
  attempts: { id: '{made} dari {max}', en: '{made} of {max}' },
  reviewsTitle: { id: 'Tinjauan', en: 'Reviews' },
  reviewsEmpty: { id: 'Tidak ada keputusan yang menunggu tinjauan.', en: 'No decision is waiting for review.' },
  reviewSummary: {
    id: '{decision} · {booth} · {officer} · {service} · {time}',
    en: '{decision} · {booth} · {officer} · {service} · {time}',
  },
  reviewChecklist: {
    id: 'Wajah sesuai KTP: {face} · NIK dikonfirmasi: {id} · Rekening dikonfirmasi: {bank} · Dokumen diperiksa: {documents}',
    en: 'Face matches ID: {face} · ID number confirmed: {id} · Bank account confirmed: {bank} · Documents checked: {documents}',
  },
  reviewYes: { id: 'ya', en: 'yes' },
  reviewNo: { id: 'tidak', en: 'no' },
  reviewReason: { id: 'Alasan petugas: {reason}', en: "Officer's reason: {reason}" },
  reviewNotes: { id: 'Catatan petugas: {notes}', en: "Officer's notes: {notes}" },
  reviewDocument: { id: 'Dokumen {number}', en: 'Document {number}' },
  reviewNoDocuments: { id: 'Tidak ada foto dokumen.', en: 'No document photos.' },
  reviewConfirm: { id: 'Konfirmasi', en: 'Confirm' },
  reviewReopen: { id: 'Buka kembali', en: 'Reopen' },
  reviewReopenReason: { id: 'Alasan membuka kembali', en: 'Reason for reopening' },
  reviewReopenSend: { id: 'Buka kembali dengan alasan ini', en: 'Reopen with this reason' },
  reviewFailed: { id: 'Gagal; coba lagi', en: 'Failed; try again' },
  reviewOwnDecision: {
    id: 'Anda tidak dapat meninjau keputusan ini (keputusan Anda sendiri atau cabang lain).',
    en: 'You may not review this decision (your own, or another branch’s).',
  },
  wrapUpCodesTitle: { id: 'Kode penyelesaian', en: 'Wrap-up codes' },
  wrapUpCodesHint: {
    id: 'Petugas memilih salah satu kode ini setelah setiap sesi; kode bawaan dipakai bila waktu penyelesaian habis.',
    en: 'Officers file each session under one of these codes; the default is used when the wrap-up time runs out.',
  },
  wrapUpCodesEmpty: { id: 'Cabang ini belum punya kode penyelesaian.', en: 'This branch has no wrap-up codes yet.' },
  wrapUpCodeNew: { id: 'Nama kode baru', en: 'New code name' },
  wrapUpCodeNewDefault: { id: 'Jadikan bawaan', en: 'Make it the default' },
  wrapUpCodeAdd: { id: 'Tambah kode', en: 'Add code' },
  wrapUpCodeLabelOf: { id: 'Nama kode {label}', en: 'Name of the code {label}' },
  wrapUpCodeRename: { id: 'Simpan nama', en: 'Save name' },
  wrapUpCodeIsDefault: { id: 'Bawaan', en: 'Default' },
  wrapUpCodeMakeDefault: { id: 'Jadikan bawaan', en: 'Make default' },
  wrapUpCodeIsRetired: { id: 'Dipensiunkan', en: 'Retired' },
  wrapUpCodeRetire: { id: 'Pensiunkan', en: 'Retire' },
  wrapUpCodeRestore: { id: 'Aktifkan lagi', en: 'Bring back' },
  wrapUpCodeEmpty: { id: 'Nama kode tidak boleh kosong.', en: 'The code needs a name.' },
  wrapUpCodeBadLabel: {
    id: 'Nama kode harus 1 sampai {max} karakter.',
    en: 'A code name must be 1 to {max} characters long.',
  },
  wrapUpCodeDuplicate: {
    id: 'Cabang ini sudah punya kode aktif bernama "{label}".',
    en: 'This branch already has a live code named "{label}".',
  },
  wrapUpCodeRetireDefault: {
    id: 'Kode bawaan tidak dapat dipensiunkan. Jadikan kode lain bawaan lebih dulu.',
    en: 'The default code cannot be retired. Make another code the default first.',
  },
  wrapUpCodeFailed: { id: 'Gagal menyimpan: {detail}', en: 'Could not save: {detail}' },
  wrapUpCodesUnavailable: { id: 'Kode penyelesaian tidak dapat dimuat: {detail}', en: 'The wrap-up codes could not be loaded: {detail}' },
  decisionApproved: { id: 'Disetujui untuk diproses', en: 'Approved for processing' },
  decisionIncomplete: { id: 'Dokumen belum lengkap', en: 'Documents incomplete' },
  decisionRejected: { id: 'Ditolak', en: 'Rejected' },
  decisionEscalated: { id: 'Diteruskan ke supervisor', en: 'Escalated to a supervisor' },
} as const satisfies TextTable<string>;

/** The key of one text of the supervisor page. */
export type TextKey = keyof typeof TEXT;

/** The language the page speaks, as an HTML `lang` value. */
export const LANGUAGE: Language = languageFromUrl(location.search);
const LOCALE = LANGUAGE === 'id' ? 'id-ID' : 'en-GB';

/** The text for `key` in the page's language, with each `{name}` replaced from `values`. */
export const t: Translate<TextKey> = translator(TEXT, LANGUAGE);

const SERVICE_TEXT = { jht: 'serviceJht', jkk: 'serviceJkk', jkm: 'serviceJkm', jp: 'serviceJp' } as const satisfies Record<
  Service,
  TextKey
>;

/** The programme's full name, as claimants know it. */
export function serviceName(service: Service): string {
  return t(SERVICE_TEXT[service]);
}

const DECISION_TEXT = {
  approved: 'decisionApproved',
  incomplete: 'decisionIncomplete',
  rejected: 'decisionRejected',
  escalated: 'decisionEscalated',
} as const satisfies Record<Decision, TextKey>;

/** An officer's decision, in words. */
export function decisionName(decision: Decision): string {
  return t(DECISION_TEXT[decision]);
}

const WORK_STATE_TEXT = {
  available: 'workAvailable',
  paused: 'workPaused',
  wrap_up: 'workWrapUp',
  offline: 'workOffline',
} as const satisfies Record<WorkState, TextKey>;

/** What an officer's work state means, in a word or two. */
export function workStateName(state: WorkState): string {
  return t(WORK_STATE_TEXT[state]);
}

/** A duration as a person says it: "45 dtk", "4 mnt 05 dtk", "1 jam 12 mnt". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (total < 60) return t('seconds', { s: total });
  if (total < 3600) return t('minutes', { m: Math.floor(total / 60), s: pad(total % 60) });
  return t('hours', { h: Math.floor(total / 3600), m: pad(Math.floor(total / 60) % 60) });
}

/** A number in the page's language (Indonesian writes 1,5 where English writes 1.5). */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 }).format(value);
}

/** A calendar day (YYYY-MM-DD) as the page's language writes it, with its weekday: "Sen, 30 Nov". */
export function formatDay(day: string): string {
  // Noon UTC: the same calendar day in every time zone the browser may be in.
  return new Date(`${day}T12:00:00Z`).toLocaleDateString(LOCALE, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** A time of day, to the second, in the page's language. */
export function formatTime(date: Date): string {
  return date.toLocaleTimeString(LOCALE, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
