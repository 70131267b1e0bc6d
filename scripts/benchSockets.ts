/**
 * What bench:compose's two kinds of desk client (benchDeskPage.ts in Chromium, benchNodeDesks.ts
 * in Node) share: a socket opened as the apps open theirs, and a claimant's visit started and
 * waited for until an officer takes it.
 */
import { PROTOCOL_VERSION } from '@bilik/shared';
import { request, type JourneySocket } from '@bilik/shared/client';
import { io, type Socket } from 'socket.io-client';

const ASSIGNMENT_WAIT_MS = 60_000;

/**
 * A connected socket at `url` (a namespace's address), long-polling first, then a websocket, with
 * the booth's credential or, where no browser sends it, the officer's session cookie.
 */
export async function connectedSocket<S extends Socket>(url: string, identity: { credential?: string; cookie?: string }): Promise<S> {
  const socket = io(url, {
    auth: { protocolVersion: PROTOCOL_VERSION, ...(identity.credential && { credential: identity.credential }) },
    extraHeaders: identity.cookie ? { cookie: identity.cookie } : {},
    reconnection: false,
  }) as S;
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Starts a visit on the claimant's journey socket; resolves once an officer has taken it. */
export async function visitAssigned(journey: JourneySocket): Promise<void> {
  const assigned = new Promise<void>((resolve) =>
    journey.on('journey:changed', (state) => {
      if (state.state === 'assigned') resolve();
    }),
  );
  const visit = await request(journey, 'journey:start', { service: 'jht', ticket: null, priority: false });
  if (visit.state === 'assigned') return;
  // Every officer was free when the benchmark seated its claimants; on a starved machine one may
  // have dropped off meanwhile, and the claimant waits for another, as at a kiosk.
  const onDuty = visit.state === 'waiting' ? `, ${visit.officersOnDuty} officers on duty` : '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the visit was not assigned within ${ASSIGNMENT_WAIT_MS} ms (${visit.state}${onDuty})`)),
      ASSIGNMENT_WAIT_MS,
    );
  });
  await Promise.race([assigned, late]).finally(() => clearTimeout(timer));
}
