/**
 * The claimant's journey before and after the call, one screen at a time: welcome, service
 * choice, queue, thanks with the tracking code. Which screen shows is the journey machine's to
 * decide; this module draws it, words its spoken prompt, and reports what the claimant pressed.
 */
import { byTestId } from '@bilik/shared/client';
import { SERVICES, TICKET_PATTERN, type Service } from '@bilik/shared/journey';
import { formatTrackingCode } from '@bilik/shared/outcome';
import type { Choice } from './journeyLink.js';
import type { Screen, Tracking, WaitingJourney } from './journeyMachine.js';
import { drawQrCode } from './qrCode.js';
import { t, type TextKey } from './strings.js';

/** What the claimant can do on the journey screens. */
export interface ScreenActions {
  /** "Mulai" on the welcome screen. */
  onStart(): void;
  /** A service button, with a ticket that is empty or well-formed. */
  onChoose(choice: Choice): void;
  /** "Kembali" on the service screen, or the screen left untouched for too long. */
  onBack(): void;
  /** "Batal" while waiting. */
  onCancel(): void;
  /** "Selesai" on the thanks screen: the claimant is done with it. */
  onDone(): void;
  /** The claimant touched or typed on the service screen: still choosing. */
  onActive(): void;
}

/** The journey screens of index.html. */
export interface JourneyScreens {
  /** Shows `screen`, or hides them all when null (a connection status or the call is on screen instead). */
  show(screen: Screen | null): void;
  /** Empties everything the claimant typed or ticked, and what the screens showed of their visit. */
  reset(): void;
}

const SERVICE_NAMES: Record<Service, TextKey> = {
  jht: 'serviceJht',
  jkk: 'serviceJkk',
  jkm: 'serviceJkm',
  jp: 'serviceJp',
};

/** Binds the journey screens to the elements of index.html (whose fixed texts main.ts fills in). */
export function createJourneyScreens(actions: ScreenActions, doc: Document = document): JourneyScreens {
  const find = byTestId(doc);
  const root = find('journey');
  const screens: Record<Screen['kind'], HTMLElement> = {
    idle: find('screen-idle'),
    service: find('screen-service'),
    waiting: find('screen-waiting'),
    ended: find('screen-ended'),
    'out-of-service': find('screen-out-of-service'),
  };
  const ticket = find<HTMLInputElement>('ticket');
  const ticketError = find('ticket-error');
  const priority = find<HTMLInputElement>('priority');
  const queuePlace = find('queue-place');
  const estimate = find('estimate');
  const estimatedWait = find('estimated-wait');
  const noOfficer = find('no-officer');
  const waitingService = find('waiting-service');
  const back = find<HTMLButtonElement>('back');
  const cancel = find<HTMLButtonElement>('cancel');
  const journeyError = find('journey-error');
  const trackingBox = find('tracking');
  const trackingCode = find('tracking-code');
  const trackingAddress = find('tracking-address');
  const trackingQr = doc.querySelector<SVGSVGElement>('[data-testid="tracking-qr"]');
  if (!trackingQr) throw new Error('index.html lacks data-testid="tracking-qr"');
  const done = find<HTMLButtonElement>('thanks-done');
  // A failed command is reported just above the screen's way out, where the claimant looks next.
  const errorPlace = { service: back, waiting: cancel } as const;

  const serviceList = find('services');
  const serviceButtons = SERVICES.map((service) => {
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'big-button service-button';
    button.dataset.testid = `service-${service}`;
    button.textContent = t(SERVICE_NAMES[service]);
    button.addEventListener('click', () => choose(service));
    serviceList.append(button);
    return button;
  });

  const typedTicket = (): string => ticket.value.trim();
  const ticketValid = (): boolean => typedTicket() === '' || TICKET_PATTERN.test(typedTicket());
  const showTicketValidity = (): void => {
    const valid = ticketValid();
    ticketError.hidden = valid;
    ticket.setAttribute('aria-invalid', String(!valid));
  };

  const choose = (service: Service): void => {
    if (!ticketValid()) {
      showTicketValidity();
      ticket.focus();
      return;
    }
    actions.onChoose({ service, ticket: typedTicket() || null, priority: priority.checked });
  };

  ticket.addEventListener('input', () => {
    // Tickets are printed in capitals; whatever the keyboard types must match them.
    const { selectionStart, selectionEnd } = ticket;
    ticket.value = ticket.value.toUpperCase();
    ticket.setSelectionRange(selectionStart, selectionEnd);
    showTicketValidity();
  });
  find('start').addEventListener('click', () => actions.onStart());
  back.addEventListener('click', () => actions.onBack());
  cancel.addEventListener('click', () => actions.onCancel());
  done.addEventListener('click', () => actions.onDone());

  for (const type of ['pointerdown', 'keydown', 'input'] as const) screens.service.addEventListener(type, () => actions.onActive());

  const showWaiting = (journey: WaitingJourney): void => {
    queuePlace.textContent = String(journey.place);
    // Nobody on duty: say so plainly instead of an estimate nobody can make.
    const nobody = journey.officersOnDuty === 0;
    noOfficer.hidden = !nobody;
    estimate.hidden = nobody || journey.estimatedWaitMinutes === null;
    estimatedWait.textContent =
      journey.estimatedWaitMinutes === null ? '' : t('waitMinutes', { minutes: Math.max(1, Math.round(journey.estimatedWaitMinutes)) });
    waitingService.textContent = t('waitingFor', { service: t(SERVICE_NAMES[journey.service]) });
  };

  // The QR code is drawn once per code, not at every render.
  let drawnTracking: string | null = null;
  const showTracking = (tracking: Tracking | null): void => {
    trackingBox.hidden = tracking === null;
    if ((tracking?.url ?? null) === drawnTracking) return;
    drawnTracking = tracking?.url ?? null;
    trackingCode.textContent = tracking ? formatTrackingCode(tracking.code) : '';
    trackingAddress.textContent = tracking ? t('trackingAddress', { address: addressOf(tracking.url) }) : '';
    if (tracking) drawQrCode(trackingQr, tracking.url);
    else trackingQr.replaceChildren();
  };

  return {
    show(screen) {
      root.hidden = screen === null;
      for (const [kind, element] of Object.entries(screens)) element.hidden = kind !== screen?.kind;
      // Only the screens that send a command have one pending or failed.
      const commanding = screen?.kind === 'service' || screen?.kind === 'waiting' ? screen : null;
      const busy = commanding?.busy ?? false;
      for (const button of serviceButtons) button.disabled = busy;
      cancel.disabled = busy;
      const error = commanding?.error ?? null;
      if (commanding && error) errorPlace[commanding.kind].before(journeyError);
      journeyError.hidden = error === null;
      journeyError.textContent = error ? t(error) : '';
      if (screen?.kind === 'waiting') showWaiting(screen.journey);
      showTracking(screen?.kind === 'ended' ? screen.tracking : null);
    },
    reset() {
      ticket.value = '';
      priority.checked = false;
      showTicketValidity();
      journeyError.hidden = true;
      journeyError.textContent = '';
      // Hidden is not gone: the last visit's place and service leave the page too.
      queuePlace.textContent = '';
      estimatedWait.textContent = '';
      waitingService.textContent = '';
      showTracking(null);
    },
  };
}

/** What the booth reads aloud when `screen` appears (not at every update of the queue place). */
export function promptOf(screen: Screen): string {
  switch (screen.kind) {
    case 'idle':
      return `${t('welcome')}. ${t('welcomeHint')}`;
    case 'service':
      return t('chooseService');
    case 'waiting':
      return [
        `${t('pleaseWait')}.`,
        `${t('placeLabel')}: ${screen.journey.place}.`,
        screen.journey.officersOnDuty === 0 ? t('noOfficer') : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'ended':
      // The code itself is not read out: others in the branch can hear it.
      return [`${t('thanks')}.`, t('thanksHint'), screen.tracking ? t('trackingSpoken') : ''].filter(Boolean).join(' ');
    case 'out-of-service':
      return `${t('outOfService')}. ${t('outOfServiceHint')}`;
  }
}

/** The tracking page's address as a person types it: host and path, without the code. */
function addressOf(url: string): string {
  const { host, pathname } = new URL(url);
  return `${host}${pathname}`;
}
