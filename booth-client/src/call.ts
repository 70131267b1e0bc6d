/**
 * The call with the officer, while the booth is assigned: the camera and microphone, the media
 * link to the officer's desk (namespace /booth), and the call screen.
 */
import { io } from 'socket.io-client';
import type { BoothState } from '@bilik/shared';
import { NAMESPACES, PROTOCOL_VERSION } from '@bilik/shared/constants';
import {
  captureCameraAndMicrophone,
  captureTrack,
  describeError,
  keepDeskLink,
  request,
  type BoothSocket,
  type MediaSession,
  type RemoteTrack,
} from '@bilik/shared/client';
import type { DeviceFault, DeviceKind, LinkQuality } from '@bilik/shared/fleet';
import { DeviceWatchdog } from './deviceWatchdog.js';
import { serveDocumentRequests } from './documentCapture.js';
import { LinkQualityMeter } from './linkQuality.js';
import { showLivenessChallenges } from './livenessPrompt.js';
import { statusOfLink, type BoothView, type CallState, type HearingState, type ShownLinkState, type Status } from './view.js';

/** A running call. */
export interface Call {
  /** Sends the claimant's "Panggil Petugas"; the button stays disabled until the server answers. */
  callOfficer(): void;
  /** Tells the officer the claimant cannot hear them; the button stays disabled until the server answers. */
  reportCannotHear(): void;
  /** Says whether the server has lost the officer's connection, so the claimant knows why the picture froze. */
  setOfficerAway(away: boolean): void;
  /**
   * Says whether the claimant is being handed to another officer and waits for that desk; once
   * it is over, the link connects at once to the new desk rather than at its next retry.
   */
  setMoving(moving: boolean): void;
  /** The call's link quality since the last reading, or null while no media flows. */
  linkQuality(): Promise<LinkQuality | null>;
  /** Ends the call: no link, no camera or microphone, nothing of it on screen. */
  stop(): void;
}

interface OfficerTrack {
  kind: RemoteTrack['kind'];
  track: MediaStreamTrack;
  paused: boolean;
}

const OFFICER_AWAY: Status = { state: 'officer-away', message: 'officerAway' };
const TRANSFERRING: Status = { state: 'transferring', message: 'transferring' };
const TRACK_KIND = { camera: 'video', microphone: 'audio' } as const satisfies Record<DeviceKind, MediaStreamTrack['kind']>;

/**
 * Takes the camera and microphone `devices` opens (warm ones, see warmDevices.ts), then connects
 * to the officer's desk and shows the call on `view`; a retry after a failure opens them anew. `credential` is asked at every (re)connection, so a rotated one is used from then on.
 * A camera or microphone that ends during the call is opened again; `onDeviceFault` hears when
 * one cannot be, or keeps ending (unstable: reported to branch IT while the call goes on), and
 * (null) when the devices work again.
 */
export function startCall(
  credential: () => string,
  devices: Promise<MediaStream>,
  view: BoothView,
  onUnauthorized: () => void,
  onDeviceFault: (fault: DeviceFault | null) => void,
): Call {
  // Keyed by consumer id in arrival order, so the newest track of a kind is the one shown.
  const officerTracks = new Map<string, OfficerTrack>();
  // The voice of a supervisor who barged in on this visit, by consumer id; the server sends it to this booth alone.
  const supervisorVoices = new Map<string, MediaStreamTrack>();
  let link: ShownLinkState = { kind: 'connecting' };
  // The booth's view of its desk as last announced, and when it arrived: its durations count from that moment.
  let desk: { state: BoothState; receivedAt: number } | null = null;
  let attention: 'idle' | 'pending' | 'failed' = 'idle';
  let hearing: 'idle' | 'pending' | 'failed' = 'idle';
  let officerAway = false;
  // Handed to another officer: waiting for their desk (the journey says so), or the link moving to it (seat:moved, until live again).
  let moving = false;
  let linkMoving = false;
  // Shown instead of everything else until the claimant (or branch staff) retries.
  let cameraFailure: Status | null = null;
  let socket: BoothSocket | null = null;
  let localStream: MediaStream | null = null;
  let stopLink: (() => void) | null = null;
  let stopDocuments: (() => void) | null = null;
  let stopLiveness: (() => void) | null = null;
  let session: MediaSession | null = null;
  let watchdog: DeviceWatchdog<MediaStreamTrack> | null = null;
  const meter = new LinkQualityMeter();
  let stopped = false;

  // The devices of the first attempt; a retry opens them anew.
  let firstDevices: Promise<MediaStream> | null = devices;
  const capture = (): void => {
    cameraFailure = null;
    render();
    const opening = firstDevices ?? captureCameraAndMicrophone();
    firstDevices = null;
    opening.then(
      (stream) => {
        // The call may have ended while the claimant's browser was opening the camera.
        if (stopped) {
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        localStream = stream;
        view.setSelfView(stream);
        onDeviceFault(null);
        watchdog = watchDevices(stream);
        connect(stream);
      },
      (error: unknown) => {
        if (stopped) return;
        cameraFailure = {
          state: 'camera-failed',
          message: 'cameraFailed',
          hint: 'callStaff',
          detail: describeError(error),
          action: { label: 'retry', run: capture },
        };
        render();
      },
    );
  };

  const connect = (stream: MediaStream): void => {
    const linked: BoothSocket = io(NAMESPACES.booth, {
      auth: (send) => send({ protocolVersion: PROTOCOL_VERSION, credential: credential() }),
      autoConnect: false,
    });
    socket = linked;
    stopDocuments = serveDocumentRequests(linked, { credential, camera: () => stream.getVideoTracks()[0] ?? null });
    stopLiveness = showLivenessChallenges(linked);
    linked.on('seat:moved', () => {
      linkMoving = true;
      render();
    });
    linked.on('booth:changed', (state) => {
      desk = { state, receivedAt: performance.now() };
      // The server has the call, so an earlier failure no longer matters.
      if (state.attentionPlace !== null && attention === 'failed') attention = 'idle';
      if (state.cannotHear && hearing === 'failed') hearing = 'idle';
      render();
    });
    stopLink = keepDeskLink(
      linked,
      stream,
      {
        onStateChanged(state) {
          // Revoked or replaced: the kiosk must be enrolled again, which the owner of the call arranges.
          if (state.kind === 'unauthorized') {
            stop();
            onUnauthorized();
            return;
          }
          link = state;
          if (state.kind === 'live') linkMoving = false;
          // Without a connection what the booth knew of its desk is stale; the server resends it after reconnecting.
          if (state.kind !== 'joining' && state.kind !== 'live' && state.kind !== 'recovering') desk = null;
          render();
        },
        onSessionChanged(current) {
          session = current;
          // A device opened again while this session was starting may have missed it: send what the stream holds now.
          for (const track of stream.getTracks()) {
            if (!current || track.readyState !== 'live') continue;
            current.replaceTrack(track).catch((error: unknown) => console.warn('could not send the current track', track.kind, error));
          }
        },
        onTrackAdded(remote) {
          if (remote.source.role === 'monitor' && remote.kind === 'audio') {
            supervisorVoices.set(remote.consumerId, remote.track);
            render();
            return;
          }
          // Invariant 1 says only the assigned officer (and a supervisor barging in) ever reaches a booth; anything else stays off screen.
          if (remote.source.role !== 'officer') return;
          officerTracks.set(remote.consumerId, { kind: remote.kind, track: remote.track, paused: true });
          render();
        },
        onTrackRemoved(consumerId) {
          if (officerTracks.delete(consumerId) || supervisorVoices.delete(consumerId)) render();
        },
        onTrackPausedChanged(consumerId, paused) {
          const entry = officerTracks.get(consumerId);
          if (!entry) return;
          entry.paused = paused;
          render();
        },
      },
      { simulcastVideo: true },
    ); // the officer reads documents from the full-resolution layer
  };

  /**
   * Keeps `stream`'s camera and microphone alive: an ended one is opened again and put in the
   * stream (which later media sessions send), the self-view and the running session's producer.
   * If it cannot be, the call shows the camera failure until the claimant or staff retry.
   */
  const watchDevices = (stream: MediaStream): DeviceWatchdog<MediaStreamTrack> => {
    const current = (kind: DeviceKind): MediaStreamTrack | null =>
      stream.getTracks().find((track) => track.kind === TRACK_KIND[kind]) ?? null;
    return new DeviceWatchdog<MediaStreamTrack>({
      current,
      reacquire: (kind) => captureTrack(TRACK_KIND[kind]),
      async install(kind, track) {
        const ended = current(kind);
        if (ended) {
          stream.removeTrack(ended);
          ended.stop();
        }
        stream.addTrack(track);
        if (kind === 'camera') view.setSelfView(stream);
        await session?.replaceTrack(track);
      },
      onFault(fault) {
        faults.set(fault.kind, fault);
        showFaults();
      },
      onRecovered(kind) {
        if (faults.delete(kind)) showFaults();
      },
      onUnstable(fault) {
        unstable = fault;
        if (faults.size === 0) onDeviceFault(fault);
      },
    });
  };

  // The devices the watchdog could not open again, shown as a camera failure until retried.
  const faults = new Map<DeviceKind, DeviceFault>();
  // A device that works but keeps ending: IT hears of it for the rest of the call, the claimant does not.
  let unstable: DeviceFault | null = null;
  const showFaults = (): void => {
    const fault = faults.values().next().value ?? null;
    cameraFailure = fault && {
      state: 'camera-failed',
      message: 'cameraFailed',
      hint: 'callStaff',
      detail: fault.detail,
      action: {
        label: 'retry',
        run: () => {
          cameraFailure = null;
          render();
          for (const kind of faults.keys()) watchdog?.retry(kind);
        },
      },
    };
    render();
    onDeviceFault(fault ?? unstable);
  };

  const render = (): void => {
    if (stopped) return;
    if (cameraFailure) {
      view.showStatus(cameraFailure);
      return;
    }
    const video = newest('video');
    view.setOfficerVideo(video?.track ?? null);
    view.setOfficerAudio(newest('audio')?.track ?? null);
    view.setSupervisorAudio([...supervisorVoices.values()].at(-1) ?? null);
    const officerOnScreen = link.kind === 'live' && video !== undefined && !video.paused;
    // The server reported the officer away (over the journey link) or the officer's media path
    // recovering (over this one), so it is reachable: the officer's return, not this link's own
    // recovery, is what the claimant is waiting for, and the officer's picture may be frozen.
    const waitingForOfficer = officerAway || (desk?.state.officerReconnecting ?? false);
    if (moving || linkMoving) view.showStatus(TRANSFERRING);
    else if (waitingForOfficer) view.showStatus(OFFICER_AWAY);
    else view.showStatus(officerOnScreen ? null : statusOfLink(link));
    // The hold banner joins the officer's picture rather than replacing it: the claimant keeps seeing the officer.
    view.showHold(officerOnScreen && !waitingForOfficer ? holdSince() : null);
    view.showCall(callState());
    view.showHearing(hearingState());
    // Named only while this link is live: a name from a lost link may no longer be who serves.
    view.showServedBy(link.kind === 'live' ? (desk?.state.officerName ?? null) : null);
  };

  const holdSince = (): number | null => {
    if (!desk) return null;
    const { officerPresent, talking, heldForMs } = desk.state;
    return officerPresent && !talking && heldForMs !== null ? desk.receivedAt - heldForMs : null;
  };

  const callState = (): CallState => {
    if (link.kind !== 'live') return { kind: 'hidden' };
    const place = desk?.state.attentionPlace ?? null;
    if (place !== null) return { kind: 'called', place };
    if (attention === 'pending') return { kind: 'pending' };
    return { kind: 'ready', failed: attention === 'failed' };
  };

  const hearingState = (): HearingState => {
    if (link.kind !== 'live') return { kind: 'hidden' };
    if (desk?.state.cannotHear) return { kind: 'told' };
    if (hearing === 'pending') return { kind: 'pending' };
    return { kind: 'ready', failed: hearing === 'failed' };
  };

  const newest = (kind: OfficerTrack['kind']): OfficerTrack | undefined =>
    [...officerTracks.values()].findLast((entry) => entry.kind === kind);

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    watchdog?.stop();
    stopDocuments?.();
    stopLiveness?.();
    stopLink?.();
    for (const track of localStream?.getTracks() ?? []) track.stop();
    officerTracks.clear();
    supervisorVoices.clear();
    socket = null;
    view.clear();
  };

  capture();

  return {
    callOfficer() {
      if (!socket?.connected || attention === 'pending') return;
      attention = 'pending';
      render();
      request(socket, 'attention:call', {}).then(
        () => {
          // The place is already in the desk: the server announces booth:changed before it answers the call.
          attention = 'idle';
          render();
        },
        (error: unknown) => {
          console.warn('attention:call failed', error);
          attention = 'failed';
          render();
        },
      );
    },
    reportCannotHear() {
      if (!socket?.connected || hearing === 'pending') return;
      hearing = 'pending';
      render();
      request(socket, 'hearing:report', {}).then(
        () => {
          // The desk already says so: the server announces booth:changed before it answers.
          hearing = 'idle';
          render();
        },
        (error: unknown) => {
          console.warn('hearing:report failed', error);
          hearing = 'failed';
          render();
        },
      );
    },
    async linkQuality() {
      return session ? meter.read(await session.getStats()) : null;
    },
    setOfficerAway(away) {
      if (away === officerAway) return;
      officerAway = away;
      render();
    },
    setMoving(now) {
      if (now === moving) return;
      moving = now;
      // Seated at the new desk: connect now instead of at the link's next retry.
      if (!now && socket && !socket.connected) socket.connect();
      render();
    },
    stop,
  };
}
