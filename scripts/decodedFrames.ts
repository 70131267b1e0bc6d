/** When a page decodes video, as the benchmarks time it: by polling the page's own WebRTC statistics. */
import type { Page } from 'puppeteer-core';

export interface FrameWatch {
  /** How often the page reads its statistics, in ms: a sample may be late by about this much plus one getStats(). */
  pollMs: number;
  /** No new frame by then rejects. */
  giveUpMs: number;
}

/**
 * In the page: starts watching its inbound video and resolves with the wall-clock time (ms since
 * the epoch, `performance.timeOrigin + performance.now()`) of the first frame decoded after the
 * call, on any stream, old or new: a stream that appears later (a new consumer, a rebuilt
 * session) counts from zero.
 */
export function nextDecodedFrameAt(page: Page, watch: FrameWatch): Promise<number> {
  return page.evaluate(
    ({ pollMs, giveUpMs }: FrameWatch) =>
      new Promise<number>((resolve, reject) => {
        const connections = (): RTCPeerConnection[] =>
          ((window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? []).filter(
            (connection) => connection.connectionState !== 'closed',
          );
        const seen = new Map<string, number>();
        const decodedNow = async (): Promise<Map<string, number>> => {
          const counts = new Map<string, number>();
          for (const [index, connection] of connections().entries()) {
            (await connection.getStats()).forEach((report: { type: string; kind?: string; id: string; framesDecoded?: number }) => {
              if (report.type === 'inbound-rtp' && report.kind === 'video') counts.set(`${index}/${report.id}`, report.framesDecoded ?? 0);
            });
          }
          return counts;
        };
        const giveUp = performance.now() + giveUpMs;
        void decodedNow().then((baseline) => {
          baseline.forEach((count, key) => seen.set(key, count));
          const poll = async (): Promise<void> => {
            for (const [key, count] of await decodedNow()) {
              if (count > (seen.get(key) ?? 0)) return resolve(performance.timeOrigin + performance.now());
            }
            if (performance.now() > giveUp) return reject(new Error(`no video frame decoded within ${giveUpMs} ms`));
            setTimeout(() => void poll(), pollMs);
          };
          void poll();
        });
      }),
    watch,
  );
}

/** The wall-clock time (ms since the epoch) the page's navigation started. */
export function navigationStartedAt(page: Page): Promise<number> {
  return page.evaluate(() => performance.timeOrigin);
}

/** A watch for video streams that appear after it starts, each counted at its first decoded frame. */
export interface NewStreamsWatch extends FrameWatch {
  /** Resolves once this many new streams have decoded a frame. */
  streams: number;
}

/**
 * Starts watching the page's inbound video streams that are not there yet (a new consumer, a new
 * peer connection). Resolves once the watch has its baseline, with a function that resolves with
 * the wall-clock times (ms since the epoch) at which the first `streams` new streams decoded their
 * first frame, earliest first.
 */
export async function watchNewStreams(page: Page, watch: NewStreamsWatch): Promise<() => Promise<number[]>> {
  const key = `__newStreams${Math.random().toString(36).slice(2)}`;
  await page.evaluate(
    ({ pollMs, giveUpMs, streams }: NewStreamsWatch, key: string) =>
      new Promise<void>((started) => {
        const decodedNow = async (): Promise<Map<string, number>> => {
          const counts = new Map<string, number>();
          const connections = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
          for (const [index, connection] of connections.entries()) {
            if (connection.connectionState === 'closed') continue;
            (await connection.getStats()).forEach((report: { type: string; kind?: string; id: string; framesDecoded?: number }) => {
              if (report.type === 'inbound-rtp' && report.kind === 'video') counts.set(`${index}/${report.id}`, report.framesDecoded ?? 0);
            });
          }
          return counts;
        };
        (window as unknown as Record<string, Promise<number[]>>)[key] = new Promise<number[]>((resolve, reject) => {
          void decodedNow().then((baseline) => {
            started();
            const firstFrames = new Map<string, number>();
            const giveUp = performance.now() + giveUpMs;
            const poll = async (): Promise<void> => {
              const now = performance.timeOrigin + performance.now();
              for (const [stream, count] of await decodedNow()) {
                if (!baseline.has(stream) && count > 0 && !firstFrames.has(stream)) firstFrames.set(stream, now);
              }
              if (firstFrames.size >= streams) return resolve([...firstFrames.values()].sort((a, b) => a - b));
              if (performance.now() > giveUp)
                return reject(new Error(`${firstFrames.size} of ${streams} new video streams decoded within ${giveUpMs} ms`));
              setTimeout(() => void poll(), pollMs);
            };
            void poll();
          });
        });
      }),
    watch,
    key,
  );
  return () => page.evaluate((key: string) => (window as unknown as Record<string, Promise<number[]>>)[key]!, key);
}

/** What a booth page did after the claimant confirmed, as wall-clock times (ms since the epoch). */
export interface CallSteps {
  /** The claimant pressed the summary's confirm. */
  confirmedAt?: number;
  /** The page asked for the camera and microphone: it knows it is assigned and starts the call. */
  cameraAskedAt?: number;
  /** The camera and microphone are open. */
  cameraOpenAt?: number;
  /** The call's first peer connection was created. */
  firstConnectionAt?: number;
  /** The last of the call's peer connections to connect (ICE and DTLS) did. */
  connectedAt?: number;
}

/**
 * For a page about to load: records its CallSteps in `window.__callSteps`. Runs after
 * recordPeerConnections, whose RTCPeerConnection it wraps in turn.
 */
export async function recordCallSteps(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const steps: CallSteps = {};
    (window as unknown as { __callSteps: CallSteps }).__callSteps = steps;
    const now = (): number => performance.timeOrigin + performance.now();
    document.addEventListener(
      'click',
      (event) => {
        if ((event.target as Element | null)?.closest('[data-testid="confirm"]')) steps.confirmedAt ??= now();
      },
      true,
    );
    const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const inCall = steps.confirmedAt !== undefined && steps.cameraAskedAt === undefined;
      if (inCall) steps.cameraAskedAt = now();
      const stream = await open(constraints);
      if (inCall) steps.cameraOpenAt = now();
      return stream;
    };
    const Recorded = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Recorded {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        if (steps.confirmedAt === undefined) return;
        steps.firstConnectionAt ??= now();
        this.addEventListener('connectionstatechange', () => {
          if (this.connectionState === 'connected') steps.connectedAt = now();
        });
      }
    };
  });
}
