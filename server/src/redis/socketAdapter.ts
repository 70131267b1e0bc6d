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
 * The adapter subscribes on a duplicate of its client as soon as it creates a namespace, without
 * waiting for the connection. ioredis 5 writes a SUBSCRIBE made while it connects before its own
 * ready check (INFO), which Redis then refuses in subscriber mode; the ready check fails and the
 * subscription is lost for good, so broadcasts with acknowledgements count no server and time out
 * (ioredis issue #2037; fixed in ioredis 6, which BullMQ does not support yet). This client's
 * duplicates subscribe only once ready, and report a subscription that still fails instead of
 * leaving an unhandled rejection.
 */
export class AdapterClient extends Redis {
  constructor(
    url: string,
    options: RedisOptions,
    private readonly onSubscribeFailure: (channels: string[], error: Error) => void,
  ) {
    super(url, options);
  }

  override duplicate(override?: Partial<RedisOptions>): Redis {
    const copy = super.duplicate(override);
    const subscribe = copy.subscribe.bind(copy) as (...channels: string[]) => Promise<unknown>;
    Object.assign(copy, {
      subscribe: (...channels: string[]) => {
        const pending = untilReady(copy).then(() => subscribe(...channels));
        pending.catch((error: Error) => this.onSubscribeFailure(channels.flat(), error));
        return pending;
      },
    });
    return copy;
  }
}

/** Resolves once `client` is ready for commands; rejects if it ends first. */
function untilReady(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      client.off('end', onEnd);
      resolve();
    };
    const onEnd = () => {
      client.off('ready', onReady);
      reject(new Error('The connection ended before it was ready'));
    };
    client.once('ready', onReady);
    client.once('end', onEnd);
  });
}

/** Creates the adapter on a new connection to `url`. */
export function redisSocketAdapter(url: string, parentLogger: Logger): SocketAdapter {
  const logger = parentLogger.child({ module: 'socket-adapter' });
  let closing = false;
  const client = new AdapterClient(
    url,
    {
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      // The adapter disconnects its readers after their connection may already have closed; ioredis
      // then waits this long for a close that never comes, keeping a stopping process alive.
      disconnectTimeout: 100,
      // The adapter's duplicates share these options, so once closing none of them reconnects.
      retryStrategy: (attempt) => (closing ? null : Math.min(attempt * 200, 2000)),
    },
    (channels, error) => {
      // A stopping server may end the connection before the subscription was made.
      if (closing) return;
      logger.error({ channels, err: error.message }, 'could not subscribe to the other server processes; broadcasts to them are lost');
    },
  );
  client.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis connection error'));
  return {
    adapter: createAdapter(client, { streamName: 'bilik:socket.io', blockTimeInMs: BLOCK_TIME_MS }),
    close: () => {
      closing = true;
      client.disconnect();
    },
  };
}
