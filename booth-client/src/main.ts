import { io } from 'socket.io-client';
import type { BoothState } from '@bilik/shared';
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
import { forgetDeviceCredential, loadDeviceCredential, storeDeviceCredential } from './deviceCredential.js';
import { showEnrolment } from './enrolment.js';
import { createBoothView, type CallState, type Status } from './view.js';
import './styles.css';

type ShownLinkState = Exclude<LinkState, { kind: 'unauthorized' }>;

interface OfficerTrack {
  kind: RemoteTrack['kind'];
  track: MediaStreamTrack;
  paused: boolean;
}

// Keyed by consumer id in arrival order, so the newest track of a kind is the one shown.
const officerTracks = new Map<string, OfficerTrack>();
// 'unauthorized' never shows: the kiosk goes back to its enrolment screen instead.
let link: ShownLinkState = { kind: 'connecting' };
// The booth's view of its desk as last announced, and when it arrived: its durations count from that moment.
let desk: { state: BoothState; receivedAt: number } | null = null;
let call: 'idle' | 'pending' | 'failed' = 'idle';
let socket: MediaSocket | null = null;

const view = createBoothView(callOfficer);

const credential = loadDeviceCredential();
if (credential) captureThenConnect(credential);
else askForEnrolment();

/** Hides everything else and waits for branch IT to enrol this kiosk. */
function askForEnrolment(): void {
  view.showStatus(null);
  showEnrolment((issued) => {
    storeDeviceCredential(issued);
    captureThenConnect(issued);
  });
}

function captureThenConnect(credential: string): void {
  view.showStatus({ state: 'connecting', message: 'connecting' });
  captureCameraAndMicrophone().then(
    (localStream) => {
      view.setSelfView(localStream);
      connect(credential, localStream);
    },
    (error: unknown) => {
      view.showStatus({
        state: 'camera-failed',
        message: 'cameraFailed',
        hint: 'callStaff',
        detail: describeError(error),
        action: { label: 'retry', run: () => captureThenConnect(credential) },
      });
    },
  );
}

function connect(credential: string, localStream: MediaStream): void {
  const linked: MediaSocket = io(NAMESPACES.booth, {
    auth: { protocolVersion: PROTOCOL_VERSION, credential },
    autoConnect: false,
  });
  socket = linked;
  linked.on('booth:changed', (state) => {
    desk = { state, receivedAt: performance.now() };
    // The server has the call, so an earlier failure no longer matters.
    if (state.attentionPlace !== null && call === 'failed') call = 'idle';
    render();
  });
  const stopLink = keepDeskLink(linked, localStream, {
    onStateChanged(state) {
      // Revoked or replaced: this kiosk must be enrolled again; nothing of this attempt stays running.
      if (state.kind === 'unauthorized') {
        stopLink();
        for (const track of localStream.getTracks()) track.stop();
        socket = null;
        forgetDeviceCredential();
        askForEnrolment();
        return;
      }
      link = state;
      // Without a connection what the booth knew of its desk is stale; the server resends it after reconnecting.
      if (state.kind !== 'joining' && state.kind !== 'live') desk = null;
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
  }, { simulcastVideo: true }); // the officer reads documents from the full-resolution layer
}

/** Sends the claimant's "Panggil Petugas"; the button stays disabled until the server answers. */
function callOfficer(): void {
  if (!socket?.connected || call === 'pending') return;
  call = 'pending';
  render();
  request(socket, 'attention:call', {}).then(
    () => {
      // The place is already in the desk: the server announces booth:changed before it answers the call.
      call = 'idle';
      render();
    },
    (error: unknown) => {
      console.warn('attention:call failed', error);
      call = 'failed';
      render();
    },
  );
}

function render(): void {
  const video = newest('video');
  view.setOfficerVideo(video?.track ?? null);
  view.setOfficerAudio(newest('audio')?.track ?? null);
  const officerOnScreen = link.kind === 'live' && video !== undefined && !video.paused;
  view.showStatus(officerOnScreen ? null : statusOf(link));
  // The hold banner joins the officer's picture rather than replacing it: the claimant keeps seeing the officer.
  view.showHold(officerOnScreen ? holdSince() : null);
  view.showCall(callState());
}

function holdSince(): number | null {
  if (!desk) return null;
  const { officerPresent, talking, heldForMs } = desk.state;
  return officerPresent && !talking && heldForMs !== null ? desk.receivedAt - heldForMs : null;
}

function callState(): CallState {
  if (link.kind !== 'live') return { kind: 'hidden' };
  const place = desk?.state.attentionPlace ?? null;
  if (place !== null) return { kind: 'called', place };
  if (call === 'pending') return { kind: 'pending' };
  return { kind: 'ready', failed: call === 'failed' };
}

function newest(kind: OfficerTrack['kind']): OfficerTrack | undefined {
  return [...officerTracks.values()].findLast((entry) => entry.kind === kind);
}

function statusOf(state: ShownLinkState): Status {
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
