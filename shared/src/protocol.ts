/**
 * The socket.io wire contract between the server and the browser clients.
 *
 * Every inbound payload has a zod schema; its TypeScript type is derived with `z.infer`, so the
 * schema the server validates and the type the client compiles against cannot drift apart.
 * Commands are `noun:verb` with an acknowledgement; broadcasts are `noun:verbed`.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors.js';

import { PROTOCOL_VERSION } from './constants.js';
import { SERVICES, TICKET_PATTERN, type JourneyState, type WorkView } from './journey.js';
import { DECISIONS, DOCUMENT_KINDS, MAX_NOTE_LENGTH, type OutcomeAccepted } from './outcome.js';
import { MAX_CHECK_DETAIL_LENGTH, type LinkQuality, type SelfTestReport } from './fleet.js';

export { MAX_DESK_CAPACITY, MAX_MESSAGE_BYTES, MIN_DESK_CAPACITY, NAMESPACES, PROTOCOL_VERSION } from './constants.js';

const id = z.string().min(1).max(64);

/**
 * Handshake `auth` of every socket. A booth kiosk adds its device credential; an officer console
 * adds nothing, because its session cookie travels with the handshake request.
 */
export const handshakeSchema = z.strictObject({
  protocolVersion: z.literal(PROTOCOL_VERSION),
  credential: z.string().min(1).max(128).optional(),
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

/** Inbound payload schemas, keyed by event name. */
export const mediaRequestSchemas = {
  'capabilities:get': z.strictObject({}),
  'session:join': z.strictObject({ rtpCapabilities: rtpCapabilitiesSchema }),
  'transport:create': z.strictObject({ direction: transportDirectionSchema }),
  'transport:connect': z.strictObject({ transportId: id, dtlsParameters: dtlsParametersSchema }),
  'producer:create': z.strictObject({
    transportId: id,
    kind: mediaKindSchema,
    rtpParameters: rtpParametersSchema,
  }),
  'consumer:ready': z.strictObject({ consumerId: id }),
} as const;

/** A set of document kinds (present, or missing). */
export const documentKindsSchema = z.array(z.enum(DOCUMENT_KINDS)).max(DOCUMENT_KINDS.length);

/** The officer's checklist (Checklist in outcome.ts), as submitted and as queued for recording. */
export const checklistSchema = z.strictObject({
  faceMatchesId: z.boolean(),
  idNumberConfirmed: z.boolean(),
  documentsPresent: documentKindsSchema,
  bankAccountConfirmed: z.boolean(),
});

/** Commands only an officer console sends. */
export const officerRequestSchemas = {
  /** Talk privately to one booth of the desk (null: to none). */
  'talk:select': z.strictObject({ boothId: id.nullable() }),
  /** Enlarge one booth's tile to read a document (null: back to the grid). */
  'tile:focus': z.strictObject({ boothId: id.nullable() }),
  /** Take new booths again, or pause for a break (current sessions go on). Ends wrap-up. */
  'work:set': z.strictObject({ state: z.enum(['available', 'paused']) }),
  /** End the session of one of the officer's booths; the booth thanks the claimant and frees its slot. */
  'session:end': z.strictObject({ boothId: id }),
  /** Ask one of the officer's booths to photograph a document at its camera's full resolution. */
  'document:request': z.strictObject({ boothId: id }),
  /** Record the officer's decision on a booth's visit; acknowledged once it is queued durably. */
  'outcome:submit': outcomeSubmissionSchema(),
} as const;

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

/**
 * Why a kiosk could not deliver a requested photo: its camera failed, it was still taking the
 * previous one, or the upload failed or was refused.
 */
export const DOCUMENT_FAILURES = ['camera', 'busy', 'upload'] as const;
export type DocumentFailure = (typeof DOCUMENT_FAILURES)[number];

/** Commands only a booth kiosk sends on its desk link. */
export const boothRequestSchemas = {
  /** The claimant pressed "Panggil Petugas". */
  'attention:call': z.strictObject({}),
  /** The kiosk could not take or upload the photo of `document:requested`; the officer is told why. */
  'document:failed': z.strictObject({ requestId: z.uuid(), reason: z.enum(DOCUMENT_FAILURES) }),
} as const;

/** Commands a booth kiosk sends about the claimant's visit. */
export const journeyRequestSchemas = {
  /** The claimant chose a service (and maybe typed a queue ticket): join the branch's queue. */
  'journey:start': z.strictObject({
    service: z.enum(SERVICES),
    ticket: z.string().regex(TICKET_PATTERN).nullable(),
    /** Elderly, disabled or pregnant: served ahead of the others. */
    priority: z.boolean(),
  }),
  /** The claimant left the queue before being served. */
  'journey:cancel': z.strictObject({}),
  /** The kiosk is alive (on connecting, then every HEARTBEAT_INTERVAL_SECONDS), with its version and, in session, its link quality. */
  'booth:heartbeat': z.strictObject({ appVersion: z.string().min(1).max(32), linkQuality: linkQualitySchema().nullable() }),
  /** The kiosk's self-test results, after each self-test. */
  'selftest:report': selfTestReportSchema(),
} as const;

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

/** A self-test report: one result per check, short technical details only. */
function selfTestReportSchema() {
  const check = z.strictObject({ ok: z.boolean(), detail: z.string().max(MAX_CHECK_DETAIL_LENGTH).nullable() });
  return z.strictObject({
    camera: check,
    microphone: check,
    speaker: check,
    network: check.extend({ rttMs: z.number().min(0).max(60_000).nullable() }),
  }) satisfies z.ZodType<SelfTestReport>;
}

/**
 * The kiosk's self-test probe on /journey: a short-lived WebRTC transport on the SFU that proves
 * it is reachable (ICE and DTLS connect) and gives the round-trip time. One per socket at a time;
 * the server closes it on `selftest:probe:close`, on disconnect, or after a few seconds.
 */
export const selfTestProbeRequestSchemas = {
  /** Opens this socket's probe transport; answered with its parameters and the probe router's capabilities. */
  'selftest:probe:open': z.strictObject({}),
  /** Completes the probe transport's DTLS parameters, so the kiosk's connection can complete. */
  'selftest:probe:connect': z.strictObject({ dtlsParameters: dtlsParametersSchema }),
  /** Closes this socket's probe transport; nothing open is no error. */
  'selftest:probe:close': z.strictObject({}),
} as const;

/** mediasoup parameters the server sends; passed to mediasoup-client unchanged. */
export type MediasoupJson = Record<string, unknown>;

export interface CapabilitiesData {
  /** The desk's router capabilities, for mediasoup-client's `Device.load()`. */
  routerRtpCapabilities: MediasoupJson;
}

export interface TransportCreatedData {
  id: string;
  iceParameters: MediasoupJson;
  iceCandidates: MediasoupJson[];
  dtlsParameters: MediasoupJson;
}

export interface ProducerCreatedData {
  producerId: string;
}

/** The answer to every command. Only known error codes ever reach a client. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorCode; message: string };
export type AckCallback<T> = (ack: Ack<T>) => void;

/** Replies of the media commands, keyed by event name. */
export interface MediaReplies {
  'capabilities:get': CapabilitiesData;
  'session:join': null;
  'transport:create': TransportCreatedData;
  'transport:connect': null;
  'producer:create': ProducerCreatedData;
  'consumer:ready': null;
}

export interface OfficerReplies {
  'talk:select': null;
  'tile:focus': null;
  'work:set': WorkView;
  'session:end': null;
  /** The request's id; the photo arrives later as `document:captured`. */
  'document:request': { requestId: string };
  'outcome:submit': OutcomeAccepted;
}

/** A probe transport, and what the kiosk's mediasoup-client device loads to use it. */
export interface ProbeOpenedData {
  routerRtpCapabilities: MediasoupJson;
  transport: TransportCreatedData;
}

export interface SelfTestProbeReplies {
  'selftest:probe:open': ProbeOpenedData;
  'selftest:probe:connect': null;
  'selftest:probe:close': null;
}

export interface JourneyReplies {
  'journey:start': JourneyState;
  'journey:cancel': JourneyState;
  'booth:heartbeat': null;
  'selftest:report': null;
}

export interface BoothReplies {
  /** The booth's place in the order of calls, 1 being the oldest call. */
  'attention:call': { place: number };
  'document:failed': null;
}

type CommandMap<Schemas extends Record<string, z.ZodType>, Replies extends Record<keyof Schemas, unknown>> = {
  [E in keyof Schemas]: (payload: z.infer<Schemas[E]>, ack: AckCallback<Replies[E]>) => void;
};

/** The media commands; booth and officer both send them, each on its own namespace. */
export type MediaClientToServerEvents = CommandMap<typeof mediaRequestSchemas, MediaReplies>;
/**
 * Every command of either app, so both share one socket type. Each namespace registers only its
 * own: an officer command sent on /booth is answered UNKNOWN_EVENT, and the reverse.
 */
export type ClientToServerEvents = MediaClientToServerEvents &
  CommandMap<typeof officerRequestSchemas, OfficerReplies> &
  CommandMap<typeof boothRequestSchemas, BoothReplies> &
  CommandMap<typeof journeyRequestSchemas, JourneyReplies> &
  CommandMap<typeof selfTestProbeRequestSchemas, SelfTestProbeReplies>;

/** One booth as its officer's console shows it. Durations are as of sending. */
export interface DeskBoothView {
  boothId: string;
  inSessionMs: number;
  /** Place in the order of "Panggil Petugas" calls, or null when the booth is not calling. */
  attentionPlace: number | null;
  /** The server's audio-level observer hears the claimant speaking. */
  speaking: boolean;
}

/** The officer's desk as the console shows it. */
export interface DeskState {
  capacity: number;
  booths: DeskBoothView[];
  talkingToBoothId: string | null;
  focusedBoothId: string | null;
}

/** What a booth needs to know of its desk, and nothing of other booths. Durations are as of sending. */
export interface BoothState {
  officerPresent: boolean;
  /** The officer is talking to this booth. */
  talking: boolean;
  /** How long this booth has been on hold (the officer is serving someone else), or null. */
  heldForMs: number | null;
  attentionPlace: number | null;
}

/** A consumer the server made for this client; the client consumes it and answers `consumer:ready`. */
export interface ConsumerCreatedPayload {
  consumerId: string;
  producerId: string;
  kind: MediaKind;
  rtpParameters: MediasoupJson;
  /** Who sends this media, so the view can place it. */
  source: { role: 'booth' | 'officer'; id: string };
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
  /** Booths only: this booth's view of its desk changed. */
  'booth:changed': (state: BoothState) => void;
  /** Booths only, on /journey: the visit moved on (queue place, assigned, ended). */
  'journey:changed': (state: JourneyState) => void;
  /** Officer consoles only: the officer's work state, capacity or sessions changed. */
  'work:changed': (view: WorkView) => void;
  /** Booths only, on /booth: the officer asks for a full-resolution photo, to upload with this request id. */
  'document:requested': (payload: { requestId: string }) => void;
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
  /** A message the server could not answer through an acknowledgement. */
  'protocol:error': (payload: { event: string; error: ErrorCode; message: string }) => void;
}
