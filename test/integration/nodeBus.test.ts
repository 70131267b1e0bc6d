/**
 * The node bus on a real Redis: requests answered by the node they name, notices in the order
 * sent, a node that is not on the bus refused at once, malformed messages dropped, and whether a
 * node listens.
 */
import type { Ack } from '@bilik/shared';
import { NodeBus, type NodeNotice, type NodeRequest } from '../../server/src/cluster/nodeBus.js';
import { createLogger } from '../../server/src/logger.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { waitFor } from '../support/testServer.js';

const silent = createLogger('silent');
let redis: TestRedis;
const buses: NodeBus[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(async () => {
  for (const bus of buses.splice(0)) await bus.close();
});
afterAll(() => redis.stop());

async function startBus(nodeId: string): Promise<NodeBus> {
  const bus = await NodeBus.start(redis.url, redis.client, nodeId, silent);
  buses.push(bus);
  return bus;
}

const command = (event: string): NodeRequest => ({ kind: 'command', socketId: 'socket-1', event, payload: { n: 1 } });

test('a request is answered by the node it names, with the sender named', async () => {
  const [a, b] = [await startBus('node-a'), await startBus('node-b')];
  const seen: string[] = [];
  b.serve({
    request: async (from, request) => {
      seen.push(`${from} ${request.kind}`);
      return { ok: true, data: { echoed: request.kind === 'command' ? request.event : null } };
    },
    notice: () => undefined,
  });
  expect(await a.request('node-b', command('capabilities:get'), 5000)).toEqual({ ok: true, data: { echoed: 'capabilities:get' } });
  expect(seen).toEqual(['node-a command']);
});

test('notices arrive in the order they were sent', async () => {
  const [a, b] = [await startBus('node-a'), await startBus('node-b')];
  const received: string[] = [];
  a.serve({ request: async () => ({ ok: true, data: null }), notice: (_from, notice: NodeNotice) => received.push(notice.socketId) });
  const sent = Array.from({ length: 200 }, (_, index) => `socket-${index}`);
  for (const socketId of sent) b.notify('node-a', { kind: 'notify', socketId, event: 'desk:changed', args: [] });
  await waitFor('every notice', () => received.length === sent.length);
  expect(received).toEqual(sent);
});

test('a request to a node that is not on the bus is refused UNAVAILABLE at once, not after its timeout', async () => {
  const a = await startBus('node-a');
  const startedAt = Date.now();
  const ack: Ack<unknown> = await a.request('node-gone', command('capabilities:get'), 60_000);
  expect(ack).toMatchObject({ ok: false, error: 'UNAVAILABLE' });
  expect(Date.now() - startedAt).toBeLessThan(30_000);
});

test('a malformed message is dropped, and the bus goes on', async () => {
  const [a, b] = [await startBus('node-a'), await startBus('node-b')];
  const requests: NodeRequest[] = [];
  b.serve({
    request: async (_from, request) => {
      requests.push(request);
      return { ok: true, data: null };
    },
    notice: () => undefined,
  });
  await redis.client.publish('bilik:node-bus:node-b', 'not json');
  await redis.client.publish(
    'bilik:node-bus:node-b',
    JSON.stringify({ type: 'request', from: 'node-a', requestId: 'r1', request: { kind: 'seat' } }),
  );
  expect(await a.request('node-b', command('consumer:ready'), 5000)).toEqual({ ok: true, data: null });
  expect(requests).toEqual([command('consumer:ready')]);
});

test('a node listens while its bus is open', async () => {
  const [a, b] = [await startBus('node-a'), await startBus('node-b')];
  expect(await a.isListening('node-b')).toBe(true);
  await b.close();
  await waitFor('node b to leave the bus', async () => !(await a.isListening('node-b')));
});
