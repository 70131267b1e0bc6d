/**
 * Document capture: an officer asks one of their booths for a full-resolution photo, the booth
 * uploads it against that request over HTTP, and the officer (or a supervisor of the branch) may
 * then view it. A request is bound to the booth, officer and visit it was made in; the upload is
 * accepted only while that same visit is still with that same officer.
 */
import type { DocumentCapturedPayload, DocumentFailure } from '@bilik/shared';
import type { Redis } from 'ioredis';
import { auditActorOf, recordAudit } from '../audit/auditLog.js';
import type { BoothPrincipal } from '../auth/authenticator.js';
import { authorize, authorizeRole, PERMISSIONS, type Principal } from '../auth/permissions.js';
import type { Database } from '../db/database.js';
import { ForbiddenError, InvalidStateError, NotFoundError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import { DocumentRequests, type PendingDocumentRequest } from './documentRequests.js';
import { DocumentStore, type StoredDocument } from './documentStore.js';
import { photoMimeOf, readImageHeader, type PhotoMime } from './imageHeader.js';

/** How capture reaches the kiosk and the console; signaling implements it over socket.io. */
export interface DocumentMessenger {
  /** Asks the booth's kiosk to take the photo and upload it with `requestId`. */
  askBooth(boothId: string, requestId: string): void;
  /** Tells the officer's consoles the photo arrived, or why it did not. */
  tellOfficer(officerId: string, payload: DocumentCapturedPayload): void;
}

/** An uploaded body and the type its sender declared. */
export interface PhotoUpload {
  contentType: string | undefined;
  body: Buffer;
}

export interface DocumentCaptureDeps {
  db: Database;
  redis: Redis;
  scheduler: Scheduler;
  messenger: DocumentMessenger;
  logger: Logger;
}

const FAILURE_MESSAGES: Record<DocumentFailure, string> = {
  camera: 'The booth could not take the photo with its camera',
  busy: 'The booth is still taking the previous photo',
  upload: 'The booth could not upload the photo',
};

export class DocumentCapture {
  private readonly requests: DocumentRequests;
  private readonly store: DocumentStore;
  private readonly logger: Logger;

  constructor(private readonly deps: DocumentCaptureDeps) {
    this.requests = new DocumentRequests(deps.redis);
    this.store = new DocumentStore(deps.db);
    this.logger = deps.logger.child({ module: 'documents' });
  }

  /** The officer asks one of their booths for a photo; the booth is told at once. */
  async request(caller: Principal, boothId: string): Promise<{ requestId: string }> {
    const officer = authorize(caller, 'document.request', { self: true });
    if (officer.kind !== 'staff') throw new ForbiddenError('Only an officer may ask for a photo');
    const visit = await this.deps.scheduler.visitAtDesk(boothId, officer.accountId);
    if (visit === null) throw new ForbiddenError(`Booth ${boothId} is not one of your booths`);
    // A booth queues in its branch's queue: the queue id is the branch id.
    const requestId = await this.requests.create({
      boothId,
      officerId: officer.accountId,
      visitId: visit.visitId,
      branchId: visit.queueId,
    });
    this.deps.messenger.askBooth(boothId, requestId);
    this.logger.info({ boothId, officerId: officer.accountId, requestId }, 'document photo requested');
    return { requestId };
  }

  /** Refuses an upload before its body is read: the request must be this booth's and its visit still on. */
  async checkUpload(booth: BoothPrincipal, requestId: string): Promise<void> {
    await this.pendingFor(booth.boothId, requestId);
  }

  /** Stores the booth's photo for `requestId` and tells the officer; each request takes one photo. */
  async accept(booth: BoothPrincipal, requestId: string, upload: PhotoUpload): Promise<StoredDocument> {
    await this.pendingFor(booth.boothId, requestId);
    const declared = upload.contentType?.split(';')[0]?.trim().toLowerCase();
    const actual = photoMimeOf(upload.body);
    if (actual === null || declared !== actual) throw new ValidationError('Only JPEG or PNG photos are accepted');
    const header = readImageHeader(upload.body);
    if (header === null) throw new ValidationError(`The photo's ${actual === 'image/jpeg' ? 'JPEG' : 'PNG'} header cannot be read`);

    const pending = await this.requests.take(requestId);
    if (pending === null) throw new NotFoundError('This photo request has already been answered or has expired');
    const document = await this.save(booth, pending, header.mime, header, upload.body);
    this.deps.messenger.tellOfficer(pending.officerId, {
      boothId: booth.boothId,
      requestId,
      ok: true,
      documentId: document.id,
      width: document.width,
      height: document.height,
      bytes: document.bytes,
    });
    this.logger.info({ boothId: booth.boothId, requestId, documentId: document.id, bytes: document.bytes }, 'document photo stored');
    return document;
  }

  /** The booth could not deliver the photo; the officer learns why, and the request ends. */
  async fail(boothId: string, requestId: string, reason: DocumentFailure): Promise<void> {
    await this.pendingFor(boothId, requestId);
    const pending = await this.requests.take(requestId);
    if (pending === null) throw new NotFoundError('This photo request has already been answered or has expired');
    this.deps.messenger.tellOfficer(pending.officerId, { boothId, requestId, ok: false, message: FAILURE_MESSAGES[reason] });
    this.logger.warn({ boothId, requestId, reason }, 'booth could not deliver the document photo');
  }

  /** The photo for a caller allowed to see it: the officer who asked for it, or a supervisor of its branch. */
  async open(caller: Principal | null, documentId: string): Promise<{ document: StoredDocument; data: Buffer }> {
    const principal = authorizeRole(caller, 'document.view');
    const document = await this.store.find(documentId);
    if (document === null) throw new NotFoundError('No document with that id');
    // 'self' is the officer who asked for the photo, or the one serving its visit now (the photo
    // follows a claimant handed over); 'branch' the photo's branch.
    if (PERMISSIONS['document.view'][principal.role] === 'self') {
      if (principal.kind !== 'staff' || !(await this.servesDocument(principal.accountId, document)))
        throw new ForbiddenError('Only the officer who took this photo, or who serves its visit now, may view it');
    } else {
      authorize(principal, 'document.view', { branchIds: [document.branchId] });
    }
    const image = await this.store.imageOf(documentId);
    if (image === null) throw new NotFoundError('No document with that id');
    await recordAudit(this.deps.db, {
      actor: auditActorOf(principal),
      action: 'document.viewed',
      subject: document.id,
    });
    return { document, data: image.data };
  }

  private async servesDocument(officerId: string, document: StoredDocument): Promise<boolean> {
    if (officerId === document.officerId) return true;
    return (await this.deps.scheduler.visitAtDesk(document.boothId, officerId))?.visitId === document.visitId;
  }

  /**
   * The pending request `requestId`, if it is this booth's and the visit it was made in is still
   * with the officer who made it.
   */
  private async pendingFor(boothId: string, requestId: string): Promise<PendingDocumentRequest> {
    const pending = await this.requests.find(requestId);
    if (pending === null) throw new NotFoundError('This photo request is unknown or has expired');
    if (pending.boothId !== boothId) throw new ForbiddenError('This photo request is for another booth');
    const visit = await this.deps.scheduler.visitAtDesk(boothId, pending.officerId);
    if (visit?.visitId !== pending.visitId) {
      throw new InvalidStateError('The session this photo was requested in has ended');
    }
    return pending;
  }

  private async save(
    booth: BoothPrincipal,
    pending: PendingDocumentRequest,
    mime: PhotoMime,
    size: { width: number; height: number },
    data: Buffer,
  ): Promise<StoredDocument> {
    return this.deps.db.transaction(async (tx) => {
      const document = await this.store.insert(
        {
          visitId: pending.visitId,
          boothId: booth.boothId,
          officerId: pending.officerId,
          branchId: pending.branchId,
          mime,
          width: size.width,
          height: size.height,
          data,
        },
        tx,
      );
      await recordAudit(tx, {
        actor: { kind: 'booth', id: booth.boothId },
        action: 'document.captured',
        subject: document.id,
        detail: { visitId: document.visitId, officerId: document.officerId, branchId: document.branchId, bytes: document.bytes },
      });
      return document;
    });
  }
}
