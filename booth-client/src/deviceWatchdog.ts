/**
 * Keeps the call's camera and microphone alive: a track that ends (the kiosk slept, the USB
 * device was replugged) is opened again and put in place of the ended one, with a few attempts
 * spaced out; when none works the device is at fault, and stays so until asked to retry.
 *
 * A track can end without its `ended` event (`stop()` called by script never fires it), so
 * besides listening to the event the watchdog looks at every track's `readyState` each
 * CHECK_INTERVAL_MS. What a track is, how one is opened and how it is put in place are the
 * caller's, so that this logic runs without a browser.
 *
 * A device that keeps ending (a loose USB cable, a failing hub) is opened again each time and
 * the call goes on, so no fault would ever reach branch IT; once it has had to be opened again
 * UNSTABLE_REOPENINGS times within UNSTABLE_WINDOW_MS the watchdog reports it unstable, once.
 */
import { MAX_CHECK_DETAIL_LENGTH, type DeviceFault, type DeviceKind } from '@bilik/shared/fleet';

/** How often every watched track's state is looked at. */
export const CHECK_INTERVAL_MS = 1000;
/** The wait before each attempt to open an ended device again; after the last one fails, it is at fault. */
export const REACQUIRE_DELAYS_MS: readonly number[] = [0, 500, 1500, 3000];
/**
 * A device opened again this many times within UNSTABLE_WINDOW_MS is reported unstable: one end
 * is a kiosk that slept or a cable touched; three in ten minutes is hardware IT should look at.
 */
export const UNSTABLE_REOPENINGS = 3;
export const UNSTABLE_WINDOW_MS = 10 * 60_000;

/** What the watchdog needs of a track: MediaStreamTrack has it. */
export interface WatchedTrack {
  readonly readyState: 'live' | 'ended';
  addEventListener(type: 'ended', listener: () => void): void;
  removeEventListener(type: 'ended', listener: () => void): void;
  stop(): void;
}

/** Timers, injectable so that tests run the watchdog's time themselves. */
export interface WatchdogClock {
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
  /** Resolves after `ms`. */
  wait(ms: number): Promise<void>;
  /** Milliseconds on a clock that only moves forward. */
  now(): number;
}

export interface DeviceWatchdogDeps<Track extends WatchedTrack> {
  /** The track of this kind the call sends now, or null if it has none. */
  current(kind: DeviceKind): Track | null;
  /** Opens the device again, with the settings of the call. */
  reacquire(kind: DeviceKind): Promise<Track>;
  /** Puts `track` in place of the ended one wherever the call uses it. */
  install(kind: DeviceKind, track: Track): Promise<void>;
  /** No attempt worked: the device is at fault. */
  onFault(fault: DeviceFault): void;
  /** The device works again (a new track is in place). */
  onRecovered(kind: DeviceKind): void;
  /** The device works, but has had to be opened again too often (see UNSTABLE_REOPENINGS). */
  onUnstable(fault: DeviceFault): void;
  clock?: WatchdogClock;
}

const BROWSER_CLOCK: WatchdogClock = {
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    return () => clearInterval(timer);
  },
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => performance.now(),
};

/** Where one kind of device stands: working (watched), being opened again, or at fault. */
type DeviceState = 'watching' | 'reacquiring' | 'faulty';

/** Watches the call's tracks from construction until `stop()`. */
export class DeviceWatchdog<Track extends WatchedTrack> {
  private readonly states = new Map<DeviceKind, DeviceState>([
    ['camera', 'watching'],
    ['microphone', 'watching'],
  ]);
  // The tracks whose `ended` event is listened to, so the listener comes off when they are replaced.
  private readonly listened = new Map<DeviceKind, { track: Track; listener: () => void }>();
  // When each kind was last opened again, newest last, within UNSTABLE_WINDOW_MS.
  private readonly reopenings = new Map<DeviceKind, number[]>([
    ['camera', []],
    ['microphone', []],
  ]);
  private readonly reportedUnstable = new Set<DeviceKind>();
  private readonly clock: WatchdogClock;
  private readonly stopTicking: () => void;
  private stopped = false;

  constructor(private readonly deps: DeviceWatchdogDeps<Track>) {
    this.clock = deps.clock ?? BROWSER_CLOCK;
    this.stopTicking = this.clock.every(CHECK_INTERVAL_MS, () => this.check());
    this.check();
  }

  /** Tries again to open a device at fault, as when the claimant presses "Coba lagi". */
  retry(kind: DeviceKind): void {
    if (this.stopped || this.states.get(kind) !== 'faulty') return;
    void this.reacquire(kind);
  }

  /** Stops watching; an attempt under way throws away what it opens. Safe to call twice. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stopTicking();
    for (const { track, listener } of this.listened.values()) track.removeEventListener('ended', listener);
    this.listened.clear();
  }

  /** Listens to each current track's end, and opens again any that has ended. */
  private check(): void {
    if (this.stopped) return;
    for (const [kind, state] of this.states) {
      if (state !== 'watching') continue;
      const track = this.deps.current(kind);
      if (!track) continue;
      this.listen(kind, track);
      if (track.readyState === 'ended') void this.reacquire(kind);
    }
  }

  private listen(kind: DeviceKind, track: Track): void {
    const listened = this.listened.get(kind);
    if (listened?.track === track) return;
    if (listened) listened.track.removeEventListener('ended', listened.listener);
    const listener = (): void => this.check();
    track.addEventListener('ended', listener);
    this.listened.set(kind, { track, listener });
  }

  private async reacquire(kind: DeviceKind): Promise<void> {
    this.states.set(kind, 'reacquiring');
    let failure: unknown = null;
    for (const delay of REACQUIRE_DELAYS_MS) {
      if (delay > 0) await this.clock.wait(delay);
      if (this.stopped) return;
      try {
        await this.replace(kind);
        if (this.stopped) return;
        this.states.set(kind, 'watching');
        this.deps.onRecovered(kind);
        this.noteReopening(kind);
        this.check();
        return;
      } catch (error) {
        failure = error;
      }
    }
    if (this.stopped) return;
    this.states.set(kind, 'faulty');
    this.deps.onFault({ kind, detail: describeFailure(failure) });
  }

  /** Counts a successful reopening, and reports the device unstable the first time there were too many. */
  private noteReopening(kind: DeviceKind): void {
    const now = this.clock.now();
    const recent = [...this.reopenings.get(kind)!.filter((at) => now - at < UNSTABLE_WINDOW_MS), now];
    this.reopenings.set(kind, recent);
    if (recent.length < UNSTABLE_REOPENINGS || this.reportedUnstable.has(kind)) return;
    this.reportedUnstable.add(kind);
    const minutes = Math.round(UNSTABLE_WINDOW_MS / 60_000);
    this.deps.onUnstable({ kind, detail: `unstable: ended and reopened ${recent.length} times within ${minutes} min` });
  }

  /** Opens the device and puts its track in place; a track that cannot be put in place is closed again. */
  private async replace(kind: DeviceKind): Promise<void> {
    const track = await this.deps.reacquire(kind);
    if (this.stopped) {
      track.stop();
      return;
    }
    try {
      await this.deps.install(kind, track);
    } catch (error) {
      track.stop();
      throw error;
    }
  }
}

/** A short technical note on why the device could not be opened, within what the server accepts. */
function describeFailure(error: unknown): string {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return detail.slice(0, MAX_CHECK_DETAIL_LENGTH);
}
