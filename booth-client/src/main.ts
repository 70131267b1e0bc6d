/**
 * The kiosk: enrolment once, then the claimant's journey for as long as it runs. The server is
 * the authority on the journey; the booth adds only the service choice before joining the queue
 * and ten seconds of thanks after a session.
 */
import type { JourneyState } from '@bilik/shared/journey';
import { startCall, type Call } from './call.js';
import { forgetAllButCredential, forgetDeviceCredential, loadDeviceCredential, storeDeviceCredential } from './deviceCredential.js';
import { showEnrolment } from './enrolment.js';
import { keepJourneyLink, type Choice, type JourneyLink, type JourneyLinkState } from './journeyLink.js';
import { createJourneyScreens, type Screen } from './screens.js';
import type { TextKey } from './strings.js';
import { createBoothView, statusOfLink } from './view.js';
import './styles.css';

const THANKS_MS = 10_000;

let credential: string | null = null;
let journeyLink: JourneyLink | null = null;
let link: JourneyLinkState = { kind: 'connecting' };
// The visit as the server last announced it; null until it does after each (re)connection.
let journey: JourneyState | null = null;
let call: Call | null = null;
// Between Mulai and the server's answer to journey:start, the only screen the booth shows on its own.
let choosing = false;
let pending: 'start' | 'cancel' | null = null;
let failure: TextKey | null = null;
let thanksTimer: ReturnType<typeof setTimeout> | undefined;
let thanking = false;

const view = createBoothView(() => call?.callOfficer());
const screens = createJourneyScreens({ onStart: chooseService, onChoose: joinQueue, onBack: welcomeAgain, onCancel: leaveQueue });

const loaded = loadDeviceCredential();
// A reload or crash in the middle of a visit must not hand anything of it to the next claimant.
forgetClaimant();
if (loaded) begin(loaded);
else askForEnrolment();

/** Hides everything else and waits for branch IT to enrol this kiosk. */
function askForEnrolment(): void {
  view.showStatus(null);
  screens.show(null);
  showEnrolment((issued) => {
    storeDeviceCredential(issued);
    begin(issued);
  });
}

function begin(issued: string): void {
  credential = issued;
  journeyLink = keepJourneyLink(issued, {
    onLinkChanged(state) {
      link = state;
      // The server resends the visit on connecting; until then what the booth knew may be stale.
      if (state.kind !== 'live') journey = null;
      render();
    },
    onJourneyChanged: follow,
    onUnauthorized: revoked,
  });
}

/** Revoked or replaced: nothing of this kiosk's runs stays, and branch IT must enrol it again. */
function revoked(): void {
  // Both links can report it; the first does everything.
  if (!journeyLink) return;
  journeyLink.stop();
  journeyLink = null;
  endCall();
  stopThanking();
  journey = null;
  choosing = false;
  forgetClaimant();
  forgetDeviceCredential();
  askForEnrolment();
}

/** Takes the server's word on where the visit stands. */
function follow(next: JourneyState): void {
  const before = journey?.state ?? null;
  journey = next;
  if (next.state === 'assigned') {
    if (!call && credential) call = startCall(credential, view, revoked);
    call?.setOfficerAway(next.officerAway);
  } else if (call) {
    // Ended, cancelled, or back in the queue because the officer was lost: the call and all of it goes.
    endCall();
    forgetClaimant();
  }
  if (next.state !== before) failure = null;
  if (next.state === 'waiting' || next.state === 'assigned') {
    choosing = false;
    stopThanking();
  }
  if (next.state === 'ended' && before !== 'ended') thank();
  // Back to the welcome: nothing of the visit stays, unless a claimant is choosing a service right now.
  if ((next.state === 'idle' || next.state === 'ended') && !choosing) forgetClaimant();
  render();
}

function chooseService(): void {
  if (link.kind !== 'live' || (journey?.state !== 'idle' && journey?.state !== 'ended')) return;
  choosing = true;
  failure = null;
  render();
}

function welcomeAgain(): void {
  choosing = false;
  forgetClaimant();
  render();
}

function joinQueue(choice: Choice): void {
  if (!journeyLink || pending) return;
  send('start', journeyLink.start(choice), 'startFailed');
}

function leaveQueue(): void {
  if (!journeyLink || pending) return;
  send('cancel', journeyLink.cancel(), 'cancelFailed');
}

/** Keeps the screen's buttons disabled until the server answers, and says so when it refuses. */
function send(command: 'start' | 'cancel', answer: Promise<void>, failed: TextKey): void {
  pending = command;
  failure = null;
  render();
  answer
    .catch((error: unknown) => {
      console.warn(`journey:${command} failed`, error);
      failure = failed;
    })
    .finally(() => {
      pending = null;
      render();
    });
}

function thank(): void {
  choosing = false;
  thanking = true;
  clearTimeout(thanksTimer);
  thanksTimer = setTimeout(() => {
    thanking = false;
    render();
  }, THANKS_MS);
}

function stopThanking(): void {
  clearTimeout(thanksTimer);
  thanking = false;
}

function endCall(): void {
  call?.stop();
  call = null;
}

/** Empties the kiosk of the claimant: what they typed or ticked, any message about them, and the browser's storage. */
function forgetClaimant(): void {
  screens.reset();
  failure = null;
  forgetAllButCredential();
}

function render(): void {
  // The enrolment screen is showing.
  if (!journeyLink) return;
  // The call draws itself; a blip of this link must not cut the claimant off from the officer.
  if (call) {
    screens.show(null);
    return;
  }
  if (link.kind !== 'live' || !journey) {
    screens.show(null);
    view.showStatus(statusOfLink(link.kind === 'live' ? { kind: 'connecting' } : link));
    return;
  }
  view.showStatus(null);
  screens.show(screenOf(journey));
}

function screenOf(state: JourneyState): Screen | null {
  if (thanking) return { kind: 'ended' };
  switch (state.state) {
    case 'idle':
    case 'ended':
      return choosing ? { kind: 'service', busy: pending === 'start', error: failure } : { kind: 'idle' };
    case 'waiting':
      return { kind: 'waiting', journey: state, busy: pending === 'cancel', error: failure };
    case 'assigned':
      // The call screen, drawn by the call.
      return null;
  }
}
