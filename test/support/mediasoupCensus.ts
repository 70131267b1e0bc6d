/**
 * Counts the WebRTC transports and producers that exist in the mediasoup workers, as mediasoup
 * itself reports them through its observer API (not as the server's bookkeeping says): how many
 * each owner holds now, and the most it ever held at once. Start it before the server, so it
 * sees the server's workers being created.
 */
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';

/** What the server names in its objects' appData: desk transports and producers their owner, probes their booth. */
interface OwnerData {
  ownerId?: string;
  direction?: string;
  probe?: boolean;
  boothId?: string;
}

/** The census key of a desk transport: its owner and direction. */
export function transportKey(ownerId: string, direction: 'send' | 'recv'): string {
  return `transport ${ownerId} ${direction}`;
}

/** The census key of a desk producer: its owner and kind. */
export function producerKey(ownerId: string, kind: 'audio' | 'video'): string {
  return `producer ${ownerId} ${kind}`;
}

/** The census key of a self-test probe transport: its booth. */
export function probeKey(boothId: string): string {
  return `probe ${boothId}`;
}

export class MediasoupCensus {
  private readonly live = new Map<string, number>();
  private readonly peak = new Map<string, number>();

  private readonly onWorker = (worker: ms.Worker): void => {
    worker.observer.on('newrouter', (router) => {
      router.observer.on('newtransport', (transport) => {
        const data = transport.appData as OwnerData;
        const key = data.probe ? probeKey(data.boothId ?? '') : transportKey(data.ownerId ?? '', data.direction as 'send' | 'recv');
        this.count(key, transport.observer);
        transport.observer.on('newproducer', (producer) => {
          this.count(producerKey((producer.appData as OwnerData).ownerId ?? '', producer.kind), producer.observer);
        });
      });
    });
  };

  constructor() {
    mediasoup.observer.on('newworker', this.onWorker);
  }

  /** How many objects under `key` exist now. */
  now(key: string): number {
    return this.live.get(key) ?? 0;
  }

  /** The most objects under `key` that existed at once. */
  most(key: string): number {
    return this.peak.get(key) ?? 0;
  }

  /** Forgets the peaks, e.g. between tests; what exists stays counted. */
  resetPeaks(): void {
    this.peak.clear();
    for (const [key, count] of this.live) this.peak.set(key, count);
  }

  /** Stops watching new workers. */
  stop(): void {
    mediasoup.observer.off('newworker', this.onWorker);
  }

  private count(key: string, observer: { once(event: 'close', listener: () => void): unknown }): void {
    const now = this.now(key) + 1;
    this.live.set(key, now);
    this.peak.set(key, Math.max(this.most(key), now));
    observer.once('close', () => this.live.set(key, this.now(key) - 1));
  }
}
