import type { Socket } from 'socket.io-client';
import type { ErrorCode } from '../errors.js';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../protocol.js';

/** A socket of either client app. */
export type MediaSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type CommandEvent = keyof ClientToServerEvents;
type PayloadOf<E extends CommandEvent> = Parameters<ClientToServerEvents[E]>[0];
type ReplyOf<E extends CommandEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;

/** A command the server refused, with its error code for the view to act on. */
export class SignalingError extends Error {
  constructor(
    readonly code: ErrorCode | 'TIMEOUT',
    message: string,
  ) {
    super(message);
    this.name = 'SignalingError';
  }
}

const REQUEST_TIMEOUT_MS = 10_000;

/** Sends one command and resolves with its data, or rejects with a SignalingError. */
export async function request<E extends CommandEvent>(socket: MediaSocket, event: E, payload: PayloadOf<E>): Promise<ReplyOf<E>> {
  let ack: Ack<ReplyOf<E>>;
  try {
    // socket.io's typed emit cannot follow a generic event name, so the call is widened once here.
    const emitter = socket.timeout(REQUEST_TIMEOUT_MS) as unknown as {
      emitWithAck(event: string, payload: unknown): Promise<Ack<ReplyOf<E>>>;
    };
    ack = await emitter.emitWithAck(event, payload);
  } catch {
    throw new SignalingError('TIMEOUT', `Server did not answer ${event} in ${REQUEST_TIMEOUT_MS} ms`);
  }
  if (!ack.ok) throw new SignalingError(ack.error, ack.message);
  return ack.data;
}
