/**
 * The clients seated at this node's desks whose sockets another node holds. Such a node asks
 * this one over the node bus to seat the client, then forwards each desk command; this node
 * runs them exactly as it runs its own sockets' (same validation, caps and permissions: the
 * same CommandRouter and handlers, see signaling/deskSeating.ts), and sends the desk's events
 * for that client back. The media flows between the client and this node directly.
 *
 * A forwarding node that dies leaves the node bus (or, its host vanished, stops renewing its
 * liveness): its clients then leave their desks here, as a closed socket would.
 */
import type { Ack, ErrorCode } from '@bilik/shared';
import type { LimitRefusals } from '../limits/limitRefusals.js';
import type { Logger } from '../logger.js';
import type { Desk } from '../sfu/desk.js';
import type { ClientConnection, Participant } from '../sfu/participant.js';
import type { CommandSource } from '../signaling/commands.js';
import { leaveDesk, registerDeskCommands, roleRouter, seatAtDesk, type DeskSeatDeps } from '../signaling/deskSeating.js';
import type { DeskLeases } from './deskLeases.js';
import type { DeskPlacement } from './deskPlacement.js';
import type { NodeBus, NodeNotice, NodeRequest, RemoteClient } from './nodeBus.js';

/** One remote client's seat: its desk, its participant there, and the source its forwarded commands enter by. */
interface RemoteSeat {
  from: string;
  client: RemoteClient;
  desk: Desk;
  participant: Participant;
  source: ForwardedCommands;
  logger: Logger;
}

export interface RemoteSeatDeps extends DeskSeatDeps {
  bus: NodeBus;
  leases: DeskLeases;
  placement: DeskPlacement;
  limitRefusals: LimitRefusals;
  logger: Logger;
}

export class RemoteSeats {
  /** By `${node}/${socketId}`. */
  private readonly seats = new Map<string, RemoteSeat>();
  private readonly logger: Logger;

  constructor(private readonly deps: RemoteSeatDeps) {
    this.logger = deps.logger.child({ module: 'remote-seats' });
  }

  /** Answers a seat or command request from node `from`. */
  async request(from: string, request: NodeRequest): Promise<Ack<unknown>> {
    if (request.kind === 'seat') return this.seat(from, request.socketId, request.client);
    const seat = this.seats.get(seatKey(from, request.socketId));
    // Its seat was dropped (its node was taken for dead) or the desk closed here: the node holding the socket reconnects it.
    if (!seat) return { ok: false, error: 'UNAVAILABLE', message: 'You are not seated at this desk now; connect again' };
    return seat.source.deliver(request.event, request.payload);
  }

  /** A client of node `from` left. */
  notice(from: string, notice: NodeNotice): void {
    if (notice.kind === 'leave') this.leave(seatKey(from, notice.socketId));
  }

  /**
   * Seats whose node is gone leave their desks: a node that died left the node bus at once (its
   * kernel closed its connections); one whose host vanished stops renewing its liveness.
   */
  async dropDeadNodes(): Promise<void> {
    const nodes = new Set([...this.seats.values()].map((seat) => seat.from));
    for (const node of nodes) {
      if ((await this.deps.bus.isListening(node)) && (await this.deps.leases.isAlive(node))) continue;
      this.logger.warn({ node }, 'a node forwarding clients to this one is gone; its clients leave their desks');
      for (const [key, seat] of this.seats) if (seat.from === node) this.leave(key);
    }
  }

  private async seat(from: string, socketId: string, client: RemoteClient): Promise<Ack<null>> {
    const placed = await this.deps.placement.arrive(client.officerId);
    if (placed.kind === 'remote')
      return { ok: false, error: 'UNAVAILABLE', message: 'This desk is held by another server now; connect again' };
    // Seated or refused below, in this same turn, so the desk cannot close in between: the hold is done.
    placed.arrived();
    const desk = placed.desk;
    if (client.role === 'booth' && !desk.hasRoomFor(client.id)) {
      return { ok: false, error: 'INVALID_STATE', message: `The officer's desk is full (${desk.boothIds.length} booths)` };
    }
    const key = seatKey(from, socketId);
    const bus = this.deps.bus;
    const logger = this.logger.child({ role: client.role, participantId: client.id, officerId: client.officerId, node: from, socketId });
    const connection: ClientConnection = {
      notify: (event, ...args) => bus.notify(from, { kind: 'notify', socketId, event, args }),
      disconnect: () => {
        bus.notify(from, { kind: 'disconnect', socketId });
        this.leave(key);
      },
      moved: () => {
        bus.notify(from, { kind: 'moved', socketId });
        this.leave(key);
      },
    };
    let participant: Participant;
    try {
      participant = seatAtDesk(desk, client, connection, this.deps, logger);
    } catch (error) {
      // The desk closed since it was looked up: moved away, or lost with its worker.
      return { ok: false, error: 'INVALID_STATE', message: (error as Error).message };
    }
    const source = new ForwardedCommands((error) => connection.notify('protocol:error', error));
    const caller = client.role === 'booth' ? { boothId: client.id } : { accountId: client.id };
    const router = roleRouter(source, client, logger, this.deps.limitRefusals.forCaller(caller));
    registerDeskCommands(router, desk, participant, this.deps);
    this.seats.set(key, { from, client, desk, participant, source, logger });
    logger.info('seated a client of another node');
    return { ok: true, data: null };
  }

  private leave(key: string): void {
    const seat = this.seats.get(key);
    if (!seat) return;
    this.seats.delete(key);
    seat.logger.info('a client of another node left');
    leaveDesk(seat.desk, seat.participant, seat.client, this.deps, seat.logger);
  }
}

function seatKey(node: string, socketId: string): string {
  return `${node}/${socketId}`;
}

type ProtocolError = { event: string; error: ErrorCode; message: string };

/** The commands another node forwards for one socket, entering a CommandRouter as a socket's events would. */
class ForwardedCommands implements CommandSource {
  private middleware: ((packet: [string, ...unknown[]]) => void) | null = null;

  constructor(private readonly sendProtocolError: (error: ProtocolError) => void) {}

  use(middleware: (packet: [string, ...unknown[]]) => void): void {
    this.middleware = middleware;
  }

  emit(_event: 'protocol:error', error: ProtocolError): void {
    this.sendProtocolError(error);
  }

  /** Runs one forwarded command; resolves with its acknowledgement. */
  deliver(event: string, payload: unknown): Promise<Ack<unknown>> {
    return new Promise((resolve) => this.middleware!([event, payload, resolve]));
  }
}
