/**
 * The supervisor page's monitor panel: the branch's live visits, each with a button to monitor
 * it and how long its claimant has waited for the officer's word (coloured as the officer's tile
 * colours it), and the one monitored: the booth's picture, what is heard, the barge-in and stop buttons.
 */
import type { MonitorState } from '@bilik/shared';
import { describeError, type LinkState } from '@bilik/shared/client';
import type { OfficerLoadView } from '@bilik/shared/journey';
import { holdLevel } from '../desk/holdLevel.js';
import { formatClock } from '../format.js';
import { openMonitor, type Monitor, type MonitorMedia } from './monitor.js';
import { t } from './strings.js';

/** The panel, bound to its elements in supervisor/index.html. */
export interface MonitorPanel {
  /** Lists the live visits of the branch's officers, as the last queue poll had them. */
  showVisits(officers: readonly OfficerLoadView[]): void;
  /** Stops monitoring, e.g. when another branch is chosen. */
  stop(): void;
}

export function createMonitorPanel(find: <E extends HTMLElement>(testId: string) => E, doc: Document = document): MonitorPanel {
  const list = find<HTMLUListElement>('live-visits');
  const empty = find<HTMLElement>('live-visits-empty');
  const panel = find<HTMLElement>('monitor');
  const status = find<HTMLElement>('monitor-status');
  const video = find<HTMLVideoElement>('monitor-video');
  const sounds = find<HTMLElement>('monitor-audio');
  const bargeButton = find<HTMLButtonElement>('monitor-barge');
  const stopButton = find<HTMLButtonElement>('monitor-stop');

  let monitor: Monitor | null = null;
  let boothId: string | null = null;
  let visit: MonitorState | null = null;
  let link: LinkState = { kind: 'connecting' };
  let ended = false;
  let shownVisits = '';
  // Each listed visit's hold, refreshed every poll without redrawing its button.
  let holdElements = new Map<string, HTMLElement>();

  const render = (): void => {
    panel.hidden = boothId === null;
    if (boothId === null) return;
    const booth = boothId;
    let text: string;
    if (ended) text = t('monitorEnded', { booth });
    else if (link.kind === 'failed' || link.kind === 'refused' || link.kind === 'unauthorized')
      text = t('monitorFailed', { detail: link.detail });
    else if (link.kind !== 'live' || visit === null) text = t('monitorConnecting');
    else if (!visit.boothPresent) text = t('monitorBoothGone');
    else if (visit.barging) text = t('monitorBarging', { booth });
    else text = [t('monitorListening', { booth }), visit.officerTalking ? t('monitorOfficerTalking') : ''].join(' ').trim();
    status.textContent = text;
    panel.dataset.barging = String(visit?.barging ?? false);
    panel.dataset.officerTalking = String(visit?.officerTalking ?? false);
    bargeButton.hidden = ended;
    bargeButton.disabled = link.kind !== 'live' || !(visit?.boothPresent ?? false);
    bargeButton.textContent = t(visit?.barging ? 'bargeOut' : 'bargeIn');
  };

  const showMedia = ({ video: track, audio }: MonitorMedia): void => {
    const shown = video.srcObject instanceof MediaStream ? video.srcObject.getVideoTracks()[0] : undefined;
    if (shown !== (track ?? undefined)) video.srcObject = track ? new MediaStream([track]) : null;
    // One element per voice that flows: the booth's, and the officer's while talking to it.
    sounds.replaceChildren(
      ...audio.map((voice) => {
        const element = doc.createElement('audio');
        element.autoplay = true;
        element.srcObject = new MediaStream([voice]);
        return element;
      }),
    );
  };

  const stop = (): void => {
    monitor?.stop();
    monitor = null;
    boothId = null;
    visit = null;
    showMedia({ video: null, audio: [] });
    render();
  };

  const start = (next: string): void => {
    stop();
    boothId = next;
    ended = false;
    link = { kind: 'connecting' };
    render();
    openMonitor(next, {
      onLinkChanged(state) {
        link = state;
        render();
      },
      onVisitChanged(state) {
        visit = state;
        render();
      },
      onMediaChanged: showMedia,
      onEnded() {
        ended = true;
        monitor = null;
        render();
      },
    }).then(
      (opened) => {
        if (boothId === next && !ended) monitor = opened;
        else opened.stop();
      },
      (error: unknown) => {
        link = { kind: 'failed', detail: describeError(error) };
        render();
      },
    );
  };

  bargeButton.addEventListener('click', () => {
    if (!monitor || !visit) return;
    bargeButton.disabled = true;
    monitor.barge(!visit.barging).catch((error: unknown) => {
      link = { kind: 'failed', detail: describeError(error) };
      render();
    });
  });
  stopButton.addEventListener('click', stop);

  return {
    showVisits(officers) {
      const visits = officers.flatMap((officer) => officer.boothIds.map((booth) => ({ booth, officer: officer.displayName })));
      empty.hidden = visits.length > 0;
      // Redrawn only when the visits change, so a poll never takes the keyboard focus off a button.
      const key = JSON.stringify(visits);
      if (key !== shownVisits) {
        shownVisits = key;
        holdElements = new Map();
        list.replaceChildren(
          ...visits.map(({ booth, officer }) => {
            const button = doc.createElement('button');
            button.type = 'button';
            button.className = 'button';
            button.dataset.testid = 'monitor-visit';
            button.dataset.boothId = booth;
            button.textContent = t('monitorVisit', { booth, officer });
            button.addEventListener('click', () => start(booth));
            const hold = doc.createElement('span');
            hold.className = 'visit-hold';
            hold.dataset.testid = 'visit-hold';
            holdElements.set(booth, hold);
            const item = doc.createElement('li');
            item.append(button, hold);
            return item;
          }),
        );
      }
      // A booth not seated at its desk yet has no hold: its element stays empty.
      for (const hold of holdElements.values()) {
        hold.textContent = '';
        delete hold.dataset.level;
      }
      for (const { boothId, waitingMs } of officers.flatMap((officer) => officer.holds)) {
        const hold = holdElements.get(boothId);
        if (!hold) continue;
        hold.dataset.level = waitingMs === null ? 'talking' : holdLevel(waitingMs);
        hold.textContent = waitingMs === null ? t('holdTalking') : t('holdFor', { time: formatClock(waitingMs) });
      }
    },
    stop,
  };
}
