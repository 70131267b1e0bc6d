/**
 * Starts a Bilik server in named steps (Redis, SFU, HTTP, signaling) and returns a handle that
 * stops it in reverse order. index.ts runs it as the service; tests start it the same way.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { MAX_MESSAGE_BYTES } from '@bilik/shared';
import type { Redis } from 'ioredis';
import { Server as SocketServer } from 'socket.io';
import { createApp } from './app.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { connectRedis } from './redis/connectRedis.js';
import { EmbeddedRedis } from './redis/embeddedRedis.js';
import { DeskRegistry, fixedDesk } from './sfu/deskRegistry.js';
import { WorkerPool } from './sfu/workerPool.js';
import { attachSignaling } from './signaling/namespaces.js';
import { isAllowedOrigin } from './signaling/originCheck.js';

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  redis: Redis;
  embeddedRedis: EmbeddedRedis | null;
  workers: WorkerPool;
  /** Stops everything this server started. Safe to call twice. */
  close(): Promise<void>;
}

const REDIS_PING_TIMEOUT_MS = 1000;

const clientApps = [
  { mountPath: '/booth', distDir: fileURLToPath(new URL('../../booth-client/dist', import.meta.url)) },
  { mountPath: '/officer', distDir: fileURLToPath(new URL('../../officer-console/dist', import.meta.url)) },
];

/** Starts the service described by `config`. */
export async function startServer(config: Readonly<Config>, logger: Logger): Promise<RunningServer> {
  const cleanups: Array<() => Promise<void> | void> = [];
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    // Step 1: Redis, embedded unless an external one is configured.
    let embeddedRedis: EmbeddedRedis | null = null;
    let redisUrl: string;
    if ('url' in config.redis) {
      redisUrl = config.redis.url;
    } else {
      embeddedRedis = await EmbeddedRedis.start(config.redis.embedded, logger);
      cleanups.push(() => embeddedRedis?.stop());
      redisUrl = embeddedRedis.url;
    }
    const redis = await connectRedis(redisUrl, logger);
    cleanups.push(() => redis.disconnect());

    // Step 2: the SFU.
    const workers = await WorkerPool.create(config.mediasoup, logger);
    cleanups.push(() => workers.close());
    const desks = new DeskRegistry(
      workers,
      { listenIp: config.mediasoup.listenIp, announcedIp: config.mediasoup.announcedIp },
      fixedDesk(config.devDesk),
      logger,
    );
    cleanups.push(() => desks.close());

    // Step 3: HTTP.
    const app = createApp({
      readiness: { redis: () => pingRedis(redis), mediasoup: () => workers.healthy },
      clientApps,
    });
    const httpServer = config.http.tls
      ? https.createServer({ cert: readFileSync(config.http.tls.certFile), key: readFileSync(config.http.tls.keyFile) }, app)
      : http.createServer(app);

    // Step 4: signaling, on the same HTTP server.
    const io = new SocketServer(httpServer, {
      maxHttpBufferSize: MAX_MESSAGE_BYTES,
      serveClient: false,
      allowRequest: (request, callback) => callback(null, isAllowedOrigin(request, config.http.allowedOrigins)),
    });
    attachSignaling(io, { desks, logger });
    cleanups.push(() => new Promise<void>((resolve) => void io.close(() => resolve())));

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.http.port, config.http.host, () => resolve());
    });
    const { port } = httpServer.address() as AddressInfo;
    const url = `${config.http.tls ? 'https' : 'http'}://${config.http.host}:${port}`;
    logger.info({ url }, 'bilik server listening');
    return { url, redis, embeddedRedis, workers, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function pingRedis(redis: Redis): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), REDIS_PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([redis.ping().then((answer) => answer === 'PONG'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
