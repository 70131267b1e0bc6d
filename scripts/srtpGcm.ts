/**
 * SRTP and SRTCP protection with AEAD_AES_256_GCM (RFC 7714), the suite Chromium and this server
 * agree on, for the capacity benchmark's synthetic senders: they encrypt their packets as a
 * browser does, so the measured mediasoup worker decrypts them as it would a browser's.
 * (werift-rtp, the one npm SRTP implementation, has AES-GCM with 128-bit keys only.)
 *
 * Sending only, RTCP always encrypted, no MKI, key derivation rate 0.
 */
import crypto from 'node:crypto';

const MASTER_KEY_BYTES = 32;
const MASTER_SALT_BYTES = 12;
const AUTH_TAG_BYTES = 16;
const RTP_FIXED_HEADER_BYTES = 12;
/** SRTCP encrypts everything after the first RTCP header and the sender's SSRC. */
const RTCP_CLEAR_PREFIX_BYTES = 8;
/** The E bit of the SRTCP index word: the packet is encrypted. */
const SRTCP_ENCRYPTED_FLAG = 0x8000_0000;

/** RFC 3711 section 4.3 key derivation labels. */
const LABEL = { rtpKey: 0x00, rtpSalt: 0x02, rtcpKey: 0x03, rtcpSalt: 0x05 } as const;

/**
 * One session key or salt from the master key and salt (RFC 3711 section 4.3, the AES-CM PRF;
 * RFC 7714 section 11). The 96-bit master salt is taken as the 112-bit salt of RFC 3711 with two
 * zero bytes after it, as libsrtp (mediasoup's SRTP library) does; the label goes into its eighth
 * byte, and the last two bytes of the counter block count AES blocks.
 */
function deriveSessionBytes(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const counterBlock = Buffer.alloc(16);
  masterSalt.copy(counterBlock, 0);
  counterBlock[7]! ^= label;
  const prf = crypto.createCipheriv('aes-256-ctr', masterKey, counterBlock);
  return Buffer.concat([prf.update(Buffer.alloc(length)), prf.final()]);
}

/** 96-bit GCM nonce: `prefix` (SSRC and index fields) XOR the session salt. */
function nonce(fields: Buffer, salt: Buffer): Buffer {
  for (let index = 0; index < fields.length; index++) fields[index]! ^= salt[index]!;
  return fields;
}

export class SrtpGcmSender {
  /** The master key and salt mediasoup is told (`srtpParameters.keyBase64`). */
  readonly keyBase64: string;
  private readonly rtpKey: Buffer;
  private readonly rtpSalt: Buffer;
  private readonly rtcpKey: Buffer;
  private readonly rtcpSalt: Buffer;
  /** Per SSRC: the rollover counter and the last sequence number sent, to notice wraps. */
  private readonly rtpIndexes = new Map<number, { rolloverCounter: number; lastSequenceNumber: number }>();
  /** Per SSRC: the last SRTCP index sent. */
  private readonly rtcpIndexes = new Map<number, number>();

  constructor() {
    const master = crypto.randomBytes(MASTER_KEY_BYTES + MASTER_SALT_BYTES);
    const masterKey = master.subarray(0, MASTER_KEY_BYTES);
    const masterSalt = master.subarray(MASTER_KEY_BYTES);
    this.keyBase64 = master.toString('base64');
    this.rtpKey = deriveSessionBytes(masterKey, masterSalt, LABEL.rtpKey, MASTER_KEY_BYTES);
    this.rtpSalt = deriveSessionBytes(masterKey, masterSalt, LABEL.rtpSalt, MASTER_SALT_BYTES);
    this.rtcpKey = deriveSessionBytes(masterKey, masterSalt, LABEL.rtcpKey, MASTER_KEY_BYTES);
    this.rtcpSalt = deriveSessionBytes(masterKey, masterSalt, LABEL.rtcpSalt, MASTER_SALT_BYTES);
  }

  /**
   * An SRTP packet from an RTP packet with a 12-byte header (no CSRCs, no extensions), sent in
   * sequence-number order per SSRC: header, encrypted payload, tag (RFC 7714 section 8.1).
   */
  protectRtp(header: Buffer, payload: Buffer): Buffer {
    if (header.length !== RTP_FIXED_HEADER_BYTES) throw new Error('only a fixed 12-byte RTP header is supported');
    const ssrc = header.readUInt32BE(8);
    const sequenceNumber = header.readUInt16BE(2);
    const index = this.rtpIndexes.get(ssrc) ?? { rolloverCounter: 0, lastSequenceNumber: sequenceNumber };
    if (sequenceNumber < index.lastSequenceNumber) index.rolloverCounter++;
    index.lastSequenceNumber = sequenceNumber;
    this.rtpIndexes.set(ssrc, index);

    const fields = Buffer.alloc(12);
    fields.writeUInt32BE(ssrc, 2);
    fields.writeUInt32BE(index.rolloverCounter >>> 0, 6);
    fields.writeUInt16BE(sequenceNumber, 10);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.rtpKey, nonce(fields, this.rtpSalt), { authTagLength: AUTH_TAG_BYTES });
    cipher.setAAD(header);
    const encrypted = Buffer.concat([cipher.update(payload), cipher.final()]);
    return Buffer.concat([header, encrypted, cipher.getAuthTag()]);
  }

  /**
   * An SRTCP packet from an RTCP compound packet: the first 8 bytes in the clear, the rest
   * encrypted, the tag, then the E bit and 31-bit SRTCP index (RFC 7714 section 9.1), which the
   * additional authenticated data also ends with (section 17).
   */
  protectRtcp(packet: Buffer): Buffer {
    const ssrc = packet.readUInt32BE(4);
    const srtcpIndex = ((this.rtcpIndexes.get(ssrc) ?? 0) + 1) & 0x7fff_ffff;
    this.rtcpIndexes.set(ssrc, srtcpIndex);
    const indexWord = Buffer.alloc(4);
    indexWord.writeUInt32BE((SRTCP_ENCRYPTED_FLAG | srtcpIndex) >>> 0);

    const fields = Buffer.alloc(12);
    fields.writeUInt32BE(ssrc, 2);
    fields.writeUInt32BE(srtcpIndex, 8);
    const clear = packet.subarray(0, RTCP_CLEAR_PREFIX_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.rtcpKey, nonce(fields, this.rtcpSalt), { authTagLength: AUTH_TAG_BYTES });
    cipher.setAAD(Buffer.concat([clear, indexWord]));
    const encrypted = Buffer.concat([cipher.update(packet.subarray(RTCP_CLEAR_PREFIX_BYTES)), cipher.final()]);
    return Buffer.concat([clear, encrypted, cipher.getAuthTag(), indexWord]);
  }
}
