/**
 * Benchmark: capacity of one mediasoup worker, as worker CPU and packet loss for 1, 4, 8, 12
 * and 16 full desks (an officer and 6 booths each).
 *
 * No browsers: each participant sends synthetic RTP (Opus-sized audio, 50 packets/s; VP8 video
 * at 30 frames/s: the officer one layer of about 1.1 Mbit/s, a booth three simulcast layers like
 * SIMULCAST_ENCODINGS) to a PlainTransport of its desk's router, and a UDP socket of this process
 * receives what its consumers forward on a second PlainTransport. The
 * consumers, their pause states and preferred layers come from the real media policy
 * (`deriveConsumers`) with the officer talking to booth 1. Every packet carries the simulcast
 * layer it belongs to and the phase it was sent in (warm-up, measurement, drain) in its last two
 * bytes, so each consumer is counted against exactly the layer it forwards and the packets sent
 * inside the measurement window, whatever the queueing delay.
 *
 * Every packet of a scenario is built (and with SRTP encrypted) before it starts, and a small C
 * program (scripts/udp-replay.c, compiled on first use) sends them on schedule with sendmmsg():
 * Node's sockets cost about 9 us of CPU per datagram, too much for one core to send 20 desks'
 * media and run the edge worker besides. All participants send from its one socket. On a machine
 * with two or more cores the measured worker is pinned to the first and everything else (this
 * script, the sender, the edge worker) to the second, so the worker has a core to itself however
 * busy the load generator is.
 *
 * With SRTP=1 the measured worker pays for encryption and a fed bandwidth estimator as it does
 * with browsers. Each participant encrypts its media with SRTP (AEAD_AES_256_GCM, the suite
 * Chromium and this server agree on) to a PlainTransport with SRTP of the measured worker. A
 * second worker, the edge, takes what the measured worker's consumers send (encrypted, negotiating
 * transport-cc): its producers answer with transport-cc feedback. Loss is then read from RTP
 * statistics (sequence-number gaps) of the measured worker's producers and the edge's, not from
 * the packets' tags: handing the media on to the script's sockets would cost the two processes
 * sharing the second core more than they have at 20 desks. Only the measured worker's CPU is the
 * result; the edge's is shown beside it.
 *
 * Run: npm run bench:capacity   (DESKS=1,4,8,12,16 by default; SRTP=1; ESTIMATOR=off; PIN=off leaves the CPUs unpinned)
 */
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import {
  deriveConsumers,
  SPATIAL_LAYER_FULL,
  type DeskMediaState,
  type ParticipantRole,
  type PolicyParticipant,
} from '../server/src/sfu/mediaPolicy.js';
import { MEDIA_CODECS } from '../server/src/sfu/desk.js';
import { machineLine } from './benchSummary.js';
import { processCpuSeconds } from './processCpu.js';
import { SrtpGcmSender } from './srtpGcm.js';

const DESK_COUNTS = (process.env.DESKS ?? '1,4,8,12,16').split(',').map(Number);
/** Whether media to and from the measured worker is SRTP-encrypted, as a browser's is. */
const SRTP = process.env.SRTP === '1';
/** The one suite the script's senders encrypt with (scripts/srtpGcm.ts): Chromium's choice with this server. */
const SRTP_SUITE: ms.SrtpCryptoSuite = 'AEAD_AES_256_GCM';
/** With SRTP, whether the consumers negotiate transport-cc so the edge feeds the bandwidth estimator (ESTIMATOR=off: to tell its cost from SRTP's). */
const ESTIMATOR_FED = SRTP && process.env.ESTIMATOR !== 'off';
const BOOTHS_PER_DESK = 6;
/**
 * With a fed bandwidth estimator the consumers start low and probe up to their layer. A tile the
 * estimator moves down in that start holds its layer for 10 s before it may move up again
 * (BweDowngradeConservativeMs in mediasoup's SimulcastConsumer.cpp): give them that and more.
 */
const WARM_UP_MS = SRTP ? 15_000 : 3_000;
const MEASURE_MS = 10_000;
/** Time after the window for packets still queued in sockets or the worker to arrive. */
const DRAIN_MS = 500;
/** How long the senders go on after the drain, so the load stands while the results are read. */
const TAIL_MS = 2_000;
/** A sender this late at the worst has not kept to the schedule: the results say so. */
const MAX_LATE_MS = 100;
/** Room for the receiving sockets to ride out a stall of this process's event loop (kernel caps it at rmem_max). */
const RECEIVER_BUFFER_BYTES = 1 << 20;
const LOCALHOST = '127.0.0.1';
/** Video frames between RTCP Sender Reports of each layer: one a second, as browsers send them, the first after a second too. */
const SENDER_REPORT_EVERY_FRAMES = 30;
/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_UNIX_OFFSET_SECONDS = 2_208_988_800;

const AUDIO_PAYLOAD_TYPE = 100;
const VIDEO_PAYLOAD_TYPE = 101;
const AUDIO_TIMING = { periodMs: 20, timestampStep: 960 };
const VIDEO_TIMING = { periodMs: 1000 / 30, timestampStep: 3_000 };

/** The packets one encoding sends per frame. */
interface LayerShape {
  packetsPerFrame: number;
  payloadBytes: number;
}
const AUDIO_LAYERS: LayerShape[] = [{ packetsPerFrame: 1, payloadBytes: 120 }];
/** The officer's camera: one layer of about 1.1 Mbit/s. */
const OFFICER_VIDEO_LAYERS: LayerShape[] = [{ packetsPerFrame: 4, payloadBytes: 1_100 }];
/**
 * A booth's camera, three simulcast layers sized to the maxBitrates of SIMULCAST_ENCODINGS
 * (150k, 600k, 2.5M): about 0.14, 0.53 and 2.1 Mbit/s of payload at 30 frames/s.
 */
const BOOTH_VIDEO_LAYERS: LayerShape[] = [
  { packetsPerFrame: 1, payloadBytes: 600 },
  { packetsPerFrame: 2, payloadBytes: 1_100 },
  { packetsPerFrame: 8, payloadBytes: 1_100 },
];

/** Nominal packets per second a participant sends (audio + every video layer). */
function nominalPacketsPerSecond(role: ParticipantRole): number {
  const videoLayers = role === 'booth' ? BOOTH_VIDEO_LAYERS : OFFICER_VIDEO_LAYERS;
  const perFrame = (layers: LayerShape[]) => layers.reduce((sum, layer) => sum + layer.packetsPerFrame, 0);
  return (1000 / AUDIO_TIMING.periodMs) * perFrame(AUDIO_LAYERS) + (1000 / VIDEO_TIMING.periodMs) * perFrame(videoLayers);
}

/** Warm-up, measurement window, drain: the tag in the last payload byte of every packet. */
type Phase = 0 | 1 | 2;
const MEASURED: Phase = 1;

/** One encoding of a stream: its own SSRC, sequence numbers and picture IDs, as a browser sends simulcast. */
interface OutgoingLayer extends LayerShape {
  /** The spatial layer index, tagged into every packet. */
  index: number;
  ssrc: number;
  sequenceNumber: number;
  pictureId: number;
  /** Packets sent, by phase (the sender skips none). */
  sent: [number, number, number];
}

interface OutgoingStream {
  kind: ms.MediaKind;
  producer: ms.Producer;
  /** Shared by the layers: they encode the same captured frame. */
  timestamp: number;
  layers: OutgoingLayer[];
}

/** One packet of a scenario, built before it starts, and when to send it (ms after the start). */
interface ScheduledPacket {
  atMs: number;
  /** The local port of the measured worker's transport it goes to. */
  port: number;
  data: Buffer;
}

/** One desk's routers: the measured worker's, and with SRTP the edge's that receives what it sends. */
interface DeskRouters {
  measured: ms.Router;
  edge: ms.Router | null;
}

interface Endpoint {
  role: ParticipantRole;
  id: string;
  /** Without SRTP: receives what this participant's consumers forward (with SRTP the edge does). */
  receiver: dgram.Socket | null;
  /** The local port of the comedia PlainTransport of the measured worker that receives this participant's media. */
  sendTransportPort: number;
  /** With SRTP: what encrypts this participant's packets to that transport. */
  srtp: SrtpGcmSender | null;
  /** The measured worker's transport this participant's consumers go on. */
  recvTransport: ms.PlainTransport;
  /** With SRTP: the edge's transport that receives what this participant's consumers send. */
  edgeTransport: ms.PlainTransport | null;
  /** The local ports of every mediasoup transport of this participant, for the UDP drop count. */
  transportPorts: number[];
  streams: Record<ms.MediaKind, OutgoingStream>;
}

interface CountedConsumer {
  consumer: ms.Consumer;
  paused: boolean;
  /** The layer this consumer should forward: the preferred spatial layer of a simulcast consumer, else the only one. */
  source: OutgoingLayer;
  /** Without SRTP: packets of that layer arrived at the receiver's socket, by the phase they were sent in. */
  received: [number, number, number];
  /**
   * Without SRTP: packets of any other layer sent in the window that arrived; non-zero means the consumer left its
   * layer. (A simulcast consumer forwards the first layer it sees until Sender Reports arrive, in the warm-up.)
   */
  otherLayerPackets: number;
  /** With SRTP: the edge's producer of what this consumer sends, whose statistics count what arrived. */
  edgeProducer: ms.Producer | null;
  /** Times the consumer changed layers in the measurement window. */
  layerChanges: number;
}

interface Scenario {
  /** Both workers' routers. */
  routers: ms.Router[];
  endpoints: Endpoint[];
  consumersBySsrc: Map<number, CountedConsumer>;
  socketErrors: number;
  /** Whether layer changes are being counted (the measurement window). */
  countingLayerChanges: boolean;
}

/** RTP packets received and lost (by sequence-number gaps) so far, summed over streams. */
interface RtpReceipt {
  received: number;
  lost: number;
}

/** With SRTP, the RTP statistics loss is read from, at one moment. */
interface RtpSnapshot {
  /** At the measured worker's producers, every layer: what the script's packets lost on the way in. */
  into: RtpReceipt;
  /** At the edge's producers of the unpaused consumers: what the measured worker's forwarding lost. */
  out: RtpReceipt;
  /** Packets the edge received from paused consumers (there should be none). */
  fromPaused: number;
}

interface Result {
  desks: number;
  participants: number;
  nominalPacketsInPerSecond: number;
  consumers: number;
  unpausedConsumers: number;
  packetsInPerSecond: number;
  packetsOutPerSecond: number;
  workerCpuPercent: number;
  /** The edge worker's CPU (% of one core), with SRTP; null without. */
  edgeCpuPercent: number | null;
  benchCpuPercent: number;
  /** The sender's CPU (% of one core), its greatest lateness and its failed sends. */
  senderCpuPercent: number;
  senderMaxLateMs: number;
  sendErrors: number;
  lossPercent: number;
  /** With SRTP: the loss into the measured worker and out of it, which lossPercent combines; null without. */
  lossSplit: { into: number; out: number } | null;
  /** Datagrams the kernel dropped for a full receive buffer, into the worker's sockets and into this process's. */
  udpDrops: { worker: number; bench: number } | null;
  socketErrors: number;
  receivedWhilePaused: number;
  /** Unpaused simulcast consumers, and how many of them were on their preferred spatial layer at the end of the window. */
  simulcastConsumers: number;
  simulcastOnPreferredLayer: number;
  /** Without SRTP: packets of another layer than a consumer's that reached its receiver in the window; null with SRTP. */
  otherLayerPackets: number | null;
  /** Layer changes of the unpaused consumers in the window. */
  layerChanges: number;
  /** With SRTP: the lowest estimate of the bandwidth to a receiver at the end of the window (kbit/s), showing the estimator is fed. */
  lowestEstimateKbps: number | null;
}

let nextSsrc = 10_000;

/** Binds a UDP socket on loopback to a free port. */
async function bindSocket(): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: RECEIVER_BUFFER_BYTES });
  await new Promise<void>((resolve) => socket.bind(0, LOCALHOST, resolve));
  return socket;
}

/**
 * Producer RTP parameters for one synthetic stream; video offers NACK, PLI and FIR like a browser.
 * One encoding per layer; more than one makes mediasoup treat the producer as simulcast.
 */
function rtpParameters(kind: ms.MediaKind, layers: OutgoingLayer[]): ms.RtpParameters {
  const codec: ms.RtpCodecParameters =
    kind === 'audio'
      ? { mimeType: 'audio/opus', payloadType: AUDIO_PAYLOAD_TYPE, clockRate: 48000, channels: 2 }
      : {
          mimeType: 'video/VP8',
          payloadType: VIDEO_PAYLOAD_TYPE,
          clockRate: 90000,
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
        };
  return { codecs: [codec], encodings: layers.map((layer) => ({ ssrc: layer.ssrc })) };
}

/**
 * What the synthetic receivers can receive: the router's capabilities without transport-cc and
 * REMB feedback. The receiving sockets send no bandwidth feedback, and with an estimator
 * negotiated but never fed, mediasoup holds a transport's simulcast consumers to its initial
 * estimate: the officer's tiles fell to layer 0 or to nothing. Without it, each takes its
 * preferred layer.
 */
function receiverCapabilities(router: ms.Router): ms.RtpCapabilities {
  const bandwidthFeedback = new Set(['transport-cc', 'goog-remb']);
  return {
    ...router.rtpCapabilities,
    codecs: router.rtpCapabilities.codecs?.map((codec) => ({
      ...codec,
      rtcpFeedback: codec.rtcpFeedback?.filter((feedback) => !bandwidthFeedback.has(feedback.type)),
    })),
  };
}

/**
 * A one-way SRTP link from the measured worker to the edge, like the SFU's media path to a
 * browser: PlainTransports with SRTP, RTCP multiplexed, the edge's learning the measured worker's
 * address from its first packet.
 */
async function srtpLink(measured: ms.Router, edge: ms.Router): Promise<{ sending: ms.PlainTransport; receiving: ms.PlainTransport }> {
  const options = { listenIp: LOCALHOST, rtcpMux: true, enableSrtp: true, srtpCryptoSuite: SRTP_SUITE };
  const receiving = await edge.createPlainTransport({ ...options, comedia: true });
  const sending = await measured.createPlainTransport({ ...options, comedia: false });
  await receiving.connect({ srtpParameters: sending.srtpParameters });
  await sending.connect({ ip: LOCALHOST, port: receiving.tuple.localPort, srtpParameters: receiving.srtpParameters });
  return { sending, receiving };
}

/**
 * Seats one participant: its socket, a send transport on the measured worker with an audio and a
 * video producer, and a receive transport. With SRTP the socket's media is encrypted to the send
 * transport, and the receive transport sends its consumers' media over SRTP to the edge (see
 * produceAtEdge); without, straight to the socket.
 */
async function addEndpoint(routers: DeskRouters, role: ParticipantRole, id: string): Promise<Endpoint> {
  const { measured, edge } = routers;
  const srtp = SRTP ? new SrtpGcmSender() : null;
  const entry = await measured.createPlainTransport({
    listenIp: LOCALHOST,
    rtcpMux: true,
    comedia: true,
    ...(srtp && { enableSrtp: true, srtpCryptoSuite: SRTP_SUITE }),
  });
  if (srtp) await entry.connect({ srtpParameters: { cryptoSuite: SRTP_SUITE, keyBase64: srtp.keyBase64 } });
  const transports: ms.PlainTransport[] = [entry];
  let recvTransport: ms.PlainTransport;
  let edgeTransport: ms.PlainTransport | null = null;
  let receiver: dgram.Socket | null = null;
  if (edge) {
    const backToEdge = await srtpLink(measured, edge);
    recvTransport = backToEdge.sending;
    edgeTransport = backToEdge.receiving;
    transports.push(backToEdge.sending, backToEdge.receiving);
  } else {
    receiver = await bindSocket();
    recvTransport = await measured.createPlainTransport({ listenIp: LOCALHOST, rtcpMux: true, comedia: false });
    await recvTransport.connect({ ip: LOCALHOST, port: receiver.address().port });
    transports.push(recvTransport);
  }
  const stream = async (kind: ms.MediaKind, shapes: LayerShape[]): Promise<OutgoingStream> => {
    const layers = shapes.map((shape, index): OutgoingLayer => ({
      ...shape,
      index,
      ssrc: nextSsrc++,
      sequenceNumber: Math.floor(Math.random() * 0xffff),
      pictureId: Math.floor(Math.random() * 0x7fff),
      sent: [0, 0, 0],
    }));
    const producer = await entry.produce({ kind, rtpParameters: rtpParameters(kind, layers) });
    return { kind, producer, timestamp: Math.floor(Math.random() * 0xffffffff), layers };
  };
  return {
    role,
    id,
    receiver,
    sendTransportPort: entry.tuple.localPort,
    srtp,
    recvTransport,
    edgeTransport,
    transportPorts: transports.map((transport) => transport.tuple.localPort),
    streams: {
      audio: await stream('audio', AUDIO_LAYERS),
      video: await stream('video', role === 'booth' ? BOOTH_VIDEO_LAYERS : OFFICER_VIDEO_LAYERS),
    },
  };
}

/** VP8 key frame header: frame tag with P = 0 (key frame) and show_frame, start code, 640×480. */
const VP8_KEY_FRAME_HEADER = Buffer.from([0x10, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]);

/**
 * The payload of one packet. Video carries a VP8 payload descriptor as Chromium writes it
 * (X and I bits, 15-bit picture ID): mediasoup 3.12 parses only extended descriptors, and its
 * consumers forward nothing until they see a key frame. Every frame is tagged as a key frame,
 * so a consumer never waits for one; a simulcast consumer also switches layers only on a key
 * frame. The second-to-last byte is the layer index (mediasoup forwards every layer on the
 * consumer's one SSRC, so only the payload tells them apart); the last byte is the phase.
 */
function payload(kind: ms.MediaKind, layer: OutgoingLayer, packetIndex: number, phase: Phase): Buffer {
  const data = Buffer.alloc(layer.payloadBytes);
  if (kind === 'audio') {
    data[0] = 0xfc; // Opus TOC: CELT fullband 20 ms, one frame; any non-DTX payload would do.
  } else {
    const firstOfFrame = packetIndex === 0;
    data[0] = firstOfFrame ? 0x90 : 0x80; // X, and S on the first packet of the frame (partition 0).
    data[1] = 0x80; // I: a picture ID follows.
    data.writeUInt16BE(0x8000 | layer.pictureId, 2); // M: the picture ID takes 15 bits.
    if (firstOfFrame) {
      VP8_KEY_FRAME_HEADER.copy(data, 4);
    }
  }
  data[data.length - 2] = layer.index;
  data[data.length - 1] = phase;
  return data;
}

/**
 * An RTCP Sender Report for one layer, mapping the RTP timestamp of the frame just sent to its
 * send time. A simulcast consumer starts on whichever layer it first sees and switches to another
 * only once both have sent one, since it needs them to line up the layers' timestamps.
 */
function senderReport(layer: OutgoingLayer, rtpTimestamp: number, sentAtEpochMs: number, packetsSoFar: number): Buffer {
  const report = Buffer.alloc(28);
  report[0] = 0x80; // RTP version 2, no report blocks.
  report[1] = 200; // SR.
  report.writeUInt16BE(6, 2); // Length in 32-bit words, minus one.
  report.writeUInt32BE(layer.ssrc, 4);
  report.writeUInt32BE(Math.floor(sentAtEpochMs / 1000) + NTP_UNIX_OFFSET_SECONDS, 8);
  report.writeUInt32BE(Math.floor(((sentAtEpochMs % 1000) / 1000) * 2 ** 32), 12);
  report.writeUInt32BE(rtpTimestamp, 16);
  report.writeUInt32BE(packetsSoFar >>> 0, 20);
  report.writeUInt32BE((packetsSoFar * layer.payloadBytes) >>> 0, 24);
  return report;
}

/** The phase a packet sent `atMs` after the start belongs to. */
function phaseAt(atMs: number): Phase {
  if (atMs < WARM_UP_MS) return 0;
  return atMs < WARM_UP_MS + MEASURE_MS ? 1 : 2;
}

/**
 * Every packet one stream sends in `durationMs`: its frames, the first at `firstFrameAtMs`, in
 * every layer, with video's Sender Reports, encrypted if the participant sends SRTP.
 */
function streamPackets(
  endpoint: Endpoint,
  stream: OutgoingStream,
  firstFrameAtMs: number,
  durationMs: number,
  epochMs: number,
): ScheduledPacket[] {
  const packets: ScheduledPacket[] = [];
  const { periodMs, timestampStep } = stream.kind === 'audio' ? AUDIO_TIMING : VIDEO_TIMING;
  const port = endpoint.sendTransportPort;
  const protect = (header: Buffer, body: Buffer) =>
    endpoint.srtp ? endpoint.srtp.protectRtp(header, body) : Buffer.concat([header, body]);
  const protectReport = (report: Buffer) => (endpoint.srtp ? endpoint.srtp.protectRtcp(report) : report);
  for (let frame = 0, atMs = firstFrameAtMs; atMs < durationMs; frame++, atMs = firstFrameAtMs + frame * periodMs) {
    const phase = phaseAt(atMs);
    for (const layer of stream.layers) {
      for (let index = 0; index < layer.packetsPerFrame; index++) {
        const header = Buffer.alloc(12);
        const marker = stream.kind === 'video' && index === layer.packetsPerFrame - 1 ? 0x80 : 0;
        header[0] = 0x80; // RTP version 2.
        header[1] = marker | (stream.kind === 'audio' ? AUDIO_PAYLOAD_TYPE : VIDEO_PAYLOAD_TYPE);
        header.writeUInt16BE(layer.sequenceNumber, 2);
        header.writeUInt32BE(stream.timestamp, 4);
        header.writeUInt32BE(layer.ssrc, 8);
        packets.push({ atMs, port, data: protect(header, payload(stream.kind, layer, index, phase)) });
        layer.sequenceNumber = (layer.sequenceNumber + 1) & 0xffff;
      }
      layer.sent[phase] += layer.packetsPerFrame;
      layer.pictureId = (layer.pictureId + 1) & 0x7fff;
      if (stream.kind === 'video' && frame > 0 && frame % SENDER_REPORT_EVERY_FRAMES === 0) {
        const packetsSoFar = layer.sent[0] + layer.sent[1] + layer.sent[2];
        packets.push({ atMs, port, data: protectReport(senderReport(layer, stream.timestamp, epochMs + atMs, packetsSoFar)) });
      }
    }
    stream.timestamp = (stream.timestamp + timestampStep) >>> 0;
  }
  return packets;
}

/**
 * Builds every packet of the scenario before it starts, in the order they are due, counting each
 * layer's packets by phase. Streams start at random points of a frame period so they do not all
 * fire at once. The Sender Reports' wall-clock times count from now; only their differences matter.
 */
function buildSchedule(scenario: Scenario, durationMs: number): ScheduledPacket[] {
  const epochMs = Date.now();
  const schedule: ScheduledPacket[] = [];
  for (const endpoint of scenario.endpoints) {
    for (const stream of Object.values(endpoint.streams)) {
      for (const packet of streamPackets(endpoint, stream, Math.random() * VIDEO_TIMING.periodMs, durationMs, epochMs))
        schedule.push(packet);
    }
  }
  return schedule.sort((a, b) => a.atMs - b.atMs);
}

/** Writes the schedule in udp-replay's format (per packet f64 due ms, u16 port, u16 length, the bytes); returns its length. */
function writeSchedule(schedule: ScheduledPacket[], path: string): number {
  const file = fs.openSync(path, 'w');
  try {
    const chunk = Buffer.alloc(4 << 20);
    let used = 0;
    for (const packet of schedule) {
      if (used + 12 + packet.data.length > chunk.length) {
        fs.writeSync(file, chunk, 0, used);
        used = 0;
      }
      used = chunk.writeDoubleLE(packet.atMs, used);
      used = chunk.writeUInt16LE(packet.port, used);
      used = chunk.writeUInt16LE(packet.data.length, used);
      used += packet.data.copy(chunk, used);
    }
    fs.writeSync(file, chunk, 0, used);
  } finally {
    fs.closeSync(file);
  }
  return schedule.length;
}

/** The udp-replay binary, compiled from scripts/udp-replay.c into the cache on first use (or when the source changed). */
function replayBinary(): string {
  const source = fileURLToPath(new URL('./udp-replay.c', import.meta.url));
  const hash = crypto.createHash('sha256').update(fs.readFileSync(source)).digest('hex').slice(0, 12);
  const binary = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'bilik', `udp-replay-${hash}`);
  if (!fs.existsSync(binary)) {
    fs.mkdirSync(path.dirname(binary), { recursive: true });
    execFileSync('cc', ['-O2', '-Wall', '-o', binary, source], { stdio: 'inherit' });
  }
  return binary;
}

/** What udp-replay prints when it finishes: datagrams sent, the greatest lateness, failed sends. */
interface SenderReport {
  sent: number;
  maxLateMs: number;
  errors: number;
}

/** The sender process of one scenario, loaded and waiting for `start`. */
interface Sender {
  start(): void;
  /** CPU time used so far (user + system), in ms. */
  cpuMs(): number;
  /** Its report when it finishes; null if it failed. */
  finished: Promise<SenderReport | null>;
  stop(): void;
}

/** Starts udp-replay on a schedule file (pinned to CPU 1 when `pinned`) and waits until it has loaded it. */
async function startSender(schedulePath: string, pinned: boolean): Promise<Sender> {
  const binary = replayBinary();
  const child = pinned ? spawn('taskset', ['--cpu-list', '1', binary, schedulePath]) : spawn(binary, [schedulePath]);
  child.stderr.pipe(process.stderr);
  const lines = readline.createInterface({ input: child.stdout });
  const output: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => (line === 'ready' ? resolve() : output.push(line)));
    child.once('exit', (code) => reject(new Error(`udp-replay exited (${code}) before it was ready`)));
  });
  const finished = new Promise<SenderReport | null>((resolve) =>
    child.once('exit', (code) => resolve(code === 0 && output[0] ? (JSON.parse(output[0]) as SenderReport) : null)),
  );
  await ready;
  return {
    start: () => child.stdin.write('go\n'),
    cpuMs: () => processCpuSeconds(child.pid!) * 1000,
    finished,
    stop: () => child.kill(),
  };
}

/** Counts an arriving packet against the consumer whose SSRC it carries, by its layer tag; RTCP is ignored. */
function countArrival(scenario: Scenario, packet: Buffer): void {
  if (packet.length < 14) return;
  const secondByte = packet.readUInt8(1);
  // RFC 5761: with RTCP multiplexed, 192–223 in the second byte is an RTCP packet type.
  if (secondByte >= 192 && secondByte <= 223) return;
  const consumer = scenario.consumersBySsrc.get(packet.readUInt32BE(8));
  const layer = packet.readUInt8(packet.length - 2);
  const phase = packet.readUInt8(packet.length - 1);
  if (!consumer || !(phase === 0 || phase === 1 || phase === 2)) return;
  if (layer === consumer.source.index) consumer.received[phase]++;
  else if (phase === MEASURED) consumer.otherLayerPackets++;
}

/**
 * With SRTP, the edge's producer of what a consumer sends. It takes the consumer's parameters,
 * transport-cc included, so it feeds the measured worker's bandwidth estimator, and its
 * statistics count what arrived.
 */
async function produceAtEdge(edgeTransport: ms.PlainTransport, consumer: ms.Consumer): Promise<ms.Producer> {
  // A simulcast consumer sends one spatial layer at a time: to the edge it is a single stream.
  const encodings = consumer.rtpParameters.encodings?.map((encoding) => ({ ...encoding, scalabilityMode: 'L1T1' }));
  return edgeTransport.produce({ kind: consumer.kind, rtpParameters: { ...consumer.rtpParameters, encodings } });
}

/** Builds N full desks on the worker (and its edge, with SRTP), with the consumers the media policy derives for each. */
async function buildScenario(worker: ms.Worker, edgeWorker: ms.Worker | null, desks: number): Promise<Scenario> {
  const scenario: Scenario = {
    routers: [],
    endpoints: [],
    consumersBySsrc: new Map(),
    socketErrors: 0,
    countingLayerChanges: false,
  };
  for (let desk = 1; desk <= desks; desk++) {
    const routers: DeskRouters = {
      measured: await worker.createRouter({ mediaCodecs: MEDIA_CODECS }),
      edge: edgeWorker ? await edgeWorker.createRouter({ mediaCodecs: MEDIA_CODECS }) : null,
    };
    scenario.routers.push(routers.measured, ...(routers.edge ? [routers.edge] : []));
    // Through the edge the estimator is fed, so the consumers negotiate it as browsers do.
    const rtpCapabilities = ESTIMATOR_FED ? routers.measured.rtpCapabilities : receiverCapabilities(routers.measured);
    const officer = await addEndpoint(routers, 'officer', `petugas-${desk}`);
    const booths: Endpoint[] = [];
    for (let booth = 1; booth <= BOOTHS_PER_DESK; booth++) booths.push(await addEndpoint(routers, 'booth', `bilik-${desk}-${booth}`));
    const deskEndpoints = [officer, ...booths];
    scenario.endpoints.push(...deskEndpoints);

    const toPolicy = (endpoint: Endpoint): PolicyParticipant => ({
      id: endpoint.id,
      producers: { audio: endpoint.streams.audio.producer.id, video: endpoint.streams.video.producer.id },
      receiving: true,
    });
    const state: DeskMediaState = {
      officer: toPolicy(officer),
      booths: booths.map(toPolicy),
      monitors: [],
      talkingToBoothId: booths[0]?.id ?? null,
      focusedBoothId: null,
      maxBoothLayer: SPATIAL_LAYER_FULL,
    };
    const streamsByProducerId = new Map(
      deskEndpoints.flatMap((endpoint) => Object.values(endpoint.streams).map((stream) => [stream.producer.id, stream] as const)),
    );
    for (const spec of deriveConsumers(state)) {
      const receiver = deskEndpoints.find((endpoint) => endpoint.role === spec.receiver.role && endpoint.id === spec.receiver.id);
      const source = streamsByProducerId.get(spec.producerId);
      if (!receiver || !source) throw new Error(`the policy named an unknown participant or producer: ${JSON.stringify(spec)}`);
      const layer = source.layers[spec.spatialLayer ?? 0];
      if (!layer) throw new Error(`the policy asked for a layer the stream does not send: ${JSON.stringify(spec)}`);
      const consumer = await receiver.recvTransport.consume({
        producerId: spec.producerId,
        rtpCapabilities,
        paused: spec.paused,
        ...(spec.spatialLayer !== null && { preferredLayers: { spatialLayer: spec.spatialLayer } }),
      });
      const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
      if (ssrc === undefined) throw new Error('a consumer has no SSRC');
      const counted: CountedConsumer = {
        consumer,
        paused: spec.paused,
        source: layer,
        received: [0, 0, 0],
        otherLayerPackets: 0,
        edgeProducer: receiver.edgeTransport ? await produceAtEdge(receiver.edgeTransport, consumer) : null,
        layerChanges: 0,
      };
      consumer.on('layerschange', () => {
        if (scenario.countingLayerChanges) counted.layerChanges++;
      });
      scenario.consumersBySsrc.set(ssrc, counted);
    }
  }
  for (const endpoint of scenario.endpoints) {
    endpoint.receiver?.on('message', (packet) => countArrival(scenario, packet));
    endpoint.receiver?.on('error', () => scenario.socketErrors++);
  }
  return scenario;
}

/**
 * Datagrams the kernel has dropped so far on the scenario's sockets (the `drops` column of
 * /proc/net/udp), split into the worker's and this process's, so loss can be placed; null where
 * /proc is unreadable.
 */
function udpDrops(scenario: Scenario): { worker: number; bench: number } | null {
  const workerPorts = new Set(scenario.endpoints.flatMap((endpoint) => endpoint.transportPorts));
  const benchPorts = new Set(scenario.endpoints.flatMap((endpoint) => (endpoint.receiver ? [endpoint.receiver.address().port] : [])));
  const drops = { worker: 0, bench: 0 };
  let table: string;
  try {
    table = fs.readFileSync('/proc/net/udp', 'utf8');
  } catch {
    return null;
  }
  for (const line of table.trim().split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    // local_address is hex "0100007F:9C40"; drops is the last column.
    const port = Number.parseInt(fields[1]?.split(':')[1] ?? '', 16);
    const dropped = Number(fields.at(-1));
    if (workerPorts.has(port)) drops.worker += dropped;
    else if (benchPorts.has(port)) drops.bench += dropped;
  }
  return drops;
}

/** The lowest of the measured worker's estimates of the bandwidth to each receiver (kbit/s). */
async function lowestEstimate(scenario: Scenario): Promise<number> {
  const stats = await Promise.all(scenario.endpoints.map((endpoint) => endpoint.recvTransport.getStats()));
  return Math.min(...stats.map(([stat]) => (stat?.availableOutgoingBitrate ?? 0) / 1000));
}

/** Worker CPU time so far (user + system), in ms. */
async function workerCpuMs(worker: ms.Worker): Promise<number> {
  const usage = await worker.getResourceUsage();
  return usage.ru_utime + usage.ru_stime;
}

/** Runs one scenario: build, warm up, measure, drain, close. */
/** What a stream's statistics say it received and lost so far: its inbound-rtp entries, summed. */
async function receipt(producer: ms.Producer): Promise<RtpReceipt> {
  const stats = await producer.getStats();
  return stats.reduce((sum, stat) => ({ received: sum.received + stat.packetCount, lost: sum.lost + stat.packetsLost }), {
    received: 0,
    lost: 0,
  });
}

/** With SRTP: the RTP statistics of every producer on the way, and how many unpaused consumers the edge has heard nothing from. */
async function rtpSnapshot(scenario: Scenario): Promise<RtpSnapshot & { silentConsumers: number }> {
  const add = (a: RtpReceipt, b: RtpReceipt): RtpReceipt => ({ received: a.received + b.received, lost: a.lost + b.lost });
  const producers = scenario.endpoints.flatMap((endpoint) => Object.values(endpoint.streams).map((stream) => stream.producer));
  const consumers = [...scenario.consumersBySsrc.values()];
  const [into, atEdge] = await Promise.all([
    Promise.all(producers.map(receipt)),
    Promise.all(
      consumers.map(async (counted) => ({ counted, receipt: counted.edgeProducer ? await receipt(counted.edgeProducer) : null })),
    ),
  ]);
  const none: RtpReceipt = { received: 0, lost: 0 };
  const unpaused = atEdge.filter(({ counted }) => !counted.paused);
  return {
    into: into.reduce(add, none),
    out: unpaused.reduce((sum, { receipt }) => add(sum, receipt ?? none), none),
    fromPaused: atEdge.filter(({ counted }) => counted.paused).reduce((sum, { receipt }) => sum + (receipt?.received ?? 0), 0),
    silentConsumers: unpaused.filter(({ receipt }) => !receipt || receipt.received === 0).length,
  };
}

/** Percent of packets lost between two readings of the same streams. */
function lostPercent(before: RtpReceipt, after: RtpReceipt): number {
  const received = after.received - before.received;
  const lost = after.lost - before.lost;
  return received + lost === 0 ? 100 : (lost / (received + lost)) * 100;
}

/** Runs one scenario: build, warm up, measure, drain, close. */
async function runScenario(worker: ms.Worker, edgeWorker: ms.Worker | null, desks: number, pinned: boolean): Promise<Result> {
  const scenario = await buildScenario(worker, edgeWorker, desks);
  const schedulePath = path.join(os.tmpdir(), `bilik-capacity-${process.pid}.bin`);
  // The packets live on only in the file, which the sender loads: this process lets them go.
  const packets = writeSchedule(buildSchedule(scenario, WARM_UP_MS + MEASURE_MS + DRAIN_MS + TAIL_MS), schedulePath);
  process.stderr.write(`  ${packets.toLocaleString('en-US')} packets built; sending\n`);
  let sender: Sender | null = null;
  try {
    sender = await startSender(schedulePath, pinned);
    sender.start();
    const startAt = performance.now();
    /** Sleeps until `atMs` after the start of sending. */
    const until = (atMs: number) => sleep(Math.max(0, startAt + atMs - performance.now()));
    await until(WARM_UP_MS);
    const consumers = [...scenario.consumersBySsrc.values()];
    const unpaused = consumers.filter((consumer) => !consumer.paused);
    // RTP statistics are read outside the CPU window: answering them costs the workers CPU.
    const rtpAtStart = SRTP ? await rtpSnapshot(scenario) : null;
    const silent = rtpAtStart ? rtpAtStart.silentConsumers : unpaused.filter((consumer) => consumer.received[0] === 0).length;
    if (silent > 0) process.stderr.write(`  warning: ${silent} of ${unpaused.length} unpaused consumers received nothing during warm-up\n`);

    const workerCpuAtStart = await workerCpuMs(worker);
    const edgeCpuAtStart = edgeWorker ? await workerCpuMs(edgeWorker) : 0;
    const benchCpuAtStart = process.cpuUsage();
    const senderCpuAtStart = sender.cpuMs();
    const dropsAtStart = udpDrops(scenario);
    const startedAt = performance.now();
    scenario.countingLayerChanges = true;
    await until(WARM_UP_MS + MEASURE_MS);
    const workerCpuAtEnd = await workerCpuMs(worker);
    const edgeCpuAtEnd = edgeWorker ? await workerCpuMs(edgeWorker) : 0;
    const benchCpu = process.cpuUsage(benchCpuAtStart);
    const senderCpuMs = sender.cpuMs() - senderCpuAtStart;
    // From the start of the window to the last CPU reading: an overloaded worker answers late, and its time counts until it answers.
    const cpuWindowMs = performance.now() - startedAt;
    scenario.countingLayerChanges = false;
    const rtpAtEnd = SRTP ? await rtpSnapshot(scenario) : null;
    const statsWindowMs = performance.now() - startedAt;
    const simulcast = unpaused.filter((counted) => counted.consumer.type === 'simulcast');
    const onPreferredLayer = simulcast.filter((counted) => counted.consumer.currentLayers?.spatialLayer === counted.source.index).length;
    const lowestEstimateKbps = edgeWorker ? await lowestEstimate(scenario) : null;
    await sleep(DRAIN_MS);
    const dropsAtEnd = udpDrops(scenario);
    const report = await sender.finished;
    if (!report) throw new Error('udp-replay failed; see its messages above');

    const sent = scenario.endpoints
      .flatMap((endpoint) => Object.values(endpoint.streams).flatMap((stream) => stream.layers))
      .reduce((sum, layer) => sum + layer.sent[MEASURED], 0);
    let packetsOutPerSecond: number;
    let lossPercent: number;
    let lossSplit: Result['lossSplit'] = null;
    let receivedWhilePaused: number;
    if (rtpAtStart && rtpAtEnd) {
      lossSplit = { into: lostPercent(rtpAtStart.into, rtpAtEnd.into), out: lostPercent(rtpAtStart.out, rtpAtEnd.out) };
      lossPercent = (1 - (1 - lossSplit.into / 100) * (1 - lossSplit.out / 100)) * 100;
      packetsOutPerSecond = ((rtpAtEnd.out.received - rtpAtStart.out.received) / statsWindowMs) * 1000;
      receivedWhilePaused = rtpAtEnd.fromPaused - rtpAtStart.fromPaused;
    } else {
      const expected = unpaused.reduce((sum, consumer) => sum + consumer.source.sent[MEASURED], 0);
      const received = unpaused.reduce((sum, consumer) => sum + consumer.received[MEASURED], 0);
      lossPercent = expected === 0 ? 100 : (1 - received / expected) * 100;
      packetsOutPerSecond = (received / MEASURE_MS) * 1000;
      receivedWhilePaused = consumers
        .filter((consumer) => consumer.paused)
        .reduce((sum, consumer) => sum + consumer.received[MEASURED] + consumer.otherLayerPackets, 0);
    }
    return {
      desks,
      participants: scenario.endpoints.length,
      nominalPacketsInPerSecond: scenario.endpoints.reduce((sum, endpoint) => sum + nominalPacketsPerSecond(endpoint.role), 0),
      consumers: consumers.length,
      unpausedConsumers: unpaused.length,
      packetsInPerSecond: (sent / MEASURE_MS) * 1000,
      packetsOutPerSecond,
      workerCpuPercent: ((workerCpuAtEnd - workerCpuAtStart) / cpuWindowMs) * 100,
      edgeCpuPercent: edgeWorker ? ((edgeCpuAtEnd - edgeCpuAtStart) / cpuWindowMs) * 100 : null,
      benchCpuPercent: ((benchCpu.user + benchCpu.system) / 1000 / cpuWindowMs) * 100,
      senderCpuPercent: (senderCpuMs / cpuWindowMs) * 100,
      senderMaxLateMs: report.maxLateMs,
      sendErrors: report.errors,
      lossPercent,
      lossSplit,
      udpDrops:
        dropsAtStart === null || dropsAtEnd === null
          ? null
          : { worker: dropsAtEnd.worker - dropsAtStart.worker, bench: dropsAtEnd.bench - dropsAtStart.bench },
      socketErrors: scenario.socketErrors,
      receivedWhilePaused,
      simulcastConsumers: simulcast.length,
      simulcastOnPreferredLayer: onPreferredLayer,
      otherLayerPackets: SRTP ? null : consumers.reduce((sum, consumer) => sum + consumer.otherLayerPackets, 0),
      layerChanges: unpaused.reduce((sum, consumer) => sum + consumer.layerChanges, 0),
      lowestEstimateKbps,
    };
  } finally {
    sender?.stop();
    fs.rmSync(schedulePath, { force: true });
    for (const router of scenario.routers) router.close();
    await Promise.all(
      scenario.endpoints.map(
        (endpoint) => new Promise<void>((resolve) => (endpoint.receiver ? endpoint.receiver.close(() => resolve()) : resolve())),
      ),
    );
  }
}

/** Prints the results as the Markdown table docs/benchmarks.md uses, with the machine. */
function printTable(results: Result[], pinned: boolean): void {
  const fixed = (value: number, digits: number) => value.toFixed(digits);
  const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
  const srtp = SRTP ? `, SRTP ${SRTP_SUITE} with an edge worker on the way back, estimator ${ESTIMATOR_FED ? 'fed' : 'off'}` : '';
  const pinning = pinned ? ', measured worker pinned to CPU 0 and the rest to CPU 1' : ', nothing pinned';
  console.log(machineLine(`, mediasoup ${mediasoup.version}${srtp}${pinning}`));
  const edgeColumn = SRTP ? ' edge CPU |' : '';
  console.log(
    `| desks | participants | consumers (unpaused) | packets/s in (nominal) | packets/s out | worker CPU |${edgeColumn} loss | script CPU + sender CPU | sender's worst lateness | UDP drops into workers / script |`,
  );
  console.log(`| --- | --- | --- | --- | --- | --- |${SRTP ? ' --- |' : ''} --- | --- | --- | --- |`);
  for (const result of results) {
    const drops = result.udpDrops ? `${thousands(result.udpDrops.worker)} / ${thousands(result.udpDrops.bench)}` : 'n/a';
    const edge = result.edgeCpuPercent === null ? '' : ` ${fixed(result.edgeCpuPercent, 1)} % |`;
    const split = result.lossSplit ? ` (in ${fixed(result.lossSplit.into, 2)} %, out ${fixed(result.lossSplit.out, 2)} %)` : '';
    console.log(
      `| ${result.desks} | ${result.participants} | ${thousands(result.consumers)} (${result.unpausedConsumers}) | ${thousands(result.packetsInPerSecond)} (${thousands(result.nominalPacketsInPerSecond)}) | ${thousands(result.packetsOutPerSecond)} | ${fixed(result.workerCpuPercent, 1)} % |${edge} ${fixed(result.lossPercent, 2)} %${split} | ${fixed(result.benchCpuPercent, 1)} % + ${fixed(result.senderCpuPercent, 1)} % | ${fixed(result.senderMaxLateMs, 0)} ms | ${drops} |`,
    );
  }
}

/**
 * Gives the measured worker the first CPU and everything else (this process's threads, the edge
 * worker) the second, so the load generator never takes the worker's core. Needs two CPUs and
 * taskset (util-linux); returns whether it pinned.
 */
function pinCpus(worker: ms.Worker, edgeWorker: ms.Worker | null): boolean {
  if (os.availableParallelism() < 2 || process.env.PIN === 'off') return false;
  const pin = (cpu: number, pid: number) =>
    execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', String(cpu), String(pid)], { stdio: 'ignore' });
  try {
    pin(0, worker.pid);
    pin(1, process.pid);
    if (edgeWorker) pin(1, edgeWorker.pid);
    return true;
  } catch (error) {
    process.stderr.write(`Not pinning CPUs (taskset: ${(error as Error).message}); the load generator shares the worker's cores.\n`);
    return false;
  }
}

async function main(): Promise<void> {
  const worker = await mediasoup.createWorker({ logLevel: 'warn', rtcMinPort: 40_000, rtcMaxPort: 41_999 });
  const edgeWorker = SRTP ? await mediasoup.createWorker({ logLevel: 'warn', rtcMinPort: 42_000, rtcMaxPort: 44_999 }) : null;
  const pinned = pinCpus(worker, edgeWorker);
  const results: Result[] = [];
  try {
    for (const desks of DESK_COUNTS) {
      process.stderr.write(`${desks} desk(s): building, ${WARM_UP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measurement\n`);
      const result = await runScenario(worker, edgeWorker, desks, pinned);
      process.stderr.write(
        `  worker CPU ${result.workerCpuPercent.toFixed(1)} %${result.edgeCpuPercent === null ? '' : `, edge CPU ${result.edgeCpuPercent.toFixed(1)} %`}, loss ${result.lossPercent.toFixed(2)} %${result.lossSplit ? ` (in ${result.lossSplit.into.toFixed(2)} %, out ${result.lossSplit.out.toFixed(2)} %)` : ''}, script CPU ${result.benchCpuPercent.toFixed(1)} %, sender CPU ${result.senderCpuPercent.toFixed(1)} %` +
          `, sender's worst lateness ${result.senderMaxLateMs.toFixed(0)} ms${result.senderMaxLateMs > MAX_LATE_MS ? ' (it fell behind: the load generator is the bottleneck)' : ''}, send errors ${result.sendErrors}` +
          `, socket errors ${result.socketErrors}, packets received for paused consumers ${result.receivedWhilePaused}` +
          `, simulcast consumers on their preferred layer ${result.simulcastOnPreferredLayer} of ${result.simulcastConsumers}` +
          (result.otherLayerPackets === null ? '' : `, packets of another layer ${result.otherLayerPackets}`) +
          `, layer changes in the window ${result.layerChanges}` +
          (result.lowestEstimateKbps === null ? '' : `, lowest bandwidth estimate ${Math.round(result.lowestEstimateKbps)} kbit/s`) +
          '\n',
      );
      results.push(result);
    }
  } finally {
    worker.close();
    edgeWorker?.close();
  }
  printTable(results, pinned);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
