/**
 * This node's sockets whose desk another node holds (MULTI_NODE=on). Each socket's client is
 * seated there through the node bus; its desk commands are forwarded there and answered from
 * there; the desk's events for it come back and are emitted on the socket, in order. When the
 * desk's node no longer holds the desk (it died, it drained, or it lost the lease), the client is
 * told `desk:moved` and disconnected: it connects again at once and is seated wherever the desk
 * is then.
 */
import type { Ack } from '@bilik/shared';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { sendDeskMoved } from '../signaling/deskSeating.js';
import type { SignalingSocket } from '../signaling/socketTypes.js';
import type { DeskPlacement } from './deskPlacement.js';
import type { NodeBus, NodeNotice, RemoteClient } from './nodeBus.js';

/** How a forwarded desk command ended: answered by the desk's node (done or refused), or not (bilik_forwarded_desk_commands_total). */
export type ForwardOutcome = 'answered' | 'unavailable';

/** How long a forwarded request may wait for the desk's node: a transport's creation takes well under a second. */
const FORWARD_TIMEOUT_MS = 10_000;

/** One socket's link to its desk on another node. */
export class RemoteDeskLink {
  /** The desk's events that arrived before the socket's `connection`, emitted then; null once connected. */
  private early: Array<{ event: string; args: unknown[] }> | null = [];
  private left = false;

  constructor(
    private readonly socket: SignalingSocket,
    readonly officerId: string,
    /** The node holding the desk. */
    readonly nodeId: string,
    private readonly bus: NodeBus,
    private readonly onLeft: () => void,
    /** Counts each forwarded command by how it ended (bilik_forwarded_desk_commands_total). */
    private readonly countForwarded: (outcome: ForwardOutcome) => void,
  ) {}

  /**
   * Runs a desk command on the desk's node; rejects with its refusal, as a local handler would.
   * UNAVAILABLE (the desk's node did not answer, or no longer seats this client) also moves the
   * client: it connects again at once and is seated wherever the desk is then.
   */
  async ask(event: string, payload: unknown): Promise<unknown> {
    const ack = await this.bus.request(this.nodeId, { kind: 'command', socketId: this.socket.id, event, payload }, FORWARD_TIMEOUT_MS);
    this.countForwarded(!ack.ok && ack.error === 'UNAVAILABLE' ? 'unavailable' : 'answered');
    if (ack.ok) return ack.data;
    if (ack.error === 'UNAVAILABLE') this.moved();
    throw new AppError(ack.error, ack.message);
  }

  /** The socket completed its connection: what the desk said meanwhile is emitted now. */
  connected(): void {
    const early = this.early ?? [];
    this.early = null;
    for (const { event, args } of early) this.emit(event, args);
  }

  /** An event of the desk for this socket. */
  deliver(event: string, args: unknown[]): void {
    if (this.early) this.early.push({ event, args });
    else this.emit(event, args);
  }

  /** The socket closed: the client leaves the desk on its node. Safe to call twice. */
  leave(): void {
    if (this.left) return;
    this.left = true;
    this.onLeft();
    this.bus.notify(this.nodeId, { kind: 'leave', socketId: this.socket.id });
  }

  /** Ends the socket's connection; its client connects again. */
  disconnect(): void {
    this.socket.disconnect(true);
  }

  /** The desk is to be held by another node: the client is told to connect again at once, and disconnected. */
  moved(): void {
    sendDeskMoved(this.socket);
  }

  private emit(event: string, args: unknown[]): void {
    // The desk's node emits only events of the server-to-client contract, for this socket's role.
    (this.socket.emit as (event: string, ...args: unknown[]) => boolean)(event, ...args);
  }
}

export class RemoteDesks {
  /** By socket id. */
  private readonly links = new Map<string, RemoteDeskLink>();
  private readonly logger: Logger;

  constructor(
    private readonly bus: NodeBus,
    private readonly placement: DeskPlacement,
    private readonly countForwarded: (outcome: ForwardOutcome) => void,
    logger: Logger,
  ) {
    this.logger = logger.child({ module: 'remote-desks' });
  }

  /**
   * Seats the socket's client at its desk on node `nodeId`; rejects with that node's refusal (a
   * full desk; a desk that moved meanwhile, UNAVAILABLE; a node that does not answer, UNAVAILABLE).
   */
  async seat(socket: SignalingSocket, client: RemoteClient, nodeId: string): Promise<RemoteDeskLink> {
    const link = new RemoteDeskLink(socket, client.officerId, nodeId, this.bus, () => this.links.delete(socket.id), this.countForwarded);
    this.links.set(socket.id, link);
    const ack: Ack<unknown> = await this.bus.request(nodeId, { kind: 'seat', socketId: socket.id, client }, FORWARD_TIMEOUT_MS);
    if (!ack.ok) {
      // A seat that timed out may still be made: leaving undoes it.
      link.leave();
      throw new AppError(ack.error, ack.message);
    }
    return link;
  }

  /** A message from a desk's node about one of this node's sockets. */
  notice(from: string, notice: NodeNotice): void {
    if (notice.kind === 'leave') return;
    const link = this.links.get(notice.socketId);
    if (!link || link.nodeId !== from) return;
    if (notice.kind === 'notify') link.deliver(notice.event, notice.args);
    else if (notice.kind === 'moved') link.moved();
    else link.disconnect();
  }

  /** Disconnects the sockets whose desk's node no longer holds the desk (or died), for their clients to connect again at once. */
  async dropMovedDesks(): Promise<void> {
    const holders = new Map<string, string | null>();
    for (const link of [...this.links.values()]) {
      if (!holders.has(link.officerId)) holders.set(link.officerId, await this.placement.liveHolderOf(link.officerId));
      if (holders.get(link.officerId) === link.nodeId) continue;
      this.logger.warn(
        { officerId: link.officerId, node: link.nodeId },
        "the node holding this socket's desk no longer does; reconnecting the client",
      );
      link.moved();
    }
  }
}
