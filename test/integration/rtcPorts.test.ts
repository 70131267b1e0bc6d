/**
 * One port per worker: every WebRTC transport of a worker (desks and self-test probes alike) is
 * offered on the worker's WebRtcServer, RTC_PORT + the worker's index, for UDP and TCP; each
 * server node of the compose file publishes exactly those ports, and more than 20 full desks fit through them; a
 * worker killed for real is replaced on the same port; and a port still held at start is waited
 * for, a little while, then refused naming it.
 */
import dgram from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import { parse as parseYaml } from 'yaml';
import { createLogger, type Logger } from '../../server/src/logger.js';
import { Desk } from '../../server/src/sfu/desk.js';
import { SPATIAL_LAYER_FULL } from '../../server/src/sfu/mediaPolicy.js';
import { startMediaWorker, type MediaWorker } from '../../server/src/sfu/mediaWorker.js';
import { SfuProbe } from '../../server/src/sfu/probe.js';
import { WorkerPool } from '../../server/src/sfu/workerPool.js';
import { freeRtcPorts, waitFor } from '../support/testServer.js';

const LOOPBACK = { listenIp: '127.0.0.1', announcedIp: undefined };
const quietConnection = { notify: () => undefined, disconnect: () => undefined, moved: () => undefined };
const silent = createLogger('silent');

/** What a transport offers the browser: each candidate's protocol and port. */
function offered(transport: ms.WebRtcTransport): Array<{ protocol: string; port: number }> {
  return transport.iceCandidates.map(({ protocol, port }) => ({ protocol, port }));
}

const onPort = (port: number) => [
  { protocol: 'udp', port },
  { protocol: 'tcp', port },
];

/** A desk on `worker` with one booth seated, and the booth's send and receive transports. */
async function deskWithTransports(officerId: string, worker: MediaWorker): Promise<{ desk: Desk; transports: ms.WebRtcTransport[] }> {
  const desk = await Desk.create(officerId, 6, SPATIAL_LAYER_FULL, worker, silent);
  const booth = desk.join('booth', `${officerId}-bilik`, quietConnection);
  return { desk, transports: [await desk.createTransport(booth, 'send'), await desk.createTransport(booth, 'recv')] };
}

/** The ports of `range` ("40000" or "40000-40001"). */
function portsOf(range: string): number[] {
  const [first, last = first] = range.split('-').map(Number);
  return Array.from({ length: last! - first! + 1 }, (_, offset) => first! + offset);
}

interface ComposeServer {
  name: string;
  workers: number;
  rtcPort: number;
  /** The container ports it publishes, by protocol. */
  published: Record<'udp' | 'tcp', number[]>;
}

/** The server nodes of docker-compose.yml (every service running the server: MULTI_NODE set), with their workers, first RTC port and published ports. */
async function composeServers(): Promise<ComposeServer[]> {
  // Compose merges `<<: *anchor` keys, as YAML 1.1 did.
  const compose = parseYaml(await readFile(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; ports?: string[] }>;
  };
  return Object.entries(compose.services)
    .filter(([, service]) => service.environment?.MULTI_NODE !== undefined)
    .map(([name, { environment, ports = [] }]) => {
      const published: Record<'udp' | 'tcp', number[]> = { udp: [], tcp: [] };
      for (const mapping of ports) {
        // "host:container/protocol", TCP when no protocol is named.
        const [binding, protocol = 'tcp'] = mapping.split('/');
        const container = binding!.split(':').at(-1)!;
        published[protocol as 'udp' | 'tcp'].push(...portsOf(container));
      }
      return { name, workers: Number(environment!.MEDIASOUP_WORKERS), rtcPort: Number(environment!.RTC_PORT), published };
    });
}

/** Whether something holds `port` for UDP on loopback. */
async function udpPortHeld(port: number): Promise<boolean> {
  const socket = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => socket.once('error', reject).bind(port, '127.0.0.1', resolve));
    return false;
  } catch {
    return true;
  } finally {
    socket.close();
  }
}

/** A logger whose lines (their `msg`) a test can wait for. */
function capturingLogger(): { logger: Logger; messages: string[] } {
  const messages: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) messages.push((JSON.parse(line) as { msg: string }).msg);
      done();
    },
  });
  return { logger: createLogger('warn', { destination }), messages };
}

test("each server node of the compose file publishes exactly its workers' ports, the nodes' ports apart, and 24 full desks (more than 20) on that many workers are offered on those ports only", async () => {
  const servers = await composeServers();
  expect(servers.map(({ name }) => name)).toEqual(['server-1', 'server-2']);
  const allPorts: number[] = [];
  for (const server of servers) {
    const workerPorts = portsOf(`${server.rtcPort}-${server.rtcPort + server.workers - 1}`);
    expect(server.published).toEqual({ udp: workerPorts, tcp: workerPorts });
    allPorts.push(...workerPorts);
  }
  // Each node's media ports are its own: two nodes publishing one port would clash on the host.
  expect(new Set(allPorts).size).toBe(allPorts.length);
  const [compose] = servers as [ComposeServer];
  const workerPorts = portsOf(`${compose.rtcPort}-${compose.rtcPort + compose.workers - 1}`);

  // The same number of workers here, from a free first port (the compose one may be taken on this machine).
  const rtcPort = await freeRtcPorts(compose.workers);
  const pool = await WorkerPool.create({ workerCount: compose.workers, rtcPort, ...LOOPBACK }, silent);
  const desks: Desk[] = [];
  try {
    const offeredPorts = new Set<number>();
    for (let number = 1; number <= 24; number += 1) {
      const desk = await Desk.create(`petugas-${number}`, 6, SPATIAL_LAYER_FULL, await pool.liveWorker(), silent);
      desks.push(desk);
      const participants = [
        desk.join('officer', `petugas-${number}`, quietConnection),
        ...Array.from({ length: 6 }, (_, seat) => desk.join('booth', `bilik-${number}-${seat + 1}`, quietConnection)),
      ];
      for (const participant of participants) {
        for (const direction of ['send', 'recv'] as const) {
          for (const candidate of offered(await desk.createTransport(participant, direction))) offeredPorts.add(candidate.port);
        }
      }
    }
    // 336 transports, offered on the workers' ports alone: the ones compose publishes, shifted to where this test put them.
    expect([...offeredPorts].sort((a, b) => a - b)).toEqual(workerPorts.map((port) => port - compose.rtcPort + rtcPort));
  } finally {
    for (const desk of desks) desk.close();
    pool.close();
  }
});

describe('a pool of two workers', () => {
  let pool: WorkerPool;
  let rtcPort: number;
  const desks: Desk[] = [];

  beforeEach(async () => {
    rtcPort = await freeRtcPorts(2);
    pool = await WorkerPool.create({ workerCount: 2, rtcPort, ...LOOPBACK }, silent);
  });

  afterEach(() => {
    for (const desk of desks.splice(0)) desk.close();
    pool.close();
  });

  test("every desk's and probe's transports on a worker are offered on that worker's port, RTC_PORT + its index, UDP and TCP", async () => {
    const [first, second] = pool.mediaWorkers;
    expect([first!.port, second!.port]).toEqual([rtcPort, rtcPort + 1]);
    const deskA = await deskWithTransports('petugas-a', first!);
    const deskB = await deskWithTransports('petugas-b', first!);
    const deskC = await deskWithTransports('petugas-c', second!);
    desks.push(deskA.desk, deskB.desk, deskC.desk);

    // Two desks, four transports, one UDP and one TCP port between them.
    for (const transport of [...deskA.transports, ...deskB.transports]) expect(offered(transport)).toEqual(onPort(rtcPort));
    for (const transport of deskC.transports) expect(offered(transport)).toEqual(onPort(rtcPort + 1));
    expect(new Set([...deskA.transports, ...deskB.transports].map((transport) => transport.id)).size).toBe(4);

    // The self-test probe's router sits on the least-loaded worker: the second (one desk against two).
    const probe = new SfuProbe(pool, silent);
    try {
      const { transport } = await probe.open('bilik-1');
      expect(offered(transport)).toEqual(onPort(rtcPort + 1));
    } finally {
      await probe.close();
    }

    // The worker itself holds each port, once, for UDP and TCP.
    const dump = (await first!.webRtcServer.dump()) as { udpSockets: Array<{ port: number }>; tcpServers: Array<{ port: number }> };
    expect(dump.udpSockets.map(({ port }) => port)).toEqual([rtcPort]);
    expect(dump.tcpServers.map(({ port }) => port)).toEqual([rtcPort]);
    expect(await udpPortHeld(rtcPort)).toBe(true);
  });

  test('a worker killed with SIGKILL is replaced on its own port, and transports on the replacement are offered there', async () => {
    const dead = pool.mediaWorkers[1]!;
    const deskOnDead = await deskWithTransports('petugas-a', dead);
    desks.push(deskOnDead.desk);

    process.kill(dead.worker.pid, 'SIGKILL');
    await waitFor('the killed worker to be replaced', () => pool.mediaWorkers[1] !== dead && pool.healthy, 15_000);

    const replacement = pool.mediaWorkers[1]!;
    expect(replacement.worker.pid).not.toBe(dead.worker.pid);
    expect(replacement.port).toBe(rtcPort + 1);
    expect(deskOnDead.desk.isLost).toBe(true);
    const deskOnReplacement = await deskWithTransports('petugas-b', replacement);
    desks.push(deskOnReplacement.desk);
    for (const transport of deskOnReplacement.transports) expect(offered(transport)).toEqual(onPort(rtcPort + 1));
    // The other worker kept its port.
    expect(pool.mediaWorkers[0]!.port).toBe(rtcPort);
  });
});

test('a worker whose port is still held waits for it, saying so, and starts on it once it is free', async () => {
  const rtcPort = await freeRtcPorts(1);
  const holder = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => holder.bind(rtcPort, '127.0.0.1', resolve));
  const { logger, messages } = capturingLogger();

  const starting = WorkerPool.create({ workerCount: 1, rtcPort, ...LOOPBACK }, logger);
  await waitFor('the worker to find its port in use', () => messages.includes('RTC port in use; trying again'));
  await new Promise<void>((resolve) => holder.close(resolve));
  const pool = await starting;
  try {
    expect(pool.mediaWorkers.map(({ port }) => port)).toEqual([rtcPort]);
    expect(await udpPortHeld(rtcPort)).toBe(true);
  } finally {
    pool.close();
  }
});

test('a port held for longer than the attempts fails the start naming the port, and leaves no worker running', async () => {
  const rtcPort = await freeRtcPorts(1);
  const holder = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => holder.bind(rtcPort, '127.0.0.1', resolve));
  const started: ms.Worker[] = [];
  const onWorker = (worker: ms.Worker): number => started.push(worker);
  mediasoup.observer.on('newworker', onWorker);
  try {
    await expect(startMediaWorker(LOOPBACK, rtcPort, silent, { attempts: 3, pauseMs: 20 })).rejects.toThrow(
      new RegExp(`RTC port ${rtcPort} \\(UDP and TCP on 127\\.0\\.0\\.1\\) is still in use after 3 attempts`),
    );
    expect(started).toHaveLength(1);
    expect(started[0]!.closed).toBe(true);
  } finally {
    mediasoup.observer.off('newworker', onWorker);
    holder.close();
  }
});
