/**
 * socket.io's Redis streams adapter, so that any server process can reach any socket (room
 * broadcasts, disconnecting a signed-out session's sockets). It gets a connection of its own:
 * it reads with blocking XREAD on duplicates of that connection and retries a failed read at
 * once, so commands must wait for Redis to come back (offline queue) instead of failing in a
 * tight loop, which the server's main connection does on purpose.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.js';

/** How long one blocking read waits; also how long a stopping server may wait for the last one. */
const BLOCK_TIME_MS = 1000;

export interface SocketAdapter {
  /** The `adapter` option of socket.io's Server. */
  adapter: ReturnType<typeof createAdapter>;
  /** Stops reconnecting; call after socket.io's Server is closed. */
  close(): void;
}

/**
 * The adapter subscribes on a duplicate of its client without handling the promise, so a server
 * stopped before Redis confirmed the subscription would end with an unhandled rejection. This
 * client's duplicates handle it; the subscription is re-made on every reconnect anyway.
 */
class AdapterClient extends Redis {
  override duplicate(override?: Partial<RedisOptions>): Redis {
    const copy = super.duplicate(override);
    const subscribe = copy.subscribe.bind(copy) as (...channels: string[]) => Promise<unknown>;
    Object.assign(copy, {
      subscribe: (...channels: string[]) => {
        const pending = subscribe(...channels);
        pending.catch(() => undefined);
        return pending;
      },
    });
    return copy;
  }
}

/** Creates the adapter on a new connection to `url`. */
export function redisSocketAdapter(url: string, parentLogger: Logger): SocketAdapter {
  const logger = parentLogger.child({ module: 'socket-adapter' });
  let closing = false;
  const client = new AdapterClient(url, {
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    // The adapter disconnects its readers after their connection may already have closed; ioredis
    // then waits this long for a close that never comes, keeping a stopping process alive.
    disconnectTimeout: 100,
    // The adapter's duplicates share these options, so once closing none of them reconnects.
    retryStrategy: (attempt) => (closing ? null : Math.min(attempt * 200, 2000)),
  });
  client.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis connection error'));
  return {
    adapter: createAdapter(client, { streamName: 'bilik:socket.io', blockTimeInMs: BLOCK_TIME_MS }),
    close: () => {
      closing = true;
      client.disconnect();
    },
  };
}
