/**
 * A real Prometheus (Debian's `prometheus`) on loopback scraping one target every second, as an
 * operator's would scrape the server, so that tests can run the queries our Grafana dashboard
 * runs. It keeps its data in a directory of its own and dies with the test process (setpriv
 * --pdeathsig), even when that is killed outright.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from './testServer.js';

/** One series of a query's answer: its labels and value. */
export interface PromSeries {
  metric: Record<string, string>;
  value: [number, string];
}

export interface TestPrometheus {
  /** Runs an instant query; resolves with its series, or rejects with Prometheus's error (a malformed query). */
  query(expression: string): Promise<PromSeries[]>;
  /** The values of `label` over the series of `metric` (what Grafana's label_values(metric, label) lists). */
  labelValues(metric: string, label: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** The job name the target is scraped under. */
export const SCRAPE_JOB = 'bilik';

/** Starts Prometheus scraping `target` (host:port, path /metrics) every second; resolves once it is ready. */
export async function startPrometheus(target: string): Promise<TestPrometheus> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bilik-prometheus-'));
  const configFile = path.join(dataDir, 'prometheus.yml');
  await writeFile(
    configFile,
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      `  - job_name: ${SCRAPE_JOB}`,
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  const child = spawn(
    'setpriv',
    [
      '--pdeathsig',
      'KILL',
      '--',
      'prometheus',
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dataDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  const base = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopProcess(child, exited);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      'Prometheus to be ready',
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited with code ${child.exitCode}`);
        return (await fetch(`${base}/-/ready`).catch(() => null))?.ok === true;
      },
      20_000,
      100,
    );
  } catch (error) {
    await stop();
    throw new Error(`Prometheus did not start: ${(error as Error).message}\n${output}`);
  }
  const api = async <T>(pathAndQuery: string): Promise<T> => {
    const answer = (await (await fetch(`${base}${pathAndQuery}`)).json()) as { status: string; data: T; error?: string };
    if (answer.status !== 'success') throw new Error(`Prometheus refused ${pathAndQuery}: ${answer.error ?? answer.status}`);
    return answer.data;
  };
  return {
    query: async (expression) =>
      (await api<{ resultType: string; result: PromSeries[] }>(`/api/v1/query?query=${encodeURIComponent(expression)}`)).result,
    labelValues: (metric, label) =>
      api<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values?match[]=${encodeURIComponent(metric)}`),
    stop,
  };
}

async function stopProcess(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await exited;
}

/**
 * The value of the sample `name` whose labels include `labels`, in a scrape in the text format;
 * undefined when there is none. Every matching sample is added up (e.g. consumers of both kinds).
 */
export function scrapedSample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const present = new Map([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]));
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) total = (total ?? 0) + Number(match[3]);
  }
  return total;
}
