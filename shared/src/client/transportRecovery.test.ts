import {
  backoffMs,
  CONNECT_TIMEOUT_MS,
  decide,
  DISCONNECTED_GRACE_MS,
  pathHealth,
  REBUILD_AFTER_MS,
  type PathHealth,
  type RecoveryDecision,
  type RecoveryPhase,
} from './transportRecovery.js';

const noJitter = (): number => 0.999_999;
const up: RecoveryPhase = { kind: 'up' };

/** Runs `decide` over (time, health) steps from `phase`, returning every decision. */
function run(phase: RecoveryPhase, steps: Array<[number, PathHealth]>, random = noJitter): RecoveryDecision[] {
  const decisions: RecoveryDecision[] = [];
  for (const [now, health] of steps) {
    const decision = decide(phase, health, now, random);
    decisions.push(decision);
    phase = decision.phase;
  }
  return decisions;
}

describe('pathHealth', () => {
  test('is the worst state over the transports that were used', () => {
    expect(pathHealth(['connected', 'new'])).toBe('connected');
    expect(pathHealth(['connected', 'connecting'])).toBe('pending');
    expect(pathHealth(['connected', 'disconnected'])).toBe('disconnected');
    expect(pathHealth(['disconnected', 'failed'])).toBe('failed');
  });

  test('is idle while no transport was used yet', () => {
    expect(pathHealth(['new', 'new'])).toBe('idle');
  });
});

describe('backoffMs', () => {
  test('doubles from one second up to four, jittered down by at most half', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => Math.round(backoffMs(attempt, () => 1)))).toEqual([1000, 2000, 4000, 4000, 4000]);
    expect(backoffMs(1, () => 0)).toBe(500);
  });
});

describe('decide', () => {
  test('a session setting up for the first time is not recovering, until it has not connected in time', () => {
    const starting: RecoveryPhase = { kind: 'starting', since: 0 };
    const [waiting, connected] = run(starting, [
      [0, 'pending'],
      [1_000, 'connected'],
    ]);
    expect(waiting).toEqual({ phase: starting, restartIce: false, rebuild: false, wakeAt: CONNECT_TIMEOUT_MS });
    expect(connected!.phase).toEqual(up);
    const stuck = run(starting, [
      [CONNECT_TIMEOUT_MS - 1, 'pending'],
      [CONNECT_TIMEOUT_MS, 'pending'],
    ]);
    expect(stuck.map((d) => d.rebuild)).toEqual([false, true]);
  });

  test('a new session that has used no transport yet is not timed out, and counts from its first use', () => {
    const [idle, pending, stuck] = run({ kind: 'starting', since: null }, [
      [60_000, 'idle'],
      [70_000, 'pending'],
      [70_000 + CONNECT_TIMEOUT_MS, 'pending'],
    ]);
    expect(idle).toEqual({ phase: { kind: 'starting', since: null }, restartIce: false, rebuild: false, wakeAt: null });
    expect(pending).toMatchObject({ phase: { kind: 'starting', since: 70_000 }, rebuild: false, wakeAt: 70_000 + CONNECT_TIMEOUT_MS });
    expect(stuck!.rebuild).toBe(true);
  });

  test('a new session whose transport fails before it ever connected is restarted at once', () => {
    const [decision] = run({ kind: 'starting', since: 0 }, [[500, 'failed']]);
    expect(decision).toMatchObject({ phase: { kind: 'down', since: 500 }, restartIce: true, rebuild: false });
  });

  test('a disconnect that mends itself within the grace restarts nothing', () => {
    const decisions = run(up, [
      [0, 'disconnected'],
      [DISCONNECTED_GRACE_MS - 1, 'disconnected'],
      [DISCONNECTED_GRACE_MS - 1, 'connected'],
    ]);
    expect(decisions.map((d) => d.restartIce)).toEqual([false, false, false]);
    expect(decisions[0]!.wakeAt).toBe(DISCONNECTED_GRACE_MS);
    expect(decisions[2]!.phase).toEqual(up);
  });

  test('a disconnect lasting the grace restarts ICE, then again after the back-off', () => {
    const decisions = run(up, [
      [0, 'disconnected'],
      [DISCONNECTED_GRACE_MS, 'disconnected'],
      [DISCONNECTED_GRACE_MS + 500, 'disconnected'],
      [DISCONNECTED_GRACE_MS + 1000, 'disconnected'],
    ]);
    expect(decisions.map((d) => d.restartIce)).toEqual([false, true, false, true]);
    expect(decisions[1]!.wakeAt).toBeCloseTo(DISCONNECTED_GRACE_MS + 1000);
  });

  test('a failed transport is restarted at once', () => {
    const [decision] = run(up, [[100, 'failed']]);
    expect(decision!.restartIce).toBe(true);
  });

  test('a path checking after a restart is neither restarted again nor given up before the bound', () => {
    const decisions = run(up, [
      [0, 'failed'],
      [5_000, 'pending'],
    ]);
    expect(decisions[1]).toMatchObject({ restartIce: false, rebuild: false, wakeAt: REBUILD_AFTER_MS });
  });

  test('a transport connecting while another is still down restarts the other at once, not after its back-off', () => {
    const [, restarted] = run(up, [
      [0, 'disconnected'],
      [DISCONNECTED_GRACE_MS, 'disconnected'],
    ]);
    expect(restarted!.restartIce).toBe(true);
    const phase = restarted!.phase;
    // Well within the back-off after the first restart, the receive transport connects again.
    const now = DISCONNECTED_GRACE_MS + 100;
    expect(decide(phase, 'disconnected', now, noJitter).restartIce).toBe(false);
    const returned = decide(phase, 'disconnected', now, noJitter, true);
    expect(returned.restartIce).toBe(true);
    expect(returned.phase).toMatchObject({ kind: 'down', attempts: 2 });
  });

  test('a path still down at the bound is rebuilt, once', () => {
    const decisions = run(up, [
      [0, 'disconnected'],
      [DISCONNECTED_GRACE_MS, 'disconnected'],
      [REBUILD_AFTER_MS, 'pending'],
      [REBUILD_AFTER_MS + 10, 'connected'],
    ]);
    expect(decisions.map((d) => d.rebuild)).toEqual([false, false, true, false]);
    expect(decisions[3]!.phase).toEqual({ kind: 'rebuild' });
  });

  test('the restarts never go past the rebuild bound', () => {
    let phase: RecoveryPhase = up;
    let now = 0;
    let restarts = 0;
    for (;;) {
      const decision = decide(phase, 'disconnected', now, Math.random);
      phase = decision.phase;
      if (decision.restartIce) restarts++;
      if (decision.rebuild) break;
      now = decision.wakeAt!;
      expect(now).toBeLessThanOrEqual(REBUILD_AFTER_MS);
    }
    expect(now).toBe(REBUILD_AFTER_MS);
    expect(restarts).toBeGreaterThanOrEqual(2);
  });

  test('a replacement session counts as down until its own path connects', () => {
    const phase: RecoveryPhase = { kind: 'down', since: 0, attempts: 0, nextAttemptAt: DISCONNECTED_GRACE_MS };
    expect(decide(phase, 'pending', 1_000, noJitter)).toMatchObject({ restartIce: false, rebuild: false, wakeAt: REBUILD_AFTER_MS });
    expect(decide(phase, 'pending', REBUILD_AFTER_MS, noJitter).rebuild).toBe(true);
    expect(decide(phase, 'connected', 1_000, noJitter).phase).toEqual(up);
  });
});
