/**
 * The kiosk's journey as data: one state, the events that change it, and the effects each change
 * asks for (start a call, wipe the claimant, speak, arm a timer...), described rather than done.
 * main.ts carries the effects out and draws the state; nothing here touches the page, so every
 * transition can be tested in Node. The server is the authority on the visit; the booth adds
 * only the choice before joining the queue (service, then ticket and priority, then a summary to
 * confirm, so that no single tap queues a claimant with the wrong choice) and the thanks after a
 * session: ten seconds, or 45 with the visit's tracking code to take home.
 */
import type { JourneyState, Service, VisitDecision } from '@bilik/shared/journey';
import type { Choice, JourneyLinkState } from './journeyLink.js';
import type { TextKey } from './strings.js';

/** A visit waiting in the queue, as the server announced it. */
export type WaitingJourney = Extract<JourneyState, { state: 'waiting' }>;

/** The claimant's tracking code for the visit that ended, and the absolute address of its tracking page. */
export interface Tracking {
  code: string;
  url: string;
}

/** How far the claimant got in choosing, before joining the queue. */
export type Choosing =
  | { step: 'service' }
  | { step: 'details'; service: Service }
  /** The summary: nothing is sent until the claimant confirms it. */
  | { step: 'confirm'; choice: Choice };

/** One journey screen; `busy` while the claimant's last command is unanswered, `error` when it failed. */
export type Screen =
  | { kind: 'idle' }
  | { kind: 'service' }
  | { kind: 'details'; service: Service }
  | { kind: 'confirm'; choice: Choice; busy: boolean; error: TextKey | null }
  | { kind: 'waiting'; journey: WaitingJourney; busy: boolean; error: TextKey | null }
  /** The thanks: the decision in plain words, the code to take home, and `ms` until the screen clears. */
  | { kind: 'ended'; tracking: Tracking | null; decision: VisitDecision | null; ms: number }
  /** Branch IT took the booth out of service: shown instead of the welcome. */
  | { kind: 'out-of-service' };

/**
 * The claimant's call for branch staff outside the call ("Bantuan"): being sent, sent (staff
 * are told and come), or failed; 'none' when nothing is on screen about it.
 */
export type HelpState = 'none' | 'sending' | 'sent' | 'failed';

/** Where the kiosk's self-test stands: wanted, under way, or the last one's outcome. */
export type SelfTestPhase = 'due' | 'running' | 'passed' | 'failed';

/** Everything the kiosk knows of its journey. */
export interface KioskState {
  /** Enrolling: no credential, branch IT's enrolment screen shows. Running: the journey link is kept. */
  mode: 'enrolling' | 'running';
  link: JourneyLinkState;
  /** The visit as the server last announced it; null until it does after each (re)connection. */
  journey: JourneyState | null;
  /** A call with the officer runs; it draws itself. */
  inCall: boolean;
  /** Between Mulai and the server's answer to journey:start, the only screens the booth shows on its own; null otherwise. */
  choosing: Choosing | null;
  /** The claimant's command waiting for the server's answer. */
  pending: 'start' | 'cancel' | null;
  /** Why the claimant's last command failed, until the visit moves on. */
  failure: TextKey | null;
  /** While the thanks screen shows: with the visit's tracking code and decision, when there are, and how long it shows. */
  thanks: { tracking: Tracking | null; decision: VisitDecision | null; ms: number } | null;
  selfTest: SelfTestPhase;
  /** Branch IT's wish: the booth out of service (kept through reconnections, which resend it). */
  outOfService: boolean;
  /** Branch IT's wish: reload the page once no claimant is in session or reading their thanks. */
  reloadWanted: boolean;
  help: HelpState;
}

/** What happens to the kiosk: the server, branch IT, the claimant, a timer. */
export type KioskEvent =
  /** The page loaded, with the credential the kiosk holds (null: never enrolled). */
  | { type: 'started'; credential: string | null }
  /** Branch IT's code was accepted. */
  | { type: 'enrolled'; credential: string }
  /** The server refused the kiosk's credential (revoked or replaced), on either link. */
  | { type: 'unauthorized' }
  | { type: 'linkChanged'; link: JourneyLinkState }
  /** The server announced the visit; `pageUrl` resolves a tracking page given as a path. */
  | { type: 'journeyChanged'; journey: JourneyState; pageUrl: string }
  | { type: 'selfTestRequested' }
  | { type: 'selfTestFinished'; passed: boolean }
  | { type: 'reloadRequested' }
  | { type: 'serviceChanged'; outOfService: boolean }
  /** "Mulai" on the welcome screen. */
  | { type: 'startPressed' }
  /** A service button on the service screen. */
  | { type: 'servicePicked'; service: Service }
  /** "Lanjut" on the details screen, with a well-formed ticket or none. */
  | { type: 'detailsEntered'; ticket: string | null; priority: boolean }
  /** "Ya, ambil antrean" on the summary: join the queue. */
  | { type: 'confirmPressed' }
  /** "Kembali" on a choosing screen: one step back, from the service screen to the welcome. */
  | { type: 'backPressed' }
  /** A choosing screen left untouched for too long: back to the welcome. */
  | { type: 'abandoned' }
  /** "Batal" while waiting. */
  | { type: 'cancelPressed' }
  /** The claimant touched or typed on a choosing screen: they are still choosing. */
  | { type: 'claimantActive' }
  | { type: 'commandAnswered'; command: 'start' | 'cancel'; ok: boolean }
  /** The thanks are over: their time ran out, or "Selesai". */
  | { type: 'thanksOver' }
  /** "Bantuan", on any screen but the call (which has its own call button). */
  | { type: 'helpPressed' }
  | { type: 'helpAnswered'; ok: boolean }
  /** The answer to "Bantuan" was read: "Tutup", or its time ran out. */
  | { type: 'helpClosed' };

/** The kiosk's timers; arming one that runs restarts it. */
export type TimerName = 'thanks' | 'abandon' | 'selfTestRetry' | 'help';

/** What a transition asks main.ts to do, in order, before the state is drawn. */
export type Effect =
  /** Empties the kiosk of the claimant: what they typed or ticked, what the screens showed of them, the browser's storage. */
  | { kind: 'wipeClaimant' }
  | { kind: 'storeCredential'; credential: string }
  | { kind: 'forgetCredential' }
  | { kind: 'askForEnrolment' }
  /** Opens the journey link and serves branch IT's fleet events on it. */
  | { kind: 'connect'; credential: string }
  | { kind: 'disconnect' }
  | { kind: 'startCall' }
  /** Ends the call: no link, camera or microphone, nothing of it on screen. */
  | { kind: 'endCall' }
  | { kind: 'setOfficerAway'; away: boolean }
  /** The claimant is being handed to another officer: the call stays and says so until the next desk seats the booth. */
  | { kind: 'setMoving'; moving: boolean }
  | { kind: 'send'; command: 'start'; choice: Choice }
  | { kind: 'send'; command: 'cancel' }
  | { kind: 'send'; command: 'help' }
  | { kind: 'startTimer'; timer: TimerName; ms: number; then: KioskEvent }
  | { kind: 'cancelTimer'; timer: TimerName }
  | { kind: 'runSelfTest' }
  /** Forgets runs under way: they can no longer report or change anything. */
  | { kind: 'forgetSelfTests' }
  /** Reads the screen's prompt aloud, once per screen. */
  | { kind: 'speak'; screen: Screen }
  /** Stops reading, so a prompt never talks over the officer. */
  | { kind: 'stopSpeaking' }
  | { kind: 'reload' };

/** A transition's outcome. */
export interface Step {
  state: KioskState;
  effects: Effect[];
}

/** What the kiosk shows as a whole: one of these at a time. */
export type KioskScreen =
  | { kind: 'enrolment' }
  /** The call draws itself; a blip of the journey link must not cut the claimant off from the officer. */
  | { kind: 'call' }
  | { kind: 'link'; link: Exclude<JourneyLinkState, { kind: 'live' }> }
  | { kind: 'self-test'; fault: boolean }
  | { kind: 'journey'; screen: Screen };

/** How long the thanks show without a tracking code or decision. */
export const THANKS_MS = 10_000;
/** Long enough to write a code down or find the phone's camera; "Selesai" ends it sooner. */
export const THANKS_WITH_CODE_MS = 45_000;
/** Someone who pressed Mulai and walked away must not leave their ticket for the next claimant. */
export const ABANDONED_MS = 120_000;
/** How long the answer to "Bantuan" stays on screen unless closed. */
export const HELP_SHOWN_MS = 20_000;
/** A failed self-test is tried again this often. */
export const SELF_TEST_RETRY_MS = 60_000;

/** The kiosk before the page has looked for a credential. */
export function initialState(): KioskState {
  return {
    mode: 'enrolling',
    link: { kind: 'connecting' },
    journey: null,
    inCall: false,
    choosing: null,
    pending: null,
    failure: null,
    thanks: null,
    selfTest: 'due',
    outOfService: false,
    reloadWanted: false,
    help: 'none',
  };
}

/** The state after `event`, and the effects it asks for. */
export function transition(state: KioskState, event: KioskEvent): Step {
  const next: KioskState = { ...state };
  const effects: Effect[] = [];
  // Once revoked, what the stopped links or a late answer report belongs to nobody.
  if (state.mode === 'enrolling' && event.type !== 'started' && event.type !== 'enrolled') return { state, effects };
  switch (event.type) {
    case 'started':
      // A reload or crash in the middle of a visit must not hand anything of it to the next claimant.
      wipe(next, effects);
      if (event.credential) begin(next, effects, event.credential);
      else effects.push({ kind: 'askForEnrolment' });
      break;
    case 'enrolled':
      effects.push({ kind: 'storeCredential', credential: event.credential });
      begin(next, effects, event.credential);
      break;
    case 'unauthorized':
      // Nothing of this kiosk's runs stays, and branch IT must enrol it again.
      Object.assign(next, initialState());
      effects.push({ kind: 'disconnect' });
      if (state.inCall) effects.push({ kind: 'endCall' });
      effects.push({ kind: 'cancelTimer', timer: 'thanks' }, { kind: 'cancelTimer', timer: 'selfTestRetry' }, { kind: 'forgetSelfTests' });
      wipe(next, effects);
      effects.push({ kind: 'forgetCredential' }, { kind: 'askForEnrolment' });
      break;
    case 'linkChanged':
      next.link = event.link;
      // The server resends the visit on connecting; until then what the booth knew may be stale.
      if (event.link.kind !== 'live') next.journey = null;
      break;
    case 'journeyChanged':
      follow(next, effects, event.journey, event.pageUrl);
      break;
    case 'selfTestRequested':
      // One under way already answers the request.
      if (state.selfTest === 'running') break;
      next.selfTest = 'due';
      effects.push({ kind: 'cancelTimer', timer: 'selfTestRetry' });
      break;
    case 'selfTestFinished':
      next.selfTest = event.passed ? 'passed' : 'failed';
      if (!event.passed)
        effects.push({ kind: 'startTimer', timer: 'selfTestRetry', ms: SELF_TEST_RETRY_MS, then: { type: 'selfTestRequested' } });
      break;
    case 'reloadRequested':
      next.reloadWanted = true;
      break;
    case 'serviceChanged':
      next.outOfService = event.outOfService;
      // Out of service ends a claimant's choosing, as the server ends their wait.
      if (event.outOfService && state.choosing) welcomeAgain(next, effects);
      break;
    case 'startPressed':
      if (state.link.kind !== 'live' || !betweenVisitsOnServer(state.journey)) break;
      next.choosing = { step: 'service' };
      next.failure = null;
      break;
    case 'servicePicked':
      if (state.choosing?.step !== 'service') break;
      next.choosing = { step: 'details', service: event.service };
      break;
    case 'detailsEntered':
      if (state.choosing?.step !== 'details') break;
      next.choosing = { step: 'confirm', choice: { service: state.choosing.service, ticket: event.ticket, priority: event.priority } };
      break;
    case 'confirmPressed':
      if (state.choosing?.step !== 'confirm' || state.pending) break;
      next.pending = 'start';
      next.failure = null;
      effects.push({ kind: 'send', command: 'start', choice: state.choosing.choice });
      break;
    case 'backPressed':
      stepBack(next, effects);
      break;
    case 'abandoned':
      if (state.choosing) welcomeAgain(next, effects);
      break;
    case 'cancelPressed':
      if (state.pending) break;
      next.pending = 'cancel';
      next.failure = null;
      effects.push({ kind: 'send', command: 'cancel' });
      break;
    case 'commandAnswered':
      next.pending = null;
      if (!event.ok) next.failure = event.command === 'start' ? 'startFailed' : 'cancelFailed';
      break;
    case 'claimantActive':
      if (isChoosing(journeyScreenOf(state))) effects.push(abandonTimer());
      break;
    case 'helpPressed':
      if (helpOf(state) === null || state.help === 'sending') break;
      next.help = 'sending';
      effects.push({ kind: 'cancelTimer', timer: 'help' }, { kind: 'send', command: 'help' });
      break;
    case 'helpAnswered':
      if (state.help !== 'sending') break;
      next.help = event.ok ? 'sent' : 'failed';
      effects.push({ kind: 'startTimer', timer: 'help', ms: HELP_SHOWN_MS, then: { type: 'helpClosed' } });
      break;
    case 'helpClosed':
      if (state.help === 'none' || state.help === 'sending') break;
      next.help = 'none';
      effects.push({ kind: 'cancelTimer', timer: 'help' });
      break;
    case 'thanksOver':
      if (!state.thanks) break;
      next.thanks = null;
      effects.push({ kind: 'cancelTimer', timer: 'thanks' });
      wipe(next, effects);
      break;
  }
  settle(state, next, effects);
  return { state: next, effects };
}

/** What the kiosk shows in `state`. */
export function screenOf(state: KioskState): KioskScreen {
  if (state.mode === 'enrolling') return { kind: 'enrolment' };
  if (state.inCall) return { kind: 'call' };
  if (state.link.kind !== 'live') return { kind: 'link', link: state.link };
  if (!state.journey) return { kind: 'link', link: { kind: 'connecting' } };
  // The self-test runs and shows only between visits, in place of the welcome screen; out of
  // service, the booth says so rather than showing a fault, but a test IT asked for still shows while it runs.
  if (betweenVisits(state) && state.selfTest !== 'passed' && (!state.outOfService || state.selfTest === 'running')) {
    return { kind: 'self-test', fault: state.selfTest === 'failed' };
  }
  if (state.thanks) return { kind: 'journey', screen: { kind: 'ended', ...state.thanks } };
  switch (state.journey.state) {
    case 'idle':
    case 'ended':
      if (state.outOfService) return { kind: 'journey', screen: { kind: 'out-of-service' } };
      return { kind: 'journey', screen: state.choosing ? choosingScreen(state.choosing, state) : { kind: 'idle' } };
    case 'waiting':
      return {
        kind: 'journey',
        screen: { kind: 'waiting', journey: state.journey, busy: state.pending === 'cancel', error: state.failure },
      };
    case 'assigned':
    case 'transferring':
      // The call screen, which the call draws as soon as it starts.
      return { kind: 'call' };
  }
}

/**
 * Whether the claimant is about to be called: reading the summary they are about to confirm (an
 * officer free takes them at once), or first in the queue. The kiosk opens its camera and
 * microphone then (see warmDevices.ts), so that the call does not wait for them; not earlier, so
 * that the camera is not on through a long wait.
 */
export function aboutToBeCalled(state: KioskState): boolean {
  if (state.mode !== 'running' || state.inCall || state.thanks) return false;
  if (state.journey?.state === 'waiting') return state.journey.place === 1;
  return state.choosing?.step === 'confirm';
}

/**
 * The "Bantuan" button and its answer, where they show: every screen of a running kiosk whose
 * link is up, but the call (the officer is there, with the call button); null where they do not.
 */
export function helpOf(state: KioskState): HelpState | null {
  const screen = screenOf(state);
  return screen.kind === 'journey' || screen.kind === 'self-test' ? state.help : null;
}

/** Starts the kiosk's runs with `credential`: the links, and a self-test before the first claimant. */
function begin(next: KioskState, effects: Effect[], credential: string): void {
  next.mode = 'running';
  next.link = { kind: 'connecting' };
  next.journey = null;
  next.selfTest = 'due';
  effects.push({ kind: 'cancelTimer', timer: 'selfTestRetry' }, { kind: 'forgetSelfTests' }, { kind: 'connect', credential });
}

/** Takes the server's word on where the visit stands. */
function follow(next: KioskState, effects: Effect[], announced: JourneyState, pageUrl: string): void {
  const before = next.journey?.state ?? null;
  next.journey = announced;
  if (announced.state === 'assigned' || announced.state === 'transferring') {
    // Handed to another officer, the claimant stays in the call (nothing is wiped): the same visit goes on at the next desk.
    if (!next.inCall) {
      next.inCall = true;
      effects.push({ kind: 'startCall' });
      // The officer is there now: an answer to "Bantuan" would only hide them.
      if (next.help !== 'none') {
        next.help = 'none';
        effects.push({ kind: 'cancelTimer', timer: 'help' });
      }
    }
    if (announced.state === 'assigned') effects.push({ kind: 'setOfficerAway', away: announced.officerAway });
    effects.push({ kind: 'setMoving', moving: announced.state === 'transferring' });
  } else if (next.inCall) {
    // Ended, cancelled, or back in the queue because the officer was lost: the call and all of it goes.
    next.inCall = false;
    effects.push({ kind: 'endCall' });
    wipe(next, effects);
  }
  if (announced.state !== before) next.failure = null;
  if (announced.state === 'waiting' || announced.state === 'assigned' || announced.state === 'transferring') {
    next.choosing = null;
    stopThanking(next, effects);
  }
  if (announced.state === 'ended') {
    if (before !== 'ended') thank(next, effects, announced, pageUrl);
    // The code and decision live on the thanks screen alone, and go with it.
    next.journey = { state: 'ended', trackingCode: null, trackingUrl: null, decision: null };
  }
  // Back to the welcome: nothing of the visit stays, unless a claimant is choosing a service right now.
  if ((announced.state === 'idle' || announced.state === 'ended') && !next.choosing) wipe(next, effects);
}

function thank(next: KioskState, effects: Effect[], ended: Extract<JourneyState, { state: 'ended' }>, pageUrl: string): void {
  next.choosing = null;
  // A path means this server's own tracking page: the one the kiosk was loaded from.
  const tracking =
    ended.trackingCode && ended.trackingUrl ? { code: ended.trackingCode, url: new URL(ended.trackingUrl, pageUrl).href } : null;
  // A code to write down or a list of documents to bring takes longer to read.
  const ms = tracking || ended.decision ? THANKS_WITH_CODE_MS : THANKS_MS;
  next.thanks = { tracking, decision: ended.decision, ms };
  effects.push({ kind: 'startTimer', timer: 'thanks', ms, then: { type: 'thanksOver' } });
}

function stopThanking(next: KioskState, effects: Effect[]): void {
  if (!next.thanks) return;
  next.thanks = null;
  effects.push({ kind: 'cancelTimer', timer: 'thanks' });
}

function welcomeAgain(next: KioskState, effects: Effect[]): void {
  next.choosing = null;
  wipe(next, effects);
}

/** "Kembali": the step before, keeping what was typed; a command under way is not taken back. */
function stepBack(next: KioskState, effects: Effect[]): void {
  const choosing = next.choosing;
  if (!choosing || next.pending) return;
  next.failure = null;
  if (choosing.step === 'confirm') next.choosing = { step: 'details', service: choosing.choice.service };
  else if (choosing.step === 'details') next.choosing = { step: 'service' };
  else welcomeAgain(next, effects);
}

/** The screen of the choosing step; only the summary sends a command. */
function choosingScreen(choosing: Choosing, state: KioskState): Screen {
  switch (choosing.step) {
    case 'service':
      return { kind: 'service' };
    case 'details':
      return { kind: 'details', service: choosing.service };
    case 'confirm':
      return { kind: 'confirm', choice: choosing.choice, busy: state.pending === 'start', error: state.failure };
  }
}

/** Forgets the claimant: any message about them here, and (by effect) the screens and storage. */
function wipe(next: KioskState, effects: Effect[]): void {
  next.failure = null;
  effects.push({ kind: 'wipeClaimant' });
}

/**
 * What follows from any change: a wanted self-test starts once the booth is between visits; a new
 * journey screen is read aloud (and the choosing screens' abandonment timer armed); branch IT's
 * reload happens once nobody is served or thanked.
 */
function settle(before: KioskState, next: KioskState, effects: Effect[]): void {
  if (next.selfTest === 'due' && betweenVisits(next)) {
    next.selfTest = 'running';
    effects.push({ kind: 'runSelfTest' });
  }
  const was = journeyScreenOf(before);
  const is = journeyScreenOf(next);
  if (was?.kind !== is?.kind) {
    if (isChoosing(was) && !isChoosing(is)) effects.push({ kind: 'cancelTimer', timer: 'abandon' });
    if (isChoosing(is)) effects.push(abandonTimer());
    effects.push(is ? { kind: 'speak', screen: is } : { kind: 'stopSpeaking' });
  }
  if (next.mode === 'running' && next.reloadWanted && !next.inCall && !next.thanks) effects.push({ kind: 'reload' });
}

function abandonTimer(): Effect {
  return { kind: 'startTimer', timer: 'abandon', ms: ABANDONED_MS, then: { type: 'abandoned' } };
}

function isChoosing(screen: Screen | null): boolean {
  return screen?.kind === 'service' || screen?.kind === 'details' || screen?.kind === 'confirm';
}

/** The journey screen on show, or null when something else is. */
function journeyScreenOf(state: KioskState): Screen | null {
  const screen = screenOf(state);
  return screen.kind === 'journey' ? screen.screen : null;
}

/** Connected, told by the server that no visit runs, and nobody choosing or being thanked. */
function betweenVisits(state: KioskState): boolean {
  return (
    state.mode === 'running' &&
    state.link.kind === 'live' &&
    !state.inCall &&
    !state.thanks &&
    state.choosing === null &&
    betweenVisitsOnServer(state.journey)
  );
}

function betweenVisitsOnServer(journey: JourneyState | null): boolean {
  return journey?.state === 'idle' || journey?.state === 'ended';
}
