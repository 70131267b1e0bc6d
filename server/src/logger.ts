import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The one root logger of a process; modules take `logger.child({ module })`. The server logs to
 * stdout as `bilik`; tools name themselves and may log elsewhere (the fleet CLI: stderr).
 */
export function createLogger(level: string, options: { service?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level,
      base: { service: options.service ?? 'bilik' },
      // Handshake auth and cookies may carry credentials once accounts exist; never log them.
      redact: ['req.headers.cookie', 'req.headers.authorization', '*.auth'],
    },
    options.destination,
  );
}
