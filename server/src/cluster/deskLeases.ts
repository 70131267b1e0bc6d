/**
 * Which node holds each officer's desk, with several server nodes on one Redis (MULTI_NODE=on).
 * A desk's router lives on exactly one node: the first node that needs it takes its lease
 * atomically, renews it while the desk is open, and gives it up when the desk closes. A node
 * that dies stops renewing, so its leases run out within `leaseMs` and the next node that needs
 * one of its desks takes it. The expiry is Redis's, the clock all nodes share.
 *
 * Each node also keeps a liveness key of its own, so the owner of a desk can tell when a node
 * forwarding clients to it has died (see remoteSeats.ts).
 */
import type { Redis } from 'ioredis';

const LEASE_PREFIX = 'bilik:desk-lease:';
const NODE_PREFIX = 'bilik:node:';

/** KEYS[1] the lease; ARGV[1] this node, ARGV[2] ms. Takes a free lease, keeps its own; returns the holder. */
const CLAIM = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ARGV[1]
end
return holder`;

/** KEYS the leases; ARGV[1] this node, ARGV[2] ms. Extends those this node holds; returns the index (1-based) of each lost. */
const RENEW = `
local lost = {}
for index, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
  else
    table.insert(lost, index)
  end
end
return lost`;

/** KEYS[1] the lease; ARGV[1] a node. Deletes the lease if that node holds it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

type Claim = (key: string, nodeId: string, leaseMs: string) => Promise<string>;
type Renew = (...args: string[]) => Promise<number[]>;
type Release = (key: string, nodeId: string) => Promise<number>;

export class DeskLeases {
  private readonly claimScript: Claim;
  private readonly renewScript: Renew;
  private readonly releaseScript: Release;

  constructor(
    private readonly redis: Redis,
    /** This node's id, new at each start. */
    readonly nodeId: string,
    /** How long a lease (and a node's liveness) lasts unrenewed: how soon a dead node's desks move. */
    readonly leaseMs: number,
  ) {
    // defineCommand runs each script by its SHA, sending the source only when Redis lacks it.
    if (!('deskLeaseClaim' in redis)) {
      redis.defineCommand('deskLeaseClaim', { numberOfKeys: 1, lua: CLAIM });
      redis.defineCommand('deskLeaseRenew', { lua: RENEW });
      redis.defineCommand('deskLeaseRelease', { numberOfKeys: 1, lua: RELEASE });
    }
    const scripts = redis as unknown as { deskLeaseClaim: Claim; deskLeaseRenew: Renew; deskLeaseRelease: Release };
    this.claimScript = scripts.deskLeaseClaim.bind(redis);
    this.renewScript = scripts.deskLeaseRenew.bind(redis);
    this.releaseScript = scripts.deskLeaseRelease.bind(redis);
  }

  /** Takes the desk's lease if it is free or already this node's; resolves to the node holding it after the call. */
  claim(officerId: string): Promise<string> {
    return this.claimScript(LEASE_PREFIX + officerId, this.nodeId, String(this.leaseMs));
  }

  /** The node holding the desk's lease now; null when none does. */
  holderOf(officerId: string): Promise<string | null> {
    return this.redis.get(LEASE_PREFIX + officerId);
  }

  /**
   * Extends this node's leases on `officerIds` and its liveness; resolves to the desks whose
   * lease it no longer holds (it ran out, e.g. while Redis was out of reach, and another node
   * took it): their desks must close here.
   */
  async renew(officerIds: readonly string[]): Promise<string[]> {
    await this.redis.set(NODE_PREFIX + this.nodeId, '1', 'PX', this.leaseMs);
    if (officerIds.length === 0) return [];
    const keys = officerIds.map((officerId) => LEASE_PREFIX + officerId);
    const lost = await this.renewScript(String(keys.length), ...keys, this.nodeId, String(this.leaseMs));
    return lost.map((index) => officerIds[index - 1]!);
  }

  /** Gives the desk's lease up, if this node holds it. */
  async release(officerId: string): Promise<void> {
    await this.releaseScript(LEASE_PREFIX + officerId, this.nodeId);
  }

  /**
   * Frees the desk's lease if dead node `nodeId` still holds it, so the next claimant takes it
   * without waiting for it to run out; resolves to whether it did (another node may have first). Should that node be alive after all, its next renewal
   * finds the lease gone and closes the desk there (see DeskPlacement.renew).
   */
  async breakIfHeldBy(officerId: string, nodeId: string): Promise<boolean> {
    return (await this.releaseScript(LEASE_PREFIX + officerId, nodeId)) === 1;
  }

  /** Whether `nodeId` renewed its liveness within the last `leaseMs`. */
  async isAlive(nodeId: string): Promise<boolean> {
    return (await this.redis.exists(NODE_PREFIX + nodeId)) === 1;
  }

  /** Ends this node's liveness at once (a clean stop): the nodes it forwarded to drop its clients without waiting. */
  async end(): Promise<void> {
    await this.redis.del(NODE_PREFIX + this.nodeId);
  }
}
