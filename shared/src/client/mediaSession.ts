import type { types as ms } from 'mediasoup-client';
import { SIMULCAST_ENCODINGS } from '../media.js';
import type { ConsumerCreatedPayload, ServerToClientEvents, TransportCreatedData } from '../protocol.js';
import { request, type MediaSocket } from './request.js';
import { loadedDevice } from './rtcDevice.js';
import { StallWatch } from './stallWatch.js';

/** A remote track the server decided this client receives. */
export interface RemoteTrack {
  consumerId: string;
  track: MediaStreamTrack;
  source: ConsumerCreatedPayload['source'];
  kind: ConsumerCreatedPayload['kind'];
}

export interface MediaSessionEvents {
  /** A new remote track is ready to be attached; it starts paused until onTrackPausedChanged says otherwise. */
  onTrackAdded(remote: RemoteTrack): void;
  /** A remote track is gone; detach it. */
  onTrackRemoved(consumerId: string): void;
  /** The server paused or resumed a remote track (for example: the officer talks to another booth). */
  onTrackPausedChanged(consumerId: string, paused: boolean): void;
}

/** How a client sends its camera. */
export interface SendOptions {
  /**
   * Send video as three simulcast layers (quarter, half and full resolution), as booths do: the
   * officer's grid tiles take the middle layer and an enlarged tile, where a document is read,
   * the full one (see the server's media policy).
   */
  simulcastVideo: boolean;
}

/**
 * What a layer above the one the server asked for still sends: a trickle (the encoder drops to a
 * few frames a second) that keeps it live in mediasoup, whose simulcast consumers switch only to
 * a stream that has been flowing for 2 s (StreamMinActiveMs in SimulcastConsumer.cpp). Measured:
 * turned fully off, the full layer reached an enlarged tile in about 3 s; idling it costs about
 * 60 kbit/s and it reaches the tile in about 0.3 s. Only the bitrate is capped: Chromium 156 kept
 * a capped maxFramerate after the cap was lifted.
 */
const IDLE_LAYER = { maxBitrate: 60_000 };

/** The server's options for a transport; relay only when asked and the server offers a TURN relay. */
function transportOptions(created: TransportCreatedData, relayOnly: boolean): ms.TransportOptions {
  const options = created as unknown as ms.TransportOptions;
  return relayOnly && created.iceServers.length > 0 ? { ...options, iceTransportPolicy: 'relay' } : options;
}

/** What the server asks the camera to send (media:sendLayers). */
type SendLayers = Parameters<ServerToClientEvents['media:sendLayers']>[0];

/**
 * One client's WebRTC session with its desk: a send transport carrying the local camera and
 * microphone, and a receive transport carrying whatever the server's media policy grants.
 * The client never chooses what it receives; it consumes what the server announces.
 */
export class MediaSession {
  private readonly consumers = new Map<string, ms.Consumer>();
  // By track kind: what replaceTrack swaps a new camera or microphone into.
  private readonly producers = new Map<string, ms.Producer>();
  private closed = false;
  /**
   * The simulcast layers the server last asked the camera to send (media:sendLayers); undefined
   * until it asks, when every layer is sent. Kept, since the request may come before the camera's
   * producer exists here.
   */
  private sendLayers: SendLayers | undefined;
  /** setParameters calls one after another: the browser refuses parameters read before another call. */
  private sendLayersApplied: Promise<void> = Promise.resolve();
  /** Asks for a key frame when a received video stops decoding (see StallWatch). */
  private readonly stallWatch: StallWatch;
  private readonly onSendLayers = (layers: SendLayers): void => {
    this.sendLayers = layers;
    void this.applySendLayers();
  };
  private readonly onConsumerCreated = (payload: ConsumerCreatedPayload): void => {
    this.consume(payload).catch((error: unknown) => console.warn('could not receive a track', payload.kind, error));
  };
  private readonly onConsumerClosed = ({ consumerId }: { consumerId: string }): void => {
    this.consumers.get(consumerId)?.close();
    if (this.consumers.delete(consumerId)) this.events.onTrackRemoved(consumerId);
  };
  private readonly onConsumerChanged = ({ consumerId, paused }: { consumerId: string; paused: boolean }): void => {
    if (this.consumers.has(consumerId)) this.events.onTrackPausedChanged(consumerId, paused);
  };

  private constructor(
    private readonly socket: MediaSocket,
    private readonly sendTransport: ms.Transport,
    private readonly recvTransport: ms.Transport,
    private readonly events: MediaSessionEvents,
  ) {
    this.stallWatch = new StallWatch(
      recvTransport,
      () => new Map([...this.consumers.values()].filter((c) => c.kind === 'video').map((c) => [c.track.id, c])),
      (consumer) => request(socket, 'consumer:keyFrame', { consumerId: consumer.id }).then(() => undefined),
    );
    socket.on('consumer:created', this.onConsumerCreated);
    socket.on('consumer:closed', this.onConsumerClosed);
    socket.on('consumer:changed', this.onConsumerChanged);
    socket.on('media:sendLayers', this.onSendLayers);
    for (const transport of [sendTransport, recvTransport]) {
      transport.on('connect', ({ dtlsParameters }, callback, errback) => {
        request(socket, 'transport:connect', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
      });
    }
    sendTransport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
      request(socket, 'producer:create', { transportId: sendTransport.id, kind, rtpParameters }).then(
        ({ producerId }) => callback({ id: producerId }),
        errback,
      );
    });
  }

  /**
   * Opens both transports, joins the desk, and sends every track of `localStream`. The server
   * announces consumers only after the join, when this session already listens for them. On
   * failure everything opened so far is closed again. `relayOnly`: ICE through the server's TURN
   * relay alone, when it offers one (see keepDeskLink). A stream still opening is waited for only
   * once the session has joined: what the session receives flows meanwhile.
   */
  static async start(
    socket: MediaSocket,
    localStream: MediaStream | Promise<MediaStream>,
    events: MediaSessionEvents,
    options: SendOptions = { simulcastVideo: false },
    relayOnly = false,
  ): Promise<MediaSession> {
    // Asked at once, not one after another: on a branch line each round trip is tens of
    // milliseconds the claimant and the officer wait before they see each other.
    const [{ routerRtpCapabilities }, sendOptions, recvOptions] = await Promise.all([
      request(socket, 'capabilities:get', {}),
      request(socket, 'transport:create', { direction: 'send' }),
      request(socket, 'transport:create', { direction: 'recv' }),
    ]);
    const device = await loadedDevice(routerRtpCapabilities);
    const session = new MediaSession(
      socket,
      device.createSendTransport(transportOptions(sendOptions, relayOnly)),
      device.createRecvTransport(transportOptions(recvOptions, relayOnly)),
      events,
    );
    try {
      await request(socket, 'session:join', { rtpCapabilities: device.rtpCapabilities });
      // The camera first: seeing each other is what both sides wait for, and the officer's tile
      // shows the claimant only once this producer exists.
      const tracks = (await localStream).getTracks().sort((a, b) => Number(b.kind === 'video') - Number(a.kind === 'video'));
      for (const track of tracks) {
        const simulcast = options.simulcastVideo && track.kind === 'video';
        const producer = await session.sendTransport.produce({
          track,
          stopTracks: false,
          // Copies: mediasoup-client takes the encodings as its own, and the table is shared.
          ...(simulcast && { encodings: SIMULCAST_ENCODINGS.map((encoding) => ({ ...encoding })) }),
          // Opus in-band FEC: each packet carries a coarse copy of the one before, so a branch
          // line that drops a packet now and then costs no syllable. Off unless the answer asks.
          ...(track.kind === 'audio' && { codecOptions: { opusFec: true } }),
        });
        session.producers.set(track.kind, producer);
        if (simulcast) await session.applySendLayers();
      }
    } catch (error) {
      session.close();
      throw error;
    }
    return session;
  }

  /** Both transports, for whoever watches their connection (see TransportRecovery). */
  get transports(): ms.Transport[] {
    return [this.sendTransport, this.recvTransport];
  }

  /**
   * Restarts ICE on one of this session's transports with fresh parameters from the server,
   * after its path was lost. Rejects when the server no longer has the transport (a rebuild helps then).
   */
  async restartIce(transport: ms.Transport): Promise<void> {
    const { iceParameters, iceServers } = await request(this.socket, 'transport:restartIce', { transportId: transport.id });
    if (this.closed) return;
    // Fresh TURN credentials first: the path may need a new relay allocation, which the first ones, expired by now, would not get.
    if (iceServers.length > 0) await transport.updateIceServers({ iceServers });
    await transport.restartIce({ iceParameters: iceParameters as unknown as ms.IceParameters });
  }

  /**
   * Sends `track` in place of the one of its kind, e.g. a camera opened again after it went away;
   * the server's producer, and so every consumer of it, stays as it is.
   */
  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    const producer = this.producers.get(track.kind);
    if (!producer) throw new Error(`this session sends no ${track.kind}`);
    await producer.replaceTrack({ track });
  }

  /** The WebRTC statistics of both transports, e.g. for the call's link quality. */
  async getStats(): Promise<{ send: RTCStatsReport; recv: RTCStatsReport }> {
    const [send, recv] = await Promise.all([this.sendTransport.getStats(), this.recvTransport.getStats()]);
    return { send, recv };
  }

  /** Stops sending and receiving, and takes every remote track off the view. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stallWatch.stop();
    this.socket.off('consumer:created', this.onConsumerCreated);
    this.socket.off('consumer:closed', this.onConsumerClosed);
    this.socket.off('consumer:changed', this.onConsumerChanged);
    this.socket.off('media:sendLayers', this.onSendLayers);
    this.sendTransport.close();
    this.recvTransport.close();
    for (const consumerId of this.consumers.keys()) this.events.onTrackRemoved(consumerId);
    this.consumers.clear();
  }

  /**
   * Sends the camera's simulcast encodings in full up to the layer the server asked for and idles
   * those above it (all off for null), so the booth's uplink carries only what the officer's view
   * uses, and an enlarged tile still gets its full layer at once.
   */
  private applySendLayers(): Promise<void> {
    this.sendLayersApplied = this.sendLayersApplied.then(async () => {
      const sender = this.producers.get('video')?.rtpSender;
      const layers = this.sendLayers;
      if (this.closed || sender === undefined || layers === undefined) return;
      const parameters = sender.getParameters();
      if (parameters.encodings.length < 2) return;
      const { maxSpatialLayer, capSpatialLayer } = layers;
      parameters.encodings.forEach((encoding, layer) => {
        encoding.active = maxSpatialLayer !== null && layer <= capSpatialLayer;
        const idle = maxSpatialLayer !== null && layer > maxSpatialLayer;
        encoding.maxBitrate = idle ? IDLE_LAYER.maxBitrate : SIMULCAST_ENCODINGS[layer]!.maxBitrate;
      });
      await sender.setParameters(parameters).catch((error: unknown) => console.warn('could not set the layers the camera sends', error));
    });
    return this.sendLayersApplied;
  }

  private async consume(payload: ConsumerCreatedPayload): Promise<void> {
    if (this.closed) return;
    const consumer = await this.recvTransport.consume({
      id: payload.consumerId,
      producerId: payload.producerId,
      kind: payload.kind,
      rtpParameters: payload.rtpParameters as ms.RtpParameters,
    });
    // The session may have closed while the browser set the consumer up.
    if (this.closed) {
      consumer.close();
      return;
    }
    this.consumers.set(consumer.id, consumer);
    // Only now can the server resume it: a video key frame sent earlier would have been lost. Asked
    // before the page puts the track on screen, which on a busy console takes tens of milliseconds
    // the key frame can spend on its way (the browser decodes it with or without a video element).
    const ready = request(this.socket, 'consumer:ready', { consumerId: consumer.id });
    this.events.onTrackAdded({ consumerId: consumer.id, track: consumer.track, source: payload.source, kind: payload.kind });
    await ready;
  }
}
