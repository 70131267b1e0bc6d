/**
 * How a media session gets its WebRTC path back by itself: the booth has nobody to press a
 * button. A transport that stays `disconnected` for DISCONNECTED_GRACE_MS (a blip often mends
 * itself) or turns `failed` has its ICE restarted, with back-off and jitter between attempts; if
 * the path is still not connected REBUILD_AFTER_MS after the trouble began, the whole session is
 * rebuilt (new transports, producers and consumers on the same socket). So is a new session whose
 * path never connects within CONNECT_TIMEOUT_MS (ICE checks that pass where DTLS or media does
 * not, behind a middlebox that drops large UDP packets, say).
 *
 * `decide` is the pure state machine, driven by the transports' states and the clock;
 * TransportRecovery runs it on real transports and timers.
 */
import type { types as ms } from 'mediasoup-client';

/** A transport's connection state, as mediasoup-client reports it. */
export type TransportConnectionState = ms.ConnectionState;

/** The worst state over a session's transports; idle: none was used yet (nothing to send or receive). */
export type PathHealth = 'idle' | 'connected' | 'pending' | 'disconnected' | 'failed';

/** Where recovery stands. */
export type RecoveryPhase =
  /** A new session, its path not yet connected: not recovering yet. `since`: its first transport in use (null: none yet). */
  | { kind: 'starting'; since: number | null }
  /** Media flows. */
  | { kind: 'up' }
  /** The path is down since `since`; `attempts` ICE restarts were asked, the next one not before `nextAttemptAt`. */
  | { kind: 'down'; since: number; attempts: number; nextAttemptAt: number }
  /** Restarting ICE did not help in time: the session is being replaced. Final for this session. */
  | { kind: 'rebuild' };

/** What to do now, and when to decide again. */
export interface RecoveryDecision {
  phase: RecoveryPhase;
  /** Restart ICE on every transport that is disconnected or failed. */
  restartIce: boolean;
  /** Close this session and start a new one. */
  rebuild: boolean;
  /** When to call `decide` again even if no transport changes state; null: only on a change. */
  wakeAt: number | null;
}

/** A `disconnected` transport often comes back by itself within this long. */
export const DISCONNECTED_GRACE_MS = 2_000;
/** If ICE restarts have not brought the path back this long after it went down, rebuild. */
export const REBUILD_AFTER_MS = 8_000;
/** A new session's path normally connects within 1-3 s, even on a loaded kiosk; one that has not in this long is rebuilt. */
export const CONNECT_TIMEOUT_MS = 10_000;
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 4_000;

/**
 * The worst state over a session's transports. A transport still `new` was never used (an
 * officer's receive transport while no booth is seated) and does not count; if none was used
 * yet, the path is idle.
 */
export function pathHealth(states: readonly TransportConnectionState[]): PathHealth {
  const used = states.filter((state) => state !== 'new' && state !== 'closed');
  if (used.includes('failed')) return 'failed';
  if (used.includes('disconnected')) return 'disconnected';
  if (used.length === 0) return 'idle';
  if (used.includes('connecting')) return 'pending';
  return 'connected';
}

/**
 * The pause before ICE restart number `attempt + 1` (attempt ≥ 1): doubling from
 * FIRST_BACKOFF_MS up to MAX_BACKOFF_MS, scaled by a random factor in [0.5, 1) so that the
 * booths of a desk that lost the same network do not all ask the server at the same instant.
 */
export function backoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1));
  return ceiling * (0.5 + random() / 2);
}

/**
 * The next step of recovery, given the phase so far, the path's health now and the time. A
 * pending path (ICE checking after a restart, a new session connecting) neither starts recovery
 * nor ends it: only `connected` ends it, and the rebuild bound keeps counting meanwhile; a new
 * session pending for CONNECT_TIMEOUT_MS is rebuilt.
 *
 * `pathReturned`: one of the session's transports has just connected. While another is still
 * down, that is the best sign the network is back, so the other is restarted at once rather than
 * after its back-off: its own connectivity checks, backed off during the outage, could take
 * seconds more to notice (measured: 2.5 s of a booth's video lost after a cut had ended).
 */
export function decide(
  phase: RecoveryPhase,
  health: PathHealth,
  now: number,
  random: () => number,
  pathReturned = false,
): RecoveryDecision {
  if (phase.kind === 'rebuild') return { phase, restartIce: false, rebuild: false, wakeAt: null };
  if (health === 'connected') return { phase: { kind: 'up' }, restartIce: false, rebuild: false, wakeAt: null };
  // A new session that has used no transport yet has nothing to time out: its clock starts at first use.
  if (phase.kind === 'starting' && health === 'idle') return { phase, restartIce: false, rebuild: false, wakeAt: null };
  if (health === 'idle') health = 'pending';
  if (phase.kind === 'starting' && health === 'pending') {
    const since = phase.since ?? now;
    const giveUpAt = since + CONNECT_TIMEOUT_MS;
    if (now >= giveUpAt) return { phase: { kind: 'rebuild' }, restartIce: false, rebuild: true, wakeAt: null };
    return { phase: { kind: 'starting', since }, restartIce: false, rebuild: false, wakeAt: giveUpAt };
  }
  if (phase.kind === 'up' && health === 'pending') return { phase, restartIce: false, rebuild: false, wakeAt: null };
  if (phase.kind !== 'down') phase = { kind: 'down', since: now, attempts: 0, nextAttemptAt: now + DISCONNECTED_GRACE_MS };
  const rebuildAt = phase.since + REBUILD_AFTER_MS;
  if (now >= rebuildAt) return { phase: { kind: 'rebuild' }, restartIce: false, rebuild: true, wakeAt: null };
  // A failed transport does not mend itself: the first restart need not wait out the grace.
  const restartNow = pathReturned || (health === 'failed' && phase.attempts === 0);
  const nextAttemptAt = restartNow ? Math.min(phase.nextAttemptAt, now) : phase.nextAttemptAt;
  const broken = health === 'disconnected' || health === 'failed';
  if (broken && now >= nextAttemptAt) {
    const attempts = phase.attempts + 1;
    const next: RecoveryPhase = { kind: 'down', since: phase.since, attempts, nextAttemptAt: now + backoffMs(attempts, random) };
    return { phase: next, restartIce: true, rebuild: false, wakeAt: Math.min(next.nextAttemptAt, rebuildAt) };
  }
  const waiting: RecoveryPhase = { ...phase, nextAttemptAt };
  return { phase: waiting, restartIce: false, rebuild: false, wakeAt: broken ? Math.min(nextAttemptAt, rebuildAt) : rebuildAt };
}

/** What recovery does to the session it watches. */
export interface RecoveryActions {
  /** Asks the server for fresh ICE parameters of `transport` and applies them; rejects when it cannot. */
  restartIce(transport: ms.Transport): Promise<void>;
  /** Replaces the session; called at most once. */
  rebuild(): void;
  /** The path went down (true) or is connected again (false). */
  onRecoveringChanged(recovering: boolean): void;
}

/**
 * Runs `decide` on a session's transports. Started `recovering` for a session that replaces a
 * broken one: it counts as down until its own path connects, and is rebuilt again if it does not.
 */
export class TransportRecovery {
  private phase: RecoveryPhase;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly onStateChange = (state: TransportConnectionState): void => this.step(state === 'connected');

  constructor(
    private readonly transports: readonly ms.Transport[],
    private readonly actions: RecoveryActions,
    options: { recovering: boolean },
    private readonly random: () => number = Math.random,
  ) {
    const now = performance.now();
    this.phase = options.recovering
      ? { kind: 'down', since: now, attempts: 0, nextAttemptAt: now + DISCONNECTED_GRACE_MS }
      : { kind: 'starting', since: now };
    for (const transport of transports) transport.on('connectionstatechange', this.onStateChange);
    this.step();
  }

  /** Whether the path is down or being replaced. */
  get recovering(): boolean {
    return this.phase.kind === 'down' || this.phase.kind === 'rebuild';
  }

  /** Stops watching; safe to call twice. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const transport of this.transports) transport.off('connectionstatechange', this.onStateChange);
  }

  private step(pathReturned = false): void {
    if (this.stopped) return;
    const wasRecovering = this.recovering;
    const health = pathHealth(this.transports.map((t) => t.connectionState));
    const decision = decide(this.phase, health, performance.now(), this.random, pathReturned);
    this.phase = decision.phase;
    clearTimeout(this.timer);
    if (decision.wakeAt !== null) this.timer = setTimeout(() => this.step(), Math.max(0, decision.wakeAt - performance.now()));
    if (this.recovering !== wasRecovering) this.actions.onRecoveringChanged(this.recovering);
    if (decision.restartIce) {
      for (const transport of this.transports) {
        if (transport.connectionState !== 'disconnected' && transport.connectionState !== 'failed') continue;
        // The server refuses a transport it no longer has (its worker died, say): only a rebuild helps then.
        this.actions.restartIce(transport).catch((error: unknown) => {
          console.warn('ICE restart failed; rebuilding the media session', transport.id, error);
          this.rebuildNow();
        });
      }
    }
    if (decision.rebuild) this.rebuildOnce();
  }

  private rebuildNow(): void {
    if (this.stopped || this.phase.kind === 'rebuild') return;
    this.phase = { kind: 'rebuild' };
    clearTimeout(this.timer);
    this.rebuildOnce();
  }

  private rebuildOnce(): void {
    this.stop();
    this.actions.rebuild();
  }
}
