import { io } from 'socket.io-client';
import type { DeskState } from '@bilik/shared';
import { NAMESPACES, PROTOCOL_VERSION } from '@bilik/shared/constants';
import {
  captureCameraAndMicrophone,
  describeError,
  keepDeskLink,
  request,
  type LinkState,
  type MediaSocket,
  type RemoteTrack,
} from '@bilik/shared/client';
import { fetchSession, goToSignIn } from './session.js';
import type { TextKey } from './strings.js';
import { createOfficerView, type DeskScreen, type Status } from './view.js';
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
let socket: MediaSocket | null = null;

const view = createOfficerView({
  talkTo: (boothId) => send('talk:select', boothId, 'talkFailed'),
  focus: (boothId) => send('tile:focus', boothId, 'focusFailed'),
});

fetchSession().then(
  (officer) => {
    if (!officer) {
      goToSignIn('none');
      return;
    }
    view.showOfficer(officer.displayName);
    captureThenConnect();
  },
  (error: unknown) => {
    view.showStatus({ state: 'unreachable', message: 'unreachable', detail: describeError(error), action: { label: 'retry', run: () => location.reload() } });
  },
);

function captureThenConnect(): void {
  view.showStatus({ state: 'capturing', message: 'capturing' });
  captureCameraAndMicrophone().then(
    (localStream) => {
      view.setSelfView(localStream);
      connect(localStream);
    },
    (error: unknown) => {
      view.showStatus({
        state: 'camera-failed',
        message: 'cameraFailed',
        detail: describeError(error),
        action: { label: 'retry', run: () => captureThenConnect() },
      });
    },
  );
}

function connect(localStream: MediaStream): void {
  // Who the officer is comes from the session cookie the browser sends with the handshake.
  const linked: MediaSocket = io(NAMESPACES.officer, {
    auth: { protocolVersion: PROTOCOL_VERSION },
    autoConnect: false,
  });
  socket = linked;
  linked.on('desk:changed', (state) => {
    desk = { state, receivedAt: performance.now() };
    render();
  });
  keepDeskLink(linked, localStream, {
    onStateChanged(state) {
      // Signed out (here or in another tab) or expired: the server closed the socket and refuses it.
      if (state.kind === 'unauthorized') {
        goToSignIn('expired');
        return;
      }
      view.showStatus(statusOf(state));
      // Without a connection the last desk is stale; the server announces a fresh one after reconnecting.
      if (state.kind !== 'joining' && state.kind !== 'live' && desk) {
        desk = null;
        render();
      }
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

/** Asks the server for a talk or focus change; the tiles change only when the server's desk:changed confirms it. */
function send(command: 'talk:select' | 'tile:focus', boothId: string | null, failure: TextKey): void {
  if (!socket?.connected) return;
  request(socket, command, { boothId }).catch((error: unknown) => view.showCommandError(failure, describeError(error)));
}

function render(): void {
  const videos = new Map<string, MediaStreamTrack>();
  for (const entry of boothTracks.values()) if (entry.kind === 'video') videos.set(entry.boothId, entry.track);
  view.showDesk(desk && deskScreen(desk.state, desk.receivedAt, videos));
  // Every audio track plays: the server pauses all but the booth the officer talks to.
  view.playAudio(
    [...boothTracks].filter(([, entry]) => entry.kind === 'audio').map(([consumerId, entry]) => ({ consumerId, track: entry.track })),
  );
}

function deskScreen(state: DeskState, receivedAt: number, videos: Map<string, MediaStreamTrack>): DeskScreen {
  return {
    capacity: state.capacity,
    talkingToBoothId: state.talkingToBoothId,
    focusedBoothId: state.focusedBoothId,
    booths: state.booths.map((booth) => ({
      boothId: booth.boothId,
      video: videos.get(booth.boothId) ?? null,
      sessionStartedAt: receivedAt - booth.inSessionMs,
      attentionPlace: booth.attentionPlace,
      speaking: booth.speaking,
    })),
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
      return { state: state.kind, message: state.kind };
  }
}
