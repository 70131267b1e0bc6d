import { startTestServer, type TestServer } from '../support/testServer.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

test.each(['/booth', '/officer'])('%s redirects to its app, which is served as HTML that is never cached stale', async (mountPath) => {
  const redirect = await fetch(`${server.url}${mountPath}`, { redirect: 'manual' });
  expect(redirect.status).toBe(301);
  expect(redirect.headers.get('location')).toBe(`${mountPath}/`);
  const page = await fetch(`${server.url}${mountPath}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/text\/html/);
  expect(page.headers.get('cache-control')).toBe('no-cache');
  expect(await page.text()).toMatch(/<html lang="id"/);
});
