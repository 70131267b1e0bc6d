/**
 * DESK_EVENTS names exactly what registerDeskCommands registers, role by role: a node that
 * forwards a client's desk commands forwards those events, so one missing there would be refused
 * as unknown on a multi-node deployment, and one too many would be forwarded to no handler.
 */
import { boothCommands, monitorCommands, officerCommands, type Ack, type CommandTable } from '@bilik/shared';
import { createLogger } from '../logger.js';
import type { Desk } from '../sfu/desk.js';
import type { Participant } from '../sfu/participant.js';
import type { CommandSource } from './commands.js';
import { DESK_EVENTS, registerDeskCommands, roleRouter, type DeskSeatClient, type DeskSeatDeps } from './deskSeating.js';
import type { WatchedVisit } from './monitorCommands.js';

/** A command source that records what the router answers each event. */
class RecordingSource implements CommandSource {
  private middleware: ((packet: [string, ...unknown[]]) => void) | null = null;
  use(middleware: (packet: [string, ...unknown[]]) => void): void {
    this.middleware = middleware;
  }
  emit(): void {}
  /** The error code the router answers `event` with, for a payload no command accepts. */
  answer(event: string): Promise<string> {
    return new Promise((resolve) =>
      this.middleware!([event, { notAField: true }, (ack: Ack<unknown>) => resolve(ack.ok ? 'ok' : ack.error)]),
    );
  }
}

const tables: Record<DeskSeatClient['role'], CommandTable> = { officer: officerCommands, booth: boothCommands, monitor: monitorCommands };

test.each(['officer', 'booth', 'monitor'] as const)(
  'the %s role: DESK_EVENTS are the events registerDeskCommands registers',
  async (role) => {
    const source = new RecordingSource();
    const client: DeskSeatClient = {
      role,
      id: 'client-1',
      officerId: 'officer-1',
      watched: role === 'monitor' ? ({} as WatchedVisit) : null,
    };
    const router = roleRouter(source, client, createLogger('silent'), () => undefined);
    // No handler runs: every payload below is refused by its schema first, so the desk and the
    // dependencies are never touched.
    registerDeskCommands(router, {} as Desk, {} as Participant, {} as DeskSeatDeps);
    const registered: string[] = [];
    for (const event of Object.keys(tables[role])) {
      const answer = await source.answer(event);
      expect(['BAD_REQUEST', 'UNKNOWN_EVENT']).toContain(answer);
      if (answer === 'BAD_REQUEST') registered.push(event);
    }
    expect(registered.sort()).toEqual([...DESK_EVENTS[role]].sort());
  },
);
