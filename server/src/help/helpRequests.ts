/**
 * Claimants' calls for help from a kiosk outside the call ("Bantuan"): each booth's open request,
 * kept per branch in Redis so every server process and every supervisor of the branch sees the
 * same, until a supervisor clears it. A booth asking again keeps its first time: how long the
 * claimant has been waiting for someone is what staff need to see.
 */
import type { HelpRequestView } from '@bilik/shared';
import type { Redis } from 'ioredis';
import { redisNow } from '../redis/redisClock.js';

const helpKey = (branchId: string): string => `bilik:help:${branchId}`;

export class HelpRequests {
  constructor(private readonly redis: Redis) {}

  /** Records that the booth asks for help, unless it already does. */
  async request(branchId: string, boothId: string): Promise<void> {
    await this.redis.hsetnx(helpKey(branchId), boothId, String(await redisNow(this.redis)));
  }

  /** The branch's open requests, the oldest first. */
  async ofBranch(branchId: string): Promise<HelpRequestView[]> {
    const open = await this.redis.hgetall(helpKey(branchId));
    return Object.entries(open)
      .map(([boothId, at]) => ({ boothId, at: Number(at) }))
      .sort((a, b) => a.at - b.at || a.boothId.localeCompare(b.boothId))
      .map(({ boothId, at }) => ({ boothId, requestedAt: new Date(at).toISOString() }));
  }

  /** Closes the booth's request (someone went to it); whether there was one. */
  async clear(branchId: string, boothId: string): Promise<boolean> {
    return (await this.redis.hdel(helpKey(branchId), boothId)) === 1;
  }
}
