import { HOLD_AMBER_MS, HOLD_RED_MS, holdLevel } from './holdLevel.js';

test('a hold turns amber after a minute and red after two', () => {
  expect(holdLevel(0)).toBe('calm');
  expect(holdLevel(HOLD_AMBER_MS - 1)).toBe('calm');
  expect(holdLevel(HOLD_AMBER_MS)).toBe('amber');
  expect(holdLevel(HOLD_RED_MS - 1)).toBe('amber');
  expect(holdLevel(HOLD_RED_MS)).toBe('red');
});
