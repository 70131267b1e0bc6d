import type { OfficerLoadView, WorkState } from '@bilik/shared/journey';
import { unstaffedQueue } from './staffing.js';

const officer = (state: WorkState): OfficerLoadView => ({
  accountId: `officer-${state}`,
  displayName: state,
  role: 'officer',
  state,
  capacity: 6,
  activeSessions: 0,
  boothIds: [],
  holds: [],
});
const waiting = (count: number) => Array.from({ length: count }, () => ({}) as never);

test('claimants waiting while every officer is on a break, not ready or away raise the alarm, saying who is where', () => {
  expect(unstaffedQueue({ waiting: waiting(3), officers: [officer('paused'), officer('offline'), officer('paused')] })).toEqual({
    waiting: 3,
    paused: 2,
    offline: 1,
  });
});

test('claimants waiting with no officer in the branch at all raise the alarm', () => {
  expect(unstaffedQueue({ waiting: waiting(1), officers: [] })).toEqual({ waiting: 1, paused: 0, offline: 0 });
});

test('one officer taking booths, or in wrap-up, is enough to keep the alarm off', () => {
  expect(unstaffedQueue({ waiting: waiting(2), officers: [officer('paused'), officer('available')] })).toBeNull();
  expect(unstaffedQueue({ waiting: waiting(2), officers: [officer('offline'), officer('wrap_up')] })).toBeNull();
});

test('nobody waiting raises no alarm, whatever the officers do', () => {
  expect(unstaffedQueue({ waiting: [], officers: [officer('paused')] })).toBeNull();
});
