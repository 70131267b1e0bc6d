/**
 * Keeps this process's presence lease (scheduler/processLease.ts) and reaps the processes whose
 * lease ran out, announcing what their clients' departure changed. Every server process runs one.
 */
import { NAMESPACES } from '@bilik/shared';
import type { Logger } from '../logger.js';
import type { HeldConnection, ProcessLease } from '../scheduler/processLease.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { SchedulerAnnouncer } from './schedulerAnnouncer.js';
import type { SignalingServer } from './socketTypes.js';

/** Renewals per lease: a lease survives two missed renewals. */
const RENEWALS_PER_LEASE = 3;

/** What the namespaces need to record whose presence this process carries. */
export interface ConnectionPresence {
  hold(connection: HeldConnection): Promise<void>;
  release(connection: HeldConnection): Promise<void>;
}

export class PresenceKeeper implements ConnectionPresence {
  private readonly timer: NodeJS.Timeout;
  /** The renewal and reaping under way, if any. */
  private current: Promise<void> | null = null;
  private readonly logger: Logger;

  private constructor(
    private readonly lease: ProcessLease,
    private readonly scheduler: Scheduler,
    private readonly announcer: SchedulerAnnouncer,
    private readonly io: SignalingServer,
    logger: Logger,
  ) {
    this.logger = logger.child({ module: 'presence', processId: lease.processId });
    this.timer = setInterval(() => void this.tick(), lease.leaseMs / RENEWALS_PER_LEASE);
  }

  /** Starts keeping `lease`; resolves once the processes whose lease had already run out are reaped. */
  static async start(
    lease: ProcessLease,
    scheduler: Scheduler,
    announcer: SchedulerAnnouncer,
    io: SignalingServer,
    logger: Logger,
  ): Promise<PresenceKeeper> {
    const keeper = new PresenceKeeper(lease, scheduler, announcer, io, logger);
    await keeper.tick();
    return keeper;
  }

  hold(connection: HeldConnection): Promise<void> {
    return this.lease.hold(connection);
  }

  release(connection: HeldConnection): Promise<void> {
    return this.lease.release(connection);
  }

  /**
   * A clean stop, once this process's sockets were closed: the lease is given up and whatever
   * presence is still held goes away at once, as its sockets' own close would have done.
   */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.current;
    try {
      await this.lease.end();
      await this.reap(this.lease.processId);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not give up the presence lease; it runs out by itself');
    }
  }

  /** One renewal and reaping at a time: a slow Redis must not pile them up. */
  private tick(): Promise<void> {
    this.current ??= this.renewAndReap().finally(() => (this.current = null));
    return this.current;
  }

  private async renewAndReap(): Promise<void> {
    try {
      if (!(await this.lease.renew())) await this.recoverLostLease();
      for (const processId of await this.lease.expiredProcesses()) await this.reap(processId);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not renew the presence lease or reap expired ones');
    }
  }

  /**
   * The lease ran out while this process lived (Redis out of reach, a stalled event loop) and
   * another process reaped it: the scheduler took these clients for gone. They are disconnected
   * so that they connect again and are present afresh, within their grace periods.
   */
  private async recoverLostLease(): Promise<void> {
    this.logger.error('the presence lease ran out and was reaped; reconnecting the clients of this process');
    await this.lease.rejoin();
    this.io.of(NAMESPACES.journey).local.disconnectSockets(true);
    this.io.of(NAMESPACES.officer).local.disconnectSockets(true);
  }

  private async reap(processId: string): Promise<void> {
    const events = await this.scheduler.reapProcess(processId);
    const reaped = events.find((event) => event.type === 'reaped');
    if (reaped === undefined) return;
    this.logger.info({ reapedProcessId: processId, connections: reaped.connections }, 'reaped the presence of a server process');
    await this.announcer.announce(events);
  }
}
