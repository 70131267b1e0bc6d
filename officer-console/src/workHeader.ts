/**
 * The officer's work state in the console's header: what the scheduler currently does with this
 * officer (sends new booths or not), a break's reason and how long it has lasted, and the one
 * button that switches between working and a break: "Istirahat" for the reason chosen beside it,
 * "Siap" to take booths again (and to start, as a console opens not ready). Beside it, a
 * supervisor's request to come back from a break, until dismissed or the officer takes booths again.
 */
import { BREAK_REASONS, type BreakReason, type PauseReason, type WorkRecall, type WorkState } from '@bilik/shared/journey';
import type { TestIdFinder } from '@bilik/shared/client';
import { formatClock } from './format.js';
import { LANGUAGE, t, type TextKey } from './strings.js';

/** The officer's work state as the header shows it. */
export interface WorkScreen {
  state: WorkState;
  /** When wrap-up ends by itself, on the `performance.now()` clock; null outside wrap-up or when it has no end. */
  wrapUpEndsAt: number | null;
  /** While paused: why, and since when on the `performance.now()` clock. */
  pause: { reason: PauseReason; since: number } | null;
  /** Claimants waiting in the officer's queues. */
  waitingClaimants: number;
}

/** What an officer can ask for; wrap-up and offline are the server's to set. */
export type RequestedWork = { state: 'available' } | { state: 'paused'; reason: BreakReason };

/** The header's work state and toggle. */
export interface WorkHeader {
  /** Shows the work state (null: not known, while disconnected). */
  show(work: WorkScreen | null): void;
  /** Asks for the other state, as the toggle button does; nothing while the state is not known. */
  toggle(): void;
  /** Shows a supervisor's request to come back (null: takes it away). */
  showRecall(recall: WorkRecall | null): void;
}

const STATE_TEXT = {
  available: 'workAvailable',
  paused: 'workPaused',
  wrap_up: 'workWrapUp',
  offline: 'workOffline',
} as const satisfies Record<WorkState, TextKey>;

/** Each reason's name, as the officer picks it and the header shows it. */
export const PAUSE_TEXT = {
  istirahat: 'breakIstirahat',
  sholat: 'breakSholat',
  pelatihan: 'breakPelatihan',
  not_ready: 'workNotReady',
} as const satisfies Record<PauseReason, TextKey>;

/** Binds the header's work elements; `request` sends the state the officer asks for. */
export function createWorkHeader(find: TestIdFinder, request: (work: RequestedWork) => void, doc: Document = document): WorkHeader {
  const root = find<HTMLElement>('work');
  const state = find<HTMLElement>('work-state');
  const reasonPicker = find<HTMLSelectElement>('break-reason');
  const toggleButton = find<HTMLButtonElement>('work-toggle');
  for (const reason of BREAK_REASONS) {
    const option = doc.createElement('option');
    option.value = reason;
    option.textContent = t(PAUSE_TEXT[reason]);
    reasonPicker.append(option);
  }

  let work: WorkScreen | null = null;
  let clock: ReturnType<typeof setInterval> | undefined;

  const recallBox = find<HTMLElement>('work-recall');
  const recallMessage = find<HTMLElement>('work-recall-message');
  const showRecall = (recall: WorkRecall | null): void => {
    recallBox.hidden = recall === null;
    if (!recall) return;
    const time = new Date(recall.at).toLocaleTimeString(LANGUAGE === 'id' ? 'id-ID' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
    recallMessage.textContent = t('recallMessage', { name: recall.by, time });
  };
  find<HTMLButtonElement>('work-recall-dismiss').addEventListener('click', () => showRecall(null));

  const toggle = (): void => {
    // Wrap-up and offline end by asking for work again; only taking booths ends in a break.
    if (!work) return;
    request(work.state === 'available' ? { state: 'paused', reason: reasonPicker.value as BreakReason } : { state: 'available' });
  };
  toggleButton.addEventListener('click', toggle);

  const drawState = (): void => {
    if (!work) return;
    const now = performance.now();
    if (work.state === 'wrap_up' && work.wrapUpEndsAt !== null) {
      const seconds = Math.max(0, Math.ceil((work.wrapUpEndsAt - now) / 1000));
      state.textContent = t('workWrapUpLeft', { seconds });
    } else if (work.state === 'paused' && work.pause) {
      state.textContent = t('workOnPause', { reason: t(PAUSE_TEXT[work.pause.reason]), time: formatClock(now - work.pause.since) });
    } else {
      state.textContent = t(STATE_TEXT[work.state]);
    }
  };

  return {
    show(next) {
      work = next;
      root.hidden = next === null;
      clearInterval(clock);
      if (!next) return;
      state.dataset.state = next.state;
      // Taking booths again answers the supervisor's request.
      if (next.state === 'available') showRecall(null);
      state.dataset.pause = next.pause?.reason ?? '';
      // The reason is picked before the break; during one the header names it.
      reasonPicker.hidden = next.state !== 'available';
      toggleButton.textContent = t(next.state === 'available' ? 'pause' : 'resume');
      toggleButton.classList.toggle('is-ready-call', next.state === 'paused' || next.state === 'offline');
      drawState();
      // Counted here between announcements; the server announces the state that follows.
      if (next.state === 'wrap_up' || next.state === 'paused') clock = setInterval(drawState, 1000);
    },
    toggle,
    showRecall,
  };
}
