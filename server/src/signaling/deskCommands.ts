/**
 * The commands that steer a desk: the officer's talk switch and tile focus, and the booth's
 * call for attention. Each acts only on the caller's own desk.
 */
import { boothRequestSchemas, officerRequestSchemas, type BoothReplies } from '@bilik/shared';
import type { Desk } from '../sfu/desk.js';
import type { Participant } from '../sfu/participant.js';
import type { CommandRouter } from './commands.js';

/** Registers talk:select and tile:focus for the desk's officer. */
export function registerOfficerCommands(commands: CommandRouter, desk: Desk): void {
  commands.command('talk:select', officerRequestSchemas['talk:select'], async ({ boothId }): Promise<null> => {
    await desk.selectTalk(boothId);
    return null;
  });
  commands.command('tile:focus', officerRequestSchemas['tile:focus'], async ({ boothId }): Promise<null> => {
    await desk.focus(boothId);
    return null;
  });
}

/** Registers attention:call for a booth. */
export function registerBoothCommands(commands: CommandRouter, desk: Desk, booth: Participant): void {
  commands.command('attention:call', boothRequestSchemas['attention:call'], async (): Promise<BoothReplies['attention:call']> => ({
    place: desk.callAttention(booth),
  }));
}
