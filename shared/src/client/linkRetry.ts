/**
 * How a page's socket.io link gets back after losing its server: socket.io retries a lost
 * connection by itself, but not a connection the server closed on purpose or a handshake it
 * refused; those are retried here, after a pause, unless retrying cannot help.
 */
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import type { MediaSocket } from './request.js';

const RETRY_MS = 5_000;

/** What a link reports when its socket cannot connect. */
export interface ConnectErrorReports {
  /** The server could not be reached; socket.io keeps retrying by itself. */
  unreachable(detail: string): void;
  /** The server refused this client's credential (signed out, revoked, replaced); never retried. */
  unauthorized(detail: string): void;
  /** The server refused the handshake for a reason that may pass; retried later. */
  refused(detail: string): void;
}

/** The one pending retry of a link's socket. */
export class LinkRetry {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly socket: MediaSocket) {}

  /** Runs `action` after the pause, replacing any retry already pending. */
  later(action: () => void): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(action, RETRY_MS);
  }

  cancel(): void {
    clearTimeout(this.timer);
  }

  /** After a disconnect: reconnects later if the server closed the connection on purpose. */
  afterDisconnect(reason: string): void {
    if (reason === 'io server disconnect') this.later(() => this.socket.connect());
  }

  /**
   * Sorts out a `connect_error`: an active socket is still retrying a connection it could not
   * make; an inactive one was refused by the server, and error.message is the server's reason.
   * A newer server (PROTOCOL_MISMATCH) is answered by reloading the page, which fetches the
   * matching app; other refusals may pass (a full desk, a restart) and are retried.
   */
  afterConnectError(error: Error, reports: ConnectErrorReports): void {
    if (this.socket.active) {
      reports.unreachable(error.message);
      return;
    }
    const code = refusalCode(error);
    if (code === 'UNAUTHORIZED') {
      reports.unauthorized(error.message);
      return;
    }
    reports.refused(error.message);
    if (code === 'PROTOCOL_MISMATCH') this.later(() => location.reload());
    else this.later(() => this.socket.connect());
  }
}

/** The error code a refused handshake carries in `data.error`, if it is one we know. */
function refusalCode(error: Error): ErrorCode | undefined {
  const code = (error as Error & { data?: { error?: unknown } }).data?.error;
  return ERROR_CODES.find((known) => known === code);
}
