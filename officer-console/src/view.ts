import { LANGUAGE, t, type TextKey } from './strings.js';

/** The header's status line: a state, its text, and optionally a detail and an action. */
export interface Status {
  /** Machine-readable state, set as `data-state` for styling and tests. */
  state: string;
  message: TextKey;
  detail?: string;
  action?: { label: TextKey; run: () => void };
}

/** What one booth tile shows. */
export interface BoothTile {
  boothId: string;
  video: MediaStreamTrack;
  /** Whether the officer currently hears this booth. */
  audible: boolean;
}

/** A remote audio track to play, keyed by its consumer. */
export interface AudioSink {
  consumerId: string;
  track: MediaStreamTrack;
}

/** The officer console: a header with identity and status, a grid of booth tiles, a self-view. */
export interface OfficerView {
  /** Shows who is signed in at this console. */
  showOfficer(officerId: string): void;
  /** Replaces the header's status line. */
  showStatus(status: Status): void;
  /** Shows the officer's own camera in the header. */
  setSelfView(stream: MediaStream): void;
  /** Makes the grid show exactly these booths, keeping tiles (and their timers) that stay. */
  showBooths(booths: BoothTile[]): void;
  /** Makes exactly these audio tracks play. */
  playAudio(sinks: AudioSink[]): void;
}

interface TileElements {
  root: HTMLElement;
  video: HTMLVideoElement;
  audible: HTMLElement;
  elapsed: HTMLTimeElement;
  appearedAt: number;
}

const MAX_COLUMNS = 3;

/** Binds the console view to the elements of index.html and fills in its texts. */
export function createOfficerView(doc: Document = document): OfficerView {
  const find = <T extends HTMLElement>(testId: string): T => {
    const element = doc.querySelector<T>(`[data-testid="${testId}"]`);
    if (!element) throw new Error(`index.html lacks data-testid="${testId}"`);
    return element;
  };
  const status = find<HTMLElement>('status');
  const statusMessage = find<HTMLElement>('status-message');
  const statusDetail = find<HTMLElement>('status-detail');
  const statusAction = find<HTMLButtonElement>('status-action');
  const soundButton = find<HTMLButtonElement>('sound-button');
  const selfView = find<HTMLVideoElement>('self-view');
  const count = find<HTMLElement>('booth-count');
  const empty = find<HTMLElement>('no-booths');
  const grid = find<HTMLElement>('booth-grid');
  const audioSinks = find<HTMLElement>('booth-audio');

  doc.documentElement.lang = LANGUAGE;
  doc.title = t('title');
  find<HTMLElement>('app-name').textContent = t('appName');
  find<HTMLElement>('console-name').textContent = t('consoleName');
  find<HTMLElement>('officer-label').textContent = t('officer');
  find<HTMLElement>('self-label').textContent = t('you');
  soundButton.textContent = t('enableSound');
  empty.textContent = t('noBooths');
  count.textContent = t('boothCount', { count: 0 });

  let runAction: (() => void) | null = null;
  statusAction.addEventListener('click', () => runAction?.());

  const tiles = new Map<string, TileElements>();
  const audios = new Map<string, HTMLAudioElement>();
  const blocked = new Set<HTMLAudioElement>();

  const play = (audio: HTMLAudioElement): void => {
    audio.play().then(
      () => {
        blocked.delete(audio);
        soundButton.hidden = blocked.size === 0;
      },
      (error: unknown) => {
        // Only the autoplay policy needs the officer's click; other rejections resolve themselves.
        if (!(error instanceof DOMException) || error.name !== 'NotAllowedError') return;
        blocked.add(audio);
        soundButton.hidden = false;
      },
    );
  };
  soundButton.addEventListener('click', () => {
    for (const audio of blocked) play(audio);
  });

  const tick = (): void => {
    const now = performance.now();
    for (const tile of tiles.values()) tile.elapsed.textContent = formatElapsed(now - tile.appearedAt);
  };
  setInterval(tick, 1000);

  const createTile = (boothId: string): TileElements => {
    const root = doc.createElement('article');
    root.className = 'tile';
    root.dataset.testid = 'booth-tile';
    root.dataset.boothId = boothId;
    root.setAttribute('aria-label', t('boothLabel', { id: boothId }));

    const video = doc.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    // Booth sound plays through its own audio element; the video must stay muted to autoplay.
    video.muted = true;
    video.setAttribute('muted', '');

    const caption = doc.createElement('footer');
    caption.className = 'tile-caption';
    const label = doc.createElement('span');
    label.className = 'tile-id';
    label.textContent = boothId;
    const audible = doc.createElement('span');
    audible.className = 'tile-audible';
    audible.textContent = t('audible');
    const elapsed = doc.createElement('time');
    elapsed.className = 'tile-elapsed';
    elapsed.title = t('elapsedHint');
    elapsed.textContent = formatElapsed(0);
    caption.append(label, audible, elapsed);
    root.append(video, caption);
    return { root, video, audible, elapsed, appearedAt: performance.now() };
  };

  return {
    showOfficer(officerId) {
      find<HTMLElement>('officer-id').textContent = officerId;
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
    setSelfView(stream) {
      selfView.srcObject = stream;
      selfView.parentElement?.removeAttribute('hidden');
    },
    showBooths(booths) {
      const wanted = new Set(booths.map((booth) => booth.boothId));
      for (const [boothId, tile] of tiles) {
        if (wanted.has(boothId)) continue;
        tile.root.remove();
        tiles.delete(boothId);
      }
      for (const booth of booths) {
        let tile = tiles.get(booth.boothId);
        if (!tile) {
          tile = createTile(booth.boothId);
          tiles.set(booth.boothId, tile);
        }
        // Appending an element already in place moves it, which keeps the grid in the given order.
        grid.append(tile.root);
        const shown = tile.video.srcObject instanceof MediaStream ? tile.video.srcObject.getVideoTracks()[0] : undefined;
        if (shown !== booth.video) tile.video.srcObject = new MediaStream([booth.video]);
        tile.audible.hidden = !booth.audible;
        tile.root.classList.toggle('is-audible', booth.audible);
      }
      // Near-square shapes keep every tile as large as the screen allows: 1, 2, 2x2, 3x2.
      const columns = Math.min(MAX_COLUMNS, Math.max(1, Math.ceil(Math.sqrt(booths.length))));
      grid.style.setProperty('--columns', String(columns));
      grid.style.setProperty('--rows', String(Math.max(1, Math.ceil(booths.length / columns))));
      empty.hidden = booths.length > 0;
      count.textContent = t('boothCount', { count: booths.length });
    },
    playAudio(sinks) {
      const wanted = new Set(sinks.map((sink) => sink.consumerId));
      for (const [consumerId, audio] of audios) {
        if (wanted.has(consumerId)) continue;
        audio.srcObject = null;
        audio.remove();
        audios.delete(consumerId);
        blocked.delete(audio);
      }
      soundButton.hidden = blocked.size === 0;
      for (const sink of sinks) {
        if (audios.has(sink.consumerId)) continue;
        // One element per track: a single element playing a stream of several audio tracks does not mix them in every browser.
        const audio = doc.createElement('audio');
        audio.autoplay = true;
        audio.srcObject = new MediaStream([sink.track]);
        audioSinks.append(audio);
        audios.set(sink.consumerId, audio);
        play(audio);
      }
    },
  };
}

/** Formats a duration as mm:ss; minutes keep counting past an hour. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${String(minutes).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}
