/**
 * The media policy of a desk, in one pure function: from who is at the desk, what each sends,
 * and whom the officer talks to, it derives every consumer that must exist and whether it is
 * paused. The desk applies the difference to mediasoup after every change, so what a client
 * receives never depends on a browser muting itself.
 */
import type { MediaKind } from '@bilik/shared';

export type ParticipantRole = 'booth' | 'officer';

export interface PolicyParticipant {
  id: string;
  /** Producer ids this participant sends, by kind. */
  producers: Partial<Record<MediaKind, string>>;
  /** Joined with its capabilities and has a receive transport, so consumers can be made for it. */
  receiving: boolean;
}

export interface DeskMediaState {
  officer: PolicyParticipant | null;
  booths: readonly PolicyParticipant[];
  /** The booth that hears the officer and is heard by the officer; null for none. */
  talkingToBoothId: string | null;
  /** The booth whose tile the officer enlarged to read a document; null for none. */
  focusedBoothId: string | null;
}

/** mediasoup consumer priorities: the bandwidth estimate is shared out to higher ones first. */
export const PRIORITY_NORMAL = 1;
export const PRIORITY_FOCUSED = 255;

export interface ConsumerSpec {
  receiver: { role: ParticipantRole; id: string };
  source: { role: ParticipantRole; id: string };
  producerId: string;
  kind: MediaKind;
  paused: boolean;
  priority: number;
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
 * - The enlarged booth's video has the highest priority, so it gets the best quality the
 *   officer's link can carry.
 * - A booth never receives anything from another booth.
 */
export function deriveConsumers(state: DeskMediaState): ConsumerSpec[] {
  const { officer, booths, talkingToBoothId, focusedBoothId } = state;
  if (!officer) return [];
  const specs: ConsumerSpec[] = [];
  const officerSource = { role: 'officer', id: officer.id } as const;
  for (const booth of booths) {
    const boothSource = { role: 'booth', id: booth.id } as const;
    const isTalking = booth.id === talkingToBoothId;
    const normal = PRIORITY_NORMAL;
    if (booth.receiving) {
      addIfProduced(specs, officer.producers, 'video', { receiver: boothSource, source: officerSource, paused: false, priority: normal });
      addIfProduced(specs, officer.producers, 'audio', { receiver: boothSource, source: officerSource, paused: !isTalking, priority: normal });
    }
    if (officer.receiving) {
      const videoPriority = booth.id === focusedBoothId ? PRIORITY_FOCUSED : normal;
      addIfProduced(specs, booth.producers, 'video', { receiver: officerSource, source: boothSource, paused: false, priority: videoPriority });
      addIfProduced(specs, booth.producers, 'audio', { receiver: officerSource, source: boothSource, paused: !isTalking, priority: normal });
    }
  }
  return specs;
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
