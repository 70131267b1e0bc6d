/**
 * RTP parameters a producer can be created with without a browser: mediasoup accepts the
 * producer and routes whatever RTP arrives (none does in these tests), which is all the
 * consumer bookkeeping needs.
 */
import type { MediaClientToServerEvents } from '@bilik/shared';
import type { RequestPayload } from '@bilik/shared/client';

/** RTP parameters as `producer:create` carries them. */
type RtpParameters = RequestPayload<MediaClientToServerEvents, 'producer:create'>['rtpParameters'];

export const SYNTHETIC_RTP_PARAMETERS = {
  audio: {
    codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }],
    encodings: [{ ssrc: 11111111 }],
    headerExtensions: [],
    rtcp: { cname: 'synthetic' },
  },
  video: {
    codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [] }],
    encodings: [{ ssrc: 22222222 }],
    headerExtensions: [],
    rtcp: { cname: 'synthetic' },
  },
  /** Video as booths send it: three simulcast layers. */
  simulcastVideo: {
    codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [] }],
    encodings: [{ ssrc: 33333331 }, { ssrc: 33333332 }, { ssrc: 33333333 }],
    headerExtensions: [],
    rtcp: { cname: 'synthetic' },
  },
} satisfies Record<string, RtpParameters>;
