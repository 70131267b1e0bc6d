/**
 * One booth's tile on the desk, copied from index.html's templates: a seated tile (the booth's
 * media link is at the desk) with its video, flags and controls, or a pending one (its session
 * waits for the booth to connect, or for a lost booth to come back).
 */
import { byPart, fromTemplate } from '@bilik/shared/client';
import type { LivenessChallenge, LivenessVerdict } from '@bilik/shared/liveness';
import { formatClock } from '../format.js';
import { holdLevel } from './holdLevel.js';
import { livenessTaskText, serviceName, t } from '../strings.js';
import type { BoothTile, DeskScreen, PendingBooth, SessionLabel } from '../view.js';

/** What the officer does on a tile, and whose "end session" waits for its second press. */
export interface TileActions {
  talkTo(boothId: string): void;
  focus(boothId: string | null): void;
  pressEnd(boothId: string): void;
  captureDocument(boothId: string): void;
  /** Sets the booth a liveness challenge; resolves with it, or null when it was refused (the console says why). */
  challengeLiveness(boothId: string): Promise<LivenessChallenge | null>;
  /** Records the officer's verdict on the challenge the booth shows and takes it off; resolves with whether the server did. */
  judgeLiveness(boothId: string, challengeId: string, verdict: LivenessVerdict): Promise<boolean>;
  /** Takes the challenge off the booth's screen without a verdict; resolves with whether the server did. */
  clearLiveness(boothId: string): Promise<boolean>;
  /** Clears the booth's "cannot hear" flag without talking to it. */
  dismissCannotHear(boothId: string): void;
  /** Opens the "Pindahkan" dialog for the booth's claimant. */
  transfer(boothId: string): void;
  armedEnd(): string | null;
}

/** A tile of a booth whose media link is seated. */
export interface SeatedTile {
  kind: 'seated';
  root: HTMLElement;
  /** Draws the booth in its seat (its talk key) on `desk`. */
  update(booth: BoothTile, desk: DeskScreen): void;
  /** Counts the session's and the hold's time on. */
  tick(now: number): void;
  drawEnd: (armed: boolean) => void;
  /** Shows the liveness challenge the booth shows, for the officer to judge (null: none). */
  drawLiveness(challenge: LivenessChallenge | null): void;
}

/** A tile of a session whose booth has no media link at the desk. */
export interface PendingTile {
  kind: 'pending';
  root: HTMLElement;
  update(booth: PendingBooth): void;
  drawEnd: (armed: boolean) => void;
}

/** Makes the seated tile of `boothId`. */
export function createSeatedTile(doc: Document, boothId: string, actions: TileActions): SeatedTile {
  const root = tileRoot(doc, 'booth-tile', boothId);
  const part = byPart(root);
  const video = part<HTMLVideoElement>('video');
  // Booth sound plays through its own audio element; the video must stay muted to autoplay.
  video.muted = true;
  const noVideo = part('no-video');
  const talking = part('talking');
  const attention = part('attention');
  const cannotHear = part('cannot-hear');
  const dismissButton = part<HTMLButtonElement>('dismiss-cannot-hear');
  dismissButton.setAttribute('aria-label', t('dismissCannotHearFor', { id: boothId }));
  const away = part('away');
  const reconnecting = part('reconnecting');
  const voice = part('voice');
  const key = part('key');
  const elapsed = part('elapsed');
  const hold = part('hold');
  const focusButton = part<HTMLButtonElement>('focus');
  const selectButton = part<HTMLButtonElement>('select');
  const captureButton = part<HTMLButtonElement>('capture');
  captureButton.setAttribute('aria-label', t('captureDocumentFor', { id: boothId }));
  const livenessButton = part<HTMLButtonElement>('liveness');
  livenessButton.setAttribute('aria-label', t('livenessChallengeFor', { id: boothId }));
  const livenessAsked = part('liveness-asked');
  const livenessTask = part('liveness-task');
  const livenessPassed = part<HTMLButtonElement>('liveness-passed');
  livenessPassed.setAttribute('aria-label', t('livenessPassedFor', { id: boothId }));
  const livenessFailed = part<HTMLButtonElement>('liveness-failed');
  livenessFailed.setAttribute('aria-label', t('livenessFailedFor', { id: boothId }));
  const livenessClear = part<HTMLButtonElement>('liveness-clear');
  livenessClear.setAttribute('aria-label', t('livenessClearFor', { id: boothId }));
  const transferButton = part<HTMLButtonElement>('transfer');
  transferButton.setAttribute('aria-label', t('transferFor', { id: boothId }));
  const transferNote = part('transfer-note');
  const session = sessionParts(root, boothId, actions);
  let sessionStartedAt: number | null = null;
  let waitingSince: number | null = null;

  const drawClocks = (now: number): void => {
    elapsed.textContent = sessionStartedAt === null ? '' : formatClock(now - sessionStartedAt);
    hold.hidden = waitingSince === null;
    if (waitingSince === null) return;
    const waited = now - waitingSince;
    hold.textContent = formatClock(waited);
    hold.dataset.level = holdLevel(waited);
    root.dataset.hold = hold.dataset.level;
  };

  root.addEventListener('click', () => actions.talkTo(boothId));
  focusButton.addEventListener('click', (event) => {
    // The button sits on the tile, whose own click means "talk to this booth".
    event.stopPropagation();
    actions.focus(root.dataset.focused === 'true' ? null : boothId);
  });
  captureButton.addEventListener('click', (event) => {
    event.stopPropagation();
    actions.captureDocument(boothId);
  });
  // What the booth shows, as the server answered: the officer checks the claimant against it, then judges it.
  let shownChallenge: LivenessChallenge | null = null;
  const drawLiveness = (challenge: LivenessChallenge | null): void => {
    shownChallenge = challenge;
    livenessAsked.hidden = challenge === null;
    livenessTask.textContent = challenge === null ? '' : livenessTaskText(challenge.task);
  };
  const judge = (verdict: LivenessVerdict): void => {
    const challenge = shownChallenge;
    if (challenge === null) return;
    void actions.judgeLiveness(boothId, challenge.challengeId, verdict).then((judged) => {
      if (judged && shownChallenge === challenge) drawLiveness(null);
    });
  };
  livenessPassed.addEventListener('click', (event) => {
    event.stopPropagation();
    judge('passed');
  });
  livenessFailed.addEventListener('click', (event) => {
    event.stopPropagation();
    judge('failed');
  });
  livenessButton.addEventListener('click', (event) => {
    event.stopPropagation();
    void actions.challengeLiveness(boothId).then((challenge) => {
      if (challenge) drawLiveness(challenge);
    });
  });
  livenessClear.addEventListener('click', (event) => {
    event.stopPropagation();
    void actions.clearLiveness(boothId).then((cleared) => {
      if (cleared) drawLiveness(null);
    });
  });
  dismissButton.addEventListener('click', (event) => {
    event.stopPropagation();
    actions.dismissCannotHear(boothId);
  });
  transferButton.addEventListener('click', (event) => {
    event.stopPropagation();
    actions.transfer(boothId);
  });

  return {
    kind: 'seated',
    root,
    update(booth, desk) {
      const position = booth.seat;
      const shown = video.srcObject instanceof MediaStream ? (video.srcObject.getVideoTracks()[0] ?? null) : null;
      if (shown !== booth.video) video.srcObject = booth.video ? new MediaStream([booth.video]) : null;
      noVideo.hidden = booth.video !== null;

      const isTalking = desk.talkingToBoothId === boothId;
      const isFocused = desk.focusedBoothId === boothId;
      root.dataset.talking = String(isTalking);
      root.dataset.focused = String(isFocused);
      root.classList.toggle('is-talking', isTalking);
      root.classList.toggle('is-focused', isFocused);
      root.title = t('talkHint', { key: position });
      selectButton.setAttribute('aria-label', t('selectBooth', { id: boothId, key: position }));
      selectButton.setAttribute('aria-pressed', String(isTalking));
      talking.hidden = !isTalking;

      attention.hidden = booth.attentionPlace === null;
      cannotHear.hidden = !booth.cannotHear;
      root.dataset.cannotHear = String(booth.cannotHear);
      // A claimant who cannot hear pulses like a call: either way they wait for the officer's word.
      root.classList.toggle('is-calling', booth.attentionPlace !== null || booth.cannotHear);
      if (booth.attentionPlace !== null) {
        attention.textContent = t('attention', { place: booth.attentionPlace });
        attention.title = t('attentionHint', { place: booth.attentionPlace });
      }

      away.hidden = !booth.session?.boothAway;
      root.dataset.away = String(booth.session?.boothAway ?? false);
      reconnecting.hidden = !booth.reconnecting;
      root.dataset.reconnecting = String(booth.reconnecting);
      session.draw(booth.session);
      const handedOver = booth.session?.transfer ?? null;
      transferNote.hidden = handedOver === null;
      transferNote.textContent =
        handedOver === null
          ? ''
          : [
              t('transferredFrom', { name: handedOver.fromName, note: handedOver.note }),
              ...(handedOver.photos > 0 ? [t('transferredPhotos', { count: handedOver.photos })] : []),
            ].join(' · ');

      voice.dataset.speaking = String(booth.speaking);
      voice.setAttribute('aria-label', t(booth.speaking ? 'speaking' : 'silent'));
      voice.title = t(booth.speaking ? 'speaking' : 'silent');

      key.textContent = String(position);
      focusButton.textContent = t(isFocused ? 'unfocus' : 'focus');
      focusButton.setAttribute('aria-label', t(isFocused ? 'unfocusBooth' : 'focusBooth', { id: boothId }));
      sessionStartedAt = booth.sessionStartedAt;
      waitingSince = booth.waitingSince;
      if (waitingSince === null) delete root.dataset.hold;
      drawClocks(performance.now());
    },
    tick: drawClocks,
    drawEnd: session.drawEnd,
    drawLiveness,
  };
}

/** Makes the pending tile of `boothId`. */
export function createPendingTile(doc: Document, boothId: string, actions: TileActions): PendingTile {
  const root = tileRoot(doc, 'pending-tile', boothId);
  const message = byPart(root)('message');
  const session = sessionParts(root, boothId, actions);
  return {
    kind: 'pending',
    root,
    update(booth) {
      root.dataset.away = String(booth.session.boothAway);
      message.textContent = t(booth.session.boothAway ? 'boothAway' : 'boothConnecting');
      session.draw(booth.session);
    },
    drawEnd: session.drawEnd,
  };
}

function tileRoot(doc: Document, template: string, boothId: string): HTMLElement {
  const root = fromTemplate(doc, template);
  root.dataset.boothId = boothId;
  root.setAttribute('aria-label', t('boothLabel', { id: boothId }));
  byPart(root)('booth-id').textContent = boothId;
  return root;
}

/** The parts of a tile that show its booth's session, on seated and pending tiles alike. */
interface SessionParts {
  /** Shows the session (null: not named yet) and whether its "end session" is armed. */
  draw(session: SessionLabel | null): void;
  drawEnd: (armed: boolean) => void;
}

function sessionParts(root: HTMLElement, boothId: string, actions: TileActions): SessionParts {
  const part = byPart(root);
  const priority = part('priority');
  const service = part('service');
  const ticket = part('ticket');
  const endButton = part<HTMLButtonElement>('end');
  endButton.addEventListener('click', (event) => {
    // The button sits on the tile, whose own click means "talk to this booth".
    event.stopPropagation();
    actions.pressEnd(boothId);
  });

  const drawEnd = (armed: boolean): void => {
    endButton.dataset.armed = String(armed);
    endButton.textContent = t(armed ? 'endSessionConfirm' : 'endSession');
    endButton.setAttribute('aria-label', t(armed ? 'endSessionConfirmFor' : 'endSessionFor', { id: boothId }));
  };

  return {
    draw(session: SessionLabel | null): void {
      priority.hidden = !session?.priority;
      service.hidden = !session;
      service.textContent = session ? serviceName(session.service) : '';
      service.title = service.textContent;
      ticket.hidden = !session?.ticket;
      ticket.textContent = session?.ticket ?? '';
      drawEnd(actions.armedEnd() === boothId);
    },
    drawEnd,
  };
}
