/**
 * The kiosk: enrolment once, then the claimant's journey for as long as it runs. What the kiosk
 * knows and decides is the journey machine's (journeyMachine.ts); this module feeds it events,
 * carries out the effects it asks for, and draws its state.
 */
import { applyTranslations } from '@bilik/shared/client';
import type { DeviceFault } from '@bilik/shared/fleet';
import { startCall, type Call } from './call.js';
import { forgetAllButCredential, forgetDeviceCredential, loadDeviceCredential, storeDeviceCredential } from './deviceCredential.js';
import { showEnrolment } from './enrolment.js';
import { serveFleet, type FleetLink } from './fleetLink.js';
import {
  aboutToBeCalled,
  helpOf,
  initialState,
  screenOf,
  transition,
  type Effect,
  type KioskEvent,
  type KioskState,
  type TimerName,
} from './journeyMachine.js';
import { keepJourneyLink, type JourneyLink } from './journeyLink.js';
import { createHelpView } from './helpButton.js';
import { hasReceiptPrinter } from './receiptPrinter.js';
import { createJourneyScreens, promptOf } from './screens.js';
import { SelfTestRun } from './selfTestRun.js';
import { createSelfTestScreen } from './selfTestScreen.js';
import { speak, stopSpeaking } from './speech.js';
import { LANGUAGE, t } from './strings.js';
import { createBoothView, statusOfLink } from './view.js';
import { WarmDevices } from './warmDevices.js';
import './styles.css';

// The page's fixed texts, named by data-i18n in index.html.
document.documentElement.lang = LANGUAGE;
applyTranslations(document, t);

let state: KioskState = initialState();

// What the effects opened, so that later effects can use and close it.
let credential = '';
let journeyLink: JourneyLink | null = null;
let fleet: FleetLink | null = null;
let call: Call | null = null;
// A camera or microphone a call could not open again; branch IT sees it until a device opens again.
let deviceFault: DeviceFault | null = null;
const timers = new Map<TimerName, ReturnType<typeof setTimeout>>();

const view = createBoothView(
  () => call?.callOfficer(),
  () => call?.reportCannotHear(),
);
const screens = createJourneyScreens(
  {
    onStart: () => dispatch({ type: 'startPressed' }),
    onService: (service) => dispatch({ type: 'servicePicked', service }),
    onDetails: ({ ticket, priority }) => dispatch({ type: 'detailsEntered', ticket, priority }),
    onConfirm: () => dispatch({ type: 'confirmPressed' }),
    onBack: () => dispatch({ type: 'backPressed' }),
    onCancel: () => dispatch({ type: 'cancelPressed' }),
    onDone: () => dispatch({ type: 'thanksOver' }),
    onActive: () => dispatch({ type: 'claimantActive' }),
  },
  hasReceiptPrinter(location.search),
);
const selfTests = new SelfTestRun(createSelfTestScreen());
const warmDevices = new WarmDevices();
const help = createHelpView(
  () => dispatch({ type: 'helpPressed' }),
  () => dispatch({ type: 'helpClosed' }),
);

dispatch({ type: 'started', credential: loadDeviceCredential() });

/** Moves the machine on by `event`, carries out what it asks for, then draws the new state. */
function dispatch(event: KioskEvent): void {
  const step = transition(state, event);
  // Set first: an effect may report an event of its own at once (a link saying it is connecting).
  state = step.state;
  for (const effect of step.effects) perform(effect);
  render(state);
}

function perform(effect: Effect): void {
  switch (effect.kind) {
    case 'wipeClaimant':
      screens.reset();
      forgetAllButCredential();
      break;
    case 'storeCredential':
      storeDeviceCredential(effect.credential);
      break;
    case 'forgetCredential':
      credential = '';
      forgetDeviceCredential();
      break;
    case 'askForEnrolment':
      showEnrolment((issued) => dispatch({ type: 'enrolled', credential: issued }));
      break;
    case 'connect':
      credential = effect.credential;
      connect();
      break;
    case 'disconnect':
      journeyLink?.stop();
      journeyLink = null;
      fleet?.stop();
      fleet = null;
      break;
    case 'startCall':
      call = startCall(currentCredential, warmDevices.take(), view, () => dispatch({ type: 'unauthorized' }), setDeviceFault);
      break;
    case 'endCall':
      call?.stop();
      call = null;
      break;
    case 'setOfficerAway':
      call?.setOfficerAway(effect.away);
      break;
    case 'setMoving':
      call?.setMoving(effect.moving);
      break;
    case 'send':
      if (effect.command === 'help') askForHelp();
      else send(effect.command === 'start' ? journeyLink?.start(effect.choice) : journeyLink?.cancel(), effect.command);
      break;
    case 'startTimer': {
      clearTimeout(timers.get(effect.timer));
      const then = effect.then;
      timers.set(
        effect.timer,
        setTimeout(() => {
          timers.delete(effect.timer);
          dispatch(then);
        }, effect.ms),
      );
      break;
    }
    case 'cancelTimer':
      clearTimeout(timers.get(effect.timer));
      timers.delete(effect.timer);
      break;
    case 'runSelfTest':
      if (journeyLink) {
        selfTests.run(journeyLink.socket, (passed) => {
          // The self-test opened the camera and microphone, so a device at fault works again.
          if (passed) setDeviceFault(null);
          dispatch({ type: 'selfTestFinished', passed });
        });
      }
      break;
    case 'forgetSelfTests':
      selfTests.forget();
      break;
    case 'speak':
      speak(promptOf(effect.screen));
      break;
    case 'stopSpeaking':
      stopSpeaking();
      break;
    case 'reload':
      location.reload();
      break;
  }
}

/** Opens the journey link, and branch IT's side of it. */
function connect(): void {
  const link = keepJourneyLink(currentCredential, {
    onLinkChanged: (next) => dispatch({ type: 'linkChanged', link: next }),
    onJourneyChanged: (journey) => dispatch({ type: 'journeyChanged', journey, pageUrl: location.href }),
    onUnauthorized: () => dispatch({ type: 'unauthorized' }),
    onSelfTestRequested: () => dispatch({ type: 'selfTestRequested' }),
  });
  journeyLink = link;
  fleet = serveFleet(link.socket, {
    linkQuality: async () => (call ? call.linkQuality() : null),
    deviceFault: () => deviceFault,
    onReloadRequested: () => dispatch({ type: 'reloadRequested' }),
    onServiceChanged: (outOfService) => dispatch({ type: 'serviceChanged', outOfService }),
    onCredentialRotated(rotated) {
      storeDeviceCredential(rotated);
      credential = rotated;
      return true;
    },
  });
}

/** Keeps the device fault a call reported, and tells branch IT at once when it changes. */
function setDeviceFault(fault: DeviceFault | null): void {
  if (fault?.kind === deviceFault?.kind && fault?.detail === deviceFault?.detail) return;
  deviceFault = fault;
  fleet?.beat();
}

/** The credential for the next handshake: the newest, after a rotation. */
function currentCredential(): string {
  return credential;
}

/** Tells the machine how the server answered the claimant's command. */
function send(answer: Promise<void> | undefined, command: 'start' | 'cancel'): void {
  if (!answer) return;
  answer.then(
    () => dispatch({ type: 'commandAnswered', command, ok: true }),
    (error: unknown) => {
      console.warn(`journey:${command} failed`, error);
      dispatch({ type: 'commandAnswered', command, ok: false });
    },
  );
}

/** Calls branch staff, and tells the machine whether the server took the call. */
function askForHelp(): void {
  const asked = journeyLink?.askForHelp() ?? Promise.reject(new Error('no journey link'));
  asked.then(
    () => dispatch({ type: 'helpAnswered', ok: true }),
    (error: unknown) => {
      console.warn('help:request failed', error);
      dispatch({ type: 'helpAnswered', ok: false });
    },
  );
}

/** Draws `shown`: the screen the state calls for, everything else hidden. */
function render(shown: KioskState): void {
  // Not a screen, but decided by the same state: the camera opens just before the call (a call takes it).
  if (aboutToBeCalled(shown)) warmDevices.warm();
  else if (!shown.inCall) warmDevices.release();
  help.show(helpOf(shown));
  const screen = screenOf(shown);
  switch (screen.kind) {
    case 'enrolment':
      view.showStatus(null);
      screens.show(null);
      selfTests.show(null);
      break;
    case 'call':
      // The call draws itself, status line included.
      screens.show(null);
      selfTests.show(null);
      break;
    case 'link':
      screens.show(null);
      selfTests.show(null);
      view.showStatus(statusOfLink(screen.link));
      break;
    case 'self-test':
      view.showStatus(null);
      screens.show(null);
      selfTests.show(screen.fault ? 'fault' : 'testing');
      break;
    case 'journey':
      view.showStatus(null);
      screens.show(screen.screen);
      selfTests.show(null);
      break;
  }
}
