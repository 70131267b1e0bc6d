/**
 * Where an officer's desk is: on this node, or (with several nodes, MULTI_NODE=on) on the node
 * holding its lease. This node takes a free lease when a client of the desk connects here,
 * renews the leases of the desks open here, and gives a lease up when its desk closes. A desk
 * whose lease this node no longer holds (it lost Redis for longer than a lease, and the lease ran
 * out or another node took it) is closed here and its clients told `desk:moved`: they connect
 * again and are seated where the desk is then. A lease held by a node that died is broken as
 * soon as that is seen, rather than left to run out.
 */
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Desk } from '../sfu/desk.js';
import type { DeskRegistry } from '../sfu/deskRegistry.js';
import type { DeskLeases } from './deskLeases.js';

/** Why this node moved a desk away: it broke a dead node's lease, lost its own, or drained. */
export type DeskMoveReason = 'node_gone' | 'lease_lost' | 'drained';

/** A desk open on this node, or the node holding it. */
export type PlacedDesk = { kind: 'local'; desk: Desk } | { kind: 'remote'; nodeId: string };

/** Where a client about to be seated goes: a desk of this node held open for it until `arrived` is called, or the node holding the desk. */
export type ArrivalPlace = { kind: 'local'; desk: Desk; arrived: () => void } | { kind: 'remote'; nodeId: string };

/** How many times `arrive` looks a desk up that closed while it was being looked up, before refusing the client UNAVAILABLE. */
const ARRIVAL_ATTEMPTS = 3;

export class DeskPlacement {
  private readonly logger: Logger;
  /** Set by drain: this node is stopping and opens no desk any more. */
  private draining = false;

  constructor(
    private readonly registry: DeskRegistry,
    /** The desks' leases; null on a single node, where every desk is local. */
    private readonly leases: DeskLeases | null,
    /** Whether a node is alive now, as far as can be told at once (its bus subscription); a lease outlives a killed node. */
    private readonly isNodeAlive: (nodeId: string) => Promise<boolean>,
    /** Counts each desk this node moves away (bilik_desk_moves_total). */
    private readonly countMove: (reason: DeskMoveReason) => void,
    logger: Logger,
  ) {
    this.logger = logger.child({ module: 'desk-placement' });
  }

  /** The officer's desk: opened here if no live node holds it (refused UNAVAILABLE while this node drains). */
  async place(officerId: string): Promise<PlacedDesk> {
    if (this.draining) throw new AppError('UNAVAILABLE', 'This server is stopping; connect again to be served by another');
    if (this.leases) {
      let holder = await this.leases.claim(officerId);
      if (holder !== this.leases.nodeId && !(await this.isNodeAlive(holder))) {
        await this.breakDeadLease(officerId, holder);
        holder = await this.leases.claim(officerId);
      }
      if (holder !== this.leases.nodeId) return { kind: 'remote', nodeId: holder };
    }
    return { kind: 'local', desk: await this.registry.deskOf(officerId) };
  }

  /**
   * The officer's desk for a client about to be seated there, as `place` finds it; a desk of this
   * node is held open for the client until `arrived` is called (Desk.holdForArrival). The desk's
   * last client may leave, and close it, while the newcomer is being placed: a desk that closed
   * meanwhile is looked up again, which opens it anew.
   */
  async arrive(officerId: string): Promise<ArrivalPlace> {
    for (let attempt = 0; attempt < ARRIVAL_ATTEMPTS; attempt += 1) {
      const placed = await this.place(officerId);
      if (placed.kind === 'remote') return placed;
      // Checked and held in one turn, as closeIfEmpty checks and closes a desk in one turn.
      if (!placed.desk.isClosed) return { ...placed, arrived: placed.desk.holdForArrival() };
    }
    throw new AppError('UNAVAILABLE', "The officer's desk kept closing while this client was placed; connect again");
  }

  /**
   * The live node holding the officer's desk now; null when none does (or on a single node). A
   * lease held by a node that died is broken here, for the desk's clients to re-open it at once.
   */
  async liveHolderOf(officerId: string): Promise<string | null> {
    const holder = this.leases ? await this.leases.holderOf(officerId) : null;
    if (holder === null || holder === this.leases!.nodeId || (await this.isNodeAlive(holder))) return holder;
    await this.breakDeadLease(officerId, holder);
    return null;
  }

  private async breakDeadLease(officerId: string, holder: string): Promise<void> {
    if (!(await this.leases!.breakIfHeldBy(officerId, holder))) return;
    this.logger.warn({ officerId, holder }, "the node holding this desk's lease was gone; broke the lease");
    this.countMove('node_gone');
  }

  /** Closes the desk if nobody is left at it, and gives its lease up. */
  async closeIfEmpty(officerId: string): Promise<void> {
    if ((await this.registry.closeIfEmpty(officerId)) && this.leases) await this.leases.release(officerId);
  }

  /** Renews this node's liveness and its desks' leases; closes here the desks whose lease it no longer holds. */
  async renew(): Promise<void> {
    if (!this.leases) return;
    for (const officerId of await this.leases.renew(this.registry.officerIds())) {
      this.logger.warn({ officerId }, "this node no longer holds this desk's lease; closing the desk here and moving its clients");
      await this.registry.evict(officerId);
      this.countMove('lease_lost');
    }
  }

  /**
   * Stops opening desks here and moves the desks open here away (a rolling deploy's SIGTERM):
   * each desk's lease is given up, then its clients are told `desk:moved`; they connect again
   * and are seated where the next node to claim the lease re-opens it, with its seats.
   */
  async drain(): Promise<void> {
    if (!this.leases) return;
    this.draining = true;
    const officerIds = this.registry.officerIds();
    this.logger.info({ desks: officerIds.length }, 'draining: moving the desks of this node to others');
    for (const officerId of officerIds) {
      await this.leases.release(officerId);
      await this.registry.evict(officerId);
      this.countMove('drained');
    }
  }

  /** Gives up the leases of the desks open here and this node's liveness (a clean stop; the desks close with the registry). */
  async close(): Promise<void> {
    if (!this.leases) return;
    await Promise.all(this.registry.officerIds().map((officerId) => this.leases!.release(officerId)));
    await this.leases.end();
  }
}
