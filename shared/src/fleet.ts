/**
 * The contract of booth health for branch IT: heartbeats, self-test results, link quality and
 * the status the IT page shows, apart from the zod schemas so that the browser apps can import
 * it without bundling zod.
 */

/**
 * What a booth is doing, as the IT page shows it:
 * - not_enrolled / revoked: it holds no valid credential;
 * - out_of_service: branch IT took it out of service (it shows "Bilik tidak tersedia");
 * - offline: not heard from for BOOTH_OFFLINE_SECONDS;
 * - fault: its last self-test failed a check, or a camera or microphone went away in a call and
 *   could not be opened again;
 * - in_session / waiting: a claimant is being served, or waits in the queue;
 * - online: running, idle, healthy.
 */
export const BOOTH_STATUSES = ['not_enrolled', 'revoked', 'out_of_service', 'offline', 'fault', 'in_session', 'waiting', 'online'] as const;
export type BoothStatus = (typeof BOOTH_STATUSES)[number];

/** How often a running kiosk says it is alive, and after how long without a word it shows offline. */
export const HEARTBEAT_INTERVAL_SECONDS = 10;
export const BOOTH_OFFLINE_SECONDS = 30;

/** The checks of a kiosk's self-test, in the order it runs them. */
export const SELF_TEST_CHECKS = ['camera', 'microphone', 'speaker', 'network'] as const;
export type SelfTestCheck = (typeof SELF_TEST_CHECKS)[number];

/** The longest `detail` of a check the server accepts. */
export const MAX_CHECK_DETAIL_LENGTH = 200;

/** One check's result; `detail` is a short technical note for IT (never personal data). */
export interface CheckResult {
  ok: boolean;
  detail: string | null;
}

/**
 * How the kiosk's media reached the SFU: straight over UDP (best), over TCP (UDP blocked), or
 * through the TURN relay (the SFU's ports blocked).
 */
export const NETWORK_PATHS = ['udp', 'tcp', 'relay'] as const;
export type NetworkPath = (typeof NETWORK_PATHS)[number];

/** What a kiosk reports after its self-test. */
export interface SelfTestReport {
  camera: CheckResult;
  microphone: CheckResult;
  speaker: CheckResult;
  /** The SFU was reachable: WebRTC connected, with its round-trip time and the path it took (null when unknown). */
  network: CheckResult & { rttMs: number | null; path: NetworkPath | null };
}

/** The devices a call needs, which the kiosk keeps alive during a call. */
export const DEVICE_KINDS = ['camera', 'microphone'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/**
 * A camera or microphone that ended during a call and could not be opened again (the kiosk
 * reports it until the device works again), or that had to be opened again so often that its
 * hardware is suspect (reported for the rest of the call, `detail` starting "unstable:").
 * `detail` is a short technical note for IT.
 */
export interface DeviceFault {
  kind: DeviceKind;
  detail: string;
}

/** The call's link quality, as the kiosk measures it from WebRTC statistics while in session. */
export interface LinkQuality {
  rttMs: number | null;
  /** Of the packets the booth received lately, how many were lost (0-100). */
  packetLossPercent: number | null;
  outgoingKbps: number | null;
  incomingKbps: number | null;
}

/** One booth on the IT page. Times are ISO 8601. */
export interface BoothFleetView {
  boothId: string;
  name: string;
  enrolled: boolean;
  revokedAt: string | null;
  outOfService: boolean;
  status: BoothStatus;
  lastHeartbeatAt: string | null;
  appVersion: string | null;
  selfTest: (SelfTestReport & { at: string }) | null;
  /** Only while in session. */
  linkQuality: LinkQuality | null;
  /** As of the last heartbeat, while the kiosk is online. */
  deviceFault: DeviceFault | null;
}
