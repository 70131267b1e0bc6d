/**
 * The commands that steer a desk: the officer's talk switch, tile focus and dismissal of a
 * "cannot hear", and the booth's call for attention and "cannot hear". Each acts only on the
 * caller's own desk.
 */
import type { boothCommands, officerCommands } from '@bilik/shared';
import type { Desk } from '../sfu/desk.js';
import type { Participant } from '../sfu/participant.js';
import type { CommandRouter } from './commands.js';

/** Registers talk:select, tile:focus and hearing:dismiss for the desk's officer. */
export function registerOfficerCommands(commands: CommandRouter<typeof officerCommands>, desk: Desk): void {
  commands.command('talk:select', async ({ boothId }) => {
    await desk.selectTalk(boothId);
    return null;
  });
  commands.command('tile:focus', async ({ boothId }) => {
    await desk.focus(boothId);
    return null;
  });
  commands.command('hearing:dismiss', async ({ boothId }) => {
    desk.dismissCannotHear(boothId);
    return null;
  });
}

/** Registers attention:call and hearing:report for a booth, which concern its own seat only. */
export function registerBoothCommands(commands: CommandRouter<typeof boothCommands>, desk: Desk, booth: Participant): void {
  commands.command('attention:call', async () => ({ place: desk.callAttention(booth) }));
  commands.command('hearing:report', async () => {
    desk.reportCannotHear(booth);
    return null;
  });
}
