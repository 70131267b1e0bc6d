/**
 * The media policy of a desk, in one pure function: from who is at the desk, what each sends,
 * and whom the officer talks to, it derives every consumer that must exist and whether it is
 * paused. The desk applies the difference to mediasoup after every change, so what a client
 * receives never depends on a browser muting itself.
 */
import type { MediaKind } from '@bilik/shared';
import { SIMULCAST_ENCODINGS } from '@bilik/shared/media';

/** Who sits at a desk: its officer, its booths, and supervisors monitoring one of its visits. */
export type ParticipantRole = 'booth' | 'officer' | 'monitor';

export interface PolicyParticipant {
  id: string;
  /** Producer ids this participant sends, by kind. */
  producers: Partial<Record<MediaKind, string>>;
  /** Joined with its capabilities and has a receive transport, so consumers can be made for it. */
  receiving: boolean;
}

/** A supervisor silently monitoring one booth's visit (as Amazon Connect's MonitorContact). */
export interface PolicyMonitor extends PolicyParticipant {
  /** The booth whose visit the supervisor watches and hears. */
  boothId: string;
  /** Barged in: the monitored booth hears the supervisor too. */
  barging: boolean;
}

export interface DeskMediaState {
  officer: PolicyParticipant | null;
  booths: readonly PolicyParticipant[];
  /** Supervisors monitoring a visit at this desk; neither the officer nor any booth is told of them until one barges in. */
  monitors: readonly PolicyMonitor[];
  /** The booth that hears the officer and is heard by the officer; null for none. */
  talkingToBoothId: string | null;
  /** The booth whose tile the officer enlarged to read a document; null for none. */
  focusedBoothId: string | null;
  /**
   * The highest simulcast layer a booth may send, from its uplink cap (BOOTH_UPLINK_KBPS, see
   * boothUplink.ts); SPATIAL_LAYER_FULL when uncapped. No consumer prefers a layer above it, so
   * none waits for a layer that never comes, and no booth is told to send one.
   */
  maxBoothLayer: number;
}

/** mediasoup consumer priorities: the bandwidth estimate is shared out to higher ones first. */
export const PRIORITY_NORMAL = 1;
export const PRIORITY_FOCUSED = 255;

/**
 * Booths send their camera as three simulcast layers (a quarter, half and full resolution:
 * SIMULCAST_ENCODINGS). A grid tile needs the middle one; the enlarged tile, where a document is
 * read, the full one. mediasoup falls back to a lower layer when the link cannot carry the
 * preferred one.
 */
export const SPATIAL_LAYER_TILE = 1;
export const SPATIAL_LAYER_FULL = SIMULCAST_ENCODINGS.length - 1;

export interface ConsumerSpec {
  receiver: { role: ParticipantRole; id: string };
  source: { role: ParticipantRole; id: string };
  producerId: string;
  kind: MediaKind;
  paused: boolean;
  priority: number;
  /** For a booth's simulcast video: the spatial layer to prefer; null for everything else. */
  spatialLayer: number | null;
}

/** A key naming one consumer: which receiver gets which producer. */
export function consumerKey(spec: Pick<ConsumerSpec, 'receiver' | 'producerId'>): string {
  return `${spec.receiver.role}:${spec.receiver.id}|${spec.producerId}`;
}

/**
 * Every consumer the desk must have.
 * - A booth receives the officer's video always, and the officer's audio only while the
 *   officer talks to it (paused otherwise, so switching talk is a pause/resume, not a renegotiation).
 * - The officer receives every booth's video, and only the selected booth's audio.
 * - Booth video reaches the officer at tile size, and the enlarged booth's at full size with the
 *   highest priority, so it gets the best quality the officer's link can carry; neither above
 *   the booths' uplink cap (maxBoothLayer).
 * - A booth never receives anything from another booth.
 * - A monitoring supervisor: see addMonitorConsumers.
 */
export function deriveConsumers(state: DeskMediaState): ConsumerSpec[] {
  const specs: ConsumerSpec[] = [];
  addOfficerAndBoothConsumers(specs, state);
  for (const monitor of state.monitors) addMonitorConsumers(specs, state, monitor);
  return specs;
}

/** The desk's own consumers, between its officer and its booths; none without the officer. */
function addOfficerAndBoothConsumers(specs: ConsumerSpec[], state: DeskMediaState): void {
  const { officer, booths, talkingToBoothId, focusedBoothId, maxBoothLayer } = state;
  if (!officer) return;
  const officerSource = { role: 'officer', id: officer.id } as const;
  for (const booth of booths) {
    const boothSource = { role: 'booth', id: booth.id } as const;
    const isTalking = booth.id === talkingToBoothId;
    const plain = { priority: PRIORITY_NORMAL, spatialLayer: null };
    if (booth.receiving) {
      addIfProduced(specs, officer.producers, 'video', { receiver: boothSource, source: officerSource, paused: false, ...plain });
      addIfProduced(specs, officer.producers, 'audio', { receiver: boothSource, source: officerSource, paused: !isTalking, ...plain });
    }
    if (officer.receiving) {
      const focused = booth.id === focusedBoothId;
      addIfProduced(specs, booth.producers, 'video', {
        receiver: officerSource,
        source: boothSource,
        paused: false,
        priority: focused ? PRIORITY_FOCUSED : PRIORITY_NORMAL,
        spatialLayer: Math.min(focused ? SPATIAL_LAYER_FULL : SPATIAL_LAYER_TILE, maxBoothLayer),
      });
      addIfProduced(specs, booth.producers, 'audio', { receiver: officerSource, source: boothSource, paused: !isTalking, ...plain });
    }
  }
}

/**
 * What one monitoring supervisor receives and gives, only while the booth they watch is seated:
 * - the supervisor receives that booth's video (at tile size, never above the uplink cap) and its
 *   audio, always, and the officer's audio only while the officer talks to that booth (paused
 *   otherwise, as the booth itself hears it); nothing of other booths, nor the officer's video;
 * - only once the supervisor barges in does that booth, and no other, receive the supervisor's
 *   audio; before, no consumer of it exists anywhere, so no client can tell a supervisor is there;
 * - the officer never receives the supervisor (the console is told of a barge-in instead).
 */
function addMonitorConsumers(specs: ConsumerSpec[], state: DeskMediaState, monitor: PolicyMonitor): void {
  const booth = state.booths.find((seated) => seated.id === monitor.boothId);
  if (!booth) return;
  const monitorSource = { role: 'monitor', id: monitor.id } as const;
  const boothSource = { role: 'booth', id: booth.id } as const;
  const plain = { priority: PRIORITY_NORMAL, spatialLayer: null };
  if (monitor.receiving) {
    addIfProduced(specs, booth.producers, 'video', {
      receiver: monitorSource,
      source: boothSource,
      paused: false,
      priority: PRIORITY_NORMAL,
      spatialLayer: Math.min(SPATIAL_LAYER_TILE, state.maxBoothLayer),
    });
    addIfProduced(specs, booth.producers, 'audio', { receiver: monitorSource, source: boothSource, paused: false, ...plain });
    if (state.officer) {
      const officerSource = { role: 'officer', id: state.officer.id } as const;
      const officerTalksToBooth = state.talkingToBoothId === booth.id;
      addIfProduced(specs, state.officer.producers, 'audio', {
        receiver: monitorSource,
        source: officerSource,
        paused: !officerTalksToBooth,
        ...plain,
      });
    }
  }
  if (monitor.barging && booth.receiving) {
    addIfProduced(specs, monitor.producers, 'audio', { receiver: boothSource, source: monitorSource, paused: false, ...plain });
  }
}

/**
 * Up to which simulcast layer each booth's camera must send in full, LiveKit's "dynacast": the
 * highest spatial layer that an unpaused consumer of its video prefers, so a grid tile's booth
 * only idles its full-resolution layer, and null when nobody consumes it (the booth sends no
 * video at all). The consumers' layers keep within the uplink cap, so these do too. Only booths
 * that send video are listed.
 */
export function deriveSendLayers(state: DeskMediaState, specs: readonly ConsumerSpec[]): Map<string, number | null> {
  const layers = new Map<string, number | null>();
  for (const booth of state.booths) if (booth.producers.video !== undefined) layers.set(booth.id, null);
  for (const spec of specs) {
    if (spec.source.role !== 'booth' || spec.kind !== 'video' || spec.paused || spec.spatialLayer === null) continue;
    const current = layers.get(spec.source.id) ?? null;
    layers.set(spec.source.id, current === null ? spec.spatialLayer : Math.max(current, spec.spatialLayer));
  }
  return layers;
}

function addIfProduced(
  specs: ConsumerSpec[],
  producers: PolicyParticipant['producers'],
  kind: MediaKind,
  spec: Omit<ConsumerSpec, 'producerId' | 'kind'>,
): void {
  const producerId = producers[kind];
  if (producerId !== undefined) specs.push({ ...spec, producerId, kind });
}
