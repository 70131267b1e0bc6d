/**
 * The sockets one booth credential holds in each namespace (SOCKETS_PER_BOOTH) and one staff
 * session holds on /officer (SOCKETS_PER_STAFF_SESSION). A socket counts from its connection to
 * its disconnection. One past the cap displaces the oldest, which is told LIMIT_EXCEEDED and
 * disconnected, rather than refusing the newest: the newest is the one an honest kiosk or console
 * is using (a reloaded page, while its old connection has not timed out yet), and a flood still
 * holds no more than the cap.
 */
import type { Socket } from 'socket.io';
import { SOCKETS_PER_BOOTH, SOCKETS_PER_STAFF_SESSION } from './clientLimits.js';
import type { Caller, LimitRefusals } from './limitRefusals.js';

/** Whose socket it is: a booth's, by its credential, or a staff session's. */
export type SocketHolder = { boothId: string } | { accountId: string; sessionId: string };

export class SocketLimits {
  /** Connected sockets by namespace and holder, oldest first (a Set keeps insertion order). */
  private readonly held = new Map<string, Set<Socket>>();

  constructor(private readonly refusals: LimitRefusals) {}

  /** Counts a newly connected socket against its holder's cap until it disconnects; past the cap, displaces the oldest. */
  admit(socket: Socket, holder: SocketHolder): void {
    const { key, cap, caller } =
      'boothId' in holder
        ? { key: `${socket.nsp.name} booth:${holder.boothId}`, cap: SOCKETS_PER_BOOTH, caller: { boothId: holder.boothId } }
        : {
            key: `${socket.nsp.name} session:${holder.sessionId}`,
            cap: SOCKETS_PER_STAFF_SESSION,
            caller: { accountId: holder.accountId },
          };
    const sockets = this.held.get(key) ?? new Set<Socket>();
    this.held.set(key, sockets);
    sockets.add(socket);
    socket.once('disconnect', () => {
      sockets.delete(socket);
      if (sockets.size === 0 && this.held.get(key) === sockets) this.held.delete(key);
    });
    for (const oldest of [...sockets].slice(0, Math.max(0, sockets.size - cap))) {
      sockets.delete(oldest);
      this.displace(oldest, caller, cap);
    }
  }

  private displace(socket: Socket, caller: Caller, cap: number): void {
    this.refusals.record('sockets', caller);
    // Sent from this node at once: with connection-state recovery a socket's own emit goes round
    // the Redis adapter first, and would arrive after the disconnect below.
    socket.nsp.local.to(socket.id).emit('protocol:error', {
      event: 'connection',
      error: 'LIMIT_EXCEEDED',
      message: `More than ${cap} connections with the same identity; this oldest one is closed`,
    });
    socket.disconnect(true);
  }
}
