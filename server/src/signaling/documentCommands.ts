/**
 * Document capture over the sockets: the officer's `document:request`, the booth's
 * `document:failed`, and the messages that carry a request to the kiosk (/booth) and its answer
 * to the officer's consoles (/officer). The photo itself travels over HTTP (documentRoutes.ts).
 */
import { NAMESPACES, type boothCommands, type officerCommands } from '@bilik/shared';
import type { StaffPrincipal } from '../auth/authenticator.js';
import type { DocumentCapture, DocumentMessenger } from '../documents/documentCapture.js';
import type { CommandRouter } from './commands.js';
import { boothRoom, officerRoom } from './socketEvictions.js';
import type { SignalingServer } from './socketTypes.js';

/** Registers document:request for an officer's console. */
export function registerOfficerDocumentCommands(
  commands: CommandRouter<typeof officerCommands>,
  officer: StaffPrincipal,
  documents: DocumentCapture,
): void {
  commands.command('document:request', ({ boothId }) => documents.request(officer, boothId));
}

/** Registers document:failed for a booth's desk link. */
export function registerBoothDocumentCommands(
  commands: CommandRouter<typeof boothCommands>,
  boothId: string,
  documents: DocumentCapture,
): void {
  commands.command('document:failed', async ({ requestId, reason }) => {
    await documents.fail(boothId, requestId, reason);
    return null;
  });
}

/** Delivers capture messages through socket.io rooms, which the Redis adapter reaches on every server process. */
export function socketDocumentMessenger(io: SignalingServer): DocumentMessenger {
  return {
    askBooth(boothId, requestId) {
      // /booth only: the kiosk's journey link joins the same room but does not take photos.
      io.of(NAMESPACES.booth).to(boothRoom(boothId)).emit('document:requested', { requestId });
    },
    tellOfficer(officerId, payload) {
      io.of(NAMESPACES.officer).to(officerRoom(officerId)).emit('document:captured', payload);
    },
  };
}
