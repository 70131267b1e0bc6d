/**
 * The scheduler's promises under concurrency: two separate processes, each running the real
 * Scheduler on one shared Redis, apply hundreds of random arrivals, departures, disconnects,
 * reconnects, sessions ended and capacity changes, two at a time. After every step the state in
 * Redis must hold:
 * - no officer is over capacity (a lowered capacity ends no session; it only stops new ones);
 * - no booth is in two places, and each booth's record agrees with where it is;
 * - no present waiting booth is left while an officer of its queue has room;
 * - assignments respect the order: priority first, then the longest wait.
 * PROPERTY_SEED replays a run; PROPERTY_STEPS makes it longer.
 */
import type { Redis } from 'ioredis';
import type { SchedulerEvent } from '../../server/src/scheduler/scheduler.js';
import { randomSource } from '../support/random.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { SchedulerProcess } from '../support/schedulerProcesses.js';

const SEED = Number(process.env.PROPERTY_SEED ?? Date.now() % 1_000_000);
const STEPS = Number(process.env.PROPERTY_STEPS ?? 400);
const P = 'bilik:sch:';
const PRIORITY_BONUS = 10_000_000_000_000;

const QUEUES = ['cabang-a', 'cabang-b', 'cabang-c'];
const OFFICERS = [
  { id: 'o1', queues: ['cabang-a'] },
  { id: 'o2', queues: ['cabang-a', 'cabang-b'] },
  { id: 'o3', queues: ['cabang-b'] },
  { id: 'o4', queues: ['cabang-c'] },
  { id: 'o5', queues: ['cabang-a', 'cabang-c'] },
];
const BOOTHS = Array.from({ length: 45 }, (_, index) => ({ id: `b${index + 1}`, queue: QUEUES[index % QUEUES.length]! }));

let redis: TestRedis;
let processes: SchedulerProcess[];

beforeAll(async () => {
  redis = await startTestRedis();
  processes = await Promise.all([SchedulerProcess.start(redis.url), SchedulerProcess.start(redis.url)]);
}, 60_000);

afterAll(async () => {
  await Promise.all(processes.map((child) => child.stop()));
  await redis.stop();
});

interface Snapshot {
  booths: Map<string, Record<string, string>>;
  queues: Map<string, Array<{ boothId: string; score: number }>>;
  officers: Map<string, { fields: Record<string, string>; booths: string[] }>;
  queueOfficers: Map<string, string[]>;
}

async function snapshot(client: Redis): Promise<Snapshot> {
  const booths = new Map<string, Record<string, string>>();
  for (const booth of BOOTHS) {
    const fields = await client.hgetall(`${P}b:${booth.id}`);
    if (fields.state) booths.set(booth.id, fields);
  }
  const queues = new Map<string, Array<{ boothId: string; score: number }>>();
  const queueOfficers = new Map<string, string[]>();
  for (const queue of QUEUES) {
    const flat = await client.zrange(`${P}q:${queue}`, 0, -1, 'WITHSCORES');
    const entries: Array<{ boothId: string; score: number }> = [];
    for (let index = 0; index < flat.length; index += 2) entries.push({ boothId: flat[index]!, score: Number(flat[index + 1]) });
    queues.set(queue, entries);
    queueOfficers.set(queue, await client.smembers(`${P}qo:${queue}`));
  }
  const officers = new Map<string, { fields: Record<string, string>; booths: string[] }>();
  for (const officer of OFFICERS) {
    officers.set(officer.id, {
      fields: await client.hgetall(`${P}o:${officer.id}`),
      booths: await client.smembers(`${P}ob:${officer.id}`),
    });
  }
  return { booths, queues, officers, queueOfficers };
}

function scoreOf(fields: Record<string, string>): number {
  return Number(fields.since) - (fields.priority === '1' ? PRIORITY_BONUS : 0);
}

/** Every broken promise of the state, as readable lines (empty when all hold). */
function violations(before: Snapshot, after: Snapshot, events: SchedulerEvent[]): string[] {
  const found: string[] = [];
  const places = new Map<string, string[]>();
  const note = (boothId: string, place: string): void => void places.set(boothId, [...(places.get(boothId) ?? []), place]);
  for (const [queue, entries] of after.queues) for (const { boothId } of entries) note(boothId, `queue ${queue}`);
  for (const [officerId, officer] of after.officers) for (const boothId of officer.booths) note(boothId, `officer ${officerId}`);

  for (const booth of BOOTHS) {
    const where = places.get(booth.id) ?? [];
    const fields = after.booths.get(booth.id);
    if (where.length > 1) found.push(`${booth.id} is in two places: ${where.join(', ')}`);
    const expected = fields === undefined ? [] : fields.state === 'waiting' ? [`queue ${fields.queue}`] : [`officer ${fields.officer}`];
    if (where.join() !== expected.join())
      found.push(
        `${booth.id} is recorded ${fields?.state ?? 'idle'} (${expected.join() || 'nowhere'}) but sits in ${where.join() || 'nowhere'}`,
      );
  }

  for (const [officerId, officer] of after.officers) {
    const capacity = Number(officer.fields.capacity ?? 0);
    const previous = before.officers.get(officerId)!;
    // Over capacity is allowed only where a lowered capacity left it, never by a new assignment.
    const ceiling = Math.max(capacity, Number(previous.fields.capacity ?? 0), previous.booths.length);
    if (officer.booths.length > ceiling) found.push(`${officerId} has ${officer.booths.length} booths, capacity ${capacity}`);
    if (officer.fields.state === 'offline' && officer.booths.length > 0) found.push(`${officerId} is offline with booths`);
  }

  for (const [queue, entries] of after.queues) {
    const present = entries.filter(({ boothId }) => after.booths.get(boothId)?.away === undefined);
    if (present.length === 0) continue;
    for (const officerId of after.queueOfficers.get(queue) ?? []) {
      const officer = after.officers.get(officerId)!;
      const hasRoom =
        officer.fields.state === 'available' &&
        officer.fields.away === undefined &&
        officer.booths.length < Number(officer.fields.capacity);
      if (hasRoom) found.push(`${present[0]!.boothId} waits in ${queue} while ${officerId} has room`);
    }
  }

  // A booth assigned during the step must not have jumped a booth that waited, present,
  // throughout the step with a better place, in any queue the officer serves.
  for (const event of events) {
    if (event.type !== 'assigned') continue;
    const assigned = after.booths.get(event.boothId);
    if (!assigned || assigned.officer !== event.officerId) continue;
    const served = (after.officers.get(event.officerId)?.fields.queues ?? '').split(' ');
    for (const queue of served) {
      const waitedThroughout = (before.queues.get(queue) ?? []).filter(({ boothId }) => {
        const stillWaiting = after.queues.get(queue)?.some((entry) => entry.boothId === boothId);
        return stillWaiting && before.booths.get(boothId)?.away === undefined && after.booths.get(boothId)?.away === undefined;
      });
      for (const { boothId, score } of waitedThroughout) {
        if (score < scoreOf(assigned))
          found.push(
            `${event.boothId} was assigned to ${event.officerId} ahead of ${boothId} (${queue}), which waited longer or has priority`,
          );
      }
    }
  }
  return found;
}

type Operation = { subject: string; method: Parameters<SchedulerProcess['call']>[0]; args: unknown[] };

/** One random operation; `subject` keeps two operations of one step off the same booth or officer. */
function pickOperation(next: () => number, state: Snapshot): Operation {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const roll = next();
  const booth = pick(BOOTHS);
  const officer = pick(OFFICERS);
  if (roll < 0.3)
    return {
      subject: booth.id,
      method: 'boothStart',
      args: [booth.id, { queueId: booth.queue, service: 'jht', ticket: null, priority: next() < 0.2 }, `c-${booth.id}`],
    };
  if (roll < 0.36) return { subject: booth.id, method: 'boothCancel', args: [booth.id] };
  if (roll < 0.46) return { subject: booth.id, method: 'boothAway', args: [booth.id, `c-${booth.id}`] };
  if (roll < 0.56) return { subject: booth.id, method: 'boothBack', args: [booth.id, `c-${booth.id}`] };
  if (roll < 0.64)
    return {
      subject: officer.id,
      method: 'officerOnline',
      args: [officer.id, 4 + Math.floor(next() * 3), officer.queues, `c-${officer.id}`],
    };
  if (roll < 0.68) return { subject: officer.id, method: 'officerAway', args: [officer.id, `c-${officer.id}`] };
  if (roll < 0.74) return { subject: officer.id, method: 'setWork', args: [officer.id, next() < 0.7 ? 'available' : 'paused'] };
  if (roll < 0.8) return { subject: officer.id, method: 'setCapacity', args: [officer.id, 4 + Math.floor(next() * 3)] };
  if (roll < 0.94) {
    const theirs = state.officers.get(officer.id)?.booths ?? [];
    return { subject: officer.id, method: 'endSession', args: [officer.id, theirs.length > 0 ? pick(theirs) : booth.id] };
  }
  return { subject: 'clock', method: 'expireDue', args: [] };
}

test(`two processes sharing one Redis keep every scheduling promise (seed ${SEED}, ${STEPS} steps)`, async () => {
  const next = randomSource(SEED);
  let before = await snapshot(redis.client);
  const counts = { assigned: 0, refused: 0 };
  for (let step = 0; step < STEPS; step += 1) {
    const first = pickOperation(next, before);
    let second = pickOperation(next, before);
    while (second.subject === first.subject) second = pickOperation(next, before);
    const results = await Promise.all([processes[0]!.call(first.method, ...first.args), processes[1]!.call(second.method, ...second.args)]);
    const events = results.flatMap((result) => ('events' in result ? result.events : []));
    counts.refused += results.filter((result) => 'error' in result).length;
    counts.assigned += events.filter((event) => event.type === 'assigned').length;
    const after = await snapshot(redis.client);
    const broken = violations(before, after, events);
    if (broken.length > 0) {
      throw new Error(
        `Step ${step} (seed ${SEED}) ran ${first.method}${JSON.stringify(first.args)} and ${second.method}${JSON.stringify(second.args)}:\n${broken.join('\n')}`,
      );
    }
    before = after;
  }
  // The run must have exercised what it claims to: many assignments, some refusals.
  expect(counts.assigned).toBeGreaterThan(STEPS / 10);
  expect(counts.refused).toBeGreaterThan(0);
}, 120_000);
