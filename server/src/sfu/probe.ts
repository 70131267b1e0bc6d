/**
 * The SFU probe of a kiosk's self-test: one router for the whole worker pool, on which a kiosk
 * opens a short-lived WebRTC transport to prove that ICE and DTLS reach the SFU, and reads the
 * round-trip time from its own statistics. Nothing is consumed or forwarded on it, so a probe
 * never reaches any desk's media.
 */
import type { types as ms } from 'mediasoup';
import { LimitExceededError } from '../errors.js';
import { PROBES_PER_BOOTH } from '../limits/clientLimits.js';
import type { Logger } from '../logger.js';
import { MEDIA_CODECS } from './desk.js';
import type { WorkerPool } from './workerPool.js';

/** How long a probe transport may live: a self-test needs a few seconds, a stuck kiosk gets no more. */
export const PROBE_LIFETIME_MS = 30_000;

/** A probe transport, and the capabilities of its router that the kiosk loads to use it. */
export interface OpenedProbe {
  transport: ms.WebRtcTransport;
  routerRtpCapabilities: ms.RtpCapabilities;
}

interface BoothProbes {
  open: Set<ms.WebRtcTransport>;
  opening: number;
}

/** The probe router and the WebRtcServer of its worker, on which its transports are created. */
interface ProbeMedia {
  router: ms.Router;
  webRtcServer: ms.WebRtcServer;
}

export class SfuProbe {
  private media: Promise<ProbeMedia> | null = null;
  private readonly logger: Logger;
  /** Each booth's open probe transports, oldest first, and how many it is opening; absent when none. */
  private readonly byBooth = new Map<string, BoothProbes>();

  constructor(
    private readonly pool: WorkerPool,
    parentLogger: Logger,
    private readonly lifetimeMs = PROBE_LIFETIME_MS,
  ) {
    this.logger = parentLogger.child({ module: 'sfu-probe' });
  }

  /** The probe router, created on first use and again once its worker closed it. Concurrent callers get the same one. */
  private probeRouter(): Promise<ProbeMedia> {
    if (!this.media) {
      const { worker, webRtcServer } = this.pool.pickWorker();
      // The same codecs as a desk: the kiosk loads the capabilities it will use in a call.
      const creating = worker
        .createRouter({ mediaCodecs: MEDIA_CODECS, appData: { probe: true } })
        .then((router): ProbeMedia => ({ router, webRtcServer }));
      const forget = (): void => {
        if (this.media === creating) this.media = null;
      };
      creating.then(({ router }) => router.observer.once('close', forget), forget);
      this.media = creating;
    }
    return this.media;
  }

  /**
   * Opens one probe transport for `boothId`; it closes itself after its lifetime unless closed
   * earlier. A booth has PROBES_PER_BOOTH at most, whichever of its sockets asks: a newer one
   * closes its oldest (a reloaded kiosk need not wait for its old page's to expire), and one more
   * while as many are being opened is refused with LIMIT_EXCEEDED.
   */
  async open(boothId: string): Promise<OpenedProbe> {
    const probes = this.byBooth.get(boothId) ?? { open: new Set<ms.WebRtcTransport>(), opening: 0 };
    if (probes.opening >= PROBES_PER_BOOTH) throw new LimitExceededError('probes', 'This booth is already opening a self-test probe');
    const excess = probes.open.size + probes.opening + 1 - PROBES_PER_BOOTH;
    // Oldest first: a Set keeps insertion order. Each leaves the set as it closes (below).
    for (const oldest of [...probes.open].slice(0, Math.max(0, excess))) oldest.close();
    probes.opening += 1;
    this.byBooth.set(boothId, probes);
    let opened: OpenedProbe;
    try {
      opened = await this.openTransport(boothId);
      probes.open.add(opened.transport);
    } finally {
      probes.opening -= 1;
      this.forgetIfNone(boothId, probes);
    }
    // 'close' on the observer fires however the transport ends: closed here, by its router or its worker.
    opened.transport.observer.once('close', () => {
      probes.open.delete(opened.transport);
      this.forgetIfNone(boothId, probes);
    });
    return opened;
  }

  /** Creates a probe transport on the probe router, expiring after the probe lifetime. */
  private async openTransport(boothId: string): Promise<OpenedProbe> {
    const { router, webRtcServer } = await this.probeRouter();
    const transport = await router.createWebRtcTransport({
      webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      appData: { probe: true, boothId },
    });
    const expiry = setTimeout(() => {
      this.logger.warn({ transportId: transport.id, boothId }, 'probe transport expired');
      transport.close();
    }, this.lifetimeMs);
    transport.observer.once('close', () => clearTimeout(expiry));
    return { transport, routerRtpCapabilities: router.rtpCapabilities };
  }

  /** The probe transports open now, as the worker itself reports them. */
  async openTransportIds(): Promise<string[]> {
    const router = (await this.media?.catch(() => null))?.router;
    if (!router || router.closed) return [];
    return ((await router.dump()) as { transportIds: string[] }).transportIds;
  }

  /** Drops a booth's entry once it has no probe open or opening. */
  private forgetIfNone(boothId: string, probes: BoothProbes): void {
    if (probes.open.size === 0 && probes.opening === 0 && this.byBooth.get(boothId) === probes) this.byBooth.delete(boothId);
  }

  /** Closes the probe router and every transport on it. Safe to call twice. */
  async close(): Promise<void> {
    const opened = await this.media?.catch(() => null);
    opened?.router.close();
    this.media = null;
  }
}
