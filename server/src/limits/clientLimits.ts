/**
 * The caps that keep one client, buggy or hostile, from exhausting what the others need
 * (DESIGN invariant 9): WebRTC transports and producers per seat at a desk, sockets per booth
 * credential and per staff session, self-test probes per booth. Where an honest client asks
 * again for something it legitimately replaces (a rebuilt transport, a reloaded page, a new
 * self-test), the newest takes the place of the oldest, so the total stays capped and the
 * honest client is never refused; what is asked beyond that is refused with LIMIT_EXCEEDED.
 */

/** The caps, as they are named in refusals, logs and the `bilik_limit_refusals_total` metric. */
export const LIMIT_NAMES = ['transports', 'producers', 'sockets', 'probes'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/**
 * WebRTC transports of one seat per direction: a browser sends on one and receives on one. A new
 * one replaces the old (a rebuild after a lost path), so each takes at most this many ports, and
 * a second creation while one is under way is refused.
 */
export const TRANSPORTS_PER_DIRECTION = 1;

/**
 * Producers of one seat per kind: one camera, one microphone. Refused past it rather than
 * replaced: a camera switch replaces the track, not the producer, and a rebuilt send transport
 * closes the old producers with it, so an honest client never asks for a second.
 */
export const PRODUCERS_PER_KIND = 1;

/**
 * Sockets one booth credential may hold in each namespace: the kiosk's page, plus a reloaded
 * page's while the old connection has not timed out yet. Past it the oldest is disconnected:
 * the newest is the one a kiosk is using.
 */
export const SOCKETS_PER_BOOTH = 3;

/** Sockets one staff session may hold on /officer: a console, plus a reload's overlap; past it the oldest goes. */
export const SOCKETS_PER_STAFF_SESSION = 3;

/**
 * Self-test probe transports one booth may have open, across all its sockets: a self-test needs
 * one. A probe opened from another socket (a reloaded page) closes the old one; a second opened
 * while one is being created is refused.
 */
export const PROBES_PER_BOOTH = 1;
