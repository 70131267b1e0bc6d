/**
 * Benchmark: capacity of one mediasoup worker, as worker CPU and packet loss for 1, 4, 8, 12
 * and 16 full desks (an officer and 6 booths each).
 *
 * No browsers: each participant is a UDP socket of this process that sends synthetic RTP
 * (Opus-sized audio, 50 packets/s; VP8 video at 30 frames/s: the officer one layer of about
 * 1.1 Mbit/s, a booth three simulcast layers like SIMULCAST_ENCODINGS) to a PlainTransport of its
 * desk's router, and receives what its consumers forward on a second PlainTransport. The
 * consumers, their pause states and preferred layers come from the real media policy
 * (`deriveConsumers`) with the officer talking to booth 1. Every packet carries the simulcast
 * layer it belongs to and the phase it was sent in (warm-up, measurement, drain) in its last two
 * bytes, so each consumer is counted against exactly the layer it forwards and the packets sent
 * inside the measurement window, whatever the queueing delay.
 *
 * With SRTP=1 the measured worker pays for encryption and a fed bandwidth estimator as it does
 * with browsers: a second worker, the edge, stands between the script's sockets and it. The edge
 * takes each participant's plain RTP and sends it on, every layer, encrypted over a PlainTransport
 * with SRTP to the measured worker's; the measured worker's consumers (negotiating transport-cc)
 * send what they forward encrypted back to the edge, whose producers answer with transport-cc
 * feedback, and the edge hands it to the script's sockets in the clear. Only the measured
 * worker's CPU is the result; the edge's is shown beside it.
 *
 * Run: npm run bench:capacity   (DESKS=1,4,8,12,16 by default; SRTP=1; SRTP_SUITE, default AEAD_AES_256_GCM; ESTIMATOR=off)
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
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

const DESK_COUNTS = (process.env.DESKS ?? '1,4,8,12,16').split(',').map(Number);
/** The SRTP crypto suite of the links to the measured worker, or null for plain RTP straight to it. */
const SRTP_SUITE: ms.SrtpCryptoSuite | null =
  process.env.SRTP === '1' ? ((process.env.SRTP_SUITE as ms.SrtpCryptoSuite | undefined) ?? 'AEAD_AES_256_GCM') : null;
/** With SRTP, whether the consumers negotiate transport-cc so the edge feeds the bandwidth estimator (ESTIMATOR=off: to tell its cost from SRTP's). */
const ESTIMATOR_FED = SRTP_SUITE !== null && process.env.ESTIMATOR !== 'off';
const BOOTHS_PER_DESK = 6;
/** With a fed bandwidth estimator the consumers start low and probe up to their layer: give them longer. */
const WARM_UP_MS = SRTP_SUITE === null ? 3_000 : 8_000;
const MEASURE_MS = 10_000;
/** Time after the window for packets still queued in sockets or the worker to arrive. */
const DRAIN_MS = 500;
/** Sender clock tick; every stream sends whatever fell due since the last tick. */
const TICK_MS = 5;
/** A sender this far behind its schedule drops the backlog instead of bursting it out. */
const MAX_LAG_MS = 100;
/** Room for the sinks to ride out a stall of this process's event loop (kernel caps it at rmem_max). */
const SINK_RECV_BUFFER_BYTES = 1 << 20;
const LOCALHOST = '127.0.0.1';
/** Video frames between RTCP Sender Reports of each layer: one a second, as browsers send them. */
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
  /** Packets handed to the socket, by phase. */
  sent: [number, number, number];
}

interface OutgoingStream {
  kind: ms.MediaKind;
  producer: ms.Producer;
  /** Shared by the layers: they encode the same captured frame. */
  timestamp: number;
  nextFrameAt: number;
  framesSent: number;
  layers: OutgoingLayer[];
}

/** One desk's routers: the measured worker's, and with SRTP the edge's in front of it. */
interface DeskRouters {
  measured: ms.Router;
  edge: ms.Router | null;
}

/** With SRTP: how what a participant's consumers send gets from the measured worker back to its socket, through the edge. */
interface EdgeReturn {
  router: ms.Router;
  /** Receives the consumers' SRTP from the measured worker. */
  back: ms.PlainTransport;
  /** Sends it on, in the clear, to the participant's socket. */
  sink: ms.PlainTransport;
}

interface Endpoint {
  role: ParticipantRole;
  id: string;
  /** Sends this participant's media and receives what its consumers forward. */
  socket: dgram.Socket;
  /** The local port of the comedia PlainTransport that receives this participant's media (the edge's with SRTP). */
  sendTransportPort: number;
  /** The measured worker's transport this participant's consumers go on. */
  recvTransport: ms.PlainTransport;
  edgeReturn: EdgeReturn | null;
  /** The local ports of every mediasoup transport of this participant, for the UDP drop count. */
  transportPorts: number[];
  streams: Record<ms.MediaKind, OutgoingStream>;
}

interface CountedConsumer {
  consumer: ms.Consumer;
  paused: boolean;
  /** The layer this consumer should forward: the preferred spatial layer of a simulcast consumer, else the only one. */
  source: OutgoingLayer;
  /** Packets of that layer arrived at the receiver's socket, by the phase they were sent in. */
  received: [number, number, number];
  /**
   * Packets of any other layer sent in the window that arrived; non-zero means the consumer left its
   * layer. (A simulcast consumer forwards the first layer it sees until Sender Reports arrive, in the warm-up.)
   */
  otherLayerPackets: number;
}

interface Scenario {
  /** Both workers' routers. */
  routers: ms.Router[];
  endpoints: Endpoint[];
  consumersBySsrc: Map<number, CountedConsumer>;
  phase: Phase;
  socketErrors: number;
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
  lossPercent: number;
  /** Datagrams the kernel dropped for a full receive buffer, into the worker's sockets and into this process's. */
  udpDrops: { worker: number; bench: number } | null;
  socketErrors: number;
  receivedWhilePaused: number;
  /** Unpaused simulcast consumers, and how many of them were on their preferred spatial layer at the end of the window. */
  simulcastConsumers: number;
  simulcastOnPreferredLayer: number;
  otherLayerPackets: number;
  /** With SRTP: the lowest estimate of the bandwidth to a receiver at the end of the window (kbit/s), showing the estimator is fed. */
  lowestEstimateKbps: number | null;
}

let nextSsrc = 10_000;

/** Binds a UDP socket on loopback to a free port. */
async function bindSocket(): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: SINK_RECV_BUFFER_BYTES });
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
 * REMB feedback. The sinks send no bandwidth feedback, and with an estimator negotiated but never
 * fed, mediasoup holds a transport's simulcast consumers to its initial estimate: the officer's
 * tiles fell to layer 0 or to nothing. Without it, each takes its preferred layer.
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
 * A one-way SRTP link from `from` to `to`, like a browser's media path to the SFU: PlainTransports
 * with SRTP, RTCP multiplexed, the receiving one learning the sender's address from its first packet.
 */
async function srtpLink(
  from: ms.Router,
  to: ms.Router,
  suite: ms.SrtpCryptoSuite,
): Promise<{ sending: ms.PlainTransport; receiving: ms.PlainTransport }> {
  const options = { listenIp: LOCALHOST, rtcpMux: true, enableSrtp: true, srtpCryptoSuite: suite };
  const receiving = await to.createPlainTransport({ ...options, comedia: true });
  const sending = await from.createPlainTransport({ ...options, comedia: false });
  await receiving.connect({ srtpParameters: sending.srtpParameters });
  await sending.connect({ ip: LOCALHOST, port: receiving.tuple.localPort, srtpParameters: receiving.srtpParameters });
  return { sending, receiving };
}

/**
 * Seats one participant: its socket, a send transport with an audio and a video producer, and a
 * receive transport. With an edge, the socket's media enters at the edge, which forwards every
 * layer over SRTP to the producers on the measured worker, and the receive transport sends its
 * consumers' media over SRTP back to the edge (see relayToSocket).
 */
async function addEndpoint(routers: DeskRouters, role: ParticipantRole, id: string): Promise<Endpoint> {
  const socket = await bindSocket();
  const { measured, edge } = routers;
  const entry = await (edge ?? measured).createPlainTransport({ listenIp: LOCALHOST, rtcpMux: true, comedia: true });
  const transports: ms.PlainTransport[] = [entry];
  let intoMeasured: { sending: ms.PlainTransport; receiving: ms.PlainTransport } | null = null;
  let recvTransport: ms.PlainTransport;
  let edgeReturn: EdgeReturn | null = null;
  if (edge && SRTP_SUITE) {
    intoMeasured = await srtpLink(edge, measured, SRTP_SUITE);
    const backToEdge = await srtpLink(measured, edge, SRTP_SUITE);
    const sink = await edge.createPlainTransport({ listenIp: LOCALHOST, rtcpMux: true, comedia: false });
    await sink.connect({ ip: LOCALHOST, port: socket.address().port });
    recvTransport = backToEdge.sending;
    edgeReturn = { router: edge, back: backToEdge.receiving, sink };
    transports.push(intoMeasured.sending, intoMeasured.receiving, backToEdge.sending, backToEdge.receiving, sink);
  } else {
    recvTransport = await measured.createPlainTransport({ listenIp: LOCALHOST, rtcpMux: true, comedia: false });
    await recvTransport.connect({ ip: LOCALHOST, port: socket.address().port });
    transports.push(recvTransport);
  }
  /** The producer on the measured worker: the entry's own, or the edge's forwarding of all its layers. */
  const producedOnMeasured = async (entryProducer: ms.Producer): Promise<ms.Producer> => {
    if (!edge || !intoMeasured) return entryProducer;
    const forwarded = await intoMeasured.sending.consume({
      producerId: entryProducer.id,
      rtpCapabilities: edge.rtpCapabilities,
      pipe: true,
    });
    return intoMeasured.receiving.produce({ kind: entryProducer.kind, rtpParameters: forwarded.rtpParameters });
  };
  const stream = async (kind: ms.MediaKind, shapes: LayerShape[]): Promise<OutgoingStream> => {
    const layers = shapes.map((shape, index): OutgoingLayer => ({
      ...shape,
      index,
      ssrc: nextSsrc++,
      sequenceNumber: Math.floor(Math.random() * 0xffff),
      pictureId: Math.floor(Math.random() * 0x7fff),
      sent: [0, 0, 0],
    }));
    const producer = await producedOnMeasured(await entry.produce({ kind, rtpParameters: rtpParameters(kind, layers) }));
    return { kind, producer, timestamp: Math.floor(Math.random() * 0xffffffff), nextFrameAt: 0, framesSent: 0, layers };
  };
  return {
    role,
    id,
    socket,
    sendTransportPort: entry.tuple.localPort,
    recvTransport,
    edgeReturn,
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
 * An RTCP Sender Report for one layer, mapping the RTP timestamp of the frame just sent to now.
 * A simulcast consumer starts on whichever layer it first sees and switches to another only once
 * both have sent one, since it needs them to line up the layers' timestamps.
 */
function senderReport(stream: OutgoingStream, layer: OutgoingLayer): Buffer {
  const nowMs = Date.now();
  const report = Buffer.alloc(28);
  report[0] = 0x80; // RTP version 2, no report blocks.
  report[1] = 200; // SR.
  report.writeUInt16BE(6, 2); // Length in 32-bit words, minus one.
  report.writeUInt32BE(layer.ssrc, 4);
  report.writeUInt32BE(Math.floor(nowMs / 1000) + NTP_UNIX_OFFSET_SECONDS, 8);
  report.writeUInt32BE(Math.floor(((nowMs % 1000) / 1000) * 2 ** 32), 12);
  report.writeUInt32BE(stream.timestamp, 16);
  const packets = layer.sent[0] + layer.sent[1] + layer.sent[2];
  report.writeUInt32BE(packets >>> 0, 20);
  report.writeUInt32BE((packets * layer.payloadBytes) >>> 0, 24);
  return report;
}

/** Sends one audio or video frame of a stream as RTP packets, in every layer, and video's Sender Reports when due. */
function sendFrame(scenario: Scenario, endpoint: Endpoint, stream: OutgoingStream): void {
  for (const layer of stream.layers) {
    for (let index = 0; index < layer.packetsPerFrame; index++) {
      const header = Buffer.alloc(12);
      const marker = stream.kind === 'video' && index === layer.packetsPerFrame - 1 ? 0x80 : 0;
      header[0] = 0x80; // RTP version 2.
      header[1] = marker | (stream.kind === 'audio' ? AUDIO_PAYLOAD_TYPE : VIDEO_PAYLOAD_TYPE);
      header.writeUInt16BE(layer.sequenceNumber, 2);
      header.writeUInt32BE(stream.timestamp, 4);
      header.writeUInt32BE(layer.ssrc, 8);
      endpoint.socket.send([header, payload(stream.kind, layer, index, scenario.phase)], endpoint.sendTransportPort, LOCALHOST);
      layer.sent[scenario.phase]++;
      layer.sequenceNumber = (layer.sequenceNumber + 1) & 0xffff;
    }
    layer.pictureId = (layer.pictureId + 1) & 0x7fff;
    if (stream.kind === 'video' && stream.framesSent % SENDER_REPORT_EVERY_FRAMES === 0) {
      endpoint.socket.send(senderReport(stream, layer), endpoint.sendTransportPort, LOCALHOST);
    }
  }
  stream.framesSent++;
  const { timestampStep } = stream.kind === 'audio' ? AUDIO_TIMING : VIDEO_TIMING;
  stream.timestamp = (stream.timestamp + timestampStep) >>> 0;
}

/** One sender tick: every stream sends the frames that fell due since the last tick. */
function tick(scenario: Scenario): void {
  const now = performance.now();
  for (const endpoint of scenario.endpoints) {
    for (const stream of Object.values(endpoint.streams)) {
      const { periodMs } = stream.kind === 'audio' ? AUDIO_TIMING : VIDEO_TIMING;
      // Falling far behind means this process is the bottleneck; the shortfall shows as fewer packets in.
      if (now - stream.nextFrameAt > MAX_LAG_MS) stream.nextFrameAt = now;
      while (stream.nextFrameAt <= now) {
        sendFrame(scenario, endpoint, stream);
        stream.nextFrameAt += periodMs;
      }
    }
  }
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
 * With SRTP, the SSRC under which a consumer's packets reach the receiver's socket: the edge
 * produces what the consumer sends and consumes it onto the receiver's sink. The edge's producer
 * takes the consumer's parameters, transport-cc included, so it feeds the measured worker's
 * bandwidth estimator.
 */
async function relayToSocket(edgeReturn: EdgeReturn, consumer: ms.Consumer): Promise<number | undefined> {
  // A simulcast consumer sends one spatial layer at a time: to the edge it is a single stream.
  const encodings = consumer.rtpParameters.encodings?.map((encoding) => ({ ...encoding, scalabilityMode: 'L1T1' }));
  const relayed = await edgeReturn.back.produce({ kind: consumer.kind, rtpParameters: { ...consumer.rtpParameters, encodings } });
  const sunk = await edgeReturn.sink.consume({ producerId: relayed.id, rtpCapabilities: receiverCapabilities(edgeReturn.router) });
  return sunk.rtpParameters.encodings?.[0]?.ssrc;
}

/** Builds N full desks on the worker (and its edge, with SRTP), with the consumers the media policy derives for each. */
async function buildScenario(worker: ms.Worker, edgeWorker: ms.Worker | null, desks: number): Promise<Scenario> {
  const scenario: Scenario = { routers: [], endpoints: [], consumersBySsrc: new Map(), phase: 0, socketErrors: 0 };
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
      const ssrc = receiver.edgeReturn ? await relayToSocket(receiver.edgeReturn, consumer) : consumer.rtpParameters.encodings?.[0]?.ssrc;
      if (ssrc === undefined) throw new Error('a consumer has no SSRC');
      scenario.consumersBySsrc.set(ssrc, { consumer, paused: spec.paused, source: layer, received: [0, 0, 0], otherLayerPackets: 0 });
    }
  }
  for (const endpoint of scenario.endpoints) {
    endpoint.socket.on('message', (packet) => countArrival(scenario, packet));
    endpoint.socket.on('error', () => scenario.socketErrors++);
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
  const benchPorts = new Set(scenario.endpoints.map((endpoint) => endpoint.socket.address().port));
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
async function runScenario(worker: ms.Worker, edgeWorker: ms.Worker | null, desks: number): Promise<Result> {
  const scenario = await buildScenario(worker, edgeWorker, desks);
  const startAt = performance.now();
  for (const endpoint of scenario.endpoints) {
    // Spread the senders over a frame period so they do not all fire in the same tick.
    for (const stream of Object.values(endpoint.streams)) stream.nextFrameAt = startAt + Math.random() * VIDEO_TIMING.periodMs;
  }
  const timer = setInterval(() => tick(scenario), TICK_MS);
  try {
    await sleep(WARM_UP_MS);
    const unpaused = [...scenario.consumersBySsrc.values()].filter((consumer) => !consumer.paused);
    const silent = unpaused.filter((consumer) => consumer.received[0] === 0).length;
    if (silent > 0) process.stderr.write(`  warning: ${silent} of ${unpaused.length} unpaused consumers received nothing during warm-up\n`);

    const workerCpuAtStart = await workerCpuMs(worker);
    const edgeCpuAtStart = edgeWorker ? await workerCpuMs(edgeWorker) : 0;
    const benchCpuAtStart = process.cpuUsage();
    const dropsAtStart = udpDrops(scenario);
    const startedAt = performance.now();
    scenario.phase = 1;
    await sleep(MEASURE_MS);
    scenario.phase = 2;
    const windowMs = performance.now() - startedAt;
    const workerCpuAtEnd = await workerCpuMs(worker);
    const edgeCpuAtEnd = edgeWorker ? await workerCpuMs(edgeWorker) : 0;
    const benchCpu = process.cpuUsage(benchCpuAtStart);
    // From the start of the window to the last CPU reading: an overloaded worker answers late, and its time counts until it answers.
    const cpuWindowMs = performance.now() - startedAt;
    const simulcast = unpaused.filter((counted) => counted.consumer.type === 'simulcast');
    const onPreferredLayer = simulcast.filter((counted) => counted.consumer.currentLayers?.spatialLayer === counted.source.index).length;
    const lowestEstimateKbps = edgeWorker ? await lowestEstimate(scenario) : null;
    await sleep(DRAIN_MS);
    const dropsAtEnd = udpDrops(scenario);

    const consumers = [...scenario.consumersBySsrc.values()];
    const expected = unpaused.reduce((sum, consumer) => sum + consumer.source.sent[MEASURED], 0);
    const received = unpaused.reduce((sum, consumer) => sum + consumer.received[MEASURED], 0);
    const sent = scenario.endpoints
      .flatMap((endpoint) => Object.values(endpoint.streams).flatMap((stream) => stream.layers))
      .reduce((sum, layer) => sum + layer.sent[MEASURED], 0);
    return {
      desks,
      participants: scenario.endpoints.length,
      nominalPacketsInPerSecond: scenario.endpoints.reduce((sum, endpoint) => sum + nominalPacketsPerSecond(endpoint.role), 0),
      consumers: consumers.length,
      unpausedConsumers: unpaused.length,
      packetsInPerSecond: (sent / windowMs) * 1000,
      packetsOutPerSecond: (received / windowMs) * 1000,
      workerCpuPercent: ((workerCpuAtEnd - workerCpuAtStart) / cpuWindowMs) * 100,
      edgeCpuPercent: edgeWorker ? ((edgeCpuAtEnd - edgeCpuAtStart) / cpuWindowMs) * 100 : null,
      benchCpuPercent: ((benchCpu.user + benchCpu.system) / 1000 / cpuWindowMs) * 100,
      lossPercent: expected === 0 ? 100 : (1 - received / expected) * 100,
      udpDrops:
        dropsAtStart === null || dropsAtEnd === null
          ? null
          : { worker: dropsAtEnd.worker - dropsAtStart.worker, bench: dropsAtEnd.bench - dropsAtStart.bench },
      socketErrors: scenario.socketErrors,
      receivedWhilePaused: consumers
        .filter((consumer) => consumer.paused)
        .reduce((sum, consumer) => sum + consumer.received[MEASURED] + consumer.otherLayerPackets, 0),
      simulcastConsumers: simulcast.length,
      simulcastOnPreferredLayer: onPreferredLayer,
      otherLayerPackets: consumers.reduce((sum, consumer) => sum + consumer.otherLayerPackets, 0),
      lowestEstimateKbps,
    };
  } finally {
    clearInterval(timer);
    for (const router of scenario.routers) router.close();
    await Promise.all(scenario.endpoints.map((endpoint) => new Promise<void>((resolve) => endpoint.socket.close(() => resolve()))));
  }
}

/** Prints the results as the Markdown table docs/benchmarks.md uses, with the machine. */
function printTable(results: Result[]): void {
  const fixed = (value: number, digits: number) => value.toFixed(digits);
  const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
  const srtp = SRTP_SUITE ? `, SRTP ${SRTP_SUITE} through an edge worker, estimator ${ESTIMATOR_FED ? 'fed' : 'off'}` : '';
  console.log(machineLine(`, mediasoup ${mediasoup.version}${srtp}`));
  const edgeColumn = SRTP_SUITE ? ' edge CPU |' : '';
  console.log(
    `| desks | participants | consumers (unpaused) | packets/s in (nominal) | packets/s out | worker CPU |${edgeColumn} loss | script CPU | UDP drops into workers / script |`,
  );
  console.log(`| --- | --- | --- | --- | --- | --- |${SRTP_SUITE ? ' --- |' : ''} --- | --- | --- |`);
  for (const result of results) {
    const drops = result.udpDrops ? `${thousands(result.udpDrops.worker)} / ${thousands(result.udpDrops.bench)}` : 'n/a';
    const edge = result.edgeCpuPercent === null ? '' : ` ${fixed(result.edgeCpuPercent, 1)} % |`;
    console.log(
      `| ${result.desks} | ${result.participants} | ${thousands(result.consumers)} (${result.unpausedConsumers}) | ${thousands(result.packetsInPerSecond)} (${thousands(result.nominalPacketsInPerSecond)}) | ${thousands(result.packetsOutPerSecond)} | ${fixed(result.workerCpuPercent, 1)} % |${edge} ${fixed(result.lossPercent, 2)} % | ${fixed(result.benchCpuPercent, 1)} % | ${drops} |`,
    );
  }
}

async function main(): Promise<void> {
  const worker = await mediasoup.createWorker({ logLevel: 'warn', rtcMinPort: 40_000, rtcMaxPort: 41_999 });
  const edgeWorker = SRTP_SUITE ? await mediasoup.createWorker({ logLevel: 'warn', rtcMinPort: 42_000, rtcMaxPort: 44_999 }) : null;
  const results: Result[] = [];
  try {
    for (const desks of DESK_COUNTS) {
      process.stderr.write(`${desks} desk(s): building, ${WARM_UP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measurement\n`);
      const result = await runScenario(worker, edgeWorker, desks);
      process.stderr.write(
        `  worker CPU ${result.workerCpuPercent.toFixed(1)} %${result.edgeCpuPercent === null ? '' : `, edge CPU ${result.edgeCpuPercent.toFixed(1)} %`}, loss ${result.lossPercent.toFixed(2)} %, bench CPU ${result.benchCpuPercent.toFixed(1)} %` +
          `, socket errors ${result.socketErrors}, packets received for paused consumers ${result.receivedWhilePaused}` +
          `, simulcast consumers on their preferred layer ${result.simulcastOnPreferredLayer} of ${result.simulcastConsumers}` +
          `, packets of another layer ${result.otherLayerPackets}` +
          (result.lowestEstimateKbps === null ? '' : `, lowest bandwidth estimate ${Math.round(result.lowestEstimateKbps)} kbit/s`) +
          '\n',
      );
      results.push(result);
    }
  } finally {
    worker.close();
    edgeWorker?.close();
  }
  printTable(results);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
