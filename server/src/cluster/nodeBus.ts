/**
 * Messages between server nodes over Redis pub/sub, one channel per node. A node that holds a
 * client's socket but not its desk asks the desk's node to seat the client and to run its desk
 * commands; the desk's node answers each request and sends what the desk tells that client
 * (events, a disconnect) back to the socket's node. One channel each way keeps the order in
 * which messages were sent: a desk's event never overtakes the answer it follows.
 *
 * Every message is validated on arrival: a node trusts other nodes' code, not what sits in Redis.
 */
import { randomUUID } from 'node:crypto';
import { ERROR_CODES, type Ack } from '@bilik/shared';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../logger.js';

const CHANNEL_PREFIX = 'bilik:node-bus:';

const id = z.string().min(1).max(200);

/** What a socket's node tells the desk's node about the client to seat (see SeatedClient). */
export const remoteClientSchema = z.object({
  role: z.enum(['booth', 'officer', 'monitor']),
  id,
  officerId: id,
  officerName: z.string().max(200).nullable(),
  /** On /monitor: the visit watched, and the supervisor's principal, for the audit of a barge-in. */
  watched: z
    .object({
      supervisor: z.object({
        kind: z.literal('staff'),
        role: z.enum(['officer', 'supervisor', 'it_admin']),
        accountId: id,
        branchIds: z.array(id).readonly(),
        sessionId: id,
        expiresAt: z.number(),
      }),
      boothId: id,
      branchId: id,
      officerId: id,
      visitId: id,
    })
    .nullable(),
});
export type RemoteClient = z.infer<typeof remoteClientSchema>;

/** A request to the desk's node, answered with an Ack. */
const requestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('seat'), socketId: id, client: remoteClientSchema }),
  z.object({ kind: z.literal('command'), socketId: id, event: z.string().max(64), payload: z.unknown() }),
]);
export type NodeRequest = z.infer<typeof requestSchema>;

/**
 * A one-way message: a client left (to the desk's node); a desk event, a disconnect, or its desk
 * moving to another node (connect again at once), for a socket (to the socket's node).
 */
const noticeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('leave'), socketId: id }),
  z.object({ kind: z.literal('notify'), socketId: id, event: z.string().max(64), args: z.array(z.unknown()) }),
  z.object({ kind: z.literal('disconnect'), socketId: id }),
  z.object({ kind: z.literal('moved'), socketId: id }),
]);
export type NodeNotice = z.infer<typeof noticeSchema>;

const ackSchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.enum(ERROR_CODES), message: z.string() }),
]);

const envelopeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('request'), from: id, requestId: id, request: requestSchema }),
  z.object({ type: z.literal('reply'), from: id, requestId: id, ack: ackSchema }),
  z.object({ type: z.literal('notice'), from: id, notice: noticeSchema }),
]);
type Envelope = z.infer<typeof envelopeSchema>;

export interface NodeBusHandlers {
  /** Answers a request from node `from`. */
  request(from: string, request: NodeRequest): Promise<Ack<unknown>>;
  /** Takes a one-way message from node `from`. */
  notice(from: string, notice: NodeNotice): void;
}

export class NodeBus {
  private readonly pending = new Map<string, { resolve: (ack: Ack<unknown>) => void; timer: NodeJS.Timeout }>();
  private handlers: NodeBusHandlers | null = null;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    readonly nodeId: string,
    private readonly logger: Logger,
  ) {}

  /** Subscribes to this node's channel; messages are read from `subscriber`, a connection of the bus's own. */
  static async start(redisUrl: string, publisher: Redis, nodeId: string, parentLogger: Logger): Promise<NodeBus> {
    const logger = parentLogger.child({ module: 'node-bus' });
    // Subscribed once ready (see AdapterClient in socketAdapter.ts for why not before).
    const subscriber = new Redis(redisUrl, { lazyConnect: true, retryStrategy: (attempt) => Math.min(attempt * 200, 2000) });
    subscriber.on('error', (error: Error) => logger.debug({ err: error.message }, 'node bus connection error'));
    const bus = new NodeBus(publisher, subscriber, nodeId, logger);
    subscriber.on('message', (_channel: string, message: string) => bus.receive(message));
    try {
      await subscriber.connect();
      // ioredis subscribes again by itself after a reconnection.
      await subscriber.subscribe(CHANNEL_PREFIX + nodeId);
    } catch (error) {
      // Stop its reconnection attempts, or they would keep a failed start alive.
      subscriber.disconnect();
      throw error;
    }
    return bus;
  }

  /** Where requests and notices to this node go. */
  serve(handlers: NodeBusHandlers): void {
    this.handlers = handlers;
  }

  /**
   * Sends `request` to node `to` and resolves with its answer; UNAVAILABLE at once when that
   * node is not on the bus, or when it does not answer within `timeoutMs` (it died meanwhile,
   * or Redis is out of reach).
   */
  request(to: string, request: NodeRequest, timeoutMs: number): Promise<Ack<unknown>> {
    const requestId = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        resolve({ ok: false, error: 'UNAVAILABLE', message: 'The server holding this desk did not answer; try again' });
      }, timeoutMs);
      this.pending.set(requestId, { resolve, timer });
      const fail = (message: string): void => {
        clearTimeout(timer);
        this.pending.delete(requestId);
        resolve({ ok: false, error: 'UNAVAILABLE', message });
      };
      this.publish(to, { type: 'request', from: this.nodeId, requestId, request }).then(
        (receivers) => {
          // Nobody subscribed: that node is gone, and no answer will come.
          if (receivers === 0) fail('The server holding this desk is gone; try again');
        },
        (error: unknown) => fail(`Could not reach the server holding this desk: ${(error as Error).message}`),
      );
    });
  }

  /** Sends a one-way message to node `to`; a failure is logged (the socket's or the desk's node notices a dead link by itself). */
  notify(to: string, notice: NodeNotice): void {
    this.publish(to, { type: 'notice', from: this.nodeId, notice }).catch((error: unknown) =>
      this.logger.warn({ to, kind: notice.kind, err: (error as Error).message }, 'could not send a message to another node'),
    );
  }

  /**
   * Whether node `nodeId` listens on the bus now. A node process that dies, even by SIGKILL, has
   * its connections closed by its kernel, and Redis drops its subscription at once; a node whose
   * host is lost outright keeps it until Redis times the connection out (its leases run out first).
   */
  async isListening(nodeId: string): Promise<boolean> {
    const [, subscribers] = (await this.publisher.pubsub('NUMSUB', CHANNEL_PREFIX + nodeId)) as [string, number];
    return Number(subscribers) > 0;
  }

  /** Unsubscribes, and answers every request still waiting UNAVAILABLE. */
  async close(): Promise<void> {
    for (const [requestId, { resolve, timer }] of this.pending) {
      clearTimeout(timer);
      resolve({ ok: false, error: 'UNAVAILABLE', message: 'This server is stopping' });
      this.pending.delete(requestId);
    }
    this.subscriber.disconnect();
  }

  /** Resolves to how many nodes received it: 0 when node `to` is not on the bus. */
  private publish(to: string, envelope: Envelope): Promise<number> {
    return this.publisher.publish(CHANNEL_PREFIX + to, JSON.stringify(envelope));
  }

  private receive(message: string): void {
    let parsed: Envelope;
    try {
      parsed = envelopeSchema.parse(JSON.parse(message));
    } catch (error) {
      this.logger.warn({ err: (error as Error).message.slice(0, 300) }, 'refused a malformed message from another node');
      return;
    }
    if (parsed.type === 'reply') {
      const waiting = this.pending.get(parsed.requestId);
      if (!waiting) return; // Timed out already.
      clearTimeout(waiting.timer);
      this.pending.delete(parsed.requestId);
      waiting.resolve(parsed.ack);
      return;
    }
    if (!this.handlers) return;
    if (parsed.type === 'notice') {
      this.handlers.notice(parsed.from, parsed.notice);
      return;
    }
    const { from, requestId } = parsed;
    this.handlers
      .request(from, parsed.request)
      .then(
        (ack) => this.publish(from, { type: 'reply', from: this.nodeId, requestId, ack }),
        (error: unknown) => {
          this.logger.error({ from, err: (error as Error).message }, 'a request from another node failed');
          return this.publish(from, {
            type: 'reply',
            from: this.nodeId,
            requestId,
            ack: { ok: false, error: 'INTERNAL', message: 'The server could not complete this request' },
          });
        },
      )
      .catch((error: unknown) => this.logger.warn({ from, err: (error as Error).message }, 'could not answer another node'));
  }
}
