/**
 * The one wrapper every inbound socket event goes through: it checks there is an
 * acknowledgement, validates the payload against the shared schema, runs the handler, logs a
 * failure once, and answers with a known error code only. Events nobody registered are
 * answered UNKNOWN_EVENT, and a client sending faster than its budget gets RATE_LIMITED.
 */
import type { Ack, ErrorCode } from '@bilik/shared';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { AppError, describeFirstIssue } from '../errors.js';
import type { Logger } from '../logger.js';

type Listener = (...args: unknown[]) => void;
/** socket.io's typed `on` cannot take an event name chosen at run time, so commands use this view. */
interface UntypedSocket {
  on(event: string, listener: Listener): void;
  use(middleware: (packet: [string, ...unknown[]], next: (error?: Error) => void) => void): void;
  emit(event: string, payload: unknown): void;
}

export type CommandHandler<Payload, Reply> = (payload: Payload) => Promise<Reply>;

/**
 * How many events one socket may send: a burst of BURST, refilled at RATE per second. A console
 * sends a few events a second at most (dozens while setting up media); this bounds what one
 * hostile client can make the server do.
 */
const EVENT_BURST = 1000;
const EVENT_RATE_PER_SECOND = 200;

/** A token bucket: spends one token per event, refills continuously. */
class EventBudget {
  private tokens = EVENT_BURST;
  private refilledAt = performance.now();

  /** Spends a token; false when none is left. */
  spend(): boolean {
    const now = performance.now();
    this.tokens = Math.min(EVENT_BURST, this.tokens + ((now - this.refilledAt) / 1000) * EVENT_RATE_PER_SECOND);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Registers validated commands on one socket. */
export class CommandRouter {
  private readonly events = new Set<string>();
  private readonly socket: UntypedSocket;
  private readonly budget = new EventBudget();
  /** Whether the last event was over budget: a flood is logged when it starts, not per message. */
  private overBudget = false;

  constructor(
    socket: Socket,
    private readonly logger: Logger,
  ) {
    this.socket = socket;
    // Every inbound event passes this middleware before any listener; what it stops goes no further.
    this.socket.use(([event, ...args], next) => {
      if (!this.budget.spend()) {
        if (!this.overBudget) this.logger.warn({ event: String(event).slice(0, 64) }, 'client exceeded its event rate');
        this.overBudget = true;
        this.answer(event, args, 'RATE_LIMITED', 'Too many messages; slow down');
        return;
      }
      this.overBudget = false;
      if (!this.events.has(event)) {
        this.refuse(event, args, 'UNKNOWN_EVENT', `Unknown event '${String(event).slice(0, 64)}'`);
        return;
      }
      next();
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
        reply({ ok: false, error: 'BAD_REQUEST', message: `Invalid '${event}' payload${describeFirstIssue(parsed.error)}` });
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

  /** Logs a refused message, then answers it. */
  private refuse(event: string, args: unknown[], error: ErrorCode, message: string): void {
    this.logger.warn({ event: String(event).slice(0, 64), code: error }, 'message refused');
    this.answer(event, args, error, message);
  }

  /** Answers through the acknowledgement if there is one, otherwise with a protocol:error event. */
  private answer(event: string, args: unknown[], error: ErrorCode, message: string): void {
    const ack = args.at(-1);
    if (typeof ack === 'function') (ack as (answer: Ack<never>) => void)({ ok: false, error, message });
    else this.socket.emit('protocol:error', { event: String(event).slice(0, 64), error, message });
  }
}
