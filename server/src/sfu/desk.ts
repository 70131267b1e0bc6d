/**
 * An officer's desk: one mediasoup router carrying the officer and their booths. Clients ask
 * for transports and send producers; the desk alone decides consumers, by applying the media
 * policy after every change.
 */
import type { MediaKind, MonitorState, TransportDirection } from '@bilik/shared';
import type { types as ms } from 'mediasoup';
import { InvalidStateError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import { DeskRoster } from './deskRoster.js';
import { UNSTORED_SEATS, type DeskSeats } from './deskSeats.js';
import {
  consumerKey,
  deriveConsumers,
  deriveSendLayers,
  type ConsumerSpec,
  type DeskMediaState,
  type ParticipantRole,
} from './mediaPolicy.js';
import type { MediaWorker } from './mediaWorker.js';
import { Participant, type ClientConnection } from './participant.js';

/** What the desk's router can carry: Opus for voice, VP8 and H.264 so every browser can send. */
export const MEDIA_CODECS: ms.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 1000 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
];

/** How often the server measures booth audio levels for the officer's voice-activity lights. */
const VOICE_ACTIVITY_INTERVAL_MS = 400;
/** Level (dBov) above which a booth counts as speaking; Chromium's silence sits far below. */
const VOICE_ACTIVITY_THRESHOLD_DBOV = -55;
/** The least time between two key frames asked for one consumer (requestKeyFrame). */
const KEY_FRAME_REQUEST_INTERVAL_MS = 1_000;

/** A desk's router, its voice-activity observer and its worker's WebRtcServer, which live and die with one worker. */
interface DeskMedia {
  worker: ms.Worker;
  router: ms.Router;
  voiceActivity: ms.AudioLevelObserver;
  /** Where the router's WebRTC transports are created: the worker's one port. */
  webRtcServer: ms.WebRtcServer;
}

/** What a desk holds now, for the metrics. */
export interface DeskCensus {
  /** The worker its router runs on. */
  worker: ms.Worker;
  participants: Record<ParticipantRole, number>;
  consumers: Record<MediaKind, number>;
}

async function openMedia(officerId: string, capacity: number, { worker, webRtcServer }: MediaWorker): Promise<DeskMedia> {
  const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { officerId } });
  const voiceActivity = await router.createAudioLevelObserver({
    maxEntries: capacity,
    threshold: VOICE_ACTIVITY_THRESHOLD_DBOV,
    interval: VOICE_ACTIVITY_INTERVAL_MS,
  });
  return { worker, router, voiceActivity, webRtcServer };
}

export class Desk {
  private readonly participants = new Map<string, Participant>();
  /** The simulcast layers each booth was last told to send (media:sendLayers); a new participant is told afresh. */
  private readonly sentLayers = new WeakMap<Participant, number | null>();
  /** When a key frame was last asked for each consumer (requestKeyFrame). */
  private readonly keyFrameRequestedAt = new WeakMap<ms.Consumer, number>();
  private readonly roster: DeskRoster;
  /** Policy applications run one after another so two changes never create the same consumer twice. */
  private policyQueue: Promise<void> = Promise.resolve();
  private closed = false;
  /** Clients placed at this desk by their handshake and not seated yet (holdForArrival). */
  private arriving = 0;

  private constructor(
    readonly officerId: string,
    private readonly capacity: number,
    /** The highest simulcast layer its booths may send: their uplink cap (see boothUplink.ts). */
    private readonly maxBoothLayer: number,
    private media: DeskMedia,
    private readonly logger: Logger,
    private readonly seats: DeskSeats,
  ) {
    this.roster = new DeskRoster(capacity, Date.now, seats.restored);
    this.watchVoiceActivity();
  }

  /**
   * Creates the desk's router, for up to `capacity` booths sending up to `maxBoothLayer`, on the
   * given worker; its seats, talk and calls start from `seats` and are stored there.
   */
  static async create(
    officerId: string,
    capacity: number,
    maxBoothLayer: number,
    worker: MediaWorker,
    parentLogger: Logger,
    seats: DeskSeats = UNSTORED_SEATS,
  ): Promise<Desk> {
    const media = await openMedia(officerId, capacity, worker);
    const logger = parentLogger.child({ module: 'desk', officerId });
    logger.info(
      {
        routerId: media.router.id,
        workerPid: worker.worker.pid,
        rtcPort: worker.port,
        capacity,
        restoredBooths: seats.restored?.booths.length ?? 0,
      },
      'desk opened',
    );
    return new Desk(officerId, capacity, maxBoothLayer, media, logger, seats);
  }

  /** The desk's mediasoup router. */
  get router(): ms.Router {
    return this.media.router;
  }

  /** Whether the desk's router closed under it (its worker died) while the desk itself is open: it is to be re-opened. */
  get isLost(): boolean {
    return !this.closed && this.media.router.closed;
  }

  /**
   * Re-opens a lost desk on a new router on `worker`. Everyone stays seated with the same talk,
   * focus and calls; their transports, producers and consumers died with the old router, so each
   * client is told to rebuild its media session here (session:rebuild), as it would after losing
   * its path, and gets consumers again, paused until the policy lets them flow.
   */
  async reopen(worker: MediaWorker): Promise<void> {
    const media = await openMedia(this.officerId, this.capacity, worker);
    if (this.closed) {
      media.router.close();
      return;
    }
    this.media = media;
    this.watchVoiceActivity();
    this.logger.warn({ routerId: media.router.id, workerPid: worker.worker.pid, rtcPort: worker.port }, 'desk re-opened on another worker');
    for (const participant of this.participants.values()) {
      // Its device must load the new router's capabilities and say again what it can receive.
      participant.rtpCapabilities = null;
      participant.notify('session:rebuild', {});
    }
  }

  /** Who is seated and what media the desk forwards to them, counted from its live objects. */
  census(): DeskCensus {
    const census: DeskCensus = {
      worker: this.media.worker,
      participants: { officer: 0, booth: 0, monitor: 0 },
      consumers: { audio: 0, video: 0 },
    };
    for (const participant of this.participants.values()) {
      census.participants[participant.role] += 1;
      for (const consumer of participant.consumers.values()) if (!consumer.closed) census.consumers[consumer.kind] += 1;
    }
    return census;
  }

  /** Whether a booth could be seated now: it is already here, or there is room. */
  hasRoomFor(boothId: string): boolean {
    return this.roster.hasRoomFor(boothId);
  }

  /** The booths seated at this desk (their links there or not), in seat order. */
  get boothIds(): string[] {
    return this.roster.boothIds;
  }

  /** Whether the booth is seated here with its media link up now. */
  isBoothLinked(boothId: string): boolean {
    return this.roster.isLinked(boothId);
  }

  /** Nobody is seated here, and nobody placed here is on the way. */
  get isEmpty(): boolean {
    return this.participants.size === 0 && this.arriving === 0;
  }

  /**
   * Keeps the desk from counting as empty for a client placed here and not seated yet: its last
   * client may leave meanwhile, and must not close the desk under the newcomer. The returned
   * function ends the hold (calling it again does nothing): once the client is seated, or gone.
   */
  holdForArrival(): () => void {
    this.arriving += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.arriving -= 1;
    };
  }

  get isClosed(): boolean {
    return this.closed || this.media.router.closed;
  }

  /**
   * Seats a participant. One who is already seated (a reload or a second tab) replaces the old
   * connection; a booth whose seat is kept (its link dropped, or the desk was restored) takes it
   * back with its talk, call and hold. A new booth is refused when the desk is full. An officer
   * brings the display name of their account, which their booths show.
   */
  join(role: 'booth' | 'officer', id: string, connection: ClientConnection, officerName: string | null = null): Participant {
    if (this.isClosed) throw new InvalidStateError('This desk is closed');
    if (role === 'booth') {
      this.roster.linkBooth(id);
      // A new connection starts with a new media session; what the old one reported is over.
      this.roster.setReconnecting(id, false);
      this.storeSeats();
    } else this.roster.setOfficerPresent(true, officerName);
    const participant = new Participant(role, id, connection, this.logger.child(role === 'booth' ? { boothId: id } : {}));
    const replaced = this.seat(participant);
    this.announcePresence(participant, true);
    this.logger.info({ role, participantId: id, replaced }, 'participant joined desk');
    this.publishState();
    return participant;
  }

  /**
   * Seats a supervisor silently monitoring one booth's visit: nobody at the desk is told, and the
   * media policy gives the supervisor that visit only (see addMonitorConsumers). The booth need not
   * be seated yet (its link may be reconnecting); the supervisor receives it once it is. The same
   * supervisor opening a monitor again replaces the old one, whichever booth it watched.
   */
  watch(supervisorId: string, visit: { boothId: string; visitId: string }, connection: ClientConnection): Participant {
    if (this.isClosed) throw new InvalidStateError('This desk is closed');
    const logger = this.logger.child({ supervisorId, boothId: visit.boothId });
    const participant = new Participant('monitor', supervisorId, connection, logger, { ...visit, barging: false });
    const replaced = this.seat(participant);
    logger.info({ replaced }, 'supervisor monitoring a visit');
    this.publishState();
    return participant;
  }

  /**
   * The monitoring supervisor barges in (true: the booth they watch hears them from now on, and
   * the officer is told) or goes back to listening silently (false). Rejects like selectTalk when
   * the switch could not be applied; every barge-in at the desk has then ended.
   */
  async barge(monitor: Participant, barging: boolean): Promise<void> {
    if (!monitor.watch || this.participants.get(`monitor:${monitor.id}`) !== monitor) {
      throw new InvalidStateError('You are not monitoring a visit at this desk');
    }
    if (barging && !this.roster.isLinked(monitor.watch.boothId)) throw new InvalidStateError('The booth is not connected now');
    monitor.watch.barging = barging;
    monitor.logger.info({ barging }, barging ? 'supervisor barged in' : 'supervisor stopped barging in');
    this.publishState();
    await this.applyPolicyOrFail();
  }

  /** Puts `participant` in its seat, replacing whoever held it (a reload, a second tab); returns whether someone was replaced. */
  private seat(participant: Participant): boolean {
    const key = `${participant.role}:${participant.id}`;
    const previous = this.participants.get(key);
    // Seated before the old connection is cut, so its disconnect handler finds itself replaced.
    this.participants.set(key, participant);
    if (previous) {
      previous.notify('protocol:error', { event: 'connection', error: 'INVALID_STATE', message: 'Opened again elsewhere' });
      previous.close();
      previous.connection.disconnect();
    }
    return previous !== undefined;
  }

  /**
   * Removes a participant and everything it sent or received; resolves once the others' media is
   * updated. A booth keeps its seat, shown as reconnecting, until its session ends (release).
   */
  leave(participant: Participant): Promise<void> {
    const key = `${participant.role}:${participant.id}`;
    if (this.participants.get(key) !== participant) return Promise.resolve();
    this.participants.delete(key);
    participant.close();
    if (participant.role === 'booth') this.roster.unlinkBooth(participant.id);
    else if (participant.role === 'officer') this.roster.setOfficerPresent(false);
    this.announcePresence(participant, false);
    this.logger.info({ role: participant.role, participantId: participant.id }, 'participant left desk');
    this.publishState();
    return this.applyPolicy();
  }

  /** The booth's session with this officer is over: its seat is free for the next booth. */
  release(boothId: string): void {
    if (!this.roster.hasBooth(boothId)) return;
    this.roster.removeBooth(boothId);
    this.storeSeats();
    this.logger.info({ boothId }, 'seat freed');
    this.publishState();
  }

  /**
   * The officer talks privately to one booth (null: to nobody); applied as consumer pause/resume.
   * Rejects when the switch could not be applied; the officer then talks to nobody.
   */
  async selectTalk(boothId: string | null): Promise<void> {
    this.roster.selectTalk(boothId);
    this.storeSeats();
    this.logger.info({ talkingToBoothId: boothId }, 'talk switched');
    this.publishState();
    await this.applyPolicyOrFail();
  }

  /** The officer enlarges one booth's tile (null: back to the grid); its video gets the highest priority. Rejects like selectTalk. */
  async focus(boothId: string | null): Promise<void> {
    this.roster.focus(boothId);
    this.publishState();
    await this.applyPolicyOrFail();
  }

  /** A booth calls for attention; returns its place in the order of calls. */
  callAttention(booth: Participant): number {
    const place = this.roster.call(booth.id);
    this.storeSeats();
    this.publishState();
    return place;
  }

  /** A booth's claimant cannot hear the officer: the officer's tile shows it (once, however often they press). */
  reportCannotHear(booth: Participant): void {
    if (!this.roster.reportCannotHear(booth.id)) return;
    booth.logger.info('claimant reports they cannot hear the officer');
    this.storeSeats();
    this.publishState();
  }

  /** The officer dismisses a booth's "cannot hear" without talking to it. */
  dismissCannotHear(boothId: string): void {
    if (!this.roster.dismissCannotHear(boothId)) return;
    this.storeSeats();
    this.publishState();
  }

  /**
   * A client reports its media path down and recovering (true) or back (false): a booth's shows
   * on its officer's tile, the officer's on every booth (whose picture of the officer may freeze).
   */
  reportRecovery(participant: Participant, recovering: boolean): void {
    // A monitoring supervisor's path concerns nobody at the desk, who must not learn of them.
    const changed =
      participant.role === 'booth'
        ? this.roster.setReconnecting(participant.id, recovering)
        : participant.role === 'officer' && this.roster.setOfficerReconnecting(recovering);
    if (changed) this.publishState();
    participant.logger.info({ recovering }, recovering ? 'media path down, recovering' : 'media path back');
  }

  /**
   * Gives one of the participant's transports fresh ICE credentials, for a client whose path was
   * lost (mediasoup keeps accepting the old ones until the new ones are used).
   */
  async restartIce(participant: Participant, transportId: string): Promise<ms.IceParameters> {
    // A transport closed under the desk is forgotten at once: asking for it is FORBIDDEN, and the client rebuilds.
    const { transport } = participant.transport(transportId);
    const iceParameters = await transport.restartIce();
    participant.logger.info({ transportId }, 'ICE restarted');
    return iceParameters;
  }

  /** Records what the client's device can receive; consumers can be made for it from now on. */
  async setCapabilities(participant: Participant, rtpCapabilities: ms.RtpCapabilities): Promise<void> {
    participant.rtpCapabilities = rtpCapabilities;
    await this.applyPolicy();
  }

  /**
   * Creates a WebRTC transport owned by the participant, one per direction: a new one (a rebuild
   * after a lost path) replaces the old, which is closed first, with its media, so no seat holds
   * more transports. A second request while one is being created is refused with LIMIT_EXCEEDED.
   */
  async createTransport(participant: Participant, direction: TransportDirection): Promise<ms.WebRtcTransport> {
    const transportCreated = participant.startTransport(direction);
    // Consumers of a replaced receive transport closed with it; the policy makes them anew on the
    // new one once its client has joined again (session:join), when it listens for them: a client
    // rebuilding its session must not miss a consumer announced before it could hear of it.
    participant.makeRoomForTransport(direction);
    if (direction === 'recv') participant.rtpCapabilities = null;
    let transport: ms.WebRtcTransport;
    try {
      transport = await this.router.createWebRtcTransport({
        webRtcServer: this.media.webRtcServer,
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: 1_000_000,
        appData: { ...participant.appData, direction },
      });
    } finally {
      transportCreated();
    }
    if (participant.isClosed) {
      transport.close();
      throw new InvalidStateError('You left the desk');
    }
    participant.transports.set(transport.id, { transport, direction });
    // Closed when replaced, or under the desk (by its router or worker): the seat forgets it and
    // what it carried, the client is told, and the others' consumers of its producers are gone too.
    transport.observer.once('close', () => {
      if (participant.isClosed) return;
      for (const consumer of participant.forgetClosed()) participant.notify('consumer:closed', { consumerId: consumer.id });
      void this.applyPolicy();
    });
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' || state === 'closed') participant.logger.warn({ transportId: transport.id, state }, 'transport dtls ended');
    });
    return transport;
  }

  /** Completes the DTLS handshake parameters of one of the participant's transports. */
  async connectTransport(participant: Participant, transportId: string, dtlsParameters: ms.DtlsParameters): Promise<void> {
    const { transport } = participant.transport(transportId);
    try {
      await transport.connect({ dtlsParameters });
    } catch (error) {
      throw new ValidationError(`The transport refused these DTLS parameters: ${(error as Error).message}`);
    }
  }

  /** Accepts the participant's camera or microphone; one producer per kind, the excess refused with LIMIT_EXCEEDED. */
  async produce(participant: Participant, transportId: string, kind: MediaKind, rtpParameters: ms.RtpParameters): Promise<ms.Producer> {
    const { transport, direction } = participant.transport(transportId);
    if (direction !== 'send') throw new InvalidStateError('Media can only be sent on a send transport');
    // The policy forwards only a supervisor's voice: a camera would cost the worker for nobody.
    if (participant.role === 'monitor' && kind !== 'audio') throw new ValidationError('A monitoring supervisor sends audio only');
    const producerCreated = participant.startProducer(kind);
    let producer: ms.Producer;
    try {
      producer = await transport.produce({ kind, rtpParameters, appData: participant.appData });
    } catch (error) {
      throw new ValidationError(`These RTP parameters cannot be sent: ${(error as Error).message}`);
    } finally {
      producerCreated();
    }
    // Its transport may have been replaced meanwhile, closing it.
    if (participant.isClosed || producer.closed) {
      producer.close();
      throw new InvalidStateError('You left the desk, or replaced this transport');
    }
    participant.producers.set(kind, producer);
    if (participant.role === 'booth' && kind === 'audio') await this.media.voiceActivity.addProducer({ producerId: producer.id });
    // A new camera producer (a rebuilt session) sends every layer until it is told otherwise.
    if (kind === 'video') this.sentLayers.delete(participant);
    await this.applyPolicy();
    return producer;
  }

  /** The client has attached a consumer; it may now be resumed if the policy wants it flowing. */
  async consumerReady(participant: Participant, consumerId: string): Promise<void> {
    participant.consumerById(consumerId);
    participant.readyConsumerIds.add(consumerId);
    await this.applyPolicy();
  }

  /**
   * Asks the sender of one of the participant's video consumers for a key frame, for a client
   * whose decoder is stuck on a frame lost upstream. At most once a second per consumer: a flood
   * would have the sender encode nothing but key frames. Nothing to do for a paused consumer.
   */
  async requestKeyFrame(participant: Participant, consumerId: string): Promise<void> {
    const consumer = participant.consumerById(consumerId);
    if (consumer.kind !== 'video') throw new ValidationError('Only video has key frames');
    const now = performance.now();
    const last = this.keyFrameRequestedAt.get(consumer);
    if (consumer.paused || (last !== undefined && now - last < KEY_FRAME_REQUEST_INTERVAL_MS)) return;
    this.keyFrameRequestedAt.set(consumer, now);
    await consumer.requestKeyFrame();
  }

  /**
   * Closes the desk and moves every participant's connection (see ClientConnection.moved), for
   * their clients to connect again at once and be seated where the desk is now (another node
   * holds its lease, or this one is stopping).
   */
  closeAndMove(): void {
    const participants = [...this.participants.values()];
    this.close();
    for (const participant of participants) participant.connection.moved();
  }

  /** Closes the router and every participant's media. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const participant of this.participants.values()) participant.close();
    this.participants.clear();
    this.router.close();
    this.logger.info('desk closed');
  }

  /** Queues one application of the policy and resolves when it (and those before it) are done; a failure is logged and silenced, not thrown. */
  private applyPolicy(): Promise<void> {
    return this.applyPolicyOrFail().catch(() => undefined);
  }

  /**
   * applyPolicy for a command that answers for its media: one that fails leaves the desk silenced
   * (see silenceAfterFailure) and rejects. The next application starts from there.
   */
  private applyPolicyOrFail(): Promise<void> {
    const run = this.policyQueue.then(() => this.reconcile()).catch((error: unknown) => this.silenceAfterFailure(error));
    this.policyQueue = run.catch(() => undefined);
    return run;
  }

  /**
   * After a failed application the consumers may be half switched: the officer heard by the booth
   * they left and the one they chose, say. Which booth hears whom is what keeps claimants' affairs
   * apart, so the desk falls back to the one state that cannot leak: the officer talks to nobody
   * and every audio consumer is paused; one that cannot even be paused is closed, since a closed
   * consumer forwards nothing. Re-applying the last good state instead would need the same worker
   * calls that just failed, and could stop half-way again. The officer is told, and can choose again.
   */
  private async silenceAfterFailure(error: unknown): Promise<never> {
    this.logger.error({ err: (error as Error).message }, 'applying media policy failed; the officer now talks to nobody');
    this.roster.selectTalk(null);
    this.storeSeats();
    // A barge-in is a booth hearing someone too: it ends as well, and the supervisor may barge in again.
    for (const participant of this.participants.values()) if (participant.watch) participant.watch.barging = false;
    this.publishState();
    for (const participant of [...this.participants.values()]) {
      for (const [key, consumer] of [...participant.consumers]) {
        if (consumer.kind !== 'audio' || consumer.closed) continue;
        const wasPaused = consumer.paused;
        try {
          // Sent even when it looks paused: a failed request may have left the worker unlike this object.
          await consumer.pause();
          if (!wasPaused) participant.notify('consumer:changed', { consumerId: consumer.id, paused: true });
        } catch {
          if (participant.consumers.get(key) === consumer) this.closeConsumer(participant, key, consumer);
        }
      }
    }
    throw new InvalidStateError('The media switch could not be applied; the officer now talks to nobody. Choose again.');
  }

  private async reconcile(): Promise<void> {
    if (this.isClosed) return;
    const booths = [...this.participants.values()].filter((p) => p.role === 'booth');
    const officer = this.participants.get(`officer:${this.officerId}`) ?? null;
    const state: DeskMediaState = {
      officer: officer?.toPolicy() ?? null,
      booths: booths.map((booth) => booth.toPolicy()),
      monitors: [...this.participants.values()].flatMap((participant) => participant.toMonitorPolicy() ?? []),
      talkingToBoothId: this.roster.talkingToBoothId,
      focusedBoothId: this.roster.focusedBoothId,
      maxBoothLayer: this.maxBoothLayer,
    };
    const specs = deriveConsumers(state);
    const wanted = new Map(specs.map((spec) => [consumerKey(spec), spec]));
    // Before the consumers switch: the key frame a switch asks for then comes from a layer the
    // booth already sends in full, not at its idle trickle.
    this.tellSendLayers(booths, deriveSendLayers(state, specs));

    for (const participant of this.participants.values()) {
      for (const [key, consumer] of participant.consumers) {
        if (!wanted.has(key)) this.closeConsumer(participant, key, consumer);
      }
    }
    for (const [key, spec] of wanted) {
      const receiver = this.participants.get(`${spec.receiver.role}:${spec.receiver.id}`);
      if (!receiver || receiver.isClosed) continue;
      const existing = receiver.consumers.get(key);
      if (existing) await this.applyPauseAndQuality(receiver, existing, spec);
      else await this.createConsumer(receiver, key, spec);
    }
  }

  /**
   * Tells each booth whose layers changed up to which of its camera's simulcast layers to send in
   * full: what no consumer uses costs the branch's uplink for nothing. The booth idles the layers
   * above up to the uplink cap (see IDLE_LAYER in the client's media session), so an enlarged
   * tile gets its full layer at once; the consumer asks for a key frame as it switches layer.
   */
  private tellSendLayers(booths: readonly Participant[], layers: ReadonlyMap<string, number | null>): void {
    for (const booth of booths) {
      if (booth.isClosed || !layers.has(booth.id)) continue;
      const maxSpatialLayer = layers.get(booth.id)!;
      if (this.sentLayers.get(booth) === maxSpatialLayer) continue;
      this.sentLayers.set(booth, maxSpatialLayer);
      booth.notify('media:sendLayers', { maxSpatialLayer, capSpatialLayer: this.maxBoothLayer });
    }
  }

  private async createConsumer(receiver: Participant, key: string, spec: ConsumerSpec): Promise<void> {
    const transport = receiver.recvTransport;
    const rtpCapabilities = receiver.rtpCapabilities;
    if (!transport || !rtpCapabilities) return;
    if (!this.router.canConsume({ producerId: spec.producerId, rtpCapabilities })) {
      receiver.logger.warn({ producerId: spec.producerId, kind: spec.kind }, 'client cannot receive this codec');
      return;
    }
    // Created paused: it is resumed only after the client has attached it, so no keyframe is lost.
    const consumer = await transport.consume({
      producerId: spec.producerId,
      rtpCapabilities,
      paused: true,
      ...(spec.spatialLayer !== null && { preferredLayers: { spatialLayer: spec.spatialLayer } }),
      appData: { ...receiver.appData, sourceRole: spec.source.role, sourceId: spec.source.id },
    });
    // Its receiver left, or replaced its receive transport meanwhile (whose closing could not close
    // a consumer it did not have yet): the application that change queued makes it anew.
    if (receiver.isClosed || consumer.closed || transport.closed) {
      consumer.close();
      return;
    }
    receiver.consumers.set(key, consumer);
    if (spec.priority !== consumer.priority) await consumer.setPriority(spec.priority);
    consumer.on('producerclose', () => {
      if (receiver.consumers.get(key) === consumer) this.closeConsumer(receiver, key, consumer);
    });
    receiver.notify('consumer:created', {
      consumerId: consumer.id,
      producerId: spec.producerId,
      kind: spec.kind,
      rtpParameters: consumer.rtpParameters,
      source: spec.source,
    });
  }

  private async applyPauseAndQuality(receiver: Participant, consumer: ms.Consumer, spec: ConsumerSpec): Promise<void> {
    if (consumer.closed) return;
    if (spec.priority !== consumer.priority) await consumer.setPriority(spec.priority);
    // Only simulcast consumers have layers; a booth whose browser sent one layer just has that one.
    if (spec.spatialLayer !== null && consumer.type === 'simulcast' && consumer.preferredLayers?.spatialLayer !== spec.spatialLayer) {
      await consumer.setPreferredLayers({ spatialLayer: spec.spatialLayer });
    }
    // A consumer the client has not attached yet stays paused whatever the policy says.
    const effectivePaused = spec.paused || !receiver.readyConsumerIds.has(consumer.id);
    if (effectivePaused === consumer.paused) return;
    if (effectivePaused) await consumer.pause();
    else await consumer.resume();
    receiver.notify('consumer:changed', { consumerId: consumer.id, paused: effectivePaused });
  }

  private closeConsumer(receiver: Participant, key: string, consumer: ms.Consumer): void {
    receiver.consumers.delete(key);
    receiver.readyConsumerIds.delete(consumer.id);
    consumer.close();
    receiver.notify('consumer:closed', { consumerId: consumer.id });
  }

  private watchVoiceActivity(): void {
    const { voiceActivity } = this.media;
    // The observer only measures levels inside the worker: booth audio is not forwarded for it.
    voiceActivity.on('volumes', (volumes) => this.updateSpeaking(volumes.map(({ producer }) => producer)));
    voiceActivity.on('silence', () => this.updateSpeaking([]));
  }

  private updateSpeaking(producers: ms.Producer[]): void {
    const speaking = new Set(producers.map((producer) => (producer.appData as { ownerId: string }).ownerId));
    if (this.roster.setSpeaking(speaking)) this.publishState();
  }

  /** Keeps the seats, talk, calls and "cannot hear" flags for a desk opened again (see deskSeats.ts). */
  private storeSeats(): void {
    this.seats.save(this.roster.snapshot());
  }

  /**
   * Tells the officer the desk's state (with the booths a supervisor barged in on, never those
   * only monitored), each booth its own view of it, and each monitoring supervisor the visit they watch.
   */
  private publishState(): void {
    if (this.isClosed) return;
    const participants = [...this.participants.values()];
    const bargedBoothIds = [...new Set(participants.flatMap(({ watch }) => (watch?.barging ? [watch.boothId] : [])))];
    for (const participant of participants) {
      if (participant.role === 'officer') participant.notify('desk:changed', { ...this.roster.deskState(), bargedBoothIds });
      else if (participant.watch) participant.notify('monitor:changed', this.monitorState(participant.watch));
      else participant.notify('booth:changed', this.roster.boothState(participant.id));
    }
  }

  /** What a monitoring supervisor's page shows of the visit it watches. */
  private monitorState({ boothId, visitId, barging }: NonNullable<Participant['watch']>): MonitorState {
    const boothPresent = this.roster.isLinked(boothId);
    const officerPresent = this.participants.has(`officer:${this.officerId}`);
    return {
      boothId,
      visitId,
      officerId: this.officerId,
      boothPresent,
      officerPresent,
      officerTalking: officerPresent && this.roster.talkingToBoothId === boothId,
      barging,
    };
  }

  /** Tells the other side of the desk that someone came or went; a monitoring supervisor is neither told nor announced. */
  private announcePresence(changed: Participant, present: boolean): void {
    if (changed.role === 'monitor') return;
    for (const other of this.participants.values()) {
      if (other === changed || other.role === changed.role || other.role === 'monitor') continue;
      other.notify('peer:changed', { role: changed.role, id: changed.id, present });
      if (present) changed.notify('peer:changed', { role: other.role, id: other.id, present: true });
    }
  }
}
