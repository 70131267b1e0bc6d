import { LANGUAGE, t, type TextKey } from './strings.js';

/** One message for the claimant: what is happening, what to do, and a technical detail for branch staff. */
export interface Status {
  /** Machine-readable state, set as `data-state` for styling and tests. */
  state: string;
  message: TextKey;
  hint?: TextKey;
  detail?: string;
  action?: { label: TextKey; run: () => void };
}

/** The booth screen: the officer full screen, a self-view, and one status message at a time. */
export interface BoothView {
  /** Shows `status` over the officer's video, or hides the banner when null. */
  showStatus(status: Status | null): void;
  /** Shows or hides the note that the officer is busy with another claimant. */
  showOfficerBusy(busy: boolean): void;
  /** Plays the officer's camera, or blanks it when null. */
  setOfficerVideo(track: MediaStreamTrack | null): void;
  /** Plays the officer's voice, or silences it when null. */
  setOfficerAudio(track: MediaStreamTrack | null): void;
  /** Shows the claimant's own camera in the corner. */
  setSelfView(stream: MediaStream): void;
}

/** Binds the booth view to the elements of index.html and fills in its texts. */
export function createBoothView(doc: Document = document): BoothView {
  const find = <T extends HTMLElement>(testId: string): T => {
    const element = doc.querySelector<T>(`[data-testid="${testId}"]`);
    if (!element) throw new Error(`index.html lacks data-testid="${testId}"`);
    return element;
  };
  const officerVideo = find<HTMLVideoElement>('officer-video');
  const officerAudio = find<HTMLAudioElement>('officer-audio');
  const selfView = find<HTMLVideoElement>('self-view');
  const status = find<HTMLElement>('status');
  const statusMessage = find<HTMLElement>('status-message');
  const statusHint = find<HTMLElement>('status-hint');
  const statusDetail = find<HTMLElement>('status-detail');
  const statusAction = find<HTMLButtonElement>('status-action');
  const busyNote = find<HTMLElement>('officer-busy');
  const soundButton = find<HTMLButtonElement>('sound-button');

  doc.documentElement.lang = LANGUAGE;
  doc.title = t('title');
  find<HTMLElement>('self-label').textContent = t('you');
  busyNote.textContent = t('officerBusy');
  soundButton.textContent = t('tapToHear');

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

  return {
    showStatus(next) {
      status.hidden = next === null;
      if (!next) return;
      status.dataset.state = next.state;
      statusMessage.textContent = t(next.message);
      statusHint.textContent = next.hint ? t(next.hint) : '';
      statusHint.hidden = !next.hint;
      statusDetail.textContent = next.detail ?? '';
      statusDetail.hidden = !next.detail;
      runAction = next.action?.run ?? null;
      statusAction.hidden = !next.action;
      if (next.action) statusAction.textContent = t(next.action.label);
    },
    showOfficerBusy(busy) {
      busyNote.hidden = !busy;
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
    setSelfView(stream) {
      selfView.srcObject = stream;
      selfView.parentElement?.removeAttribute('hidden');
    },
  };
}
