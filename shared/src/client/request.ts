import type { Socket } from 'socket.io-client';
import type { ErrorCode } from '../errors.js';
import type {
  Ack,
  AckCallback,
  BoothClientToServerEvents,
  JourneyClientToServerEvents,
  MediaClientToServerEvents,
  MonitorClientToServerEvents,
  OfficerClientToServerEvents,
  ServerToClientEvents,
} from '../protocol.js';

/** A socket of one namespace, typed by the commands that namespace answers. */
export type CommandSocket<Events extends CommandEventMap> = Socket<ServerToClientEvents, Events>;
/** A kiosk's desk link, /booth. */
export type BoothSocket = CommandSocket<BoothClientToServerEvents>;
/** A kiosk's visit, /journey. */
export type JourneySocket = CommandSocket<JourneyClientToServerEvents>;
/** An officer console's desk, /officer. */
export type OfficerSocket = CommandSocket<OfficerClientToServerEvents>;
/** A supervisor's monitor of one visit, /monitor. */
export type MonitorSocket = CommandSocket<MonitorClientToServerEvents>;
/** A socket that takes the media commands: /booth, /officer or /monitor. */
export type MediaSocket = CommandSocket<MediaClientToServerEvents>;

/** The shape of every command in a namespace's event map (see CommandEvents in protocol.ts). */
type CommandEventMap = Record<string, (payload: never, ack: AckCallback<unknown>) => void>;
type ReplyOf<Command> = Command extends (payload: never, ack: AckCallback<infer Reply>) => void ? Reply : never;
/** The payload of `event` on a socket of `Events`, as `request` takes it. */
export type RequestPayload<Events extends CommandEventMap, E extends keyof Events> = Events[E] extends (
  payload: infer Payload,
  ack: never,
) => void
  ? Payload
  : never;

/**
 * A command that failed: the server refused it (its error code), it could not be sent or its
 * answer was lost with the connection (DISCONNECTED), or no answer came in time (TIMEOUT).
 */
export class SignalingError extends Error {
  constructor(
    readonly code: ErrorCode | 'DISCONNECTED' | 'TIMEOUT',
    message: string,
  ) {
    super(message);
    this.name = 'SignalingError';
  }
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Sends one command and resolves with its data, or rejects with a SignalingError. A command is
 * only ever sent on the connection it was made on: while disconnected it is refused at once, not
 * left in socket.io's send buffer for the next connection, which may belong to another session.
 */
export function request<Events extends CommandEventMap, E extends keyof Events & string>(
  socket: CommandSocket<Events>,
  event: E,
  payload: RequestPayload<Events, E>,
): Promise<ReplyOf<Events[E]>> {
  return new Promise((resolve, reject) => {
    const notSent = (): SignalingError => new SignalingError('DISCONNECTED', `Not connected; '${event}' was not sent`);
    if (!socket.connected) {
      reject(notSent());
      return;
    }
    const unsent = socket.sendBuffer.length;
    // socket.io's typed emit cannot follow a generic event name, so the call is widened once here.
    const emitter = socket.timeout(REQUEST_TIMEOUT_MS) as unknown as {
      emit(event: string, payload: unknown, answer: (error: Error | null, ack: Ack<ReplyOf<Events[E]>>) => void): void;
    };
    emitter.emit(event, payload, (error, ack) => {
      if (error) {
        // socket.io fails a pending command as soon as its connection is lost (the socket is no
        // longer connected then), and when the time is up otherwise.
        reject(
          socket.connected
            ? new SignalingError('TIMEOUT', `Server did not answer '${event}' in ${REQUEST_TIMEOUT_MS} ms`)
            : new SignalingError('DISCONNECTED', `The connection was lost before '${event}' was answered`),
        );
      } else if (ack.ok) resolve(ack.data);
      else reject(new SignalingError(ack.error, ack.message));
    });
    // socket.io buffers instead of sending when it has just found the connection dead (its ping
    // expired) and closes it right after: the command fails now and is never sent.
    if (socket.sendBuffer.length > unsent) {
      socket.sendBuffer.splice(unsent);
      reject(notSent());
    }
  });
}
