/**
 * Closing live sockets when what authenticated them ends: a signed-out or expired session, a
 * revoked booth. Sockets join a room named after their session or booth at the handshake; with
 * the Redis streams adapter `disconnectSockets` reaches those rooms on every server process.
 */
import { NAMESPACES } from '@bilik/shared';
import type { SignalingServer } from './socketTypes.js';

/** The room of every socket opened with one staff session. */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}

/** The room of every socket of one booth, in both of its namespaces. */
export function boothRoom(boothId: string): string {
  return `booth:${boothId}`;
}

/** The room of every supervisor's monitor of one booth's visit. */
export function monitorRoom(boothId: string): string {
  return `monitor:${boothId}`;
}

/** The room of every console socket of one officer, whichever session opened it. */
export function officerRoom(accountId: string): string {
  return `officer:${accountId}`;
}

export class SocketEvictions {
  constructor(private readonly io: SignalingServer) {}

  /** Disconnects every socket opened with this staff session (consoles and monitors), on every server process. */
  endSession(sessionId: string): void {
    for (const namespace of [NAMESPACES.officer, NAMESPACES.monitor])
      this.io.of(namespace).in(sessionRoom(sessionId)).disconnectSockets(true);
  }

  /** Disconnects every socket of this booth, its desk link and its journey, on every server process. */
  endBooth(boothId: string): void {
    for (const namespace of [NAMESPACES.booth, NAMESPACES.journey]) this.io.of(namespace).in(boothRoom(boothId)).disconnectSockets(true);
  }
}
