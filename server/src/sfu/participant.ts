/**
 * One connected client at a desk (the officer or a booth) and the mediasoup objects it owns.
 * Every id a client sends is looked up here, in its own objects only.
 */
import type { MediaKind, ServerToClientEvents, TransportDirection } from '@bilik/shared';
import type { types as ms } from 'mediasoup';
import { ForbiddenError, LimitExceededError } from '../errors.js';
import { PRODUCERS_PER_KIND, TRANSPORTS_PER_DIRECTION } from '../limits/clientLimits.js';
import type { Logger } from '../logger.js';
import type { ParticipantRole, PolicyMonitor, PolicyParticipant } from './mediaPolicy.js';

/** What a monitoring supervisor's seat watches: one booth's visit, and whether the supervisor barged in on it. */
export interface Watch {
  boothId: string;
  visitId: string;
  barging: boolean;
}

/** Sends a server event to this participant's socket. */
export type Notify = <E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>) => void;

/** The participant's connection, as the desk may use it. */
export interface ClientConnection {
  notify: Notify;
  /** Ends the connection, e.g. when the same booth or officer connected again elsewhere. */
  disconnect(): void;
  /**
   * The desk is to be held by another server node: tells the client to connect again at once
   * (`desk:moved`), then ends the connection.
   */
  moved(): void;
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
  /** Transports and producers mediasoup is still creating: they count against the caps already. */
  private readonly underway = { transports: new Map<TransportDirection, number>(), producers: new Map<MediaKind, number>() };
  private closed = false;

  constructor(
    readonly role: ParticipantRole,
    readonly id: string,
    readonly connection: ClientConnection,
    readonly logger: Logger,
    /** For a monitor (role 'monitor') only: the visit it watches; null for the officer and booths. */
    readonly watch: Watch | null = null,
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

  /**
   * Counts a transport of `direction` as being created until the returned function is called;
   * refused while TRANSPORTS_PER_DIRECTION of them are, so a flood of requests holds no more ports.
   */
  startTransport(direction: TransportDirection): () => void {
    if ((this.underway.transports.get(direction) ?? 0) >= TRANSPORTS_PER_DIRECTION) {
      throw new LimitExceededError('transports', `A ${direction} transport is already being created`);
    }
    return countUnderway(this.underway.transports, direction);
  }

  /**
   * Closes the oldest transports of `direction`, so that one more stays within
   * TRANSPORTS_PER_DIRECTION; their producers and consumers close with them (see forgetClosed).
   */
  makeRoomForTransport(direction: TransportDirection): void {
    const sameDirection = [...this.transports.values()].filter((entry) => entry.direction === direction);
    for (const replaced of sameDirection.slice(0, Math.max(0, sameDirection.length + 1 - TRANSPORTS_PER_DIRECTION))) {
      replaced.transport.close();
    }
  }

  /**
   * Forgets transports mediasoup has closed (replaced, or closed under the desk), and the
   * producers and consumers that closed with them; returns the consumers forgotten so, which
   * the client is to be told about.
   */
  forgetClosed(): ms.Consumer[] {
    for (const [id, entry] of this.transports) if (entry.transport.closed) this.transports.delete(id);
    // mediasoup closes a transport's producers and consumers with it, at once.
    for (const [kind, producer] of this.producers) if (producer.closed) this.producers.delete(kind);
    const closedConsumers: ms.Consumer[] = [];
    for (const [key, consumer] of this.consumers) {
      if (!consumer.closed) continue;
      this.consumers.delete(key);
      this.readyConsumerIds.delete(consumer.id);
      closedConsumers.push(consumer);
    }
    return closedConsumers;
  }

  /**
   * Counts a producer of `kind` as being created until the returned function is called; refused
   * when the participant already sends (or is starting to send) PRODUCERS_PER_KIND of that kind.
   */
  startProducer(kind: MediaKind): () => void {
    if ((this.producers.has(kind) ? 1 : 0) + (this.underway.producers.get(kind) ?? 0) >= PRODUCERS_PER_KIND) {
      throw new LimitExceededError('producers', `You already send ${kind}`);
    }
    return countUnderway(this.underway.producers, kind);
  }

  /** The participant as the media policy sees it. */
  toPolicy(): PolicyParticipant {
    const producers: PolicyParticipant['producers'] = {};
    for (const [kind, producer] of this.producers) producers[kind] = producer.id;
    return { id: this.id, producers, receiving: this.rtpCapabilities !== null && this.recvTransport !== undefined };
  }

  /** A monitoring supervisor as the media policy sees it; null for anyone else. */
  toMonitorPolicy(): PolicyMonitor | null {
    return this.watch && { ...this.toPolicy(), ...this.watch };
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

/** Counts one more under `key`; the returned function takes it back. */
function countUnderway<Key>(counts: Map<Key, number>, key: Key): () => void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
  return () => {
    const remaining = (counts.get(key) ?? 1) - 1;
    if (remaining > 0) counts.set(key, remaining);
    else counts.delete(key);
  };
}
