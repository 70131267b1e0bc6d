/**
 * Document capture from the officer's side: "Ambil Foto" asks a booth for a photo, the viewer
 * waits while the booth counts down, and when `document:captured` arrives the photo is fetched
 * with the session cookie, scored for sharpness, shown at once and kept for the visit's checklist.
 * Photos of a visit are forgotten when its session ends.
 */
import type { DocumentCapturedPayload } from '@bilik/shared';
import type { SessionView } from '@bilik/shared/journey';
import type { CapturedDocuments } from './capturedDocuments.js';
import type { DocumentViewer } from './documentViewer.js';
import { sharpnessOf } from './sharpness.js';

/**
 * How long to wait for the booth's answer: the prompt and countdown take about five seconds, a
 * large photo over a slow branch link can take much longer.
 */
const ANSWER_TIMEOUT_MS = 60_000;

export interface DocumentCaptureDeps {
  /** Sends `document:request` for the booth and resolves with the request id. */
  request(boothId: string): Promise<{ requestId: string }>;
  documents: CapturedDocuments;
  viewer: DocumentViewer;
  /** Describes a failure for the officer (an error code and message). */
  describe(error: unknown): string;
}

export interface DocumentCapture {
  /** Asks the booth for a photo of the document the claimant holds up; ignored for a booth without a session. */
  capture(boothId: string): void;
  /** A booth answered one of this console's requests (other consoles' answers are ignored). */
  captured(payload: DocumentCapturedPayload): void;
  /**
   * The officer's sessions as just announced: the photos of visits not among them are forgotten,
   * and those that came with a visit handed over by another officer are kept for its checklist.
   */
  keepVisits(sessions: readonly SessionView[]): void;
}

interface PendingRequest {
  boothId: string;
  visitId: string;
  timer: ReturnType<typeof setTimeout>;
}

/** Creates the console's document capture; `visitOf` names the visit a booth is in now, from the last work view. */
export function createDocumentCapture(deps: DocumentCaptureDeps, visitOf: (boothId: string) => string | null): DocumentCapture {
  const pending = new Map<string, PendingRequest>();
  const visitsWithDocuments = new Set<string>();
  let liveVisits = new Set<string>();

  const show = async (request: PendingRequest, payload: Extract<DocumentCapturedPayload, { ok: true }>): Promise<void> => {
    const { boothId, visitId } = request;
    let sharpness: number | null = null;
    try {
      const response = await fetch(`/api/documents/${encodeURIComponent(payload.documentId)}`, {
        cache: 'no-store',
        credentials: 'same-origin',
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const photo = await response.blob();
      const bitmap = await createImageBitmap(photo);
      try {
        sharpness = sharpnessOf(bitmap);
      } finally {
        bitmap.close();
      }
      // The session may have ended while the photo was on its way.
      if (liveVisits.has(visitId)) {
        deps.viewer.showDocument({
          boothId,
          visitId,
          width: payload.width,
          height: payload.height,
          sharpness,
          url: URL.createObjectURL(photo),
        });
      }
    } catch (error) {
      if (liveVisits.has(visitId)) deps.viewer.showFailure(boothId, visitId, 'photoNotShown', deps.describe(error));
    }
    // Stored on the server either way, so it belongs to the visit's record.
    if (!liveVisits.has(visitId)) return;
    visitsWithDocuments.add(visitId);
    deps.documents.add({ documentId: payload.documentId, boothId, visitId, width: payload.width, height: payload.height, sharpness });
  };

  return {
    capture(boothId) {
      const visitId = visitOf(boothId);
      if (visitId === null) return;
      deps.viewer.showWaiting(boothId, visitId);
      deps.request(boothId).then(
        ({ requestId }) => {
          const timer = setTimeout(() => {
            if (!pending.delete(requestId)) return;
            deps.viewer.showFailure(boothId, visitId, 'photoNoAnswer', '');
          }, ANSWER_TIMEOUT_MS);
          pending.set(requestId, { boothId, visitId, timer });
        },
        (error: unknown) => deps.viewer.showFailure(boothId, visitId, 'photoFailed', deps.describe(error)),
      );
    },
    captured(payload) {
      const request = pending.get(payload.requestId);
      if (!request) return;
      pending.delete(payload.requestId);
      clearTimeout(request.timer);
      if (payload.ok) void show(request, payload);
      else deps.viewer.showFailure(request.boothId, request.visitId, 'photoFailed', payload.message);
    },
    keepVisits(sessions) {
      liveVisits = new Set(sessions.map((session) => session.visitId));
      for (const session of sessions) {
        const known = new Set(deps.documents.forVisit(session.visitId).map((photo) => photo.documentId));
        for (const photo of session.transfer?.documents ?? []) {
          if (known.has(photo.documentId)) continue;
          visitsWithDocuments.add(session.visitId);
          // Taken at the other desk: its sharpness was scored there, not here.
          const { documentId, width, height } = photo;
          deps.documents.add({ documentId, width, height, boothId: session.boothId, visitId: session.visitId, sharpness: null });
        }
      }
      for (const visitId of [...visitsWithDocuments]) {
        if (liveVisits.has(visitId)) continue;
        visitsWithDocuments.delete(visitId);
        deps.documents.forgetVisit(visitId);
      }
      for (const [requestId, request] of pending) {
        if (liveVisits.has(request.visitId)) continue;
        clearTimeout(request.timer);
        pending.delete(requestId);
      }
      deps.viewer.closeUnless(liveVisits);
    },
  };
}
