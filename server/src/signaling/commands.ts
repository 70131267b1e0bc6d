/**
 * The one wrapper every inbound socket event goes through: it checks there is an
 * acknowledgement, validates the payload against its namespace's command table, runs the
 * handler, logs a failure once, and answers with a known error code only. Events nobody
 * registered are answered UNKNOWN_EVENT, and a client sending faster than its budget gets
 * RATE_LIMITED. A request past one of the client's caps (LIMIT_EXCEEDED) is recorded as the
 * caller's refusal.
 */
import type { Ack, Command, CommandPayload, CommandReply, CommandTable, ErrorCode } from '@bilik/shared';
import type { z } from 'zod';
import { AppError, describeFirstIssue, LimitExceededError } from '../errors.js';
import type { RecordRefusal } from '../limits/limitRefusals.js';
import type { Logger } from '../logger.js';

/**
 * Where a router's events come from: a client's socket, or (with several nodes) the messages
 * another node forwards from its socket (see cluster/remoteSeats.ts). `use` sees each inbound
 * event as [event, ...arguments], the acknowledgement last.
 */
export interface CommandSource {
  use(middleware: (packet: [string, ...unknown[]]) => void): unknown;
  emit(event: 'protocol:error', error: { event: string; error: ErrorCode; message: string }): unknown;
}

/** Computes a command's reply from its validated payload. */
export type CommandHandler<C extends Command<z.ZodType, unknown>> = (payload: CommandPayload<C>) => Promise<CommandReply<C>>;

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

/**
 * Registers validated commands on one socket, from the command table of its namespace: an event
 * outside the table, or a handler whose reply is not the table's, does not compile.
 */
export class CommandRouter<Table extends CommandTable> {
  /** Each registered command, taking the arguments of its message as the client sent them. */
  private readonly commands = new Map<string, (args: unknown[]) => void>();
  private readonly budget = new EventBudget();
  /** Whether the last event was over budget: a flood is logged when it starts, not per message. */
  private overBudget = false;

  constructor(
    private readonly socket: CommandSource,
    private readonly table: Table,
    private readonly logger: Logger,
    /** Counts and logs the socket's caller reaching a cap. */
    private readonly recordRefusal: RecordRefusal,
  ) {
    // Every inbound event passes this middleware before any listener, untyped as it came from the
    // client; commands are run from here, so no listener is ever told a payload is what it claims.
    socket.use(([event, ...args]) => {
      if (!this.budget.spend()) {
        if (!this.overBudget) this.logger.warn({ event: String(event).slice(0, 64) }, 'client exceeded its event rate');
        this.overBudget = true;
        this.answer(event, args, 'RATE_LIMITED', 'Too many messages; slow down');
        return;
      }
      this.overBudget = false;
      const run = this.commands.get(event);
      if (!run) {
        this.refuse(event, args, 'UNKNOWN_EVENT', `Unknown event '${String(event).slice(0, 64)}'`);
        return;
      }
      run(args);
    });
  }

  /** Adds one command of the table: its payload is validated against the table's schema, `handler` computes the reply. */
  command<E extends keyof Table & string>(event: E, handler: CommandHandler<Table[E]>): void {
    // Typed as Table[E], not through the table's index signature, so the parsed payload keeps its command's type.
    const entry: Table[E] = this.table[event];
    const schema: Table[E]['schema'] = entry.schema;
    this.commands.set(event, (args) => {
      const ack = args.at(-1);
      if (typeof ack !== 'function') {
        this.refuse(event, args, 'BAD_REQUEST', `'${event}' needs an acknowledgement callback`);
        return;
      }
      const reply = ack as (answer: Ack<CommandReply<Table[E]>>) => void;
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
    if (error instanceof LimitExceededError) {
      // Logged once per caller and cap by the recorder, not once per message of a flood.
      this.recordRefusal(error.limit);
      return { ok: false, error: error.code, message: error.message };
    }
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
