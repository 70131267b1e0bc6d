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
import { createOfficerView, type BoothTile, type Status } from './view.js';
import './styles.css';

interface BoothTrack {
  boothId: string;
  kind: RemoteTrack['kind'];
  track: MediaStreamTrack;
  paused: boolean;
}

const view = createOfficerView();
// Keyed by consumer id in arrival order: tiles keep the order booths arrived in, and the newest
// track of a booth is the one shown.
const boothTracks = new Map<string, BoothTrack>();

const officerId = readIdParam(location.search, 'officerId', 'petugas-1');
if (officerId) {
  view.showOfficer(officerId);
  captureThenConnect(officerId);
} else {
  view.showStatus({ state: 'bad-address', message: 'badAddress', detail: 'officerId' });
}

function captureThenConnect(id: string): void {
  view.showStatus({ state: 'capturing', message: 'capturing' });
  captureCameraAndMicrophone().then(
    (localStream) => {
      view.setSelfView(localStream);
      connect(id, localStream);
    },
    (error: unknown) => {
      view.showStatus({
        state: 'camera-failed',
        message: 'cameraFailed',
        detail: describeCaptureError(error),
        action: { label: 'retry', run: () => captureThenConnect(id) },
      });
    },
  );
}

function connect(id: string, localStream: MediaStream): void {
  const socket: MediaSocket = io(NAMESPACES.officer, {
    auth: { protocolVersion: PROTOCOL_VERSION, officerId: id },
    autoConnect: false,
  });
  keepDeskLink(socket, localStream, {
    onStateChanged(state) {
      view.showStatus(statusOf(state));
    },
    onTrackAdded(remote) {
      if (remote.source.role !== 'booth') return;
      boothTracks.set(remote.consumerId, { boothId: remote.source.id, kind: remote.kind, track: remote.track, paused: true });
      render();
    },
    onTrackRemoved(consumerId) {
      if (boothTracks.delete(consumerId)) render();
    },
    onTrackPausedChanged(consumerId, paused) {
      const entry = boothTracks.get(consumerId);
      if (!entry) return;
      entry.paused = paused;
      render();
    },
  });
}

function render(): void {
  const booths = new Map<string, BoothTile>();
  for (const entry of boothTracks.values()) {
    if (entry.kind !== 'video') continue;
    const booth = booths.get(entry.boothId);
    if (booth) booth.video = entry.track;
    else booths.set(entry.boothId, { boothId: entry.boothId, video: entry.track, audible: false });
  }
  for (const entry of boothTracks.values()) {
    const booth = booths.get(entry.boothId);
    if (booth && entry.kind === 'audio' && !entry.paused) booth.audible = true;
  }
  view.showBooths([...booths.values()]);
  view.playAudio(
    [...boothTracks].filter(([, entry]) => entry.kind === 'audio').map(([consumerId, entry]) => ({ consumerId, track: entry.track })),
  );
}

function statusOf(state: LinkState): Status {
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
