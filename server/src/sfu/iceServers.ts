/**
 * The ICE servers the server hands each client with its transports: TURN, for branches whose
 * firewall blocks the SFU's ports, with time-limited credentials in coturn's `use-auth-secret`
 * scheme (the username is "<expiry>:<client id>", the password its HMAC-SHA1 under the shared
 * secret, base64). coturn checks them when an allocation is made, so an expiry of minutes does
 * not cut a longer call; a transport that restarts ICE gets fresh ones.
 */
import { createHmac } from 'node:crypto';
import type { IceServerData, IceTransportPolicy } from '@bilik/shared';

export interface IceConfig {
  /** turn:, turns: or stun: URLs; empty: no ICE servers, the SFU's own candidates only. */
  urls: string[];
  /** coturn's static-auth-secret; required with turn: or turns: URLs. */
  secret: string | null;
  /** How long handed credentials open new allocations. */
  credentialTtlSeconds: number;
  /** 'relay' where a site allows media only through TURN. */
  transportPolicy: IceTransportPolicy;
}

export class IceServers {
  constructor(
    private readonly config: IceConfig,
    /** Milliseconds since the epoch; coturn compares the expiry with its own clock. */
    private readonly now: () => number = Date.now,
  ) {}

  get transportPolicy(): IceTransportPolicy {
    return this.config.transportPolicy;
  }

  /** The ICE servers for the client `clientId` (a booth's or an officer's id), with fresh credentials. */
  for(clientId: string): IceServerData[] {
    const { urls, secret, credentialTtlSeconds } = this.config;
    if (urls.length === 0) return [];
    if (secret === null) return [{ urls: [...urls] }];
    const expiresAt = Math.floor(this.now() / 1000) + credentialTtlSeconds;
    const username = `${expiresAt}:${clientId}`;
    return [{ urls: [...urls], username, credential: turnPassword(secret, username) }];
  }
}

/** coturn's password for a `use-auth-secret` username. */
export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}
