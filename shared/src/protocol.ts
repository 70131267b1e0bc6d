/**
 * The socket.io wire contract between the server and the browser clients.
 *
 * Each namespace has one command table: for every event the zod schema of its payload and the
 * type of its reply. The clients' event maps are derived from the tables and the server's handlers
 * are registered from them, so the schema the server validates, the payload a client sends and
 * the reply each side expects cannot drift apart. Commands are `noun:verb` with an
 * acknowledgement; broadcasts are `noun:verbed`.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors.js';

import { PROTOCOL_VERSION } from './constants.js';
import {
  BREAK_REASONS,
  MAX_TRANSFER_NOTE_LENGTH,
  SERVICES,
  TICKET_PATTERN,
  type JourneyState,
  type TransferResult,
  type TransferTargetsView,
  type WorkRecall,
  type WorkView,
} from './journey.js';
import { DECISIONS, DOCUMENT_KINDS, MAX_NOTE_LENGTH, NO_OUTCOME_REASONS, type OutcomeAccepted } from './outcome.js';
import { LIVENESS_VERDICTS, type LivenessChallenge } from './liveness.js';
import { DEVICE_KINDS, MAX_CHECK_DETAIL_LENGTH, NETWORK_PATHS, type DeviceFault, type LinkQuality, type SelfTestReport } from './fleet.js';

export { MAX_DESK_CAPACITY, MAX_MESSAGE_BYTES, MIN_DESK_CAPACITY, NAMESPACES, PROTOCOL_VERSION } from './constants.js';

const id = z.string().min(1).max(64);

/**
 * Handshake `auth` of every socket. A booth kiosk adds its device credential; an officer console
 * adds nothing, because its session cookie travels with the handshake request.
 */
export const handshakeSchema = z.strictObject({
  protocolVersion: z.literal(PROTOCOL_VERSION),
  credential: z.string().min(1).max(128).optional(),
  /** On /monitor only: the booth whose visit the supervisor monitors. */
  boothId: id.optional(),
  /**
   * On /monitor only, once known (from monitor:changed): the visit monitored. A reconnect naming
   * it is refused (INVALID_STATE) when the booth has moved on to another claimant's visit.
   */
  visitId: id.optional(),
  /**
   * An officer console opened by a person: an officer coming on duty starts not ready (paused)
   * until they press "Siap". Scripted clients leave it out and start available.
   */
  startNotReady: z.literal(true).optional(),
  // Added by socket.io's client when it tries to recover a dropped connection's state.
  pid: z.string().max(64).optional(),
  offset: z.string().max(64).optional(),
});
export type Handshake = z.infer<typeof handshakeSchema>;

// mediasoup's own objects are validated here for shape and size only; mediasoup checks their
// meaning when they are used, and its errors are reported as BAD_REQUEST.
const jsonObject = z.record(z.string().max(64), z.unknown());

const rtpCodecCapabilitySchema = z.looseObject({
  kind: z.enum(['audio', 'video']),
  mimeType: z.string().max(64),
  clockRate: z.number().int().positive(),
  preferredPayloadType: z.number().int().min(0).max(127).optional(),
  channels: z.number().int().positive().max(8).optional(),
  parameters: jsonObject.optional(),
  rtcpFeedback: z.array(jsonObject).max(32).optional(),
});

/** What the browser's device can receive, sent once on joining. */
export const rtpCapabilitiesSchema = z.looseObject({
  codecs: z.array(rtpCodecCapabilitySchema).max(64).optional(),
  headerExtensions: z.array(jsonObject).max(64).optional(),
});

const dtlsParametersSchema = z.strictObject({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(z.strictObject({ algorithm: z.string().max(32), value: z.string().max(256) }))
    .min(1)
    .max(8),
});

const rtpParametersSchema = z.looseObject({
  mid: z.string().max(32).optional(),
  codecs: z.array(jsonObject).min(1).max(16),
  headerExtensions: z.array(jsonObject).max(32).optional(),
  encodings: z.array(jsonObject).max(8).optional(),
  rtcp: jsonObject.optional(),
});

export const transportDirectionSchema = z.enum(['send', 'recv']);
export type TransportDirection = z.infer<typeof transportDirectionSchema>;

export const mediaKindSchema = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof mediaKindSchema>;

/**
 * One command: the schema its payload must pass, and the type of its answer. The answer exists in
 * the type only, so at run time a table of commands is a table of schemas.
 */
export interface Command<Schema extends z.ZodType, Reply> {
  readonly schema: Schema;
  /** Never set: it carries the reply's type to the server's handler and the client's `request`. */
  readonly reply?: Reply;
}

/** Declares a command by its payload schema; `.replies<Reply>()` names what it answers. */
export function command<Schema extends z.ZodType>(schema: Schema): { replies<Reply>(): Command<Schema, Reply> } {
  return { replies: () => ({ schema }) };
}

/** The commands of one namespace, keyed by event name. */
export type CommandTable = Readonly<Record<string, Command<z.ZodType, unknown>>>;
/** A command's payload as its handler receives it, once validated. */
export type CommandPayload<C extends Command<z.ZodType, unknown>> = z.output<C['schema']>;
/** A command's payload as a client sends it. */
export type CommandRequest<C extends Command<z.ZodType, unknown>> = z.input<C['schema']>;
/** What a command answers when it succeeds. */
export type CommandReply<C extends Command<z.ZodType, unknown>> = C extends Command<z.ZodType, infer Reply> ? Reply : never;

/** The media commands; booth and officer both send them, each on its own namespace. */
export const mediaCommands = {
  /** The desk router's capabilities, for the client's mediasoup-client device. */
  'capabilities:get': command(z.strictObject({})).replies<CapabilitiesData>(),
  /** What the client's device can receive, sent once on joining; the server makes its consumers from then on. */
  'session:join': command(z.strictObject({ rtpCapabilities: rtpCapabilitiesSchema })).replies<null>(),
  /** Opens the client's sending or receiving WebRTC transport on the desk's router. */
  'transport:create': command(z.strictObject({ direction: transportDirectionSchema })).replies<TransportCreatedData>(),
  /** Completes one of the client's transports with its DTLS parameters. */
  'transport:connect': command(z.strictObject({ transportId: id, dtlsParameters: dtlsParametersSchema })).replies<null>(),
  /** Gives one of the client's transports fresh ICE credentials after its path was lost; the client restarts ICE with them. */
  'transport:restartIce': command(z.strictObject({ transportId: id })).replies<IceRestartedData>(),
  /** Sends the client's camera or microphone on its sending transport; one producer per kind. */
  'producer:create': command(
    z.strictObject({
      transportId: id,
      kind: mediaKindSchema,
      rtpParameters: rtpParametersSchema,
    }),
  ).replies<ProducerCreatedData>(),
  /** The client attached a consumer of `consumer:created`; the server may now let it flow. */
  'consumer:ready': command(z.strictObject({ consumerId: id })).replies<null>(),
  /**
   * One of the client's video consumers stopped decoding while its packets arrive (see the
   * client's StallWatch): the server asks its sender for a key frame, at most once a second.
   */
  'consumer:keyFrame': command(z.strictObject({ consumerId: id })).replies<null>(),
  /**
   * The client's media path went down and it is recovering it (true), or it is back (false): a
   * booth's shows on the officer's tile, the officer's on every booth of the desk.
   */
  'recovery:report': command(z.strictObject({ recovering: z.boolean() })).replies<null>(),
} satisfies CommandTable;

/** A set of document kinds (present, or missing). */
export const documentKindsSchema = z.array(z.enum(DOCUMENT_KINDS)).max(DOCUMENT_KINDS.length);

/** The officer's checklist (Checklist in outcome.ts), as submitted and as queued for recording. */
export const checklistSchema = z.strictObject({
  faceMatchesId: z.boolean(),
  idNumberConfirmed: z.boolean(),
  documentsPresent: documentKindsSchema,
  bankAccountConfirmed: z.boolean(),
});

/** The commands of /officer: the media commands and those only an officer console sends. */
export const officerCommands = {
  ...mediaCommands,
  /** Talk privately to one booth of the desk (null: to none). */
  'talk:select': command(z.strictObject({ boothId: id.nullable() })).replies<null>(),
  /** Clear a booth's "Saya tidak bisa mendengar" flag without talking to it (talking to it clears it too). */
  'hearing:dismiss': command(z.strictObject({ boothId: id })).replies<null>(),
  /** Enlarge one booth's tile to read a document (null: back to the grid). */
  'tile:focus': command(z.strictObject({ boothId: id.nullable() })).replies<null>(),
  /** Take new booths again, or pause for a break (current sessions go on). Ends wrap-up. */
  'work:set': command(
    z.discriminatedUnion('state', [
      z.strictObject({ state: z.literal('available') }),
      /** A break, for a reason (a rest when none is given). */
      z.strictObject({ state: z.literal('paused'), reason: z.enum(BREAK_REASONS).optional() }),
    ]),
  ).replies<WorkView>(),
  /**
   * End the session of one of the officer's booths; the booth thanks the claimant and frees its slot.
   * The visit needs a decision first: an outcome submitted (`noOutcomeReason` null), or a reason it
   * ends without one, recorded as "ended without decision". Otherwise refused with OUTCOME_REQUIRED.
   */
  'session:end': command(z.strictObject({ boothId: id, noOutcomeReason: z.enum(NO_OUTCOME_REASONS).nullable() })).replies<null>(),
  /**
   * Ask one of the officer's booths to photograph a document at its camera's full resolution.
   * Answered with the request's id; the photo arrives later as `document:captured`.
   */
  'document:request': command(z.strictObject({ boothId: id })).replies<{ requestId: string }>(),
  /** Record the officer's decision on a booth's visit; acknowledged once it is queued durably. */
  'outcome:submit': command(outcomeSubmissionSchema()).replies<OutcomeAccepted>(),
  /**
   * File a visit the officer ended under one of its branch's live wrap-up codes (once per visit;
   * the wrap-up timer files the branch's default for a visit left without).
   */
  'wrapup:file': command(z.strictObject({ visitId: id, codeId: z.uuid() })).replies<null>(),
  /**
   * Set one of the officer's booths in session a random liveness challenge (four digits to read
   * aloud, or a gesture), made by the server and kept with the visit's outcome; the booth shows
   * it large until `liveness:judge` or `liveness:clear`. Answered with the challenge, so the officer
   * knows what to expect.
   */
  'liveness:challenge': command(z.strictObject({ boothId: id })).replies<LivenessChallenge>(),
  /**
   * Record the officer's verdict on the challenge the booth is showing (refused when `challengeId`
   * is no longer the one showing) and take it off the booth's screen; the outcome records it.
   */
  'liveness:judge': command(z.strictObject({ boothId: id, challengeId: z.uuid(), verdict: z.enum(LIVENESS_VERDICTS) })).replies<null>(),
  /** Take the liveness challenge off the booth's screen without a verdict (it stays recorded with the visit, unjudged). */
  'liveness:clear': command(z.strictObject({ boothId: id })).replies<null>(),
  /** Whom one of the officer's booths in session may be handed to: the branch's signed-in officers and supervisors serving a desk, and its queue. */
  'transfer:targets': command(z.strictObject({ boothId: id })).replies<TransferTargetsView>(),
  /**
   * Hand the claimant at one of the officer's booths to another officer of the branch, or back to
   * the front of its queue, with a note: the visit keeps its id and booth, the kiosk its call, and
   * the claimant goes first to the receiving officer (waiting for their next free seat if needed).
   */
  'visit:transfer': command(
    z.strictObject({
      boothId: id,
      target: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('officer'), officerId: id }),
        z.strictObject({ kind: z.literal('queue') }),
      ]),
      note: z.string().trim().min(1).max(MAX_TRANSFER_NOTE_LENGTH),
    }),
  ).replies<TransferResult>(),
} satisfies CommandTable;

/** The schema of `outcome:submit`; see OutcomeSubmission in outcome.ts for the meaning of each field. */
function outcomeSubmissionSchema() {
  const text = z.string().trim().min(1).max(MAX_NOTE_LENGTH);
  return z
    .strictObject({
      boothId: id,
      visitId: id,
      submissionId: z.uuid(),
      decision: z.enum(DECISIONS),
      checklist: checklistSchema,
      missingDocuments: documentKindsSchema,
      reason: text.nullable(),
      notes: text.nullable(),
      documentIds: z.array(id).max(20),
    })
    .refine((submission) => submission.decision !== 'incomplete' || submission.missingDocuments.length > 0, {
      message: 'an incomplete outcome names at least one missing document',
      path: ['missingDocuments'],
    })
    .refine((submission) => !['rejected', 'escalated'].includes(submission.decision) || submission.reason !== null, {
      message: 'a rejected or escalated outcome needs a reason',
      path: ['reason'],
    });
}

/** The commands of /monitor, a supervisor monitoring one visit: the media commands and the barge-in. */
export const monitorCommands = {
  ...mediaCommands,
  /** Barge in on the monitored visit (the booth hears the supervisor, the officer is told), or listen silently again. */
  'monitor:barge': command(z.strictObject({ barging: z.boolean() })).replies<null>(),
} satisfies CommandTable;

/**
 * Why a kiosk could not deliver a requested photo: its camera failed, it was still taking the
 * previous one, or the upload failed or was refused.
 */
export const DOCUMENT_FAILURES = ['camera', 'busy', 'upload'] as const;
export type DocumentFailure = (typeof DOCUMENT_FAILURES)[number];

/** The commands of /booth, a kiosk's desk link: the media commands and the booth's own. */
export const boothCommands = {
  ...mediaCommands,
  /** The claimant pressed "Panggil Petugas"; answered with the booth's place in the order of calls, 1 being the oldest. */
  'attention:call': command(z.strictObject({})).replies<{ place: number }>(),
  /**
   * The claimant pressed "Saya tidak bisa mendengar": the officer's tile shows it until the officer
   * talks to this booth or dismisses it. Pressing again while it shows changes nothing.
   */
  'hearing:report': command(z.strictObject({})).replies<null>(),
  /** The kiosk could not take or upload the photo of `document:requested`; the officer is told why. */
  'document:failed': command(z.strictObject({ requestId: z.uuid(), reason: z.enum(DOCUMENT_FAILURES) })).replies<null>(),
} satisfies CommandTable;

/**
 * The commands of /journey: the claimant's visit, the kiosk's health, and its self-test probe. The
 * probe is a short-lived WebRTC transport on the SFU that proves it is reachable (ICE and DTLS
 * connect) and gives the round-trip time; one per socket at a time, closed by the server on
 * `selftest:probe:close`, on disconnect, or after a few seconds.
 */
export const journeyCommands = {
  /** The claimant chose a service (and maybe typed a queue ticket): join the branch's queue. */
  'journey:start': command(
    z.strictObject({
      service: z.enum(SERVICES),
      ticket: z.string().regex(TICKET_PATTERN).nullable(),
      /** Elderly, disabled or pregnant: served ahead of the others. */
      priority: z.boolean(),
    }),
  ).replies<JourneyState>(),
  /** The claimant left the queue before being served. */
  'journey:cancel': command(z.strictObject({})).replies<JourneyState>(),
  /** The claimant pressed "Bantuan" outside the call: branch staff see the booth on the supervisor page until they clear it. */
  'help:request': command(z.strictObject({})).replies<null>(),
  /**
   * The kiosk is alive (on connecting, then every HEARTBEAT_INTERVAL_SECONDS, and at once when a
   * device fails or works again), with its version, in session its link quality, and its device fault.
   */
  'booth:heartbeat': command(
    z.strictObject({
      appVersion: z.string().min(1).max(32),
      linkQuality: linkQualitySchema().nullable(),
      deviceFault: deviceFaultSchema().nullable(),
    }),
  ).replies<null>(),
  /** The kiosk's self-test results, after each self-test. */
  'selftest:report': command(selfTestReportSchema()).replies<null>(),
  /** Opens this socket's probe transport; answered with its parameters and the probe router's capabilities. */
  'selftest:probe:open': command(z.strictObject({})).replies<ProbeOpenedData>(),
  /** Completes the probe transport's DTLS parameters, so the kiosk's connection can complete. */
  'selftest:probe:connect': command(z.strictObject({ dtlsParameters: dtlsParametersSchema })).replies<null>(),
  /** Closes this socket's probe transport; nothing open is no error. */
  'selftest:probe:close': command(z.strictObject({})).replies<null>(),
} satisfies CommandTable;

/** A link quality as the kiosk measures it; the bounds only keep nonsense out. */
function linkQualitySchema() {
  const measure = (max: number) => z.number().min(0).max(max).nullable();
  return z.strictObject({
    rttMs: measure(60_000),
    packetLossPercent: measure(100),
    outgoingKbps: measure(1_000_000),
    incomingKbps: measure(1_000_000),
  }) satisfies z.ZodType<LinkQuality>;
}

/** A device the kiosk could not open again: which one, and a short technical detail. */
function deviceFaultSchema() {
  return z.strictObject({
    kind: z.enum(DEVICE_KINDS),
    detail: z.string().max(MAX_CHECK_DETAIL_LENGTH),
  }) satisfies z.ZodType<DeviceFault>;
}

/** A self-test report: one result per check, short technical details only. */
function selfTestReportSchema() {
  const check = z.strictObject({ ok: z.boolean(), detail: z.string().max(MAX_CHECK_DETAIL_LENGTH).nullable() });
  return z.strictObject({
    camera: check,
    microphone: check,
    speaker: check,
    network: check.extend({ rttMs: z.number().min(0).max(60_000).nullable(), path: z.enum(NETWORK_PATHS).nullable() }),
  }) satisfies z.ZodType<SelfTestReport>;
}

/** mediasoup parameters the server sends; passed to mediasoup-client unchanged. */
export type MediasoupJson = Record<string, unknown>;

/** A mediasoup parameter object as MediasoupJson: it is plain data, but mediasoup's interfaces have no index signature to say so. */
export function toJson(parameters: object): MediasoupJson {
  return parameters as MediasoupJson;
}

export interface CapabilitiesData {
  /** The desk's router capabilities, for mediasoup-client's `Device.load()`. */
  routerRtpCapabilities: MediasoupJson;
}

/** A TURN or STUN server as RTCPeerConnection takes it; TURN ones carry time-limited credentials. */
export interface IceServerData {
  urls: string[];
  username?: string;
  credential?: string;
}

/** 'relay': media only through TURN, where a site's firewall allows nothing else. */
export type IceTransportPolicy = 'all' | 'relay';

/** A transport's side for the client; mediasoup-client's `createSendTransport` / `createRecvTransport` take it as it is. */
export interface TransportCreatedData {
  id: string;
  iceParameters: MediasoupJson;
  iceCandidates: MediasoupJson[];
  dtlsParameters: MediasoupJson;
  /** TURN servers to relay through when no direct path works; empty when none is configured. */
  iceServers: IceServerData[];
  iceTransportPolicy: IceTransportPolicy;
}

export interface IceRestartedData {
  /** The transport's new ICE parameters, for mediasoup-client's `transport.restartIce()`. */
  iceParameters: MediasoupJson;
  /** Fresh TURN credentials, for `transport.updateIceServers()`: the first ones may have expired. */
  iceServers: IceServerData[];
}

export interface ProducerCreatedData {
  producerId: string;
}

/** The answer to every command. Only known error codes ever reach a client. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorCode; message: string };
export type AckCallback<T> = (ack: Ack<T>) => void;

/** A probe transport, and what the kiosk's mediasoup-client device loads to use it. */
export interface ProbeOpenedData {
  routerRtpCapabilities: MediasoupJson;
  transport: TransportCreatedData;
}

/** socket.io's event map of a namespace's commands, as its clients send them. */
export type CommandEvents<Table extends CommandTable> = {
  [E in keyof Table]: (payload: CommandRequest<Table[E]>, ack: AckCallback<CommandReply<Table[E]>>) => void;
};

/** What a client of /booth sends. */
export type BoothClientToServerEvents = CommandEvents<typeof boothCommands>;
/** What a client of /journey sends. */
export type JourneyClientToServerEvents = CommandEvents<typeof journeyCommands>;
/** What a client of /officer sends. */
export type OfficerClientToServerEvents = CommandEvents<typeof officerCommands>;
/** What a client of /monitor sends. */
export type MonitorClientToServerEvents = CommandEvents<typeof monitorCommands>;
/** The media commands, which a client of /booth, /officer or /monitor sends. */
export type MediaClientToServerEvents = CommandEvents<typeof mediaCommands>;

/** One booth as its officer's console shows it. Durations are as of sending. */
export interface DeskBoothView {
  boothId: string;
  /** 1 to the desk's capacity: the tile's place and talk key, kept while the session lasts (reloads and restarts too). */
  seat: number;
  /** Place in the order of "Panggil Petugas" calls, or null when the booth is not calling. */
  attentionPlace: number | null;
  /** The claimant pressed "Saya tidak bisa mendengar" and the officer has not talked to them or dismissed it since. */
  cannotHear: boolean;
  /** The server's audio-level observer hears the claimant speaking. */
  speaking: boolean;
  /** The booth's media link is not at the desk, or its kiosk reports its media path down: it is coming back by itself. */
  reconnecting: boolean;
  /** How long the claimant has waited since the officer last talked to them (or since seated); null while talked to. */
  waitingMs: number | null;
}

/** The officer's desk as the console shows it. */
export interface DeskState {
  capacity: number;
  booths: DeskBoothView[];
  talkingToBoothId: string | null;
  focusedBoothId: string | null;
  /** Booths a supervisor has barged in on: they hear the supervisor. A supervisor only monitoring is never shown. */
  bargedBoothIds: string[];
}

/** The visit a supervisor monitors, as the supervisor page shows it. */
export interface MonitorState {
  boothId: string;
  /** The visit monitored: a reconnect names it, so it never attaches to the booth's next visit. */
  visitId: string;
  officerId: string;
  /** The booth's media link is at the desk (it may be reconnecting). */
  boothPresent: boolean;
  officerPresent: boolean;
  /** The officer talks to this booth: the supervisor hears the officer too. */
  officerTalking: boolean;
  /** The supervisor barged in: the booth hears them. */
  barging: boolean;
}

/** What a booth needs to know of its desk, and nothing of other booths. Durations are as of sending. */
export interface BoothState {
  officerPresent: boolean;
  /** The officer is at the desk but their media path is down and being recovered: their picture may freeze meanwhile. */
  officerReconnecting: boolean;
  /** The officer is talking to this booth. */
  talking: boolean;
  /** How long this booth has been on hold (the officer is serving someone else), or null. */
  heldForMs: number | null;
  attentionPlace: number | null;
  /**
   * The display name of the officer's account ("Anda dilayani oleh: ..."), while the officer is at
   * the desk; null otherwise. Nothing else of the officer ever reaches a booth.
   */
  officerName: string | null;
  /** This booth's "Saya tidak bisa mendengar" is showing on the officer's tile. */
  cannotHear: boolean;
}

/** A consumer the server made for this client; the client consumes it and answers `consumer:ready`. */
export interface ConsumerCreatedPayload {
  consumerId: string;
  producerId: string;
  kind: MediaKind;
  rtpParameters: MediasoupJson;
  /** Who sends this media, so the view can place it; 'monitor' is a supervisor who barged in. */
  source: { role: 'booth' | 'officer' | 'monitor'; id: string };
}

/** A document photo a booth uploaded, or why it could not. */
export type DocumentCapturedPayload =
  | { boothId: string; requestId: string; ok: true; documentId: string; width: number; height: number; bytes: number }
  | { boothId: string; requestId: string; ok: false; message: string };

export interface ServerToClientEvents {
  /** A consumer was created for this client by the server's media policy. It starts paused; `consumer:changed` says when it flows. */
  'consumer:created': (payload: ConsumerCreatedPayload) => void;
  /** A consumer of this client was closed (its producer or its peer left). */
  'consumer:closed': (payload: { consumerId: string }) => void;
  /** The server paused or resumed a consumer of this client. */
  'consumer:changed': (payload: { consumerId: string; paused: boolean }) => void;
  /** Who is on the other end came or went; the view uses it for its status line. */
  'peer:changed': (payload: { role: 'booth' | 'officer'; id: string; present: boolean }) => void;
  /** Officer consoles only: the desk changed (booths, talk, focus, calls, voice activity). */
  'desk:changed': (state: DeskState) => void;
  /** Monitoring supervisors only: the monitored visit changed (talk, presence, barge-in). */
  'monitor:changed': (state: MonitorState) => void;
  /** Monitoring supervisors only: the visit is over (ended, or the booth went back to the queue); the monitor is closed. */
  'monitor:ended': (payload: { boothId: string }) => void;
  /** Booths only: this booth's view of its desk changed. */
  'booth:changed': (state: BoothState) => void;
  /**
   * Booths only: send the camera's simulcast layers up to `maxSpatialLayer` (0 quarter, 1 half,
   * 2 full resolution) in full, idle those above it up to `capSpatialLayer` (the highest the
   * uplink cap allows) and turn off the rest; null: send no video, nobody watches it.
   */
  'media:sendLayers': (payload: { maxSpatialLayer: number | null; capSpatialLayer: number }) => void;
  /** Booths only, on /journey: the visit moved on (queue place, assigned, ended). */
  'journey:changed': (state: JourneyState) => void;
  /** Officer consoles only: the officer's work state, capacity or sessions changed. */
  'work:changed': (view: WorkView) => void;
  /** Officer consoles only: a supervisor asks the officer to come back from their break. */
  'work:recalled': (recall: WorkRecall) => void;
  /** Booths only, on /booth: the officer asks for a full-resolution photo, to upload with this request id. */
  'document:requested': (payload: { requestId: string }) => void;
  /** Booths only, on /booth: the officer set the claimant this liveness challenge; shown large until cleared. */
  'liveness:challenged': (challenge: LivenessChallenge) => void;
  /** Booths only, on /booth: the officer is done with the liveness challenge; the booth stops showing it. */
  'liveness:cleared': (payload: Record<string, never>) => void;
  /**
   * Officer consoles only, on joining the desk: a booth in session there shows this challenge,
   * set before the console (re)opened, so the officer can judge it.
   */
  'liveness:showing': (payload: { boothId: string; challenge: LivenessChallenge }) => void;
  /** Officer consoles only: a booth uploaded the photo the officer asked for (or could not take it). */
  'document:captured': (payload: DocumentCapturedPayload) => void;
  /** Booths only, on /journey: branch IT asks the kiosk to run its self-test now. */
  'selftest:run': (payload: Record<string, never>) => void;
  /** Booths only, on /journey: branch IT asks the kiosk to reload its page (once no claimant is in session). */
  'booth:reload': (payload: Record<string, never>) => void;
  /** Booths only, on /journey: whether the booth is out of service; sent on connecting and at every change. */
  'booth:service': (payload: { outOfService: boolean }) => void;
  /**
   * Booths only, on /journey: the booth's new device credential. The kiosk acknowledges once it has
   * stored it; only then does the server stop accepting the old one.
   */
  'credential:rotate': (payload: { credential: string }, ack: (answer: { stored: boolean }) => void) => void;
  /**
   * The desk's media moved (its mediasoup worker died and the desk re-opened on another): the
   * client's transports, producers and consumers are gone; it rebuilds its media session on the
   * same connection, keeping its seat, talk and focus.
   */
  'session:rebuild': (payload: Record<string, never>) => void;
  /**
   * Booths only, on /booth: the visit was handed to another desk; the server closes this link
   * next, and the kiosk connects again at once (seated at the new desk, or refused until it has a
   * seat) while it tells the claimant they are being moved.
   */
  'seat:moved': (payload: Record<string, never>) => void;
  /**
   * With several server nodes: the desk is to be held by another node (the one holding it died,
   * or lost its lease). The client acknowledges; the server then closes this link, and the client
   * connects again at once and is seated wherever the desk is then, in the same seat.
   */
  'desk:moved': (payload: Record<string, never>, ack: () => void) => void;
  /** A message the server could not answer through an acknowledgement. */
  'protocol:error': (payload: { event: string; error: ErrorCode; message: string }) => void;
}
