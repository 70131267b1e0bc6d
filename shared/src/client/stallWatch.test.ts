import { jest } from '@jest/globals';
import type { types as ms } from 'mediasoup-client';
import {
  nextStall,
  REQUEST_INTERVAL_MS,
  SAMPLE_INTERVAL_MS,
  STALL_MS,
  StallWatch,
  type StallState,
  type VideoSample,
} from './stallWatch.js';

/** Runs the rule over samples [at, packetsReceived, framesDecoded], returning at which times it asked for a key frame. */
function requestsOver(samples: Array<[number, number, number]>): number[] {
  let state: StallState | undefined;
  const requests: number[] = [];
  for (const [at, packetsReceived, framesDecoded] of samples) {
    const sample: VideoSample = { at, packetsReceived, framesDecoded };
    const next = nextStall(state, sample);
    state = next.state;
    if (next.requestKeyFrame) requests.push(at);
  }
  return requests;
}

test('a stream decoding as it receives asks for nothing', () => {
  expect(requestsOver([0, 1, 2, 3, 4].map((tick) => [tick * 250, tick * 40, tick * 7]))).toEqual([]);
});

test('packets arriving with no frame decoded for STALL_MS ask for a key frame, then again only after REQUEST_INTERVAL_MS', () => {
  const ticks = Array.from({ length: 20 }, (_, tick) => tick);
  // Decoding stops after the first sample; packets keep coming.
  const requests = requestsOver(ticks.map((tick) => [tick * 100, tick * 40, 7]));
  expect(requests[0]).toBe(STALL_MS);
  expect(requests[1]! - requests[0]!).toBeGreaterThanOrEqual(REQUEST_INTERVAL_MS);
  expect(requests).toHaveLength(2);
});

test('a stream with nothing arriving (paused, or its path lost) asks for nothing', () => {
  expect(requestsOver([0, 1, 2, 3, 4, 5, 6].map((tick) => [tick * 250, 100, 7]))).toEqual([]);
});

test('a decoded frame ends the stall: a new one is counted from there', () => {
  const requests = requestsOver([
    [0, 0, 1],
    [200, 40, 1],
    [300, 60, 2],
    [500, 100, 2],
    [600, 120, 2],
  ]);
  expect(requests).toEqual([600]);
});

describe('StallWatch', () => {
  /** A receiving transport whose getStats answers after `answerMs`, counting calls and the most in flight at once. */
  function receivingTransport(answerMs: number) {
    const calls = { started: 0, inFlight: 0, mostInFlight: 0 };
    const transport = {
      closed: false,
      getStats: async () => {
        calls.started += 1;
        calls.inFlight += 1;
        calls.mostInFlight = Math.max(calls.mostInFlight, calls.inFlight);
        await new Promise((resolve) => setTimeout(resolve, answerMs));
        calls.inFlight -= 1;
        return new Map();
      },
    };
    return { transport: transport as unknown as ms.Transport, calls };
  }
  const oneVideoConsumer = new Map([['track-1', { id: 'consumer-1' } as ms.Consumer]]);

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('with no video to watch, it asks the browser for no statistics', async () => {
    const { transport, calls } = receivingTransport(0);
    const watch = new StallWatch(
      transport,
      () => new Map(),
      () => Promise.resolve(),
    );
    await jest.advanceTimersByTimeAsync(SAMPLE_INTERVAL_MS * 20);
    watch.stop();
    expect(calls.started).toBe(0);
  });

  test('a slow getStats is never called again before it answers, and stop ends the sampling', async () => {
    const { transport, calls } = receivingTransport(SAMPLE_INTERVAL_MS * 3.5);
    const watch = new StallWatch(
      transport,
      () => oneVideoConsumer,
      () => Promise.resolve(),
    );
    await jest.advanceTimersByTimeAsync(SAMPLE_INTERVAL_MS * 45);
    expect(calls.mostInFlight).toBe(1);
    // One sample per answer and interval: 45 intervals hold 10 samples of 4.5 intervals each.
    expect(calls.started).toBe(10);
    watch.stop();
    await jest.advanceTimersByTimeAsync(SAMPLE_INTERVAL_MS * 10);
    expect(calls.started).toBe(10);
  });
});
