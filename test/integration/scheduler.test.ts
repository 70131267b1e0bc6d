/**
 * The scheduler against a real Redis: queue order, capacity, grace periods, wrap-up and the
 * officer's loss. The cross-process property test is schedulerConcurrency.test.ts.
 */
import type { Service } from '@bilik/shared';
import { millisecondsOf } from '../../server/src/redis/redisClock.js';
import { Scheduler, type SchedulerEvent } from '../../server/src/scheduler/scheduler.js';
import { readLua } from '../../server/src/scheduler/scripts.js';
import { withProcessClockOff } from '../support/processClock.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(() => redis.stop());
beforeEach(() => redis.client.flushall());

function scheduler(options: Partial<{ graceMs: number; wrapUpMs: number; timeZone: string }> = {}): Scheduler {
  return new Scheduler(redis.client, { graceMs: 60_000, wrapUpMs: 0, timeZone: 'Asia/Jakarta', ...options });
}

function start(
  s: Scheduler,
  boothId: string,
  options: { queueId?: string; priority?: boolean; service?: Service } = {},
): Promise<SchedulerEvent[]> {
  return s.boothStart(
    boothId,
    { queueId: options.queueId ?? 'cabang-a', service: options.service ?? 'jht', ticket: null, priority: options.priority ?? false },
    `conn-${boothId}`,
  );
}

function assignments(events: SchedulerEvent[]): Array<[string, string]> {
  return events.flatMap((event) => (event.type === 'assigned' ? [[event.boothId, event.officerId] as [string, string]] : []));
}

/** Lets Redis's millisecond clock move on, so two arrivals never share a wait start. */
async function nextMillisecond(s: Scheduler): Promise<void> {
  const before = await s.redisNow();
  while ((await s.redisNow()) === before);
}

test('a booth waits while no officer serves its queue, and is told that nobody is on duty', async () => {
  const s = scheduler();
  expect(assignments(await start(s, 'bilik-1'))).toEqual([]);
  expect(await s.journeyOf('bilik-1')).toEqual({
    state: 'waiting',
    service: 'jht',
    priority: false,
    place: 1,
    officersOnDuty: 0,
    estimatedWaitMinutes: null,
  });
});

test('an officer on a break gives no wait estimate, and one back from it does', async () => {
  const s = scheduler();
  await s.officerOnline('o1', 1, ['cabang-a'], 'conn-o1');
  await start(s, 'b1');
  await start(s, 'b2');
  expect(await s.journeyOf('b2')).toMatchObject({ state: 'waiting', place: 1, estimatedWaitMinutes: 10 });
  await s.setWork('o1', 'paused');
  expect(await s.journeyOf('b2')).toMatchObject({ state: 'waiting', place: 1, officersOnDuty: 1, estimatedWaitMinutes: null });
  await s.setWork('o1', 'available');
  expect(await s.journeyOf('b2')).toMatchObject({ estimatedWaitMinutes: 10 });
});

test('an officer coming online takes the oldest waits first, priority claimants ahead of them', async () => {
  const s = scheduler();
  for (const boothId of ['b1', 'b2', 'b3']) {
    await start(s, boothId);
    await nextMillisecond(s);
  }
  await start(s, 'b4', { priority: true });
  expect(await s.journeyOf('b2')).toMatchObject({ state: 'waiting', place: 3 });
  expect(await s.journeyOf('b4')).toMatchObject({ place: 1, priority: true });

  const events = await s.officerOnline('o1', 2, ['cabang-a'], 'conn-o1');
  expect(assignments(events)).toEqual([
    ['b4', 'o1'],
    ['b1', 'o1'],
  ]);
  expect(await s.journeyOf('b2')).toMatchObject({ state: 'waiting', place: 1, officersOnDuty: 1, estimatedWaitMinutes: 10 });
  expect(await s.journeyOf('b4')).toEqual({ state: 'assigned', service: 'jht', officerAway: false });
});

test('among officers with room, the one with fewest sessions gets the booth, then the longest idle', async () => {
  const s = scheduler();
  await s.officerOnline('o1', 4, ['q'], 'c1');
  await start(s, 'b1', { queueId: 'q' });
  await s.officerOnline('o2', 4, ['q'], 'c2');
  expect(assignments(await start(s, 'b2', { queueId: 'q' }))).toEqual([['b2', 'o2']]);
  await nextMillisecond(s);
  // Both have one session; o1 was assigned longest ago.
  expect(assignments(await start(s, 'b3', { queueId: 'q' }))).toEqual([['b3', 'o1']]);
});

test('ending a session frees the slot at once for the next waiting booth, and a paused officer takes nobody', async () => {
  const s = scheduler();
  await s.officerOnline('o1', 4, ['q'], 'c1');
  for (const boothId of ['b1', 'b2', 'b3', 'b4', 'b5']) await start(s, boothId, { queueId: 'q' });
  expect((await s.officer('o1'))?.boothIds).toEqual(['b1', 'b2', 'b3', 'b4']);

  await s.setWork('o1', 'paused');
  const { visitId, service, assignedAt } = (await s.visitOf('b1'))!;
  const ended = await s.endSession('o1', 'b1');
  expect(ended).toContainEqual({
    type: 'released',
    boothId: 'b1',
    visitId,
    officerId: 'o1',
    queueId: 'q',
    reason: 'ended',
    served: { officerId: 'o1', service, assignedAt },
  });
  expect(assignments(ended)).toEqual([]);
  expect(assignments(await s.setWork('o1', 'available'))).toEqual([['b5', 'o1']]);
  expect(await s.journeyOf('b1')).toEqual({ state: 'idle' });
  await expect(s.endSession('o1', 'b1')).rejects.toThrow(/not in session with you/);
  expect((await s.today('q')).sessions).toHaveLength(1);
});

test('wrap-up keeps new booths away after a session until it ends by itself', async () => {
  const s = scheduler({ wrapUpMs: 1 });
  await s.officerOnline('o1', 4, ['q'], 'c1');
  for (const boothId of ['b1', 'b2', 'b3', 'b4', 'b5']) await start(s, boothId, { queueId: 'q' });
  const ended = await s.endSession('o1', 'b1');
  expect(assignments(ended)).toEqual([]);
  expect((await s.workOf('o1'))?.state).toBe('wrap_up');
  await nextMillisecond(s);
  await nextMillisecond(s);
  expect(assignments(await s.expireDue())).toEqual([['b5', 'o1']]);
  expect((await s.workOf('o1'))?.state).toBe('available');
});

test('lowering capacity ends no session but stops new ones; raising it assigns at once', async () => {
  const s = scheduler();
  await s.officerOnline('o1', 6, ['q'], 'c1');
  for (const boothId of ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']) await start(s, boothId, { queueId: 'q' });
  await s.setCapacity('o1', 4);
  await s.endSession('o1', 'b1');
  expect((await s.officer('o1'))?.boothIds).toHaveLength(5);
  expect(assignments(await s.setCapacity('o1', 6))).toEqual([['b7', 'o1']]);
});

test('a booth that comes back within the grace period resumes its session; one that does not is released', async () => {
  const s = scheduler({ graceMs: 60_000 });
  await s.officerOnline('o1', 4, ['q'], 'c1');
  await start(s, 'b1', { queueId: 'q' });
  await start(s, 'b2', { queueId: 'q' });
  await s.boothAway('b1', 'conn-b1');
  expect((await s.workOf('o1'))?.sessions.find((session) => session.boothId === 'b1')?.boothAway).toBe(true);
  // A reload: the new connection takes over before the old close is noticed.
  await s.boothBack('b1', 'conn-b1-reloaded');
  await s.boothAway('b1', 'conn-b1');
  expect(await s.visitOf('b1')).toMatchObject({ state: 'assigned', officerId: 'o1', away: false });

  const short = scheduler({ graceMs: 0 });
  const { visitId, service, assignedAt } = (await s.visitOf('b2'))!;
  await short.boothAway('b2', 'conn-b2');
  const expired = await short.expireDue();
  // A served visit's release says what a record of its end needs (an undecided visit is recorded from it).
  expect(expired).toContainEqual({
    type: 'released',
    boothId: 'b2',
    visitId,
    officerId: 'o1',
    queueId: 'q',
    reason: 'timeout',
    served: { officerId: 'o1', service, assignedAt },
  });
  expect(await s.journeyOf('b2')).toEqual({ state: 'idle' });
});

test('a waiting booth that drops keeps its place but is not assigned while away', async () => {
  const s = scheduler();
  await start(s, 'b1', { queueId: 'q' });
  await nextMillisecond(s);
  await start(s, 'b2', { queueId: 'q' });
  await s.boothAway('b1', 'conn-b1');
  expect(assignments(await s.officerOnline('o1', 4, ['q'], 'c1'))).toEqual([['b2', 'o1']]);
  expect(assignments(await s.boothBack('b1', 'conn-b1'))).toEqual([['b1', 'o1']]);
});

test("an officer who does not return in time loses their booths to the front of the queue, keeping the booths' waits", async () => {
  const s = scheduler({ graceMs: 0 });
  await s.officerOnline('o1', 4, ['q'], 'c1');
  await start(s, 'b1', { queueId: 'q' });
  await s.officerAway('o1', 'c1');
  expect(await s.journeyOf('b1')).toEqual({ state: 'assigned', service: 'jht', officerAway: true });
  await nextMillisecond(s);
  await start(s, 'b2', { queueId: 'q' });
  const since = (await s.visitOf('b1'))?.since;

  const expired = await s.expireDue();
  expect(expired).toContainEqual({ type: 'requeued', boothId: 'b1', officerId: 'o1', queueId: 'q' });
  expect(await s.visitOf('b1')).toMatchObject({ state: 'waiting', since, officerId: null });
  expect(await s.journeyOf('b1')).toMatchObject({ place: 1, officersOnDuty: 0 });
  expect((await s.workOf('o1'))?.state).toBe('offline');
  expect(assignments(await s.officerOnline('o2', 4, ['q'], 'c2'))).toEqual([
    ['b1', 'o2'],
    ['b2', 'o2'],
  ]);
});

test('an officer serving two branches takes the longest wait of either', async () => {
  const s = scheduler();
  await start(s, 'a1', { queueId: 'a' });
  await nextMillisecond(s);
  await start(s, 'b1', { queueId: 'b' });
  await nextMillisecond(s);
  await start(s, 'a2', { queueId: 'a' });
  expect(assignments(await s.officerOnline('o1', 4, ['b', 'a'], 'c1'))).toEqual([
    ['a1', 'o1'],
    ['b1', 'o1'],
    ['a2', 'o1'],
  ]);
});

test('a claimant who cancels leaves the queue; pressing start twice joins once', async () => {
  const s = scheduler();
  await start(s, 'b1');
  await start(s, 'b1');
  await start(s, 'b2');
  expect(await s.waiting('cabang-a')).toHaveLength(2);
  await s.boothCancel('b1');
  expect(await s.journeyOf('b1')).toEqual({ state: 'idle' });
  expect(await s.journeyOf('b2')).toMatchObject({ place: 1 });
});

/** Today's date (YYYY-MM-DD) in `timeZone` by Redis's clock. */
async function redisDay(timeZone: string): Promise<string> {
  const now = millisecondsOf(await redis.client.time());
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

test.each(['Asia/Jakarta', 'Pacific/Kiritimati', 'Etc/GMT+12'])(
  "in %s, a day's waits and sessions are filed under Redis's date, even when this process's clock is a day and a half behind",
  async (timeZone) => {
    const s = scheduler({ timeZone });
    const day = await redisDay(timeZone);
    await withProcessClockOff(-36 * 3600_000, async () => {
      await s.officerOnline('o1', 4, ['q'], 'c1');
      await start(s, 'b1', { queueId: 'q' });
      await s.endSession('o1', 'b1');
      expect(await s.today('q')).toEqual({ waits: [expect.any(Number)], sessions: [expect.any(Number)] });
    });
    // Unless the day turned meanwhile: then nothing here can tell which clock was used.
    if ((await redisDay(timeZone)) !== day) return;
    expect(await redis.client.exists(`bilik:sch:sw:q:${day}`, `bilik:sch:ss:q:${day}`, `bilik:sch:st:q:${day}`)).toBe(3);
  },
);

test("the scripts' calendar gives every date from 1800 to 2300 as the Gregorian calendar does", async () => {
  const firstDay = Math.floor(Date.UTC(1800, 0, 1) / 86_400_000);
  const lastDay = Math.floor(Date.UTC(2300, 0, 1) / 86_400_000);
  const dates = (await redis.client.eval(
    `${readLua('prelude.lua')}
local dates = {}
for days = tonumber(ARGV[2]), tonumber(ARGV[3]) do dates[#dates + 1] = civil_date(days) end
return dates`,
    0,
    '0',
    String(firstDay),
    String(lastDay),
  )) as string[];
  expect(dates).toHaveLength(lastDay - firstDay + 1);
  const wrong = dates.filter((date, index) => date !== new Date((firstDay + index) * 86_400_000).toISOString().slice(0, 10));
  expect(wrong).toEqual([]);
});
