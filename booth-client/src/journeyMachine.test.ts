import type { JourneyState, VisitDecision } from '@bilik/shared/journey';
import {
  aboutToBeCalled,
  ABANDONED_MS,
  HELP_SHOWN_MS,
  helpOf,
  initialState,
  screenOf,
  SELF_TEST_RETRY_MS,
  THANKS_MS,
  THANKS_WITH_CODE_MS,
  transition,
  type Effect,
  type KioskEvent,
  type KioskState,
  type Step,
} from './journeyMachine.js';

const PAGE = 'https://cabang.example/booth/';
const CHOICE = { service: 'jkk', ticket: 'A-012', priority: true } as const;
const WAITING: JourneyState = { state: 'waiting', service: 'jkk', priority: true, place: 2, officersOnDuty: 1, estimatedWaitMinutes: 4 };
const ASSIGNED: JourneyState = { state: 'assigned', service: 'jkk', officerAway: false };
const ENDED: JourneyState = {
  state: 'ended',
  trackingCode: 'K7QX2MPA',
  trackingUrl: '/lacak/K7QX2MPA',
  decision: { decision: 'incomplete', missingDocuments: ['paklaring'] },
};

/** The state after `events`, from a freshly loaded page. */
function after(...events: KioskEvent[]): KioskState {
  return events.reduce((state, event) => transition(state, event).state, initialState());
}

const journey = (announced: JourneyState): KioskEvent => ({ type: 'journeyChanged', journey: announced, pageUrl: PAGE });
const started: KioskEvent = { type: 'started', credential: 'device-secret' };
const live: KioskEvent = { type: 'linkChanged', link: { kind: 'live' } };
const idle = journey({ state: 'idle' });
const passed: KioskEvent = { type: 'selfTestFinished', passed: true };
/** Mulai, a service, the details, and the summary confirmed: what a claimant does to join the queue. */
const queued: KioskEvent[] = [
  { type: 'startPressed' },
  { type: 'servicePicked', service: CHOICE.service },
  { type: 'detailsEntered', ticket: CHOICE.ticket, priority: CHOICE.priority },
  { type: 'confirmPressed' },
];

/** A kiosk connected, tested, and showing its welcome screen. */
function welcoming(): KioskState {
  return after(started, live, idle, passed);
}

function kinds(step: Step): Effect['kind'][] {
  return step.effects.map((effect) => effect.kind);
}

function effect<K extends Effect['kind']>(step: Step, kind: K): Extract<Effect, { kind: K }> | undefined {
  return step.effects.find((candidate): candidate is Extract<Effect, { kind: K }> => candidate.kind === kind);
}

/** Everything the kiosk holds that a claimant could have put there or been shown. */
function claimantTraces(state: KioskState): string[] {
  const text = JSON.stringify(state);
  return ['A-012', 'jkk', 'K7QX2MPA', 'lacak', 'paklaring', 'incomplete'].filter((trace) => text.includes(trace));
}

describe('starting the kiosk', () => {
  test('a kiosk without a credential wipes any earlier visit and asks branch IT to enrol it', () => {
    const step = transition(initialState(), { type: 'started', credential: null });
    expect(kinds(step)).toEqual(['wipeClaimant', 'askForEnrolment']);
    expect(screenOf(step.state)).toEqual({ kind: 'enrolment' });
  });

  test('a kiosk with a credential wipes any earlier visit, forgets earlier self-tests and connects with it', () => {
    const step = transition(initialState(), started);
    expect(kinds(step)).toEqual(['wipeClaimant', 'cancelTimer', 'forgetSelfTests', 'connect']);
    expect(effect(step, 'connect')?.credential).toBe('device-secret');
    expect(screenOf(step.state)).toEqual({ kind: 'link', link: { kind: 'connecting' } });
  });

  test('an accepted enrolment code stores the credential and connects with it', () => {
    const enrolling = after({ type: 'started', credential: null });
    const step = transition(enrolling, { type: 'enrolled', credential: 'issued' });
    expect(step.effects[0]).toEqual({ kind: 'storeCredential', credential: 'issued' });
    expect(effect(step, 'connect')?.credential).toBe('issued');
    expect(step.state.mode).toBe('running');
  });

  test('while enrolling, link and claimant events change nothing', () => {
    const enrolling = after({ type: 'started', credential: null });
    for (const event of [live, idle, { type: 'startPressed' }, { type: 'commandAnswered', command: 'start', ok: false }] as KioskEvent[]) {
      expect(transition(enrolling, event)).toEqual({ state: enrolling, effects: [] });
    }
  });
});

describe('the journey link', () => {
  test('a link that is not live forgets the visit and shows its state', () => {
    const step = transition(welcoming(), { type: 'linkChanged', link: { kind: 'unreachable', detail: 'ECONNREFUSED' } });
    expect(step.state.journey).toBeNull();
    expect(screenOf(step.state)).toEqual({ kind: 'link', link: { kind: 'unreachable', detail: 'ECONNREFUSED' } });
    expect(kinds(step)).toContain('stopSpeaking');
  });

  test('a live link shows "connecting" until the server announces the visit', () => {
    expect(screenOf(after(started, live))).toEqual({ kind: 'link', link: { kind: 'connecting' } });
  });

  test('a blip of the link during the call leaves the call on screen', () => {
    const inCall = after(started, live, idle, passed, journey(WAITING), journey(ASSIGNED));
    const step = transition(inCall, { type: 'linkChanged', link: { kind: 'reconnecting' } });
    expect(screenOf(step.state)).toEqual({ kind: 'call' });
    expect(kinds(step)).not.toContain('endCall');
  });
});

describe('the self-test', () => {
  test('the first idle announcement runs the due self-test in place of the welcome screen', () => {
    const step = transition(after(started, live), idle);
    expect(kinds(step)).toContain('runSelfTest');
    expect(step.state.selfTest).toBe('running');
    expect(screenOf(step.state)).toEqual({ kind: 'self-test', fault: false });
  });

  test('a passed self-test gives way to the welcome screen, which is read aloud', () => {
    const step = transition(after(started, live, idle), passed);
    expect(screenOf(step.state)).toEqual({ kind: 'journey', screen: { kind: 'idle' } });
    expect(effect(step, 'speak')?.screen).toEqual({ kind: 'idle' });
  });

  test('a failed self-test shows the fault and is tried again a minute later', () => {
    const step = transition(after(started, live, idle), { type: 'selfTestFinished', passed: false });
    expect(screenOf(step.state)).toEqual({ kind: 'self-test', fault: true });
    expect(effect(step, 'startTimer')).toEqual({
      kind: 'startTimer',
      timer: 'selfTestRetry',
      ms: SELF_TEST_RETRY_MS,
      then: { type: 'selfTestRequested' },
    });
    const retried = transition(step.state, { type: 'selfTestRequested' });
    expect(kinds(retried)).toEqual(['cancelTimer', 'runSelfTest']);
  });

  test('a self-test asked for while one runs is answered by that run', () => {
    const running = after(started, live, idle);
    expect(transition(running, { type: 'selfTestRequested' })).toEqual({ state: running, effects: [] });
  });

  test('a self-test asked for during a visit waits until the booth is between visits', () => {
    const waiting = after(started, live, idle, passed, journey(WAITING));
    const asked = transition(waiting, { type: 'selfTestRequested' });
    expect(asked.state.selfTest).toBe('due');
    expect(kinds(asked)).not.toContain('runSelfTest');
    const cancelled = transition(asked.state, idle);
    expect(kinds(cancelled)).toContain('runSelfTest');
  });

  test('out of service, a failed self-test is not shown but one under way is', () => {
    const failedOut = after(
      started,
      live,
      idle,
      { type: 'selfTestFinished', passed: false },
      { type: 'serviceChanged', outOfService: true },
    );
    expect(screenOf(failedOut)).toEqual({ kind: 'journey', screen: { kind: 'out-of-service' } });
    const running = transition(failedOut, { type: 'selfTestRequested' }).state;
    expect(screenOf(running)).toEqual({ kind: 'self-test', fault: false });
  });
});

describe('choosing a service', () => {
  const picked: KioskEvent = { type: 'servicePicked', service: 'jkk' };
  const details: KioskEvent = { type: 'detailsEntered', ticket: 'A-012', priority: true };
  const confirming = (): KioskState => after(started, live, idle, passed, { type: 'startPressed' }, picked, details);

  test('Mulai shows the service screen, reads it aloud and arms the abandonment timer', () => {
    const step = transition(welcoming(), { type: 'startPressed' });
    expect(screenOf(step.state)).toEqual({ kind: 'journey', screen: { kind: 'service' } });
    expect(effect(step, 'startTimer')).toEqual({ kind: 'startTimer', timer: 'abandon', ms: ABANDONED_MS, then: { type: 'abandoned' } });
    expect(effect(step, 'speak')?.screen.kind).toBe('service');
  });

  test('Mulai does nothing while the link is down or a visit runs', () => {
    const down = after(started, live, idle, passed, { type: 'linkChanged', link: { kind: 'reconnecting' } });
    expect(transition(down, { type: 'startPressed' }).state.choosing).toBeNull();
    const waiting = after(started, live, idle, passed, journey(WAITING));
    expect(transition(waiting, { type: 'startPressed' }).state.choosing).toBeNull();
  });

  test('a service tap sends nothing: it shows the details screen for that service', () => {
    const step = transition(after(started, live, idle, passed, { type: 'startPressed' }), picked);
    expect(kinds(step)).not.toContain('send');
    expect(screenOf(step.state)).toEqual({ kind: 'journey', screen: { kind: 'details', service: 'jkk' } });
    expect(effect(step, 'speak')?.screen.kind).toBe('details');
    expect(effect(step, 'startTimer')?.timer).toBe('abandon');
  });

  test('the details lead to a summary of the whole choice, still without sending anything', () => {
    const step = transition(after(started, live, idle, passed, { type: 'startPressed' }, picked), details);
    expect(kinds(step)).not.toContain('send');
    expect(screenOf(step.state)).toEqual({ kind: 'journey', screen: { kind: 'confirm', choice: CHOICE, busy: false, error: null } });
  });

  test('confirming the summary sends journey:start once with the choice and keeps the buttons busy until the answer', () => {
    const step = transition(confirming(), { type: 'confirmPressed' });
    expect(step.effects).toEqual([{ kind: 'send', command: 'start', choice: CHOICE }]);
    expect(screenOf(step.state)).toEqual({ kind: 'journey', screen: { kind: 'confirm', choice: CHOICE, busy: true, error: null } });
    expect(transition(step.state, { type: 'confirmPressed' }).effects).toEqual([]);
    expect(transition(step.state, { type: 'backPressed' }).state).toEqual(step.state);
  });

  test('events of another step change nothing', () => {
    const choosing = after(started, live, idle, passed, { type: 'startPressed' });
    expect(transition(choosing, details).state).toEqual(choosing);
    expect(transition(choosing, { type: 'confirmPressed' }).effects).toEqual([]);
    expect(transition(confirming(), picked).state).toEqual(confirming());
  });

  test('Kembali goes one step back: summary to details, details to services, services to the welcome', () => {
    const toDetails = transition(confirming(), { type: 'backPressed' });
    expect(screenOf(toDetails.state)).toEqual({ kind: 'journey', screen: { kind: 'details', service: 'jkk' } });
    expect(kinds(toDetails)).not.toContain('wipeClaimant');
    const toServices = transition(toDetails.state, { type: 'backPressed' });
    expect(screenOf(toServices.state)).toEqual({ kind: 'journey', screen: { kind: 'service' } });
    const toWelcome = transition(toServices.state, { type: 'backPressed' });
    expect(screenOf(toWelcome.state)).toEqual({ kind: 'journey', screen: { kind: 'idle' } });
    expect(kinds(toWelcome)).toEqual(['wipeClaimant', 'cancelTimer', 'speak']);
  });

  test('touching a choosing screen restarts the abandonment timer; elsewhere it does nothing', () => {
    expect(kinds(transition(confirming(), { type: 'claimantActive' }))).toEqual(['startTimer']);
    expect(transition(welcoming(), { type: 'claimantActive' }).effects).toEqual([]);
  });

  test('an abandoned summary goes back to the welcome, wiping the choice', () => {
    const step = transition(confirming(), { type: 'abandoned' });
    expect(screenOf(step.state)).toEqual({ kind: 'journey', screen: { kind: 'idle' } });
    expect(kinds(step)).toEqual(['wipeClaimant', 'cancelTimer', 'speak']);
    expect(claimantTraces(step.state)).toEqual([]);
  });

  test('a refused journey:start says so on the summary and frees its buttons', () => {
    const sent = transition(confirming(), { type: 'confirmPressed' }).state;
    const step = transition(sent, { type: 'commandAnswered', command: 'start', ok: false });
    expect(screenOf(step.state)).toEqual({
      kind: 'journey',
      screen: { kind: 'confirm', choice: CHOICE, busy: false, error: 'startFailed' },
    });
  });

  test('out of service ends a claimant choosing and wipes what they typed', () => {
    const step = transition(confirming(), { type: 'serviceChanged', outOfService: true });
    expect(screenOf(step.state)).toEqual({ kind: 'journey', screen: { kind: 'out-of-service' } });
    expect(kinds(step)).toContain('wipeClaimant');
    expect(claimantTraces(step.state)).toEqual([]);
  });
});

describe('waiting in the queue', () => {
  const waiting = (): KioskState => after(started, live, idle, passed, ...queued, journey(WAITING));

  test('the server putting the booth in the queue shows the waiting screen and reads it aloud', () => {
    const sent = after(started, live, idle, passed, ...queued);
    const step = transition(sent, journey(WAITING));
    expect(step.state.choosing).toBeNull();
    expect(screenOf(step.state)).toEqual({ kind: 'journey', screen: { kind: 'waiting', journey: WAITING, busy: false, error: null } });
    expect(effect(step, 'speak')?.screen.kind).toBe('waiting');
    expect(kinds(step)).toContain('cancelTimer');
  });

  test('a new place in the queue redraws the waiting screen without reading it again', () => {
    const step = transition(waiting(), journey({ ...WAITING, place: 1 }));
    expect(kinds(step)).not.toContain('speak');
  });

  test('Batal sends journey:cancel once; a refusal says so', () => {
    const answered = transition(waiting(), { type: 'commandAnswered', command: 'start', ok: true }).state;
    const step = transition(answered, { type: 'cancelPressed' });
    expect(step.effects).toEqual([{ kind: 'send', command: 'cancel' }]);
    expect(transition(step.state, { type: 'cancelPressed' }).effects).toEqual([]);
    const refused = transition(step.state, { type: 'commandAnswered', command: 'cancel', ok: false }).state;
    expect(screenOf(refused)).toEqual({
      kind: 'journey',
      screen: { kind: 'waiting', journey: WAITING, busy: false, error: 'cancelFailed' },
    });
  });

  test('the visit moving on clears the message of a failed command', () => {
    const refused = after(
      started,
      live,
      idle,
      passed,
      journey(WAITING),
      { type: 'cancelPressed' },
      { type: 'commandAnswered', command: 'cancel', ok: false },
    );
    expect(refused.failure).toBe('cancelFailed');
    expect(transition(refused, journey(ASSIGNED)).state.failure).toBeNull();
  });
});

describe('the call', () => {
  const inCall = (): KioskState => after(started, live, idle, passed, journey(WAITING), journey(ASSIGNED));

  test('being assigned starts the call, silences the prompts and hides the journey screens', () => {
    const step = transition(after(started, live, idle, passed, journey(WAITING)), journey(ASSIGNED));
    expect(kinds(step)).toEqual(['startCall', 'setOfficerAway', 'setMoving', 'stopSpeaking']);
    expect(screenOf(step.state)).toEqual({ kind: 'call' });
  });

  test('the officer going away during the call is passed on to the call, which keeps running', () => {
    const step = transition(inCall(), journey({ ...ASSIGNED, officerAway: true }));
    expect(step.effects).toEqual([
      { kind: 'setOfficerAway', away: true },
      { kind: 'setMoving', moving: false },
    ]);
  });

  test('handed to another officer, the claimant stays in the call, nothing wiped, until seated at the next desk', () => {
    const moving = transition(inCall(), journey({ state: 'transferring', service: 'jkk' }));
    expect(moving.effects).toEqual([{ kind: 'setMoving', moving: true }]);
    expect(screenOf(moving.state)).toEqual({ kind: 'call' });
    const seated = transition(moving.state, journey(ASSIGNED));
    expect(seated.effects).toEqual([
      { kind: 'setOfficerAway', away: false },
      { kind: 'setMoving', moving: false },
    ]);
    expect(seated.state.inCall).toBe(true);
  });

  test('back in the queue after losing the officer, the call ends and the claimant is wiped', () => {
    const step = transition(inCall(), journey(WAITING));
    expect(kinds(step)).toEqual(['endCall', 'wipeClaimant', 'speak']);
    expect(screenOf(step.state)).toEqual({ kind: 'journey', screen: { kind: 'waiting', journey: WAITING, busy: false, error: null } });
  });
});

describe('the camera opened ahead of the call', () => {
  const first: JourneyState = { ...WAITING, place: 1 };

  test('opens on the summary and for the first in the queue, not through a long wait', () => {
    expect(aboutToBeCalled(welcoming())).toBe(false);
    expect(aboutToBeCalled(after(started, live, idle, passed, ...queued.slice(0, 2)))).toBe(false);
    expect(aboutToBeCalled(after(started, live, idle, passed, ...queued.slice(0, 3)))).toBe(true);
    expect(aboutToBeCalled(after(started, live, idle, passed, ...queued, journey(WAITING)))).toBe(false);
    expect(aboutToBeCalled(after(started, live, idle, passed, ...queued, journey(WAITING), journey(first)))).toBe(true);
  });

  test("is the call's once it starts, and closes when the claimant leaves the queue or the summary", () => {
    expect(aboutToBeCalled(after(started, live, idle, passed, journey(first), journey(ASSIGNED)))).toBe(false);
    expect(aboutToBeCalled(after(started, live, idle, passed, journey(first), idle))).toBe(false);
    expect(aboutToBeCalled(after(started, live, idle, passed, ...queued.slice(0, 3), { type: 'backPressed' }))).toBe(false);
    expect(aboutToBeCalled(after(started, live, idle, passed, journey(first), { type: 'unauthorized' }))).toBe(false);
  });
});

describe('the end of a session (invariant 7)', () => {
  const served = (): KioskState =>
    after(
      started,
      live,
      idle,
      passed,
      ...queued,
      { type: 'commandAnswered', command: 'start', ok: true },
      journey(WAITING),
      journey(ASSIGNED),
    );

  test('an ended session ends the call, wipes the claimant and thanks them with the decision and the code for 45 seconds', () => {
    const step = transition(served(), journey(ENDED));
    expect(kinds(step).slice(0, 2)).toEqual(['endCall', 'wipeClaimant']);
    expect(effect(step, 'startTimer')).toEqual({
      kind: 'startTimer',
      timer: 'thanks',
      ms: THANKS_WITH_CODE_MS,
      then: { type: 'thanksOver' },
    });
    const tracking = { code: 'K7QX2MPA', url: 'https://cabang.example/lacak/K7QX2MPA' };
    expect(screenOf(step.state)).toEqual({
      kind: 'journey',
      screen: { kind: 'ended', tracking, decision: { decision: 'incomplete', missingDocuments: ['paklaring'] }, ms: THANKS_WITH_CODE_MS },
    });
    // The code and decision are on the thanks screen only, not in what the kiosk remembers of the visit.
    expect(step.state.journey).toEqual({ state: 'ended', trackingCode: null, trackingUrl: null, decision: null });
  });

  test('thanks without a code or decision last ten seconds', () => {
    const step = transition(served(), journey({ state: 'ended', trackingCode: null, trackingUrl: null, decision: null }));
    expect(effect(step, 'startTimer')?.ms).toBe(THANKS_MS);
    expect(screenOf(step.state)).toEqual({ kind: 'journey', screen: { kind: 'ended', tracking: null, decision: null, ms: THANKS_MS } });
  });

  test('a decision without a code still gets the time to read it', () => {
    const decision: VisitDecision = { decision: 'approved', missingDocuments: [] };
    const step = transition(served(), journey({ state: 'ended', trackingCode: null, trackingUrl: null, decision }));
    expect(effect(step, 'startTimer')?.ms).toBe(THANKS_WITH_CODE_MS);
  });

  test('when the thanks are over nothing of the claimant remains, and the wipe is done again', () => {
    const thanked = transition(served(), journey(ENDED)).state;
    const step = transition(thanked, { type: 'thanksOver' });
    expect(kinds(step)).toEqual(['cancelTimer', 'wipeClaimant', 'speak']);
    expect(step.state).toMatchObject({ thanks: null, failure: null, choosing: null, pending: null, inCall: false });
    expect(claimantTraces(step.state)).toEqual([]);
    expect(screenOf(step.state)).toEqual({ kind: 'journey', screen: { kind: 'idle' } });
  });

  test('a session the officer ends without an outcome (idle) leaves nothing of the claimant either', () => {
    const step = transition(served(), idle);
    expect(kinds(step)).toEqual(['endCall', 'wipeClaimant', 'wipeClaimant', 'speak']);
    expect(claimantTraces(step.state)).toEqual([]);
  });

  test('"Selesai" after the thanks are over changes nothing', () => {
    expect(transition(welcoming(), { type: 'thanksOver' }).effects).toEqual([]);
  });

  test('a wait cancelled by the server goes back to the welcome with nothing of the claimant', () => {
    const waiting = after(
      started,
      live,
      idle,
      passed,
      ...queued,
      { type: 'commandAnswered', command: 'start', ok: true },
      journey(WAITING),
    );
    const step = transition(waiting, idle);
    expect(kinds(step)).toContain('wipeClaimant');
    expect(claimantTraces(step.state)).toEqual([]);
  });
});

describe('help outside the call', () => {
  const help: KioskEvent = { type: 'helpPressed' };

  test('Bantuan on the welcome screen sends help:request once and shows that it is calling', () => {
    const step = transition(welcoming(), help);
    expect(step.effects).toEqual([
      { kind: 'cancelTimer', timer: 'help' },
      { kind: 'send', command: 'help' },
    ]);
    expect(helpOf(step.state)).toBe('sending');
    expect(transition(step.state, help).effects).toEqual([]);
  });

  test('the answer shows for a while, or until closed; a refusal says so and Bantuan can be pressed again', () => {
    const sending = transition(welcoming(), help).state;
    const sent = transition(sending, { type: 'helpAnswered', ok: true });
    expect(helpOf(sent.state)).toBe('sent');
    expect(effect(sent, 'startTimer')).toEqual({ kind: 'startTimer', timer: 'help', ms: HELP_SHOWN_MS, then: { type: 'helpClosed' } });
    const closed = transition(sent.state, { type: 'helpClosed' });
    expect(helpOf(closed.state)).toBe('none');
    expect(kinds(closed)).toEqual(['cancelTimer']);

    const failed = transition(sending, { type: 'helpAnswered', ok: false }).state;
    expect(helpOf(failed)).toBe('failed');
    expect(effect(transition(failed, help), 'send')).toEqual({ kind: 'send', command: 'help' });
  });

  test('Bantuan works on the choosing, waiting and self-test screens, and keeps the claimant where they were', () => {
    const choosing = after(started, live, idle, passed, { type: 'startPressed' }, { type: 'servicePicked', service: 'jkk' });
    const step = transition(choosing, help);
    expect(screenOf(step.state)).toEqual(screenOf(choosing));
    expect(helpOf(step.state)).toBe('sending');
    expect(helpOf(after(started, live, idle, passed, journey(WAITING)))).toBe('none');
    expect(helpOf(after(started, live, idle))).toBe('none');
  });

  test('no Bantuan during the call or without a link: the call has its own button, and nothing could be sent', () => {
    const inCall = after(started, live, idle, passed, journey(WAITING), journey(ASSIGNED));
    expect(helpOf(inCall)).toBeNull();
    expect(transition(inCall, help).effects).toEqual([]);
    const down = after(started, live, idle, passed, { type: 'linkChanged', link: { kind: 'reconnecting' } });
    expect(helpOf(down)).toBeNull();
    expect(transition(down, help).effects).toEqual([]);
  });

  test('the officer taking the booth closes the answer to Bantuan', () => {
    const sent = after(started, live, idle, passed, journey(WAITING), help, { type: 'helpAnswered', ok: true });
    const step = transition(sent, journey(ASSIGNED));
    expect(step.state.help).toBe('none');
    expect(kinds(step)).toContain('cancelTimer');
  });
});

describe('branch IT', () => {
  test('a revoked credential stops everything, wipes the claimant and asks for enrolment again', () => {
    const inCall = after(started, live, idle, passed, journey(WAITING), journey(ASSIGNED));
    const step = transition(inCall, { type: 'unauthorized' });
    expect(kinds(step)).toEqual([
      'disconnect',
      'endCall',
      'cancelTimer',
      'cancelTimer',
      'forgetSelfTests',
      'wipeClaimant',
      'forgetCredential',
      'askForEnrolment',
    ]);
    expect(step.state).toEqual(initialState());
    expect(transition(step.state, { type: 'unauthorized' }).effects).toEqual([]);
  });

  test('a reload waits for the claimant in session and their thanks', () => {
    const inCall = after(started, live, idle, passed, journey(WAITING), journey(ASSIGNED));
    const asked = transition(inCall, { type: 'reloadRequested' });
    expect(kinds(asked)).not.toContain('reload');
    const thanked = transition(asked.state, journey(ENDED));
    expect(kinds(thanked)).not.toContain('reload');
    expect(kinds(transition(thanked.state, { type: 'thanksOver' }))).toContain('reload');
  });

  test('a reload between visits happens at once', () => {
    expect(kinds(transition(welcoming(), { type: 'reloadRequested' }))).toEqual(['reload']);
  });

  test('back in service shows the welcome again', () => {
    const out = after(started, live, idle, passed, { type: 'serviceChanged', outOfService: true });
    const step = transition(out, { type: 'serviceChanged', outOfService: false });
    expect(screenOf(step.state)).toEqual({ kind: 'journey', screen: { kind: 'idle' } });
  });
});
