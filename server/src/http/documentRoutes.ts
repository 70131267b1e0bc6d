/**
 * Document photos over HTTP: the kiosk uploads the photo its officer asked for, with its device
 * credential; the officer who asked (or a supervisor of the branch) fetches it. The caller and the
 * request are checked before the body is read, so nobody else can make the server buffer a photo.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Authenticator, BoothPrincipal } from '../auth/authenticator.js';
import { authorize, authorizeRole } from '../auth/permissions.js';
import type { DocumentCapture } from '../documents/documentCapture.js';
import { AppError, ForbiddenError } from '../errors.js';
import { parseInput } from './httpErrors.js';

export interface DocumentRouteDeps {
  documents: DocumentCapture;
  authenticator: Authenticator;
  /** The largest photo accepted. */
  maxBytes: number;
}

const uuidParam = z.uuid();

/** POST and GET /api/documents/:id. */
export function documentRoutes(deps: DocumentRouteDeps): Router {
  const router = Router();
  const megabytes = Math.round((deps.maxBytes / (1024 * 1024)) * 10) / 10;
  // Every body is read as bytes, whatever its declared type: the type is checked against the bytes afterwards.
  const rawBody = express.raw({ type: () => true, limit: deps.maxBytes });
  const readPhoto = (request: Request, response: Response, next: NextFunction): void => {
    rawBody(request, response, (error?: unknown) => {
      if ((error as { type?: unknown } | undefined)?.type === 'entity.too.large') {
        next(new AppError('TOO_LARGE', `The photo is larger than ${megabytes} MB`));
        return;
      }
      next(error);
    });
  };

  const boothOf = (response: Response): BoothPrincipal => response.locals.booth as BoothPrincipal;

  router.post(
    '/api/documents/:requestId',
    async (request, response, next) => {
      const booth = authorize(await deps.authenticator.fromRequest(request), 'document.upload', { self: true });
      if (booth.kind !== 'booth') throw new ForbiddenError('Only a booth may upload a document photo');
      await deps.documents.checkUpload(booth, parseInput(uuidParam, request.params.requestId, 'photo request id'));
      response.locals.booth = booth;
      next();
    },
    readPhoto,
    async (request, response) => {
      const requestId = parseInput(uuidParam, request.params.requestId, 'photo request id');
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const document = await deps.documents.accept(boothOf(response), requestId, { contentType: request.headers['content-type'], body });
      response
        .status(201)
        .json({ ok: true, data: { documentId: document.id, width: document.width, height: document.height, bytes: document.bytes } });
    },
  );

  router.get('/api/documents/:documentId', async (request, response) => {
    // Authorized before the id is parsed, so callers who may never view learn nothing from their input.
    const principal = authorizeRole(await deps.authenticator.fromRequest(request), 'document.view');
    const { document, data } = await deps.documents.open(principal, parseInput(uuidParam, request.params.documentId, 'document id'));
    response
      .status(200)
      .set({
        'Content-Type': document.mime,
        'Content-Length': String(data.length),
        // A claimant's document must not stay in any cache, the browser's included.
        'Cache-Control': 'no-store',
        'Content-Disposition': 'inline',
      })
      .end(data);
  });

  return router;
}
