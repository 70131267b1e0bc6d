/**
 * The self-test as the booth shows it: a calm screen with each check's progress and, during the
 * microphone check, a written and spoken request to say something; and, when a check failed, a
 * plain message without any technical detail (that goes to branch IT).
 */
import { byTestId } from '@bilik/shared/client';
import { SELF_TEST_CHECKS, type SelfTestCheck } from '@bilik/shared/fleet';
import { speak } from './speech.js';
import { t, type TextKey } from './strings.js';
import './selfTestScreen.css';

/** Where one check stands; a running check is still pending. */
export type CheckState = 'pending' | 'ok' | 'failed';

/** What the self-test screens show. */
export type SelfTestView =
  { kind: 'testing'; checks: Record<SelfTestCheck, CheckState>; running: SelfTestCheck | null } | { kind: 'fault' };

/** The self-test screens of index.html. */
export interface SelfTestScreen {
  /** Shows `view`, or hides both screens when null. */
  show(view: SelfTestView | null): void;
}

const CHECK_NAMES: Record<SelfTestCheck, TextKey> = {
  camera: 'checkCamera',
  microphone: 'checkMicrophone',
  speaker: 'checkSpeaker',
  network: 'checkNetwork',
};

/** Binds the self-test screens to the elements of index.html and lists the checks. */
export function createSelfTestScreen(doc: Document = document): SelfTestScreen {
  const find = byTestId(doc);
  const testing = find('screen-self-test');
  const fault = find('screen-fault');
  const prompt = find('self-test-prompt');

  const list = find('self-test-checks');
  const items = {} as Record<SelfTestCheck, HTMLElement>;
  for (const check of SELF_TEST_CHECKS) {
    const item = doc.createElement('li');
    item.className = 'self-test-check';
    item.dataset.testid = 'self-test-check';
    item.dataset.check = check;
    item.dataset.state = 'pending';
    const mark = doc.createElement('span');
    mark.className = 'self-test-mark';
    mark.setAttribute('aria-hidden', 'true');
    const name = doc.createElement('span');
    name.textContent = t(CHECK_NAMES[check]);
    item.append(mark, name);
    list.append(item);
    items[check] = item;
  }

  // Each prompt is read aloud once when it appears, not at every redraw.
  let spoken: 'prompt' | 'fault' | null = null;
  const say = (what: typeof spoken, text: string): void => {
    if (what !== spoken && what !== null) speak(text);
    spoken = what;
  };

  return {
    show(view) {
      testing.hidden = view?.kind !== 'testing';
      fault.hidden = view?.kind !== 'fault';
      if (view?.kind === 'testing') {
        for (const check of SELF_TEST_CHECKS) {
          items[check].dataset.state = view.checks[check];
          if (view.running === check) items[check].setAttribute('aria-current', 'step');
          else items[check].removeAttribute('aria-current');
        }
        prompt.hidden = view.running !== 'microphone';
        say(view.running === 'microphone' ? 'prompt' : null, t('saySomething'));
      } else {
        say(view?.kind === 'fault' ? 'fault' : null, t('fault'));
      }
    },
  };
}
