/**
 * A booth served at its officer's desk through the real sockets, as the console and the kiosk would
 * do it: the officer on duty and taking booths, the claimant starting a visit, the scheduler
 * assigning it. For the tests of what happens to a visit when it ends.
 */
import { NAMESPACES, type JourneyState, type Service } from '@bilik/shared';
import { request } from '@bilik/shared/client';
import type { Socket } from 'socket.io-client';
import type { AssignedVisit } from '../../server/src/scheduler/scheduler.js';
import { connected, nextEvent, openSocket, type NamespaceSockets } from './sockets.js';
import type { SeededDesk, TestServer } from './testServer.js';

export interface ServedBooth {
  officer: NamespaceSockets['/officer'];
  journey: NamespaceSockets['/journey'];
  visit: AssignedVisit;
}

/**
 * Serves booth `boothId` of `desk` for `service`; the officer is made available first (ending any
 * wrap-up). Every socket opened goes into `sockets`, for the test to close.
 */
export async function serveBooth(
  server: TestServer,
  desk: SeededDesk,
  boothId: string,
  sockets: Socket[],
  service: Service = 'jht',
): Promise<ServedBooth> {
  const officer = openSocket(server.url, NAMESPACES.officer, { cookie: desk.officer.cookie });
  sockets.push(officer);
  const onDuty = nextEvent(officer, 'work:changed');
  await connected(officer);
  await onDuty;
  await request(officer, 'work:set', { state: 'available' });
  // The kiosk's first announcement (idle) comes as soon as it connects: listened for before.
  const journey = openSocket(server.url, NAMESPACES.journey, { credential: desk.credentials[boothId] });
  sockets.push(journey);
  const idle = nextEvent<JourneyState>(journey, 'journey:changed');
  await connected(journey);
  await idle;
  const assigned = nextEvent<JourneyState>(journey, 'journey:changed', (state) => state.state === 'assigned');
  await request(journey, 'journey:start', { service, ticket: null, priority: false });
  await assigned;
  const visit = await server.scheduler.visitAtDesk(boothId, desk.officer.accountId);
  if (!visit) throw new Error(`${boothId} is not at the officer's desk`);
  return { officer, journey, visit };
}
