/**
 * Benchmark: assignment latency and throughput of the scheduler with 1,000 waiting booths and
 * 200 officers, across two processes sharing one Redis on loopback.
 *
 * 20 branches, 10 officers each (capacity 6: 1,200 places), all full, and 50 booths waiting per
 * branch. Each measured operation is what happens all day: an officer ends a session, which in
 * the same atomic script frees the place and assigns the branch's next waiting booth; then a new
 * claimant arrives so the queue stays at 1,000. The two scheduler processes (the real Scheduler,
 * as server processes run it) take operations alternately, OPERATIONS_IN_FLIGHT at a time.
 * Latency is the round trip seen by the caller, from sending the change to having the assignment.
 *
 * Run: npm run bench:assignment   (OPERATIONS=4000 by default)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../server/src/logger.js';
import { EmbeddedRedis } from '../server/src/redis/embeddedRedis.js';
import { SchedulerProcess, type CallResult } from '../test/support/schedulerProcesses.js';
import { machineLine } from './benchSummary.js';

const BRANCHES = 20;
const OFFICERS_PER_BRANCH = 10;
const CAPACITY = 6;
const WAITING_PER_BRANCH = 50;
const OPERATIONS = Number(process.env.OPERATIONS ?? 4000);
const OPERATIONS_IN_FLIGHT = 8;

const branchIds = Array.from({ length: BRANCHES }, (_, index) => `cabang-${index + 1}`);
const request = (queueId: string) => ({ queueId, service: 'jht', ticket: null, priority: false });

function eventsOf(result: CallResult): Extract<CallResult, { events: unknown }>['events'] {
  if ('error' in result) throw new Error(result.error);
  return result.events;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bilik-bench-redis-'));
  const redis = await EmbeddedRedis.start(
    { serverBin: 'redis-server', port: 6400 + Math.floor(Math.random() * 500), dataDir },
    createLogger('warn'),
  );
  const processes = await Promise.all([SchedulerProcess.start(redis.url), SchedulerProcess.start(redis.url)]);
  try {
    // Who serves whom, learnt from the assignment events.
    const booths = new Map<string, string[]>();
    const assign = (events: ReturnType<typeof eventsOf>): void => {
      for (const event of events) if (event.type === 'assigned') booths.get(event.officerId)!.push(event.boothId);
    };
    let boothsMade = 0;
    const newBooth = (): string => `bilik-${++boothsMade}`;

    console.error('setting up: 200 officers, 1,200 sessions, 1,000 waiting booths');
    for (const branchId of branchIds) {
      for (let number = 1; number <= OFFICERS_PER_BRANCH; number += 1) {
        const officerId = `${branchId}-petugas-${number}`;
        booths.set(officerId, []);
        assign(eventsOf(await processes[0].call('officerOnline', officerId, CAPACITY, [branchId], `c-${officerId}`)));
      }
      for (let count = 0; count < OFFICERS_PER_BRANCH * CAPACITY + WAITING_PER_BRANCH; count += 1) {
        const boothId = newBooth();
        assign(eventsOf(await processes[0].call('boothStart', boothId, request(branchId), `c-${boothId}`)));
      }
    }

    const officers = [...booths.keys()];
    const latencies: number[] = [];
    let assignments = 0;
    let next = 0;
    const started = performance.now();
    const worker = async (lane: number): Promise<void> => {
      while (next < OPERATIONS) {
        const operation = next++;
        const child = processes[(operation + lane) % 2]!;
        const officerId = officers[operation % officers.length]!;
        const boothId = booths.get(officerId)!.shift();
        if (boothId === undefined) continue;
        const sent = performance.now();
        const events = eventsOf(await child.call('endSession', officerId, boothId));
        latencies.push(performance.now() - sent);
        assignments += events.filter((event) => event.type === 'assigned').length;
        assign(events);
        const arrival = newBooth();
        assign(eventsOf(await child.call('boothStart', arrival, request(officerId.split('-petugas-')[0]!), `c-${arrival}`)));
      }
    };
    await Promise.all(Array.from({ length: OPERATIONS_IN_FLIGHT }, (_, lane) => worker(lane)));
    const seconds = (performance.now() - started) / 1000;

    const sorted = [...latencies].sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
    console.log(machineLine(`, ${OPERATIONS_IN_FLIGHT} operations in flight across 2 processes`));
    console.log('| waiting | officers | operations | assignments | p50 | p99 | max | assignments/s |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    console.log(
      `| ${BRANCHES * WAITING_PER_BRANCH} | ${officers.length} | ${latencies.length} | ${assignments} | ${fmt(percentile(sorted, 50))} | ${fmt(percentile(sorted, 99))} | ${fmt(sorted.at(-1)!)} | ${Math.round(assignments / seconds)} |`,
    );
    console.log(
      `\n(assignments/s counts end-and-assign plus the arrival that refills the queue: two scheduler changes each, in ${seconds.toFixed(1)} s)`,
    );
  } finally {
    await Promise.all(processes.map((child) => child.stop()));
    await redis.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
