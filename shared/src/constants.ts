/**
 * The protocol's constants, apart from its zod schemas so that the browser apps can import them
 * without bundling zod.
 */

/** Bumped on every incompatible change of the events in protocol.ts; checked in the handshake. */
export const PROTOCOL_VERSION = 2;

/** The socket.io namespaces, one per kind of client, so each only has its own events. */
export const NAMESPACES = { booth: '/booth', officer: '/officer' } as const;

/** Largest socket.io message the server accepts (bytes). SDP-free mediasoup signaling stays far below it. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
