/**
 * The self-test probe commands of a kiosk's /journey socket: at most one probe transport per
 * socket (and per booth, see SfuProbe.open), closed when the kiosk is done with it, when the
 * socket goes, or when it expires.
 */
import { toJson, type journeyCommands } from '@bilik/shared';
import type { types as ms } from 'mediasoup';
import { InvalidStateError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { OpenedProbe, SfuProbe } from '../sfu/probe.js';
import type { CommandRouter } from './commands.js';
import type { IceServers } from '../sfu/iceServers.js';
import { transportCreatedData } from './mediaCommands.js';
import type { SignalingSocket } from './socketTypes.js';

/** Registers the probe commands on one /journey socket of booth `boothId`. */
export function registerSelfTestCommands(
  socket: SignalingSocket,
  boothId: string,
  commands: CommandRouter<typeof journeyCommands>,
  probe: SfuProbe,
  iceServers: IceServers,
  logger: Logger,
): void {
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

  commands.command('selftest:probe:open', async () => {
    if (current === 'opening' || (current !== null && !current.closed))
      throw new InvalidStateError('A probe is already open on this connection');
    current = 'opening';
    let opened: OpenedProbe;
    try {
      opened = await probe.open(boothId);
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
    return { routerRtpCapabilities: toJson(routerRtpCapabilities), transport: transportCreatedData(transport, iceServers, boothId) };
  });

  commands.command('selftest:probe:connect', async ({ dtlsParameters }) => {
    const transport = openTransport();
    try {
      await transport.connect({ dtlsParameters: dtlsParameters });
    } catch (error) {
      throw new ValidationError(`The probe refused these DTLS parameters: ${(error as Error).message}`);
    }
    return null;
  });

  commands.command('selftest:probe:close', async () => {
    closeProbe();
    return null;
  });

  socket.on('disconnect', closeProbe);
}
