/**
 * Breaks a desk client's WebRTC path from the server's side, for real, through mediasoup itself
 * (its observer API, not the server's bookkeeping), without telling the client. Create it
 * before the server starts, so it sees the server's workers being created.
 */
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';

export class IceFaults {
  /** The live WebRTC transports of the desks (not the self-test probes), by owner id. */
  private readonly byOwner = new Map<string, Set<ms.WebRtcTransport>>();

  private readonly onWorker = (worker: ms.Worker): void => {
    worker.observer.on('newrouter', (router) => {
      router.observer.on('newtransport', (transport) => {
        const { ownerId, probe } = transport.appData as { ownerId?: string; probe?: boolean };
        // The desks' transports are all WebRTC transports.
        if (probe || ownerId === undefined) return;
        const owned = this.byOwner.get(ownerId) ?? new Set();
        this.byOwner.set(ownerId, owned);
        owned.add(transport as ms.WebRtcTransport);
        transport.observer.once('close', () => owned.delete(transport as ms.WebRtcTransport));
      });
    });
  };

  constructor() {
    mediasoup.observer.on('newworker', this.onWorker);
  }

  /** The owner's open transports now. */
  transportsOf(ownerId: string): ms.WebRtcTransport[] {
    return [...(this.byOwner.get(ownerId) ?? [])];
  }

  /**
   * Makes the ICE credentials the owner's browser holds stale: mediasoup's `restartIce()`, twice
   * on each of its transports, as if the server had lost the path's state. After one restart
   * mediasoup still accepts the previous credentials (until the client uses the new ones); after
   * two it refuses them (STUN 401), so the browser's consent checks fail, its path stops being
   * writable and its media stops reaching the server, until the client restarts ICE itself.
   * Returns the ids of the transports it broke.
   */
  async staleCredentials(ownerId: string): Promise<string[]> {
    const transports = this.transportsOf(ownerId);
    if (transports.length === 0) throw new Error(`${ownerId} has no transport to break`);
    for (const transport of transports) {
      await transport.restartIce();
      await transport.restartIce();
    }
    return transports.map((transport) => transport.id);
  }

  /**
   * Closes the owner's transports on the server, as if its router had lost them: an ICE restart
   * cannot help then, only a rebuilt session does. Returns the ids of the transports closed.
   */
  closeTransports(ownerId: string): string[] {
    const transports = this.transportsOf(ownerId);
    if (transports.length === 0) throw new Error(`${ownerId} has no transport to close`);
    for (const transport of transports) transport.close();
    return transports.map((transport) => transport.id);
  }

  /** Stops watching new workers. */
  stop(): void {
    mediasoup.observer.off('newworker', this.onWorker);
  }
}
