/**
 * The media commands both kinds of client send, bound to the participant the socket is.
 * Every id in a payload is resolved among that participant's own objects (see Participant).
 */
import { mediaRequestSchemas, type MediaReplies, type MediasoupJson } from '@bilik/shared';
import type { types as ms } from 'mediasoup';
import type { Desk } from '../sfu/desk.js';
import type { Participant } from '../sfu/participant.js';
import type { CommandRouter } from './commands.js';

/** Registers capabilities:get, session:join, transport:*, producer:create and consumer:ready. */
export function registerMediaCommands(commands: CommandRouter, desk: Desk, participant: Participant): void {
  commands.command('capabilities:get', mediaRequestSchemas['capabilities:get'], async (): Promise<MediaReplies['capabilities:get']> => ({
    routerRtpCapabilities: desk.router.rtpCapabilities as unknown as MediasoupJson,
  }));

  commands.command('session:join', mediaRequestSchemas['session:join'], async ({ rtpCapabilities }): Promise<null> => {
    await desk.setCapabilities(participant, rtpCapabilities as ms.RtpCapabilities);
    return null;
  });

  commands.command('transport:create', mediaRequestSchemas['transport:create'], async ({ direction }) => {
    const transport = await desk.createTransport(participant, direction);
    const reply: MediaReplies['transport:create'] = {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
    return reply;
  });

  commands.command('transport:connect', mediaRequestSchemas['transport:connect'], async ({ transportId, dtlsParameters }): Promise<null> => {
    await desk.connectTransport(participant, transportId, dtlsParameters);
    return null;
  });

  commands.command('producer:create', mediaRequestSchemas['producer:create'], async ({ transportId, kind, rtpParameters }) => {
    const producer = await desk.produce(participant, transportId, kind, rtpParameters as unknown as ms.RtpParameters);
    const reply: MediaReplies['producer:create'] = { producerId: producer.id };
    return reply;
  });

  commands.command('consumer:ready', mediaRequestSchemas['consumer:ready'], async ({ consumerId }): Promise<null> => {
    await desk.consumerReady(participant, consumerId);
    return null;
  });
}
