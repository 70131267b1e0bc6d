/**
 * The link quality of every booth in a call, for the metrics: as its kiosk's last heartbeat
 * measured it, for booths online now only, so a booth that goes offline, ends its call or is
 * revoked stops being reported (its series ends) instead of showing its last figures forever.
 */
import type { BoothLink } from '../metrics.js';
import type { BoothHealth } from './boothHealth.js';
import type { BoothStore } from './boothStore.js';

/** The links of the enrolled, unrevoked booths that are online and in a call. */
export async function boothLinks(booths: BoothStore, health: BoothHealth): Promise<BoothLink[]> {
  const live = (await booths.listBooths()).filter((booth) => booth.enrolled && booth.revokedAt === null);
  const records = await health.healthOf(live.map((booth) => booth.id));
  const links: BoothLink[] = [];
  for (const booth of live) {
    const record = records.get(booth.id);
    // The kiosk sends link quality only while in session, and null otherwise.
    if (!record?.online || record.linkQuality === null) continue;
    const { rttMs, packetLossPercent } = record.linkQuality;
    links.push({ boothId: booth.id, branchId: booth.branchId, rttMs, packetLossPercent });
  }
  return links;
}
