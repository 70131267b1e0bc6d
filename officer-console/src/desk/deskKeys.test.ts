import { MAX_DESK_CAPACITY } from '@bilik/shared/constants';
import { commandOfKey, TALK_KEYS, type KeyedDesk } from './deskKeys.js';

/** A full desk of the largest size, plus booths beyond it that no key may reach. */
const booths = Array.from({ length: 9 }, (_, index) => ({ boothId: `bilik-${index + 1}`, seat: index + 1 }));
const desk = (talking: string | null = null, focused: string | null = null): KeyedDesk => ({
  booths,
  talkingToBoothId: talking,
  focusedBoothId: focused,
});

test('the legend names the talk keys 1 to the largest desk', () => {
  expect(TALK_KEYS).toBe(`1–${MAX_DESK_CAPACITY}`);
});

test('each key of the legend talks to the booth in its seat', () => {
  for (let position = 1; position <= MAX_DESK_CAPACITY; position += 1) {
    expect(commandOfKey(String(position), desk())).toEqual({ kind: 'talk', boothId: `bilik-${position}` });
  }
});

test('digits beyond the legend are left to the browser', () => {
  for (let position = MAX_DESK_CAPACITY + 1; position <= 9; position += 1) expect(commandOfKey(String(position), desk())).toBeNull();
});

test('a talk key of an empty seat is left to the browser, and the others keep their booths', () => {
  const gap = { booths: [booths[0]!, booths[2]!], talkingToBoothId: null, focusedBoothId: null };
  expect(commandOfKey('2', gap)).toBeNull();
  expect(commandOfKey('3', gap)).toEqual({ kind: 'talk', boothId: 'bilik-3' });
});

test('0 silences the officer', () => {
  expect(commandOfKey('0', desk('bilik-2'))).toEqual({ kind: 'talk', boothId: null });
});

test('F enlarges the booth talked to, and shrinks it when it is enlarged already', () => {
  expect(commandOfKey('f', desk('bilik-2'))).toEqual({ kind: 'focus', boothId: 'bilik-2' });
  expect(commandOfKey('F', desk('bilik-2', 'bilik-2'))).toEqual({ kind: 'focus', boothId: null });
});

test('E and A act on the booth talked to, and on nothing when the officer talks to nobody', () => {
  expect(commandOfKey('e', desk('bilik-4'))).toEqual({ kind: 'end', boothId: 'bilik-4' });
  expect(commandOfKey('A', desk('bilik-4'))).toEqual({ kind: 'capture', boothId: 'bilik-4' });
  for (const key of ['e', 'E', 'a', 'A', 'f', 'F']) expect(commandOfKey(key, desk())).toBeNull();
});

test('Esc and P work on any desk; P even before the desk is known', () => {
  expect(commandOfKey('Escape', desk())).toEqual({ kind: 'escape' });
  expect(commandOfKey('p', null)).toEqual({ kind: 'toggleWork' });
  expect(commandOfKey('1', null)).toBeNull();
});

test('other keys are left to the browser', () => {
  for (const key of ['x', 'Enter', ' ', 'Tab', '-']) expect(commandOfKey(key, desk('bilik-1'))).toBeNull();
});
