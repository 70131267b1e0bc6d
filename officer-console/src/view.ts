import { byTestId } from '@bilik/shared/client';
import type { Service } from '@bilik/shared/journey';
import { formatClock } from './format.js';
import { pressTwice } from './pressTwice.js';
import { LANGUAGE, serviceName, t, type TextKey } from './strings.js';
import { isTextEntry } from './textEntry.js';
import { createWorkHeader, type RequestedWorkState, type WorkScreen } from './workHeader.js';

/** The header's status line: a state, its text, and optionally a detail and an action. */
export interface Status {
  /** Machine-readable state, set as `data-state` for styling and tests. */
  state: string;
  message: TextKey;
  detail?: string;
  action?: { label: TextKey; run: () => void };
}

/** What a tile shows of its booth's session, from the officer's work view. */
export interface SessionLabel {
  service: Service;
  ticket: string | null;
  priority: boolean;
  /** The booth's connection is lost; the server keeps its session for a grace period. */
  boothAway: boolean;
}

/** One booth of the desk (its media link is seated) as its tile shows it. */
export interface BoothTile {
  boothId: string;
  /** Null until the work view names this booth's session. */
  session: SessionLabel | null;
  /** The booth's camera, or null until its track arrives. */
  video: MediaStreamTrack | null;
  /** When the booth's session started, on the `performance.now()` clock. */
  sessionStartedAt: number;
  /** Place in the order of the claimants' calls, or null when this booth is not calling. */
  attentionPlace: number | null;
  speaking: boolean;
}

/** A session of the officer whose booth has no media link at the desk: still connecting, or lost. */
export interface PendingBooth {
  boothId: string;
  session: SessionLabel;
}

/** The desk as the server last described it, booths in the server's order. */
export interface DeskScreen {
  capacity: number;
  /** How many sessions the officer has; the slots left free are `capacity` minus these. */
  sessions: number;
  booths: BoothTile[];
  /** After the booths: they get no key, as there is nobody to talk to yet. */
  pending: PendingBooth[];
  talkingToBoothId: string | null;
  focusedBoothId: string | null;
}

/** What the officer asks for by clicking or typing; the screen changes only when the server's next announcement says so. */
export interface DeskIntents {
  talkTo(boothId: string | null): void;
  focus(boothId: string | null): void;
  setWork(state: RequestedWorkState): void;
  endSession(boothId: string): void;
  /** Have the booth photograph the document the claimant holds up. */
  captureDocument(boothId: string): void;
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
  /** Shows the officer's work state in the header (null: not known). */
  showWork(work: WorkScreen | null): void;
  /** Shows the desk (null: none yet), keeping the tiles and videos of booths that stay. */
  showDesk(desk: DeskScreen | null): void;
  /** Says that a command the officer gave failed; it clears itself after a while. */
  showCommandError(message: TextKey, detail: string): void;
  /** Makes exactly these audio tracks play. */
  playAudio(sinks: AudioSink[]): void;
}

/** The parts of a tile that show its booth's session, on seated and pending tiles alike. */
interface SessionParts {
  priority: HTMLElement;
  service: HTMLElement;
  ticket: HTMLElement;
  endButton: HTMLButtonElement;
}

interface TileElements extends SessionParts {
  root: HTMLElement;
  video: HTMLVideoElement;
  noVideo: HTMLElement;
  attention: HTMLElement;
  talking: HTMLElement;
  away: HTMLElement;
  voice: HTMLElement;
  key: HTMLElement;
  elapsed: HTMLTimeElement;
  focusButton: HTMLButtonElement;
  sessionStartedAt: number;
}

interface PendingElements extends SessionParts {
  root: HTMLElement;
  message: HTMLElement;
}

const MAX_COLUMNS = 3;
const COMMAND_ERROR_MS = 8_000;
/** How long the first press of "Selesai" (or E) waits for the second. */
const END_CONFIRM_MS = 3_000;

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
  const pendingTiles = new Map<string, PendingElements>();
  let desk: DeskScreen | null = null;

  const work = createWorkHeader(find, (state) => intents.setWork(state));

  const drawEndButton = (button: HTMLButtonElement, armed: boolean): void => {
    button.dataset.armed = String(armed);
    button.textContent = t(armed ? 'endSessionConfirm' : 'endSession');
  };
  const ending = pressTwice(END_CONFIRM_MS, (armed) => {
    for (const [boothId, parts] of [...tiles, ...pendingTiles]) drawEndButton(parts.endButton, boothId === armed);
  });
  const pressEnd = (boothId: string): void => {
    if (ending.press(boothId)) intents.endSession(boothId);
  };

  /** Acts on one key of the legend; false for keys the console leaves to the browser. */
  const handleKey = (key: string): boolean => {
    if (key === 'p' || key === 'P') {
      work.toggle();
      return true;
    }
    if (!desk) return false;
    const talking = desk.talkingToBoothId;
    if (/^[1-9]$/.test(key)) {
      const booth = desk.booths[Number(key) - 1];
      if (!booth) return false;
      intents.talkTo(booth.boothId);
    } else if (key === '0') {
      intents.talkTo(null);
    } else if (key === 'f' || key === 'F') {
      if (talking === null) return false;
      intents.focus(desk.focusedBoothId === talking ? null : talking);
    } else if (key === 'e' || key === 'E') {
      if (talking === null) return false;
      pressEnd(talking);
    } else if (key === 'a' || key === 'A') {
      if (talking === null) return false;
      intents.captureDocument(talking);
    } else if (key === 'Escape') {
      ending.cancel();
      intents.focus(null);
    } else {
      return false;
    }
    return true;
  };

  doc.addEventListener('keydown', (event) => {
    // Leave the browser's own shortcuts (Ctrl+0, Ctrl+F, Alt+1…) alone, and do not resend on key repeat.
    if (event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
    // Letters and digits typed into a note are text, not commands (E twice would end a session).
    if (isTextEntry(event.target)) return;
    if (handleKey(event.key)) event.preventDefault();
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
    for (const tile of tiles.values()) tile.elapsed.textContent = formatClock(now - tile.sessionStartedAt);
  };
  setInterval(tick, 1000);

  const createSessionParts = (boothId: string): SessionParts => {
    const priority = doc.createElement('span');
    priority.className = 'badge badge-priority';
    priority.dataset.testid = 'priority-badge';
    priority.textContent = t('priority');
    priority.title = t('priorityHint');
    const service = doc.createElement('span');
    service.className = 'tile-service';
    service.dataset.testid = 'booth-service';
    const ticket = doc.createElement('span');
    ticket.className = 'tile-ticket';
    ticket.dataset.testid = 'booth-ticket';
    ticket.title = t('ticketHint');
    const endButton = doc.createElement('button');
    endButton.type = 'button';
    endButton.className = 'button tile-end';
    endButton.dataset.testid = 'end-session';
    endButton.title = t('endSessionHint');
    endButton.addEventListener('click', (event) => {
      // The button sits on the tile, whose own click means "talk to this booth".
      event.stopPropagation();
      pressEnd(boothId);
    });
    return { priority, service, ticket, endButton };
  };

  const updateSessionParts = (parts: SessionParts, boothId: string, session: SessionLabel | null): void => {
    parts.priority.hidden = !session?.priority;
    parts.service.hidden = !session;
    parts.service.textContent = session ? serviceName(session.service) : '';
    parts.service.title = parts.service.textContent;
    parts.ticket.hidden = !session?.ticket;
    parts.ticket.textContent = session?.ticket ?? '';
    drawEndButton(parts.endButton, ending.armed() === boothId);
  };

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
    const away = doc.createElement('span');
    away.className = 'tile-away';
    away.dataset.testid = 'booth-away';
    away.textContent = t('boothAway');
    const session = createSessionParts(boothId);
    flags.append(talking, attention, away, session.priority);

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
      event.stopPropagation();
      intents.focus(root.dataset.focused === 'true' ? null : boothId);
    });
    const captureButton = doc.createElement('button');
    captureButton.type = 'button';
    captureButton.className = 'button tile-capture';
    captureButton.dataset.testid = 'capture-document';
    captureButton.textContent = t('captureDocument');
    captureButton.title = t('captureDocumentHint');
    captureButton.addEventListener('click', (event) => {
      event.stopPropagation();
      intents.captureDocument(boothId);
    });
    caption.append(voice, key, label, session.service, session.ticket, elapsed, captureButton, focusButton, session.endButton);
    root.append(video, noVideo, flags, caption);
    return { ...session, root, video, noVideo, attention, talking, away, voice, key, elapsed, focusButton, sessionStartedAt: 0 };
  };

  const createPendingTile = (boothId: string): PendingElements => {
    const root = doc.createElement('article');
    root.className = 'tile tile-pending';
    root.dataset.testid = 'booth-connecting';
    root.dataset.boothId = boothId;
    root.setAttribute('aria-label', t('boothLabel', { id: boothId }));
    const session = createSessionParts(boothId);
    const flags = doc.createElement('div');
    flags.className = 'tile-flags';
    flags.append(session.priority);
    const message = doc.createElement('p');
    message.className = 'tile-pending-message';
    const caption = doc.createElement('footer');
    caption.className = 'tile-caption';
    const label = doc.createElement('span');
    label.className = 'tile-id';
    label.textContent = boothId;
    caption.append(label, session.service, session.ticket, session.endButton);
    root.append(flags, message, caption);
    return { ...session, root, message };
  };

  const updatePendingTile = (tile: PendingElements, booth: PendingBooth): void => {
    tile.root.dataset.away = String(booth.session.boothAway);
    tile.message.textContent = t(booth.session.boothAway ? 'boothAway' : 'boothConnecting');
    updateSessionParts(tile, booth.boothId, booth.session);
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

    tile.away.hidden = !booth.session?.boothAway;
    tile.root.dataset.away = String(booth.session?.boothAway ?? false);
    updateSessionParts(tile, booth.boothId, booth.session);

    tile.voice.dataset.speaking = String(booth.speaking);
    tile.voice.setAttribute('aria-label', t(booth.speaking ? 'speaking' : 'silent'));
    tile.voice.title = t(booth.speaking ? 'speaking' : 'silent');

    tile.key.textContent = String(position);
    tile.focusButton.textContent = t(isFocused ? 'unfocus' : 'focus');
    tile.sessionStartedAt = booth.sessionStartedAt;
    tile.elapsed.textContent = formatClock(performance.now() - booth.sessionStartedAt);
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
    showWork(next) {
      work.show(next);
      empty.textContent = t(next?.state === 'paused' ? 'noBoothsPaused' : 'noBooths');
    },
    showDesk(next) {
      desk = next;
      const booths = next?.booths ?? [];
      const pending = next?.pending ?? [];
      const wanted = new Set(booths.map((booth) => booth.boothId));
      const wantedPending = new Set(pending.map((booth) => booth.boothId));
      for (const [boothId, tile] of tiles) {
        if (wanted.has(boothId)) continue;
        tile.root.remove();
        tiles.delete(boothId);
      }
      for (const [boothId, tile] of pendingTiles) {
        if (wantedPending.has(boothId)) continue;
        tile.root.remove();
        pendingTiles.delete(boothId);
      }
      const place = (root: HTMLElement, index: number): void => {
        // Only a tile out of place moves, to keep the server's order: moving a tile interrupts its video, and
        // this runs on every desk:changed, voice activity included.
        if (grid.children[index] !== root) grid.insertBefore(root, grid.children[index] ?? null);
      };
      booths.forEach((booth, index) => {
        let tile = tiles.get(booth.boothId);
        if (!tile) {
          tile = createTile(booth.boothId);
          tiles.set(booth.boothId, tile);
        }
        place(tile.root, index);
        if (next) updateTile(tile, booth, index + 1, next);
      });
      pending.forEach((booth, index) => {
        let tile = pendingTiles.get(booth.boothId);
        if (!tile) {
          tile = createPendingTile(booth.boothId);
          pendingTiles.set(booth.boothId, tile);
        }
        place(tile.root, booths.length + index);
        updatePendingTile(tile, booth);
      });

      const shown = booths.length + pending.length;
      const focused = next?.focusedBoothId != null && wanted.has(next.focusedBoothId);
      // A lone booth already fills the grid; the strip of thumbnails only exists beside others.
      grid.dataset.layout = focused && shown > 1 ? 'focus' : 'grid';
      grid.style.setProperty('--thumbs', String(Math.max(1, shown - 1)));
      // Near-square shapes keep every tile as large as the screen allows: 1, 2, 2x2, 3x2.
      const columns = Math.min(MAX_COLUMNS, Math.max(1, Math.ceil(Math.sqrt(shown))));
      grid.style.setProperty('--columns', String(columns));
      grid.style.setProperty('--rows', String(Math.max(1, Math.ceil(shown / columns))));
      grid.classList.toggle('has-talk', next?.talkingToBoothId != null && wanted.has(next.talkingToBoothId));

      empty.hidden = shown > 0;
      count.hidden = next === null;
      if (next) {
        const free = Math.max(0, next.capacity - next.sessions);
        count.dataset.freeSlots = String(free);
        count.textContent = t('boothCount', { count: next.sessions, capacity: next.capacity, free });
      }
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
  return [
    title,
    entry('1–6', 'keyTalk'),
    entry('0', 'keyMute'),
    entry('F', 'keyFocus'),
    entry('Esc', 'keyUnfocus'),
    entry('E', 'keyEnd'),
    entry('A', 'keyCapture'),
    entry('P', 'keyWork'),
  ];
}
