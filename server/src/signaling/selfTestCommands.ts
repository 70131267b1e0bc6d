/**
 * The self-test probe commands of a kiosk's /journey socket: at most one probe transport per
 * socket, closed when the kiosk is done with it, when the socket goes, or when it expires.
 */
import { selfTestProbeRequestSchemas, type MediasoupJson, type ProbeOpenedData } from '@bilik/shared';
import type { types as ms } from 'mediasoup';
import type { Socket } from 'socket.io';
import { InvalidStateError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { OpenedProbe, SfuProbe } from '../sfu/probe.js';
import type { CommandRouter } from './commands.js';

/** Registers the probe commands on one /journey socket. */
export function registerSelfTestCommands(socket: Socket, commands: CommandRouter, probe: SfuProbe, logger: Logger): void {
  // 'opening' holds the socket's one place while the worker creates the transport, so two
  // concurrent opens cannot both pass the check.
  let current: ms.WebRtcTransport | 'opening' | null = null;

  const openTransport = (): ms.WebRtcTransport => {
    if (current === null || current === 'opening' || current.closed) throw new InvalidStateError('No probe is open on this connection');
    return current;
  };

  const closeProbe = (): void => {
    if (current !== null && current !== 'opening') current.close();
    current = null;
  };

  commands.command('selftest:probe:open', selfTestProbeRequestSchemas['selftest:probe:open'], async (): Promise<ProbeOpenedData> => {
    if (current === 'opening' || (current !== null && !current.closed)) throw new InvalidStateError('A probe is already open on this connection');
    current = 'opening';
    let opened: OpenedProbe;
    try {
      opened = await probe.open();
    } catch (error) {
      current = null;
      throw error;
    }
    // The kiosk may have gone while the worker created it: nobody would close it then.
    if (socket.disconnected) {
      opened.transport.close();
      throw new InvalidStateError('The connection closed');
    }
    const { transport, routerRtpCapabilities } = opened;
    current = transport;
    logger.info({ transportId: transport.id }, 'self-test probe opened');
    return {
      routerRtpCapabilities: routerRtpCapabilities as unknown as MediasoupJson,
      transport: {
        id: transport.id,
        iceParameters: transport.iceParameters,
        iceCandidates: transport.iceCandidates,
        dtlsParameters: transport.dtlsParameters,
      },
    };
  });

  commands.command('selftest:probe:connect', selfTestProbeRequestSchemas['selftest:probe:connect'], async ({ dtlsParameters }) => {
    const transport = openTransport();
    try {
      await transport.connect({ dtlsParameters });
    } catch (error) {
      throw new ValidationError(`The probe refused these DTLS parameters: ${(error as Error).message}`);
    }
    return null;
  });

  commands.command('selftest:probe:close', selfTestProbeRequestSchemas['selftest:probe:close'], async () => {
    closeProbe();
    return null;
  });

  socket.on('disconnect', closeProbe);
}
