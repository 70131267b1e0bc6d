/**
 * Document photos for the officer. When the officer asks (`document:requested` on the desk
 * link), the claimant is told to hold the document up to the camera, sees a 3-2-1 countdown, and
 * the kiosk takes one still at the camera's full resolution (not a frame of the call, which may
 * be scaled down), uploads it as JPEG with the device credential, and forgets it: nothing of the
 * picture stays in the page (invariant 7).
 */
import type { DocumentFailure } from '@bilik/shared';
import { byTestId, request, type BoothSocket } from '@bilik/shared/client';
import { speak } from './speech.js';
import { t } from './strings.js';

/** Time to hear the prompt and lift the document before the countdown starts. */
const PROMPT_MS = 2_000;
const COUNTDOWN_FROM = 3;
const COUNT_MS = 1_000;
/** How long the booth says the photo was taken (or could not be) before the call shows again. */
const RESULT_MS = 2_500;
const JPEG_QUALITY = 0.92;
/** Frames to wait for the camera to deliver its new size after a resolution change. */
const MAX_FRAMES_TO_RESIZE = 30;

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
  const countdown = find<HTMLElement>('document-countdown');
  let busy = false;
  let stopped = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();

  /** Resolves after `ms`, or never once the call has ended (the capture is then abandoned). */
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const show = (text: string, count: number | null): void => {
    panel.hidden = false;
    prompt.textContent = text;
    countdown.hidden = count === null;
    countdown.textContent = count === null ? '' : String(count);
  };

  const hide = (): void => {
    panel.hidden = true;
    prompt.textContent = '';
    countdown.textContent = '';
  };

  const report = (requestId: string, reason: DocumentFailure): void => {
    request(socket, 'document:failed', { requestId, reason }).catch((error: unknown) =>
      console.warn('document:failed was not delivered', error),
    );
  };

  const finish = async (text: string): Promise<void> => {
    show(text, null);
    await pause(RESULT_MS);
    hide();
  };

  const capture = async (requestId: string): Promise<void> => {
    const camera = options.camera();
    if (camera === null || camera.readyState !== 'live') {
      report(requestId, 'camera');
      return;
    }
    show(t('documentPrompt'), null);
    speak(t('documentPrompt'));
    await pause(PROMPT_MS);
    for (let count = COUNTDOWN_FROM; count > 0; count -= 1) {
      show(t('documentPrompt'), count);
      await pause(COUNT_MS);
    }
    let photo: Blob | null;
    try {
      photo = await takeStill(camera, doc);
    } catch (error) {
      console.warn('could not take the document photo', error);
      if (stopped) return;
      report(requestId, 'camera');
      await finish(t('documentFailed'));
      return;
    }
    if (stopped) return;
    show(t('documentTaken'), null);
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
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    hide();
  };
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
