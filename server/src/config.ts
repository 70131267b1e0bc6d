/**
 * The server's configuration: parsed once from the environment, validated, frozen.
 * Nothing else in the server reads process.env.
 */
import { accessSync, constants } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BOOTH_OFFLINE_SECONDS } from '@bilik/shared/fleet';
import { z } from 'zod';
import type { IceConfig } from './sfu/iceServers.js';

const port = z.coerce.number().int().min(1).max(65535);
/** The HTTP port may be 0: the system picks a free one (tests use it). */
const listenPort = z.coerce.number().int().min(0).max(65535);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** PostgreSQL connection URL; unset means the embedded PGlite database under DATA_DIR. */
const databaseUrlVariable = optionalText.refine(
  (url) => url === undefined || isPostgresUrl(url),
  'must be a postgres:// or postgresql:// URL',
);
const dataDirVariable = z.string().default('./data');
/** Where claimants look their claim up (the QR code's target); unset means this server's own page. */
const publicTrackingUrlVariable = optionalText.refine(
  (url) => url === undefined || isHttpUrl(url),
  'must be an http:// or https:// URL, e.g. https://bilik.example.go.id/lacak',
);

/** A listen address `host:port` (an IPv6 host in brackets); unset means none. */
const listenAddressVariable = optionalText.transform((value, context) => {
  if (value === undefined) return null;
  const address = parseListenAddress(value);
  if (address === null) {
    context.addIssue({
      code: 'custom',
      message: 'must be host:port with a port from 1 to 65535, e.g. 127.0.0.1:9464 (an IPv6 address in brackets: [::1]:9464)',
    });
    return z.NEVER;
  }
  return address;
});

const UPLINK_KBPS_MESSAGE = 'must be a whole number of kbit/s above 0, e.g. 1000';
/** A booth's uplink cap in kbit/s; unset or empty means no cap. */
const uplinkKbpsVariable = optionalText.pipe(
  z.coerce.number<string>({ error: UPLINK_KBPS_MESSAGE }).int(UPLINK_KBPS_MESSAGE).positive(UPLINK_KBPS_MESSAGE).optional(),
);

/**
 * A retired variable: its presence stops start-up with `message` (what to set instead), since
 * silently ignoring it would leave an operator believing it still applies.
 */
const retiredVariable = (message: string) =>
  z
    .string()
    .optional()
    .refine((value) => value === undefined || value.trim() === '', message);
const RETIRED_RTC_RANGE =
  'is no longer used: each mediasoup worker receives all its WebRTC media on one port, RTC_PORT + the worker index (UDP and TCP); set RTC_PORT instead';

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Shortest secret the operator sets (forwarding key, metrics token): 32 characters, e.g. 16 random bytes in hex, or more. */
const MIN_SECRET_LENGTH = 32;
/** An optional secret, not trimmed (whoever else holds it has it as given); unset or empty means none. */
const secretVariable = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value))
  .refine((secret) => secret === undefined || secret.length >= MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`);

/** How long a kiosk's help request nobody cleared stays open when HELP_REQUEST_MINUTES is unset. */
export const DEFAULT_HELP_REQUEST_MINUTES = 30;

/** The share of approved outcomes a supervisor reviews when REVIEW_SHARE is unset: one in ten. */
const DEFAULT_REVIEW_SHARE = 0.1;
const REVIEW_SHARE_MESSAGE = 'must be a fraction from 0 to 1 of approved outcomes to review, e.g. 0.1 (0: none, 1: all)';

/**
 * The verification-outcome queue's settings, read by the server (which enqueues and runs a worker)
 * and by `npm run worker` alike, so both treat jobs the same way.
 */
const outcomeVariables = {
  OUTCOME_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  OUTCOME_JOB_LOCK_SECONDS: z.coerce.number().min(0.5).max(600).default(30),
  OUTCOME_STALLED_CHECK_SECONDS: z.coerce.number().min(0.5).max(600).default(30),
  OUTCOME_JOB_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  OUTCOME_RETRY_DELAY_SECONDS: z.coerce.number().min(0.01).max(3600).default(2),
  OUTCOME_FORWARD_URL: optionalText.refine(
    (url) => url === undefined || isHttpUrl(url),
    'must be an http:// or https:// URL of the claims back office',
  ),
  OUTCOME_FORWARD_SECRET: secretVariable,
  REVIEW_SHARE: optionalText.pipe(
    z.coerce
      .number<string>({ error: REVIEW_SHARE_MESSAGE })
      .min(0, REVIEW_SHARE_MESSAGE)
      .max(1, REVIEW_SHARE_MESSAGE)
      .default(DEFAULT_REVIEW_SHARE),
  ),
};

/** Forwarding needs both its address and its signing key. */
function forwardingSetTogether(env: { OUTCOME_FORWARD_URL?: string | undefined; OUTCOME_FORWARD_SECRET?: string | undefined }): boolean {
  return (env.OUTCOME_FORWARD_URL === undefined) === (env.OUTCOME_FORWARD_SECRET === undefined);
}
const forwardingPairIssue = {
  message: 'OUTCOME_FORWARD_URL and OUTCOME_FORWARD_SECRET must be set together',
  path: ['OUTCOME_FORWARD_URL'],
};
/** A comma-separated list with a default: items trimmed, empty ones dropped. */
const commaList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((list) =>
      list
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    );

const environmentSchema = z
  .object({
    HOST: z.string().default('127.0.0.1'),
    PORT: listenPort.default(8080),
    TLS_CERT_FILE: optionalText,
    TLS_KEY_FILE: optionalText,
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    ALLOWED_ORIGINS: commaList('').pipe(z.array(z.url().transform((url) => new URL(url).origin))),
    LOG_LEVEL: logLevel.default('info'),
    DATA_DIR: dataDirVariable,
    DATABASE_URL: databaseUrlVariable,
    REDIS_URL: optionalText,
    REDIS_EMBEDDED_PORT: port.default(6390),
    REDIS_SERVER_BIN: z.string().default('redis-server'),
    MEDIASOUP_WORKER_BIN: z
      .string({ error: 'is not set: start the server with `npm start`, which builds the worker and sets it' })
      .refine(isExecutableFile, 'does not name an executable file'),
    MEDIASOUP_WORKERS: z.coerce.number().int().min(1).max(64).default(os.availableParallelism()),
    RTC_LISTEN_IP: z.ipv4().or(z.ipv6()).default('127.0.0.1'),
    RTC_ANNOUNCED_IP: optionalText,
    RTC_PORT: port.default(40000),
    BOOTH_UPLINK_KBPS: uplinkKbpsVariable,
    RTC_MIN_PORT: retiredVariable(RETIRED_RTC_RANGE),
    RTC_MAX_PORT: retiredVariable(RETIRED_RTC_RANGE),
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(60),
    PRESENCE_LEASE_SECONDS: z.coerce.number().min(1).max(300).default(15),
    MULTI_NODE: z.enum(['on', 'off']).default('off'),
    DESK_LEASE_SECONDS: z.coerce.number().min(1).max(60).default(5),
    WRAP_UP_SECONDS: z.coerce.number().min(0).max(3600).default(0),
    MAX_WAIT_MINUTES: z.coerce
      .number()
      .positive()
      .max(24 * 60)
      .default(10),
    TIME_ZONE: z.string().default('Asia/Jakarta').refine(isTimeZone, 'is not an IANA time zone (e.g. Asia/Jakarta)'),
    DEMO_SEED: z.enum(['on', 'off']).optional(),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .min(1)
      .max(24 * 60)
      .default(30),
    SESSION_MAX_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 7)
      .default(12),
    SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    SIGNIN_LOCKOUT_MINUTES: z.coerce
      .number()
      .positive()
      .max(24 * 60)
      .default(15),
    DOCUMENT_MAX_MEGABYTES: z.coerce.number().positive().max(64).default(8),
    BOOTH_OFFLINE_SECONDS: z.coerce.number().positive().max(3600).default(BOOTH_OFFLINE_SECONDS),
    HELP_REQUEST_MINUTES: z.coerce
      .number()
      .positive()
      .max(24 * 60)
      .default(DEFAULT_HELP_REQUEST_MINUTES),
    PUBLIC_TRACKING_URL: publicTrackingUrlVariable,
    OUTCOME_WORKER: z.enum(['on', 'off']).default('on'),
    METRICS_TOKEN: secretVariable,
    METRICS_LISTEN: listenAddressVariable,
    TURN_URLS: commaList('').pipe(z.array(z.string().regex(/^(turns?|stun):[^\s]+$/, 'must be turn:, turns: or stun: URLs'))),
    TURN_SECRET: secretVariable,
    TURN_CREDENTIAL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(600),
    ICE_TRANSPORT_POLICY: z.enum(['all', 'relay']).default('all'),
    ...outcomeVariables,
  })
  // Worker i listens on RTC_PORT + i: the last worker's port must exist too.
  .refine((env) => env.RTC_PORT + env.MEDIASOUP_WORKERS - 1 <= 65535, {
    message: 'leaves no room for every worker: RTC_PORT + MEDIASOUP_WORKERS - 1 must not exceed 65535',
    path: ['RTC_PORT'],
  })
  .refine((env) => env.TURN_SECRET !== undefined || !env.TURN_URLS.some(isTurnUrl), {
    message: 'must be set with turn: or turns: URLs in TURN_URLS (coturn static-auth-secret)',
    path: ['TURN_SECRET'],
  })
  .refine((env) => env.ICE_TRANSPORT_POLICY === 'all' || env.TURN_URLS.some(isTurnUrl), {
    message: 'relay needs a turn: or turns: URL in TURN_URLS',
    path: ['ICE_TRANSPORT_POLICY'],
  })
  .refine((env) => (env.TLS_CERT_FILE === undefined) === (env.TLS_KEY_FILE === undefined), {
    message: 'TLS_CERT_FILE and TLS_KEY_FILE must be set together',
    path: ['TLS_CERT_FILE'],
  })
  .refine(forwardingSetTogether, forwardingPairIssue)
  // Every node must read and write the same records and live state: an embedded one is one process's own.
  .refine((env) => env.MULTI_NODE === 'off' || env.DATABASE_URL !== undefined, {
    message:
      "on needs DATABASE_URL: the embedded PGlite database lives in one node's data directory and only that process can open it, so the other nodes could not read or record visits; point every node at one PostgreSQL",
    path: ['MULTI_NODE'],
  })
  .refine((env) => env.MULTI_NODE === 'off' || env.REDIS_URL !== undefined, {
    message:
      'on needs REDIS_URL: the embedded Redis is private to one node, and the nodes share queues, desks and messages through one Redis',
    path: ['MULTI_NODE'],
  })
  // The embedded database can be open in the server only, so only the server's worker could record outcomes.
  .refine((env) => env.OUTCOME_WORKER === 'on' || env.DATABASE_URL !== undefined, {
    message: 'may be off only with DATABASE_URL: with the embedded database no separate worker can record outcomes',
    path: ['OUTCOME_WORKER'],
  });

/** `host:port` as a listen address, or null when it is not one: an IPv4 address, a host name, or an IPv6 address in brackets. */
function parseListenAddress(value: string): ListenAddress | null {
  const match = /^(?:\[([^\]]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(value);
  if (!match) return null;
  const [, ipv6, host, portText] = match;
  const port = Number(portText);
  if (port < 1 || port > 65535) return null;
  if (ipv6 !== undefined) return net.isIPv6(ipv6) ? { host: ipv6, port } : null;
  // A host name or an IPv4 address; one that does not exist fails when the listener binds.
  return host !== undefined && /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(host) ? { host, port } : null;
}

/** A TURN URL needs credentials; a STUN one does not. */
function isTurnUrl(url: string): boolean {
  return url.startsWith('turn:') || url.startsWith('turns:');
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function isPostgresUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'postgres:' || protocol === 'postgresql:';
  } catch {
    return false;
  }
}

function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface Config {
  http: {
    host: string;
    port: number;
    tls: { certFile: string; keyFile: string } | null;
    /** Origins besides the server's own whose pages may open sockets (closed by default). */
    allowedOrigins: string[];
    /** TRUST_PROXY: how many reverse proxies stand in front; the client's address is read from X-Forwarded-For past them (0: the peer's). */
    trustedProxies: number;
  };
  logLevel: z.infer<typeof logLevel>;
  dataDir: string;
  /** The records database: PostgreSQL at a URL, or embedded PGlite with its files in `dataDir`. */
  database: DatabaseConfig;
  /** An external Redis, or null for the embedded one the server starts itself. */
  redis: { url: string } | { embedded: { port: number; serverBin: string; dataDir: string } };
  mediasoup: {
    workerBin: string;
    workerCount: number;
    listenIp: string;
    announcedIp: string | undefined;
    /** Worker i receives every WebRTC transport's media on port `rtcPort + i`, UDP and TCP. */
    rtcPort: number;
    /** BOOTH_UPLINK_KBPS: what each booth may send, camera and microphone together; null: no cap. */
    boothUplinkKbps: number | null;
  };
  scheduler: {
    /** How long a booth or officer whose connection dropped keeps its place or sessions. */
    graceMs: number;
    /** Wrap-up after each session, before the officer takes the next booth; 0 turns it off. */
    wrapUpMs: number;
    /** The service level: a longer wait raises an alert on the supervisor page. */
    maxWaitMs: number;
    /** Whose calendar "today" follows in the day's statistics. */
    timeZone: string;
  };
  presence: {
    /** How long a server process's presence lease lasts unrenewed: how soon the clients of a killed process are taken for gone. */
    leaseMs: number;
  };
  cluster: {
    /** MULTI_NODE: several server nodes share one Redis and one PostgreSQL; each desk lives on the node holding its lease. */
    multiNode: boolean;
    /** DESK_LEASE_SECONDS: how long a desk's lease lasts unrenewed: how soon the desks of a node that died open elsewhere. */
    deskLeaseMs: number;
  };
  /** Whether the first start seeds demo accounts and booths; on by default, except in production. */
  demoSeed: boolean;
  auth: {
    session: { idleTimeoutMs: number; maxAgeMs: number };
    lockOut: { maxFailures: number; lockMs: number };
  };
  documents: {
    /** The largest document photo a booth may upload. */
    maxBytes: number;
  };
  fleet: {
    /** How long a booth may go without a heartbeat before the IT page shows it offline. */
    boothOfflineMs: number;
  };
  help: {
    /** How long after a kiosk's last ask for help an uncleared request disappears (audited as expired). */
    requestLifetimeMs: number;
  };
  /** The public claim tracking page the booth's QR code points to; null: this server's own /lacak. */
  publicTrackingUrl: string | null;
  /** Verification outcomes; `embeddedWorker`: this process records them too (OUTCOME_WORKER, on by default). */
  outcomes: OutcomeConfig & { embeddedWorker: boolean };
  metrics: {
    /**
     * The bearer token a Prometheus scraper sends to GET /metrics; null: on the main port no
     * metrics endpoint, on `listen` none needed.
     */
    token: string | null;
    /**
     * METRICS_LISTEN: serve /metrics on this address only, a listener of its own (a private
     * address, which is what protects it), and not on the main port; null: on the main port.
     */
    listen: ListenAddress | null;
  };
  /** The TURN servers clients get with their transports. */
  ice: IceConfig;
}

/** How verification outcomes are queued, recorded and forwarded. */
export interface OutcomeConfig {
  /** Attempts of a recording job before it fails for good (and is listed for supervisors). */
  attempts: number;
  /** Delay before the first retry; each later one doubles it. */
  retryDelayMs: number;
  worker: {
    /** Jobs one worker process works on at once. */
    concurrency: number;
    /** How long a job stays locked to its worker without a renewal; a dead worker's jobs are retried after it. */
    lockMs: number;
    /** How often a worker looks for jobs whose lock expired. */
    stalledIntervalMs: number;
  };
  /** The claims back office that receives each recorded outcome, or null. */
  forward: { url: string; secret: string } | null;
  /**
   * REVIEW_SHARE: the fraction (0 to 1) of approved outcomes drawn for a supervisor's review when
   * recorded; escalated ones are always reviewed. An outcome under review is forwarded once confirmed.
   */
  reviewShare: number;
}

/** Where a listener binds: a host name or IP address, and a port. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** PostgreSQL when DATABASE_URL is set; otherwise embedded PGlite in DATA_DIR/pglite. */
export type DatabaseConfig = { url: string } | { embedded: { dataDir: string } };

/** What `npm run fleet` needs: no HTTP, Redis or mediasoup settings. */
export interface FleetConfig {
  logLevel: z.infer<typeof logLevel>;
  dataDir: string;
  database: DatabaseConfig;
  /** BILIK_ADMIN_PASSWORD, for scripted provisioning; unset means ask on the terminal. */
  adminPassword: string | undefined;
}

/** What `npm run worker` needs: the database, Redis and the outcome settings. */
export interface WorkerConfig {
  logLevel: z.infer<typeof logLevel>;
  dataDir: string;
  database: DatabaseConfig;
  /** REDIS_URL, or the server's embedded Redis, which runs only while its server does. */
  redis: { url: string; embedded: boolean };
  outcomes: OutcomeConfig;
}

const workerEnvironmentSchema = z
  .object({
    LOG_LEVEL: logLevel.default('info'),
    DATA_DIR: dataDirVariable,
    DATABASE_URL: databaseUrlVariable,
    REDIS_URL: optionalText,
    REDIS_EMBEDDED_PORT: port.default(6390),
    ...outcomeVariables,
  })
  .refine(forwardingSetTogether, forwardingPairIssue);

const fleetEnvironmentSchema = z.object({
  // The CLI prints its own summary; logs are for problems.
  LOG_LEVEL: logLevel.default('warn'),
  DATA_DIR: dataDirVariable,
  DATABASE_URL: databaseUrlVariable,
  // Not trimmed: spaces may be part of a password.
  BILIK_ADMIN_PASSWORD: z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
});

/** A configuration value that is missing or wrong; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses and freezes the configuration, or throws a ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw configErrorFrom(parsed.error);
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const config: Config = {
    http: {
      host: e.HOST,
      port: e.PORT,
      tls: e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : null,
      allowedOrigins: e.ALLOWED_ORIGINS,
      trustedProxies: e.TRUST_PROXY,
    },
    logLevel: e.LOG_LEVEL,
    dataDir,
    database: databaseConfig(dataDir, e.DATABASE_URL),
    redis: e.REDIS_URL
      ? { url: e.REDIS_URL }
      : { embedded: { port: e.REDIS_EMBEDDED_PORT, serverBin: e.REDIS_SERVER_BIN, dataDir: path.join(dataDir, 'redis') } },
    mediasoup: {
      workerBin: e.MEDIASOUP_WORKER_BIN,
      workerCount: e.MEDIASOUP_WORKERS,
      listenIp: e.RTC_LISTEN_IP,
      announcedIp: e.RTC_ANNOUNCED_IP,
      rtcPort: e.RTC_PORT,
      boothUplinkKbps: e.BOOTH_UPLINK_KBPS ?? null,
    },
    scheduler: {
      graceMs: e.GRACE_SECONDS * 1000,
      wrapUpMs: e.WRAP_UP_SECONDS * 1000,
      maxWaitMs: e.MAX_WAIT_MINUTES * 60_000,
      timeZone: e.TIME_ZONE,
    },
    presence: { leaseMs: e.PRESENCE_LEASE_SECONDS * 1000 },
    cluster: { multiNode: e.MULTI_NODE === 'on', deskLeaseMs: e.DESK_LEASE_SECONDS * 1000 },
    demoSeed: (e.DEMO_SEED ?? (e.NODE_ENV === 'production' ? 'off' : 'on')) === 'on',
    auth: {
      session: { idleTimeoutMs: e.SESSION_IDLE_MINUTES * 60_000, maxAgeMs: e.SESSION_MAX_HOURS * 3_600_000 },
      lockOut: { maxFailures: e.SIGNIN_MAX_FAILURES, lockMs: e.SIGNIN_LOCKOUT_MINUTES * 60_000 },
    },
    documents: { maxBytes: Math.round(e.DOCUMENT_MAX_MEGABYTES * 1024 * 1024) },
    fleet: { boothOfflineMs: e.BOOTH_OFFLINE_SECONDS * 1000 },
    help: { requestLifetimeMs: Math.round(e.HELP_REQUEST_MINUTES * 60_000) },
    publicTrackingUrl: e.PUBLIC_TRACKING_URL ?? null,
    outcomes: { ...outcomeConfig(e), embeddedWorker: e.OUTCOME_WORKER === 'on' },
    metrics: { token: e.METRICS_TOKEN ?? null, listen: e.METRICS_LISTEN },
    ice: {
      urls: e.TURN_URLS,
      secret: e.TURN_SECRET ?? null,
      credentialTtlSeconds: e.TURN_CREDENTIAL_SECONDS,
      transportPolicy: e.ICE_TRANSPORT_POLICY,
    },
  };
  return deepFreeze(config);
}

/** Parses the configuration of `npm run worker`: no HTTP or mediasoup settings. */
export function loadWorkerConfig(env: Record<string, string | undefined>): Readonly<WorkerConfig> {
  const parsed = workerEnvironmentSchema.safeParse(env);
  if (!parsed.success) throw configErrorFrom(parsed.error);
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return deepFreeze({
    logLevel: e.LOG_LEVEL,
    dataDir,
    database: databaseConfig(dataDir, e.DATABASE_URL),
    redis: e.REDIS_URL ? { url: e.REDIS_URL, embedded: false } : { url: `redis://127.0.0.1:${e.REDIS_EMBEDDED_PORT}`, embedded: true },
    outcomes: outcomeConfig(e),
  });
}

function outcomeConfig(e: z.infer<z.ZodObject<typeof outcomeVariables>>): OutcomeConfig {
  return {
    attempts: e.OUTCOME_JOB_ATTEMPTS,
    retryDelayMs: e.OUTCOME_RETRY_DELAY_SECONDS * 1000,
    worker: {
      concurrency: e.OUTCOME_WORKER_CONCURRENCY,
      lockMs: e.OUTCOME_JOB_LOCK_SECONDS * 1000,
      stalledIntervalMs: e.OUTCOME_STALLED_CHECK_SECONDS * 1000,
    },
    forward: e.OUTCOME_FORWARD_URL && e.OUTCOME_FORWARD_SECRET ? { url: e.OUTCOME_FORWARD_URL, secret: e.OUTCOME_FORWARD_SECRET } : null,
    reviewShare: e.REVIEW_SHARE,
  };
}

/** Parses the configuration of `npm run fleet`: the database settings, without the server's. */
export function loadFleetConfig(env: Record<string, string | undefined>): Readonly<FleetConfig> {
  const parsed = fleetEnvironmentSchema.safeParse(env);
  if (!parsed.success) throw configErrorFrom(parsed.error);
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return deepFreeze({
    logLevel: e.LOG_LEVEL,
    dataDir,
    database: databaseConfig(dataDir, e.DATABASE_URL),
    adminPassword: e.BILIK_ADMIN_PASSWORD,
  });
}

function configErrorFrom(error: z.ZodError): ConfigError {
  const problems = error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`);
  return new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
}

function databaseConfig(dataDir: string, url: string | undefined): DatabaseConfig {
  return url ? { url } : { embedded: { dataDir: path.join(dataDir, 'pglite') } };
}

/** The configuration as printed at start-up: credentials in URLs, the forwarding secret, the metrics token and the TURN secret are redacted. */
export function describeConfig(config: Readonly<Config>): unknown {
  const redis = 'url' in config.redis ? { url: redactUrl(config.redis.url) } : config.redis;
  const metrics = { ...config.metrics, token: config.metrics.token && '***' };
  const ice = { ...config.ice, secret: config.ice.secret && '***' };
  return {
    ...config,
    redis,
    database: describeDatabaseConfig(config.database),
    outcomes: describeOutcomeConfig(config.outcomes),
    metrics,
    ice,
  };
}

/** The configuration of `npm run worker` as printed at start-up, redacted like the server's. */
export function describeWorkerConfig(config: Readonly<WorkerConfig>): unknown {
  return {
    ...config,
    redis: { ...config.redis, url: redactUrl(config.redis.url) },
    database: describeDatabaseConfig(config.database),
    outcomes: describeOutcomeConfig(config.outcomes),
  };
}

/** Outcome settings safe to print: the forwarding secret is redacted. */
function describeOutcomeConfig<T extends OutcomeConfig>(outcomes: Readonly<T>): unknown {
  return { ...outcomes, forward: outcomes.forward && { url: redactUrl(outcomes.forward.url), secret: '***' } };
}

/** A database configuration safe to print: the URL's password is redacted. */
export function describeDatabaseConfig(database: DatabaseConfig): DatabaseConfig {
  return 'url' in database ? { url: redactUrl(database.url) } : database;
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object') deepFreeze(child as object);
  }
  return Object.freeze(value);
}
