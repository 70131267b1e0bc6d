import { Device } from 'mediasoup-client';
import type { types as ms } from 'mediasoup-client';
import type { ConsumerCreatedPayload, TransportCreatedData } from '../protocol.js';
import { request, type MediaSocket } from './request.js';

/** A remote track the server decided this client receives. */
export interface RemoteTrack {
  consumerId: string;
  track: MediaStreamTrack;
  source: ConsumerCreatedPayload['source'];
  kind: ConsumerCreatedPayload['kind'];
}

export interface MediaSessionEvents {
  /** A new remote track is ready to be attached to a media element. */
  onTrackAdded(remote: RemoteTrack): void;
  /** A remote track is gone; detach it. */
  onTrackRemoved(consumerId: string): void;
  /** The server paused or resumed a remote track (for example: the officer talks to another booth). */
  onTrackPausedChanged(consumerId: string, paused: boolean): void;
}

/**
 * One client's WebRTC session with its desk: a send transport carrying the local camera and
 * microphone, and a receive transport carrying whatever the server's media policy grants.
 * The client never chooses what it receives; it consumes what the server announces.
 */
export class MediaSession {
  private readonly consumers = new Map<string, ms.Consumer>();
  private closed = false;

  private constructor(
    private readonly socket: MediaSocket,
    private readonly device: Device,
    private readonly sendTransport: ms.Transport,
    private readonly recvTransport: ms.Transport,
    private readonly events: MediaSessionEvents,
  ) {}

  /**
   * Joins the desk, sends every track of `localStream`, and starts receiving. Listeners for the
   * server's consumer announcements are attached before joining, so none is missed.
   */
  static async start(socket: MediaSocket, localStream: MediaStream, events: MediaSessionEvents): Promise<MediaSession> {
    const pending: ConsumerCreatedPayload[] = [];
    let session: MediaSession | null = null;
    const onCreated = (payload: ConsumerCreatedPayload): void => {
      if (session) void session.consume(payload);
      else pending.push(payload);
    };
    socket.on('consumer:created', onCreated);

    const device = new Device();
    try {
      const { routerRtpCapabilities } = await request(socket, 'capabilities:get', {});
      await device.load({ routerRtpCapabilities: routerRtpCapabilities as ms.RtpCapabilities });
      await request(socket, 'session:join', { rtpCapabilities: device.rtpCapabilities });
    } catch (error) {
      socket.off('consumer:created', onCreated);
      throw error;
    }

    const sendTransport = device.createSendTransport(toTransportOptions(await request(socket, 'transport:create', { direction: 'send' })));
    const recvTransport = device.createRecvTransport(toTransportOptions(await request(socket, 'transport:create', { direction: 'recv' })));
    for (const transport of [sendTransport, recvTransport]) {
      transport.on('connect', ({ dtlsParameters }, callback, errback) => {
        request(socket, 'transport:connect', { transportId: transport.id, dtlsParameters })
          .then(() => callback())
          .catch(errback);
      });
    }
    sendTransport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
      request(socket, 'producer:create', {
        transportId: sendTransport.id,
        kind,
        rtpParameters,
      })
        .then(({ producerId }) => callback({ id: producerId }))
        .catch(errback);
    });

    session = new MediaSession(socket, device, sendTransport, recvTransport, events);
    session.listen();
    socket.off('consumer:created', onCreated);
    for (const payload of pending) void session.consume(payload);

    for (const track of localStream.getTracks()) {
      await sendTransport.produce({ track, stopTracks: false });
    }
    return session;
  }

  /** Stops sending and receiving. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.off('consumer:created');
    this.socket.off('consumer:closed');
    this.socket.off('consumer:changed');
    this.sendTransport.close();
    this.recvTransport.close();
    for (const consumerId of this.consumers.keys()) this.events.onTrackRemoved(consumerId);
    this.consumers.clear();
  }

  /** The receive side's RTCStatsReport, used by tests and the link-quality view. */
  receiveStats(): Promise<RTCStatsReport> {
    return this.recvTransport.getStats();
  }

  private listen(): void {
    this.socket.on('consumer:created', (payload) => void this.consume(payload));
    this.socket.on('consumer:closed', ({ consumerId }) => {
      this.consumers.get(consumerId)?.close();
      this.consumers.delete(consumerId);
      this.events.onTrackRemoved(consumerId);
    });
    this.socket.on('consumer:changed', ({ consumerId, paused }) => {
      if (this.consumers.has(consumerId)) this.events.onTrackPausedChanged(consumerId, paused);
    });
  }

  private async consume(payload: ConsumerCreatedPayload): Promise<void> {
    if (this.closed) return;
    const consumer = await this.recvTransport.consume({
      id: payload.consumerId,
      producerId: payload.producerId,
      kind: payload.kind,
      rtpParameters: payload.rtpParameters as ms.RtpParameters,
    });
    this.consumers.set(consumer.id, consumer);
    this.events.onTrackAdded({ consumerId: consumer.id, track: consumer.track, source: payload.source, kind: payload.kind });
    // Only now can the server resume it: a video keyframe sent earlier would have been lost.
    await request(this.socket, 'consumer:ready', { consumerId: consumer.id });
  }

  /** Whether the browser can send and receive what the desk's router offers. */
  get canSendVideo(): boolean {
    return this.device.canProduce('video');
  }
}

function toTransportOptions(data: TransportCreatedData): ms.TransportOptions {
  return data as unknown as ms.TransportOptions;
}
