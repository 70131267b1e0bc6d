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
