/**
 * Presence leased per server process. A socket's presence (an officer on duty, a booth in its
 * queue or session) is only ever taken back when its socket is seen to close; a process killed
 * outright sees nothing. So each process holds a lease in Redis, renewed while it lives, and
 * lists the connections whose presence it carries; when a lease runs out, another process (or
 * the restarted one) reaps that list through the scheduler (Scheduler.reapProcess), and those
 * clients go through the normal grace periods. The expiry is Redis's, the clock all processes share.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { readLua, schedulerKeys as K } from './scripts.js';

/** A connection whose presence a process carries: a booth's /journey socket or an officer's console. */
export interface HeldConnection {
  kind: 'booth' | 'officer';
  /** The booth's or the officer's id. */
  id: string;
  /** The socket's id, which the scheduler records as the connection. */
  connectionId: string;
}

/** Read once; run by its SHA. */
const RENEW_LEASE = readLua('renew-lease.lua');

type RenewLease = (lease: string, processes: string, processId: string, leaseMs: string, mode: 'join' | 'renew') => Promise<number>;

export class ProcessLease {
  /** This process's id, new at each start. */
  readonly processId = randomUUID();
  private readonly renewLease: RenewLease;

  private constructor(
    private readonly redis: Redis,
    /** How long the lease lasts without a renewal. */
    readonly leaseMs: number,
  ) {
    if (!('presenceRenewLease' in redis)) redis.defineCommand('presenceRenewLease', { numberOfKeys: 2, lua: RENEW_LEASE });
    this.renewLease = (redis as unknown as { presenceRenewLease: RenewLease }).presenceRenewLease.bind(redis);
  }

  /** Registers a new process and takes its first lease. */
  static async acquire(redis: Redis, leaseMs: number): Promise<ProcessLease> {
    const lease = new ProcessLease(redis, leaseMs);
    await lease.rejoin();
    return lease;
  }

  /** Extends the lease; false when it had run out and the process was reaped meanwhile. */
  async renew(): Promise<boolean> {
    return (await this.renewLease(K.lease(this.processId), K.processes, this.processId, String(this.leaseMs), 'renew')) === 1;
  }

  /** Registers the process again after it was reaped. */
  async rejoin(): Promise<void> {
    await this.renewLease(K.lease(this.processId), K.processes, this.processId, String(this.leaseMs), 'join');
  }

  /** Records that this process carries `connection`'s presence; call it before the scheduler hears of the connection. */
  async hold(connection: HeldConnection): Promise<void> {
    await this.redis.sadd(K.held(this.processId), member(connection));
  }

  /** Forgets `connection`; call it once the scheduler has heard that it closed. */
  async release(connection: HeldConnection): Promise<void> {
    await this.redis.srem(K.held(this.processId), member(connection));
  }

  /** The other registered processes whose lease has run out. */
  async expiredProcesses(): Promise<string[]> {
    const others = (await this.redis.smembers(K.processes)).filter((processId) => processId !== this.processId);
    const alive = await Promise.all(others.map((processId) => this.redis.exists(K.lease(processId))));
    return others.filter((_, index) => alive[index] === 0);
  }

  /** Gives the lease up (a clean stop): this process may then be reaped at once. */
  async end(): Promise<void> {
    await this.redis.del(K.lease(this.processId));
  }
}

/** A held connection as the reap script reads it: JSON [kind, id, conn]. */
function member({ kind, id, connectionId }: HeldConnection): string {
  return JSON.stringify([kind, id, connectionId]);
}
