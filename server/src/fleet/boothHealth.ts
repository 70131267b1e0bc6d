/**
 * The live health of booth kiosks for branch IT: heartbeats (with the app version, in session
 * the call's link quality, and a camera or microphone at fault) and the last self-test, kept in Redis so every server process
 * sees the same; and the status the IT page shows, derived from the booth's record, its health
 * and its visit. Times come from Redis's clock, the one the scheduler uses, so processes with
 * skewed clocks agree on who is offline.
 */
import type { BoothFleetView, BoothStatus, DeviceFault, LinkQuality, SelfTestReport } from '@bilik/shared';
import { SELF_TEST_CHECKS } from '@bilik/shared';
import type { Redis } from 'ioredis';
import { millisecondsOf, redisNow } from '../redis/redisClock.js';
import type { Visit } from '../scheduler/scheduler.js';
import type { Booth } from './boothStore.js';

/** The key prefix of everything booth health keeps in Redis. */
export const FLEET_PREFIX = 'bilik:fleet:';
const heartbeatKey = (boothId: string): string => `${FLEET_PREFIX}hb:${boothId}`;
const selfTestKey = (boothId: string): string => `${FLEET_PREFIX}st:${boothId}`;

/** A self-test report as stored: with when it arrived (ms since the epoch, Redis's clock). */
export type StoredSelfTest = SelfTestReport & { at: number };

/** What the fleet knows of one booth's kiosk right now. */
export interface BoothHealthRecord {
  /** When the kiosk was last heard from (ms since the epoch, Redis's clock), or null if never. */
  lastHeartbeatAt: number | null;
  /** Heard from within the offline limit. */
  online: boolean;
  appVersion: string | null;
  /** As of the last heartbeat; the kiosk sends it only while in session. */
  linkQuality: LinkQuality | null;
  /** As of the last heartbeat: a device the kiosk could not open again, or null. */
  deviceFault: DeviceFault | null;
  selfTest: StoredSelfTest | null;
}

/** The heartbeat a kiosk sends. */
export interface Heartbeat {
  appVersion: string;
  linkQuality: LinkQuality | null;
  deviceFault: DeviceFault | null;
}

export class BoothHealth {
  constructor(
    private readonly redis: Redis,
    /** How long a kiosk may go without a heartbeat before it counts as offline. */
    private readonly offlineMs: number,
  ) {}

  /** Records that the kiosk is alive, with its version, link quality and device fault. */
  async heartbeat(boothId: string, heartbeat: Heartbeat): Promise<void> {
    const at = await this.now();
    await this.redis.hset(heartbeatKey(boothId), {
      at: String(at),
      appVersion: heartbeat.appVersion,
      linkQuality: JSON.stringify(heartbeat.linkQuality),
      deviceFault: JSON.stringify(heartbeat.deviceFault),
    });
  }

  /** Keeps the kiosk's latest self-test report, stamped with when it arrived. */
  async recordSelfTest(boothId: string, report: SelfTestReport): Promise<StoredSelfTest> {
    const stored: StoredSelfTest = { ...report, at: await this.now() };
    await this.redis.set(selfTestKey(boothId), JSON.stringify(stored));
    return stored;
  }

  /** The health of each of these booths, read at one moment. */
  async healthOf(boothIds: readonly string[]): Promise<Map<string, BoothHealthRecord>> {
    const pipeline = this.redis.pipeline().time();
    for (const boothId of boothIds) pipeline.hgetall(heartbeatKey(boothId)).get(selfTestKey(boothId));
    const results = (await pipeline.exec()) ?? [];
    const failure = results.find(([error]) => error !== null)?.[0];
    if (failure) throw failure;
    const now = millisecondsOf(results[0]![1] as string[]);
    const health = new Map<string, BoothHealthRecord>();
    boothIds.forEach((boothId, index) => {
      const heartbeat = results[1 + index * 2]![1] as Record<string, string>;
      const selfTest = results[2 + index * 2]![1] as string | null;
      const lastHeartbeatAt = heartbeat.at === undefined ? null : Number(heartbeat.at);
      health.set(boothId, {
        lastHeartbeatAt,
        online: lastHeartbeatAt !== null && now - lastHeartbeatAt <= this.offlineMs,
        appVersion: heartbeat.appVersion ?? null,
        linkQuality: heartbeat.linkQuality === undefined ? null : (JSON.parse(heartbeat.linkQuality) as LinkQuality | null),
        deviceFault: heartbeat.deviceFault === undefined ? null : (JSON.parse(heartbeat.deviceFault) as DeviceFault | null),
        selfTest: selfTest === null ? null : (JSON.parse(selfTest) as StoredSelfTest),
      });
    });
    return health;
  }

  private now(): Promise<number> {
    return redisNow(this.redis);
  }
}

/** Whether any check of the self-test failed. */
export function selfTestFailed(report: SelfTestReport): boolean {
  return SELF_TEST_CHECKS.some((check) => !report[check].ok);
}

/**
 * What the IT page says a booth is doing, the first that applies: no valid credential, out of
 * service, not heard from, a device at fault or its last self-test failed, serving a claimant,
 * a claimant waiting, or idle and healthy.
 */
export function boothStatus(booth: Booth, health: BoothHealthRecord, visit: Visit | null): BoothStatus {
  if (booth.revokedAt !== null) return 'revoked';
  if (!booth.enrolled) return 'not_enrolled';
  if (booth.outOfService) return 'out_of_service';
  if (!health.online) return 'offline';
  if (health.deviceFault !== null) return 'fault';
  if (health.selfTest !== null && selfTestFailed(health.selfTest)) return 'fault';
  if (visit?.state === 'assigned') return 'in_session';
  if (visit?.state === 'waiting') return 'waiting';
  return 'online';
}

/** One booth as the IT page shows it. Link quality only while a session is under way. */
export function boothFleetView(booth: Booth, health: BoothHealthRecord, visit: Visit | null): BoothFleetView {
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return {
    boothId: booth.id,
    name: booth.name,
    enrolled: booth.enrolled,
    revokedAt: booth.revokedAt?.toISOString() ?? null,
    outOfService: booth.outOfService,
    status: boothStatus(booth, health, visit),
    lastHeartbeatAt: iso(health.lastHeartbeatAt),
    appVersion: health.appVersion,
    selfTest: health.selfTest === null ? null : { ...health.selfTest, at: iso(health.selfTest.at)! },
    linkQuality: visit?.state === 'assigned' && health.online ? health.linkQuality : null,
    deviceFault: health.deviceFault,
  };
}
