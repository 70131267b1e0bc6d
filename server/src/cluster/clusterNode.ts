/**
 * This server as one node of several (MULTI_NODE=on), or alone. Alone, every desk opens here.
 * As a node: desks are placed by their leases, the node bus carries seats, desk commands and
 * desk events between nodes, and an upkeep (every third of a lease, at least every second)
 * renews this node's leases, drops the seats of nodes that died, and reconnects the sockets
 * whose desk moved or whose desk's node died.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Counter } from 'prom-client';
import type { Config } from '../config.js';
import type { LimitRefusals } from '../limits/limitRefusals.js';
import type { Logger } from '../logger.js';
import { repeatWithoutOverlap } from '../repeating.js';
import type { DeskRegistry } from '../sfu/deskRegistry.js';
import type { DeskSeatDeps } from '../signaling/deskSeating.js';
import { DeskLeases } from './deskLeases.js';
import { DeskPlacement } from './deskPlacement.js';
import { NodeBus } from './nodeBus.js';
import { RemoteDesks } from './remoteDesks.js';
import { RemoteSeats } from './remoteSeats.js';

/** The upkeep runs at least this often, so a killed node's clients are moved within about a second whatever the lease. */
const UPKEEP_MAX_INTERVAL_MS = 1000;

export interface ClusterNodeDeps {
  config: Readonly<Config['cluster']>;
  redis: Redis;
  redisUrl: string;
  desks: DeskRegistry;
  limitRefusals: LimitRefusals;
  /** bilik_desk_moves_total and bilik_forwarded_desk_commands_total. */
  counters: { deskMoves: Counter<'reason'>; forwardedDeskCommands: Counter<'outcome'> };
  logger: Logger;
}

export interface ClusterNode {
  placement: DeskPlacement;
  /** This node's sockets seated at other nodes' desks; null alone. */
  remoteDesks: RemoteDesks | null;
  /** Serves other nodes' clients at this node's desks; call once the signaling's dependencies exist. */
  serve(deskSeatDeps: DeskSeatDeps): void;
  /** Moves this node's desks to other nodes before it stops (SIGTERM); nothing alone. */
  drain(): Promise<void>;
  /** Stops the upkeep, gives this node's leases up and leaves the bus. */
  close(): Promise<void>;
}

/** This server alone, or as a node of several, as configured. */
export async function startClusterNode(deps: ClusterNodeDeps): Promise<ClusterNode> {
  if (!deps.config.multiNode) {
    return {
      placement: new DeskPlacement(
        deps.desks,
        null,
        async () => true,
        () => undefined,
        deps.logger,
      ),
      remoteDesks: null,
      serve: () => undefined,
      drain: async () => {},
      close: async () => {},
    };
  }
  const nodeId = randomUUID();
  const logger = deps.logger.child({ node: nodeId });
  const leases = new DeskLeases(deps.redis, nodeId, deps.config.deskLeaseMs);
  await leases.renew([]);
  const bus = await NodeBus.start(deps.redisUrl, deps.redis, nodeId, logger);
  const { deskMoves, forwardedDeskCommands } = deps.counters;
  const placement = new DeskPlacement(
    deps.desks,
    leases,
    (other) => bus.isListening(other),
    (reason) => deskMoves.inc({ reason }),
    logger,
  );
  const remoteDesks = new RemoteDesks(bus, placement, (outcome) => forwardedDeskCommands.inc({ outcome }), logger);
  let remoteSeats: RemoteSeats | null = null;
  const stopUpkeep = repeatWithoutOverlap(Math.min(deps.config.deskLeaseMs / 3, UPKEEP_MAX_INTERVAL_MS), async () => {
    try {
      await placement.renew();
      await remoteSeats?.dropDeadNodes();
      await remoteDesks.dropMovedDesks();
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'could not renew the desk leases or check the other nodes');
    }
  });
  logger.info({ deskLeaseMs: deps.config.deskLeaseMs }, 'serving as one node of several');
  return {
    placement,
    remoteDesks,
    serve(deskSeatDeps) {
      const seats = new RemoteSeats({ ...deskSeatDeps, bus, leases, placement, limitRefusals: deps.limitRefusals, logger });
      remoteSeats = seats;
      bus.serve({
        request: (from, request) => seats.request(from, request),
        notice: (from, notice) => {
          seats.notice(from, notice);
          remoteDesks.notice(from, notice);
        },
      });
    },
    drain: () => placement.drain(),
    async close() {
      stopUpkeep();
      await placement
        .close()
        .catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'could not give the desk leases up'));
      await bus.close();
    },
  };
}
