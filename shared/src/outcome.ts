/**
 * The contract of a verification outcome (the officer's decision on a claimant's visit), of the
 * documents captured for it and of claim tracking, apart from the zod schemas so that the
 * browser apps can import it without bundling zod.
 */
import type { Service } from './journey.js';

/** What the officer decides at the end of the interview. */
export const DECISIONS = ['approved', 'incomplete', 'rejected', 'escalated'] as const;
export type Decision = (typeof DECISIONS)[number];

/** Documents an officer may check on camera; which ones a service needs is DOCUMENTS_BY_SERVICE. */
export const DOCUMENT_KINDS = [
  'ktp',
  'kartu_peserta',
  'paklaring',
  'buku_tabungan',
  'kartu_keluarga',
  'laporan_kecelakaan',
  'surat_kematian',
  'surat_ahli_waris',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * The documents each programme's claim needs at the booth (old-age savings: ID card, membership
 * card, the letter ending employment, bank book; the others add what their event proves).
 */
export const DOCUMENTS_BY_SERVICE: Record<Service, readonly DocumentKind[]> = {
  jht: ['ktp', 'kartu_peserta', 'paklaring', 'buku_tabungan'],
  jkk: ['ktp', 'kartu_peserta', 'laporan_kecelakaan', 'buku_tabungan'],
  jkm: ['ktp', 'kartu_peserta', 'kartu_keluarga', 'surat_kematian', 'surat_ahli_waris', 'buku_tabungan'],
  jp: ['ktp', 'kartu_peserta', 'kartu_keluarga', 'buku_tabungan'],
};

/** The officer's checklist, worked through while talking to the claimant. */
export interface Checklist {
  /** The face on camera matches the ID card. */
  faceMatchesId: boolean;
  /** The national ID number was read back and confirmed. */
  idNumberConfirmed: boolean;
  /** Documents shown and legible, out of DOCUMENTS_BY_SERVICE for the visit's service. */
  documentsPresent: DocumentKind[];
  /** The bank account for the payment was confirmed. */
  bankAccountConfirmed: boolean;
}

/** Longest free-text note or reason, in characters. */
export const MAX_NOTE_LENGTH = 2000;

/** What the console sends with `outcome:submit`. */
export interface OutcomeSubmission {
  boothId: string;
  /** The visit (session) this decides; the server checks it is the booth's current visit at this officer's desk. */
  visitId: string;
  /** A random id the console makes once per decision form, so a double click or a retry enqueues once. */
  submissionId: string;
  decision: Decision;
  checklist: Checklist;
  /** For `incomplete`: which documents are missing (at least one). */
  missingDocuments: DocumentKind[];
  /** For `rejected` and `escalated`: why (required there). */
  reason: string | null;
  notes: string | null;
  /** Document images captured in this visit (ids from document capture). */
  documentIds: string[];
}

/** The answer to `outcome:submit`: the outcome is queued durably and will be recorded once. */
export interface OutcomeAccepted {
  /** The job's id, derived from the visit and the submission. */
  jobId: string;
  /** The claimant's tracking code for this visit. */
  trackingCode: string;
}

/**
 * Why an officer ends a visit without a decision (`session:end`'s `noOutcomeReason`): the claimant
 * walked away, the connection to the booth failed, or the claimant came for a service this booth
 * cannot decide.
 */
export const NO_OUTCOME_REASONS = ['claimant_left', 'connection_lost', 'wrong_service'] as const;
export type NoOutcomeReason = (typeof NO_OUTCOME_REASONS)[number];

/**
 * Why a visit was recorded as ended without a decision: an officer's reason, or `booth_lost` when
 * the server ended it because the booth's connection did not come back within the grace period.
 */
export const UNDECIDED_REASONS = [...NO_OUTCOME_REASONS, 'booth_lost'] as const;
export type UndecidedReason = (typeof UNDECIDED_REASONS)[number];

/** Longest wrap-up code label, in characters. */
export const MAX_WRAP_UP_LABEL_LENGTH = 80;

/**
 * A wrap-up code (as in contact centres' after-call work): what an officer files a visit under
 * after its session, from a list each branch's supervisors maintain. The branch's default code is
 * applied to a visit the officer filed under none when the wrap-up timer runs out.
 */
export interface WrapUpCodeView {
  id: string;
  branchId: string;
  label: string;
  isDefault: boolean;
  /** Retired codes are offered no more; visits filed under them keep them. */
  retired: boolean;
}

/** Where a claim stands, as the public tracking page shows it (no personal data). */
export const CLAIM_STATUSES = [
  'in_review',
  'processing',
  'documents_incomplete',
  'rejected',
  'escalated',
  'ended_without_decision',
  'reopened',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** The status a recorded decision gives the claim. */
export const CLAIM_STATUS_BY_DECISION: Record<Decision, ClaimStatus> = {
  approved: 'processing',
  incomplete: 'documents_incomplete',
  rejected: 'rejected',
  escalated: 'escalated',
};

/**
 * An outcome job a supervisor must see (GET /api/branches/:branchId/outcome-failures): recording
 * it or forwarding it to the back office failed, for good or for now. Ids only, no personal data.
 */
export interface OutcomeFailureView {
  /** Which job failed: recording the outcome in the database, or forwarding it to the back office. */
  kind: 'record' | 'forward';
  /** `failed`: no more attempts, someone must act; `retrying`: it failed and waits for its next attempt. */
  state: 'failed' | 'retrying';
  jobId: string;
  visitId: string;
  boothId: string;
  officerId: string;
  decision: Decision;
  /** Attempts made so far, and how many it may make. */
  attempts: number;
  maxAttempts: number;
  lastError: string;
  /** When its last attempt ended (ISO 8601), if known. */
  failedAt: string | null;
}

/** Longest reason a supervisor gives for reopening an outcome, in characters. */
export const MAX_REOPEN_REASON_LENGTH = 500;

/**
 * An outcome waiting for a supervisor's second-person review (GET /api/branches/:branchId/reviews):
 * what the officer decided and on what, for a supervisor who was not that officer to confirm or reopen.
 */
export interface ReviewView {
  visitId: string;
  decision: Decision;
  officerId: string;
  officerName: string;
  boothId: string;
  service: Service;
  checklist: Checklist;
  missingDocuments: DocumentKind[];
  reason: string | null;
  notes: string | null;
  /** The visit's document photos, each viewable at GET /api/documents/:documentId. */
  documentIds: string[];
  /** When the officer submitted the decision (ISO 8601). */
  submittedAt: string;
}

/** A supervisor's answer to a review: confirmed (then forwarded) or reopened (never forwarded). */
export interface ReviewResult {
  visitId: string;
  state: 'confirmed' | 'reopened';
  reviewedBy: string;
  /** ISO 8601. */
  reviewedAt: string;
}

/** A tracking code as people read and type it: XXXXX-XXXXX. */
export function formatTrackingCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}
