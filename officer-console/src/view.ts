import { byTestId } from '@bilik/shared/client';
import { LANGUAGE, t, type TextKey } from './strings.js';

/** The header's status line: a state, its text, and optionally a detail and an action. */
export interface Status {
  /** Machine-readable state, set as `data-state` for styling and tests. */
  state: string;
  message: TextKey;
  detail?: string;
  action?: { label: TextKey; run: () => void };
}

/** One booth of the desk as its tile shows it. */
export interface BoothTile {
  boothId: string;
  /** The booth's camera, or null until its track arrives. */
  video: MediaStreamTrack | null;
  /** When the booth's session started, on the `performance.now()` clock. */
  sessionStartedAt: number;
  /** Place in the order of the claimants' calls, or null when this booth is not calling. */
  attentionPlace: number | null;
  speaking: boolean;
}

/** The desk as the server last described it, booths in the server's order. */
export interface DeskScreen {
  capacity: number;
  booths: BoothTile[];
  talkingToBoothId: string | null;
  focusedBoothId: string | null;
}

/** What the officer asks for by clicking or typing; the screen changes only when the server's next desk says so. */
export interface DeskIntents {
  talkTo(boothId: string | null): void;
  focus(boothId: string | null): void;
}

/** A remote audio track to play, keyed by its consumer. */
export interface AudioSink {
  consumerId: string;
  track: MediaStreamTrack;
}

/** The officer console: a header with identity, status and key legend, a grid of booth tiles, a self-view. */
export interface OfficerView {
  /** Shows who is signed in at this console. */
  showOfficer(displayName: string): void;
  /** Replaces the header's status line. */
  showStatus(status: Status): void;
  /** Shows the officer's own camera in the header. */
  setSelfView(stream: MediaStream): void;
  /** Shows the desk (null: none yet), keeping the tiles and videos of booths that stay. */
  showDesk(desk: DeskScreen | null): void;
  /** Says that a command the officer gave failed; it clears itself after a while. */
  showCommandError(message: TextKey, detail: string): void;
  /** Makes exactly these audio tracks play. */
  playAudio(sinks: AudioSink[]): void;
}

interface TileElements {
  root: HTMLElement;
  video: HTMLVideoElement;
  noVideo: HTMLElement;
  attention: HTMLElement;
  talking: HTMLElement;
  voice: HTMLElement;
  key: HTMLElement;
  elapsed: HTMLTimeElement;
  focusButton: HTMLButtonElement;
  sessionStartedAt: number;
}

const MAX_COLUMNS = 3;
const COMMAND_ERROR_MS = 8_000;

/** Binds the console view to the elements of index.html, fills in its texts and turns clicks and keys into `intents`. */
export function createOfficerView(intents: DeskIntents, doc: Document = document): OfficerView {
  const find = byTestId(doc);
  const status = find<HTMLElement>('status');
  const statusMessage = find<HTMLElement>('status-message');
  const statusDetail = find<HTMLElement>('status-detail');
  const statusAction = find<HTMLButtonElement>('status-action');
  const commandError = find<HTMLElement>('command-error');
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
  find<HTMLElement>('sign-out').textContent = t('signOut');
  find<HTMLElement>('self-label').textContent = t('you');
  find<HTMLElement>('key-legend').append(...keyLegend(doc));
  soundButton.textContent = t('enableSound');
  empty.textContent = t('noBooths');

  let runAction: (() => void) | null = null;
  statusAction.addEventListener('click', () => runAction?.());

  let commandErrorTimer: ReturnType<typeof setTimeout> | undefined;

  const tiles = new Map<string, TileElements>();
  let desk: DeskScreen | null = null;

  doc.addEventListener('keydown', (event) => {
    // Leave the browser's own shortcuts (Ctrl+0, Ctrl+F, Alt+1…) alone, and do not resend on key repeat.
    if (!desk || event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
    const talking = desk.talkingToBoothId;
    if (/^[1-9]$/.test(event.key)) {
      const booth = desk.booths[Number(event.key) - 1];
      if (!booth) return;
      intents.talkTo(booth.boothId);
    } else if (event.key === '0') {
      intents.talkTo(null);
    } else if (event.key === 'f' || event.key === 'F') {
      if (talking === null) return;
      intents.focus(desk.focusedBoothId === talking ? null : talking);
    } else if (event.key === 'Escape') {
      intents.focus(null);
    } else {
      return;
    }
    event.preventDefault();
  });

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
    for (const tile of tiles.values()) tile.elapsed.textContent = formatElapsed(now - tile.sessionStartedAt);
  };
  setInterval(tick, 1000);

  const createTile = (boothId: string): TileElements => {
    const root = doc.createElement('article');
    root.className = 'tile';
    root.dataset.testid = 'booth-tile';
    root.dataset.boothId = boothId;
    root.setAttribute('aria-label', t('boothLabel', { id: boothId }));
    root.addEventListener('click', () => intents.talkTo(boothId));

    const video = doc.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    // Booth sound plays through its own audio element; the video must stay muted to autoplay.
    video.muted = true;
    video.setAttribute('muted', '');
    const noVideo = doc.createElement('p');
    noVideo.className = 'tile-no-video';
    noVideo.textContent = t('noVideo');

    const flags = doc.createElement('div');
    flags.className = 'tile-flags';
    const talking = doc.createElement('span');
    talking.className = 'tile-talking';
    talking.textContent = t('talking');
    const attention = doc.createElement('span');
    attention.className = 'tile-attention';
    attention.dataset.testid = 'attention-badge';
    flags.append(talking, attention);

    const caption = doc.createElement('footer');
    caption.className = 'tile-caption';
    const voice = doc.createElement('span');
    voice.className = 'voice';
    voice.dataset.testid = 'voice-indicator';
    voice.setAttribute('role', 'img');
    voice.append(doc.createElement('i'), doc.createElement('i'), doc.createElement('i'));
    const key = doc.createElement('kbd');
    key.className = 'tile-key';
    const label = doc.createElement('span');
    label.className = 'tile-id';
    label.textContent = boothId;
    const elapsed = doc.createElement('time');
    elapsed.className = 'tile-elapsed';
    elapsed.title = t('elapsedHint');
    const focusButton = doc.createElement('button');
    focusButton.type = 'button';
    focusButton.className = 'button tile-focus';
    focusButton.dataset.testid = 'focus-button';
    focusButton.addEventListener('click', (event) => {
      // The button sits on the tile, whose own click means "talk to this booth".
      event.stopPropagation();
      intents.focus(root.dataset.focused === 'true' ? null : boothId);
    });
    caption.append(voice, key, label, elapsed, focusButton);
    root.append(video, noVideo, flags, caption);
    return { root, video, noVideo, attention, talking, voice, key, elapsed, focusButton, sessionStartedAt: 0 };
  };

  const updateTile = (tile: TileElements, booth: BoothTile, position: number, next: DeskScreen): void => {
    const shown = tile.video.srcObject instanceof MediaStream ? (tile.video.srcObject.getVideoTracks()[0] ?? null) : null;
    if (shown !== booth.video) tile.video.srcObject = booth.video ? new MediaStream([booth.video]) : null;
    tile.noVideo.hidden = booth.video !== null;

    const isTalking = next.talkingToBoothId === booth.boothId;
    const isFocused = next.focusedBoothId === booth.boothId;
    tile.root.dataset.talking = String(isTalking);
    tile.root.dataset.focused = String(isFocused);
    tile.root.classList.toggle('is-talking', isTalking);
    tile.root.classList.toggle('is-focused', isFocused);
    tile.root.title = t('talkHint', { key: position });
    tile.talking.hidden = !isTalking;

    tile.attention.hidden = booth.attentionPlace === null;
    tile.root.classList.toggle('is-calling', booth.attentionPlace !== null);
    if (booth.attentionPlace !== null) {
      tile.attention.textContent = t('attention', { place: booth.attentionPlace });
      tile.attention.title = t('attentionHint', { place: booth.attentionPlace });
    }

    tile.voice.dataset.speaking = String(booth.speaking);
    tile.voice.setAttribute('aria-label', t(booth.speaking ? 'speaking' : 'silent'));
    tile.voice.title = t(booth.speaking ? 'speaking' : 'silent');

    tile.key.textContent = String(position);
    tile.focusButton.textContent = t(isFocused ? 'unfocus' : 'focus');
    tile.sessionStartedAt = booth.sessionStartedAt;
    tile.elapsed.textContent = formatElapsed(performance.now() - booth.sessionStartedAt);
  };

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
    setSelfView(stream) {
      selfView.srcObject = stream;
      selfView.parentElement?.removeAttribute('hidden');
    },
    showDesk(next) {
      desk = next;
      const booths = next?.booths ?? [];
      const wanted = new Set(booths.map((booth) => booth.boothId));
      for (const [boothId, tile] of tiles) {
        if (wanted.has(boothId)) continue;
        tile.root.remove();
        tiles.delete(boothId);
      }
      booths.forEach((booth, index) => {
        let tile = tiles.get(booth.boothId);
        if (!tile) {
          tile = createTile(booth.boothId);
          tiles.set(booth.boothId, tile);
        }
        // Only a tile out of place moves, to keep the server's order: moving a tile interrupts its video, and
        // this runs on every desk:changed, voice activity included.
        if (grid.children[index] !== tile.root) grid.insertBefore(tile.root, grid.children[index] ?? null);
        if (next) updateTile(tile, booth, index + 1, next);
      });

      const focused = next?.focusedBoothId != null && wanted.has(next.focusedBoothId);
      // A lone booth already fills the grid; the strip of thumbnails only exists beside others.
      grid.dataset.layout = focused && booths.length > 1 ? 'focus' : 'grid';
      grid.style.setProperty('--thumbs', String(Math.max(1, booths.length - 1)));
      // Near-square shapes keep every tile as large as the screen allows: 1, 2, 2x2, 3x2.
      const columns = Math.min(MAX_COLUMNS, Math.max(1, Math.ceil(Math.sqrt(booths.length))));
      grid.style.setProperty('--columns', String(columns));
      grid.style.setProperty('--rows', String(Math.max(1, Math.ceil(booths.length / columns))));
      grid.classList.toggle('has-talk', next?.talkingToBoothId != null && wanted.has(next.talkingToBoothId));

      empty.hidden = booths.length > 0;
      count.hidden = next === null;
      if (next) count.textContent = t('boothCount', { count: booths.length, capacity: next.capacity });
    },
    showCommandError(message, detail) {
      commandError.textContent = `${t(message)} ${detail}`;
      commandError.title = commandError.textContent;
      commandError.hidden = false;
      clearTimeout(commandErrorTimer);
      // A stale failure would contradict the tiles once the officer's next command succeeds.
      commandErrorTimer = setTimeout(() => (commandError.hidden = true), COMMAND_ERROR_MS);
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

function keyLegend(doc: Document): Node[] {
  const entry = (keys: string, label: TextKey): HTMLElement => {
    const item = doc.createElement('span');
    const kbd = doc.createElement('kbd');
    kbd.textContent = keys;
    item.append(kbd, ` ${t(label)}`);
    return item;
  };
  const title = doc.createElement('span');
  title.className = 'keys-title';
  title.textContent = t('keysLabel');
  return [title, entry('1–6', 'keyTalk'), entry('0', 'keyMute'), entry('F', 'keyFocus'), entry('Esc', 'keyUnfocus')];
}

/** Formats a duration as mm:ss; minutes keep counting past an hour. */
function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${String(minutes).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}
