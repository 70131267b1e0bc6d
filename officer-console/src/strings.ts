/**
 * Every text the officer console shows, Bahasa Indonesia first and English second; `?lang=en`
 * in the address switches to English.
 */
import { languageFromUrl, translator, type Language, type TextTable, type Translate } from '@bilik/shared/client';
import type { Service } from '@bilik/shared/journey';
import type { LivenessGesture, LivenessTask } from '@bilik/shared/liveness';
import type { Decision, DocumentKind } from '@bilik/shared/outcome';

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
  recovering: { id: 'Menyambung ulang media…', en: 'Reconnecting media…' },
  cameraFailed: { id: 'Kamera atau mikrofon tidak dapat digunakan.', en: 'The camera or microphone cannot be used.' },
  signOut: { id: 'Keluar', en: 'Sign out' },
  bargedIn: { id: 'Supervisor ikut berbicara dengan {booths}.', en: 'A supervisor is speaking with {booths}.' },
  retry: { id: 'Coba lagi', en: 'Try again' },
  enableSound: { id: 'Klik untuk mengaktifkan suara', en: 'Click to turn on sound' },
  noBooths: { id: 'Belum ada bilik yang ditugaskan kepada Anda.', en: 'No booths are assigned to you yet.' },
  noBoothsPaused: {
    id: 'Anda sedang {reason}; bilik baru tidak ditugaskan.',
    en: 'You are on a break ({reason}); no new booths are assigned.',
  },
  noBoothsNotReady: { id: 'Tekan "Siap" untuk mulai menerima bilik.', en: 'Press "Ready" to start taking booths.' },
  claimantsWaiting: { id: '{count} peserta menunggu di antrean.', en: '{count} claimants waiting in the queue.' },
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
  attentionHint: {
    id: 'Peserta menekan "Panggil Petugas"; urutan ke-{place}',
    en: 'The claimant pressed "Call the officer"; number {place} in line',
  },
  cannotHear: { id: 'Tidak bisa mendengar', en: 'Cannot hear' },
  cannotHearHint: {
    id: 'Peserta menekan "Saya tidak bisa mendengar". Ajak bicara bilik ini (atau tutup tanda ini).',
    en: 'The claimant pressed "I cannot hear". Talk to this booth (or dismiss this flag).',
  },
  dismissCannotHear: { id: 'Tutup', en: 'Dismiss' },
  dismissCannotHearFor: { id: 'Tutup tanda tidak bisa mendengar {id}', en: 'Dismiss {id}’s cannot-hear flag' },
  announceCannotHear: { id: 'Peserta di {id} tidak bisa mendengar Anda.', en: 'The claimant at {id} cannot hear you.' },
  dismissFailed: { id: 'Gagal menutup tanda.', en: 'Could not dismiss the flag.' },
  speaking: { id: 'Peserta sedang berbicara', en: 'The claimant is speaking' },
  silent: { id: 'Peserta diam', en: 'The claimant is silent' },
  elapsedHint: { id: 'Lama sesi', en: 'Time in session' },
  holdHint: {
    id: 'Lama peserta menunggu sejak terakhir Anda ajak bicara (kuning setelah 1 menit, merah setelah 2 menit)',
    en: 'How long the claimant has waited since you last talked to them (amber after 1 minute, red after 2)',
  },
  selectBooth: { id: 'Bilik {id}, bicara (tombol {key})', en: 'Booth {id}, talk (key {key})' },
  captureDocumentFor: { id: 'Ambil foto {id}', en: 'Take photo at {id}' },
  transfer: { id: 'Pindahkan', en: 'Transfer' },
  transferFor: { id: 'Pindahkan {id}', en: 'Transfer {id}' },
  transferHint: {
    id: 'Serahkan klaiman ke petugas lain di cabang ini, atau kembali ke depan antrean, dengan catatan',
    en: 'Hand the claimant to another officer of this branch, or back to the front of the queue, with a note',
  },
  transferTitle: { id: 'Pindahkan klaiman di {booth}', en: 'Transfer the claimant at {booth}' },
  transferTo: { id: 'Ke', en: 'To' },
  transferOfficerOption: { id: '{name} ({state}, {seats} kursi kosong)', en: '{name} ({state}, {seats} free seats)' },
  transferSupervisorOption: {
    id: '{name}, supervisor ({state}, {seats} kursi kosong)',
    en: '{name}, supervisor ({state}, {seats} free seats)',
  },
  transferStateAvailable: { id: 'siap', en: 'ready' },
  transferStatePaused: { id: 'istirahat', en: 'on a break' },
  transferStateWrapUp: { id: 'menyelesaikan', en: 'wrapping up' },
  transferQueueOption: { id: 'Depan antrean cabang (petugas lain)', en: "Front of the branch's queue (another officer)" },
  transferNobody: { id: 'Tidak ada petugas lain yang bertugas saat ini.', en: 'No other officer is on duty now.' },
  transferNoteLabel: { id: 'Catatan untuk petugas berikutnya', en: 'Note for the next officer' },
  transferConfirm: { id: 'Pindahkan sekarang', en: 'Transfer now' },
  transferBack: { id: 'Batal', en: 'Cancel' },
  transferLoading: { id: 'Memuat petugas…', en: 'Loading officers…' },
  transferChooseTarget: { id: 'Pilih tujuan.', en: 'Choose where to.' },
  transferNeedsNote: { id: 'Tulis catatan singkat.', en: 'Write a short note.' },
  transferFailed: { id: 'Gagal memindahkan.', en: 'Could not transfer.' },
  transferredFrom: { id: 'Dari {name}: {note}', en: 'From {name}: {note}' },
  transferredUnknownOfficer: { id: 'petugas lain', en: 'another officer' },
  transferredPhotos: { id: '{count} foto dokumen sebelumnya', en: '{count} earlier document photos' },
  livenessChallenge: { id: 'Uji keaktifan', en: 'Liveness check' },
  livenessChallengeFor: { id: 'Uji keaktifan {id}', en: 'Liveness check at {id}' },
  livenessChallengeHint: {
    id: 'Bilik menampilkan tugas acak dari server (membaca empat angka, atau gerakan kepala) yang dicatat bersama keputusan',
    en: 'The booth shows a random task from the server (read four digits, or a head movement), recorded with the decision',
  },
  livenessAsked: { id: 'Diminta: {task}', en: 'Asked: {task}' },
  livenessPassed: { id: 'Lulus', en: 'Passed' },
  livenessPassedFor: { id: 'Uji keaktifan {id} lulus', en: 'Liveness check at {id} passed' },
  livenessFailedVerdict: { id: 'Gagal', en: 'Failed' },
  livenessFailedFor: { id: 'Uji keaktifan {id} gagal', en: 'Liveness check at {id} failed' },
  livenessJudgeFailed: { id: 'Gagal mencatat hasil uji keaktifan.', en: 'Could not record the liveness check result.' },
  livenessClear: { id: 'Tutup', en: 'Close' },
  livenessClearFor: { id: 'Tutup uji keaktifan {id} tanpa hasil', en: 'Close the liveness check at {id} without a result' },
  livenessFailed: { id: 'Gagal memberi uji keaktifan.', en: 'Could not set the liveness check.' },
  livenessClearFailed: { id: 'Gagal menutup uji keaktifan.', en: 'Could not close the liveness check.' },
  gestureTurnLeft: { id: 'toleh ke kiri', en: 'turn head left' },
  gestureTurnRight: { id: 'toleh ke kanan', en: 'turn head right' },
  gestureLookUp: { id: 'lihat ke atas', en: 'look up' },
  gestureBlinkTwice: { id: 'kedip dua kali', en: 'blink twice' },
  focusBooth: { id: 'Perbesar {id}', en: 'Enlarge {id}' },
  unfocusBooth: { id: 'Kecilkan {id}', en: 'Shrink {id}' },
  endSessionFor: { id: 'Selesai {id}', en: 'End {id}' },
  endSessionConfirmFor: { id: 'Yakin selesai {id}? Tekan lagi', en: 'End {id}? Press again' },
  announceCall: { id: '{id} memanggil petugas, urutan {place}.', en: '{id} calls the officer, number {place}.' },
  announceTalk: { id: 'Berbicara dengan {id}.', en: 'Talking to {id}.' },
  announceTalkNone: { id: 'Tidak berbicara dengan bilik mana pun.', en: 'Talking to no booth.' },
  callsTitle: { id: '🔔 {count} bilik memanggil', en: '🔔 {count} booths calling' },
  focus: { id: 'Perbesar', en: 'Enlarge' },
  unfocus: { id: 'Kecilkan', en: 'Shrink' },
  talkFailed: { id: 'Gagal memilih bilik.', en: 'Could not select the booth.' },
  focusFailed: { id: 'Gagal mengubah ukuran tampilan.', en: 'Could not change the tile size.' },
  workFailed: { id: 'Gagal mengubah status kerja.', en: 'Could not change your work state.' },
  endFailed: { id: 'Gagal mengakhiri sesi.', en: 'Could not end the session.' },
  endUndecidedTitle: { id: 'Akhiri sesi Bilik {booth} tanpa keputusan?', en: 'End booth {booth}’s session without a decision?' },
  endUndecidedExplain: {
    id: 'Belum ada keputusan yang terkirim untuk kunjungan ini. Jika diakhiri, kunjungan dicatat “selesai tanpa keputusan” dan pemohon diminta datang lagi. Pilih alasannya, atau kembali untuk mengirim keputusan dulu.',
    en: 'No decision was sent for this visit. Ending it records the visit as “ended without a decision” and tells the claimant to come back. Choose why, or go back to send the decision first.',
  },
  endReasonClaimantLeft: { id: 'Pemohon pergi', en: 'The claimant left' },
  endReasonConnectionLost: { id: 'Koneksi terputus', en: 'The connection was lost' },
  endReasonWrongService: { id: 'Layanan salah', en: 'Wrong service' },
  endBack: { id: 'Kembali', en: 'Go back' },
  wrapUpTitle: { id: 'Kode penyelesaian', en: 'Wrap-up code' },
  wrapUpHint: {
    id: 'Pilih kode untuk kunjungan yang baru selesai. Jika tidak dipilih, kode bawaan dipakai saat waktu jeda habis.',
    en: 'Choose a code for the visit that just ended. Without one, the default code is used when wrap-up time runs out.',
  },
  wrapUpBooth: { id: 'Bilik {booth}', en: 'Booth {booth}' },
  wrapUpSave: { id: 'Simpan', en: 'Save' },
  wrapUpFailed: { id: 'Gagal menyimpan: {detail}', en: 'Could not save: {detail}' },
  workAvailable: { id: 'Menerima bilik', en: 'Taking booths' },
  workPaused: { id: 'Istirahat', en: 'On a break' },
  workWrapUp: { id: 'Penyelesaian', en: 'Wrap-up' },
  workWrapUpLeft: { id: 'Penyelesaian · {seconds} dtk', en: 'Wrap-up · {seconds} s' },
  workOffline: { id: 'Tidak aktif', en: 'Offline' },
  workNotReady: { id: 'Belum siap', en: 'Not ready' },
  workOnPause: { id: '{reason} · {time}', en: '{reason} · {time}' },
  breakIstirahat: { id: 'Istirahat', en: 'Rest' },
  breakSholat: { id: 'Sholat', en: 'Prayers' },
  breakPelatihan: { id: 'Pelatihan', en: 'Training' },
  breakReasonHint: { id: 'Alasan istirahat', en: 'Reason for the break' },
  pause: { id: 'Istirahat', en: 'Take a break' },
  resume: { id: 'Siap', en: 'Ready' },
  workToggleHint: { id: 'Tekan P', en: 'Press P' },
  recallMessage: {
    id: 'Penyelia meminta Anda kembali bertugas ({name}, {time}).',
    en: 'Your supervisor asks you to come back on duty ({name}, {time}).',
  },
  recallDismiss: { id: 'Tutup', en: 'Dismiss' },
  serviceJht: { id: 'Jaminan Hari Tua', en: 'Old-age security (JHT)' },
  serviceJkk: { id: 'Jaminan Kecelakaan Kerja', en: 'Work accident security (JKK)' },
  serviceJkm: { id: 'Jaminan Kematian', en: 'Death security (JKM)' },
  serviceJp: { id: 'Jaminan Pensiun', en: 'Pension security (JP)' },
  ticketHint: { id: 'Nomor antrean', en: 'Queue ticket' },
  priority: { id: 'Prioritas', en: 'Priority' },
  priorityHint: { id: 'Lansia, penyandang disabilitas atau ibu hamil', en: 'Elderly, disabled or pregnant' },
  boothConnecting: { id: 'Menghubungkan…', en: 'Connecting…' },
  boothAway: { id: 'Koneksi bilik terputus, menunggu…', en: 'Booth connection lost, waiting…' },
  boothReconnecting: { id: 'Bilik menyambung ulang…', en: 'Booth reconnecting…' },
  endSession: { id: 'Selesai', en: 'End' },
  endSessionConfirm: { id: 'Yakin? Tekan lagi', en: 'Sure? Press again' },
  endSessionHint: {
    id: 'Akhiri sesi bilik ini (E dua kali untuk bilik yang diajak bicara)',
    en: 'End this booth’s session (E twice for the booth you talk to)',
  },
  captureDocument: { id: 'Ambil Foto', en: 'Take photo' },
  captureDocumentHint: {
    id: 'Minta bilik ini memotret dokumen yang ditunjukkan peserta, dengan resolusi penuh kamera (A untuk bilik yang diajak bicara)',
    en: 'Have this booth photograph the document the claimant holds up, at the camera’s full resolution (A for the booth you talk to)',
  },
  keyCapture: { id: 'foto dokumen', en: 'document photo' },
  photoTitle: { id: 'Foto dokumen · Bilik {booth}', en: 'Document photo · Booth {booth}' },
  photoWaiting: {
    id: 'Bilik {booth} sedang menghitung mundur dan mengambil foto…',
    en: 'Booth {booth} is counting down and taking the photo…',
  },
  photoFailed: { id: 'Foto tidak dapat diambil.', en: 'The photo could not be taken.' },
  photoNoAnswer: { id: 'Bilik tidak mengirim foto. Coba ambil lagi.', en: 'The booth sent no photo. Try taking it again.' },
  photoNotShown: { id: 'Foto tersimpan, tetapi tidak dapat ditampilkan.', en: 'The photo was stored but cannot be shown.' },
  photoResolutionHint: { id: 'Resolusi foto (lebar × tinggi, piksel)', en: 'Photo resolution (width × height, pixels)' },
  photoSharpness: { id: 'Ketajaman {score}', en: 'Sharpness {score}' },
  photoSharpnessHint: { id: 'Di bawah {threshold}, tulisan kemungkinan tidak terbaca', en: 'Below {threshold}, text is likely unreadable' },
  photoUnreadable: { id: 'Kemungkinan tidak terbaca', en: 'Possibly unreadable' },
  photoUnreadableHint: {
    id: 'Foto tampak buram. Minta peserta memegang dokumen diam dan dekat kamera, lalu ambil lagi.',
    en: 'The photo looks blurred. Ask the claimant to hold the document still and close to the camera, then take it again.',
  },
  photoRetake: { id: 'Ambil lagi', en: 'Take again' },
  photoClose: { id: 'Tutup', en: 'Close' },
  photoZoomIn: { id: 'Perbesar foto', en: 'Zoom in' },
  photoZoomOut: { id: 'Perkecil foto', en: 'Zoom out' },
  photoZoomHint: { id: 'Klik foto atau tekan + dan - untuk memperbesar', en: 'Click the photo or press + and - to zoom' },
  outcomeHeading: { id: 'Daftar periksa', en: 'Checklist' },
  outcomeFor: { id: 'Bilik {booth} · {service}', en: 'Booth {booth} · {service}' },
  outcomeNone: {
    id: 'Pilih bilik yang diajak bicara (tombol {keys}) untuk mengisi daftar periksanya.',
    en: 'Talk to a booth (keys {keys}) to fill in its checklist.',
  },
  outcomeKeys: { id: 'Alt+1–4 keputusan · Ctrl+Enter kirim', en: 'Alt+1–4 decision · Ctrl+Enter submit' },
  outcomeIdentity: { id: 'Identitas', en: 'Identity' },
  checkFace: { id: 'Wajah sesuai dengan foto KTP', en: 'The face matches the ID card' },
  checkIdNumber: { id: 'NIK sudah dikonfirmasi', en: 'ID number confirmed' },
  outcomeDocuments: { id: 'Dokumen ada dan terbaca', en: 'Documents present and legible' },
  outcomePayment: { id: 'Pembayaran', en: 'Payment' },
  checkBank: { id: 'Rekening bank sudah dikonfirmasi', en: 'Bank account confirmed' },
  outcomeDecision: { id: 'Keputusan', en: 'Decision' },
  decisionApproved: { id: 'Disetujui untuk diproses', en: 'Approved for processing' },
  decisionIncomplete: { id: 'Dokumen belum lengkap', en: 'Documents incomplete' },
  decisionRejected: { id: 'Ditolak', en: 'Rejected' },
  decisionEscalated: { id: 'Diteruskan ke supervisor', en: 'Escalated to a supervisor' },
  outcomeMissing: { id: 'Dokumen yang kurang', en: 'Missing documents' },
  outcomeReason: { id: 'Alasan (wajib)', en: 'Reason (required)' },
  outcomeNotes: { id: 'Catatan', en: 'Notes' },
  outcomePhotos: { id: 'Foto dokumen: {count}', en: 'Document photos: {count}' },
  outcomeSubmit: { id: 'Kirim keputusan', en: 'Submit decision' },
  outcomeSending: { id: 'Mengirim…', en: 'Sending…' },
  outcomeRecorded: { id: 'Tercatat · kode {code}', en: 'Recorded · code {code}' },
  outcomeNeedDecision: { id: 'Pilih keputusan terlebih dahulu.', en: 'Choose a decision first.' },
  outcomeNeedMissing: { id: 'Tandai dokumen yang kurang.', en: 'Mark the missing documents.' },
  outcomeNeedReason: { id: 'Tuliskan alasannya.', en: 'Write down the reason.' },
  outcomeFailed: { id: 'Keputusan belum tercatat; coba kirim lagi.', en: 'The decision was not recorded; try submitting again.' },
  documentKtp: { id: 'KTP', en: 'ID card (KTP)' },
  documentKartuPeserta: { id: 'Kartu peserta', en: 'Membership card' },
  documentPaklaring: { id: 'Surat keterangan berhenti bekerja (paklaring)', en: 'Letter ending employment (paklaring)' },
  documentBukuTabungan: { id: 'Buku tabungan', en: 'Bank book' },
  documentKartuKeluarga: { id: 'Kartu keluarga', en: 'Family card (KK)' },
  documentLaporanKecelakaan: { id: 'Laporan kecelakaan kerja', en: 'Work accident report' },
  documentSuratKematian: { id: 'Surat keterangan kematian', en: 'Death certificate' },
  documentSuratAhliWaris: { id: 'Surat keterangan ahli waris', en: 'Certificate of heirship' },
} as const satisfies TextTable<string>;

/** The key of one text of the console. */
export type TextKey = keyof typeof TEXT;

/** The language the console speaks, as an HTML `lang` value. */
export const LANGUAGE: Language = languageFromUrl(location.search);

/** The text for `key` in the console's language, with each `{name}` replaced from `values`. */
export const t: Translate<TextKey> = translator(TEXT, LANGUAGE);

const SERVICE_TEXT = { jht: 'serviceJht', jkk: 'serviceJkk', jkm: 'serviceJkm', jp: 'serviceJp' } as const satisfies Record<
  Service,
  TextKey
>;

/** The programme's full name, as claimants know it. */
export function serviceName(service: Service): string {
  return t(SERVICE_TEXT[service]);
}

const DOCUMENT_TEXT = {
  ktp: 'documentKtp',
  kartu_peserta: 'documentKartuPeserta',
  paklaring: 'documentPaklaring',
  buku_tabungan: 'documentBukuTabungan',
  kartu_keluarga: 'documentKartuKeluarga',
  laporan_kecelakaan: 'documentLaporanKecelakaan',
  surat_kematian: 'documentSuratKematian',
  surat_ahli_waris: 'documentSuratAhliWaris',
} as const satisfies Record<DocumentKind, TextKey>;

/** A document's name, as the claimant knows it. */
export function documentName(kind: DocumentKind): string {
  return t(DOCUMENT_TEXT[kind]);
}

const DECISION_TEXT = {
  approved: 'decisionApproved',
  incomplete: 'decisionIncomplete',
  rejected: 'decisionRejected',
  escalated: 'decisionEscalated',
} as const satisfies Record<Decision, TextKey>;

/** What the officer decides, in words. */
export function decisionName(decision: Decision): string {
  return t(DECISION_TEXT[decision]);
}

const GESTURE_TEXT = {
  turn_left: 'gestureTurnLeft',
  turn_right: 'gestureTurnRight',
  look_up: 'gestureLookUp',
  blink_twice: 'gestureBlinkTwice',
} as const satisfies Record<LivenessGesture, TextKey>;

/** What the booth was asked to do, as the officer watches for it: the digits spaced, or the gesture. */
export function livenessTaskText(task: LivenessTask): string {
  return t('livenessAsked', { task: task.kind === 'digits' ? [...task.digits].join(' ') : t(GESTURE_TEXT[task.gesture]) });
}
