/**
 * bench:compose's desks without a browser: per desk, an officer and a claimant as Node clients
 * (mediasoup-client's Node port, msc-node, on werift's WebRTC stack: ICE, DTLS, SRTP, RTCP, as a
 * browser does them), speaking the apps' signaling contract on sockets of their own. What they
 * leave out is coding: every participant sends a copy of one VP8 picture and one Opus tone, each
 * encoded once by ffmpeg, and counts what it receives (packets, frames by their marker bit,
 * sequence gaps) without decoding it. A Chromium page costs about a tenth of a core per desk
 * (docs/benchmarks.md), so a 2-core machine running the stack holds only a few desks in pages;
 * these hold more, and it is the server's ports and workers that carry them either way.
 *
 * Runs inside the clients' network namespace, as a child of bench-compose (nodeDesks.ts) with an
 * IPC channel:
 *   in:  { command: 'start', baseUrl, officerCookies, boothCredentials, camera }, { command: 'received' }, { command: 'ports' }
 *   out: { event: 'progress', message }, { event: 'started' }, { event: 'received', desks }, { event: 'ports', ports },
 *        { event: 'failed', message }
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { NAMESPACES, type ConsumerCreatedPayload } from '@bilik/shared';
import { request, type JourneySocket, type MediaSocket } from '@bilik/shared/client';
import { Device, MediaStreamTrack, RTCRtpCodecParameters, useAbsSendTime, useFIR, useNACK, usePLI, useSdesMid, type types } from 'msc-node';
import type { Camera, Received } from './benchDeskPage.js';
import { connectedSocket, visitAssigned } from './benchSockets.js';

/** What bench-compose asks of this process. */
export type NodeDesksCommand =
  | {
      command: 'start';
      baseUrl: string;
      /** Each officer's session cookie (bilik_session=...). */
      officerCookies: string[];
      boothCredentials: string[];
      camera: Camera;
    }
  | { command: 'received' }
  | { command: 'ports' };

/** What this process tells bench-compose. */
export type NodeDesksEvent =
  | { event: 'progress'; message: string }
  | { event: 'started' }
  | { event: 'received'; desks: Array<{ officer: Received; booth: Received }> }
  | { event: 'ports'; ports: Array<[string, number]> }
  | { event: 'failed'; message: string };

/** The codecs the apps' browsers send: VP8 with NACK and key-frame requests, Opus. */
const NODE_RTP_CAPABILITIES = {
  codecs: {
    video: [
      new RTCRtpCodecParameters({
        mimeType: 'video/VP8',
        clockRate: 90_000,
        payloadType: 96,
        rtcpFeedback: [useFIR(), useNACK(), usePLI()],
      }),
    ],
    audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48_000, channels: 2, payloadType: 111 })],
  },
  headerExtensions: { video: [useSdesMid(), useAbsSendTime()], audio: [useSdesMid()] },
};

function tell(event: NodeDesksEvent): void {
  process.send!(event);
}

/**
 * One VP8 picture and one Opus tone, encoded by ffmpeg in real time and handed to every track
 * of their kind. Key frames every 2 s: a sender here cannot answer a key-frame request.
 */
class RtpSources {
  private readonly tracks = { audio: new Set<MediaStreamTrack>(), video: new Set<MediaStreamTrack>() };
  private readonly encoders: ChildProcess[] = [];
  private readonly sockets: UdpSocket[] = [];

  static async start(camera: Camera): Promise<RtpSources> {
    const sources = new RtpSources();
    const keyFrameEvery = Math.max(1, camera.frameRate * 2);
    await sources.encode('video', [
      ...['-f', 'lavfi', '-i', `testsrc=size=${camera.width}x${camera.height}:rate=${camera.frameRate}`],
      ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-g', String(keyFrameEvery), '-b:v', '150k'],
    ]);
    await sources.encode('audio', [
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
      ...['-ac', '2', '-c:a', 'libopus', '-b:a', '32k', '-application', 'voip', '-frame_duration', '20'],
    ]);
    return sources;
  }

  /** A track that carries a copy of every packet of `kind`. */
  track(kind: 'audio' | 'video'): MediaStreamTrack {
    const track = new MediaStreamTrack({ kind });
    this.tracks[kind].add(track);
    return track;
  }

  stop(): void {
    for (const encoder of this.encoders) encoder.kill('SIGKILL');
    for (const socket of this.sockets) socket.close();
  }

  private async encode(kind: 'audio' | 'video', ffmpegArgs: string[]): Promise<void> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    this.sockets.push(socket);
    socket.on('message', (packet) => {
      // A copy per track: each sender rewrites its header (SSRC, sequence, extensions).
      for (const track of this.tracks[kind]) track.writeRtp(Buffer.from(packet));
    });
    const encoder = spawn(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-re', ...ffmpegArgs, '-f', 'rtp', `rtp://127.0.0.1:${socket.address().port}`],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    encoder.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') tell({ event: 'failed', message: `ffmpeg (${kind}) exited: ${code ?? signal}` });
    });
    this.encoders.push(encoder);
  }
}

/** Counts one received track's packets and frames, and its losses from gaps in its sequence numbers. */
class ReceivedTrack {
  packets = 0;
  frames = 0;
  private firstSequence: number | undefined;
  private highestSequence = 0;

  constructor(
    readonly kind: 'audio' | 'video',
    track: MediaStreamTrack,
  ) {
    track.onReceiveRtp.subscribe((rtp) => {
      this.packets += 1;
      if (rtp.header.marker) this.frames += 1;
      this.countSequence(rtp.header.sequenceNumber);
    });
  }

  /** Packets expected but never received, from the extended (wrap-counted) highest sequence number. */
  get lost(): number {
    return this.firstSequence === undefined ? 0 : Math.max(0, this.highestSequence - this.firstSequence + 1 - this.packets);
  }

  private countSequence(sequenceNumber: number): void {
    if (this.firstSequence === undefined) {
      this.firstSequence = sequenceNumber;
      this.highestSequence = sequenceNumber;
      return;
    }
    // Extend the 16-bit number to the one nearest the highest seen, so a wrap counts on.
    const cycle = this.highestSequence - (this.highestSequence & 0xffff);
    let extended = cycle + sequenceNumber;
    if (extended < this.highestSequence - 0x8000) extended += 0x10000;
    else if (extended > this.highestSequence + 0x8000) extended -= 0x10000;
    if (extended > this.highestSequence) this.highestSequence = extended;
  }
}

/** One participant's media: its transports on the server, a track of each kind sent, every track received counted. */
class NodeParticipant {
  private readonly received = new Map<string, ReceivedTrack>();

  private constructor(
    private readonly socket: MediaSocket,
    private readonly transports: types.Transport[],
  ) {}

  /** As MediaSession.start: capabilities and both transports, join, then a camera and a microphone. */
  static async start(socket: MediaSocket, sources: RtpSources): Promise<NodeParticipant> {
    const [{ routerRtpCapabilities }, sendOptions, recvOptions] = await Promise.all([
      request(socket, 'capabilities:get', {}),
      request(socket, 'transport:create', { direction: 'send' }),
      request(socket, 'transport:create', { direction: 'recv' }),
    ]);
    const device = new Device(NODE_RTP_CAPABILITIES, { handlerName: 'werift' });
    await device.load({ routerRtpCapabilities: routerRtpCapabilities });
    const transportOptions = (options: typeof sendOptions) => options as unknown as types.TransportOptions;
    const sendTransport = device.createSendTransport(transportOptions(sendOptions));
    const recvTransport = device.createRecvTransport(transportOptions(recvOptions));
    const participant = new NodeParticipant(socket, [sendTransport, recvTransport]);
    for (const transport of [sendTransport, recvTransport]) {
      transport.on('connect', ({ dtlsParameters }: { dtlsParameters: types.DtlsParameters }, callback: () => void, errback: Errback) => {
        request(socket, 'transport:connect', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
      });
    }
    sendTransport.on(
      'produce',
      ({ kind, rtpParameters }: ProduceRequest, callback: (produced: { id: string }) => void, errback: Errback) => {
        request(socket, 'producer:create', { transportId: sendTransport.id, kind, rtpParameters }).then(
          ({ producerId }) => callback({ id: producerId }),
          errback,
        );
      },
    );
    socket.on('consumer:created', (payload) => {
      participant
        .consume(recvTransport, payload)
        .catch((error: unknown) => tell({ event: 'failed', message: `consume: ${String(error)}` }));
    });
    await request(socket, 'session:join', { rtpCapabilities: device.rtpCapabilities });
    await sendTransport.produce({ track: sources.track('video') });
    await sendTransport.produce({ track: sources.track('audio') });
    return participant;
  }

  /** What this participant has received so far, summed over its tracks. */
  receivedSoFar(): Received {
    const total: Received = { videoFrames: 0, audioPackets: 0, packetsReceived: 0, packetsLost: 0 };
    for (const track of this.received.values()) {
      if (track.kind === 'video') total.videoFrames += track.frames;
      else total.audioPackets += track.packets;
      total.packetsReceived += track.packets;
      total.packetsLost += track.lost;
    }
    return total;
  }

  /** The server address each transport's media goes to: the remote end of its nominated ICE pair (protocol/port). */
  serverPorts(): string[] {
    return this.transports.flatMap((transport) => {
      // msc-node keeps werift's peer connection on its handler; no public accessor exists.
      const connection = (transport as unknown as { _handler: { _pc: { iceTransports: Array<{ connection: IceConnection }> } } })._handler
        ._pc.iceTransports[0]?.connection;
      const pair = connection?.nominatedKeys.map((key) => connection.nominated[Number(key)]).find((nominated) => nominated);
      return pair ? [`${pair.remoteCandidate.transport.toLowerCase()}/${pair.remoteCandidate.port}`] : [];
    });
  }

  private async consume(recvTransport: types.Transport, payload: ConsumerCreatedPayload): Promise<void> {
    const consumer = await recvTransport.consume({
      id: payload.consumerId,
      producerId: payload.producerId,
      kind: payload.kind,
      rtpParameters: payload.rtpParameters as types.RtpParameters,
    });
    this.received.set(consumer.id, new ReceivedTrack(payload.kind, consumer.track));
    await request(this.socket, 'consumer:ready', { consumerId: consumer.id });
  }
}

/** msc-node's transport events are untyped: what its 'connect' and 'produce' listeners get. */
type Errback = (error: Error) => void;
interface ProduceRequest {
  kind: 'audio' | 'video';
  rtpParameters: types.RtpParameters;
}

/** The part of werift's ICE connection read for the nominated pair. */
interface IceConnection {
  nominatedKeys: string[];
  nominated: Record<number, { remoteCandidate: { transport: string; port: number } } | undefined>;
}

/** A claimant at the kiosk with `credential`: starts a visit, which a free officer takes, then joins the desk. */
async function startClaimant(baseUrl: string, credential: string, sources: RtpSources): Promise<NodeParticipant> {
  await visitAssigned(await connectedSocket<JourneySocket>(`${baseUrl}${NAMESPACES.journey}`, { credential }));
  return NodeParticipant.start(await connectedSocket<MediaSocket>(`${baseUrl}${NAMESPACES.booth}`, { credential }), sources);
}

const desks: Array<{ officer: NodeParticipant; booth?: NodeParticipant }> = [];
let sources: RtpSources | undefined;

async function start(command: Extract<NodeDesksCommand, { command: 'start' }>): Promise<void> {
  sources = await RtpSources.start(command.camera);
  for (const cookie of command.officerCookies) {
    const socket = await connectedSocket<MediaSocket>(`${command.baseUrl}${NAMESPACES.officer}`, { cookie });
    desks.push({ officer: await NodeParticipant.start(socket, sources) });
    tell({ event: 'progress', message: `Node officer ${desks.length} of ${command.officerCookies.length} at the desk` });
  }
  for (const [index, credential] of command.boothCredentials.entries()) {
    desks[index]!.booth = await startClaimant(command.baseUrl, credential, sources);
    tell({ event: 'progress', message: `Node claimant ${index + 1} of ${command.boothCredentials.length} seated` });
  }
  tell({ event: 'started' });
}

function ports(): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const desk of desks) {
    for (const participant of [desk.officer, desk.booth]) {
      for (const port of participant?.serverPorts() ?? []) counts.set(port, (counts.get(port) ?? 0) + 1);
    }
  }
  return [...counts];
}

const EMPTY: Received = { videoFrames: 0, audioPackets: 0, packetsReceived: 0, packetsLost: 0 };

process.on('message', (message: NodeDesksCommand) => {
  if (message.command === 'start') {
    start(message).catch((error: unknown) => tell({ event: 'failed', message: error instanceof Error ? error.message : String(error) }));
  } else if (message.command === 'received') {
    tell({
      event: 'received',
      desks: desks.map((desk) => ({ officer: desk.officer.receivedSoFar(), booth: desk.booth?.receivedSoFar() ?? EMPTY })),
    });
  } else {
    tell({ event: 'ports', ports: ports() });
  }
});
// The benchmark ends by closing the channel. The encoders stop with this process however it
// ends: ffmpeg reading a generated source would otherwise run on forever.
process.on('exit', () => sources?.stop());
process.on('disconnect', () => process.exit(0));
