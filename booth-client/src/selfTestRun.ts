/**
 * The kiosk's self-test runs and what the self-test screen shows of them. When a run is wanted
 * (at every start, when branch IT asks, every minute while a check fails) is the journey
 * machine's to decide; this runs one, draws its progress, and sends its report to the server.
 */
import { describeError, request, type JourneySocket } from '@bilik/shared/client';
import { SELF_TEST_CHECKS, type SelfTestCheck } from '@bilik/shared/fleet';
import { runSelfTest } from './selfTest.js';
import type { CheckState, SelfTestScreen } from './selfTestScreen.js';

/** What the self-test screens show: the run's progress, its fault, or nothing. */
export type SelfTestShown = 'testing' | 'fault' | null;

/** Runs the self-test when told to, and shows its progress or fault on the self-test screen. */
export class SelfTestRun {
  private checks = pendingChecks();
  private running: SelfTestCheck | null = null;
  private shown: SelfTestShown = null;
  /** Counts runs, so a run that was forgotten (the kiosk revoked meanwhile) cannot report or change anything. */
  private generation = 0;

  constructor(private readonly screen: SelfTestScreen) {}

  /** Runs every check over the journey socket, reports to the server, and says whether all passed. */
  run(socket: JourneySocket, onFinished: (passed: boolean) => void): void {
    this.checks = pendingChecks();
    this.running = null;
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
        onFinished(SELF_TEST_CHECKS.every((check) => report[check].ok));
        await request(socket, 'selftest:report', report);
      })
      .catch((error: unknown) => console.warn('self-test report not delivered', describeError(error)));
  }

  /** Forgets the runs under way: the kiosk (re)starts with a credential, or lost it. */
  forget(): void {
    this.generation += 1;
    this.running = null;
  }

  /** Shows the run's progress, its fault, or hides both screens. */
  show(shown: SelfTestShown): void {
    this.shown = shown;
    this.draw();
  }

  private draw(): void {
    if (this.shown === 'testing') this.screen.show({ kind: 'testing', checks: this.checks, running: this.running });
    else if (this.shown === 'fault') this.screen.show({ kind: 'fault' });
    else this.screen.show(null);
  }
}

function pendingChecks(): Record<SelfTestCheck, CheckState> {
  return Object.fromEntries(SELF_TEST_CHECKS.map((check) => [check, 'pending'])) as Record<SelfTestCheck, CheckState>;
}
