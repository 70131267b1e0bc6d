/** The checklist part of the form: identity, the documents the claim needs (and the photos taken), payment. */
import { element } from '@bilik/shared/client';
import type { CapturedDocument } from '../documents/capturedDocuments.js';
import { documentName, t } from '../strings.js';
import { checkbox, section, toggleIn } from './formParts.js';
import type { OutcomeDraft } from './outcomeDraft.js';

/** The checklist's sections for one draft. */
export interface Checklist {
  sections: HTMLElement[];
  /** Shows how many photos of the visit's documents were taken. */
  drawPhotos(photos: readonly CapturedDocument[]): void;
}

/** The sections of `draft`'s checklist, each box writing into the draft. */
export function createChecklist(doc: Document, draft: OutcomeDraft): Checklist {
  const photos = element(doc, 'p', { className: 'outcome-photos', testId: 'outcome-photos' });
  const identity = section(
    doc,
    'outcomeIdentity',
    checkbox(doc, 'check-face', t('checkFace'), draft.faceMatchesId, (checked) => (draft.faceMatchesId = checked)),
    checkbox(doc, 'check-id-number', t('checkIdNumber'), draft.idNumberConfirmed, (checked) => (draft.idNumberConfirmed = checked)),
  );
  const documents = section(
    doc,
    'outcomeDocuments',
    ...draft.documents.map((kind) =>
      checkbox(doc, `check-doc-${kind}`, documentName(kind), draft.documentsPresent.has(kind), toggleIn(draft.documentsPresent, kind)),
    ),
    photos,
  );
  const payment = section(
    doc,
    'outcomePayment',
    checkbox(doc, 'check-bank', t('checkBank'), draft.bankAccountConfirmed, (checked) => (draft.bankAccountConfirmed = checked)),
  );
  return {
    sections: [identity, documents, payment],
    drawPhotos(taken) {
      photos.textContent = t('outcomePhotos', { count: taken.length });
      photos.dataset.count = String(taken.length);
      photos.title = taken.map((photo) => `${photo.width}×${photo.height}`).join(', ');
    },
  };
}
