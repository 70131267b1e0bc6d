import { io } from 'socket.io-client';
import type { DeskState, OfficerClientToServerEvents } from '@bilik/shared';
import type { NoOutcomeReason, OutcomeAccepted, OutcomeSubmission, WrapUpCodeView } from '@bilik/shared/outcome';
import type { SessionView, WorkView } from '@bilik/shared/journey';
import type { LivenessChallenge, LivenessVerdict } from '@bilik/shared/liveness';
import { NAMESPACES, PROTOCOL_VERSION } from '@bilik/shared/constants';
import {
  applyTranslations,
  byTestId,
  captureCameraAndMicrophone,
  describeError,
  keepDeskLink,
  request,
  SignalingError,
  type LinkState,
  type OfficerSocket,
  type RemoteTrack,
  type RequestPayload,
} from '@bilik/shared/client';
import { CapturedDocuments } from './documents/capturedDocuments.js';
import { createDocumentCapture } from './documents/documentCapture.js';
import { createDocumentViewer } from './documents/documentViewer.js';
import { createTransferDialog } from './desk/transferDialog.js';
import { createEndPrompt } from './outcome/endPrompt.js';
import { createOutcomePanel } from './outcome/outcomePanel.js';
import { createWrapUpPicker } from './outcome/wrapUpPicker.js';
import { call } from './http/api.js';
import { fetchSession, goToSignIn } from './session.js';
import { LANGUAGE, t, type TextKey } from './strings.js';
import { createOfficerView, type DeskScreen, type SessionLabel, type Status } from './view.js';
import type { WorkScreen } from './workHeader.js';
import './styles.css';

interface BoothTrack {
  boothId: string;
  kind: RemoteTrack['kind'];
  track: MediaStreamTrack;
}

// Keyed by consumer id in arrival order, so the newest video track of a booth is the one shown.
const boothTracks = new Map<string, BoothTrack>();
// The desk as last announced, and when it arrived: its durations count from that moment.
let desk: { state: DeskState; receivedAt: number } | null = null;
// The officer's work as last announced, and when it arrived: the wrap-up countdown starts from that moment.
let work: { view: WorkView; receivedAt: number } | null = null;
let socket: OfficerSocket | null = null;

// The page's fixed texts, named by data-i18n in index.html and its templates.
document.documentElement.lang = LANGUAGE;
applyTranslations(document, t);

const view = createOfficerView({
  talkTo: (boothId) => send('talk:select', { boothId }, 'talkFailed'),
  focus: (boothId) => send('tile:focus', { boothId }, 'focusFailed'),
  setWork: (requested) => send('work:set', requested, 'workFailed'),
  endSession: (boothId) => endPrompt.ask(boothId),
  captureDocument: (boothId) => documentCapture.capture(boothId),
  challengeLiveness,
  judgeLiveness,
  clearLiveness,
  dismissCannotHear: (boothId) => send('hearing:dismiss', { boothId }, 'dismissFailed'),
  transfer: (boothId) => transferDialog.open(boothId),
});

const capturedDocuments = new CapturedDocuments();
const documentCapture = createDocumentCapture(
  {
    request: (boothId) => (socket ? request(socket, 'document:request', { boothId }) : Promise.reject(new Error('not connected yet'))),
    documents: capturedDocuments,
    viewer: createDocumentViewer((boothId) => documentCapture.capture(boothId)),
    describe: describeError,
  },
  (boothId) => work?.view.sessions.find((session) => session.boothId === boothId)?.visitId ?? null,
);
const transferDialog = createTransferDialog({
  targets: (boothId) => (socket ? request(socket, 'transfer:targets', { boothId }) : Promise.reject(new Error('not connected yet'))),
  transfer: (boothId, target, note) =>
    socket ? request(socket, 'visit:transfer', { boothId, target, note }) : Promise.reject(new Error('not connected yet')),
  describe: describeError,
});
const endPrompt = createEndPrompt({
  decided: (boothId) => {
    const visitId = work?.view.sessions.find((session) => session.boothId === boothId)?.visitId;
    return visitId !== undefined && outcomePanel.decided(visitId);
  },
  end: endSession,
});
const wrapUpPicker = createWrapUpPicker({
  loadCodes: (branchId) => call<WrapUpCodeView[]>('GET', `/api/branches/${encodeURIComponent(branchId)}/wrap-up-codes`),
  file: (visitId, codeId) =>
    socket ? request(socket, 'wrapup:file', { visitId, codeId }) : Promise.reject(new Error('not connected yet')),
  settled: (error) => error instanceof SignalingError && (error.code === 'INVALID_STATE' || error.code === 'ALREADY_DECIDED'),
  describe: describeError,
});
const outcomePanel = createOutcomePanel(byTestId(document)('outcome-panel'), {
  submit: submitOutcome,
  documents: capturedDocuments,
  describe: describeError,
});

fetchSession().then(
  (officer) => {
    if (!officer) {
      goToSignIn('none');
      return;
    }
    view.showOfficer(officer.displayName);
    captureAndConnect();
  },
  (error: unknown) => {
    view.showStatus({
      state: 'unreachable',
      message: 'unreachable',
      detail: describeError(error),
      action: { label: 'retry', run: () => location.reload() },
    });
  },
);

/**
 * Opens the officer's camera and microphone and, without waiting for them, the desk link: the
 * booths show while a laptop's camera takes its second or so to open, and the officer is sent to
 * them once it has. A camera that cannot be opened ends the link until the officer retries.
 */
function captureAndConnect(): void {
  view.showStatus({ state: 'capturing', message: 'capturing' });
  const capturing = captureCameraAndMicrophone();
  const stopLink = connect(capturing);
  capturing.then(
    (localStream) => view.setSelfView(localStream),
    (error: unknown) => {
      stopLink();
      forgetDeskAndWork();
      view.showStatus({
        state: 'camera-failed',
        message: 'cameraFailed',
        detail: describeError(error),
        action: { label: 'retry', run: () => captureAndConnect() },
      });
    },
  );
}

/** Without a link the last desk and work shown are stale; the server announces fresh ones after reconnecting. */
function forgetDeskAndWork(): void {
  if (!desk && !work) return;
  desk = null;
  work = null;
  render();
}

/** Connects the desk link, sending `localStream` once it is open; returns what ends the link. */
function connect(localStream: Promise<MediaStream>): () => void {
  // Who the officer is comes from the session cookie the browser sends with the handshake.
  const linked: OfficerSocket = io(NAMESPACES.officer, {
    // Opened by the officer: coming on duty, they start not ready until they press "Siap".
    auth: { protocolVersion: PROTOCOL_VERSION, startNotReady: true },
    autoConnect: false,
  });
  socket = linked;
  linked.on('desk:changed', (state) => {
    showBargeIn(state.bargedBoothIds);
    desk = { state, receivedAt: performance.now() };
    render();
  });
  linked.on('document:captured', (payload) => documentCapture.captured(payload));
  linked.on('liveness:showing', ({ boothId, challenge }) => view.showLiveness(boothId, challenge));
  linked.on('work:recalled', (recall) => view.showRecall(recall));
  linked.on('work:changed', (announced) => {
    work = { view: announced, receivedAt: performance.now() };
    // Only an announced view says a session ended; a lost connection (work = null) forgets no form.
    outcomePanel.keepVisits(announced.sessions);
    documentCapture.keepVisits(announced.sessions);
    render();
  });
  return keepDeskLink(linked, localStream, {
    onStateChanged(state) {
      // Signed out (here or in another tab) or expired: the server closed the socket and refuses it.
      if (state.kind === 'unauthorized') {
        goToSignIn('expired');
        return;
      }
      view.showStatus(statusOf(state));
      if (state.kind !== 'joining' && state.kind !== 'live' && state.kind !== 'recovering') forgetDeskAndWork();
    },
    onTrackAdded(remote) {
      if (remote.source.role !== 'booth') return;
      boothTracks.set(remote.consumerId, { boothId: remote.source.id, kind: remote.kind, track: remote.track });
      render();
    },
    onTrackRemoved(consumerId) {
      if (boothTracks.delete(consumerId)) render();
    },
    // The server pauses every booth's audio but the one the officer talks to; the tiles take that from the desk.
    onTrackPausedChanged() {},
  });
}

type OfficerCommand = 'talk:select' | 'tile:focus' | 'work:set' | 'hearing:dismiss';

/**
 * Sends one of the officer's commands; the screen changes only when the server's desk:changed or
 * work:changed confirms it, so that it always shows what the server decided.
 */
function send<E extends OfficerCommand>(command: E, payload: RequestPayload<OfficerClientToServerEvents, E>, failure: TextKey): void {
  if (!socket?.connected) return;
  request(socket, command, payload).catch((error: unknown) => view.showCommandError(failure, describeError(error)));
}

/** Sets the booth a liveness challenge: the server makes it, shows it on the booth, and answers with it. */
function challengeLiveness(boothId: string): Promise<LivenessChallenge | null> {
  if (!socket?.connected) return Promise.resolve(null);
  return request(socket, 'liveness:challenge', { boothId }).catch((error: unknown) => {
    view.showCommandError('livenessFailed', describeError(error));
    return null;
  });
}

/** Records the officer's verdict on the challenge the booth shows; the server then takes it off the booth's screen. */
function judgeLiveness(boothId: string, challengeId: string, verdict: LivenessVerdict): Promise<boolean> {
  if (!socket?.connected) return Promise.resolve(false);
  return request(socket, 'liveness:judge', { boothId, challengeId, verdict }).then(
    () => true,
    (error: unknown) => {
      view.showCommandError('livenessJudgeFailed', describeError(error));
      return false;
    },
  );
}

/** Takes the booth's liveness challenge off its screen without a verdict. */
function clearLiveness(boothId: string): Promise<boolean> {
  if (!socket?.connected) return Promise.resolve(false);
  return request(socket, 'liveness:clear', { boothId }).then(
    () => true,
    (error: unknown) => {
      view.showCommandError('livenessClearFailed', describeError(error));
      return false;
    },
  );
}

/**
 * Ends a booth's session. A decision this console does not know of (sent before a reload) makes the
 * server refuse a "no outcome" reason with ALREADY_DECIDED: the visit has its outcome, so it ends
 * without one.
 */
function endSession(boothId: string, noOutcomeReason: NoOutcomeReason | null): void {
  if (!socket?.connected) return;
  const linked = socket;
  const session = work?.view.sessions.find((shown) => shown.boothId === boothId);
  request(linked, 'session:end', { boothId, noOutcomeReason })
    .catch((error: unknown) => {
      if (noOutcomeReason !== null && error instanceof SignalingError && error.code === 'ALREADY_DECIDED') {
        return request(linked, 'session:end', { boothId, noOutcomeReason: null });
      }
      throw error;
    })
    .then(
      () => {
        if (session !== undefined) wrapUpPicker.ended({ visitId: session.visitId, boothId, branchId: session.branchId });
      },
      (error: unknown) => view.showCommandError('endFailed', describeError(error)),
    );
}

/**
 * Sends the officer's decision. While the link is down it fails at once, as it does when the link
 * drops before the answer or the answer never comes; the form's retry sends the same submission id.
 */
function submitOutcome(submission: OutcomeSubmission): Promise<OutcomeAccepted> {
  if (!socket) return Promise.reject(new Error('not connected yet'));
  return request(socket, 'outcome:submit', submission);
}

function render(): void {
  const videos = new Map<string, MediaStreamTrack>();
  for (const entry of boothTracks.values()) if (entry.kind === 'video') videos.set(entry.boothId, entry.track);
  view.showWork(work && workScreen(work.view, work.receivedAt));
  view.showDesk(deskScreen(videos));
  outcomePanel.show(servedSession());
  // Every audio track plays: the server pauses all but the booth the officer talks to.
  view.playAudio(
    [...boothTracks].filter(([, entry]) => entry.kind === 'audio').map(([consumerId, entry]) => ({ consumerId, track: entry.track })),
  );
}

/** Tells the officer which booths hear a supervisor who barged in (the server's desk state says so); hidden when none. */
function showBargeIn(boothIds: readonly string[]): void {
  const notice = document.querySelector<HTMLElement>('[data-testid="barge-notice"]')!;
  notice.hidden = boothIds.length === 0;
  notice.textContent = boothIds.length === 0 ? '' : t('bargedIn', { booths: boothIds.join(', ') });
}

function workScreen(announced: WorkView, receivedAt: number): WorkScreen {
  return {
    state: announced.state,
    wrapUpEndsAt: announced.state === 'wrap_up' && announced.wrapUpEndsInMs !== null ? receivedAt + announced.wrapUpEndsInMs : null,
    pause: announced.pause && { reason: announced.pause.reason, since: receivedAt - announced.pause.forMs },
    waitingClaimants: announced.waitingClaimants,
  };
}

/**
 * The desk's booths (media seated) joined with the officer's sessions: a session whose booth is not
 * seated yet shows as pending. Null until either has been announced.
 */
function deskScreen(videos: Map<string, MediaStreamTrack>): DeskScreen | null {
  if (!desk && !work) return null;
  const sessions = work?.view.sessions ?? [];
  const labels = new Map(sessions.map((session) => [session.boothId, sessionLabel(session)]));
  // The session's clock is the scheduler's, which a reload or a restart of the desk does not reset.
  const startedAt = new Map(sessions.map((session) => [session.boothId, (work?.receivedAt ?? 0) - session.assignedForMs]));
  const seated = desk?.state.booths ?? [];
  const seatedIds = new Set(seated.map((booth) => booth.boothId));
  const seatedAt = desk?.receivedAt ?? 0;
  return {
    // The scheduler's capacity is the officer's own; the desk's stands in until the work view arrives.
    capacity: work?.view.capacity ?? desk?.state.capacity ?? 0,
    sessions: work ? sessions.length : seated.length,
    talkingToBoothId: desk?.state.talkingToBoothId ?? null,
    focusedBoothId: desk?.state.focusedBoothId ?? null,
    booths: seated.map((booth) => ({
      boothId: booth.boothId,
      seat: booth.seat,
      session: labels.get(booth.boothId) ?? null,
      video: videos.get(booth.boothId) ?? null,
      sessionStartedAt: startedAt.get(booth.boothId) ?? null,
      waitingSince: booth.waitingMs === null ? null : seatedAt - booth.waitingMs,
      attentionPlace: booth.attentionPlace,
      cannotHear: booth.cannotHear,
      speaking: booth.speaking,
      reconnecting: booth.reconnecting,
    })),
    pending: sessions
      .filter((session) => !seatedIds.has(session.boothId))
      .map((session) => ({ boothId: session.boothId, session: sessionLabel(session) })),
  };
}

/** The session of the booth the officer talks to, or else has enlarged: the one the checklist panel follows. */
function servedSession(): SessionView | null {
  const boothId = desk?.state.talkingToBoothId ?? desk?.state.focusedBoothId ?? null;
  return work?.view.sessions.find((session) => session.boothId === boothId) ?? null;
}

function sessionLabel(session: SessionView): SessionLabel {
  const handedOver = session.transfer;
  return {
    service: session.service,
    ticket: session.ticket,
    priority: session.priority,
    boothAway: session.boothAway,
    transfer: handedOver && {
      fromName: handedOver.fromName ?? t('transferredUnknownOfficer'),
      note: handedOver.note,
      photos: handedOver.documents.length,
    },
  };
}

/** The header's line for every state but 'unauthorized', which leaves for the sign-in page instead. */
function statusOf(state: Exclude<LinkState, { kind: 'unauthorized' }>): Status {
  switch (state.kind) {
    case 'unreachable':
    case 'refused':
    case 'failed':
      return { state: state.kind, message: state.kind, detail: state.detail };
    case 'connecting':
    case 'joining':
    case 'live':
    case 'reconnecting':
    case 'recovering':
      return { state: state.kind, message: state.kind };
  }
}
