/**
 * The scheduler's Lua scripts, one file each under lua/. Every change of the queue, assignments
 * or officer presence is one script, and Redis runs scripts one at a time, so any number of
 * server processes can change the state at once without ever assigning past capacity or
 * assigning one booth twice.
 *
 * Each script ends by matching waiting booths to officers in the queues its change touched, and
 * returns what happened as a JSON list of events for the caller to announce. lua/prelude.lua,
 * which runs before each of them, describes the keys.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/** The key prefix of everything the scheduler keeps in Redis. */
export const SCHEDULER_PREFIX = 'bilik:sch:';

/**
 * The key prefix of the server processes' presence leases (processLease.ts): apart from the
 * scheduler's state, which tests and operators may clear while processes run.
 */
export const PRESENCE_PREFIX = 'bilik:presence:';

/** The scheduler's keys, named as the Lua prelude names them. */
export const schedulerKeys = {
  /** A booth's visit (hash). */
  visit: (boothId: string): string => `${SCHEDULER_PREFIX}b:${boothId}`,
  /** An officer (hash). */
  officer: (officerId: string): string => `${SCHEDULER_PREFIX}o:${officerId}`,
  /** An officer's booths (set). */
  officerBooths: (officerId: string): string => `${SCHEDULER_PREFIX}ob:${officerId}`,
  /** The booths handed to an officer, waiting for their next free seat (sorted set). */
  handedTo: (officerId: string): string => `${SCHEDULER_PREFIX}ot:${officerId}`,
  /** A queue's waiting booths (sorted set). */
  queue: (queueId: string): string => `${SCHEDULER_PREFIX}q:${queueId}`,
  /** The officers serving a queue (set). */
  queueOfficers: (queueId: string): string => `${SCHEDULER_PREFIX}qo:${queueId}`,
  /** One day's statistics of a queue: `st` totals (hash), `sw` waits or `ss` session lengths (lists). */
  statistics: (kind: 'st' | 'sw' | 'ss', queueId: string, day: string): string => `${SCHEDULER_PREFIX}${kind}:${queueId}:${day}`,
  /** Every queue ever used (set). */
  queues: `${SCHEDULER_PREFIX}queues`,
  /** Grace and wrap-up ends (sorted set). */
  deadlines: `${SCHEDULER_PREFIX}deadlines`,
  /** The server processes that hold connections (set). */
  processes: `${PRESENCE_PREFIX}processes`,
  /** A server process's lease, present while it lives (string with an expiry). */
  lease: (processId: string): string => `${PRESENCE_PREFIX}lease:${processId}`,
  /** The connections a server process holds (set). */
  held: (processId: string): string => `${PRESENCE_PREFIX}held:${processId}`,
} as const;

/** Each script's file and the keys it declares, in the order of its KEYS. */
const SCRIPTS = {
  schedulerStart: { file: 'start.lua', keys: ['visit', 'queue', 'queues'] },
  schedulerCancel: { file: 'cancel.lua', keys: ['visit', 'deadlines'] },
  schedulerEndSession: { file: 'end-session.lua', keys: ['visit', 'officer', 'deadlines'] },
  schedulerTransfer: { file: 'transfer.lua', keys: ['visit', 'officer', 'deadlines'] },
  schedulerBoothAway: { file: 'booth-away.lua', keys: ['visit', 'deadlines'] },
  schedulerBoothBack: { file: 'booth-back.lua', keys: ['visit', 'deadlines'] },
  schedulerOfficerOnline: { file: 'officer-online.lua', keys: ['officer', 'deadlines', 'queues'] },
  schedulerOfficerAway: { file: 'officer-away.lua', keys: ['officer', 'deadlines'] },
  schedulerSetWork: { file: 'set-work.lua', keys: ['officer', 'deadlines'] },
  schedulerSetCapacity: { file: 'set-capacity.lua', keys: ['officer'] },
  schedulerExpire: { file: 'expire.lua', keys: ['deadlines'] },
  schedulerReap: { file: 'reap.lua', keys: ['lease', 'held', 'processes', 'deadlines'] },
} as const satisfies Record<string, { file: string; keys: readonly string[] }>;

export type SchedulerScriptName = keyof typeof SCRIPTS;

/** The keys script `N` declares, by name. */
export type ScriptKeys<N extends SchedulerScriptName> = Record<(typeof SCRIPTS)[N]['keys'][number], string>;

/** Where the .lua files are, beside this module both under tsx and under jest. */
export const LUA_DIRECTORY = new URL('./lua/', import.meta.url);

/** The source of a .lua file of the scheduler. */
export function readLua(file: string): string {
  return readFileSync(new URL(file, LUA_DIRECTORY), 'utf8');
}

/** Every script's full source, read once when the server starts: the prelude, the script, its answer. */
const SOURCES = new Map(
  Object.entries(SCRIPTS).map(([name, { file }]) => [name, `${readLua('prelude.lua')}\n${readLua(file)}\nreturn cjson.encode(events)\n`]),
);

type CommandRunner = Record<SchedulerScriptName, (...keysThenArgs: string[]) => Promise<string>>;

/** The scheduler's scripts as commands of one Redis client. */
export class SchedulerScripts {
  private readonly commands: CommandRunner;

  constructor(redis: Redis) {
    // defineCommand runs each script by its SHA (EVALSHA), sending the source again only when
    // Redis does not know it, e.g. after a restart.
    for (const [name, { keys }] of Object.entries(SCRIPTS)) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: keys.length, lua: SOURCES.get(name)! });
    }
    this.commands = redis as unknown as CommandRunner;
  }

  /** Runs script `name` with its declared keys and its arguments; resolves to its JSON answer. */
  run<N extends SchedulerScriptName>(name: N, keys: ScriptKeys<N>, args: readonly string[]): Promise<string> {
    const declared = SCRIPTS[name].keys as ReadonlyArray<keyof ScriptKeys<N>>;
    return this.commands[name](...declared.map((key) => keys[key]), ...args);
  }
}
