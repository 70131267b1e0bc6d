/**
 * The one wrapper every inbound socket event goes through: it checks there is an
 * acknowledgement, validates the payload against the shared schema, runs the handler, logs a
 * failure once, and answers with a known error code only. Events nobody registered are
 * answered UNKNOWN_EVENT.
 */
import type { Ack, ErrorCode } from '@bilik/shared';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

type Listener = (...args: unknown[]) => void;
/** socket.io's typed `on` cannot take an event name chosen at run time, so commands use this view. */
interface UntypedSocket {
  on(event: string, listener: Listener): void;
  onAny(listener: (event: string, ...args: unknown[]) => void): void;
  emit(event: string, payload: unknown): void;
}

export type CommandHandler<Payload, Reply> = (payload: Payload) => Promise<Reply>;

/** Registers validated commands on one socket. */
export class CommandRouter {
  private readonly events = new Set<string>();
  private readonly socket: UntypedSocket;

  constructor(
    socket: Socket,
    private readonly logger: Logger,
  ) {
    this.socket = socket as unknown as UntypedSocket;
    this.socket.onAny((event, ...args) => {
      if (!this.events.has(event)) this.refuse(event, args, 'UNKNOWN_EVENT', `Unknown event '${String(event).slice(0, 64)}'`);
    });
  }

  /** Adds one command: `schema` validates its payload, `handler` computes the reply. */
  command<Schema extends z.ZodType, Reply>(event: string, schema: Schema, handler: CommandHandler<z.infer<Schema>, Reply>): void {
    this.events.add(event);
    this.socket.on(event, (...args: unknown[]) => {
      const ack = args.at(-1);
      if (typeof ack !== 'function') {
        this.refuse(event, args, 'BAD_REQUEST', `'${event}' needs an acknowledgement callback`);
        return;
      }
      const reply = ack as (answer: Ack<Reply>) => void;
      const parsed = schema.safeParse(args.length > 1 ? args[0] : undefined);
      if (!parsed.success) {
        const problem = parsed.error.issues[0];
        const where = problem && problem.path.length > 0 ? ` at ${problem.path.join('.')}` : '';
        reply({ ok: false, error: 'BAD_REQUEST', message: `Invalid '${event}' payload${where}: ${problem?.message ?? 'invalid'}` });
        return;
      }
      handler(parsed.data).then(
        (data) => reply({ ok: true, data }),
        (error: unknown) => reply(this.failure(event, error)),
      );
    });
  }

  private failure(event: string, error: unknown): { ok: false; error: ErrorCode; message: string } {
    if (error instanceof AppError) {
      this.logger.warn({ event, code: error.code, reason: error.message }, 'command refused');
      return { ok: false, error: error.code, message: error.message };
    }
    this.logger.error({ event, err: error instanceof Error ? error.stack : String(error) }, 'command failed');
    return { ok: false, error: 'INTERNAL', message: 'The server could not complete this request' };
  }

  /** Answers through the acknowledgement if there is one, otherwise with a protocol:error event. */
  private refuse(event: string, args: unknown[], error: ErrorCode, message: string): void {
    this.logger.warn({ event: String(event).slice(0, 64), code: error }, 'message refused');
    const ack = args.at(-1);
    if (typeof ack === 'function') (ack as (answer: Ack<never>) => void)({ ok: false, error, message });
    else this.socket.emit('protocol:error', { event: String(event).slice(0, 64), error, message });
  }
}
