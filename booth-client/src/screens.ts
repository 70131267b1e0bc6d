/**
 * The claimant's journey before and after the call, one screen at a time: welcome, service,
 * details (ticket, priority), the summary to confirm, queue, thanks with the tracking code. Which screen shows is the journey machine's to
 * decide; this module draws it, words its spoken prompt, and reports what the claimant pressed.
 */
import { byTestId } from '@bilik/shared/client';
import { SERVICES, TICKET_PATTERN, type Service } from '@bilik/shared/journey';
import type { VisitDecision } from '@bilik/shared/journey';
import { DOCUMENTS_BY_SERVICE, formatTrackingCode, type Decision } from '@bilik/shared/outcome';
import type { Choice } from './journeyLink.js';
import type { Screen, Tracking, WaitingJourney } from './journeyMachine.js';
import { drawQrCode } from './qrCode.js';
import { serviceIcon } from './serviceIcons.js';
import { documentName, serviceName, t, type TextKey } from './strings.js';

/** What the claimant can do on the journey screens. */
export interface ScreenActions {
  /** "Mulai" on the welcome screen. */
  onStart(): void;
  /** A service button. */
  onService(service: Service): void;
  /** "Lanjut" on the details screen, with a ticket that is empty or well-formed. */
  onDetails(details: Pick<Choice, 'ticket' | 'priority'>): void;
  /** "Ya, ambil antrean" on the summary. */
  onConfirm(): void;
  /** "Kembali" or "Ubah" on a choosing screen. */
  onBack(): void;
  /** "Batal" while waiting. */
  onCancel(): void;
  /** "Selesai" on the thanks screen: the claimant is done with it. */
  onDone(): void;
  /** The claimant touched or typed on a choosing screen: still choosing. */
  onActive(): void;
}

/** The journey screens of index.html. */
export interface JourneyScreens {
  /** Shows `screen`, or hides them all when null (a connection status or the call is on screen instead). */
  show(screen: Screen | null): void;
  /** Empties everything the claimant typed or ticked, and what the screens showed of their visit. */
  reset(): void;
}

/** Each decision as the claimant reads it. */
const DECISION_TEXT: Record<Decision, TextKey> = {
  approved: 'decisionApproved',
  incomplete: 'decisionIncomplete',
  rejected: 'decisionRejected',
  escalated: 'decisionEscalated',
};

/**
 * Binds the journey screens to the elements of index.html (whose fixed texts main.ts fills in).
 * `receiptPrinter`: the kiosk can print the tracking code (see receiptPrinter.ts).
 */
export function createJourneyScreens(actions: ScreenActions, receiptPrinter: boolean, doc: Document = document): JourneyScreens {
  const find = byTestId(doc);
  const root = find('journey');
  const screens: Record<Screen['kind'], HTMLElement> = {
    idle: find('screen-idle'),
    service: find('screen-service'),
    details: find('screen-details'),
    confirm: find('screen-confirm'),
    waiting: find('screen-waiting'),
    ended: find('screen-ended'),
    'out-of-service': find('screen-out-of-service'),
  };
  const ticket = find<HTMLInputElement>('ticket');
  const ticketError = find('ticket-error');
  const priority = find<HTMLButtonElement>('priority');
  const detailsService = find('details-service');
  const summaryService = find('summary-service');
  const summaryTicket = find('summary-ticket');
  const summaryPriority = find('summary-priority');
  const confirm = find<HTMLButtonElement>('confirm');
  const backFromConfirm = find<HTMLButtonElement>('back-confirm');
  const queuePlace = find('queue-place');
  const estimate = find('estimate');
  const estimatedWait = find('estimated-wait');
  const noOfficer = find('no-officer');
  const waitingService = find('waiting-service');
  const cancel = find<HTMLButtonElement>('cancel');
  const journeyError = find('journey-error');
  const trackingBox = find('tracking');
  const trackingCode = find('tracking-code');
  const trackingAddress = find('tracking-address');
  const trackingQr = doc.querySelector<SVGSVGElement>('[data-testid="tracking-qr"]');
  if (!trackingQr) throw new Error('index.html lacks data-testid="tracking-qr"');
  const done = find<HTMLButtonElement>('thanks-done');
  const print = find<HTMLButtonElement>('print-tracking');
  const thanksHint = find('thanks-hint');
  const decisionText = find('decision');
  const bring = find('bring');
  const missingDocuments = find('missing-documents');
  const clearsIn = find('clears-in');
  // A failed command is reported just above the screen's buttons, where the claimant looks next.
  const errorPlace = { confirm: find('confirm-actions'), waiting: cancel } as const;

  // Each service with its picture and the documents to have ready, so nobody queues without them.
  const serviceList = find('services');
  for (const service of SERVICES) {
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'big-button service-button';
    button.dataset.testid = `service-${service}`;
    const name = doc.createElement('span');
    name.className = 'service-name';
    name.textContent = serviceName(service);
    const documents = doc.createElement('span');
    documents.className = 'service-documents';
    documents.textContent = t('bringDocuments', { documents: DOCUMENTS_BY_SERVICE[service].map((kind) => documentName(kind)).join(', ') });
    button.append(serviceIcon(doc, service), name, documents);
    button.addEventListener('click', () => actions.onService(service));
    serviceList.append(button);
  }

  const typedTicket = (): string => ticket.value.trim();
  const ticketValid = (): boolean => typedTicket() === '' || TICKET_PATTERN.test(typedTicket());
  const showTicketValidity = (): void => {
    const valid = ticketValid();
    ticketError.hidden = valid;
    ticket.setAttribute('aria-invalid', String(!valid));
  };

  const priorityChosen = (): boolean => priority.getAttribute('aria-pressed') === 'true';
  const setPriority = (on: boolean): void => priority.setAttribute('aria-pressed', String(on));

  const enterDetails = (): void => {
    if (!ticketValid()) {
      showTicketValidity();
      ticket.focus();
      return;
    }
    actions.onDetails({ ticket: typedTicket() || null, priority: priorityChosen() });
  };

  ticket.addEventListener('input', () => {
    // Tickets are printed in capitals; whatever the keyboard types must match them.
    const { selectionStart, selectionEnd } = ticket;
    ticket.value = ticket.value.toUpperCase();
    ticket.setSelectionRange(selectionStart, selectionEnd);
    showTicketValidity();
  });
  find('start').addEventListener('click', () => actions.onStart());
  priority.addEventListener('click', () => setPriority(!priorityChosen()));
  find('details-next').addEventListener('click', enterDetails);
  confirm.addEventListener('click', () => actions.onConfirm());
  for (const back of ['back-service', 'back-details', 'back-confirm']) find(back).addEventListener('click', () => actions.onBack());
  cancel.addEventListener('click', () => actions.onCancel());
  done.addEventListener('click', () => actions.onDone());
  print.addEventListener('click', () => {
    // One receipt per code: a second press would only waste paper while the claimant waits for it.
    print.disabled = true;
    print.textContent = t('codePrinted');
    doc.defaultView?.print();
  });

  for (const screen of [screens.service, screens.details, screens.confirm])
    for (const type of ['pointerdown', 'keydown', 'input'] as const) screen.addEventListener(type, () => actions.onActive());

  const showConfirm = (choice: Choice): void => {
    summaryService.textContent = serviceName(choice.service);
    summaryTicket.textContent = choice.ticket ?? t('noTicket');
    summaryPriority.textContent = t(choice.priority ? 'yes' : 'no');
  };

  const showWaiting = (journey: WaitingJourney): void => {
    queuePlace.textContent = String(journey.place);
    // Nobody ready to serve (none on duty, or all on a break): say so plainly, and what the
    // claimant can do, instead of an estimate nobody can make.
    const nobody = journey.estimatedWaitMinutes === null;
    noOfficer.hidden = !nobody;
    estimate.hidden = nobody;
    estimatedWait.textContent =
      journey.estimatedWaitMinutes === null ? '' : t('waitMinutes', { minutes: Math.max(1, Math.round(journey.estimatedWaitMinutes)) });
    waitingService.textContent = t('waitingFor', { service: serviceName(journey.service) });
  };

  // The QR code is drawn once per code, not at every render.
  let drawnTracking: string | null = null;
  const showTracking = (tracking: Tracking | null): void => {
    trackingBox.hidden = tracking === null;
    print.hidden = !receiptPrinter || tracking === null;
    if ((tracking?.url ?? null) === drawnTracking) return;
    drawnTracking = tracking?.url ?? null;
    print.disabled = false;
    print.textContent = t('printCode');
    trackingCode.textContent = tracking ? formatTrackingCode(tracking.code) : '';
    trackingAddress.textContent = tracking ? t('trackingAddress', { address: addressOf(tracking.url) }) : '';
    if (tracking) drawQrCode(trackingQr, tracking.url);
    else trackingQr.replaceChildren();
  };

  const showDecision = (decision: VisitDecision | null): void => {
    // The decision says it better than the general hint, and leaves room for the documents.
    thanksHint.hidden = decision !== null;
    decisionText.hidden = decision === null;
    decisionText.dataset.decision = decision?.decision ?? '';
    decisionText.textContent = decision ? t(DECISION_TEXT[decision.decision]) : '';
    const toBring = decision?.missingDocuments ?? [];
    bring.hidden = toBring.length === 0;
    missingDocuments.replaceChildren(
      ...toBring.map((kind) => {
        const item = doc.createElement('li');
        item.dataset.document = kind;
        item.textContent = documentName(kind);
        return item;
      }),
    );
  };

  // The countdown to the screen clearing, started when the thanks appear.
  let countdown: ReturnType<typeof setInterval> | undefined;
  const stopCountdown = (): void => {
    clearInterval(countdown);
    countdown = undefined;
    clearsIn.textContent = '';
  };
  const startCountdown = (ms: number): void => {
    const endsAt = performance.now() + ms;
    const tick = (): void => {
      clearsIn.textContent = t('clearsIn', { seconds: Math.max(0, Math.ceil((endsAt - performance.now()) / 1000)) });
    };
    tick();
    countdown = setInterval(tick, 1000);
  };

  return {
    show(screen) {
      if (screen?.kind === 'ended' && countdown === undefined) startCountdown(screen.ms);
      if (screen?.kind !== 'ended') stopCountdown();
      showDecision(screen?.kind === 'ended' ? screen.decision : null);
      root.hidden = screen === null;
      for (const [kind, element] of Object.entries(screens)) element.hidden = kind !== screen?.kind;
      // Only the screens that send a command have one pending or failed.
      const commanding = screen?.kind === 'confirm' || screen?.kind === 'waiting' ? screen : null;
      const busy = commanding?.busy ?? false;
      confirm.disabled = busy;
      backFromConfirm.disabled = busy;
      cancel.disabled = busy;
      const error = commanding?.error ?? null;
      if (commanding && error) errorPlace[commanding.kind].before(journeyError);
      journeyError.hidden = error === null;
      journeyError.textContent = error ? t(error) : '';
      if (screen?.kind === 'details') detailsService.textContent = serviceName(screen.service);
      if (screen?.kind === 'confirm') showConfirm(screen.choice);
      if (screen?.kind === 'waiting') showWaiting(screen.journey);
      showTracking(screen?.kind === 'ended' ? screen.tracking : null);
    },
    reset() {
      ticket.value = '';
      setPriority(false);
      detailsService.textContent = '';
      for (const shown of [summaryService, summaryTicket, summaryPriority]) shown.textContent = '';
      showTicketValidity();
      journeyError.hidden = true;
      journeyError.textContent = '';
      // Hidden is not gone: the last visit's place and service leave the page too.
      queuePlace.textContent = '';
      estimatedWait.textContent = '';
      waitingService.textContent = '';
      showTracking(null);
      showDecision(null);
      stopCountdown();
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
    case 'details':
      return `${serviceName(screen.service)}. ${t('detailsSpoken')}`;
    case 'confirm':
      return t('confirmSpoken');
    case 'waiting':
      return [
        `${t('pleaseWait')}.`,
        `${t('placeLabel')}: ${screen.journey.place}.`,
        screen.journey.estimatedWaitMinutes === null ? `${t('noOfficer')} ${t('noOfficerAdvice')}` : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'ended':
      // The code itself is not read out: others in the branch can hear it.
      // Nor the decision: it is for the claimant's eyes, on the screen.
      return [`${t('thanks')}.`, screen.decision ? t('resultSpoken') : t('thanksHint'), screen.tracking ? t('trackingSpoken') : '']
        .filter(Boolean)
        .join(' ');
    case 'out-of-service':
      return `${t('outOfService')}. ${t('outOfServiceHint')}`;
  }
}

/** The tracking page's address as a person types it: host and path, without the code. */
function addressOf(url: string): string {
  const { host, pathname } = new URL(url);
  return `${host}${pathname}`;
}
