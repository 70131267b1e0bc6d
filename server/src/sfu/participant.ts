/**
 * One connected client at a desk (the officer or a booth) and the mediasoup objects it owns.
 * Every id a client sends is looked up here, in its own objects only.
 */
import type { MediaKind, ServerToClientEvents, TransportDirection } from '@bilik/shared';
import type { types as ms } from 'mediasoup';
import { ForbiddenError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ParticipantRole, PolicyParticipant } from './mediaPolicy.js';

/** Sends a server event to this participant's socket. */
export type Notify = <E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>) => void;

/** The participant's connection, as the desk may use it. */
export interface ClientConnection {
  notify: Notify;
  /** Ends the connection, e.g. when the same booth or officer connected again elsewhere. */
  disconnect(): void;
}

/** What mediasoup objects of a participant carry, naming their owner. */
export interface OwnerAppData extends ms.AppData {
  role: ParticipantRole;
  ownerId: string;
}

export class Participant {
  rtpCapabilities: ms.RtpCapabilities | null = null;
  readonly transports = new Map<string, { transport: ms.WebRtcTransport; direction: TransportDirection }>();
  readonly producers = new Map<MediaKind, ms.Producer>();
  /** Consumers by policy key (see consumerKey). */
  readonly consumers = new Map<string, ms.Consumer>();
  /** Consumer ids the client has attached; only those may be resumed. */
  readonly readyConsumerIds = new Set<string>();
  private closed = false;

  constructor(
    readonly role: ParticipantRole,
    readonly id: string,
    readonly connection: ClientConnection,
    readonly logger: Logger,
  ) {}

  /** Sends a server event to this participant. */
  readonly notify: Notify = (event, ...args) => this.connection.notify(event, ...args);

  get isClosed(): boolean {
    return this.closed;
  }

  get appData(): OwnerAppData {
    return { role: this.role, ownerId: this.id };
  }

  /** This participant's transport with the given id; any other id is FORBIDDEN, whether or not it exists elsewhere. */
  transport(transportId: string): { transport: ms.WebRtcTransport; direction: TransportDirection } {
    const entry = this.transports.get(transportId);
    if (!entry) throw new ForbiddenError(`Transport ${transportId} is not yours`);
    return entry;
  }

  /** The receive transport, if the client made one. */
  get recvTransport(): ms.WebRtcTransport | undefined {
    for (const entry of this.transports.values()) if (entry.direction === 'recv') return entry.transport;
    return undefined;
  }

  /** This participant's consumer with the given mediasoup id; any other id is FORBIDDEN. */
  consumerById(consumerId: string): ms.Consumer {
    for (const consumer of this.consumers.values()) if (consumer.id === consumerId) return consumer;
    throw new ForbiddenError(`Consumer ${consumerId} is not yours`);
  }

  /** The participant as the media policy sees it. */
  toPolicy(): PolicyParticipant {
    const producers: PolicyParticipant['producers'] = {};
    for (const [kind, producer] of this.producers) producers[kind] = producer.id;
    return { id: this.id, producers, receiving: this.rtpCapabilities !== null && this.recvTransport !== undefined };
  }

  /** Closes every transport, and with them its producers and consumers. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const { transport } of this.transports.values()) transport.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
    this.readyConsumerIds.clear();
  }
}
