/**
 * The console's keyboard shortcuts, as its legend shows them: 1 to the largest desk talks to that
 * booth, 0 silences, F enlarges the booth talked to, Esc shrinks it, E (twice) ends its session,
 * A has it photograph a document, P toggles the break.
 */
import { MAX_DESK_CAPACITY } from '@bilik/shared/constants';
import { isTextEntry } from '../textEntry.js';

/** The keys that choose a booth to talk to, as the legend writes them. */
export const TALK_KEYS = `1–${MAX_DESK_CAPACITY}`;

/** What the officer asks for with a key. */
export type DeskCommand =
  | { kind: 'talk'; boothId: string | null }
  | { kind: 'focus'; boothId: string | null }
  | { kind: 'end'; boothId: string }
  | { kind: 'capture'; boothId: string }
  | { kind: 'toggleWork' }
  /** Esc: disarm a pending "end session" and shrink the enlarged booth. */
  | { kind: 'escape' };

/** What the keys act on: the desk's booths with their seats (their talk keys), and who is talked to and enlarged. */
export interface KeyedDesk {
  booths: readonly { boothId: string; seat: number }[];
  talkingToBoothId: string | null;
  focusedBoothId: string | null;
}

/** The command of `key` on `desk` (null: none yet), or null for keys the console leaves to the browser. */
export function commandOfKey(key: string, desk: KeyedDesk | null): DeskCommand | null {
  if (key === 'p' || key === 'P') return { kind: 'toggleWork' };
  if (!desk) return null;
  const talking = desk.talkingToBoothId;
  const seat = /^[0-9]$/.test(key) ? Number(key) : -1;
  if (seat >= 1 && seat <= MAX_DESK_CAPACITY) {
    const booth = desk.booths.find((candidate) => candidate.seat === seat);
    return booth ? { kind: 'talk', boothId: booth.boothId } : null;
  }
  switch (key) {
    case '0':
      return { kind: 'talk', boothId: null };
    case 'f':
    case 'F':
      return talking === null ? null : { kind: 'focus', boothId: desk.focusedBoothId === talking ? null : talking };
    case 'e':
    case 'E':
      return talking === null ? null : { kind: 'end', boothId: talking };
    case 'a':
    case 'A':
      return talking === null ? null : { kind: 'capture', boothId: talking };
    case 'Escape':
      return { kind: 'escape' };
    default:
      return null;
  }
}

/** Sends each shortcut pressed on `doc` to `run`, with the desk as `desk()` gives it now. */
export function bindDeskKeys(doc: Document, desk: () => KeyedDesk | null, run: (command: DeskCommand) => void): void {
  doc.addEventListener('keydown', (event) => {
    // Leave the browser's own shortcuts (Ctrl+0, Ctrl+F, Alt+1…) alone, and do not resend on key repeat.
    if (event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
    // Letters and digits typed into a note are text, not commands (E twice would end a session).
    if (isTextEntry(event.target)) return;
    const command = commandOfKey(event.key, desk());
    if (!command) return;
    event.preventDefault();
    run(command);
  });
}
