/**
 * Every text the booth shows, Bahasa Indonesia first and English second. Branch IT picks English
 * with `?lang=en` in the kiosk's address; the claimant never chooses anything.
 */
import { languageFromUrl, translator, type Language, type TextTable, type Translate } from '@bilik/shared/client';
import type { Service } from '@bilik/shared/journey';
import type { LivenessGesture } from '@bilik/shared/liveness';
import type { DocumentKind } from '@bilik/shared/outcome';

const TEXT = {
  title: { id: 'Bilik Layanan', en: 'Service Booth' },
  you: { id: 'Anda', en: 'You' },
  connecting: { id: 'Menghubungkan…', en: 'Connecting…' },
  unreachable: { id: 'Belum tersambung. Sedang mencoba lagi…', en: 'Not connected yet. Trying again…' },
  refused: { id: 'Bilik ini belum dapat digunakan.', en: 'This booth cannot be used yet.' },
  failed: { id: 'Sambungan video terganggu. Sedang mencoba lagi…', en: 'The video link failed. Trying again…' },
  reconnecting: { id: 'Sambungan terputus. Sedang menghubungkan kembali…', en: 'Connection lost. Reconnecting…' },
  recovering: { id: 'Menyambung ulang…', en: 'Reconnecting…' },
  waiting: { id: 'Mohon tunggu, petugas akan segera melayani Anda.', en: 'Please wait, an officer will serve you shortly.' },
  hold: {
    id: 'Petugas sedang melayani peserta lain. Mohon tunggu sebentar.',
    en: 'The officer is serving another claimant. Please wait a moment.',
  },
  waited: { id: 'Anda telah menunggu {time}', en: 'You have been waiting {time}' },
  callOfficer: { id: 'Panggil Petugas', en: 'Call the officer' },
  calling: { id: 'Memanggil…', en: 'Calling…' },
  called: { id: 'Petugas sudah dipanggil.', en: 'The officer has been called.' },
  place: { id: 'Urutan Anda: {place}', en: 'You are number {place}.' },
  callFailed: { id: 'Panggilan belum terkirim. Silakan tekan lagi.', en: 'The call did not go through. Please press again.' },
  servedBy: { id: 'Anda dilayani oleh: {name}', en: 'You are being served by: {name}' },
  cannotHear: { id: 'Saya tidak bisa mendengar', en: 'I cannot hear' },
  cannotHearSending: { id: 'Memberi tahu petugas…', en: 'Telling the officer…' },
  cannotHearTold: {
    id: 'Petugas sudah diberi tahu bahwa Anda tidak bisa mendengar dan akan segera membantu. Sementara itu, keraskan suara dengan tombol + di bawah ini.',
    en: 'The officer has been told that you cannot hear and will help you shortly. Meanwhile, turn the sound up with the + button below.',
  },
  cannotHearFailed: { id: 'Pesan belum terkirim. Silakan tekan lagi.', en: 'The message did not go through. Please press again.' },
  cameraFailed: { id: 'Kamera atau mikrofon tidak dapat digunakan.', en: 'The camera or microphone cannot be used.' },
  enrolTitle: { id: 'Pendaftaran bilik', en: 'Booth enrolment' },
  enrolHint: {
    id: 'Untuk petugas TI cabang: masukkan kode pendaftaran bilik ini.',
    en: "For branch IT: enter this booth's enrolment code.",
  },
  enrolLabel: { id: 'Kode pendaftaran (12 huruf dan angka)', en: 'Enrolment code (12 letters and digits)' },
  enrolSubmit: { id: 'Daftarkan', en: 'Enrol' },
  enrolSending: { id: 'Mendaftarkan…', en: 'Enrolling…' },
  enrolMalformed: {
    id: 'Kode terdiri dari 12 huruf dan angka, misalnya 3CKA-7MPQ-XT4W.',
    en: 'A code has 12 letters and digits, e.g. 3CKA-7MPQ-XT4W.',
  },
  enrolUnknown: { id: 'Kode ini tidak dikenal. Periksa kembali.', en: 'This code is not known. Please check it.' },
  enrolWrong: { id: 'Kode salah. Sisa percobaan: {left}.', en: 'Wrong code. Attempts left: {left}.' },
  enrolExpired: { id: 'Kode ini sudah kedaluwarsa. Buat kode baru.', en: 'This code has expired. Create a new one.' },
  enrolUsed: { id: 'Kode ini sudah dipakai. Buat kode baru.', en: 'This code was already used. Create a new one.' },
  enrolVoid: { id: 'Kode ini tidak berlaku lagi. Buat kode baru.', en: 'This code is no longer valid. Create a new one.' },
  enrolRateLimited: {
    id: 'Terlalu banyak percobaan. Coba lagi dalam beberapa menit.',
    en: 'Too many attempts. Try again in a few minutes.',
  },
  enrolFailed: { id: 'Pendaftaran gagal. Coba lagi.', en: 'Enrolment failed. Please try again.' },
  callStaff: { id: 'Mohon panggil petugas cabang.', en: 'Please call the branch staff.' },
  callStaffIfLong: { id: 'Bila lama, mohon panggil petugas cabang.', en: 'If this takes long, please call the branch staff.' },
  retry: { id: 'Coba lagi', en: 'Try again' },
  volume: { id: 'Suara petugas', en: "Officer's voice" },
  volumeDown: { id: 'Pelankan suara petugas', en: "Turn the officer's voice down" },
  volumeUp: { id: 'Keraskan suara petugas', en: "Turn the officer's voice up" },
  tapToHear: { id: 'Ketuk untuk mendengar suara petugas', en: 'Tap to hear the officer' },
  transferring: { id: 'Anda dipindahkan ke petugas lain', en: 'You are being moved to another officer' },
  officerAway: { id: 'Petugas sedang tersambung kembali, mohon tunggu.', en: "The officer's connection is being restored, please wait." },
  welcome: { id: 'Selamat datang', en: 'Welcome' },
  welcomeHint: { id: 'Tekan Mulai untuk dilayani petugas melalui video.', en: 'Press Start to be served by an officer over video.' },
  start: { id: 'Mulai', en: 'Start' },
  chooseService: { id: 'Pilih layanan', en: 'Choose a service' },
  ticketLabel: { id: 'Nomor tiket antrean (bila ada)', en: 'Queue ticket number (if you have one)' },
  ticketInvalid: {
    id: 'Nomor tiket hanya boleh berisi huruf, angka, dan tanda -. Periksa kembali atau kosongkan.',
    en: 'A ticket number has only letters, digits and dashes (-). Please check it or leave it empty.',
  },
  priority: {
    id: 'Prioritas: lansia, penyandang disabilitas, ibu hamil',
    en: 'Priority: elderly, people with disabilities, pregnant women',
  },
  priorityHint: { id: 'Tekan bila berlaku untuk Anda', en: 'Press if this applies to you' },
  back: { id: 'Kembali', en: 'Back' },
  bringDocuments: { id: 'Siapkan: {documents}', en: 'Have ready: {documents}' },
  detailsTitle: { id: 'Data antrean', en: 'Queue details' },
  next: { id: 'Lanjut', en: 'Next' },
  confirmTitle: { id: 'Periksa pilihan Anda', en: 'Check your choice' },
  summaryService: { id: 'Layanan', en: 'Service' },
  summaryTicket: { id: 'Nomor tiket', en: 'Ticket number' },
  summaryPriority: { id: 'Prioritas', en: 'Priority' },
  noTicket: { id: 'Tidak ada', en: 'None' },
  yes: { id: 'Ya', en: 'Yes' },
  no: { id: 'Tidak', en: 'No' },
  change: { id: 'Ubah', en: 'Change' },
  confirm: { id: 'Ya, ambil antrean', en: 'Yes, join the queue' },
  detailsSpoken: {
    id: 'Ketik nomor tiket bila ada. Tekan tombol prioritas bila Anda lansia, penyandang disabilitas, atau ibu hamil. Lalu tekan Lanjut.',
    en: 'Type your ticket number if you have one. Press the priority button if you are elderly, disabled or pregnant. Then press Next.',
  },
  confirmSpoken: {
    id: 'Periksa pilihan Anda. Bila sudah benar, tekan Ya, ambil antrean.',
    en: 'Check your choice. If it is right, press Yes, join the queue.',
  },
  startFailed: {
    id: 'Belum berhasil masuk antrean. Silakan tekan Ya, ambil antrean lagi.',
    en: 'Could not join the queue. Please press Yes, join the queue again.',
  },
  pleaseWait: { id: 'Mohon menunggu', en: 'Please wait' },
  placeLabel: { id: 'Urutan Anda', en: 'Your place in the queue' },
  waitLabel: { id: 'Perkiraan waktu tunggu', en: 'Estimated wait' },
  waitMinutes: { id: '± {minutes} menit', en: '± {minutes} min' },
  noOfficer: { id: 'Saat ini belum ada petugas yang siap melayani.', en: 'No officer is ready to serve at the moment.' },
  noOfficerAdvice: {
    id: 'Lama menunggu belum dapat diperkirakan. Urutan Anda tetap disimpan. Anda boleh menunggu, kembali lagi nanti, atau mengajukan klaim melalui layanan daring.',
    en: 'The wait cannot be estimated yet. Your place is kept. You may wait, come back later, or make your claim through the online service.',
  },
  waitingFor: { id: 'Layanan: {service}', en: 'Service: {service}' },
  cancel: { id: 'Batal', en: 'Cancel' },
  cancelFailed: { id: 'Pembatalan belum berhasil. Silakan tekan Batal lagi.', en: 'Cancelling did not work. Please press Cancel again.' },
  thanks: { id: 'Terima kasih', en: 'Thank you' },
  outOfService: { id: 'Bilik tidak tersedia', en: 'This booth is not available' },
  outOfServiceHint: {
    id: 'Mohon gunakan bilik lain, atau tanyakan kepada petugas cabang.',
    en: 'Please use another booth, or ask the branch staff.',
  },
  // Not final: an approval may still be drawn for a supervisor's review and reopened (REVIEW_SHARE).
  decisionApproved: {
    id: 'Petugas sudah memeriksa klaim Anda, dan klaim Anda sedang diproses. Pantau statusnya dengan kode pelacakan Anda.',
    en: 'The officer has checked your claim, and it is being processed. Follow its status with your tracking code.',
  },
  decisionIncomplete: {
    id: 'Dokumen Anda belum lengkap, jadi klaim Anda belum dapat diproses.',
    en: 'Your documents are not complete, so your claim cannot be processed yet.',
  },
  decisionRejected: {
    id: 'Klaim Anda tidak dapat disetujui. Petugas sudah menjelaskan alasannya.',
    en: 'Your claim cannot be approved. The officer has explained why.',
  },
  decisionEscalated: {
    id: 'Klaim Anda diteruskan kepada pimpinan cabang untuk diputuskan. Anda akan diberi kabar.',
    en: 'Your claim has been passed to the branch management to decide. You will be told.',
  },
  bringNext: { id: 'Saat datang kembali, bawalah:', en: 'When you come back, bring:' },
  clearsIn: { id: 'Layar ini akan dibersihkan dalam {seconds} detik.', en: 'This screen clears in {seconds} seconds.' },
  resultSpoken: { id: 'Hasil layanan Anda ada di layar.', en: 'The result of your visit is on the screen.' },
  thanksHint: { id: 'Layanan Anda sudah selesai. Semoga hari Anda menyenangkan.', en: 'Your session has ended. Have a good day.' },
  documentPrompt: {
    id: 'Pegang dokumen Anda di dalam bingkai kuning, lalu diam sebentar',
    en: 'Hold your document inside the yellow frame, then keep still',
  },
  documentMoving: {
    id: 'Tahan dokumen agar tidak bergerak. Foto diambil otomatis.',
    en: 'Hold the document still. The photo is taken by itself.',
  },
  documentBlurry: {
    id: 'Tulisan belum jelas. Dekatkan atau jauhkan dokumen sedikit.',
    en: 'The writing is not clear yet. Move the document a little closer or further.',
  },
  documentHold: { id: 'Bagus. Tahan, jangan bergerak…', en: 'Good. Hold it, keep still…' },
  documentManual: { id: 'Ambil foto', en: 'Take photo' },
  documentCheck: { id: 'Apakah tulisan di foto terbaca jelas?', en: 'Can the writing in the photo be read clearly?' },
  documentSend: { id: 'Ya, kirim', en: 'Yes, send' },
  documentAgain: { id: 'Ulangi', en: 'Take again' },
  documentSending: { id: 'Mengirim foto…', en: 'Sending the photo…' },
  documentTaken: { id: 'Foto sudah dikirim ke petugas. Terima kasih.', en: 'The photo has been sent to the officer. Thank you.' },
  documentFailed: {
    id: 'Foto belum berhasil diambil. Petugas akan membantu Anda.',
    en: 'The photo could not be taken. The officer will help you.',
  },
  livenessDigits: { id: 'Bacakan angka ini dengan suara keras:', en: 'Read these numbers aloud:' },
  // Spoken without the digits: the claimant must read them, not repeat the kiosk's voice.
  livenessDigitsSpoken: { id: 'Bacakan angka di layar dengan suara keras.', en: 'Read the numbers on the screen aloud.' },
  trackingLabel: { id: 'Kode pelacakan Anda', en: 'Your tracking code' },
  trackingHint: {
    id: 'Catat kode ini, atau pindai kode QR dengan ponsel, untuk melihat status klaim Anda.',
    en: 'Write this code down, or scan the QR code with your phone, to see the status of your claim.',
  },
  trackingAddress: { id: 'Atau buka {address} dan masukkan kode ini.', en: 'Or open {address} and enter this code.' },
  trackingQr: { id: 'Kode QR halaman pelacakan klaim', en: 'QR code of the claim tracking page' },
  trackingSpoken: {
    id: 'Kode pelacakan Anda ada di layar. Catat kode itu atau pindai kode QR dengan ponsel Anda.',
    en: 'Your tracking code is on the screen. Write it down or scan the QR code with your phone.',
  },
  done: { id: 'Selesai', en: 'Done' },
  printCode: { id: 'Cetak kode', en: 'Print the code' },
  codePrinted: { id: 'Kode sudah dicetak', en: 'The code has been printed' },
  help: { id: 'Bantuan', en: 'Help' },
  helpSending: { id: 'Memanggil petugas cabang…', en: 'Calling the branch staff…' },
  helpSent: { id: 'Petugas cabang sudah diberi tahu.', en: 'The branch staff have been told.' },
  helpSentHint: { id: 'Mohon tetap di bilik, petugas akan datang.', en: 'Please stay in the booth, someone will come.' },
  helpFailed: { id: 'Panggilan bantuan belum terkirim.', en: 'The call for help did not go through.' },
  close: { id: 'Tutup', en: 'Close' },
  selfTestTitle: { id: 'Memeriksa bilik…', en: 'Checking the booth…' },
  selfTestHint: { id: 'Mohon tunggu sebentar.', en: 'Please wait a moment.' },
  checkCamera: { id: 'Kamera', en: 'Camera' },
  checkMicrophone: { id: 'Mikrofon', en: 'Microphone' },
  checkSpeaker: { id: 'Pengeras suara', en: 'Speaker' },
  checkNetwork: { id: 'Jaringan', en: 'Network' },
  saySomething: { id: 'Silakan ucapkan sesuatu', en: 'Please say something' },
  fault: { id: 'Bilik sedang bermasalah. Petugas sudah diberi tahu.', en: 'This booth has a problem. Staff have been told.' },
} as const satisfies TextTable<string>;

/** The key of one text of the booth. */
export type TextKey = keyof typeof TEXT;

/** The language the booth speaks, as an HTML `lang` value. */
export const LANGUAGE: Language = languageFromUrl(location.search);

/** The text for `key` in the booth's language, with each `{name}` replaced from `values`. */
export const t: Translate<TextKey> = translator(TEXT, LANGUAGE);

/** The programmes by their full names, as claimants know them. */
const SERVICE_NAMES = {
  jht: { id: 'Jaminan Hari Tua', en: 'Old Age Security (JHT)' },
  jkk: { id: 'Jaminan Kecelakaan Kerja', en: 'Work Accident Insurance (JKK)' },
  jkm: { id: 'Jaminan Kematian', en: 'Death Insurance (JKM)' },
  jp: { id: 'Jaminan Pensiun', en: 'Pension Insurance (JP)' },
} as const satisfies TextTable<Service>;

/** The documents a claim needs, by the names printed on them. */
const DOCUMENT_NAMES = {
  ktp: { id: 'KTP', en: 'ID card (KTP)' },
  kartu_peserta: { id: 'Kartu peserta', en: 'Membership card' },
  paklaring: { id: 'Surat berhenti bekerja (paklaring)', en: 'Letter ending employment (paklaring)' },
  buku_tabungan: { id: 'Buku tabungan', en: 'Bank book' },
  kartu_keluarga: { id: 'Kartu keluarga', en: 'Family card (KK)' },
  laporan_kecelakaan: { id: 'Laporan kecelakaan kerja', en: 'Work accident report' },
  surat_kematian: { id: 'Surat kematian', en: 'Death certificate' },
  surat_ahli_waris: { id: 'Surat ahli waris', en: 'Certificate of heirship' },
} as const satisfies TextTable<DocumentKind>;

/** What each liveness gesture asks of the claimant, in plain words. */
const GESTURE_TEXTS = {
  turn_left: { id: 'Tolehkan kepala ke kiri', en: 'Turn your head to the left' },
  turn_right: { id: 'Tolehkan kepala ke kanan', en: 'Turn your head to the right' },
  look_up: { id: 'Lihat ke atas', en: 'Look up' },
  blink_twice: { id: 'Kedipkan mata dua kali', en: 'Blink twice' },
} as const satisfies TextTable<LivenessGesture>;

/** A liveness gesture as the booth asks for it. */
export const gestureText: Translate<LivenessGesture> = translator(GESTURE_TEXTS, LANGUAGE);

/** The programme's full name in the booth's language. */
export const serviceName: Translate<Service> = translator(SERVICE_NAMES, LANGUAGE);

/** A document's name in the booth's language. */
export const documentName: Translate<DocumentKind> = translator(DOCUMENT_NAMES, LANGUAGE);
