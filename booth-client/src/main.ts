import { io } from 'socket.io-client';
import { NAMESPACES, PROTOCOL_VERSION } from '@bilik/shared';
import {
  captureCameraAndMicrophone,
  describeCaptureError,
  keepDeskLink,
  readIdParam,
  type LinkState,
  type MediaSocket,
  type RemoteTrack,
} from '@bilik/shared/client';
import { createBoothView, type Status } from './view.js';
import './styles.css';

interface OfficerTrack {
  kind: RemoteTrack['kind'];
  track: MediaStreamTrack;
  paused: boolean;
}

const view = createBoothView();
// Keyed by consumer id in arrival order, so the newest track of a kind is the one shown.
const officerTracks = new Map<string, OfficerTrack>();
let link: LinkState = { kind: 'connecting' };

const boothId = readIdParam(location.search, 'boothId', 'bilik-1');
if (boothId) {
  captureThenConnect(boothId);
} else {
  view.showStatus({ state: 'bad-address', message: 'badAddress', hint: 'callStaff', detail: 'boothId' });
}

function captureThenConnect(id: string): void {
  view.showStatus({ state: 'connecting', message: 'connecting' });
  captureCameraAndMicrophone().then(
    (localStream) => {
      view.setSelfView(localStream);
      connect(id, localStream);
    },
    (error: unknown) => {
      view.showStatus({
        state: 'camera-failed',
        message: 'cameraFailed',
        hint: 'callStaff',
        detail: describeCaptureError(error),
        action: { label: 'retry', run: () => captureThenConnect(id) },
      });
    },
  );
}

function connect(id: string, localStream: MediaStream): void {
  const socket: MediaSocket = io(NAMESPACES.booth, {
    auth: { protocolVersion: PROTOCOL_VERSION, boothId: id },
    autoConnect: false,
  });
  keepDeskLink(socket, localStream, {
    onStateChanged(state) {
      link = state;
      render();
    },
    onTrackAdded(remote) {
      // Invariant 1 says only the assigned officer ever reaches a booth; anything else stays off screen.
      if (remote.source.role !== 'officer') return;
      officerTracks.set(remote.consumerId, { kind: remote.kind, track: remote.track, paused: true });
      render();
    },
    onTrackRemoved(consumerId) {
      if (officerTracks.delete(consumerId)) render();
    },
    onTrackPausedChanged(consumerId, paused) {
      const entry = officerTracks.get(consumerId);
      if (!entry) return;
      entry.paused = paused;
      render();
    },
  });
}

function render(): void {
  const video = newest('video');
  const audio = newest('audio');
  view.setOfficerVideo(video?.track ?? null);
  view.setOfficerAudio(audio?.track ?? null);
  const officerOnScreen = link.kind === 'live' && video !== undefined && !video.paused;
  view.showStatus(officerOnScreen ? null : statusOf(link));
  view.showOfficerBusy(officerOnScreen && audio?.paused === true);
}

function newest(kind: OfficerTrack['kind']): OfficerTrack | undefined {
  return [...officerTracks.values()].findLast((entry) => entry.kind === kind);
}

function statusOf(state: LinkState): Status {
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
    case 'live':
      return { state: 'waiting', message: 'waiting' };
  }
}
