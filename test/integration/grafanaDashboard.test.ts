/**
 * The Grafana dashboard in docs/ against what it will really meet: a real Prometheus scrapes the
 * real server (an officer's desk with a claimant in session, a kiosk sending heartbeats), and
 * every query of the dashboard, its variables filled in as "All", runs there. Each must be valid
 * PromQL, name only metrics the server exports, and, where those metrics have series, return data
 * carrying the labels it groups by: a typo in a metric or label name would otherwise show an empty
 * or merged panel and nobody would notice until an incident.
 */
import { readFile } from 'node:fs/promises';
import { NAMESPACES, type LinkQuality } from '@bilik/shared';
import { request } from '@bilik/shared/client';
import type { Socket } from 'socket.io-client';
import { askOk, claimantWithoutBrowser, joinDesk } from '../support/deskClient.js';
import { startPrometheus, SCRAPE_JOB, type TestPrometheus } from '../support/prometheus.js';
import { useSuiteResources } from '../support/suiteResources.js';
import { freePort, seedBranch, TEST_BRANCH, waitFor, type TestServer } from '../support/testServer.js';

interface DashboardTarget {
  expr: string;
}
interface DashboardPanel {
  title: string;
  type: string;
  targets?: DashboardTarget[];
}
interface Dashboard {
  panels: DashboardPanel[];
  templating: { list: Array<{ name: string; query: string }> };
}

const DASHBOARD = new URL('../../docs/grafana-dashboard.json', import.meta.url);
/** The metric families the server and the Node.js runtime export. */
const METRIC_NAME = /\b(?:bilik|process|nodejs)_[a-z0-9_]+\b/g;

const resources = useSuiteResources();
const sockets: Socket[] = [];
let server: TestServer;
let metricsUrl: string;
let prometheus: TestPrometheus;
let heartbeats: ReturnType<typeof setInterval> | undefined;

beforeAll(async () => {
  const metricsPort = await freePort();
  server = await resources.server({ METRICS_LISTEN: `127.0.0.1:${metricsPort}` });
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const branch = await seedBranch(server, { booths: 2 });
  // An officer at the desk and a claimant in session with them, whose kiosk reports its link.
  sockets.push((await joinDesk(server.url, NAMESPACES.officer, { cookie: branch.officer.cookie })).socket);
  await askOk(sockets[0]!, 'work:set', { state: 'available' });
  const [journey, booth] = await claimantWithoutBrowser(server.url, branch.credentials['bilik-1']!);
  sockets.push(journey!, booth!);
  const link: LinkQuality = { rttMs: 42, packetLossPercent: 0.5, outgoingKbps: 600, incomingKbps: 400 };
  const beat = (): Promise<unknown> => request(journey!, 'booth:heartbeat', { appVersion: '1.0.0', linkQuality: link, deviceFault: null });
  await beat();
  heartbeats = setInterval(() => void beat().catch(() => undefined), 500);
  prometheus = await resources.own(startPrometheus(`127.0.0.1:${metricsPort}`), (started) => started.stop());
  // Two scrapes at least, so that rate() and increase() have something to work on.
  await waitFor(
    'Prometheus to scrape the server twice',
    async () => {
      const [scrapes] = await prometheus.query(`count_over_time(up{job="${SCRAPE_JOB}"}[1m])`);
      return Number(scrapes?.value[1] ?? 0) >= 2;
    },
    20_000,
    200,
  );
}, 60_000);

afterAll(() => {
  clearInterval(heartbeats);
  for (const socket of sockets) socket.disconnect();
});

async function dashboard(): Promise<Dashboard> {
  return JSON.parse(await readFile(DASHBOARD, 'utf8')) as Dashboard;
}

/** A query as Grafana sends it with every variable on "All" (the dashboard's allValue). */
function withAllSelected(expression: string): string {
  return expression.replaceAll(/\$(?:job|branch)\b/g, '.*');
}

/** The labels a query groups by, in `by (a, b)` clauses. */
function groupedBy(expression: string): string[] {
  return [...expression.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((match) => match[1]!.split(',').map((label) => label.trim()));
}

test('every panel query is valid PromQL on metrics the server exports, and returns its groups where the metrics have series', async () => {
  const exported = new Set([...(await (await fetch(metricsUrl)).text()).matchAll(/^# TYPE (\S+)/gm)].map((match) => match[1]!));
  const targets = (await dashboard()).panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })),
  );
  expect(targets.length).toBeGreaterThan(10);

  const checked: string[] = [];
  for (const { panel, expr } of targets) {
    const names = [...new Set(expr.match(METRIC_NAME) ?? [])];
    expect({ panel, unknown: names.filter((name) => !exported.has(name)) }).toEqual({ panel, unknown: [] });
    const series = await prometheus.query(withAllSelected(expr));
    // Metrics without a series yet (no ICE restart so far, no refusal) leave their panel empty, rightly.
    const allHaveSeries = (await Promise.all(names.map(async (name) => (await prometheus.query(`count(${name})`)).length > 0))).every(
      Boolean,
    );
    if (!allHaveSeries) continue;
    expect({ panel, expr, empty: series.length === 0 }).toEqual({ panel, expr, empty: false });
    for (const label of groupedBy(expr)) {
      expect({ panel, label, missing: series.filter((one) => one.metric[label] === undefined).length }).toEqual({
        panel,
        label,
        missing: 0,
      });
    }
    checked.push(panel);
  }
  // What this scenario must light up: the queue, the desk, the booth's link and the process.
  expect(checked).toEqual(
    expect.arrayContaining([
      'Booths waiting',
      'Sessions in progress',
      'Desks per worker',
      'Participants',
      'Consumers per worker',
      'Booth RTT',
      'Server process CPU',
    ]),
  );
});

test("the dashboard's variables list the scraped job and the branch", async () => {
  const variables = (await dashboard()).templating.list;
  for (const variable of variables) {
    const [, metric, label] = /^label_values\((\w+),\s*(\w+)\)$/.exec(variable.query) ?? [];
    expect({ variable: variable.name, parsed: metric !== undefined }).toEqual({ variable: variable.name, parsed: true });
    const values = await prometheus.labelValues(metric!, label!);
    expect(values).toContain(variable.name === 'job' ? SCRAPE_JOB : TEST_BRANCH);
  }
});
