/**
 * Asks for a key frame when a received video stops decoding while its packets still arrive. A
 * packet lost on the sender's link and never repaired leaves every later frame undecodable; the
 * browser itself asks for a key frame only after 3 s without a decodable frame, and mediasoup
 * does not ask when it gives up retransmitting. Measured at 3 % loss on a booth's link: the
 * officer's picture of that booth froze for about 3.1 s one to three times a minute.
 *
 * `nextStall` is the pure rule over successive samples; StallWatch runs it on a session's
 * receiving transport.
 */
import type { types as ms } from 'mediasoup-client';

/** No frame decoded for this long while packets arrive: the stream is stuck, not just slow (frames come every 33-50 ms). */
export const STALL_MS = 300;
/** At most one key frame request per stream this often: one takes a round trip and an encoded frame to answer. */
export const REQUEST_INTERVAL_MS = 1_000;
/** How long after one sample finishes the next is taken. */
export const SAMPLE_INTERVAL_MS = 100;

/** A received video stream's counters at one instant. */
export interface VideoSample {
  at: number;
  packetsReceived: number;
  framesDecoded: number;
}

/** What the rule remembers of one stream. */
export interface StallState {
  last: VideoSample;
  /** When framesDecoded last moved. */
  decodedAt: number;
  requestedAt: number | null;
}

/** The stream's state after `sample`, and whether to ask for a key frame now. */
export function nextStall(state: StallState | undefined, sample: VideoSample): { state: StallState; requestKeyFrame: boolean } {
  if (!state) return { state: { last: sample, decodedAt: sample.at, requestedAt: null }, requestKeyFrame: false };
  const decodedAt = sample.framesDecoded > state.last.framesDecoded ? sample.at : state.decodedAt;
  // Nothing arriving is a paused consumer or a lost path, which a key frame would not mend.
  const arriving = sample.packetsReceived > state.last.packetsReceived;
  const stuck = arriving && sample.at - decodedAt >= STALL_MS;
  const mayAsk = state.requestedAt === null || sample.at - state.requestedAt >= REQUEST_INTERVAL_MS;
  const requestKeyFrame = stuck && mayAsk;
  return { state: { last: sample, decodedAt, requestedAt: requestKeyFrame ? sample.at : state.requestedAt }, requestKeyFrame };
}

/**
 * Samples every video consumer of a receiving transport and asks for a key frame for the stuck ones.
 * A sample is taken only once the last one has finished, and only while there is video to watch:
 * a browser's getStats is not cheap, and on a loaded kiosk or a console waiting for booths, calls
 * started every SAMPLE_INTERVAL_MS regardless would pile up and load it further.
 */
export class StallWatch {
  private readonly states = new Map<string, StallState>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly recvTransport: ms.Transport,
    /** The video consumers now, by the id of their track. */
    private readonly videoConsumers: () => ReadonlyMap<string, ms.Consumer>,
    private readonly requestKeyFrame: (consumer: ms.Consumer) => Promise<void>,
  ) {
    this.scheduleSample();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private scheduleSample(): void {
    this.timer = setTimeout(() => {
      void this.sample().finally(() => {
        if (this.timer !== undefined) this.scheduleSample();
      });
    }, SAMPLE_INTERVAL_MS);
  }

  private async sample(): Promise<void> {
    if (this.recvTransport.closed) return;
    const consumers = this.videoConsumers();
    if (consumers.size === 0) {
      this.states.clear();
      return;
    }
    const report = await this.recvTransport.getStats().catch(() => null);
    if (!report) return;
    const at = performance.now();
    const seen = new Set<string>();
    report.forEach((stats: { type: string; kind?: string; trackIdentifier?: string; packetsReceived?: number; framesDecoded?: number }) => {
      if (stats.type !== 'inbound-rtp' || stats.kind !== 'video' || !stats.trackIdentifier) return;
      const consumer = consumers.get(stats.trackIdentifier);
      if (!consumer) return;
      seen.add(consumer.id);
      const sample = { at, packetsReceived: stats.packetsReceived ?? 0, framesDecoded: stats.framesDecoded ?? 0 };
      const { state, requestKeyFrame } = nextStall(this.states.get(consumer.id), sample);
      this.states.set(consumer.id, state);
      if (requestKeyFrame) this.requestKeyFrame(consumer).catch((error: unknown) => console.warn('could not ask for a key frame', error));
    });
    for (const consumerId of this.states.keys()) if (!seen.has(consumerId)) this.states.delete(consumerId);
  }
}
