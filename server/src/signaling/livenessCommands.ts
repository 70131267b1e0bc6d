/**
 * Liveness prompts over the sockets: the officer's `liveness:challenge`, `liveness:judge` and
 * `liveness:clear`, and the messages that show the challenge on the booth's kiosk (/booth) or take
 * it off.
 */
import { NAMESPACES, type officerCommands } from '@bilik/shared';
import type { StaffPrincipal } from '../auth/authenticator.js';
import type { LivenessMessenger, LivenessPrompts } from '../liveness/livenessPrompts.js';
import type { CommandRouter } from './commands.js';
import { boothRoom } from './socketEvictions.js';
import type { SignalingServer } from './socketTypes.js';

/** Registers liveness:challenge, liveness:judge and liveness:clear for an officer's console. */
export function registerLivenessCommands(
  commands: CommandRouter<typeof officerCommands>,
  officer: StaffPrincipal,
  liveness: LivenessPrompts,
): void {
  commands.command('liveness:challenge', ({ boothId }) => liveness.challenge(officer, boothId));
  commands.command('liveness:judge', async ({ boothId, challengeId, verdict }) => {
    await liveness.judge(officer, boothId, challengeId, verdict);
    return null;
  });
  commands.command('liveness:clear', async ({ boothId }) => {
    await liveness.clear(officer, boothId);
    return null;
  });
}

/** Reaches a booth's kiosk through its room, which the Redis adapter reaches on every server process. */
export function socketLivenessMessenger(io: SignalingServer): LivenessMessenger {
  return {
    showBooth(boothId, challenge) {
      // /booth only: the kiosk shows the challenge over its call.
      io.of(NAMESPACES.booth).to(boothRoom(boothId)).emit('liveness:challenged', challenge);
    },
    clearBooth(boothId) {
      io.of(NAMESPACES.booth).to(boothRoom(boothId)).emit('liveness:cleared', {});
    },
  };
}
