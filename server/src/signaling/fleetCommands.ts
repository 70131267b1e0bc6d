/**
 * A kiosk's fleet traffic on its /journey socket: heartbeats and self-test reports in, and on
 * connecting the booth's service state out, so the kiosk knows at once whether to welcome
 * claimants.
 */
import type { journeyCommands } from '@bilik/shared';
import type { BoothPrincipal } from '../auth/authenticator.js';
import type { BoothHealth } from '../fleet/boothHealth.js';
import type { BoothStore } from '../fleet/boothStore.js';
import type { Logger } from '../logger.js';
import type { CommandRouter } from './commands.js';
import type { SignalingSocket } from './socketTypes.js';

export interface FleetDeps {
  booths: BoothStore;
  health: BoothHealth;
}

/** Registers booth:heartbeat and selftest:report on one /journey socket, and sends it booth:service. */
export function registerFleetCommands(
  socket: SignalingSocket,
  commands: CommandRouter<typeof journeyCommands>,
  booth: BoothPrincipal,
  deps: FleetDeps,
  logger: Logger,
): void {
  // The device fault this socket last reported, so that a fault is logged when it comes and goes, not at every beat.
  let reportedFault: string | null = null;
  commands.command('booth:heartbeat', async (heartbeat) => {
    await deps.health.heartbeat(booth.boothId, heartbeat);
    const fault = heartbeat.deviceFault && `${heartbeat.deviceFault.kind}: ${heartbeat.deviceFault.detail}`;
    if (fault !== reportedFault) {
      if (heartbeat.deviceFault) logger.warn({ device: heartbeat.deviceFault.kind, detail: heartbeat.deviceFault.detail }, 'device fault');
      else logger.info('device fault cleared');
      reportedFault = fault;
    }
    return null;
  });
  commands.command('selftest:report', async (report) => {
    await deps.health.recordSelfTest(booth.boothId, report);
    logger.info({ checks: Object.fromEntries(Object.entries(report).map(([check, result]) => [check, result.ok])) }, 'self-test reported');
    return null;
  });

  deps.booths.findBooth(booth.boothId).then(
    (record) => {
      if (record) socket.emit('booth:service', { outOfService: record.outOfService });
    },
    (error: unknown) => logger.error({ err: (error as Error).message }, 'could not send the service state'),
  );
}
