/**
 * The call's link quality for branch IT, from the WebRTC statistics of its two transports:
 * round-trip time on the connection in use, packet loss of what the booth received, and the
 * bit rates both ways. Loss and rates are measured between one reading and the next, so the
 * first reading of a call has only the round-trip time.
 */
import type { LinkQuality } from '@bilik/shared/fleet';

/** The statistics the meter reads, as MediaSession.getStats gives them. */
export interface TransportStats {
  send: RTCStatsReport;
  recv: RTCStatsReport;
}

interface Sample {
  at: number;
  bytesSent: number;
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
}

/** One call's link quality, reading after reading. */
export class LinkQualityMeter {
  private last: Sample | null = null;

  /** The link quality since the previous reading. */
  read(stats: TransportStats): LinkQuality {
    const sendPair = selectedPair(stats.send);
    const recvPair = selectedPair(stats.recv);
    const inbound = inboundTotals(stats.recv);
    const sample: Sample = {
      at: performance.now(),
      bytesSent: sendPair?.bytesSent ?? 0,
      bytesReceived: recvPair?.bytesReceived ?? 0,
      ...inbound,
    };
    const rtt = sendPair?.currentRoundTripTime ?? recvPair?.currentRoundTripTime;
    const previous = this.last;
    this.last = sample;
    const quality: LinkQuality = {
      rttMs: rtt === undefined ? null : round(rtt * 1000),
      packetLossPercent: null,
      outgoingKbps: null,
      incomingKbps: null,
    };
    if (previous === null || sample.at <= previous.at) return quality;

    const seconds = (sample.at - previous.at) / 1000;
    const kbps = (bytes: number): number | null => (bytes < 0 ? null : round((bytes * 8) / 1000 / seconds));
    const received = sample.packetsReceived - previous.packetsReceived;
    const lost = sample.packetsLost - previous.packetsLost;
    return {
      ...quality,
      packetLossPercent: received + lost > 0 && lost >= 0 ? round((lost / (received + lost)) * 100) : null,
      outgoingKbps: kbps(sample.bytesSent - previous.bytesSent),
      incomingKbps: kbps(sample.bytesReceived - previous.bytesReceived),
    };
  }
}

interface CandidatePair {
  bytesSent?: number;
  bytesReceived?: number;
  /** Seconds. */
  currentRoundTripTime?: number;
}

/** The ICE candidate pair a transport's connection uses now. */
function selectedPair(report: RTCStatsReport): CandidatePair | undefined {
  let pair: CandidatePair | undefined;
  report.forEach((stats: { type: string; id: string; selectedCandidatePairId?: string; nominated?: boolean; state?: string }) => {
    if (stats.type === 'transport' && stats.selectedCandidatePairId)
      pair = report.get(stats.selectedCandidatePairId) as CandidatePair | undefined;
  });
  if (pair) return pair;
  // Browsers without a transport report: the nominated pair that works.
  report.forEach((stats: { type: string; nominated?: boolean; state?: string } & CandidatePair) => {
    if (!pair && stats.type === 'candidate-pair' && stats.nominated && stats.state === 'succeeded') pair = stats;
  });
  return pair;
}

/** Packets received and lost over every inbound stream of the receive transport. */
function inboundTotals(report: RTCStatsReport): { packetsReceived: number; packetsLost: number } {
  let packetsReceived = 0;
  let packetsLost = 0;
  report.forEach((stats: { type: string; packetsReceived?: number; packetsLost?: number }) => {
    if (stats.type !== 'inbound-rtp') return;
    packetsReceived += stats.packetsReceived ?? 0;
    packetsLost += stats.packetsLost ?? 0;
  });
  return { packetsReceived, packetsLost };
}

/** Two decimals: enough for IT, and within the server's bounds. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}
