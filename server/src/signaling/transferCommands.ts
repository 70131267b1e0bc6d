/** Live transfer over the officer's socket: `transfer:targets` for the console's picker, and `visit:transfer`. */
import type { officerCommands } from '@bilik/shared';
import type { StaffPrincipal } from '../auth/authenticator.js';
import type { VisitTransfers } from '../transfers/visitTransfers.js';
import type { CommandRouter } from './commands.js';

/** Registers transfer:targets and visit:transfer for an officer's console. */
export function registerTransferCommands(
  commands: CommandRouter<typeof officerCommands>,
  officer: StaffPrincipal,
  transfers: VisitTransfers,
): void {
  commands.command('transfer:targets', ({ boothId }) => transfers.targets(officer, boothId));
  commands.command('visit:transfer', ({ boothId, target, note }) => transfers.transfer(officer, boothId, target, note));
}
