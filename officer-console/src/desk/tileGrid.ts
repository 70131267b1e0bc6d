/**
 * The grid of the desk's tiles: seated booths in seat order (their talk keys), then the
 * sessions still waiting for their booth; a layout that keeps every tile as large as the screen
 * allows, or one enlarged tile beside a strip of the others; the session clocks; and the
 * two-press "end session" shared by the tiles' buttons and the E key.
 */
import type { LivenessChallenge, LivenessVerdict } from '@bilik/shared/liveness';
import { pressTwice } from '../pressTwice.js';
import { KeyedList } from '../keyedList.js';
import type { DeskScreen } from '../view.js';
import { createPendingTile, createSeatedTile, type PendingTile, type SeatedTile, type TileActions } from './tile.js';

/** What the officer asks for on the tiles. */
export interface GridIntents {
  talkTo(boothId: string): void;
  focus(boothId: string | null): void;
  endSession(boothId: string): void;
  captureDocument(boothId: string): void;
  /** Sets the booth a liveness challenge; resolves with it, or null when refused. */
  challengeLiveness(boothId: string): Promise<LivenessChallenge | null>;
  /** Records the officer's verdict on the challenge the booth shows and takes it off; resolves with whether it was. */
  judgeLiveness(boothId: string, challengeId: string, verdict: LivenessVerdict): Promise<boolean>;
  /** Takes the booth's liveness challenge off its screen without a verdict; resolves with whether it was. */
  clearLiveness(boothId: string): Promise<boolean>;
  dismissCannotHear(boothId: string): void;
  /** Opens the "Pindahkan" dialog for the booth's claimant. */
  transfer(boothId: string): void;
}

/** The desk's tiles. */
export interface TileGrid {
  /** Shows the desk's booths (null: none), keeping the tiles and videos of booths that stay. */
  show(desk: DeskScreen | null): void;
  /** The first press arms the booth's "end session", a second within a few seconds ends it. */
  pressEnd(boothId: string): void;
  /** Disarms a pending "end session". */
  cancelEnd(): void;
  /** Shows the liveness challenge the booth shows on its tile, now or once its tile is seated. */
  showLiveness(boothId: string, challenge: LivenessChallenge): void;
}

type GridEntry =
  { kind: 'seated'; booth: DeskScreen['booths'][number]; desk: DeskScreen } | { kind: 'pending'; booth: DeskScreen['pending'][number] };

/** A tile's key in the grid: a booth's seated and pending tiles are different tiles. */
function tileKey(kind: GridEntry['kind'], boothId: string): string {
  return `${kind}:${boothId}`;
}

const MAX_COLUMNS = 3;
/** How long the first press of "Selesai" (or E) waits for the second. */
const END_CONFIRM_MS = 3_000;

/** Binds the grid element; `intents` hears what the officer clicks. */
export function createTileGrid(grid: HTMLElement, intents: GridIntents, doc: Document = document): TileGrid {
  const ending = pressTwice(END_CONFIRM_MS, (armed) => {
    for (const [, tile] of tiles.entries()) tile.drawEnd(tile.root.dataset.boothId === armed);
  });
  const pressEnd = (boothId: string): void => {
    if (ending.press(boothId)) intents.endSession(boothId);
  };
  const actions: TileActions = {
    talkTo: (boothId) => intents.talkTo(boothId),
    focus: (boothId) => intents.focus(boothId),
    captureDocument: (boothId) => intents.captureDocument(boothId),
    challengeLiveness: (boothId) => intents.challengeLiveness(boothId),
    judgeLiveness: (boothId, challengeId, verdict) => intents.judgeLiveness(boothId, challengeId, verdict),
    clearLiveness: (boothId) => intents.clearLiveness(boothId),
    dismissCannotHear: (boothId) => intents.dismissCannotHear(boothId),
    transfer: (boothId) => intents.transfer(boothId),
    pressEnd,
    armedEnd: () => ending.armed(),
  };

  // Challenges the server says a booth shows, kept until the booth's seated tile exists to show them.
  const livenessToShow = new Map<string, LivenessChallenge>();
  const seatedTile = (boothId: string): SeatedTile => {
    const tile = createSeatedTile(doc, boothId, actions);
    const challenge = livenessToShow.get(boothId);
    if (challenge) tile.drawLiveness(challenge);
    livenessToShow.delete(boothId);
    return tile;
  };

  // A booth whose media link arrives gets a new (seated) tile in place of its pending one.
  const tiles = new KeyedList<GridEntry, SeatedTile | PendingTile>(grid, {
    keyOf: (entry) => tileKey(entry.kind, entry.booth.boothId),
    create: (entry) => (entry.kind === 'seated' ? seatedTile(entry.booth.boothId) : createPendingTile(doc, entry.booth.boothId, actions)),
    update(tile, entry) {
      if (entry.kind === 'seated' && tile.kind === 'seated') tile.update(entry.booth, entry.desk);
      else if (entry.kind === 'pending' && tile.kind === 'pending') tile.update(entry.booth);
    },
  });

  setInterval(() => {
    const now = performance.now();
    for (const [, tile] of tiles.entries()) if (tile.kind === 'seated') tile.tick(now);
  }, 1000);

  return {
    show(desk) {
      const booths = desk?.booths ?? [];
      const pending = desk?.pending ?? [];
      const entries: GridEntry[] = desk
        ? [
            ...booths.map((booth): GridEntry => ({ kind: 'seated', booth, desk })),
            ...pending.map((booth): GridEntry => ({ kind: 'pending', booth })),
          ]
        : [];
      tiles.show(entries);

      const seated = new Set(booths.map((booth) => booth.boothId));
      const shown = booths.length + pending.length;
      const focused = desk?.focusedBoothId != null && seated.has(desk.focusedBoothId);
      // A lone booth already fills the grid; the strip of thumbnails only exists beside others.
      grid.dataset.layout = focused && shown > 1 ? 'focus' : 'grid';
      grid.style.setProperty('--thumbs', String(Math.max(1, shown - 1)));
      // Near-square shapes keep every tile as large as the screen allows: 1, 2, 2x2, 3x2.
      const columns = Math.min(MAX_COLUMNS, Math.max(1, Math.ceil(Math.sqrt(shown))));
      grid.style.setProperty('--columns', String(columns));
      grid.style.setProperty('--rows', String(Math.max(1, Math.ceil(shown / columns))));
      grid.classList.toggle('has-talk', desk?.talkingToBoothId != null && seated.has(desk.talkingToBoothId));
    },
    pressEnd,
    cancelEnd: () => ending.cancel(),
    showLiveness(boothId, challenge) {
      const tile = tiles.get(tileKey('seated', boothId));
      if (tile?.kind === 'seated') tile.drawLiveness(challenge);
      else livenessToShow.set(boothId, challenge);
    },
  };
}
