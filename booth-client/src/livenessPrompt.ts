/**
 * Liveness challenges from the officer (`liveness:challenged` on the desk link): the kiosk shows
 * the task large over the call (four digits to read aloud, or a gesture) until the officer clears
 * it or the call ends, and reads the instruction aloud. The digits themselves are never spoken:
 * the claimant must read them, not repeat the kiosk.
 */
import type { LivenessChallenge } from '@bilik/shared/liveness';
import { byTestId, type BoothSocket } from '@bilik/shared/client';
import { speak } from './speech.js';
import { gestureText, t } from './strings.js';

/** Shows the officer's liveness challenges on `socket` until the returned function is called (the call ended). */
export function showLivenessChallenges(socket: BoothSocket, doc: Document = document): () => void {
  const find = byTestId(doc);
  const panel = find<HTMLElement>('liveness-prompt');
  const instruction = find<HTMLElement>('liveness-instruction');
  const digits = find<HTMLElement>('liveness-digits');

  const show = ({ task }: LivenessChallenge): void => {
    panel.hidden = false;
    if (task.kind === 'digits') {
      instruction.textContent = t('livenessDigits');
      // Spaced, so each digit reads on its own.
      digits.textContent = [...task.digits].join(' ');
      digits.hidden = false;
      speak(t('livenessDigitsSpoken'));
    } else {
      instruction.textContent = gestureText(task.gesture);
      digits.textContent = '';
      digits.hidden = true;
      speak(gestureText(task.gesture));
    }
  };

  const hide = (): void => {
    panel.hidden = true;
    instruction.textContent = '';
    digits.textContent = '';
  };

  socket.on('liveness:challenged', show);
  socket.on('liveness:cleared', hide);
  return () => {
    socket.off('liveness:challenged', show);
    socket.off('liveness:cleared', hide);
    hide();
  };
}
