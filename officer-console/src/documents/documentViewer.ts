/**
 * The document viewer beside the booths: the photo a booth just took, fitted to the panel and
 * zoomable (click the photo, the buttons, or + and -), its resolution and sharpness, a warning when
 * it is likely unreadable, and "Ambil lagi" to take it again. The viewer owns the object URL of
 * the photo it shows and revokes it as soon as the photo is replaced or closed.
 */
import { byTestId } from '@bilik/shared/client';
import { t, type TextKey } from '../strings.js';
import { isTextEntry } from '../textEntry.js';
import { UNREADABLE_BELOW } from './sharpness.js';

/** A photo ready to show; `url` is an object URL the viewer takes over. */
export interface ShownDocument {
  boothId: string;
  visitId: string;
  width: number;
  height: number;
  sharpness: number | null;
  url: string;
}

export interface DocumentViewer {
  /** The booth is counting down and taking the photo. */
  showWaiting(boothId: string, visitId: string): void;
  /** The photo could not be taken, uploaded or shown: `message` says which, `detail` the technical reason. */
  showFailure(boothId: string, visitId: string, message: TextKey, detail: string): void;
  /** Shows a photo at once, fitted to the panel. */
  showDocument(document: ShownDocument): void;
  /** Closes the viewer if what it shows belongs to a visit not among `liveVisits` (its session ended). */
  closeUnless(liveVisits: ReadonlySet<string>): void;
}

/** Zoom levels, as multiples of the size that fits the panel. */
const ZOOM_LEVELS = [1, 1.5, 2, 3, 4];

/** Binds the viewer to the `document-viewer` panel of index.html; `retake` asks the booth for another photo. */
export function createDocumentViewer(retake: (boothId: string) => void, doc: Document = document): DocumentViewer {
  const find = byTestId(doc);
  const panel = find<HTMLElement>('document-viewer');
  const title = find<HTMLElement>('document-title');
  const status = find<HTMLElement>('document-status');
  const details = find<HTMLElement>('document-details');
  const resolution = find<HTMLElement>('document-resolution');
  const sharpness = find<HTMLElement>('document-sharpness');
  const unreadable = find<HTMLElement>('document-unreadable');
  const zoom = find<HTMLElement>('document-zoom');
  const zoomOut = find<HTMLButtonElement>('document-zoom-out');
  const zoomIn = find<HTMLButtonElement>('document-zoom-in');
  const zoomLevel = find<HTMLElement>('document-zoom-level');
  const retakeButton = find<HTMLButtonElement>('document-retake');
  const closeButton = find<HTMLButtonElement>('document-close');
  const stage = find<HTMLElement>('document-stage');
  const image = find<HTMLImageElement>('document-image');

  // What the panel is about, and the object URL of the photo it shows (null while there is none).
  let shown: { boothId: string; visitId: string } | null = null;
  let photo: { url: string; width: number; height: number } | null = null;
  let level = 0;

  const releasePhoto = (): void => {
    if (photo) URL.revokeObjectURL(photo.url);
    photo = null;
    image.removeAttribute('src');
    image.hidden = true;
    details.hidden = true;
  };

  /** Sizes the photo for the zoom level, keeping the point at (`focusX`, `focusY`) of the stage where it was. */
  const applyZoom = (focusX = stage.clientWidth / 2, focusY = stage.clientHeight / 2): void => {
    if (!photo) return;
    const fit = Math.min(stage.clientWidth / photo.width, stage.clientHeight / photo.height);
    const before = image.getBoundingClientRect();
    const stageBox = stage.getBoundingClientRect();
    // Where the focus point lies on the photo, as fractions of its size.
    const fractionX = before.width > 0 ? (stageBox.left + focusX - before.left) / before.width : 0.5;
    const fractionY = before.height > 0 ? (stageBox.top + focusY - before.top) / before.height : 0.5;
    const factor = ZOOM_LEVELS[level]!;
    image.style.width = `${Math.round(photo.width * fit * factor)}px`;
    image.style.height = `${Math.round(photo.height * fit * factor)}px`;
    stage.scrollLeft = fractionX * image.offsetWidth - focusX;
    stage.scrollTop = fractionY * image.offsetHeight - focusY;
    zoom.dataset.zoom = String(factor);
    zoomLevel.textContent = `${Math.round(factor * 100)}%`;
    zoomOut.disabled = level === 0;
    zoomIn.disabled = level === ZOOM_LEVELS.length - 1;
  };

  const setLevel = (next: number, focusX?: number, focusY?: number): void => {
    level = Math.max(0, Math.min(ZOOM_LEVELS.length - 1, next));
    applyZoom(focusX, focusY);
  };

  const open = (boothId: string, visitId: string): void => {
    shown = { boothId, visitId };
    panel.hidden = false;
    title.textContent = t('photoTitle', { booth: boothId });
    image.alt = title.textContent;
  };

  const close = (): void => {
    releasePhoto();
    shown = null;
    panel.hidden = true;
    status.textContent = '';
  };

  // A click zooms in around the point clicked; past the largest level it fits the photo again.
  image.addEventListener('click', (event) => {
    const box = stage.getBoundingClientRect();
    setLevel(level === ZOOM_LEVELS.length - 1 ? 0 : level + 1, event.clientX - box.left, event.clientY - box.top);
  });
  zoomIn.addEventListener('click', () => setLevel(level + 1));
  zoomOut.addEventListener('click', () => setLevel(level - 1));
  retakeButton.addEventListener('click', () => {
    if (shown) retake(shown.boothId);
  });
  closeButton.addEventListener('click', close);
  new ResizeObserver(() => applyZoom()).observe(stage);
  doc.addEventListener('keydown', (event) => {
    if (panel.hidden || !photo || event.ctrlKey || event.altKey || event.metaKey) return;
    if (isTextEntry(event.target)) return;
    if (event.key === '+' || event.key === '=') setLevel(level + 1);
    else if (event.key === '-') setLevel(level - 1);
    else return;
    event.preventDefault();
  });

  return {
    showWaiting(boothId, visitId) {
      releasePhoto();
      open(boothId, visitId);
      panel.dataset.state = 'waiting';
      status.textContent = t('photoWaiting', { booth: boothId });
      status.hidden = false;
      retakeButton.disabled = true;
    },
    showFailure(boothId, visitId, message, detail) {
      releasePhoto();
      open(boothId, visitId);
      panel.dataset.state = 'failed';
      status.textContent = `${t(message)} ${detail}`.trim();
      status.hidden = false;
      retakeButton.disabled = false;
    },
    showDocument(document) {
      releasePhoto();
      open(document.boothId, document.visitId);
      photo = { url: document.url, width: document.width, height: document.height };
      panel.dataset.state = 'shown';
      status.hidden = true;
      retakeButton.disabled = false;
      resolution.textContent = `${document.width} × ${document.height}`;
      resolution.title = t('photoResolutionHint');
      const score = document.sharpness;
      sharpness.textContent = t('photoSharpness', { score: score === null ? '–' : Math.round(score) });
      sharpness.dataset.score = score === null ? '' : String(score);
      sharpness.title = t('photoSharpnessHint', { threshold: UNREADABLE_BELOW });
      unreadable.hidden = score === null || score >= UNREADABLE_BELOW;
      details.hidden = false;
      image.src = document.url;
      image.hidden = false;
      level = 0;
      applyZoom();
    },
    closeUnless(liveVisits) {
      if (shown && !liveVisits.has(shown.visitId)) close();
    },
  };
}
