/**
 * Spoken prompts, for claimants who read with difficulty. They only ever repeat what the screen
 * says, so a kiosk without a voice in the booth's language simply stays silent.
 */
import { LANGUAGE } from './strings.js';

/** Reads `text` aloud in the booth's language, cutting off whatever was being read. */
export function speak(text: string): void {
  if (!('speechSynthesis' in window)) return;
  speechSynthesis.cancel();
  // Indonesian read by an English voice is harder to follow than no voice at all.
  if (!speechSynthesis.getVoices().some((voice) => voice.lang.toLowerCase().startsWith(LANGUAGE))) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = LANGUAGE === 'id' ? 'id-ID' : 'en-US';
  // A little slower than the default, for elderly listeners.
  utterance.rate = 0.9;
  speechSynthesis.speak(utterance);
}

/** Stops reading, so a prompt never talks over the officer. */
export function stopSpeaking(): void {
  if ('speechSynthesis' in window) speechSynthesis.cancel();
}
