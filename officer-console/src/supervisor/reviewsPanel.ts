/**
 * "Tinjauan": the branch's verification outcomes waiting for a second person's review, each with
 * what the officer decided and on what (checklist, notes, document photos through the document
 * route), and two answers: confirm (the outcome goes to the back office) or reopen with a reason
 * (it never does). Polled on its own, like the help requests.
 */
import { byTestId } from '@bilik/shared/client';
import { MAX_REOPEN_REASON_LENGTH, type ReviewView } from '@bilik/shared/outcome';
import { ApiError } from '../http/api.js';
import { startPolling, type Poll } from '../http/poll.js';
import { confirmReview, fetchReviews, reopenReview } from './api.js';
import { decisionName, formatTime, serviceName, t } from './strings.js';

/** Reviews are not urgent to the second; a supervisor's answer refreshes the list at once. */
const POLL_MS = 5_000;

/** The running list. */
export interface ReviewsPanel {
  /** Asks now, e.g. for another branch, dropping what was shown. */
  restart(): void;
  stop(): void;
}

/**
 * Shows the pending reviews of `branchId()` in supervisor/index.html's review panel; an error that
 * `signedOut` handles (the session ended) stops the list, others keep the last list shown.
 */
export function startReviewsPanel(branchId: () => string, signedOut: (error: unknown) => boolean, doc: Document = document): ReviewsPanel {
  const find = byTestId(doc);
  const list = find('review-list');
  const empty = find('reviews-empty');
  // A row whose reopening form is open is not replaced by the next poll, so its typed reason stays.
  let editing: string | null = null;

  const text = (tag: string, testId: string, content: string): HTMLElement => {
    const element = doc.createElement(tag);
    element.dataset.testid = testId;
    element.textContent = content;
    return element;
  };

  const button = (testId: string, label: string): HTMLButtonElement => {
    const element = doc.createElement('button');
    element.type = 'button';
    element.className = 'button';
    element.dataset.testid = testId;
    element.textContent = label;
    return element;
  };

  const checklistText = (review: ReviewView): string => {
    const yes = (value: boolean): string => t(value ? 'reviewYes' : 'reviewNo');
    return t('reviewChecklist', {
      face: yes(review.checklist.faceMatchesId),
      id: yes(review.checklist.idNumberConfirmed),
      bank: yes(review.checklist.bankAccountConfirmed),
      documents: review.checklist.documentsPresent.length,
    });
  };

  /** Sends an answer; on success the list is asked again, on failure the row says so and may be tried again. */
  const answer = (item: HTMLElement, controls: HTMLButtonElement[], send: () => Promise<unknown>): void => {
    for (const control of controls) control.disabled = true;
    const status = item.querySelector<HTMLElement>('[data-testid="review-status"]')!;
    status.textContent = '';
    send().then(
      () => {
        editing = null;
        poll.restart();
      },
      (error: unknown) => {
        if (signedOut(error)) return;
        for (const control of controls) control.disabled = false;
        status.textContent = t(error instanceof ApiError && error.status === 403 ? 'reviewOwnDecision' : 'reviewFailed');
      },
    );
  };

  const row = (review: ReviewView): HTMLLIElement => {
    const item = doc.createElement('li');
    item.className = 'review-row';
    item.dataset.testid = 'review-row';
    item.dataset.visitId = review.visitId;
    const heading = text(
      'p',
      'review-summary',
      t('reviewSummary', {
        decision: decisionName(review.decision),
        booth: review.boothId,
        officer: review.officerName,
        service: serviceName(review.service),
        time: formatTime(new Date(review.submittedAt)),
      }),
    );
    heading.className = 'review-summary';
    const details = [text('p', 'review-checklist', checklistText(review))];
    if (review.reason !== null) details.push(text('p', 'review-reason', t('reviewReason', { reason: review.reason })));
    if (review.notes !== null) details.push(text('p', 'review-notes', t('reviewNotes', { notes: review.notes })));
    const documents = doc.createElement('p');
    documents.dataset.testid = 'review-documents';
    documents.className = 'review-documents';
    review.documentIds.forEach((documentId, index) => {
      const link = doc.createElement('a');
      link.href = `/api/documents/${encodeURIComponent(documentId)}`;
      link.target = '_blank';
      link.rel = 'noopener';
      link.dataset.testid = 'review-document';
      link.textContent = t('reviewDocument', { number: index + 1 });
      documents.append(link);
    });
    if (review.documentIds.length === 0) documents.textContent = t('reviewNoDocuments');

    const confirm = button('review-confirm', t('reviewConfirm'));
    const reopen = button('review-reopen', t('reviewReopen'));
    const form = doc.createElement('form');
    form.className = 'review-reopen-form';
    form.dataset.testid = 'review-reopen-form';
    form.hidden = editing !== review.visitId;
    const reasonId = `review-reason-${review.visitId}`;
    const label = text('label', 'review-reason-label', t('reviewReopenReason'));
    label.setAttribute('for', reasonId);
    const reason = doc.createElement('input');
    reason.id = reasonId;
    reason.type = 'text';
    reason.required = true;
    reason.maxLength = MAX_REOPEN_REASON_LENGTH;
    reason.dataset.testid = 'review-reason-input';
    const send = button('review-reopen-send', t('reviewReopenSend'));
    send.type = 'submit';
    form.append(label, reason, send);
    const status = text('p', 'review-status', '');
    status.setAttribute('role', 'status');

    confirm.addEventListener('click', () => answer(item, [confirm, reopen, send], () => confirmReview(review.visitId)));
    reopen.addEventListener('click', () => {
      editing = review.visitId;
      form.hidden = false;
      reason.focus();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (reason.value.trim() === '') return;
      answer(item, [confirm, reopen, send], () => reopenReview(review.visitId, reason.value.trim()));
    });

    const actions = doc.createElement('div');
    actions.className = 'review-actions';
    actions.append(confirm, reopen);
    item.append(heading, ...details, documents, actions, form, status);
    return item;
  };

  const show = (reviews: readonly ReviewView[]): void => {
    empty.hidden = reviews.length > 0;
    // Keeps the row being answered as it is; every other row is redrawn from the answer.
    const kept = editing === null ? null : list.querySelector<HTMLElement>(`[data-visit-id="${CSS.escape(editing)}"]`);
    list.replaceChildren(...reviews.map((review) => (kept && review.visitId === editing ? kept : row(review))));
  };

  const poll: Poll = startPolling(POLL_MS, () => fetchReviews(branchId()), {
    onData: show,
    onError(error) {
      signedOut(error);
    },
  });

  return {
    restart() {
      editing = null;
      show([]);
      poll.restart();
    },
    stop: () => poll.stop(),
  };
}
