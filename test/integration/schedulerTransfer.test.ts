/**
 * Live transfer in the scheduler against a real Redis (transfer.lua): the claimant handed to an
 * officer goes first to that officer, seated at once or at their next free seat, before any
 * queue; handed back to the queue, it goes to its front for anyone but the officer who handed it.
 */
import type { Account } from '../../server/src/accounts/accountStore.js';
import { branchQueueView } from '../../server/src/scheduler/branchQueueView.js';
import { Scheduler, type SchedulerEvent } from '../../server/src/scheduler/scheduler.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(() => redis.stop());
beforeEach(() => redis.client.flushall());

const QUEUE = 'cabang-a';
const HANDOVER = JSON.stringify({
  fromOfficerId: 'o1',
  fromName: 'Petugas Satu',
  note: 'Perlu cek KTP',
  at: '2026-12-03T07:00:00.000Z',
  documents: [],
});

function scheduler(): Scheduler {
  return new Scheduler(redis.client, { graceMs: 60_000, wrapUpMs: 0, timeZone: 'Asia/Jakarta' });
}

async function start(s: Scheduler, boothId: string, priority = false): Promise<void> {
  await s.boothStart(boothId, { queueId: QUEUE, service: 'jht', ticket: null, priority }, `conn-${boothId}`);
  // Redis's millisecond clock moves on, so two arrivals never share a wait start.
  const before = await s.redisNow();
  while ((await s.redisNow()) === before);
}

function assignments(events: SchedulerEvent[]): Array<[string, string]> {
  return events.flatMap((event) => (event.type === 'assigned' ? [[event.boothId, event.officerId] as [string, string]] : []));
}

test('a claimant handed to an officer with a free seat is seated there at once, keeping the visit', async () => {
  const s = scheduler();
  await s.officerOnline('o1', 1, [QUEUE], 'conn-o1');
  await start(s, 'b1');
  await s.officerOnline('o2', 1, [QUEUE], 'conn-o2');
  const before = (await s.visitOf('b1'))!;

  const events = await s.transfer('o1', 'b1', 'o2', HANDOVER);

  expect(events).toContainEqual({ type: 'transferred', boothId: 'b1', visitId: before.visitId, fromOfficerId: 'o1', queueId: QUEUE });
  expect(assignments(events)).toEqual([['b1', 'o2']]);
  const after = (await s.visitOf('b1'))!;
  expect(after).toMatchObject({ visitId: before.visitId, state: 'assigned', officerId: 'o2', since: before.since, moving: false });
  expect((await s.officer('o1'))!.boothIds).toEqual([]);
  expect(await s.journeyOf('b1')).toEqual({ state: 'assigned', service: 'jht', officerAway: false });
  const session = (await s.workOf('o2'))!.sessions[0]!;
  expect(session).toMatchObject({ boothId: 'b1', visitId: before.visitId, transfer: JSON.parse(HANDOVER) });
  // Its wait was counted once, when it was first served.
  expect((await s.servedToday(QUEUE)).count).toBe(1);
});

test('a claimant handed to a full officer waits at the front for that officer, ahead of the queue and of priority claimants', async () => {
  const s = scheduler();
  await s.officerOnline('o1', 1, [QUEUE], 'conn-o1');
  await s.officerOnline('o2', 1, [QUEUE], 'conn-o2');
  await start(s, 'b1');
  await start(s, 'b2');
  expect((await s.visitOf('b1'))!.officerId).not.toBeNull();
  const [from, to] = (await s.visitOf('b1'))!.officerId === 'o1' ? ['o1', 'o2'] : ['o2', 'o1'];
  const [handed, other] = from === 'o1' ? ['b1', 'b2'] : ['b2', 'b1'];
  // Someone already waits in the queue, a priority claimant at that.
  await start(s, 'b3', true);

  const events = await s.transfer(from, handed, to, HANDOVER);

  // The hand-over freed a seat of the handing officer, which the queue's first claimant takes.
  expect(assignments(events)).toEqual([['b3', from]]);
  expect(await s.journeyOf(handed)).toEqual({ state: 'transferring', service: 'jht' });
  expect((await s.visitOf(handed))!).toMatchObject({ state: 'waiting', moving: true, officerId: null });
  // Not in the queue: nobody else may take it, and waiting booths' places do not count it; the supervisor sees it wait first.
  expect((await s.waiting(QUEUE)).map((visit) => visit.boothId)).toEqual([]);
  expect((await s.handedTo(to)).map((visit) => visit.boothId)).toEqual([handed]);
  const accounts = [from, to].map((id) => ({ id, displayName: id, capacity: 1 }) as Account);
  const supervisorView = await branchQueueView(s, QUEUE, accounts, 600_000, () => Promise.resolve(new Map()));
  expect(supervisorView.waiting.map((booth) => booth.boothId)).toEqual([handed]);

  // Another claimant arrives before the receiving officer is free: the handed one still goes first.
  await start(s, 'b4', true);
  const freed = await s.endSession(to, other);
  expect(assignments(freed)).toEqual([[handed, to]]);
  expect(await s.journeyOf(handed)).toEqual({ state: 'assigned', service: 'jht', officerAway: false });
  expect(await s.journeyOf('b4')).toMatchObject({ state: 'waiting', place: 1 });
});

test('a claimant handed to an officer on a break waits until the officer takes booths again', async () => {
  const s = scheduler();
  await s.officerOnline('o1', 2, [QUEUE], 'conn-o1');
  await start(s, 'b1');
  await s.officerOnline('o2', 2, [QUEUE], 'conn-o2', 'not_ready');

  expect(assignments(await s.transfer('o1', 'b1', 'o2', HANDOVER))).toEqual([]);
  expect(await s.journeyOf('b1')).toEqual({ state: 'transferring', service: 'jht' });
  expect(assignments(await s.setWork('o2', 'available'))).toEqual([['b1', 'o2']]);
});

test('a claimant handed back to the queue goes to its front, for anyone but the officer who handed it', async () => {
  const s = scheduler();
  await s.officerOnline('o1', 2, [QUEUE], 'conn-o1');
  await start(s, 'b1');
  await start(s, 'b2');
  await s.officerOnline('o2', 1, [QUEUE], 'conn-o2', 'not_ready');
  expect(assignments(await s.transfer('o1', 'b1', null, HANDOVER))).toEqual([]);
  expect(await s.journeyOf('b1')).toEqual({ state: 'transferring', service: 'jht' });
  expect((await s.officer('o1'))!.boothIds).toEqual(['b2']);
  // A priority claimant arriving now queues behind it, and takes the seat it left, which it may not.
  expect(assignments(await s.boothStart('b3', { queueId: QUEUE, service: 'jht', ticket: null, priority: true }, 'conn-b3'))).toEqual([
    ['b3', 'o1'],
  ]);
  await start(s, 'b4', true);
  expect((await s.waiting(QUEUE)).map((visit) => visit.boothId)).toEqual(['b1', 'b4']);
  expect(assignments(await s.setWork('o2', 'available'))).toEqual([['b1', 'o2']]);
});

/** A scheduler with a 1 ms grace period, where o1 handed b1 to o2, who is not ready yet. */
async function handedOverWithShortGrace(): Promise<Scheduler> {
  const s = new Scheduler(redis.client, { graceMs: 1, wrapUpMs: 0, timeZone: 'Asia/Jakarta' });
  await s.officerOnline('o1', 1, [QUEUE], 'conn-o1');
  await start(s, 'b1');
  await s.officerOnline('o2', 1, [QUEUE], 'conn-o2', 'not_ready');
  await s.transfer('o1', 'b1', 'o2', HANDOVER);
  return s;
}

/** Lets Redis's clock pass the 1 ms grace period. */
async function afterGrace(s: Scheduler): Promise<void> {
  const now = await s.redisNow();
  while ((await s.redisNow()) < now + 5);
}

test('a claimant waiting for an officer who goes off duty for good waits at the front of the queue', async () => {
  const s = await handedOverWithShortGrace();
  await s.officerOnline('o3', 1, [QUEUE], 'conn-o3', 'not_ready');
  await s.officerAway('o2', 'conn-o2');
  await afterGrace(s);
  await s.expireDue();
  expect(await s.journeyOf('b1')).toEqual({ state: 'transferring', service: 'jht' });
  expect((await s.waiting(QUEUE)).map((visit) => visit.boothId)).toEqual(['b1']);
  expect(assignments(await s.setWork('o3', 'available'))).toEqual([['b1', 'o3']]);
});

test('a claimant lost while moving ends its visit as served by the officer who handed it over', async () => {
  const s = await handedOverWithShortGrace();
  const { visitId } = (await s.visitOf('b1'))!;
  await s.boothAway('b1', 'conn-b1');
  await afterGrace(s);
  const events = await s.expireDue();
  expect(events).toContainEqual(
    expect.objectContaining({
      type: 'released',
      boothId: 'b1',
      visitId,
      reason: 'timeout',
      served: expect.objectContaining({ officerId: 'o1' }),
    }),
  );
  expect(await redis.client.zcard('bilik:sch:ot:o2')).toBe(0);
  // Its seat is not kept for it: o2's next claimant comes from the queue.
  await s.setWork('o1', 'paused');
  await start(s, 'b2');
  expect(assignments(await s.setWork('o2', 'available'))).toEqual([['b2', 'o2']]);
});

test('a transfer is refused for a booth not in session with the officer, to oneself, to an officer off duty, and to an empty queue', async () => {
  const s = scheduler();
  await s.officerOnline('o1', 1, [QUEUE], 'conn-o1');
  await start(s, 'b1');
  await s.officerOnline('o9', 1, ['cabang-lain'], 'conn-o9');
  await expect(s.transfer('o2', 'b1', 'o1', HANDOVER)).rejects.toThrow('not in session with you');
  await expect(s.transfer('o1', 'b1', 'o1', HANDOVER)).rejects.toThrow('another officer');
  await expect(s.transfer('o1', 'b1', 'o9', HANDOVER)).rejects.toThrow('not signed in to serve this branch');
  await expect(s.transfer('o1', 'b1', null, HANDOVER)).rejects.toThrow('No other officer');
  expect((await s.visitOf('b1'))!).toMatchObject({ state: 'assigned', officerId: 'o1', moving: false, handover: null });
});
