/**
 * Server nodes of one multi-node deployment (MULTI_NODE=on) on one machine: real server
 * processes sharing one Redis and one PostgreSQL database, each with its own data directory,
 * HTTP port and media port. The first node started on an empty database seeds the demo there.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DemoSignIn } from '../../server/src/demo/seedDemo.js';
import { demoServerEnv, readDemo, type ServerProcess } from './serverProcess.js';
import { freePort, freeRtcPorts } from './testServer.js';

/** The bearer of every node's GET /metrics. */
export const NODE_METRICS_TOKEN = 'node-metrics-token-for-the-tests-0123456789';

export interface ServerNode {
  server: ServerProcess;
  baseUrl: string;
  /** Its one mediasoup worker's port: where the media of the desks it holds flows. */
  rtcPort: number;
}

export interface SharedState {
  /** The directory under which each node gets a data directory named after it. */
  dataDir: string;
  redisUrl: string;
  databaseUrl: string;
  /** Short leases move a killed node's desks within seconds. */
  deskLeaseSeconds: number;
}

/** Starts node `name` with `start` (which runs the server process) and waits until it listens. */
export async function startServerNode(
  name: string,
  shared: SharedState,
  start: (env: Record<string, string>) => ServerProcess,
): Promise<ServerNode> {
  const dataDir = path.join(shared.dataDir, name);
  await mkdir(dataDir);
  const ports = { http: await freePort(), redis: await freePort(), rtc: await freeRtcPorts(1) };
  const server = start(
    demoServerEnv(dataDir, ports, {
      REDIS_URL: shared.redisUrl,
      DATABASE_URL: shared.databaseUrl,
      MULTI_NODE: 'on',
      DESK_LEASE_SECONDS: String(shared.deskLeaseSeconds),
      METRICS_TOKEN: NODE_METRICS_TOKEN,
    }),
  );
  await server.listening();
  return { server, baseUrl: `http://127.0.0.1:${ports.http}`, rtcPort: ports.rtc };
}

/** One scrape of the node's metrics, in Prometheus's text format. */
export async function scrapeNode(node: ServerNode): Promise<string> {
  const response = await fetch(`${node.baseUrl}/metrics`, { headers: { authorization: `Bearer ${NODE_METRICS_TOKEN}` } });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return response.text();
}

/** Three nodes: the first seeds the demo into the (empty) database, the other two find it there. */
export async function startThreeNodes(
  shared: SharedState,
  start: (env: Record<string, string>) => ServerProcess,
): Promise<{ nodes: [ServerNode, ServerNode, ServerNode]; demo: DemoSignIn }> {
  const first = await startServerNode('node-1', shared, start);
  const demo = await readDemo(path.join(shared.dataDir, 'node-1'));
  const [second, third] = await Promise.all([startServerNode('node-2', shared, start), startServerNode('node-3', shared, start)]);
  return { nodes: [first, second, third], demo };
}
