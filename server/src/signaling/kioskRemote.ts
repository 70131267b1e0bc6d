/**
 * What branch IT sends to a booth's kiosk over its /journey sockets: reload, service changes,
 * a self-test request, a new credential. The booth's room reaches its sockets on every server
 * process through the Redis streams adapter, acknowledgements included.
 */
import { NAMESPACES } from '@bilik/shared';
import { boothRoom } from './socketEvictions.js';
import type { SignalingServer } from './socketTypes.js';

/**
 * How long a kiosk has to acknowledge storing a new credential: it answers in milliseconds, but
 * over a congested branch uplink the round trip may take seconds, and a rotation that fails only
 * means branch IT tries again.
 */
export const CREDENTIAL_ACK_TIMEOUT_MS = 10_000;

export class KioskRemote {
  constructor(private readonly io: SignalingServer) {}

  /** Asks the booth's kiosk to reload its page. */
  reload(boothId: string): void {
    this.kiosks(boothId).emit('booth:reload', {});
  }

  /** Tells the booth's kiosk whether it is out of service. */
  setService(boothId: string, outOfService: boolean): void {
    this.kiosks(boothId).emit('booth:service', { outOfService });
  }

  /** Asks the booth's kiosk to run its self-test; the report arrives as `selftest:report`. */
  runSelfTest(boothId: string): void {
    this.kiosks(boothId).emit('selftest:run', {});
  }

  /**
   * Hands a new credential to the booth's kiosk; true once every connected kiosk of the booth
   * (normally one) acknowledged storing it, false when none is connected or one did not answer
   * in time or could not store it.
   */
  async handCredential(boothId: string, credential: string): Promise<boolean> {
    try {
      const answers = (await this.kiosks(boothId)
        .timeout(CREDENTIAL_ACK_TIMEOUT_MS)
        .emitWithAck('credential:rotate', { credential })) as unknown[];
      return answers.length > 0 && answers.every(isStored);
    } catch {
      // socket.io rejects when a kiosk did not answer in time.
      return false;
    }
  }

  /** The booth's /journey sockets, on every server process. */
  private kiosks(boothId: string) {
    return this.io.of(NAMESPACES.journey).to(boothRoom(boothId));
  }
}

/** A kiosk's answer to `credential:rotate`, which comes from the browser and is checked as such. */
function isStored(answer: unknown): boolean {
  return typeof answer === 'object' && answer !== null && (answer as { stored?: unknown }).stored === true;
}
