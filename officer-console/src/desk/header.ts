/**
 * The console's header: who is signed in, the link's status line (with an action when there is
 * one), a failed command's message for a while, how many booths the desk holds, and the
 * officer's own camera. The work state and the key legend sit in it too (workHeader.ts, index.html).
 */
import type { TestIdFinder } from '@bilik/shared/client';
import { t, type TextKey } from '../strings.js';
import type { Status } from '../view.js';

/** The header's changing parts. */
export interface DeskHeader {
  showOfficer: (displayName: string) => void;
  showStatus: (status: Status) => void;
  /** Says that a command the officer gave failed; it clears itself after a while. */
  showCommandError: (message: TextKey, detail: string) => void;
  /** Shows how many sessions the desk holds of its capacity (null: not known). */
  showCount(count: { sessions: number; capacity: number } | null): void;
  setSelfView: (stream: MediaStream) => void;
}

const COMMAND_ERROR_MS = 8_000;

/** Binds the header's elements of index.html. */
export function createDeskHeader(find: TestIdFinder): DeskHeader {
  const status = find<HTMLElement>('status');
  const statusMessage = find<HTMLElement>('status-message');
  const statusDetail = find<HTMLElement>('status-detail');
  const statusAction = find<HTMLButtonElement>('status-action');
  const commandError = find<HTMLElement>('command-error');
  const count = find<HTMLElement>('booth-count');
  const selfView = find<HTMLVideoElement>('self-view');

  let runAction: (() => void) | null = null;
  statusAction.addEventListener('click', () => runAction?.());
  let commandErrorTimer: ReturnType<typeof setTimeout> | undefined;

  return {
    showOfficer(displayName) {
      find<HTMLElement>('officer-name').textContent = displayName;
    },
    showStatus(next) {
      status.dataset.state = next.state;
      statusMessage.textContent = t(next.message);
      statusDetail.textContent = next.detail ?? '';
      statusDetail.hidden = !next.detail;
      statusDetail.title = next.detail ?? '';
      runAction = next.action?.run ?? null;
      statusAction.hidden = !next.action;
      if (next.action) statusAction.textContent = t(next.action.label);
    },
    showCommandError(message, detail) {
      commandError.textContent = `${t(message)} ${detail}`;
      commandError.title = commandError.textContent;
      commandError.hidden = false;
      clearTimeout(commandErrorTimer);
      // A stale failure would contradict the tiles once the officer's next command succeeds.
      commandErrorTimer = setTimeout(() => (commandError.hidden = true), COMMAND_ERROR_MS);
    },
    showCount(next) {
      count.hidden = next === null;
      if (!next) return;
      const free = Math.max(0, next.capacity - next.sessions);
      count.dataset.freeSlots = String(free);
      count.textContent = t('boothCount', { count: next.sessions, capacity: next.capacity, free });
    },
    setSelfView(stream) {
      selfView.srcObject = stream;
    },
  };
}
