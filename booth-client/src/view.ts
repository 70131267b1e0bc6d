import { byTestId, type LinkState } from '@bilik/shared/client';
import { t, type TextKey } from './strings.js';

/**
 * One message for the claimant: what is happening and what to do, in plain words; and a technical
 * detail for branch staff, which never shows ("xhr poll error" means nothing to a claimant and
 * frightens some): it is kept in the status's `data-detail` and the browser's console.
 */
export interface Status {
  /** Machine-readable state, set as `data-state` for styling and tests. */
  state: string;
  message: TextKey;
  hint?: TextKey;
  detail?: string;
  action?: { label: TextKey; run: () => void };
}

/** A link state the booth shows; 'unauthorized' never shows, the kiosk goes back to its enrolment screen instead. */
export type ShownLinkState = Exclude<LinkState, { kind: 'unauthorized' }>;

/** Where the claimant's "Panggil Petugas" call stands; `failed` is a ready button after a call that did not go through. */
export type CallState = { kind: 'hidden' } | { kind: 'ready'; failed: boolean } | { kind: 'pending' } | { kind: 'called'; place: number };

/** Where the claimant's "Saya tidak bisa mendengar" stands; `told` while the officer's tile shows it. */
export type HearingState = { kind: 'hidden' } | { kind: 'ready'; failed: boolean } | { kind: 'pending' } | { kind: 'told' };

/** The booth screen: the officer full screen, a self-view, one status message at a time, and the call buttons. */
export interface BoothView {
  /** Shows `status` over the officer's video, or hides the banner when null. */
  showStatus(status: Status | null): void;
  /** Shows the hold banner with the wait counted from `since` (a `performance.now()` time), or hides it when null. */
  showHold(since: number | null): void;
  /** Shows the call button or the answer to the claimant's call. */
  showCall(state: CallState): void;
  /** Shows the "cannot hear" button, or that the officer has been told and what the claimant can do meanwhile. */
  showHearing(state: HearingState): void;
  /** Names the officer serving the claimant, or hides the caption when null. */
  showServedBy(officerName: string | null): void;
  /** Plays the officer's camera, or blanks it when null. */
  setOfficerVideo(track: MediaStreamTrack | null): void;
  /** Plays the officer's voice, or silences it when null. */
  setOfficerAudio(track: MediaStreamTrack | null): void;
  /** The voice of a supervisor who barged in on this visit, or null. */
  setSupervisorAudio(track: MediaStreamTrack | null): void;
  /** Shows the claimant's own camera in the corner. */
  setSelfView(stream: MediaStream): void;
  /** Empties the call screen when a call ends: no picture, sound, banner or button of it stays. */
  clear(): void;
}

/**
 * Binds the booth view to the elements of index.html; calls `onCall` when the claimant presses the
 * call button and `onCannotHear` when they press "Saya tidak bisa mendengar".
 */
export function createBoothView(onCall: () => void, onCannotHear: () => void, doc: Document = document): BoothView {
  const find = byTestId(doc);
  const officerVideo = find<HTMLVideoElement>('officer-video');
  const officerAudio = find<HTMLAudioElement>('officer-audio');
  const supervisorAudio = find<HTMLAudioElement>('supervisor-audio');
  const selfView = find<HTMLVideoElement>('self-view');
  const status = find<HTMLElement>('status');
  const statusMessage = find<HTMLElement>('status-message');
  const statusHint = find<HTMLElement>('status-hint');
  const statusAction = find<HTMLButtonElement>('status-action');
  const hold = find<HTMLElement>('hold-screen');
  const holdWaited = find<HTMLElement>('hold-waited');
  const callButton = find<HTMLButtonElement>('call-button');
  const callFailed = find<HTMLElement>('call-failed');
  const attentionStatus = find<HTMLElement>('attention-status');
  const attentionPlace = find<HTMLElement>('attention-place');
  const soundButton = find<HTMLButtonElement>('sound-button');
  const volumeBox = find<HTMLElement>('volume');
  const volumeLevel = find<HTMLElement>('volume-level');
  const volumeDown = find<HTMLButtonElement>('volume-down');
  const volumeUp = find<HTMLButtonElement>('volume-up');
  const hearingButton = find<HTMLButtonElement>('hearing-button');
  const hearingStatus = find<HTMLElement>('hearing-status');
  const hearingFailed = find<HTMLElement>('hearing-failed');
  const servedBy = find<HTMLElement>('served-by');

  callButton.addEventListener('click', onCall);
  hearingButton.addEventListener('click', onCannotHear);

  // In fifths, from a fifth to full; each claimant starts a step below full, with room to turn it up.
  let volumeSteps = DEFAULT_VOLUME_STEPS;
  const setVolume = (steps: number): void => {
    volumeSteps = Math.min(VOLUME_STEPS, Math.max(1, steps));
    officerAudio.volume = volumeSteps / VOLUME_STEPS;
    volumeLevel.textContent = `${(volumeSteps * 100) / VOLUME_STEPS}%`;
    volumeDown.disabled = volumeSteps === 1;
    volumeUp.disabled = volumeSteps === VOLUME_STEPS;
  };
  setVolume(DEFAULT_VOLUME_STEPS);
  volumeDown.addEventListener('click', () => setVolume(volumeSteps - 1));
  volumeUp.addEventListener('click', () => setVolume(volumeSteps + 1));

  let holdSince: number | null = null;
  const showWaited = (): void => {
    if (holdSince !== null) holdWaited.textContent = t('waited', { time: formatWait(performance.now() - holdSince) });
  };
  setInterval(showWaited, 1000);

  let runAction: (() => void) | null = null;
  statusAction.addEventListener('click', () => runAction?.());

  const playAudio = (): void => {
    officerAudio.play().then(
      () => (soundButton.hidden = true),
      (error: unknown) => {
        // Only the autoplay policy needs the claimant's tap; other rejections (a source replaced
        // mid-start) resolve themselves with the next track.
        if (error instanceof DOMException && error.name === 'NotAllowedError') soundButton.hidden = false;
      },
    );
  };
  soundButton.addEventListener('click', playAudio);

  // Returns whether the element's track changed, so an unchanged one keeps playing undisturbed.
  const setTrack = (element: HTMLMediaElement, track: MediaStreamTrack | null): boolean => {
    const shown = element.srcObject instanceof MediaStream ? (element.srcObject.getTracks()[0] ?? null) : null;
    if (shown === track) return false;
    element.srcObject = track ? new MediaStream([track]) : null;
    return true;
  };

  const view: BoothView = {
    showStatus(next) {
      status.hidden = next === null;
      if (!next) return;
      status.dataset.state = next.state;
      statusMessage.textContent = t(next.message);
      statusHint.textContent = next.hint ? t(next.hint) : '';
      statusHint.hidden = !next.hint;
      if (next.detail && next.detail !== status.dataset.detail) console.warn(`booth status ${next.state}: ${next.detail}`);
      if (next.detail) status.dataset.detail = next.detail;
      else delete status.dataset.detail;
      runAction = next.action?.run ?? null;
      statusAction.hidden = !next.action;
      if (next.action) statusAction.textContent = t(next.action.label);
    },
    showHold(since) {
      holdSince = since;
      hold.hidden = since === null;
      showWaited();
    },
    showCall(state) {
      volumeBox.hidden = state.kind === 'hidden';
      callButton.hidden = state.kind === 'hidden' || state.kind === 'called';
      callButton.disabled = state.kind === 'pending';
      callButton.textContent = t(state.kind === 'pending' ? 'calling' : 'callOfficer');
      callFailed.hidden = !(state.kind === 'ready' && state.failed);
      attentionStatus.hidden = state.kind !== 'called';
      if (state.kind === 'called') attentionPlace.textContent = t('place', { place: state.place });
    },
    showHearing(state) {
      hearingButton.hidden = state.kind === 'hidden' || state.kind === 'told';
      hearingButton.disabled = state.kind === 'pending';
      hearingButton.textContent = t(state.kind === 'pending' ? 'cannotHearSending' : 'cannotHear');
      hearingFailed.hidden = !(state.kind === 'ready' && state.failed);
      hearingStatus.hidden = state.kind !== 'told';
    },
    showServedBy(officerName) {
      servedBy.hidden = officerName === null;
      servedBy.textContent = officerName === null ? '' : t('servedBy', { name: officerName });
    },
    setOfficerVideo(track) {
      setTrack(officerVideo, track);
      officerVideo.classList.toggle('is-playing', track !== null);
    },
    setOfficerAudio(track) {
      if (!setTrack(officerAudio, track)) return;
      if (track) playAudio();
      else soundButton.hidden = true;
    },
    setSupervisorAudio(track) {
      // The claimant has pressed the screen by now, so the autoplay policy lets it play; the
      // officer's audio keeps the sound button for the rare case it does not.
      if (setTrack(supervisorAudio, track) && track) supervisorAudio.play().catch(() => undefined);
    },
    setSelfView(stream) {
      selfView.srcObject = stream;
      selfView.parentElement?.removeAttribute('hidden');
    },
    clear() {
      view.showStatus(null);
      view.showHold(null);
      view.showCall({ kind: 'hidden' });
      view.showHearing({ kind: 'hidden' });
      view.showServedBy(null);
      attentionPlace.textContent = '';
      for (const element of [officerVideo, officerAudio, supervisorAudio, selfView]) element.srcObject = null;
      officerVideo.classList.remove('is-playing');
      soundButton.hidden = true;
      setVolume(DEFAULT_VOLUME_STEPS);
      selfView.parentElement?.setAttribute('hidden', '');
    },
  };
  return view;
}

/** The officer's volume goes in this many steps up to full. */
const VOLUME_STEPS = 5;
const DEFAULT_VOLUME_STEPS = 4;

/** What the booth says while a link is in `state`. */
export function statusOfLink(state: ShownLinkState): Status {
  switch (state.kind) {
    case 'connecting':
    case 'joining':
      return { state: state.kind, message: 'connecting' };
    case 'unreachable':
      return { state: state.kind, message: 'unreachable', hint: 'callStaffIfLong', detail: state.detail };
    case 'refused':
      return { state: state.kind, message: 'refused', hint: 'callStaff', detail: state.detail };
    case 'failed':
      return { state: state.kind, message: 'failed', hint: 'callStaffIfLong', detail: state.detail };
    case 'reconnecting':
      return { state: state.kind, message: 'reconnecting' };
    case 'recovering':
      return { state: state.kind, message: 'recovering' };
    case 'live':
      return { state: 'waiting', message: 'waiting' };
  }
}

/** Formats a wait as m:ss, the way a claimant reads a clock. */
function formatWait(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
