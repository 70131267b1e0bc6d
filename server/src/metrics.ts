/**
 * The server's Prometheus metrics: one registry per server, holding the process's default
 * metrics (CPU, memory, event loop, GC) and Bilik's own, every name defined here
 * (docs/metrics.md lists them). Counters are handed to the module that counts them; gauges of
 * live state are read at scrape time from the sources given to `observe` (the desks, Redis,
 * the outcome queues), so they never drift from what they describe. A source that fails leaves
 * its metrics empty in that scrape, and is logged; the rest of the scrape is served.
 * GET /metrics (http/metricsRoutes.ts) serves the registry.
 */
import type { MediaKind } from '@bilik/shared';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { DeskMoveReason } from './cluster/deskPlacement.js';
import type { ForwardOutcome } from './cluster/remoteDesks.js';
import { LIMIT_NAMES } from './limits/clientLimits.js';
import type { Logger } from './logger.js';

/** Who sits at a desk. */
type SeatRole = 'officer' | 'booth' | 'monitor';

/** One mediasoup worker's slot and what runs on it, as counted at scrape time. */
export interface WorkerCensus {
  /** The worker's slot in the pool (0, 1, …): a replacement takes its dead predecessor's slot. */
  slot: number;
  desks: number;
  participants: Record<SeatRole, number>;
  consumers: Record<MediaKind, number>;
  /** CPU (user and system) the worker process has used, in seconds; null when it cannot say (dead). */
  cpuSeconds: number | null;
}

/** A booth's link as its kiosk's last heartbeat measured it; only online booths in session have one. */
export interface BoothLink {
  boothId: string;
  branchId: string;
  rttMs: number | null;
  packetLossPercent: number | null;
}

/** One branch's queue and sessions, as the scheduler has them in Redis. */
export interface QueueFigures {
  branchId: string;
  /** Booths waiting in the queue (away ones included: they keep their place). */
  waiting: number;
  /** How long the longest-waiting booth has waited; 0 when none waits. */
  longestWaitSeconds: number;
  /** Booths assigned to an officer now. */
  sessionsInProgress: number;
  /** Claimants whose wait ended in a session today (the statistics' day). */
  servedToday: number;
  /** Their average wait; 0 before the first. */
  averageWaitTodaySeconds: number;
}

/** The job counts of one outcome queue: `record` (writing the decision) or `forward` (to the back office). */
export interface OutcomeJobCounts {
  queue: 'record' | 'forward';
  waiting: number;
  active: number;
  /** Waiting for a retry after a failed attempt (or for their first, if delayed). */
  delayed: number;
  /** Failed for good, kept for supervisors. */
  failed: number;
}

/** Where the gauges of live state are read from, at each scrape. */
export interface MetricSources {
  workers(): Promise<WorkerCensus[]>;
  boothLinks(): Promise<BoothLink[]>;
  queues(): Promise<QueueFigures[]>;
  outcomeJobs(): Promise<OutcomeJobCounts[]>;
}

const OUTCOME_JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

export class Metrics {
  /** Its own registry, not prom-client's global one, so servers started side by side (tests) do not mix. */
  readonly registry = new Registry();
  /** Requests refused, or oldest sockets and probes displaced, because a client reached one of its caps. */
  readonly limitRefusals: Counter<'limit'>;
  /** ICE restarts the server granted a client whose media path was lost, by role. */
  readonly iceRestarts: Counter<'role'>;
  /** Media sessions a client built again on the same connection (its path stayed lost, or its desk moved), by role. */
  readonly sessionRebuilds: Counter<'role'>;
  /** Desk connections of a client whose previous connection dropped (socket.io reconnections), by role. */
  readonly deskRejoins: Counter<'role'>;
  /** mediasoup worker processes that died (each is replaced). */
  readonly workerDeaths: Counter;
  /** Attempts to forward an outcome to the back office that failed, by this process's outcome worker. */
  readonly forwardFailures: Counter;
  /** With several nodes: desks this node moved away, by why (see DeskMoveReason). */
  readonly deskMoves: Counter<'reason'>;
  /** With several nodes: desk commands this node forwarded to the desk's node, by how they ended. */
  readonly forwardedDeskCommands: Counter<'outcome'>;

  private sources: MetricSources | null = null;
  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger.child({ module: 'metrics' });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.limitRefusals = new Counter({
      name: 'bilik_limit_refusals_total',
      help: 'Requests refused (or oldest sockets and probes displaced) because one client reached a cap, by cap',
      labelNames: ['limit'],
      registers,
    });
    // Every cap shows from the start, at zero, so a rate over it is defined before its first refusal.
    for (const limit of LIMIT_NAMES) this.limitRefusals.inc({ limit }, 0);
    this.iceRestarts = new Counter({
      name: 'bilik_ice_restarts_total',
      help: 'ICE restarts granted to clients whose media path was lost, by role',
      labelNames: ['role'],
      registers,
    });
    this.sessionRebuilds = new Counter({
      name: 'bilik_session_rebuilds_total',
      help: 'Media sessions clients built again on the same connection (path still lost after ICE restarts, or desk moved to another worker), by role',
      labelNames: ['role'],
      registers,
    });
    this.deskRejoins = new Counter({
      name: 'bilik_desk_rejoins_total',
      help: 'Desk connections of clients whose previous connection dropped (socket.io reconnections), by role',
      labelNames: ['role'],
      registers,
    });
    for (const role of ['officer', 'booth'] satisfies SeatRole[]) {
      this.iceRestarts.inc({ role }, 0);
      this.sessionRebuilds.inc({ role }, 0);
      this.deskRejoins.inc({ role }, 0);
    }
    this.workerDeaths = new Counter({
      name: 'bilik_mediasoup_worker_deaths_total',
      help: 'mediasoup worker processes that died',
      registers,
    });
    this.forwardFailures = new Counter({
      name: 'bilik_outcome_forward_failures_total',
      help: "Failed attempts to forward an outcome to the back office, by this process's outcome worker",
      registers,
    });
    this.deskMoves = new Counter({
      name: 'bilik_desk_moves_total',
      help: "Desks this node moved to other nodes (MULTI_NODE=on), by reason: node_gone (broke a dead node's lease), lease_lost, drained",
      labelNames: ['reason'],
      registers,
    });
    this.forwardedDeskCommands = new Counter({
      name: 'bilik_forwarded_desk_commands_total',
      help: "Desk commands this node forwarded to the desk's node (MULTI_NODE=on), by outcome: answered, unavailable",
      labelNames: ['outcome'],
      registers,
    });
    for (const reason of ['node_gone', 'lease_lost', 'drained'] satisfies DeskMoveReason[]) this.deskMoves.inc({ reason }, 0);
    for (const outcome of ['answered', 'unavailable'] satisfies ForwardOutcome[]) this.forwardedDeskCommands.inc({ outcome }, 0);
    this.defineWorkerGauges();
    this.defineBoothLinkGauges();
    this.defineQueueGauges();
    this.defineOutcomeJobGauges();
  }

  /** Sets where the gauges of live state are read from; until then they are empty. */
  observe(sources: MetricSources): void {
    this.sources = sources;
  }

  private defineWorkerGauges(): void {
    const census = this.scrapeShared('workers', (sources) => sources.workers());
    const registers = [this.registry];
    new Gauge({
      name: 'bilik_desks',
      help: 'Officer desks (mediasoup routers) open, by mediasoup worker slot',
      labelNames: ['worker'],
      registers,
      async collect() {
        const workers = await census();
        this.reset();
        for (const worker of workers ?? []) this.set({ worker: String(worker.slot) }, worker.desks);
      },
    });
    // A gauge of counts per worker slot and one more label: participants by role, consumers by kind.
    const perWorkerAnd = (name: string, help: string, label: string, counts: (worker: WorkerCensus) => Record<string, number>): void => {
      new Gauge({
        name,
        help,
        labelNames: ['worker', label],
        registers,
        async collect() {
          const workers = await census();
          this.reset();
          for (const worker of workers ?? []) {
            for (const [value, count] of Object.entries(counts(worker))) this.set({ worker: String(worker.slot), [label]: value }, count);
          }
        },
      });
    };
    perWorkerAnd(
      'bilik_participants',
      'Officers, booths and monitoring supervisors seated at desks, by mediasoup worker slot and role',
      'role',
      (w) => w.participants,
    );
    perWorkerAnd(
      'bilik_consumers',
      'mediasoup consumers (media forwarded to a client), by mediasoup worker slot and kind',
      'kind',
      (worker) => worker.consumers,
    );
    new Counter({
      name: 'bilik_mediasoup_worker_cpu_seconds_total',
      help: 'CPU time (user and system) used by each mediasoup worker process, by worker slot; starts again at 0 when a dead worker is replaced',
      labelNames: ['worker'],
      registers,
      async collect() {
        const workers = await census();
        this.reset();
        for (const worker of workers ?? []) if (worker.cpuSeconds !== null) this.inc({ worker: String(worker.slot) }, worker.cpuSeconds);
      },
    });
  }

  private defineBoothLinkGauges(): void {
    const links = this.scrapeShared('booth links', (sources) => sources.boothLinks());
    const registers = [this.registry];
    // Only online booths in session are listed: a booth that goes offline or ends its session drops out at the next scrape.
    // A figure the kiosk could not measure (null) is left out, not shown as 0.
    const perBooth = (name: string, help: string, value: (link: BoothLink) => number | null): void => {
      new Gauge({
        name,
        help,
        labelNames: ['booth', 'branch'],
        registers,
        async collect() {
          const booths = await links();
          this.reset();
          for (const link of booths ?? []) {
            const measured = value(link);
            if (measured !== null) this.set({ booth: link.boothId, branch: link.branchId }, measured);
          }
        },
      });
    };
    perBooth(
      'bilik_booth_rtt_seconds',
      "Round-trip time of an online booth's call, from its last heartbeat, by booth and branch",
      (link) => (link.rttMs === null ? null : link.rttMs / 1000),
    );
    perBooth(
      'bilik_booth_packet_loss_ratio',
      'Share (0-1) of the packets an online booth received lately that were lost, from its last heartbeat, by booth and branch',
      (link) => (link.packetLossPercent === null ? null : link.packetLossPercent / 100),
    );
  }

  private defineQueueGauges(): void {
    const queues = this.scrapeShared('queues', (sources) => sources.queues());
    const registers = [this.registry];
    const perBranch = (name: string, help: string, value: (figures: QueueFigures) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['branch'],
        registers,
        async collect() {
          const branches = await queues();
          this.reset();
          for (const figures of branches ?? []) this.set({ branch: figures.branchId }, value(figures));
        },
      });
    };
    perBranch('bilik_queue_waiting', 'Booths waiting in the queue, by branch', (figures) => figures.waiting);
    perBranch('bilik_queue_longest_wait_seconds', 'How long the longest-waiting booth has waited, by branch', (f) => f.longestWaitSeconds);
    perBranch('bilik_sessions_in_progress', 'Booths in session with an officer, by branch', (figures) => figures.sessionsInProgress);
    perBranch('bilik_queue_served_today', 'Claimants whose wait ended in a session today, by branch', (figures) => figures.servedToday);
    perBranch(
      'bilik_queue_average_wait_today_seconds',
      'Average wait of the claimants served today, by branch',
      (figures) => figures.averageWaitTodaySeconds,
    );
  }

  private defineOutcomeJobGauges(): void {
    const jobs = this.scrapeShared('outcome jobs', (sources) => sources.outcomeJobs());
    new Gauge({
      name: 'bilik_outcome_jobs',
      help: 'Outcome jobs by queue (record, forward) and state (waiting, active, delayed: waiting for a retry, failed: for good)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        const queues = await jobs();
        this.reset();
        for (const counts of queues ?? []) for (const state of OUTCOME_JOB_STATES) this.set({ queue: counts.queue, state }, counts[state]);
      },
    });
  }

  /**
   * Reads one source for every metric that shows it: the metrics of a scrape are collected at
   * once, so they share the read under way. Resolves with null when there is no source yet or
   * it failed (logged once), so its metrics stay empty and the rest of the scrape goes on.
   */
  private scrapeShared<T>(name: string, read: (sources: MetricSources) => Promise<T>): () => Promise<T | null> {
    let underway: Promise<T | null> | null = null;
    return () => {
      if (underway === null) {
        const reading = this.readSource(name, read);
        underway = reading;
        // Cleared once settled (never sooner: `finally` runs after this scrape's metrics have all asked).
        void reading.finally(() => {
          if (underway === reading) underway = null;
        });
      }
      return underway;
    };
  }

  private async readSource<T>(name: string, read: (sources: MetricSources) => Promise<T>): Promise<T | null> {
    if (this.sources === null) return null;
    try {
      return await read(this.sources);
    } catch (error) {
      this.logger.warn({ source: name, err: (error as Error).message }, 'could not read a metrics source; its metrics are left out');
      return null;
    }
  }
}
