import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createLogger } from './logger.js';
import { Metrics, type MetricSources, type WorkerCensus } from './metrics.js';

/** A real registry whose logger writes into an array. */
function setUp(): { metrics: Metrics; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { metrics: new Metrics(createLogger('info', { destination })), lines };
}

const oneWorker: WorkerCensus = {
  slot: 0,
  desks: 2,
  participants: { officer: 2, booth: 7, monitor: 1 },
  consumers: { audio: 14, video: 14 },
  cpuSeconds: 12.5,
};

/** Sources with fixed answers; each counts how often it was read. */
function sources(overrides: Partial<MetricSources> = {}): { sources: MetricSources; reads: Record<keyof MetricSources, number> } {
  const reads = { workers: 0, boothLinks: 0, queues: 0, outcomeJobs: 0 };
  const answer =
    <T>(name: keyof MetricSources, value: T, override: (() => Promise<T>) | undefined) =>
    (): Promise<T> => {
      reads[name] += 1;
      return override?.() ?? Promise.resolve(value);
    };
  return {
    reads,
    sources: {
      workers: answer('workers', [oneWorker], overrides.workers),
      boothLinks: answer('boothLinks', [{ boothId: 'bilik-1', branchId: 'jkt', rttMs: 40, packetLossPercent: 1 }], overrides.boothLinks),
      queues: answer(
        'queues',
        [{ branchId: 'jkt', waiting: 3, longestWaitSeconds: 95, sessionsInProgress: 5, servedToday: 20, averageWaitTodaySeconds: 120 }],
        overrides.queues,
      ),
      outcomeJobs: answer('outcomeJobs', [{ queue: 'forward', waiting: 1, active: 0, delayed: 2, failed: 1 }], overrides.outcomeJobs),
    },
  };
}

test('each source is read once per scrape, however many metrics show it', async () => {
  const { metrics } = setUp();
  const { sources: fixed, reads } = sources();
  metrics.observe(fixed);
  const text = await metrics.registry.metrics();
  expect(reads).toEqual({ workers: 1, boothLinks: 1, queues: 1, outcomeJobs: 1 });
  expect(text).toContain('bilik_participants{worker="0",role="booth"} 7');
  expect(text).toContain('bilik_consumers{worker="0",kind="video"} 14');
  expect(text).toContain('bilik_mediasoup_worker_cpu_seconds_total{worker="0"} 12.5');
  expect(text).toContain('bilik_booth_rtt_seconds{booth="bilik-1",branch="jkt"} 0.04');
  expect(text).toContain('bilik_queue_longest_wait_seconds{branch="jkt"} 95');
  expect(text).toContain('bilik_outcome_jobs{queue="forward",state="delayed"} 2');
  await metrics.registry.metrics();
  expect(reads.workers).toBe(2);
});

test('a source that fails leaves its metrics empty and is logged, and the rest of the scrape is served', async () => {
  const { metrics, lines } = setUp();
  metrics.observe(sources({ queues: () => Promise.reject(new Error('Redis is away')) }).sources);
  const text = await metrics.registry.metrics();
  expect(text).not.toMatch(/^bilik_queue_waiting\{/m);
  expect(text).toContain('bilik_desks{worker="0"} 2');
  expect(lines).toEqual([expect.objectContaining({ level: 40, module: 'metrics', source: 'queues', err: 'Redis is away' })]);
});

test("a booth that drops out of the links (offline, call over) drops out of the next scrape: labels don't pile up", async () => {
  const { metrics } = setUp();
  let links = [
    { boothId: 'bilik-1', branchId: 'jkt', rttMs: 40, packetLossPercent: 1 },
    { boothId: 'bilik-2', branchId: 'jkt', rttMs: 60, packetLossPercent: null },
  ];
  metrics.observe(sources({ boothLinks: () => Promise.resolve(links) }).sources);
  const first = await metrics.registry.metrics();
  expect(first).toContain('bilik_booth_rtt_seconds{booth="bilik-2",branch="jkt"} 0.06');
  // An unknown loss is left out, not shown as 0.
  expect(first).not.toContain('bilik_booth_packet_loss_ratio{booth="bilik-2"');
  links = links.slice(0, 1);
  expect(await metrics.registry.metrics()).not.toContain('booth="bilik-2"');
});

test('a worker that cannot report its CPU time is left out of the CPU counter, not shown as 0', async () => {
  const { metrics } = setUp();
  metrics.observe(sources({ workers: () => Promise.resolve([oneWorker, { ...oneWorker, slot: 1, cpuSeconds: null }]) }).sources);
  const text = await metrics.registry.metrics();
  expect(text).toContain('bilik_desks{worker="1"} 2');
  expect(text).not.toContain('bilik_mediasoup_worker_cpu_seconds_total{worker="1"}');
});

test('every metric is documented in docs/metrics.md, and the Grafana dashboard asks only for metrics that exist', () => {
  const { metrics } = setUp();
  const names = metrics.registry.getMetricsAsArray().map((metric) => metric.name);
  const own = names.filter((name) => name.startsWith('bilik_'));
  const documented = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
  for (const name of own) expect(documented).toContain(`\`${name}\``);
  const dashboard = readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8');
  const asked = new Set(dashboard.match(/\b(bilik|process|nodejs)_\w+/g));
  expect(asked.size).toBeGreaterThan(10);
  expect([...asked].filter((name) => !names.includes(name))).toEqual([]);
});
