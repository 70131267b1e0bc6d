import type { Socket } from 'socket.io-client';
import type { ErrorCode } from '../errors.js';
import type {
  Ack,
  MediaClientToServerEvents,
  MediaReplies,
  MediaRequest,
  MediaRequestEvent,
  ServerToClientEvents,
} from '../protocol.js';

/** A socket of either client app: both speak the media commands. */
export type MediaSocket = Socket<ServerToClientEvents, MediaClientToServerEvents>;

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

/** Sends one media command and resolves with its data, or rejects with a SignalingError. */
export async function request<E extends MediaRequestEvent>(
  socket: MediaSocket,
  event: E,
  payload: MediaRequest<E>,
): Promise<MediaReplies[E]> {
  let ack: Ack<MediaReplies[E]>;
  try {
    // socket.io's typed emit cannot follow a generic event name, so the call is widened once here.
    const emitter = socket.timeout(REQUEST_TIMEOUT_MS) as unknown as {
      emitWithAck(event: string, payload: unknown): Promise<Ack<MediaReplies[E]>>;
    };
    ack = await emitter.emitWithAck(event, payload);
  } catch {
    throw new SignalingError('TIMEOUT', `Server did not answer ${event} in ${REQUEST_TIMEOUT_MS} ms`);
  }
  if (!ack.ok) throw new SignalingError(ack.error, ack.message);
  return ack.data;
}
