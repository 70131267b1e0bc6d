/**
 * The server's configuration: parsed once from the environment, validated, frozen.
 * Nothing else in the server reads process.env.
 */
import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

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

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
/** A comma-separated list with a default: items trimmed, empty ones dropped. */
const commaList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((list) => list.split(',').map((item) => item.trim()).filter((item) => item !== ''));

const environmentSchema = z
  .object({
    HOST: z.string().default('127.0.0.1'),
    PORT: listenPort.default(8080),
    TLS_CERT_FILE: optionalText,
    TLS_KEY_FILE: optionalText,
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
    RTC_MIN_PORT: port.default(40000),
    RTC_MAX_PORT: port.default(49999),
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(60),
    WRAP_UP_SECONDS: z.coerce.number().min(0).max(3600).default(0),
    MAX_WAIT_MINUTES: z.coerce.number().positive().max(24 * 60).default(10),
    TIME_ZONE: z.string().default('Asia/Jakarta').refine(isTimeZone, 'is not an IANA time zone (e.g. Asia/Jakarta)'),
    DEMO_SEED: z.enum(['on', 'off']).optional(),
    SESSION_IDLE_MINUTES: z.coerce.number().min(1).max(24 * 60).default(30),
    SESSION_MAX_HOURS: z.coerce.number().positive().max(24 * 7).default(12),
    SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    SIGNIN_LOCKOUT_MINUTES: z.coerce.number().positive().max(24 * 60).default(15),
  })
  .refine((env) => env.RTC_MIN_PORT <= env.RTC_MAX_PORT, {
    message: 'must not be greater than RTC_MAX_PORT',
    path: ['RTC_MIN_PORT'],
  })
  .refine((env) => (env.TLS_CERT_FILE === undefined) === (env.TLS_KEY_FILE === undefined), {
    message: 'TLS_CERT_FILE and TLS_KEY_FILE must be set together',
    path: ['TLS_CERT_FILE'],
  });

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
    rtcMinPort: number;
    rtcMaxPort: number;
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
  /** Whether the first start seeds demo accounts and booths; on by default, except in production. */
  demoSeed: boolean;
  auth: {
    session: { idleTimeoutMs: number; maxAgeMs: number };
    lockOut: { maxFailures: number; lockMs: number };
  };
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
      rtcMinPort: e.RTC_MIN_PORT,
      rtcMaxPort: e.RTC_MAX_PORT,
    },
    scheduler: {
      graceMs: e.GRACE_SECONDS * 1000,
      wrapUpMs: e.WRAP_UP_SECONDS * 1000,
      maxWaitMs: e.MAX_WAIT_MINUTES * 60_000,
      timeZone: e.TIME_ZONE,
    },
    demoSeed: (e.DEMO_SEED ?? (e.NODE_ENV === 'production' ? 'off' : 'on')) === 'on',
    auth: {
      session: { idleTimeoutMs: e.SESSION_IDLE_MINUTES * 60_000, maxAgeMs: e.SESSION_MAX_HOURS * 3_600_000 },
      lockOut: { maxFailures: e.SIGNIN_MAX_FAILURES, lockMs: e.SIGNIN_LOCKOUT_MINUTES * 60_000 },
    },
  };
  return deepFreeze(config);
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

/** The configuration as printed at start-up: credentials in URLs are redacted. */
export function describeConfig(config: Readonly<Config>): unknown {
  const redis = 'url' in config.redis ? { url: redactUrl(config.redis.url) } : config.redis;
  return { ...config, redis, database: describeDatabaseConfig(config.database) };
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
