/**
 * Branch IT's side of the kiosk's journey socket: heartbeats with the app version (the call's
 * link quality while in session, and a device at fault) on connecting, every
 * HEARTBEAT_INTERVAL_SECONDS and when asked (a device failed or works again), and what the IT
 * page asks of the kiosk: reload, out of service or back, a new credential.
 */
import { request, type JourneySocket } from '@bilik/shared/client';
import { HEARTBEAT_INTERVAL_SECONDS, type DeviceFault, type LinkQuality } from '@bilik/shared/fleet';

/** This build's version, from booth-client/package.json (see vite.config.ts). */
export const APP_VERSION = __APP_VERSION__;

export interface FleetLinkEvents {
  /** The call's link quality now, or null outside a session. */
  linkQuality(): Promise<LinkQuality | null>;
  /** The camera or microphone the kiosk could not open again, or null. */
  deviceFault(): DeviceFault | null;
  /** Branch IT asks the kiosk to reload its page. */
  onReloadRequested(): void;
  /** The booth is out of service, or back; said on every connection and at every change. */
  onServiceChanged(outOfService: boolean): void;
  /** Branch IT rotated the booth's credential: keep it, and say whether that worked. */
  onCredentialRotated(credential: string): boolean;
}

/** The kiosk's fleet link while it is served. */
export interface FleetLink {
  /** Sends a heartbeat now rather than at the next interval, e.g. when a device failed. */
  beat(): void;
  /** Stops serving the fleet's events and sending heartbeats. */
  stop(): void;
}

/** Serves the fleet's events on `socket` until stopped. */
export function serveFleet(socket: JourneySocket, events: FleetLinkEvents): FleetLink {
  const beat = (): void => {
    if (!socket.connected) return;
    events
      .linkQuality()
      .catch(() => null)
      .then((linkQuality) =>
        request(socket, 'booth:heartbeat', { appVersion: APP_VERSION, linkQuality, deviceFault: events.deviceFault() }),
      )
      .catch((error: unknown) => console.warn('heartbeat not delivered', error));
  };
  const onReload = (): void => events.onReloadRequested();
  const onService = ({ outOfService }: { outOfService: boolean }): void => events.onServiceChanged(outOfService);
  const onRotate = ({ credential }: { credential: string }, ack: (answer: { stored: boolean }) => void): void => {
    // Whatever went wrong, the server must hear it at once: until the kiosk says it stored the
    // new credential, the old one keeps working.
    let stored = false;
    try {
      stored = typeof credential === 'string' && events.onCredentialRotated(credential);
    } finally {
      ack({ stored });
    }
  };

  socket.on('connect', beat);
  socket.on('booth:reload', onReload);
  socket.on('booth:service', onService);
  socket.on('credential:rotate', onRotate);
  const timer = setInterval(beat, HEARTBEAT_INTERVAL_SECONDS * 1000);
  beat();

  return {
    beat,
    stop() {
      clearInterval(timer);
      socket.off('connect', beat);
      socket.off('booth:reload', onReload);
      socket.off('booth:service', onService);
      socket.off('credential:rotate', onRotate);
    },
  };
}
