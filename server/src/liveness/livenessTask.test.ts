import { LIVENESS_GESTURES, type LivenessTask } from '@bilik/shared';
import fc from 'fast-check';
import { newLivenessTask, type RandomBelow } from './livenessTask.js';

/** A RandomBelow that answers from `draws` (each taken modulo the asked range), for replaying any sequence of choices. */
function replaying(draws: readonly number[]): RandomBelow {
  let next = 0;
  return (max) => (draws[next++ % draws.length] ?? 0) % max;
}

function isWellFormed(task: LivenessTask): boolean {
  return task.kind === 'digits' ? /^[0-9]{4}$/.test(task.digits) : (LIVENESS_GESTURES as readonly string[]).includes(task.gesture);
}

describe('newLivenessTask', () => {
  test('whatever the random source answers within range, the task is four digits or a gesture from the list', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (draws) => {
        expect(isWellFormed(newLivenessTask(replaying(draws)))).toBe(true);
      }),
    );
  });

  test('with node:crypto randomness every task is well formed, and both kinds and every gesture and digit come up', () => {
    const tasks = fc.sample(
      fc.constant(null).map(() => newLivenessTask()),
      2000,
    );
    expect(tasks.every(isWellFormed)).toBe(true);
    const gestures = new Set(tasks.flatMap((task) => (task.kind === 'gesture' ? [task.gesture] : [])));
    const digits = new Set(tasks.flatMap((task) => (task.kind === 'digits' ? [...task.digits] : [])));
    expect([...gestures].sort()).toEqual([...LIVENESS_GESTURES].sort());
    expect(digits.size).toBe(10);
  });

  test('the digits come from the random source, one draw per digit', () => {
    expect(newLivenessTask(replaying([0, 4, 8, 3, 1]))).toEqual({ kind: 'digits', digits: '4831' });
  });

  test('a gesture is picked by its place in the list', () => {
    expect(newLivenessTask(replaying([1, 2]))).toEqual({ kind: 'gesture', gesture: LIVENESS_GESTURES[2] });
  });
});
