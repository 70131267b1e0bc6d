/**
 * The kiosk: enrolment once, then the claimant's journey for as long as it runs. The server is
 * the authority on the journey; the booth adds only the service choice before joining the queue
 * and the thanks after a session: ten seconds, or 45 with the visit's tracking code to take home.
 */
import type { JourneyState } from '@bilik/shared/journey';
import { startCall, type Call } from './call.js';
import { forgetAllButCredential, forgetDeviceCredential, loadDeviceCredential, storeDeviceCredential } from './deviceCredential.js';
import { showEnrolment } from './enrolment.js';
import { serveFleet } from './fleetLink.js';
import { keepJourneyLink, type Choice, type JourneyLink, type JourneyLinkState } from './journeyLink.js';
import { createJourneyScreens, type Screen, type Tracking } from './screens.js';
import { SelfTestSchedule } from './selfTestSchedule.js';
import { createSelfTestScreen } from './selfTestScreen.js';
import type { TextKey } from './strings.js';
import { createBoothView, statusOfLink } from './view.js';
import './styles.css';

const THANKS_MS = 10_000;
// Long enough to write a code down or find the phone's camera; "Selesai" ends it sooner.
const THANKS_WITH_CODE_MS = 45_000;

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
// While the thanks screen shows: with the visit's tracking code, when there is one.
let thanks: { tracking: Tracking | null } | null = null;
// Branch IT's wishes: the booth out of service (kept through reconnections, which resend it), a reload.
let outOfService = false;
let reloadWanted = false;
let stopFleet: (() => void) | null = null;

const view = createBoothView(() => call?.callOfficer());
const screens = createJourneyScreens({ onStart: chooseService, onChoose: joinQueue, onBack: welcomeAgain, onCancel: leaveQueue, onDone: doneThanking });
const selfTests = new SelfTestSchedule(createSelfTestScreen(), render);

const loaded = loadDeviceCredential();
// A reload or crash in the middle of a visit must not hand anything of it to the next claimant.
forgetClaimant();
if (loaded) begin(loaded);
else askForEnrolment();

/** Hides everything else and waits for branch IT to enrol this kiosk. */
function askForEnrolment(): void {
  view.showStatus(null);
  screens.show(null);
  selfTests.show(false);
  showEnrolment((issued) => {
    storeDeviceCredential(issued);
    begin(issued);
  });
}

function begin(issued: string): void {
  credential = issued;
  // Every start tests the booth before its first claimant.
  selfTests.reset();
  journeyLink = keepJourneyLink(currentCredential, {
    onLinkChanged(state) {
      link = state;
      // The server resends the visit on connecting; until then what the booth knew may be stale.
      if (state.kind !== 'live') journey = null;
      render();
    },
    onJourneyChanged: follow,
    onUnauthorized: revoked,
    onSelfTestRequested() {
      selfTests.request();
      render();
    },
  });
  stopFleet = serveFleet(journeyLink.socket, {
    linkQuality: async () => (call ? call.linkQuality() : null),
    onReloadRequested() {
      reloadWanted = true;
      render();
    },
    onServiceChanged(next) {
      outOfService = next;
      // Out of service ends a claimant's choosing, as the server ends their wait.
      if (next && choosing) welcomeAgain();
      else render();
    },
    onCredentialRotated(rotated) {
      storeDeviceCredential(rotated);
      credential = rotated;
      return true;
    },
  });
}

/** The credential for the next handshake: the newest, after a rotation. */
function currentCredential(): string {
  return credential ?? '';
}

/** Revoked or replaced: nothing of this kiosk's runs stays, and branch IT must enrol it again. */
function revoked(): void {
  // Both links can report it; the first does everything.
  if (!journeyLink) return;
  journeyLink.stop();
  journeyLink = null;
  stopFleet?.();
  stopFleet = null;
  outOfService = false;
  reloadWanted = false;
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
    if (!call && credential) call = startCall(currentCredential, view, revoked);
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
  if (next.state === 'ended' && before !== 'ended') thank(next);
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

function thank(ended: Extract<JourneyState, { state: 'ended' }>): void {
  choosing = false;
  // A path means this server's own tracking page: the one the kiosk was loaded from.
  const tracking = ended.trackingCode && ended.trackingUrl ? { code: ended.trackingCode, url: new URL(ended.trackingUrl, location.href).href } : null;
  thanks = { tracking };
  clearTimeout(thanksTimer);
  thanksTimer = setTimeout(doneThanking, tracking ? THANKS_WITH_CODE_MS : THANKS_MS);
}

/** The thanks are over (their time ran out, or "Selesai"): back to the welcome, the code gone with them. */
function doneThanking(): void {
  if (!thanks) return;
  stopThanking();
  forgetClaimant();
  render();
}

function stopThanking(): void {
  clearTimeout(thanksTimer);
  thanks = null;
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
  // Branch IT's reload waits for the claimant in session, or reading their thanks, to finish.
  if (reloadWanted && !call && !thanks) {
    location.reload();
    return;
  }
  // The call draws itself; a blip of this link must not cut the claimant off from the officer.
  if (call) {
    screens.show(null);
    selfTests.show(false);
    return;
  }
  if (link.kind !== 'live' || !journey) {
    screens.show(null);
    selfTests.show(false);
    view.showStatus(statusOfLink(link.kind === 'live' ? { kind: 'connecting' } : link));
    return;
  }
  view.showStatus(null);
  // The self-test runs and shows only between visits, in place of the welcome screen.
  const betweenVisits = !thanks && !choosing && (journey.state === 'idle' || journey.state === 'ended');
  if (betweenVisits) selfTests.runIfDue(journeyLink.socket);
  // Out of service, the booth says so rather than showing a fault; a test IT asked for still shows while it runs.
  const selfTesting = betweenVisits && selfTests.phase !== 'passed' && (!outOfService || selfTests.phase === 'running');
  screens.show(selfTesting ? null : screenOf(journey));
  // After the journey screens, whose going quiet would otherwise cut off the self-test's spoken prompt.
  selfTests.show(selfTesting);
}

function screenOf(state: JourneyState): Screen | null {
  if (thanks) return { kind: 'ended', tracking: thanks.tracking };
  switch (state.state) {
    case 'idle':
    case 'ended':
      if (outOfService) return { kind: 'out-of-service' };
      return choosing ? { kind: 'service', busy: pending === 'start', error: failure } : { kind: 'idle' };
    case 'waiting':
      return { kind: 'waiting', journey: state, busy: pending === 'cancel', error: failure };
    case 'assigned':
      // The call screen, drawn by the call.
      return null;
  }
}
