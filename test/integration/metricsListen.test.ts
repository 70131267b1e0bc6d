/**
 * METRICS_LISTEN on the real server: /metrics moves to a listener of its own, which serves that
 * route only, takes the bearer token when METRICS_TOKEN is set and none otherwise, and closes
 * with the server; the main port no longer has it.
 */
import { useSuiteResources } from '../support/suiteResources.js';
import { freePort } from '../support/testServer.js';

const TOKEN = 'metrics-token-for-the-test-0123456789abcdef';
const resources = useSuiteResources();

test('without a token, the metrics port serves the Prometheus text to anyone, the main port has no /metrics, and closing frees the port', async () => {
  const metricsPort = await freePort();
  const server = await resources.server({ METRICS_LISTEN: `127.0.0.1:${metricsPort}` });
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;

  expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  const scrape = await fetch(metricsUrl);
  expect(scrape.status).toBe(200);
  expect(scrape.headers.get('content-type')).toContain('text/plain');
  const text = await scrape.text();
  expect(text).toContain('# TYPE bilik_desks gauge');
  expect(text).toContain('bilik_mediasoup_worker_deaths_total 0');
  // Only that route: nothing of the application.
  for (const path of ['/healthz', '/booth/', '/api/tracking/ABCD']) {
    expect((await fetch(`http://127.0.0.1:${metricsPort}${path}`)).status).toBe(404);
  }

  await server.close();
  await expect(fetch(metricsUrl)).rejects.toThrow();
});

test('with METRICS_TOKEN, the metrics port answers only its bearer; the main port has no /metrics even for the bearer', async () => {
  const metricsPort = await freePort();
  const server = await resources.server({ METRICS_LISTEN: `127.0.0.1:${metricsPort}`, METRICS_TOKEN: TOKEN });
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const bearer = { authorization: `Bearer ${TOKEN}` };

  expect((await fetch(`${server.url}/metrics`, { headers: bearer })).status).toBe(404);
  const missing = await fetch(metricsUrl);
  expect(missing.status).toBe(401);
  expect(await missing.text()).not.toContain('bilik_');
  const right = await fetch(metricsUrl, { headers: bearer });
  expect(right.status).toBe(200);
  expect(await right.text()).toContain('# TYPE bilik_desks gauge');
});
