/**
 * The compose file's reverse proxy, deploy/nginx.conf, run in a real nginx (Debian's) in front of
 * a server: a browser's sign-in form and its console's socket pass through it. The nodes accept
 * both only from a page whose Origin names the Host they are given, so the proxy must hand on the
 * Host the browser sent, port included; with `$host` (no port) every sign-in behind port 8080
 * was refused, which only running the compose file showed (npm run bench:compose).
 * The configuration is used as it is, but for its upstream nodes (here one test server, which
 * compose names server-1 and server-2) and its listen address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NAMESPACES } from '@bilik/shared';
import { accepts } from '../support/serverProcess.js';
import { connected, openSocket } from '../support/sockets.js';
import { freePort, seedBranch, startTestServer, TEST_PASSWORD, waitFor, type SeededDesk, type TestServer } from '../support/testServer.js';

let server: TestServer;
let desk: SeededDesk;
let nginx: ChildProcess;
let nginxDir: string;
let proxyUrl: string;

/** deploy/nginx.conf pointed at `nodePort` and listening on loopback at `proxyPort`, with its files in `dir`. */
async function proxyConfig(nodePort: number, proxyPort: number, dir: string): Promise<string> {
  const original = await readFile(new URL('../../deploy/nginx.conf', import.meta.url), 'utf8');
  const upstreams = /server server-\d+:8080;/g;
  // The rewrite must find what it rewrites: a reshaped file should fail here, not test something else.
  expect(original.match(upstreams)).toHaveLength(4);
  expect(original).toContain('listen 8080;');
  expect(original).toContain('http {');
  return (
    original
      .replace(upstreams, `server 127.0.0.1:${nodePort};`)
      .replace('listen 8080;', `listen 127.0.0.1:${proxyPort};`)
      // Buffers in the test's directory: nginx's own are the system's.
      .replace('http {', `http {\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  access_log off;`)
  );
}

beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: '1' });
  desk = await seedBranch(server, { booths: 1 });
  nginxDir = await mkdtemp(path.join(os.tmpdir(), 'bilik-nginx-'));
  const proxyPort = await freePort();
  proxyUrl = `http://127.0.0.1:${proxyPort}`;
  const config = path.join(nginxDir, 'nginx.conf');
  await writeFile(config, await proxyConfig(Number(new URL(server.url).port), proxyPort, nginxDir));
  nginx = spawn('nginx', ['-p', nginxDir, '-c', config, '-e', 'stderr', '-g', `daemon off; pid ${nginxDir}/nginx.pid;`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  nginx.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  await waitFor('nginx to listen', async () => {
    if (nginx.exitCode !== null) throw new Error(`nginx exited: ${errors}`);
    return accepts(proxyPort);
  });
}, 30_000);

afterAll(async () => {
  if (nginx?.exitCode === null) {
    const exited = new Promise((resolve) => nginx.once('exit', resolve));
    nginx.kill('SIGTERM');
    await exited;
  }
  await rm(nginxDir, { recursive: true, force: true });
  await server?.close();
});

test("a browser's sign-in form through the proxy signs the officer in", async () => {
  const response = await fetch(`${proxyUrl}/auth/signin`, {
    method: 'POST',
    redirect: 'manual',
    // What a browser sends from the sign-in page it loaded through the proxy.
    headers: { origin: proxyUrl, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: desk.officer.username, password: TEST_PASSWORD }),
  });
  expect(response.status).toBe(303);
  expect(response.headers.get('set-cookie')).toMatch(/^bilik_session=/);
});

test("a console's socket from a page loaded through the proxy is accepted", async () => {
  const socket = openSocket(proxyUrl, NAMESPACES.officer, { cookie: desk.officer.cookie, headers: { origin: proxyUrl } });
  try {
    await connected(socket);
  } finally {
    socket.disconnect();
  }
});

test('a page of another site is still refused through the proxy', async () => {
  const response = await fetch(`${proxyUrl}/auth/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: 'https://elsewhere.example', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: desk.officer.username, password: TEST_PASSWORD }),
  });
  expect(response.status).toBe(403);
});
