/**
 * The protocol's constants, apart from its zod schemas so that the browser apps can import them
 * without bundling zod.
 */

/** Bumped on every incompatible change of the events in protocol.ts; checked in the handshake. */
export const PROTOCOL_VERSION = 13;

/** The socket.io namespaces, one per kind of link, so each only has its own events. */
export const NAMESPACES = {
  /** A booth's media link to its officer's desk, open only while the booth is assigned. */
  booth: '/booth',
  /** A booth's visit: welcome, queue and end, open while the kiosk runs. */
  journey: '/journey',
  /** An officer's desk and work state. */
  officer: '/officer',
  /** A supervisor silently monitoring one visit, and barging in on it. */
  monitor: '/monitor',
} as const;

/** Largest socket.io message the server accepts (bytes). SDP-free mediasoup signaling stays far below it. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** How many booths one officer may serve at once: a supervisor sets each officer within this range. */
export const MIN_DESK_CAPACITY = 4;
export const MAX_DESK_CAPACITY = 6;
