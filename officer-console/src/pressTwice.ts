/**
 * A confirmation without a dialog: the first press arms one target, a second press on the same
 * target within a short window confirms. A modal window.confirm would take the keyboard away
 * from an officer serving other booths.
 */

/** The arming state of one kind of action (ending a session) across its buttons and key. */
export interface PressTwice {
  /** Arms `target`, or confirms it when it is already armed; true when confirmed. */
  press(target: string): boolean;
  /** Disarms without confirming. */
  cancel(): void;
  /** The target waiting for its second press, or null. */
  armed(): string | null;
}

/** A PressTwice whose arming lapses after `windowMs`; `onArmedChanged` redraws the buttons. */
export function pressTwice(windowMs: number, onArmedChanged: (armed: string | null) => void): PressTwice {
  let armed: string | null = null;
  let lapse: ReturnType<typeof setTimeout> | undefined;

  const set = (next: string | null): void => {
    clearTimeout(lapse);
    if (next !== null) lapse = setTimeout(() => set(null), windowMs);
    if (next === armed) return;
    armed = next;
    onArmedChanged(armed);
  };

  return {
    press(target) {
      const confirmed = armed === target;
      set(confirmed ? null : target);
      return confirmed;
    },
    cancel: () => set(null),
    armed: () => armed,
  };
}
