/**
 * Document photos for the officer. When the officer asks (`document:requested` on the desk
 * link), the kiosk shows its camera's picture large with a card-shaped frame and plain
 * instructions, measures each sampled frame (documentAim.ts) and takes the still by itself once
 * the document has been sharp and still for a moment, counting down beside the picture; after a
 * few seconds "Ambil foto" lets the claimant take it themselves. The still is taken at the
 * camera's full resolution (not a frame of the call, which may be scaled down) and shown to the
 * claimant, who sends it or takes it again; only a sent photo is uploaded, as JPEG with the device
 * credential. Then the kiosk forgets it: nothing of the picture stays in the page (invariant 7).
 */
import type { DocumentFailure } from '@bilik/shared';
import { greyOf, SHARPNESS_SIDE } from '@bilik/shared/image';
import { byTestId, request, type BoothSocket } from '@bilik/shared/client';
import { countdownOf, MANUAL_AFTER_MS, measure, nextRun, SAMPLE_MS, STEADY_SAMPLES, verdictOf, type AimVerdict } from './documentAim.js';
import { speak } from './speech.js';
import { t, type TextKey } from './strings.js';

/** Time to hear the prompt and lift the document before frames start to count. */
const PROMPT_MS = 2_000;
/** How long the booth says the photo was sent (or could not be) before the call shows again. */
const RESULT_MS = 2_500;
const JPEG_QUALITY = 0.92;
/** Frames to wait for the camera to deliver its new size after a resolution change. */
const MAX_FRAMES_TO_RESIZE = 30;

/** What the claimant is told about the picture, by the last sample's verdict. */
const AIM_HINTS: Record<AimVerdict, TextKey> = { ready: 'documentHold', blurry: 'documentBlurry', moving: 'documentMoving' };

export interface DocumentCaptureOptions {
  /** The kiosk's device credential as of now (it may be rotated), which authorizes the upload. */
  credential(): string;
  /** The camera track of the call, or null when there is none. */
  camera(): MediaStreamTrack | null;
}

/** Answers the officer's photo requests on `socket` until the returned function is called (the call ended). */
export function serveDocumentRequests(socket: BoothSocket, options: DocumentCaptureOptions, doc: Document = document): () => void {
  const find = byTestId(doc);
  const panel = find<HTMLElement>('document-capture');
  const prompt = find<HTMLElement>('document-prompt');
  const stage = find<HTMLElement>('document-stage');
  const guide = find<HTMLElement>('document-guide');
  const countdown = find<HTMLElement>('document-countdown');
  const hint = find<HTMLElement>('document-hint');
  const manualButton = find<HTMLButtonElement>('document-manual');
  const againButton = find<HTMLButtonElement>('document-again');
  const sendButton = find<HTMLButtonElement>('document-send');
  let busy = false;
  let stopped = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  // The claimant's last press of "Ambil foto" while aiming, and who waits for "Ya, kirim" or "Ulangi".
  let manualPressed = false;
  let decide: ((send: boolean) => void) | null = null;
  const listeners = new AbortController();
  manualButton.addEventListener('click', () => (manualPressed = true), { signal: listeners.signal });
  againButton.addEventListener('click', () => decide?.(false), { signal: listeners.signal });
  sendButton.addEventListener('click', () => decide?.(true), { signal: listeners.signal });

  /** Resolves after `ms`, or never once the call has ended (the capture is then abandoned). */
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  /** Shows the panel with `text` as its instruction and nothing else yet. */
  const show = (text: string): void => {
    panel.hidden = false;
    prompt.textContent = text;
    hint.textContent = '';
    countdown.hidden = true;
    guide.hidden = true;
    for (const button of [manualButton, againButton, sendButton]) button.hidden = true;
  };

  // The photo being checked, whose object URL alone keeps it in memory until revoked.
  let still: { element: HTMLImageElement; url: string } | null = null;
  const dropStill = (): void => {
    if (!still) return;
    still.element.remove();
    URL.revokeObjectURL(still.url);
    still = null;
  };

  /** Puts the panel away with the camera's picture and the photo, if either still shows. */
  const hide = (): void => {
    panel.hidden = true;
    prompt.textContent = '';
    hint.textContent = '';
    countdown.textContent = '';
    dropStill();
    for (const video of stage.querySelectorAll('video')) {
      video.srcObject = null;
      video.remove();
    }
  };

  const report = (requestId: string, reason: DocumentFailure): void => {
    request(socket, 'document:failed', { requestId, reason }).catch((error: unknown) =>
      console.warn('document:failed was not delivered', error),
    );
  };

  const finish = async (text: string): Promise<void> => {
    show(text);
    await pause(RESULT_MS);
    hide();
  };

  /**
   * Shows `video` (the camera) inside the frame until the document has been sharp and still for
   * STEADY_SAMPLES samples or the claimant pressed "Ambil foto"; never resolves once the call ended.
   */
  const aim = async (video: HTMLVideoElement): Promise<void> => {
    show(t('documentPrompt'));
    video.hidden = false;
    guide.hidden = false;
    manualPressed = false;
    const startedAt = performance.now();
    const frames = new GreyFrames(doc);
    try {
      await pause(PROMPT_MS);
      let previous: Float32Array | null = null;
      let run = 0;
      while (!manualPressed && run < STEADY_SAMPLES) {
        await pause(SAMPLE_MS);
        if (performance.now() - startedAt >= MANUAL_AFTER_MS) manualButton.hidden = false;
        const grey = frames.of(video);
        if (grey === null) continue;
        const sample = measure(grey.pixels, previous, grey.width, grey.height);
        previous = grey.pixels;
        run = nextRun(run, sample);
        hint.textContent = t(AIM_HINTS[verdictOf(sample)]);
        const left = countdownOf(run);
        countdown.hidden = left === null;
        countdown.textContent = left === null ? '' : String(left);
      }
    } finally {
      frames.close();
    }
  };

  /** Shows the photo taken and resolves with the claimant's choice: true to send it, false to take it again. */
  const check = async (photo: Blob): Promise<boolean> => {
    const element = doc.createElement('img');
    element.className = 'document-still';
    element.dataset.testid = 'document-still';
    element.alt = t('documentCheck');
    still = { element, url: URL.createObjectURL(photo) };
    element.src = still.url;
    stage.prepend(element);
    show(t('documentCheck'));
    againButton.hidden = false;
    sendButton.hidden = false;
    speak(t('documentCheck'));
    try {
      return await new Promise<boolean>((resolve) => (decide = resolve));
    } finally {
      decide = null;
      dropStill();
    }
  };

  const capture = async (requestId: string): Promise<void> => {
    const camera = options.camera();
    if (camera === null || camera.readyState !== 'live') {
      report(requestId, 'camera');
      return;
    }
    speak(t('documentPrompt'));
    const video = livePreview(camera, doc);
    stage.prepend(video);
    let photo: Blob | null = null;
    try {
      while (photo === null) {
        await aim(video);
        video.hidden = true;
        let taken: Blob;
        try {
          taken = await takeStill(camera, doc);
        } catch (error) {
          console.warn('could not take the document photo', error);
          if (stopped) return;
          report(requestId, 'camera');
          await finish(t('documentFailed'));
          return;
        }
        if (stopped) return;
        if (await check(taken)) photo = taken;
      }
    } finally {
      video.srcObject = null;
      video.remove();
    }
    if (stopped) return;
    show(t('documentSending'));
    const uploaded = await upload(requestId, photo, options.credential());
    // The only reference to the picture goes now; the browser frees it.
    photo = null;
    if (!uploaded) report(requestId, 'upload');
    if (stopped) return;
    await finish(t(uploaded ? 'documentTaken' : 'documentFailed'));
  };

  const onRequested = ({ requestId }: { requestId: string }): void => {
    // The officer asked again before the last photo was done: they get that one first.
    if (busy) {
      report(requestId, 'busy');
      return;
    }
    busy = true;
    // Fire and forget: capture reports its own failures to the officer and never rejects.
    void capture(requestId).finally(() => {
      busy = false;
    });
  };
  socket.on('document:requested', onRequested);

  return () => {
    stopped = true;
    socket.off('document:requested', onRequested);
    listeners.abort();
    decide = null;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    hide();
  };
}

/**
 * The camera's picture as the claimant aims: not mirrored, unlike their own small picture, so
 * the writing on the document reads the right way round as the officer will see it.
 */
function livePreview(camera: MediaStreamTrack, doc: Document): HTMLVideoElement {
  const video = doc.createElement('video');
  video.className = 'document-live';
  video.dataset.testid = 'document-live';
  video.muted = true;
  video.playsInline = true;
  video.autoplay = true;
  video.srcObject = new MediaStream([camera]);
  return video;
}

/** Grey copies of a video's frames at SHARPNESS_SIDE, drawn in one canvas that is never shown. */
class GreyFrames {
  private readonly canvas: HTMLCanvasElement;

  constructor(doc: Document) {
    this.canvas = doc.createElement('canvas');
  }

  /** The frame `video` shows now, or null while it has none. */
  of(video: HTMLVideoElement): { pixels: Float32Array; width: number; height: number } | null {
    if (video.videoWidth === 0 || video.videoHeight === 0) return null;
    const scale = Math.min(1, SHARPNESS_SIDE / Math.max(video.videoWidth, video.videoHeight));
    const width = Math.max(1, Math.round(video.videoWidth * scale));
    const height = Math.max(1, Math.round(video.videoHeight * scale));
    if (this.canvas.width !== width || this.canvas.height !== height) Object.assign(this.canvas, { width, height });
    const context = this.canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('no 2D canvas');
    context.drawImage(video, 0, 0, width, height);
    return { pixels: greyOf(context.getImageData(0, 0, width, height).data, width, height), width, height };
  }

  /** Empties the canvas, releasing its pixels at once rather than at the next garbage collection. */
  close(): void {
    this.canvas.width = 0;
    this.canvas.height = 0;
  }
}

/** Uploads the photo for `requestId`; false when the server did not store it. */
async function upload(requestId: string, photo: Blob, credential: string): Promise<boolean> {
  try {
    const response = await fetch(`/api/documents/${encodeURIComponent(requestId)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'image/jpeg' },
      body: photo,
      cache: 'no-store',
      credentials: 'omit',
    });
    if (!response.ok) console.warn('the document photo was refused', response.status, await response.text());
    return response.ok;
  } catch (error) {
    console.warn('could not upload the document photo', error);
    return false;
  }
}

/**
 * One still of `camera` at the largest size it can deliver, as a JPEG. ImageCapture's photo is
 * used where it reaches that size (a camera's still mode may exceed its video modes); otherwise the
 * camera itself is switched to its largest size for one frame and then back.
 */
async function takeStill(camera: MediaStreamTrack, doc: Document): Promise<Blob> {
  const largest = largestSize(camera);
  const frame = (await photoAtLeast(camera, largest)) ?? (await frameAtSize(camera, largest, doc));
  try {
    return await encodeJpeg(frame, doc);
  } finally {
    frame.close();
  }
}

interface Size {
  width: number;
  height: number;
}

/** The camera's largest video size, or its current one when it does not say. */
function largestSize(camera: MediaStreamTrack): Size {
  const capabilities = camera.getCapabilities();
  const settings = camera.getSettings();
  return { width: capabilities.width?.max ?? settings.width ?? 0, height: capabilities.height?.max ?? settings.height ?? 0 };
}

/** ImageCapture's photo at its largest size, when that is at least `size`; null otherwise. */
async function photoAtLeast(camera: MediaStreamTrack, size: Size): Promise<ImageBitmap | null> {
  if (typeof ImageCapture === 'undefined') return null;
  const photos = new ImageCapture(camera);
  const capabilities = await photos.getPhotoCapabilities().catch(() => null);
  const imageWidth = capabilities?.imageWidth?.max ?? 0;
  const imageHeight = capabilities?.imageHeight?.max ?? 0;
  if (imageWidth * imageHeight < size.width * size.height) return null;
  return createImageBitmap(await photos.takePhoto({ imageWidth, imageHeight }));
}

/**
 * A frame of `camera` at `size`: the track is asked for that size, one frame of it is read, and
 * the track goes back to what it was asked for before, so the call carries on as it was. When the
 * camera cannot change size (another page or program holds it at its size), the frame is taken at
 * the size it runs at: a smaller photo beats none, and the officer sees its resolution.
 */
async function frameAtSize(camera: MediaStreamTrack, size: Size, doc: Document): Promise<ImageBitmap> {
  const before = camera.getConstraints();
  const current = camera.getSettings();
  let resized = false;
  if (current.width !== size.width || current.height !== size.height) {
    try {
      await camera.applyConstraints({ ...before, width: { exact: size.width }, height: { exact: size.height } });
      resized = true;
    } catch (error) {
      console.warn('the camera cannot switch to its full resolution; taking the photo at its current one', error);
    }
  }
  try {
    return await readFrame(camera, doc);
  } finally {
    if (resized) await camera.applyConstraints(before);
  }
}

/** The next frame of `camera` at the size the track now reports. */
async function readFrame(camera: MediaStreamTrack, doc: Document): Promise<ImageBitmap> {
  const video = doc.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([camera]);
  try {
    await video.play();
    const { width } = camera.getSettings();
    // Frames already on their way may still have the old size.
    for (let frame = 0; frame < MAX_FRAMES_TO_RESIZE && video.videoWidth !== width; frame += 1) {
      await new Promise((resolve) => video.requestVideoFrameCallback(resolve));
    }
    return await createImageBitmap(video);
  } finally {
    video.pause();
    video.srcObject = null;
  }
}

/** Encodes `frame` as JPEG in a canvas that is never shown and is emptied afterwards. */
async function encodeJpeg(frame: ImageBitmap, doc: Document): Promise<Blob> {
  const canvas = doc.createElement('canvas');
  canvas.width = frame.width;
  canvas.height = frame.height;
  try {
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.drawImage(frame, 0, 0);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the photo could not be encoded'))), 'image/jpeg', JPEG_QUALITY),
    );
  } finally {
    // A zero-sized canvas releases its pixels at once rather than at the next garbage collection.
    canvas.width = 0;
    canvas.height = 0;
  }
}
