/**
 * The officer console's view: the header, the grid of booth tiles, the booths' sound and the
 * keyboard shortcuts, each in its own module under desk/; this one puts them together.
 */
import { byTestId } from '@bilik/shared/client';
import type { Service, WorkRecall } from '@bilik/shared/journey';
import type { LivenessChallenge, LivenessVerdict } from '@bilik/shared/liveness';
import { createBoothAudio } from './desk/audio.js';
import { createCallAlert } from './desk/callAlert.js';
import { createDeskAnnouncer } from './desk/deskAnnouncer.js';
import { bindDeskKeys, TALK_KEYS, type DeskCommand } from './desk/deskKeys.js';
import { createDeskHeader } from './desk/header.js';
import { createTileGrid } from './desk/tileGrid.js';
import { t, type TextKey } from './strings.js';
import { createWorkHeader, PAUSE_TEXT, type RequestedWork, type WorkScreen } from './workHeader.js';

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
  /** Handed over by another officer: who, their note, and how many document photos came with the visit; null otherwise. */
  transfer: { fromName: string; note: string; photos: number } | null;
}

/** One booth of the desk (its media link is seated) as its tile shows it. */
export interface BoothTile {
  boothId: string;
  /** Its seat at the desk: the tile's place and talk key, kept while the session lasts. */
  seat: number;
  /** Null until the work view names this booth's session. */
  session: SessionLabel | null;
  /** The booth's camera, or null until its track arrives. */
  video: MediaStreamTrack | null;
  /** When the booth's session started, on the `performance.now()` clock; null until the work view names it. */
  sessionStartedAt: number | null;
  /** Since when the claimant waits for the officer's word, on the `performance.now()` clock; null while talked to. */
  waitingSince: number | null;
  /** Place in the order of the claimants' calls, or null when this booth is not calling. */
  attentionPlace: number | null;
  /** The claimant pressed "Saya tidak bisa mendengar" and the officer has not talked to them or dismissed it since. */
  cannotHear: boolean;
  speaking: boolean;
  /** The booth's link is not at the desk or its media path is down; it is coming back by itself. */
  reconnecting: boolean;
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
  setWork(work: RequestedWork): void;
  endSession(boothId: string): void;
  /** Have the booth photograph the document the claimant holds up. */
  captureDocument(boothId: string): void;
  /** Set the booth a liveness challenge; resolves with it, or null when refused. */
  challengeLiveness(boothId: string): Promise<LivenessChallenge | null>;
  /** Record the officer's verdict on the challenge the booth shows and take it off; resolves with whether the server did. */
  judgeLiveness(boothId: string, challengeId: string, verdict: LivenessVerdict): Promise<boolean>;
  /** Take the booth's liveness challenge off its screen without a verdict; resolves with whether it was. */
  clearLiveness(boothId: string): Promise<boolean>;
  /** Clear a booth's "cannot hear" flag without talking to it. */
  dismissCannotHear(boothId: string): void;
  /** Open the "Pindahkan" dialog: hand the booth's claimant to another officer or back to the queue. */
  transfer(boothId: string): void;
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
  /** Shows a supervisor's request to come back from a break, until dismissed or the officer takes booths. */
  showRecall(recall: WorkRecall): void;
  /** Shows the desk (null: none yet), keeping the tiles and videos of booths that stay. */
  showDesk(desk: DeskScreen | null): void;
  /** Says that a command the officer gave failed; it clears itself after a while. */
  showCommandError(message: TextKey, detail: string): void;
  /** Shows on the booth's tile the liveness challenge the booth shows, set before this console opened. */
  showLiveness(boothId: string, challenge: LivenessChallenge): void;
  /** Makes exactly these audio tracks play. */
  playAudio(sinks: AudioSink[]): void;
}

/** Binds the console view to the elements of index.html (translated already) and turns clicks and keys into `intents`. */
export function createOfficerView(intents: DeskIntents, doc: Document = document): OfficerView {
  const find = byTestId(doc);
  find<HTMLElement>('talk-keys').textContent = TALK_KEYS;
  const empty = find<HTMLElement>('no-booths');
  empty.textContent = t('noBooths');

  const header = createDeskHeader(find);
  const work = createWorkHeader(find, (requested) => intents.setWork(requested), doc);
  const grid = createTileGrid(find<HTMLElement>('booth-grid'), intents, doc);
  const audio = createBoothAudio(find<HTMLElement>('booth-audio'), find<HTMLButtonElement>('sound-button'), doc);
  const calls = createCallAlert(doc);
  const announcer = createDeskAnnouncer(find<HTMLElement>('desk-announcements'));
  let desk: DeskScreen | null = null;

  const run = (command: DeskCommand): void => {
    switch (command.kind) {
      case 'talk':
        intents.talkTo(command.boothId);
        break;
      case 'focus':
        intents.focus(command.boothId);
        break;
      case 'end':
        grid.pressEnd(command.boothId);
        break;
      case 'capture':
        intents.captureDocument(command.boothId);
        break;
      case 'toggleWork':
        work.toggle();
        break;
      case 'escape':
        grid.cancelEnd();
        intents.focus(null);
        break;
    }
  };
  bindDeskKeys(doc, () => desk, run);

  return {
    showOfficer: header.showOfficer,
    showStatus: header.showStatus,
    setSelfView: header.setSelfView,
    showCommandError: header.showCommandError,
    showRecall: (recall) => work.showRecall(recall),
    showWork(next) {
      work.show(next);
      const pause = next?.state === 'paused' ? next.pause : null;
      const situation =
        pause === null
          ? t('noBooths')
          : pause.reason === 'not_ready'
            ? t('noBoothsNotReady')
            : t('noBoothsPaused', { reason: t(PAUSE_TEXT[pause.reason]).toLowerCase() });
      empty.textContent = next ? `${situation} ${t('claimantsWaiting', { count: next.waitingClaimants })}` : situation;
      empty.dataset.waiting = String(next?.waitingClaimants ?? '');
    },
    showDesk(next) {
      desk = next;
      grid.show(next);
      // Not while disconnected: the calls still standing when the desk is back must not chime again.
      if (next) {
        // A claimant who cannot hear the officer needs them as much as one who calls.
        calls.show(next.booths.filter((booth) => booth.attentionPlace !== null || booth.cannotHear).map((booth) => booth.boothId));
        announcer.show(next);
      }
      empty.hidden = (next?.booths.length ?? 0) + (next?.pending.length ?? 0) > 0;
      header.showCount(next && { sessions: next.sessions, capacity: next.capacity });
    },
    showLiveness: grid.showLiveness,
    playAudio: audio.play,
  };
}
