import { linkGrade, LOSS_FAIR_PERCENT, LOSS_POOR_PERCENT, RTT_FAIR_MS, RTT_POOR_MS } from './linkQuality.js';

const link = (rttMs: number | null, packetLossPercent: number | null) => ({ rttMs, packetLossPercent });

test('a round trip is good below 150 ms, fair from 150 ms and poor from 300 ms', () => {
  expect(linkGrade(link(RTT_FAIR_MS - 1, null))).toBe('good');
  expect(linkGrade(link(RTT_FAIR_MS, null))).toBe('fair');
  expect(linkGrade(link(RTT_POOR_MS - 1, null))).toBe('fair');
  expect(linkGrade(link(RTT_POOR_MS, null))).toBe('poor');
});

test('packet loss is good below 1%, fair from 1% and poor from 5%', () => {
  expect(linkGrade(link(null, 0))).toBe('good');
  expect(linkGrade(link(null, LOSS_FAIR_PERCENT))).toBe('fair');
  expect(linkGrade(link(null, LOSS_POOR_PERCENT - 0.1))).toBe('fair');
  expect(linkGrade(link(null, LOSS_POOR_PERCENT))).toBe('poor');
});

test('a link is graded by the worse of its round trip and its loss', () => {
  expect(linkGrade(link(20, LOSS_POOR_PERCENT))).toBe('poor');
  expect(linkGrade(link(RTT_FAIR_MS, 0))).toBe('fair');
  expect(linkGrade(link(20, 0.2))).toBe('good');
});

test('a link with neither measure has no grade', () => {
  expect(linkGrade(link(null, null))).toBeNull();
});
