import { reviewStateFor } from './outcomeRecorder.js';

describe('which outcomes wait for a second person', () => {
  test('every escalation, whatever the share; never an incomplete or rejected one', () => {
    for (const share of [0, 0.1, 1]) {
      expect(reviewStateFor('escalated', share)).toBe('pending');
      expect(reviewStateFor('incomplete', share)).toBe('not_required');
      expect(reviewStateFor('rejected', share)).toBe('not_required');
    }
  });

  test('approvals: none at 0, all at 1, about the share in between', () => {
    const drawn = (share: number, times: number): number =>
      Array.from({ length: times }, () => reviewStateFor('approved', share)).filter((state) => state === 'pending').length;
    expect(drawn(0, 1000)).toBe(0);
    expect(drawn(1, 1000)).toBe(1000);
    // 4000 draws at 0.25: 1000 expected, standard deviation about 27; 150 either side is over five of them.
    const quarter = drawn(0.25, 4000);
    expect(quarter).toBeGreaterThan(850);
    expect(quarter).toBeLessThan(1150);
  });
});
