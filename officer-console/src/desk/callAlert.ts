/**
 * Makes a claimant's "Panggil Petugas" hard to miss: a short two-note chime made with WebAudio
 * (no sound file to fetch), and the tab's title, which shows in the task bar while the officer
 * works in another window, names how many booths are calling. The tile's own animation is CSS.
 */
import { t } from '../strings.js';

/** The call alert of the console. */
export interface CallAlert {
  /** The booths calling now: each new call chimes once; the title counts them until they are answered. */
  show(callingBoothIds: readonly string[]): void;
}

/** The chime's two notes (Hz) and how long each lasts (s): a rising fifth reads as "come here", not as an error. */
const CHIME_NOTES = [660, 990];
const NOTE_SECONDS = 0.18;
const CHIME_GAIN = 0.25;

/** Binds the alert to `doc`'s title; sound starts once the officer has touched the page (the autoplay policy). */
export function createCallAlert(doc: Document = document): CallAlert {
  const baseTitle = doc.title;
  let calling = new Set<string>();
  let context: AudioContext | null = null;

  const audio = (): AudioContext => {
    context ??= new AudioContext();
    return context;
  };
  // A context made before any gesture starts suspended in browsers that hold autoplay back; the
  // officer's first click or key (the "Siap" press) lets it play.
  const unlock = (): void => void audio().resume();
  doc.addEventListener('pointerdown', unlock, { once: true });
  doc.addEventListener('keydown', unlock, { once: true });

  const chime = (): void => {
    const output = audio();
    const start = output.currentTime;
    CHIME_NOTES.forEach((frequency, index) => {
      const oscillator = output.createOscillator();
      const gain = output.createGain();
      oscillator.frequency.value = frequency;
      const noteStart = start + index * NOTE_SECONDS;
      // Faded in and out, so the note starts and stops without a click.
      gain.gain.setValueAtTime(0, noteStart);
      gain.gain.linearRampToValueAtTime(CHIME_GAIN, noteStart + 0.02);
      gain.gain.linearRampToValueAtTime(0, noteStart + NOTE_SECONDS);
      oscillator.connect(gain).connect(output.destination);
      oscillator.start(noteStart);
      oscillator.stop(noteStart + NOTE_SECONDS);
    });
  };

  return {
    show(callingBoothIds) {
      const next = new Set(callingBoothIds);
      if ([...next].some((boothId) => !calling.has(boothId))) chime();
      calling = next;
      doc.title = next.size > 0 ? `${t('callsTitle', { count: next.size })} · ${baseTitle}` : baseTitle;
    },
  };
}
