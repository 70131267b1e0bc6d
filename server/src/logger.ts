import { pino, type Logger } from 'pino';

export type { Logger };

/** The one root logger; modules take `logger.child({ module })`. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'bilik' },
    // Handshake auth and cookies may carry credentials once accounts exist; never log them.
    redact: ['req.headers.cookie', 'req.headers.authorization', '*.auth'],
  });
}
