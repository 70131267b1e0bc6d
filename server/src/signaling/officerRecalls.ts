/**
 * A supervisor's request that an officer come back from a break, sent to every console the
 * officer has open. The officer's room reaches its sockets on every server process through the
 * Redis streams adapter.
 */
import { NAMESPACES, type WorkRecall } from '@bilik/shared';
import { officerRoom } from './socketEvictions.js';
import type { SignalingServer } from './socketTypes.js';

export class OfficerRecalls {
  constructor(private readonly io: SignalingServer) {}

  /** Shows the officer's consoles that a supervisor asks them to come back. */
  recall(officerId: string, recall: WorkRecall): void {
    this.io.of(NAMESPACES.officer).to(officerRoom(officerId)).emit('work:recalled', recall);
  }
}
