/**
 * Makes liveness tasks with node:crypto's randomness: a claimant (or someone holding up a photo or
 * a recording) must not be able to guess what will be asked.
 */
import { randomInt } from 'node:crypto';
import { LIVENESS_DIGIT_COUNT, LIVENESS_GESTURES, type LivenessTask } from '@bilik/shared';

/** A whole number in [0, max): node:crypto's randomInt by default; tests pass their own. */
export type RandomBelow = (max: number) => number;

const cryptoRandomBelow: RandomBelow = (max) => randomInt(max);

/** A new task: even odds of four digits to read aloud or a gesture, each gesture as likely as the others. */
export function newLivenessTask(randomBelow: RandomBelow = cryptoRandomBelow): LivenessTask {
  if (randomBelow(2) === 0) {
    let digits = '';
    for (let index = 0; index < LIVENESS_DIGIT_COUNT; index += 1) digits += String(randomBelow(10));
    return { kind: 'digits', digits };
  }
  const gesture = LIVENESS_GESTURES[randomBelow(LIVENESS_GESTURES.length)];
  if (gesture === undefined) throw new RangeError('randomBelow answered outside its range');
  return { kind: 'gesture', gesture };
}
