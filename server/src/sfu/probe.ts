/**
 * The SFU probe of a kiosk's self-test: one router for the whole worker pool, on which a kiosk
 * opens a short-lived WebRTC transport to prove that ICE and DTLS reach the SFU, and reads the
 * round-trip time from its own statistics. Nothing is consumed or forwarded on it, so a probe
 * never reaches any desk's media.
 */
import type { types as ms } from 'mediasoup';
import type { Logger } from '../logger.js';
import { MEDIA_CODECS, type TransportListenOptions } from './desk.js';
import type { WorkerPool } from './workerPool.js';

/** How long a probe transport may live: a self-test needs a few seconds, a stuck kiosk gets no more. */
export const PROBE_LIFETIME_MS = 30_000;

/** A probe transport, and the capabilities of its router that the kiosk loads to use it. */
export interface OpenedProbe {
  transport: ms.WebRtcTransport;
  routerRtpCapabilities: ms.RtpCapabilities;
}

export class SfuProbe {
  private router: Promise<ms.Router> | null = null;
  private readonly logger: Logger;

  constructor(
    private readonly pool: WorkerPool,
    private readonly listen: TransportListenOptions,
    parentLogger: Logger,
    private readonly lifetimeMs = PROBE_LIFETIME_MS,
  ) {
    this.logger = parentLogger.child({ module: 'sfu-probe' });
  }

  /** The probe router, created on first use and again once its worker closed it. Concurrent callers get the same one. */
  private probeRouter(): Promise<ms.Router> {
    if (!this.router) {
      // The same codecs as a desk: the kiosk loads the capabilities it will use in a call.
      const creating = this.pool.pickWorker().createRouter({ mediaCodecs: MEDIA_CODECS, appData: { probe: true } });
      const forget = (): void => {
        if (this.router === creating) this.router = null;
      };
      creating.then((router) => router.observer.once('close', forget), forget);
      this.router = creating;
    }
    return this.router;
  }

  /** Opens one probe transport; it closes itself after its lifetime unless closed earlier. */
  async open(): Promise<OpenedProbe> {
    const router = await this.probeRouter();
    const transport = await router.createWebRtcTransport({
      listenIps: [{ ip: this.listen.listenIp, announcedIp: this.listen.announcedIp }],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      appData: { probe: true },
    });
    const expiry = setTimeout(() => {
      this.logger.warn({ transportId: transport.id }, 'probe transport expired');
      transport.close();
    }, this.lifetimeMs);
    // 'close' on the observer fires however the transport ends: closed here, by its router or its worker.
    transport.observer.once('close', () => clearTimeout(expiry));
    return { transport, routerRtpCapabilities: router.rtpCapabilities };
  }

  /** The probe transports open now, as the worker itself reports them. */
  async openTransportIds(): Promise<string[]> {
    const router = await this.router?.catch(() => null);
    if (!router || router.closed) return [];
    return ((await router.dump()) as { transportIds: string[] }).transportIds;
  }

  /** Closes the probe router and every transport on it. Safe to call twice. */
  async close(): Promise<void> {
    const router = await this.router?.catch(() => null);
    router?.close();
    this.router = null;
  }
}
