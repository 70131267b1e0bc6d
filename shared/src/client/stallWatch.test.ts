import { nextStall, REQUEST_INTERVAL_MS, STALL_MS, type StallState, type VideoSample } from './stallWatch.js';

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
