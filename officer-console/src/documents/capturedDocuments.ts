/**
 * The document photos taken in each of the officer's visits, kept while the visit lasts so the
 * checklist panel can list them and submit their ids with the outcome. Ids and sizes only: the
 * pictures themselves stay on the server.
 */

/** One document photo of a visit. */
export interface CapturedDocument {
  documentId: string;
  boothId: string;
  visitId: string;
  width: number;
  height: number;
  /** Variance of the Laplacian of a grey, downscaled copy (see sharpness.ts); null when it could not be computed. */
  sharpness: number | null;
}

export class CapturedDocuments {
  private readonly byVisit = new Map<string, CapturedDocument[]>();
  private readonly listeners = new Set<() => void>();

  /** Adds a photo to its visit, in the order they were taken. */
  add(document: CapturedDocument): void {
    const documents = this.byVisit.get(document.visitId) ?? [];
    documents.push(document);
    this.byVisit.set(document.visitId, documents);
    this.changed();
  }

  /** The photos of one visit, oldest first. */
  forVisit(visitId: string): CapturedDocument[] {
    return [...(this.byVisit.get(visitId) ?? [])];
  }

  /** Forgets a visit's photos once its session has ended. */
  forgetVisit(visitId: string): void {
    if (this.byVisit.delete(visitId)) this.changed();
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
