/**
 * The media commands both kinds of client send, bound to the participant the socket is.
 * Every id in a payload is resolved among that participant's own objects (see Participant).
 */
import { toJson, type mediaCommands, type TransportCreatedData } from '@bilik/shared';
import type { types as ms } from 'mediasoup';
import type { Counter } from 'prom-client';
import type { Desk } from '../sfu/desk.js';
import type { IceServers } from '../sfu/iceServers.js';
import type { Participant } from '../sfu/participant.js';
import type { CommandRouter } from './commands.js';

/** The metrics of a client's media recovering (see metrics.ts), counted by role. */
export interface MediaRecoveryCounters {
  iceRestarts: Counter<'role'>;
  sessionRebuilds: Counter<'role'>;
}

/**
 * Registers capabilities:get, session:join, transport:* (create, connect, restartIce),
 * producer:create, consumer:* (ready, keyFrame) and recovery:report.
 */
export function registerMediaCommands(
  commands: CommandRouter<typeof mediaCommands>,
  desk: Desk,
  participant: Participant,
  iceServers: IceServers,
  counters: MediaRecoveryCounters,
): void {
  const role = { role: participant.role };
  commands.command('capabilities:get', async () => ({ routerRtpCapabilities: toJson(desk.router.rtpCapabilities) }));

  // A client joins once per media session: every join after the first on this connection is a rebuilt session.
  let joined = false;
  commands.command('session:join', async ({ rtpCapabilities }) => {
    await desk.setCapabilities(participant, rtpCapabilities as ms.RtpCapabilities);
    if (joined) counters.sessionRebuilds.inc(role);
    joined = true;
    return null;
  });

  commands.command('transport:create', async ({ direction }) =>
    transportCreatedData(await desk.createTransport(participant, direction), iceServers, participant.id),
  );

  commands.command('transport:connect', async ({ transportId, dtlsParameters }) => {
    await desk.connectTransport(participant, transportId, dtlsParameters);
    return null;
  });

  commands.command('transport:restartIce', async ({ transportId }) => {
    const iceParameters = toJson(await desk.restartIce(participant, transportId));
    counters.iceRestarts.inc(role);
    return { iceParameters, iceServers: iceServers.for(participant.id) };
  });

  commands.command('producer:create', async ({ transportId, kind, rtpParameters }) => {
    const producer = await desk.produce(participant, transportId, kind, rtpParameters as unknown as ms.RtpParameters);
    return { producerId: producer.id };
  });

  commands.command('recovery:report', async ({ recovering }) => {
    desk.reportRecovery(participant, recovering);
    return null;
  });

  commands.command('consumer:ready', async ({ consumerId }) => {
    await desk.consumerReady(participant, consumerId);
    return null;
  });

  commands.command('consumer:keyFrame', async ({ consumerId }) => {
    await desk.requestKeyFrame(participant, consumerId);
    return null;
  });
}

/** What client `clientId` (a booth's or an officer's id) needs to open its side of `transport`. */
export function transportCreatedData(transport: ms.WebRtcTransport, iceServers: IceServers, clientId: string): TransportCreatedData {
  return {
    id: transport.id,
    iceParameters: toJson(transport.iceParameters),
    iceCandidates: transport.iceCandidates.map(toJson),
    dtlsParameters: toJson(transport.dtlsParameters),
    iceServers: iceServers.for(clientId),
    iceTransportPolicy: iceServers.transportPolicy,
  };
}
