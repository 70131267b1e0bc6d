import type { DeviceFault, DeviceKind } from '@bilik/shared/fleet';
import {
  CHECK_INTERVAL_MS,
  DeviceWatchdog,
  REACQUIRE_DELAYS_MS,
  UNSTABLE_REOPENINGS,
  UNSTABLE_WINDOW_MS,
  type WatchdogClock,
} from './deviceWatchdog.js';

/** A track as the watchdog sees one: ended by `stop()` silently, as script does, or by `unplug()` with the event, as a device does. */
class FakeTrack {
  readyState: 'live' | 'ended' = 'live';
  private readonly listeners = new Set<() => void>();
  constructor(readonly name: string) {}
  addEventListener(_type: 'ended', listener: () => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'ended', listener: () => void): void {
    this.listeners.delete(listener);
  }
  stop(): void {
    this.readyState = 'ended';
  }
  unplug(): void {
    this.readyState = 'ended';
    for (const listener of this.listeners) listener();
  }
  get listened(): number {
    return this.listeners.size;
  }
}

/** Time that passes only when the test says: ticks on demand, and the waits the watchdog asked for. */
class TestClock implements WatchdogClock {
  private tick: (() => void) | null = null;
  intervalMs: number | null = null;
  readonly waits: number[] = [];
  nowMs = 0;
  every(ms: number, tick: () => void): () => void {
    this.intervalMs = ms;
    this.tick = tick;
    return () => (this.tick = null);
  }
  wait(ms: number): Promise<void> {
    this.waits.push(ms);
    return Promise.resolve();
  }
  now(): number {
    return this.nowMs;
  }
  runTick(): void {
    this.tick?.();
  }
  get ticking(): boolean {
    return this.tick !== null;
  }
}

/** Lets every promise the watchdog chained settle. */
async function settle(): Promise<void> {
  for (let round = 0; round < 50; round++) await Promise.resolve();
}

interface Harness {
  watchdog: DeviceWatchdog<FakeTrack>;
  clock: TestClock;
  tracks: Map<DeviceKind, FakeTrack>;
  opened: FakeTrack[];
  installed: Array<[DeviceKind, string]>;
  faults: DeviceFault[];
  recovered: DeviceKind[];
  unstable: DeviceFault[];
  /** Whether opening a device works; an Error makes it fail with that error. */
  opening: { result: 'ok' | Error };
}

function watch(): Harness {
  const clock = new TestClock();
  const tracks = new Map<DeviceKind, FakeTrack>([
    ['camera', new FakeTrack('camera-1')],
    ['microphone', new FakeTrack('microphone-1')],
  ]);
  const harness: Omit<Harness, 'watchdog'> = {
    clock,
    tracks,
    opened: [],
    installed: [],
    faults: [],
    recovered: [],
    unstable: [],
    opening: { result: 'ok' },
  };
  let count = 1;
  const watchdog = new DeviceWatchdog<FakeTrack>({
    current: (kind) => tracks.get(kind) ?? null,
    reacquire: (kind) => {
      if (harness.opening.result instanceof Error) return Promise.reject(harness.opening.result);
      const track = new FakeTrack(`${kind}-${++count}`);
      harness.opened.push(track);
      return Promise.resolve(track);
    },
    install: (kind, track) => {
      tracks.set(kind, track);
      harness.installed.push([kind, track.name]);
      return Promise.resolve();
    },
    onFault: (fault) => harness.faults.push(fault),
    onRecovered: (kind) => harness.recovered.push(kind),
    onUnstable: (fault) => harness.unstable.push(fault),
    clock,
  });
  return { ...harness, watchdog };
}

const notReadable = Object.assign(new Error('Could not start video source'), { name: 'NotReadableError' });

test('a camera stopped silently is noticed at the next check and replaced by a newly opened one', async () => {
  const { clock, tracks, installed, recovered, faults } = watch();
  expect(clock.intervalMs).toBe(CHECK_INTERVAL_MS);
  tracks.get('camera')!.stop();
  await settle();
  expect(installed).toEqual([]);

  clock.runTick();
  await settle();
  expect(installed).toEqual([['camera', 'camera-2']]);
  expect(recovered).toEqual(['camera']);
  expect(faults).toEqual([]);
  // The microphone, still live, was left alone; the first attempt waits for nothing.
  expect(tracks.get('microphone')!.name).toBe('microphone-1');
  expect(clock.waits).toEqual([]);
});

test('a device that ends with its event is replaced at once, without waiting for a check', async () => {
  const { tracks, installed } = watch();
  tracks.get('microphone')!.unplug();
  await settle();
  expect(installed).toEqual([['microphone', 'microphone-2']]);
});

test('the replacement is watched in turn, and the ended track is no longer listened to', async () => {
  const { clock, tracks, installed } = watch();
  const first = tracks.get('camera')!;
  first.unplug();
  await settle();
  expect(first.listened).toBe(0);
  expect(tracks.get('camera')!.listened).toBe(1);

  tracks.get('camera')!.stop();
  clock.runTick();
  await settle();
  expect(installed.map(([, name]) => name)).toEqual(['camera-2', 'camera-3']);
});

test('a device that cannot be opened is retried with growing waits, then reported at fault with the reason, once', async () => {
  const harness = watchFailing();
  harness.tracks.get('camera')!.stop();
  harness.clock.runTick();
  await settle();
  expect(harness.clock.waits).toEqual(REACQUIRE_DELAYS_MS.filter((delay) => delay > 0));
  expect(harness.faults).toEqual([{ kind: 'camera', detail: 'NotReadableError: Could not start video source' }]);
  expect(harness.installed).toEqual([]);

  // At fault, the ended camera is not tried again by every check.
  harness.clock.runTick();
  await settle();
  expect(harness.faults).toHaveLength(1);
  expect(harness.clock.waits).toHaveLength(REACQUIRE_DELAYS_MS.length - 1);
});

test('a retry after the fault opens the device once it works again, and reports it recovered', async () => {
  const harness = watchFailing();
  harness.tracks.get('camera')!.stop();
  harness.clock.runTick();
  await settle();
  expect(harness.faults).toHaveLength(1);

  harness.opening.result = 'ok';
  harness.watchdog.retry('camera');
  await settle();
  expect(harness.installed).toEqual([['camera', 'camera-2']]);
  expect(harness.recovered).toEqual(['camera']);
  // Retrying a device that works does nothing.
  harness.watchdog.retry('camera');
  await settle();
  expect(harness.installed).toHaveLength(1);
});

test('a track that opens but cannot be put in place is closed again and counts as a failed attempt', async () => {
  const clock = new TestClock();
  const camera = new FakeTrack('camera-1');
  const opened: FakeTrack[] = [];
  const faults: DeviceFault[] = [];
  new DeviceWatchdog<FakeTrack>({
    current: (kind) => (kind === 'camera' ? camera : null),
    reacquire: () => {
      const track = new FakeTrack('camera-new');
      opened.push(track);
      return Promise.resolve(track);
    },
    install: () => Promise.reject(new Error('producer closed')),
    onFault: (fault) => faults.push(fault),
    onRecovered: () => undefined,
    onUnstable: () => undefined,
    clock,
  });
  camera.unplug();
  await settle();
  expect(opened).toHaveLength(REACQUIRE_DELAYS_MS.length);
  expect(opened.every((track) => track.readyState === 'ended')).toBe(true);
  expect(faults).toEqual([{ kind: 'camera', detail: 'Error: producer closed' }]);
});

test('once stopped it checks nothing, and a device it opens meanwhile is closed rather than put in place', async () => {
  const clock = new TestClock();
  const camera = new FakeTrack('camera-1');
  let resolveOpen: (track: FakeTrack) => void = () => undefined;
  const installed: FakeTrack[] = [];
  const watchdog = new DeviceWatchdog<FakeTrack>({
    current: (kind) => (kind === 'camera' ? camera : null),
    reacquire: () => new Promise((resolve) => (resolveOpen = resolve)),
    install: (_kind, track) => {
      installed.push(track);
      return Promise.resolve();
    },
    onFault: () => undefined,
    onRecovered: () => undefined,
    onUnstable: () => undefined,
    clock,
  });
  camera.unplug();
  await settle();
  watchdog.stop();
  watchdog.stop();
  expect(clock.ticking).toBe(false);
  expect(camera.listened).toBe(0);
  const late = new FakeTrack('camera-late');
  resolveOpen(late);
  await settle();
  expect(installed).toEqual([]);
  expect(late.readyState).toBe('ended');
});

test("a fault's detail is cut to what the server accepts", async () => {
  const harness = watchFailing(new Error('x'.repeat(500)));
  harness.tracks.get('microphone')!.unplug();
  await settle();
  expect(harness.faults[0]!.detail).toHaveLength(200);
});

/** A watchdog whose devices cannot be opened (until the test sets `opening.result` to 'ok'). */
function watchFailing(error: Error = notReadable): Harness {
  const harness = watch();
  harness.opening.result = error;
  return harness;
}

/** Ends the current camera with its event `times` times, `apartMs` apart, each reopened. */
async function unplugCamera(harness: Harness, times: number, apartMs: number): Promise<void> {
  for (let end = 0; end < times; end++) {
    harness.clock.nowMs += apartMs;
    harness.tracks.get('camera')!.unplug();
    await settle();
  }
}

test('a camera that keeps ending is reported unstable once, while it goes on working', async () => {
  const harness = watch();
  await unplugCamera(harness, UNSTABLE_REOPENINGS - 1, 60_000);
  expect(harness.unstable).toEqual([]);

  await unplugCamera(harness, 1, 60_000);
  expect(harness.unstable).toEqual([{ kind: 'camera', detail: `unstable: ended and reopened ${UNSTABLE_REOPENINGS} times within 10 min` }]);
  expect(harness.recovered).toHaveLength(UNSTABLE_REOPENINGS);
  expect(harness.faults).toEqual([]);

  await unplugCamera(harness, UNSTABLE_REOPENINGS, 60_000);
  expect(harness.unstable).toHaveLength(1);
});

test('ends spread wider than the window are a device that works, not an unstable one', async () => {
  const harness = watch();
  await unplugCamera(harness, UNSTABLE_REOPENINGS * 3, UNSTABLE_WINDOW_MS / (UNSTABLE_REOPENINGS - 1));
  expect(harness.recovered).toHaveLength(UNSTABLE_REOPENINGS * 3);
  expect(harness.unstable).toEqual([]);
});
