/**
 * When the kiosk tests itself: at every start, when branch IT asks, and every minute while a check
 * fails. A wanted self-test waits until the booth is idle (never during a claimant's visit); its
 * report goes to the server, and the welcome screen shows only once every check passed.
 */
import { describeError, request, type MediaSocket } from '@bilik/shared/client';
import { SELF_TEST_CHECKS, type SelfTestCheck, type SelfTestReport } from '@bilik/shared/fleet';
import { runSelfTest } from './selfTest.js';
import type { CheckState, SelfTestScreen } from './selfTestScreen.js';

/** Where the self-test stands: wanted, under way, or the last one's outcome. */
export type SelfTestPhase = 'due' | 'running' | 'passed' | 'failed';

const RETRY_MS = 60_000;

export class SelfTestSchedule {
  private current: SelfTestPhase = 'due';
  private checks = pendingChecks();
  private running: SelfTestCheck | null = null;
  private shown = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Counts runs, so a run that was forgotten (the kiosk revoked meanwhile) cannot report or change anything. */
  private generation = 0;

  constructor(
    private readonly screen: SelfTestScreen,
    /** The phase changed on its own (a run finished, a retry became due): the booth should redraw. */
    private readonly onChanged: () => void,
  ) {}

  get phase(): SelfTestPhase {
    return this.current;
  }

  /** Wants a self-test as soon as the booth is idle; one under way already answers the request. */
  request(): void {
    if (this.current === 'running') return;
    clearTimeout(this.retryTimer);
    this.current = 'due';
  }

  /** Starts the wanted self-test, if any, over the journey socket; call it only while the booth is idle. */
  runIfDue(socket: MediaSocket): void {
    if (this.current !== 'due') return;
    this.current = 'running';
    this.checks = pendingChecks();
    const generation = ++this.generation;
    const mine = (): boolean => generation === this.generation;
    runSelfTest(socket, {
      onCheckStarted: (check) => {
        if (!mine()) return;
        this.running = check;
        this.draw();
      },
      onCheckFinished: (check, ok) => {
        if (!mine()) return;
        this.checks[check] = ok ? 'ok' : 'failed';
        this.running = null;
        this.draw();
      },
    })
      .then(async (report) => {
        if (!mine()) return;
        this.finish(report);
        await request(socket, 'selftest:report', report);
      })
      .catch((error: unknown) => console.warn('self-test report not delivered', describeError(error)));
  }

  /** Shows the self-test screen (running) or the fault screen (failed), or hides them. */
  show(visible: boolean): void {
    this.shown = visible;
    this.draw();
  }

  /** Forgets everything of earlier runs, and wants a new one: the kiosk (re)starts with a credential. */
  reset(): void {
    this.generation += 1;
    clearTimeout(this.retryTimer);
    this.current = 'due';
    this.running = null;
  }

  private finish(report: SelfTestReport): void {
    const passed = SELF_TEST_CHECKS.every((check) => report[check].ok);
    this.current = passed ? 'passed' : 'failed';
    if (!passed) {
      this.retryTimer = setTimeout(() => {
        this.request();
        this.onChanged();
      }, RETRY_MS);
    }
    this.onChanged();
  }

  private draw(): void {
    if (!this.shown || this.current === 'passed') this.screen.show(null);
    else if (this.current === 'failed') this.screen.show({ kind: 'fault' });
    else this.screen.show({ kind: 'testing', checks: this.checks, running: this.running });
  }
}

function pendingChecks(): Record<SelfTestCheck, CheckState> {
  return Object.fromEntries(SELF_TEST_CHECKS.map((check) => [check, 'pending'])) as Record<SelfTestCheck, CheckState>;
}
