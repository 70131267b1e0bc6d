/**
 * Says to screen readers what changes on the desk without the officer's doing: a booth calling,
 * and whom the officer talks to (also after a reconnect restored it), through a live region.
 */
import { t } from '../strings.js';
import type { DeskScreen } from '../view.js';

/** The desk's announcements. */
export interface DeskAnnouncer {
  /** Announces the calls and the talk that changed since the desk last shown. */
  show(desk: DeskScreen): void;
}

/** Announces through `region`, an aria-live element. */
export function createDeskAnnouncer(region: HTMLElement): DeskAnnouncer {
  let calling = new Set<string>();
  let unheard = new Set<string>();
  let talking: string | null | undefined;

  return {
    show(desk) {
      const lines: string[] = [];
      for (const booth of desk.booths) {
        if (booth.attentionPlace !== null && !calling.has(booth.boothId)) {
          lines.push(t('announceCall', { id: booth.boothId, place: booth.attentionPlace }));
        }
      }
      calling = new Set(desk.booths.filter((booth) => booth.attentionPlace !== null).map((booth) => booth.boothId));
      for (const booth of desk.booths) {
        if (booth.cannotHear && !unheard.has(booth.boothId)) lines.push(t('announceCannotHear', { id: booth.boothId }));
      }
      unheard = new Set(desk.booths.filter((booth) => booth.cannotHear).map((booth) => booth.boothId));
      if (desk.talkingToBoothId !== talking) {
        // The first desk shown sets the talk without announcing nobody.
        if (talking !== undefined || desk.talkingToBoothId !== null) {
          lines.push(desk.talkingToBoothId === null ? t('announceTalkNone') : t('announceTalk', { id: desk.talkingToBoothId }));
        }
        talking = desk.talkingToBoothId;
      }
      if (lines.length > 0) region.textContent = lines.join(' ');
    },
  };
}
