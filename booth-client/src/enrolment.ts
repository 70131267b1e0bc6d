/**
 * The enrolment screen, for branch IT once per kiosk: a one-time code from the IT page or
 * `npm run fleet -- create-booth` is exchanged for the booth's device credential.
 */
import { byTestId } from '@bilik/shared/client';
import type { EnrolAnswer, EnrolmentRefusal } from '@bilik/shared/enrolment';
import { t, type TextKey } from './strings.js';

/** What the booth says for each reason the server gives when it refuses a code. */
const MESSAGE_BY_REASON: Record<EnrolmentRefusal, TextKey> = {
  malformed: 'enrolMalformed',
  unknown: 'enrolUnknown',
  wrong: 'enrolWrong',
  expired: 'enrolExpired',
  used: 'enrolUsed',
  void: 'enrolVoid',
};

/** Shows the screen until a code is accepted, then hides it and hands over the credential. */
export function showEnrolment(onEnrolled: (credential: string) => void, doc: Document = document): void {
  const find = byTestId(doc);
  const form = find<HTMLFormElement>('enrolment');
  const input = find<HTMLInputElement>('enrolment-code');
  const message = find<HTMLElement>('enrolment-message');
  const submit = find<HTMLButtonElement>('enrolment-submit');

  const say = (key: TextKey | null, values: Record<string, number> = {}, reason = ''): void => {
    message.hidden = key === null;
    message.textContent = key ? t(key, values) : '';
    message.dataset.reason = reason;
  };

  form.onsubmit = (event) => {
    event.preventDefault();
    submit.disabled = true;
    submit.textContent = t('enrolSending');
    say(null);
    sendCode(input.value)
      .then((answer) => {
        if (answer.ok) {
          form.hidden = true;
          onEnrolled(answer.data.credential);
          return;
        }
        if (answer.error === 'RATE_LIMITED') say('enrolRateLimited', {}, 'rate-limited');
        else if (answer.reason) say(MESSAGE_BY_REASON[answer.reason], { left: answer.attemptsLeft ?? 0 }, answer.reason);
        else say('enrolFailed', {}, 'failed');
        input.select();
      })
      .catch(() => say('enrolFailed', {}, 'failed'))
      .finally(() => {
        submit.disabled = false;
        submit.textContent = t('enrolSubmit');
      });
  };
  form.hidden = false;
  input.focus();
}

async function sendCode(code: string): Promise<EnrolAnswer> {
  const response = await fetch('/api/enrol', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  return (await response.json()) as EnrolAnswer;
}
