/**
 * "Bantuan": the claimant's way to branch staff on every screen but the call, and its answer,
 * one large message over the screen with a single way out, so nobody is left wondering whether
 * the press did anything.
 */
import { byTestId } from '@bilik/shared/client';
import type { HelpState } from './journeyMachine.js';
import { t, type TextKey } from './strings.js';

/** The help button and its answer in index.html. */
export interface HelpView {
  /** Shows the button and the answer for `state`, or neither when null (the call, no link). */
  show(state: HelpState | null): void;
}

const ANSWERS: Record<Exclude<HelpState, 'none'>, { message: TextKey; hint: TextKey | null }> = {
  sending: { message: 'helpSending', hint: null },
  sent: { message: 'helpSent', hint: 'helpSentHint' },
  failed: { message: 'helpFailed', hint: 'callStaff' },
};

/** Binds the help button (`onPress`) and its answer's "Tutup" (`onClose`). */
export function createHelpView(onPress: () => void, onClose: () => void, doc: Document = document): HelpView {
  const find = byTestId(doc);
  const button = find<HTMLButtonElement>('help-button');
  const answer = find('help-answer');
  const message = find('help-message');
  const hint = find('help-hint');
  const close = find<HTMLButtonElement>('help-close');
  button.addEventListener('click', onPress);
  close.addEventListener('click', onClose);
  let shown: HelpState | null = null;

  return {
    show(state) {
      // Redrawn only on a change, so a screen reader announces the answer once.
      if (state === shown) return;
      shown = state;
      button.hidden = state === null || state !== 'none';
      answer.hidden = state === null || state === 'none';
      if (state === null || state === 'none') return;
      answer.dataset.state = state;
      const text = ANSWERS[state];
      message.textContent = t(text.message);
      hint.textContent = text.hint ? t(text.hint) : '';
      hint.hidden = text.hint === null;
      close.hidden = state === 'sending';
    },
  };
}
