/**
 * A supervisor's monitor of one live visit: a /monitor link to the booth's desk, kept by the
 * shared keepDeskLink. It sends the supervisor's microphone from the start, but the server's
 * media policy lets it reach the booth only after a barge-in, and gives the supervisor that
 * visit alone; nothing here mutes or picks media.
 */
import { NAMESPACES, PROTOCOL_VERSION, type MonitorState } from '@bilik/shared';
import { captureTrack, keepDeskLink, request, type LinkState, type MonitorSocket } from '@bilik/shared/client';
import { io } from 'socket.io-client';

/** What the supervisor receives now: the booth's camera, and the voices that flow (the booth's, the officer's while talking to it). */
export interface MonitorMedia {
  video: MediaStreamTrack | null;
  audio: MediaStreamTrack[];
}

export interface MonitorEvents {
  onLinkChanged(state: LinkState): void;
  onVisitChanged(state: MonitorState): void;
  onMediaChanged(media: MonitorMedia): void;
  /** The visit is over (ended, or back in the queue); the monitor has closed itself. */
  onEnded(): void;
}

export interface Monitor {
  /** Barges in (the booth hears the supervisor, the officer is told) or listens silently again. */
  barge(barging: boolean): Promise<void>;
  /** Stops monitoring: the link, the microphone and every received track. Safe to call twice. */
  stop(): void;
}

/** Opens the microphone and starts monitoring `boothId`'s visit. */
export async function openMonitor(boothId: string, events: MonitorEvents): Promise<Monitor> {
  const microphone = new MediaStream([await captureTrack('audio')]);
  const socket: MonitorSocket = io(NAMESPACES.monitor, { auth: { protocolVersion: PROTOCOL_VERSION, boothId }, autoConnect: false });
  const tracks = new Map<string, { kind: 'audio' | 'video'; track: MediaStreamTrack; paused: boolean }>();
  const publish = (): void => {
    const flowing = [...tracks.values()].filter((entry) => !entry.paused);
    events.onMediaChanged({
      video: [...tracks.values()].findLast((entry) => entry.kind === 'video')?.track ?? null,
      audio: flowing.filter((entry) => entry.kind === 'audio').map((entry) => entry.track),
    });
  };
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    stopLink();
    for (const track of microphone.getTracks()) track.stop();
    tracks.clear();
    publish();
  };
  socket.on('monitor:changed', (state) => {
    // Pinned to this visit: a reconnect names it, so it never attaches to the booth's next claimant.
    socket.auth = { protocolVersion: PROTOCOL_VERSION, boothId, visitId: state.visitId };
    events.onVisitChanged(state);
  });
  socket.on('connect_error', (error) => {
    // Refused as not live: the booth is with nobody, or the visit ended while the link was down.
    if ((error as Error & { data?: { error?: unknown } }).data?.error !== 'INVALID_STATE') return;
    stop();
    events.onEnded();
  });
  socket.on('monitor:ended', () => {
    stop();
    events.onEnded();
  });
  const stopLink = keepDeskLink(socket, microphone, {
    onStateChanged: (state) => events.onLinkChanged(state),
    onTrackAdded(remote) {
      tracks.set(remote.consumerId, { kind: remote.kind, track: remote.track, paused: true });
      publish();
    },
    onTrackRemoved(consumerId) {
      if (tracks.delete(consumerId)) publish();
    },
    onTrackPausedChanged(consumerId, paused) {
      const entry = tracks.get(consumerId);
      if (!entry) return;
      entry.paused = paused;
      publish();
    },
  });
  return { barge: (barging) => request(socket, 'monitor:barge', { barging }).then(() => undefined), stop };
}
