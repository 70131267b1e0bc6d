/**
 * Benchmark: capacity of one mediasoup worker, as worker CPU and packet loss for 1, 4, 8, 12
 * and 16 full desks (an officer and 6 booths each).
 *
 * No browsers: each participant is a UDP socket of this process that sends synthetic RTP
 * (Opus-sized audio, 50 packets/s; VP8 video, 30 frames/s of 4 packets, about 1.1 Mbit/s) to a
 * PlainTransport of its desk's router, and receives what its consumers forward on a second
 * PlainTransport. The consumers and their pause states come from the real media policy
 * (`deriveConsumers`) with the officer talking to booth 1. Every packet carries the phase it was
 * sent in (warm-up, measurement, drain) in its last byte, so the packets counted as received are
 * exactly those sent inside the measurement window, whatever the queueing delay.
 *
 * Run: npm run bench:capacity   (DESKS=1,4,8,12,16 by default)
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import { deriveConsumers, type DeskMediaState, type ParticipantRole, type PolicyParticipant } from '../server/src/sfu/mediaPolicy.js';
import { MEDIA_CODECS } from '../server/src/sfu/desk.js';

const DESK_COUNTS = (process.env.DESKS ?? '1,4,8,12,16').split(',').map(Number);
const BOOTHS_PER_DESK = 6;
const WARM_UP_MS = 3_000;
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

const AUDIO_PAYLOAD_TYPE = 100;
const VIDEO_PAYLOAD_TYPE = 101;
const AUDIO = { periodMs: 20, packetsPerFrame: 1, payloadBytes: 120, timestampStep: 960 };
const VIDEO = { periodMs: 1000 / 30, packetsPerFrame: 4, payloadBytes: 1_100, timestampStep: 3_000 };
/** Nominal packets per second one participant sends (audio + video). */
const PACKETS_PER_SECOND_PER_PARTICIPANT = 1000 / AUDIO.periodMs + (1000 / VIDEO.periodMs) * VIDEO.packetsPerFrame;

/** Warm-up, measurement window, drain: the tag in the last payload byte of every packet. */
type Phase = 0 | 1 | 2;
const MEASURED: Phase = 1;

interface OutgoingStream {
  kind: ms.MediaKind;
  ssrc: number;
  producer: ms.Producer;
  sequenceNumber: number;
  timestamp: number;
  pictureId: number;
  nextFrameAt: number;
  /** Packets handed to the socket, by phase. */
  sent: [number, number, number];
}

interface Endpoint {
  role: ParticipantRole;
  id: string;
  /** Sends this participant's media and receives what its consumers forward. */
  socket: dgram.Socket;
  /** The local port of the router's comedia PlainTransport that receives this participant's media. */
  sendTransportPort: number;
  recvTransport: ms.PlainTransport;
  streams: Record<ms.MediaKind, OutgoingStream>;
}

interface CountedConsumer {
  paused: boolean;
  source: OutgoingStream;
  /** Packets arrived at the receiver's socket, by the phase they were sent in. */
  received: [number, number, number];
}

interface Scenario {
  routers: ms.Router[];
  endpoints: Endpoint[];
  consumersBySsrc: Map<number, CountedConsumer>;
  phase: Phase;
  socketErrors: number;
}

interface Result {
  desks: number;
  participants: number;
  consumers: number;
  unpausedConsumers: number;
  packetsInPerSecond: number;
  packetsOutPerSecond: number;
  workerCpuPercent: number;
  benchCpuPercent: number;
  lossPercent: number;
  /** Datagrams the kernel dropped for a full receive buffer, into the worker's sockets and into this process's. */
  udpDrops: { worker: number; bench: number } | null;
  socketErrors: number;
  receivedWhilePaused: number;
}

let nextSsrc = 10_000;

/** Binds a UDP socket on loopback to a free port. */
async function bindSocket(): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: SINK_RECV_BUFFER_BYTES });
  await new Promise<void>((resolve) => socket.bind(0, LOCALHOST, resolve));
  return socket;
}

/** Producer RTP parameters for one synthetic stream; video offers NACK, PLI and FIR like a browser. */
function rtpParameters(kind: ms.MediaKind, ssrc: number): ms.RtpParameters {
  const codec: ms.RtpCodecParameters =
    kind === 'audio'
      ? { mimeType: 'audio/opus', payloadType: AUDIO_PAYLOAD_TYPE, clockRate: 48000, channels: 2 }
      : {
          mimeType: 'video/VP8',
          payloadType: VIDEO_PAYLOAD_TYPE,
          clockRate: 90000,
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
        };
  return { codecs: [codec], encodings: [{ ssrc }] };
}

/** Seats one participant: its socket, a send transport with an audio and a video producer, and a receive transport. */
async function addEndpoint(router: ms.Router, role: ParticipantRole, id: string): Promise<Endpoint> {
  const socket = await bindSocket();
  const sendTransport = await router.createPlainTransport({ listenIp: LOCALHOST, rtcpMux: true, comedia: true });
  const recvTransport = await router.createPlainTransport({ listenIp: LOCALHOST, rtcpMux: true, comedia: false });
  await recvTransport.connect({ ip: LOCALHOST, port: socket.address().port });
  const stream = async (kind: ms.MediaKind): Promise<OutgoingStream> => {
    const ssrc = nextSsrc++;
    const producer = await sendTransport.produce({ kind, rtpParameters: rtpParameters(kind, ssrc) });
    return {
      kind,
      ssrc,
      producer,
      sequenceNumber: Math.floor(Math.random() * 0xffff),
      timestamp: Math.floor(Math.random() * 0xffffffff),
      pictureId: Math.floor(Math.random() * 0x7fff),
      nextFrameAt: 0,
      sent: [0, 0, 0],
    };
  };
  return {
    role,
    id,
    socket,
    sendTransportPort: sendTransport.tuple.localPort,
    recvTransport,
    streams: { audio: await stream('audio'), video: await stream('video') },
  };
}

/**
 * The payload of one packet. Video carries a VP8 payload descriptor as Chromium writes it
 * (X and I bits, 15-bit picture ID): mediasoup 3.12 parses only extended descriptors, and its
 * consumers forward nothing until they see a key frame. Every frame is tagged as a key frame,
 * so a consumer never waits for one. The last byte is the phase.
 */
function payload(stream: OutgoingStream, packetIndex: number, phase: Phase): Buffer {
  const { payloadBytes } = stream.kind === 'audio' ? AUDIO : VIDEO;
  const data = Buffer.alloc(payloadBytes);
  if (stream.kind === 'audio') {
    data[0] = 0xfc; // Opus TOC: CELT fullband 20 ms, one frame; any non-DTX payload would do.
  } else {
    const firstOfFrame = packetIndex === 0;
    data[0] = firstOfFrame ? 0x90 : 0x80; // X, and S on the first packet of the frame (partition 0).
    data[1] = 0x80; // I: a picture ID follows.
    data.writeUInt16BE(0x8000 | stream.pictureId, 2); // M: the picture ID takes 15 bits.
    if (firstOfFrame) {
      // VP8 key frame header: frame tag with P = 0 (key frame) and show_frame, start code, 640×480.
      Buffer.from([0x10, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]).copy(data, 4);
    }
  }
  data[data.length - 1] = phase;
  return data;
}

/** Sends one audio or video frame of a stream as RTP packets. */
function sendFrame(scenario: Scenario, endpoint: Endpoint, stream: OutgoingStream): void {
  const { packetsPerFrame, timestampStep } = stream.kind === 'audio' ? AUDIO : VIDEO;
  for (let index = 0; index < packetsPerFrame; index++) {
    const header = Buffer.alloc(12);
    const marker = stream.kind === 'video' && index === packetsPerFrame - 1 ? 0x80 : 0;
    header[0] = 0x80; // RTP version 2.
    header[1] = marker | (stream.kind === 'audio' ? AUDIO_PAYLOAD_TYPE : VIDEO_PAYLOAD_TYPE);
    header.writeUInt16BE(stream.sequenceNumber, 2);
    header.writeUInt32BE(stream.timestamp, 4);
    header.writeUInt32BE(stream.ssrc, 8);
    endpoint.socket.send([header, payload(stream, index, scenario.phase)], endpoint.sendTransportPort, LOCALHOST);
    stream.sent[scenario.phase]++;
    stream.sequenceNumber = (stream.sequenceNumber + 1) & 0xffff;
  }
  stream.timestamp = (stream.timestamp + timestampStep) >>> 0;
  stream.pictureId = (stream.pictureId + 1) & 0x7fff;
}

/** One sender tick: every stream sends the frames that fell due since the last tick. */
function tick(scenario: Scenario): void {
  const now = performance.now();
  for (const endpoint of scenario.endpoints) {
    for (const stream of Object.values(endpoint.streams)) {
      const { periodMs } = stream.kind === 'audio' ? AUDIO : VIDEO;
      // Falling far behind means this process is the bottleneck; the shortfall shows as fewer packets in.
      if (now - stream.nextFrameAt > MAX_LAG_MS) stream.nextFrameAt = now;
      while (stream.nextFrameAt <= now) {
        sendFrame(scenario, endpoint, stream);
        stream.nextFrameAt += periodMs;
      }
    }
  }
}

/** Counts an arriving packet against the consumer whose SSRC it carries; RTCP is ignored. */
function countArrival(scenario: Scenario, packet: Buffer): void {
  if (packet.length < 13) return;
  const secondByte = packet.readUInt8(1);
  // RFC 5761: with RTCP multiplexed, 192–223 in the second byte is an RTCP packet type.
  if (secondByte >= 192 && secondByte <= 223) return;
  const consumer = scenario.consumersBySsrc.get(packet.readUInt32BE(8));
  const phase = packet.readUInt8(packet.length - 1);
  if (consumer && (phase === 0 || phase === 1 || phase === 2)) consumer.received[phase]++;
}

/** Builds N full desks on the worker, with the consumers the media policy derives for each. */
async function buildScenario(worker: ms.Worker, desks: number): Promise<Scenario> {
  const scenario: Scenario = { routers: [], endpoints: [], consumersBySsrc: new Map(), phase: 0, socketErrors: 0 };
  for (let desk = 1; desk <= desks; desk++) {
    const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    scenario.routers.push(router);
    const officer = await addEndpoint(router, 'officer', `petugas-${desk}`);
    const booths: Endpoint[] = [];
    for (let booth = 1; booth <= BOOTHS_PER_DESK; booth++) booths.push(await addEndpoint(router, 'booth', `bilik-${desk}-${booth}`));
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
      talkingToBoothId: booths[0]?.id ?? null,
      focusedBoothId: null,
    };
    const streamsByProducerId = new Map(
      deskEndpoints.flatMap((endpoint) => Object.values(endpoint.streams).map((stream) => [stream.producer.id, stream] as const)),
    );
    for (const spec of deriveConsumers(state)) {
      const receiver = deskEndpoints.find((endpoint) => endpoint.role === spec.receiver.role && endpoint.id === spec.receiver.id);
      const source = streamsByProducerId.get(spec.producerId);
      if (!receiver || !source) throw new Error(`the policy named an unknown participant or producer: ${JSON.stringify(spec)}`);
      const consumer = await receiver.recvTransport.consume({
        producerId: spec.producerId,
        rtpCapabilities: router.rtpCapabilities,
        paused: spec.paused,
      });
      const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
      if (ssrc === undefined) throw new Error('a consumer has no SSRC');
      scenario.consumersBySsrc.set(ssrc, { paused: spec.paused, source, received: [0, 0, 0] });
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
  const workerPorts = new Set(scenario.endpoints.flatMap((endpoint) => [endpoint.sendTransportPort, endpoint.recvTransport.tuple.localPort]));
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

/** Worker CPU time so far (user + system), in ms. */
async function workerCpuMs(worker: ms.Worker): Promise<number> {
  const usage = await worker.getResourceUsage();
  return usage.ru_utime + usage.ru_stime;
}

/** Runs one scenario: build, warm up, measure, drain, close. */
async function runScenario(worker: ms.Worker, desks: number): Promise<Result> {
  const scenario = await buildScenario(worker, desks);
  const startAt = performance.now();
  for (const endpoint of scenario.endpoints) {
    // Spread the senders over a frame period so they do not all fire in the same tick.
    for (const stream of Object.values(endpoint.streams)) stream.nextFrameAt = startAt + Math.random() * VIDEO.periodMs;
  }
  const timer = setInterval(() => tick(scenario), TICK_MS);
  try {
    await sleep(WARM_UP_MS);
    const unpaused = [...scenario.consumersBySsrc.values()].filter((consumer) => !consumer.paused);
    const silent = unpaused.filter((consumer) => consumer.received[0] === 0).length;
    if (silent > 0) process.stderr.write(`  warning: ${silent} of ${unpaused.length} unpaused consumers received nothing during warm-up\n`);

    const workerCpuAtStart = await workerCpuMs(worker);
    const benchCpuAtStart = process.cpuUsage();
    const dropsAtStart = udpDrops(scenario);
    const startedAt = performance.now();
    scenario.phase = 1;
    await sleep(MEASURE_MS);
    scenario.phase = 2;
    const windowMs = performance.now() - startedAt;
    const workerCpuAtEnd = await workerCpuMs(worker);
    const benchCpu = process.cpuUsage(benchCpuAtStart);
    await sleep(DRAIN_MS);
    const dropsAtEnd = udpDrops(scenario);

    const consumers = [...scenario.consumersBySsrc.values()];
    const expected = unpaused.reduce((sum, consumer) => sum + consumer.source.sent[MEASURED], 0);
    const received = unpaused.reduce((sum, consumer) => sum + consumer.received[MEASURED], 0);
    const sent = scenario.endpoints.reduce((sum, endpoint) => sum + endpoint.streams.audio.sent[MEASURED] + endpoint.streams.video.sent[MEASURED], 0);
    return {
      desks,
      participants: scenario.endpoints.length,
      consumers: consumers.length,
      unpausedConsumers: unpaused.length,
      packetsInPerSecond: (sent / windowMs) * 1000,
      packetsOutPerSecond: (received / windowMs) * 1000,
      workerCpuPercent: ((workerCpuAtEnd - workerCpuAtStart) / windowMs) * 100,
      benchCpuPercent: ((benchCpu.user + benchCpu.system) / 1000 / windowMs) * 100,
      lossPercent: expected === 0 ? 100 : (1 - received / expected) * 100,
      udpDrops:
        dropsAtStart === null || dropsAtEnd === null
          ? null
          : { worker: dropsAtEnd.worker - dropsAtStart.worker, bench: dropsAtEnd.bench - dropsAtStart.bench },
      socketErrors: scenario.socketErrors,
      receivedWhilePaused: consumers.filter((consumer) => consumer.paused).reduce((sum, consumer) => sum + consumer.received[MEASURED], 0),
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
  console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, mediasoup ${mediasoup.version}\n`);
  console.log('| desks | participants | consumers (unpaused) | packets/s in (nominal) | packets/s out | worker CPU | loss | script CPU | UDP drops into worker / script |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const result of results) {
    const nominalIn = result.participants * PACKETS_PER_SECOND_PER_PARTICIPANT;
    const drops = result.udpDrops ? `${thousands(result.udpDrops.worker)} / ${thousands(result.udpDrops.bench)}` : 'n/a';
    console.log(
      `| ${result.desks} | ${result.participants} | ${thousands(result.consumers)} (${result.unpausedConsumers}) | ${thousands(result.packetsInPerSecond)} (${thousands(nominalIn)}) | ${thousands(result.packetsOutPerSecond)} | ${fixed(result.workerCpuPercent, 1)} % | ${fixed(result.lossPercent, 2)} % | ${fixed(result.benchCpuPercent, 1)} % | ${drops} |`,
    );
  }
}

async function main(): Promise<void> {
  const worker = await mediasoup.createWorker({ logLevel: 'warn', rtcMinPort: 40_000, rtcMaxPort: 41_999 });
  const results: Result[] = [];
  try {
    for (const desks of DESK_COUNTS) {
      process.stderr.write(`${desks} desk(s): building, ${WARM_UP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measurement\n`);
      const result = await runScenario(worker, desks);
      process.stderr.write(
        `  worker CPU ${result.workerCpuPercent.toFixed(1)} %, loss ${result.lossPercent.toFixed(2)} %, bench CPU ${result.benchCpuPercent.toFixed(1)} %` +
          `, socket errors ${result.socketErrors}, packets received for paused consumers ${result.receivedWhilePaused}\n`,
      );
      results.push(result);
    }
  } finally {
    worker.close();
  }
  printTable(results);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
