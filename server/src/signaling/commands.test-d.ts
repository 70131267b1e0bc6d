/**
 * Type-level tests of the command tables, checked by `npm run typecheck` (never run): each
 * `@ts-expect-error` fails the type-check as soon as the compiler accepts the line below it.
 */
import type { journeyCommands, officerCommands } from '@bilik/shared';
import type { CommandRouter } from './commands.js';

/** A handler must answer what its command's table entry replies, and take the payload its schema gives. */
export function handlersMatchTheirCommand(
  journey: CommandRouter<typeof journeyCommands>,
  officer: CommandRouter<typeof officerCommands>,
): void {
  journey.command('journey:cancel', async () => ({ state: 'idle' }));
  // @ts-expect-error journey:cancel replies with a JourneyState, not null.
  journey.command('journey:cancel', async () => null);
  // @ts-expect-error document:request replies with a request id, not a place.
  officer.command('document:request', async () => ({ place: 1 }));

  const forABooth = async (_payload: { boothId: string }): Promise<null> => null;
  officer.command('session:end', forABooth);
  // @ts-expect-error booth:heartbeat's payload names no booth.
  journey.command('booth:heartbeat', forABooth);
}

/** A namespace registers only the events of its own table. */
export function eventsBelongToTheNamespace(
  journey: CommandRouter<typeof journeyCommands>,
  officer: CommandRouter<typeof officerCommands>,
): void {
  officer.command('talk:select', async () => null);
  // @ts-expect-error talk:select is an /officer command, not a /journey one.
  journey.command('talk:select', async () => null);
  // @ts-expect-error no namespace has this event.
  officer.command('talk:shout', async () => null);
}
