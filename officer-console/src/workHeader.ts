/**
 * The officer's work state in the console's header: what the scheduler currently does with this
 * officer (sends new booths or not) and the one button that switches between working and a break.
 */
import type { WorkState } from '@bilik/shared/journey';
import type { TestIdFinder } from '@bilik/shared/client';
import { t, type TextKey } from './strings.js';

/** The officer's work state as the header shows it. */
export interface WorkScreen {
  state: WorkState;
  /** When wrap-up ends by itself, on the `performance.now()` clock; null outside wrap-up or when it has no end. */
  wrapUpEndsAt: number | null;
}

/** The states an officer can ask for; wrap-up and offline are the server's to set. */
export type RequestedWorkState = 'available' | 'paused';

/** The header's work state and toggle. */
export interface WorkHeader {
  /** Shows the work state (null: not known, while disconnected). */
  show(work: WorkScreen | null): void;
  /** Asks for the other state, as the toggle button does; nothing while the state is not known. */
  toggle(): void;
}

const STATE_TEXT = {
  available: 'workAvailable',
  paused: 'workPaused',
  wrap_up: 'workWrapUp',
  offline: 'workOffline',
} as const satisfies Record<WorkState, TextKey>;

/** Binds the header's work elements; `request` sends the state the officer asks for. */
export function createWorkHeader(find: TestIdFinder, request: (state: RequestedWorkState) => void): WorkHeader {
  const root = find<HTMLElement>('work');
  const state = find<HTMLElement>('work-state');
  const toggleButton = find<HTMLButtonElement>('work-toggle');

  let work: WorkScreen | null = null;
  let countdown: ReturnType<typeof setInterval> | undefined;

  const toggle = (): void => {
    // Wrap-up and offline end by asking for work again; only taking booths ends in a break.
    if (work) request(work.state === 'available' ? 'paused' : 'available');
  };
  toggleButton.addEventListener('click', toggle);

  const drawState = (): void => {
    if (!work) return;
    if (work.state === 'wrap_up' && work.wrapUpEndsAt !== null) {
      const seconds = Math.max(0, Math.ceil((work.wrapUpEndsAt - performance.now()) / 1000));
      state.textContent = t('workWrapUpLeft', { seconds });
    } else {
      state.textContent = t(STATE_TEXT[work.state]);
    }
  };

  return {
    show(next) {
      work = next;
      root.hidden = next === null;
      clearInterval(countdown);
      if (!next) return;
      state.dataset.state = next.state;
      toggleButton.textContent = t(next.state === 'available' ? 'pause' : 'resume');
      drawState();
      // Counted down here between announcements; the server announces the state that follows.
      if (next.state === 'wrap_up' && next.wrapUpEndsAt !== null) countdown = setInterval(drawState, 1000);
    },
    toggle,
  };
}
