/**
 * One mediasoup worker with its WebRtcServer: every WebRTC transport of the worker's routers
 * (desks and the self-test probe) receives its media on the server's one UDP and one TCP port,
 * so a branch's firewall opens one port per worker instead of a range per transport.
 */
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import type { Logger } from '../logger.js';

/** Where a worker's WebRtcServer listens and what it announces to browsers. */
export interface RtcListenOptions {
  listenIp: string;
  announcedIp: string | undefined;
}

/** A mediasoup worker and the WebRtcServer on which every WebRTC transport of its routers is created. */
export interface MediaWorker {
  readonly worker: ms.Worker;
  readonly webRtcServer: ms.WebRtcServer;
  /** The WebRtcServer's port, for UDP and TCP alike. */
  readonly port: number;
}

/**
 * How long to keep trying a port that is in use: the process of a worker that just died (or of
 * a server killed before this one started) may hold it for a moment still.
 */
export interface BindRetry {
  attempts: number;
  pauseMs: number;
}

/** About 5 s: a dead worker's sockets close as its process ends, well within that. */
const DEFAULT_BIND_RETRY: BindRetry = { attempts: 20, pauseMs: 250 };

/**
 * Starts a worker and its WebRtcServer on `port` (UDP and TCP). A port in use is tried again
 * `retry.attempts` times in all, each failure logged; then the worker is closed and the start
 * fails, naming the port. Any other failure fails at once.
 */
export async function startMediaWorker(
  listen: RtcListenOptions,
  port: number,
  logger: Logger,
  retry: BindRetry = DEFAULT_BIND_RETRY,
): Promise<MediaWorker> {
  const worker = await mediasoup.createWorker({ logLevel: 'warn' });
  try {
    const webRtcServer = await createWebRtcServer(worker, listen, port, logger, retry);
    return { worker, webRtcServer, port };
  } catch (error) {
    worker.close();
    throw error;
  }
}

async function createWebRtcServer(
  worker: ms.Worker,
  listen: RtcListenOptions,
  port: number,
  logger: Logger,
  retry: BindRetry,
): Promise<ms.WebRtcServer> {
  const listenInfos: ms.WebRtcServerListenInfo[] = (['udp', 'tcp'] as const).map((protocol) => ({
    protocol,
    ip: listen.listenIp,
    announcedIp: listen.announcedIp,
    port,
  }));
  for (let attempt = 1; ; attempt++) {
    try {
      return await worker.createWebRtcServer({ listenInfos });
    } catch (error) {
      const message = (error as Error).message;
      if (!isPortInUse(message)) throw error;
      if (attempt >= retry.attempts) {
        throw new Error(
          `RTC port ${port} (UDP and TCP on ${listen.listenIp}) is still in use after ${attempt} attempts: another process holds it; ` +
            'stop it, or move RTC_PORT to a free range of one port per worker',
        );
      }
      logger.warn({ port, attempt, retryInMs: retry.pauseMs, err: message }, 'RTC port in use; trying again');
      await new Promise((resolve) => setTimeout(resolve, retry.pauseMs));
      if (worker.died || worker.closed) throw new Error(`The mediasoup worker ended while waiting for RTC port ${port}`);
    }
  }
}

/** The worker reports libuv's EADDRINUSE as `address already in use`. */
function isPortInUse(message: string): boolean {
  return /address already in use/i.test(message);
}

/** Whether the worker can still take routers. */
export function isLive(mediaWorker: MediaWorker): boolean {
  return !mediaWorker.worker.died && !mediaWorker.worker.closed;
}
